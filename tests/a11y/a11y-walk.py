#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a screen reader finds (issue 14): starts Storyloom on the sample story with the
accessibility bus on, walks its accessible tree over AT-SPI and fails on any control that can be
focused or clicked yet has no name, or a scene row that does not say its status in words. It
checks that the notice of a missing spelling dictionary is an alert named by its sentence. Then
it opens each dialog as a writer does, with real keys (xdotool) and the menus' mnemonics:
Preferences, the shortcuts window, About, the AI Disclosure, the Delete Story question,
Revision History, the prompt preview, "Replace Your Words?", the Trash and its Empty question;
walks each the same way, and closes it with Escape.

  a11y-walk.py STORYLOOM

It runs itself on a private session bus (dbus-run-session) with its own AT-SPI bus, under the
display the test has (xvfb-run), so it never touches the desktop's. Without pyatspi,
dbus-run-session, xdotool or a display it skips (exit 77).
"""

import os
import re
import shutil
import signal
import sqlite3
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
    if shutil.which('xdotool') is None:
        skip('xdotool is not installed (Debian package xdotool)')
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
        forget_bus_on_display()
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
    # A key, so that Generate asks before replacing the writer's words; the server is a closed
    # port on this machine: nothing leaves it.
    env.update(OPENROUTER_API_KEY='sk-or-a11y-walk-not-a-key',
               STORYLOOM_API_BASE='http://127.0.0.1:9/v1')
    env.update(GTK_A11Y='atspi', GSETTINGS_BACKEND='memory',
               XDG_CONFIG_HOME=os.path.join(scratch, 'config'),
               XDG_DATA_HOME=os.path.join(scratch, 'data'),
               XDG_CACHE_HOME=os.path.join(scratch, 'cache'))
    # The AT-SPI bus starts on demand (D-Bus activation of org.a11y.Bus) on the private bus.
    bus = None
    app = subprocess.Popen([sys.argv[1], '--db', os.path.join(scratch, 'library.db'),
                            '--sample'], env=env)
    try:
        return walk(pyatspi, app, os.path.join(scratch, 'library.db'))
    finally:
        app.terminate()
        app.wait()
        if bus is not None:
            bus.terminate()
            bus.wait()
        end_group()
        shutil.rmtree(scratch, ignore_errors=True)


def forget_bus_on_display():
    """The AT-SPI bus writes its address on the X root window (AT_SPI_BUS) and the bus is gone
    now: left there, it sends a window test run next on the same display to a dead bus
    ("Unable to connect to the accessibility bus")."""
    if not os.environ.get('DISPLAY'):
        return
    try:
        import ctypes
        import ctypes.util
        xlib = ctypes.cdll.LoadLibrary(ctypes.util.find_library('X11') or 'libX11.so.6')
    except OSError:
        return
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XDefaultRootWindow.restype = ctypes.c_ulong
    xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XDeleteProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = xlib.XOpenDisplay(None)
    if not display:
        return
    atom = xlib.XInternAtom(display, b'AT_SPI_BUS', 1)
    if atom:
        xlib.XDeleteProperty(display, xlib.XDefaultRootWindow(display), atom)
    xlib.XCloseDisplay(display)


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


def walk(pyatspi, app_process, library):
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

    seen, nameless, rows = survey(pyatspi, window)
    print(f'# {seen} accessible objects on screen')
    failed = report(1, 'every control of the window has an accessible name', nameless)
    # The sample story has drafted, draft-only and failed scenes: their rows say so in words.
    said = [word for word in ('Complete', 'Draft', 'failed') if any(word in r for r in rows)]
    if len(said) < 3:
        failed = 1
        print(f'not ok 2 - scene rows say their status in words: found {said} in {rows[:12]}')
    else:
        print('ok 2 - scene rows say their status in words')

    # Before the tour, which deletes the open scene: the spelling notice needs one open.
    failed |= check_spell_notice(pyatspi, window, library, 3)
    tour = DialogTour(pyatspi, app, window, app_process.pid)
    number = 4
    for what, opening in tour.dialogs():
        failed |= tour.check(number, what, opening)
        number += 1
    print(f'1..{number - 1}')
    return failed


def set_spell_language(library, language):
    """Another program changes the story's spelling language, as a library from another
    computer brings one; the window follows it."""
    connection = sqlite3.connect(library, timeout=30)
    try:
        with connection:
            connection.execute('UPDATE stories SET spell_language = ?', (language,))
    finally:
        connection.close()


def check_spell_notice(pyatspi, window, library, number):
    """The notice of a missing dictionary (issue 17) is an alert named by its sentence, what a
    screen reader says of it; closed (here: the language set back), it is gone from the tree."""
    what = 'the missing-dictionary notice is an alert named by its sentence'
    sentence = 'No spelling dictionary for “xx_XX” is installed'

    def alert():
        window.clear_cache()
        return pyatspi.findDescendant(window, lambda a: a.getRoleName() == 'alert')

    set_spell_language(library, 'xx_XX')
    found = wait_for('the spelling notice', alert, seconds=30)
    name = (found.name or '').strip()
    set_spell_language(library, None)
    if not name.startswith(sentence):
        print(f'not ok {number} - {what}: the alert is named “{name}”')
        return 1
    wait_for('the spelling notice gone', lambda: alert() is None, seconds=30)
    print(f'ok {number} - {what}')
    return 0


def report(number, what, nameless):
    if nameless:
        print(f'not ok {number} - {what}: {len(nameless)} controls have none')
        for entry in nameless:
            print(f'#   {entry}')
        return 1
    print(f'ok {number} - {what}')
    return 0


# Containers GTK makes focusable (scrolled areas, boxes, lists, selectable labels) are no
# controls; a separator is, where it takes the focus (the character panel's edge).
NOT_CONTROLS = ('scroll pane', 'panel', 'filler', 'list', 'label', 'frame', 'window',
                'scroll bar', 'form', 'dialog')


def survey(pyatspi, root):
    """Walks ROOT's accessible tree: how many objects, the controls without a name (as paths),
    and the names of list rows."""
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
        if interactive and role not in NOT_CONTROLS and unnamed:
            nameless.append(' > '.join(here[-4:]))
        if role in ('list item', 'tree item') and name:
            rows.append(name)
        for i in range(node.childCount):
            visit(node.getChildAtIndex(i), here)

    visit(root, [])
    return seen, nameless, rows


def press(*keys, window=None):
    """Real keys through the X server, one after the other, to WINDOW (an X id) or to the
    window that has the focus."""
    for key in keys:
        command = ['xdotool']
        if window is not None:
            command += ['windowfocus', '--sync', window]
        subprocess.run(command + ['key', '--clearmodifiers', key], check=True)
        time.sleep(0.4)


BUTTONS = ('push button', 'toggle button')
MENU_ITEMS = ('menu item', 'check menu item', 'radio menu item')


class DialogTour:
    """Opens each dialog the way a writer does and walks it."""

    def __init__(self, pyatspi, app, window, pid):
        self.pyatspi = pyatspi
        self.app = app
        self.window = window
        self.pid = pid
        self.xid = None

    def main_window(self):
        """The main window's X id: keys for it go there."""
        if self.xid is None:
            found = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid',
                                    str(self.pid)], capture_output=True, text=True).stdout
            self.xid = found.split()[0]
        return self.xid

    def toplevels(self):
        windows = []
        for i in range(self.app.childCount):
            child = self.app.getChildAtIndex(i)
            try:
                if child is not None and child.getState().contains(self.pyatspi.STATE_VISIBLE):
                    windows.append(child)
            except Exception:
                pass
        return windows

    def find(self, root, roles, name):
        # GTK 4.8 names a button by its accessible label and then its text ("Empty Trash
        # Empty Trash…"): the name is looked for at its start.
        return self.pyatspi.findDescendant(
            root, lambda a: a.getRoleName() in roles and
            (a.name or '').strip().startswith(name))

    def click(self, root, roles, name):
        """Activates a control over AT-SPI, as a screen reader's user does: a menu button's
        action is its inner button's."""
        control = wait_for(f'{name}', lambda: self.find(root, roles, name) or
                           self.find(self.window, roles, name), seconds=30)
        for node in [control] + [control.getChildAtIndex(i) for i in range(control.childCount)]:
            try:
                if node is not None and node.queryAction().nActions > 0:
                    node.queryAction().doAction(0)
                    time.sleep(0.4)
                    return
            except NotImplementedError:
                pass
        print(f'Bail out! {name} has no action to do')
        sys.exit(1)

    def dialogs(self):
        main = self.main_window
        return [
            # First, while the keyboard is where the window put it, on the open scene's row.
            ('the Trash with a deleted scene (Delete, F4, T)', self.open_trash),
            ('the Empty Trash question (Empty Trash…)', self.open_empty_trash),
            ('Preferences (Ctrl+,)', lambda: press('ctrl+comma', window=main())),
            ('the shortcuts window (Ctrl+?)', lambda: press('ctrl+question', window=main())),
            ('About (F10, A)', lambda: press('F10', 'a', window=main())),
            ('the AI Disclosure (F4, A)', lambda: press('F4', 'a', window=main())),
            # Two items of the story menu take D: the item is chosen over AT-SPI.
            ('the Delete Story question (F4, Delete Story…)', self.open_delete_story),
            ('Revision History (Generate, Revision History…)', self.open_history),
            ('the prompt preview (Generate, P)', self.open_prompt),
            ('"Replace Your Words?" (typing, then Generate, Regenerate Scene)',
             self.open_replace),
        ]

    def open_delete_story(self):
        press('F4', window=self.main_window())
        self.click(self.window, MENU_ITEMS, 'Delete Story…')

    def open_history(self):
        self.click(self.window, BUTTONS, 'Generate')
        self.click(self.window, MENU_ITEMS, 'Revision History…')

    def open_prompt(self):
        self.click(self.window, BUTTONS, 'Generate')
        press('p')

    def focus_region(self, is_region, what):
        """Presses F6 until the keyboard is in the region IS_REGION tells."""
        for _ in range(6):
            focused = self.pyatspi.findDescendant(
                self.window, lambda a: a.getState().contains(self.pyatspi.STATE_FOCUSED))
            if focused is not None and is_region(focused):
                return
            press('F6', window=self.main_window())
        print(f'Bail out! F6 does not reach {what}')
        sys.exit(1)

    def open_replace(self):
        # The prose is the one multi-line text of the editor that is not the outline.
        self.focus_region(lambda a: a.getRoleName() == 'text' and
                          a.getState().contains(self.pyatspi.STATE_MULTI_LINE) and
                          (a.name or '').strip() != 'Outline', 'the prose')
        press('ctrl+End', 'space', 'W', 'o', 'r', 'd', 's', window=self.main_window())
        # Ctrl+Return is Generate, for a scene without prose: this one has some.
        self.click(self.window, BUTTONS, 'Generate')
        self.click(self.window, MENU_ITEMS, 'Regenerate Scene')

    def open_trash(self):
        # The open scene's row, deleted with the Delete key: the Trash has a row to show. (Done
        # after F6 had shown the focus, GTK 4.8 warned of snapshotting a gizmo without a size:
        # see the report of issue 14.)
        self.focus_region(lambda a: a.getRoleName() in ('list item', 'tree item'), 'the sidebar')
        press('Delete', window=self.main_window())
        time.sleep(1)
        press('F4', 't', window=self.main_window())

    def open_empty_trash(self):
        trash = wait_for('the Trash', lambda: self.named_toplevel('Trash'), seconds=30)
        self.click(trash, BUTTONS, 'Empty Trash')

    def named_toplevel(self, name):
        for window in self.toplevels():
            if (window.name or '').strip() == name:
                return window
        return None

    def check(self, number, what, opening):
        before = self.toplevels()
        opening()

        def opened():
            new = [w for w in self.toplevels() if w not in before]
            return new[-1] if new else None

        dialog = wait_for(what, opened, seconds=60)
        # Its controls are added as it maps.
        time.sleep(1)
        seen, nameless, _ = survey(self.pyatspi, dialog)
        title = (dialog.name or '').strip()
        print(f'# {what}: “{title}”, {seen} accessible objects')
        if not title or UNNAMED.match(title):
            nameless.insert(0, f'{dialog.getRoleName()} (the dialog itself)')
        failed = report(number, f'every control of {what} has an accessible name', nameless)
        # The Trash stays open for its Empty question.
        if 'Empty Trash' in what:
            press('Escape')
            press('Escape')
        elif 'Trash' not in what:
            press('Escape')
        wait_for(f'{what} to close', lambda: dialog not in self.toplevels() or 'Trash' in what,
                 seconds=30)
        return failed


if __name__ == '__main__':
    sys.exit(main())
