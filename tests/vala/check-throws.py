#!/usr/bin/python3
# check-throws.py GIR METADATA VAPI: fails unless the `throws` rules of the
# Vala metadata name only callables that throw in the GIR (a rule on one
# that takes no GError would make Vala pass it one), and the generated
# VAPI has no `throws GLib.Error` left (every throwing call is listed).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import re
import sys
import xml.etree.ElementTree as ET

CORE = '{http://www.gtk.org/introspection/core/1.0}'
CALLABLES = {CORE + tag for tag in ('constructor', 'method', 'virtual-method', 'function')}


def throwing_callables(gir):
    """(class or None, name) of every callable of the GIR that throws."""
    namespace = ET.parse(gir).getroot().find(CORE + 'namespace')
    found = set()
    for node in namespace:
        if node.tag in CALLABLES:
            if node.get('throws') == '1':
                found.add((None, node.get('name')))
            continue
        for child in node:
            if child.tag in CALLABLES and child.get('throws') == '1':
                found.add((node.get('name'), child.get('name')))
    return found


def throws_rules(metadata):
    """(class or None, name) of every metadata rule with a throws argument."""
    rules = []
    parent = None
    with open(metadata, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.split('//')[0].rstrip()
            if not line.strip():
                continue
            relative = line.lstrip().startswith('.')
            symbol = line.split()[0].lstrip('.')
            if not relative:
                parent = symbol
            if 'throws=' not in line:
                continue
            name = symbol.split('#')[0]
            if relative:
                rules.append((number, (parent.split('.')[0], name)))
            elif '.' in name:
                rules.append((number, tuple(name.split('.', 1))))
            else:
                rules.append((number, (None, name)))
    return rules


def main(gir, metadata, vapi):
    throwing = throwing_callables(gir)
    failures = []
    for number, symbol in throws_rules(metadata):
        if any(c in ''.join(filter(None, symbol)) for c in '*?'):
            failures.append('%s:%d: a wildcard in a throws rule: %s' % (metadata, number, symbol))
        elif symbol not in throwing:
            failures.append('%s:%d: %s does not throw in the GIR' % (metadata, number, symbol))
    with open(vapi, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if re.search(r'throws\b.*\bGLib\.Error\b', line):
                failures.append('%s:%d: still throws GLib.Error: %s'
                                % (vapi, number, line.strip()))
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        return 1
    print('%d throws rules, all on throwing callables; no GLib.Error in the VAPI'
          % len(throws_rules(metadata)))
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
