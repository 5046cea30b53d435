#!/usr/bin/env python3
# check-site.py: checks the generated reference site as a reader meets it.
#
#   check-site.py SITE_DIR GIR [--chromium PATH]
#
# - no link (href, src) of any page is empty, every internal one resolves
#   to a file of the site, and its #fragment to an id or a name in it;
# - every public symbol of the GIR has its page, and no page says "No
#   description available", and no doc comment has a `*@name` that
#   Markdown would read as the start of an italic run;
# - every page loads in headless Chromium, served over http, with no console
#   error, uncaught exception or failed load, and no code block wider than
#   its box in a 1280-pixel window (skipped, and said, when no
#   Chromium is installed; exit status 77 if that is the only check left).
#
# The site is walked as it is, so pages added later are checked too.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import functools
import html.parser
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET

CORE = '{http://www.gtk.org/introspection/core/1.0}'
GLIB = '{http://www.gtk.org/introspection/glib/1.0}'


class Page(html.parser.HTMLParser):
    """The ids and the links of one HTML page."""

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []
        with open(path, encoding='utf-8') as f:
            self.text = f.read()
        self.feed(self.text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ('id', 'name'):
            if attrs.get(key) and (key == 'id' or tag == 'a'):
                self.ids.add(attrs[key])
        for key in ('href', 'src'):
            if attrs.get(key) is not None:
                self.links.append((tag, attrs[key], self.getpos()[0]))


def internal_target(page_path, link):
    """(file, fragment) a link of @page_path points to in the site, or None
    for an external link."""
    parts = urllib.parse.urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith('//'):
        return None
    path = urllib.parse.unquote(parts.path)
    target = page_path if path == '' else os.path.normpath(
        os.path.join(os.path.dirname(page_path), path))
    return target, urllib.parse.unquote(parts.fragment)


def check_links(site, pages):
    errors = []
    parsed = functools.lru_cache(maxsize=None)(Page)
    for rel in pages:
        path = os.path.join(site, rel)
        for tag, link, line in parsed(path).links:
            if not link.strip():
                errors.append(f'{rel}:{line}: <{tag}> with an empty link')
                continue
            target = internal_target(path, link)
            if target is None:
                continue
            file, fragment = target
            where = f'{rel}:{line}: <{tag}> {link!r}'
            if not os.path.commonpath([site, file]) == site:
                errors.append(f'{where} leaves the site')
            elif os.path.isdir(file):
                if not os.path.exists(os.path.join(file, 'index.html')):
                    errors.append(f'{where} is a directory without index.html')
            elif not os.path.exists(file):
                errors.append(f'{where} does not exist')
            elif fragment and file.endswith('.html') and fragment not in parsed(file).ids:
                errors.append(f'{where}: no id {fragment!r} in {os.path.relpath(file, site)}')
    return errors


def expected_pages(gir):
    """The page gi-docgen makes for each public symbol of @gir, with what
    names it: {page: symbol}."""
    ns = ET.parse(gir).getroot().find(CORE + 'namespace')
    pages = {}

    def add(page, symbol):
        pages[page] = symbol

    kinds = {'class': 'class', 'interface': 'iface', 'record': 'struct', 'union': 'union',
             'enumeration': 'enum', 'bitfield': 'flags', 'callback': 'callback'}
    members = {'method': 'method', 'constructor': 'ctor', 'function': 'type_func',
               'virtual-method': 'vfunc', 'property': 'property', GLIB + 'signal': 'signal'}
    for child in ns:
        tag = child.tag[len(CORE):] if child.tag.startswith(CORE) else child.tag
        name = child.get('name')
        if tag == 'function':
            add(f'func.{name}.html', name)
        elif tag == 'constant':
            add(f'const.{name}.html', name)
        elif tag in kinds:
            if child.get(GLIB + 'is-gtype-struct-for'):
                continue          # documented in its class's page
            add(f'{kinds[tag]}.{name}.html', name)
            if tag == 'enumeration' and child.get(GLIB + 'error-domain'):
                pages.pop(f'enum.{name}.html')
                add(f'error.{name}.html', name)
            for member in child:
                mtag = member.tag.replace(CORE, '')
                if mtag in members or member.tag in members:
                    kind = members.get(mtag) or members[member.tag]
                    add(f'{kind}.{name}.{member.get("name")}.html', f'{name}.{member.get("name")}')
    return pages


def check_doc_markup(gir):
    """Doc comments that Markdown misreads: `*@name` outside backticks
    opens an italic run that swallows the text up to the next one."""
    errors = []
    for doc in ET.parse(gir).getroot().iter(CORE + 'doc'):
        text = re.sub(r'`[^`]*`', '', doc.text or '')
        if re.search(r'\*@\w', text):
            errors.append(f'{doc.get("filename")}:{doc.get("line")}: "*@" outside backticks '
                          'starts an italic run; write `*name`')
    return errors


def check_symbols(site, gir, pages):
    errors = []
    for page, symbol in sorted(expected_pages(gir).items()):
        if not os.path.exists(os.path.join(site, page)):
            errors.append(f'{symbol}: no page {page}')
    for rel in pages:
        text = Page(os.path.join(site, rel)).text
        count = text.count('No description available')
        if count:
            errors.append(f'{rel}: "No description available" {count} times')
    return errors


# [overflow in px, first line] of each code block wider than its box.
OVERFLOWING_CODE = '''
[...document.querySelectorAll('pre')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => [e.scrollWidth - e.clientWidth, e.textContent.split('\\n')[0]])
'''


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The site's files; /favicon.ico, which the browser asks the server
    for and the site does not ship, is answered with no content."""

    def do_GET(self):
        if self.path == '/favicon.ico':
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


class Chromium:
    """Headless Chromium driven through the DevTools protocol on a pipe
    (--remote-debugging-pipe: JSON messages ended by a NUL byte)."""

    def __init__(self, binary):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # The browser reads commands on its fd 3 and writes on its fd 4.
        self.proc = subprocess.Popen(
            [binary, '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
             '--disable-extensions', '--remote-debugging-pipe', 'about:blank'],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=lambda: (os.dup2(to_browser_r, 3),
                                                os.dup2(from_browser_w, 4)))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b''
        self.next_id = 0

    def send(self, method, session=None, **params):
        self.next_id += 1
        message = {'id': self.next_id, 'method': method, 'params': params}
        if session:
            message['sessionId'] = session
        os.write(self.to_browser, json.dumps(message).encode() + b'\0')
        return self.next_id

    def receive(self):
        while b'\0' not in self.buffer:
            chunk = os.read(self.from_browser, 65536)
            if not chunk:
                raise RuntimeError('Chromium exited')
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b'\0', 1)
        return json.loads(message)

    def call(self, method, session=None, events=None, **params):
        """The result of @method; the events met meanwhile go to @events."""
        wanted = self.send(method, session, **params)
        while True:
            message = self.receive()
            if message.get('id') == wanted:
                if 'error' in message:
                    raise RuntimeError(f'{method}: {message["error"]}')
                return message['result']
            if events is not None and 'method' in message:
                events.append(message)

    def open_tab(self):
        target = self.call('Target.createTarget', url='about:blank')['targetId']
        self.session = self.call('Target.attachToTarget', targetId=target,
                                 flatten=True)['sessionId']
        for domain in ('Page', 'Runtime', 'Log', 'Network'):
            self.call(f'{domain}.enable', self.session, [])
        # A desktop window, in which the theme shows the sidebar.
        self.call('Emulation.setDeviceMetricsOverride', self.session, [], width=1280,
                  height=900, deviceScaleFactor=1, mobile=False)

    def problems(self, url):
        """The console errors, exceptions and failed loads of @url."""
        events = []
        self.call('Page.navigate', self.session, events, url=url)
        while not any(e['method'] == 'Page.loadEventFired' for e in events):
            events.append(self.receive())
        # Whatever the page's scripts do once loaded (search, theme).
        self.call('Runtime.evaluate', self.session, events,
                  expression='new Promise(r => setTimeout(r, 100))', awaitPromise=True)
        found = [f'a code block {wider} px wider than its box: {line!r}'
                 for wider, line in self.call('Runtime.evaluate', self.session, events,
                                              expression=OVERFLOWING_CODE,
                                              returnByValue=True)['result']['value']]
        for e in events:
            if e.get('sessionId') != self.session:
                continue
            p = e.get('params', {})
            if e['method'] == 'Runtime.exceptionThrown':
                found.append('exception: ' + p['exceptionDetails'].get('text', '') + ' ' +
                             str(p['exceptionDetails'].get('exception', {}).get('description', '')))
            elif e['method'] == 'Runtime.consoleAPICalled' and p['type'] in ('error', 'assert'):
                found.append('console.error: ' + ' '.join(str(a.get('value', a.get('description')))
                                                          for a in p['args']))
            elif e['method'] == 'Log.entryAdded' and p['entry']['level'] == 'error':
                found.append(f'{p["entry"]["source"]}: {p["entry"]["text"]} '
                             f'{p["entry"].get("url", "")}')
            elif e['method'] == 'Network.loadingFailed' and not p.get('canceled'):
                found.append(f'load failed: {p["errorText"]}')
        return found

    def close(self):
        try:
            self.send('Browser.close')
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def check_in_chromium(site, pages, binary):
    handler = functools.partial(QuietHandler, directory=site)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f'http://127.0.0.1:{server.server_address[1]}/'
    browser = Chromium(binary)
    errors = []
    try:
        browser.open_tab()
        for rel in pages:
            for problem in browser.problems(base + urllib.parse.quote(rel)):
                errors.append(f'{rel}: {problem}')
    finally:
        browser.close()
        server.shutdown()
    return errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('site')
    parser.add_argument('gir')
    parser.add_argument('--chromium', default=shutil.which('chromium'))
    args = parser.parse_args()
    site = os.path.abspath(args.site)
    pages = sorted(os.path.relpath(os.path.join(d, f), site)
                   for d, _, files in os.walk(site) for f in files if f.endswith('.html'))
    if not pages:
        sys.exit(f'no page in {site}')

    errors = (check_links(site, pages) + check_symbols(site, args.gir, pages) +
              check_doc_markup(args.gir))
    if args.chromium:
        errors += check_in_chromium(site, pages, args.chromium)
    for error in errors:
        print(error)
    print(f'# {len(pages)} pages, {len(errors)} problems')
    if errors:
        sys.exit(1)
    if not args.chromium:
        print('# SKIP: no chromium to load the pages in')
        sys.exit(77)


if __name__ == '__main__':
    main()
