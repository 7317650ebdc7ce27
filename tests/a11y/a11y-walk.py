#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a screen reader finds (issue 14): starts Storyloom on the sample story with the
accessibility bus on, walks its accessible tree over AT-SPI and fails on any control that can be
focused or clicked yet has no name, or a scene row that does not say its status in words.

  a11y-walk.py STORYLOOM

It runs itself on a private session bus (dbus-run-session) with its own AT-SPI bus, under the
display the test has (xvfb-run), so it never touches the desktop's. Without pyatspi,
dbus-run-session or a display it skips (exit 77).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
MARKER = 'STORYLOOM_A11Y_PRIVATE_BUS'


def skip(reason):
    print(f'1..0 # SKIP {reason}')
    sys.exit(SKIP)


def wait_for(what, condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    print(f'Bail out! timed out waiting for {what}')
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
        skip('no display: run under xvfb-run -a')
    if os.environ.get(MARKER) is None:
        runner = shutil.which('dbus-run-session')
        if runner is None:
            skip('dbus-run-session is not installed (Debian package dbus)')
        env = dict(os.environ, **{MARKER: '1'})
        # libatspi in this process warns about objects that vanish while it walks: G_DEBUG's
        # fatal-warnings is for Storyloom only.
        env['STORYLOOM_A11Y_G_DEBUG'] = env.pop('G_DEBUG', '')
        # A process group of its own, so that whatever the private bus started (the AT-SPI bus,
        # its registry, a keyring) can be ended with it.
        run = subprocess.Popen([runner, '--', sys.executable, os.path.abspath(__file__),
                                sys.argv[1]], env=env, start_new_session=True)
        status = run.wait()
        try:
            os.killpg(run.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return status
    # The AT-SPI bus of this private session (started by D-Bus activation). Named outright:
    # else GTK and libatspi may take the one an earlier window test left in the X root
    # window's AT_SPI_BUS property.
    try:
        reply = subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.a11y.Bus',
                                '--object-path', '/org/a11y/bus',
                                '--method', 'org.a11y.Bus.GetAddress'],
                               capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as error:
        skip(f'no AT-SPI bus (Debian package at-spi2-core): {error}')
    match = re.search(r"'([^']+)'", reply)
    if match is None:
        skip(f'no AT-SPI bus address in {reply!r}')
    os.environ['AT_SPI_BUS_ADDRESS'] = match.group(1)
    try:
        import pyatspi
    except ImportError:
        skip('pyatspi is not installed (Debian package python3-pyatspi)')

    scratch = tempfile.mkdtemp(prefix='storyloom-a11y-')
    env = dict(os.environ)
    # The tests' environment turns the bridge off for every other window test.
    env.pop('NO_AT_BRIDGE', None)
    if env.get('STORYLOOM_A11Y_G_DEBUG'):
        env['G_DEBUG'] = env['STORYLOOM_A11Y_G_DEBUG']
    env.update(GTK_A11Y='atspi', GSETTINGS_BACKEND='memory',
               XDG_CONFIG_HOME=os.path.join(scratch, 'config'),
               XDG_DATA_HOME=os.path.join(scratch, 'data'),
               XDG_CACHE_HOME=os.path.join(scratch, 'cache'))
    # The AT-SPI bus starts on demand (D-Bus activation of org.a11y.Bus) on the private bus.
    bus = None
    app = subprocess.Popen([sys.argv[1], '--db', os.path.join(scratch, 'library.db'),
                            '--sample'], env=env)
    try:
        return walk(pyatspi, app)
    finally:
        app.terminate()
        app.wait()
        if bus is not None:
            bus.terminate()
            bus.wait()
        end_group()
        shutil.rmtree(scratch, ignore_errors=True)


def end_group():
    """Ends what the private bus activated (they share this process group) while the bus is
    still there: left alone, they outlive it and start a session bus of their own."""
    me, group = os.getpid(), os.getpgid(0)
    for entry in os.listdir('/proc'):
        if not entry.isdigit() or int(entry) in (me, os.getppid()):
            continue
        try:
            if os.getpgid(int(entry)) == group:
                os.kill(int(entry), signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass


def find_app(pyatspi, pid):
    try:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            child = desktop.getChildAtIndex(i)
            if child is not None and child.get_process_id() == pid:
                return child
    except Exception:
        pass
    return None


UNNAMED = re.compile(r'^(Gtk|Adw|Loom)[A-Z][A-Za-z]*$')

CONTROLS = {'push button', 'toggle button', 'check box', 'radio button', 'combo box',
            'menu item', 'check menu item', 'radio menu item', 'slider', 'spin button',
            'switch', 'entry', 'password text', 'text', 'link', 'list item', 'tree item',
            'page tab', 'toggle button'}


def walk(pyatspi, app_process):
    def registered():
        if app_process.poll() is not None:
            print(f'Bail out! Storyloom exited with status {app_process.returncode}')
            sys.exit(1)
        return find_app(pyatspi, app_process.pid)

    # Generous: under a sanitizer and a loaded machine the first frame takes a while.
    app = wait_for('Storyloom on the accessibility bus', registered, seconds=90)

    def window_ready():
        for i in range(app.childCount):
            window = app.getChildAtIndex(i)
            if window is None:
                continue
            # Ready once the sidebar's rows exist.
            found = pyatspi.findDescendant(
                window, lambda a: a.getRoleName() in ('list item', 'tree item'))
            if found is not None:
                return window
        return None

    window = wait_for('the window and its sidebar rows', window_ready, seconds=90)
    time.sleep(1)

    nameless = []
    rows = []
    seen = 0

    def visit(node, path):
        nonlocal seen
        if node is None:
            return
        try:
            role = node.getRoleName()
            states = node.getState()
            name = (node.name or '').strip()
        except Exception:
            return
        # GTK 4.8 reports no "showing" state: hidden pages are walked too, and their controls
        # need names as much.
        if not states.contains(pyatspi.STATE_VISIBLE):
            return
        seen += 1
        here = path + [f'{role} “{name}”' if name else role]
        try:
            actions = node.queryAction().nActions
        except NotImplementedError:
            actions = 0
        interactive = role in CONTROLS or states.contains(pyatspi.STATE_FOCUSABLE) or actions > 0
        # GTK 4.8 names what has no label after its class ("GtkImage"): that is no name.
        unnamed = not name or UNNAMED.match(name)
        # Scrolled areas, boxes, lists and selectable labels are focusable but not controls.
        if interactive and role not in ('scroll pane', 'panel', 'filler', 'list', 'label',
                                        'frame', 'window', 'separator', 'scroll bar',
                                        'form') and unnamed:
            nameless.append(' > '.join(here[-4:]))
        if role in ('list item', 'tree item') and name:
            rows.append(name)
        for i in range(node.childCount):
            visit(node.getChildAtIndex(i), here)

    visit(window, [])
    print(f'# {seen} accessible objects on screen')
    failed = 0
    if nameless:
        failed = 1
        print(f'not ok 1 - {len(nameless)} controls have no accessible name')
        for entry in nameless:
            print(f'#   {entry}')
    else:
        print('ok 1 - every control on screen has an accessible name')
    # The sample story has drafted, draft-only and failed scenes: their rows say so in words.
    said = [word for word in ('Complete', 'Draft', 'failed') if any(word in r for r in rows)]
    if len(said) < 3:
        failed = 1
        print(f'not ok 2 - scene rows say their status in words: found {said} in {rows[:12]}')
    else:
        print('ok 2 - scene rows say their status in words')
    print('1..2')
    return failed


if __name__ == '__main__':
    sys.exit(main())
