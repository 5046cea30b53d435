#!/usr/bin/env python3
# gir-field-docs.py: the GIR the reference is generated from.
#
#   gir-field-docs.py IN.gir OUT.gir HEADER...
#
# g-ir-scanner (1.74) drops the `@field:` documentation of a struct's
# function-pointer fields, so gi-docgen printed "No description available"
# for every IoStreamClass vfunc slot and IoStreamFuncs callback. This copies
# each such field's text from the struct's doc comment in HEADER into the
# field's <doc> in OUT.gir; everything else is left as it is. Only the
# documentation reads the result; the installed GIR is the scanner's.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import re
import sys
import xml.etree.ElementTree as ET

NAMESPACES = {
    '': 'http://www.gtk.org/introspection/core/1.0',
    'c': 'http://www.gtk.org/introspection/c/1.0',
    'glib': 'http://www.gtk.org/introspection/glib/1.0',
}
CORE = '{%s}' % NAMESPACES['']
C_TYPE = '{%s}type' % NAMESPACES['c']

BLOCK = re.compile(r'/\*\*\n \* (\w+):\n(.*?)\*/', re.S)
FIELD = re.compile(r'^ \* @(\w+): (.*?)(?=^ \* @|^ \*$|\Z)', re.S | re.M)


def field_docs(headers):
    """{(struct, field): (text, header, line)} of the struct doc comments of
    @headers."""
    docs = {}
    for header in headers:
        with open(header, encoding='utf-8') as f:
            source = f.read()
        for block in BLOCK.finditer(source):
            for field in FIELD.finditer(block.group(2)):
                text = ' '.join(line.lstrip(' *').strip()
                                for line in field.group(2).splitlines())
                line = source.count('\n', 0, block.start(2) + field.start()) + 1
                docs[(block.group(1), field.group(1))] = (text.strip(), header, line)
    return docs


def main():
    source, output, *headers = sys.argv[1:]
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    tree = ET.parse(source)
    docs = field_docs(headers)
    for record in tree.iter(CORE + 'record'):
        for field in record.findall(CORE + 'field'):
            found = docs.get((record.get(C_TYPE), field.get('name')))
            if field.find(CORE + 'doc') is None and found:
                text, header, line = found
                doc = ET.Element(CORE + 'doc', {'xml:space': 'preserve', 'filename': header,
                                                'line': str(line)})
                doc.text = text
                field.insert(0, doc)
    tree.write(output, encoding='utf-8', xml_declaration=True)


if __name__ == '__main__':
    main()
