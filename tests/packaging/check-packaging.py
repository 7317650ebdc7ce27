#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The packaging checks of issue 14, one per meson test:

  check-packaging.py manifest MANIFEST APP_ID
  check-packaging.py metainfo METAINFO DEVELOPER_NAME
  check-packaging.py manpage MANPAGE CLI
  check-packaging.py install BUILDDIR

Each prints what it found wrong, one line a problem, and exits 1 if anything was.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

problems = []


def problem(text):
    problems.append(text)
    print('not ok: ' + text)


def check_manifest(path, app_id):
    """The Flatpak manifest: valid JSON, on the GNOME 43 runtime our stack matches, and
    accepted by flatpak-builder itself where it is installed."""
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        problem(f'{path} is not valid JSON: {error}')
        return
    expected = {
        'id': app_id,
        'runtime': 'org.gnome.Platform',
        'runtime-version': '43',
        'sdk': 'org.gnome.Sdk',
        'command': 'storyloom',
    }
    for key, value in expected.items():
        if manifest.get(key) != value:
            problem(f'"{key}" is {manifest.get(key)!r}, not {value!r}')
    known = {'id', 'app-id', 'runtime', 'runtime-version', 'sdk', 'command', 'finish-args',
             'cleanup', 'modules', 'build-options', 'cleanup-commands', 'rename-icon',
             'rename-desktop-file', 'rename-appdata-file', 'separate-locales', 'sdk-extensions'}
    for key in manifest:
        if key not in known:
            problem(f'unknown key "{key}"')
    args = manifest.get('finish-args', [])
    for needed in ('--share=network', '--socket=wayland', '--socket=fallback-x11',
                   '--talk-name=org.freedesktop.secrets'):
        if needed not in args:
            problem(f'finish-args lack {needed}')
    for arg in args:
        if arg in ('--filesystem=home', '--filesystem=host', '--socket=session-bus'):
            problem(f'finish-args give away more than Storyloom needs: {arg}')
    modules = manifest.get('modules') or []
    if not modules or not isinstance(modules[-1], dict):
        problem('no module builds Storyloom')
    else:
        last = modules[-1]
        if last.get('buildsystem') != 'meson':
            problem('the last module is not built with meson')
        sources = last.get('sources') or []
        if not any(s.get('type') == 'dir' and
                   os.path.isfile(os.path.join(os.path.dirname(path), s.get('path', ''),
                                               'meson.build'))
                   for s in sources if isinstance(s, dict)):
            problem('the Storyloom module\'s source is not this tree')

    builder = shutil.which('flatpak-builder')
    if builder is None:
        print('# flatpak-builder is not installed: its own parse is skipped')
        return
    # flatpak-builder leaves its state folder where it runs: not in the source tree.
    with tempfile.TemporaryDirectory(prefix='storyloom-manifest-') as scratch:
        run = subprocess.run([builder, '--show-manifest', os.path.abspath(path)],
                             cwd=scratch, capture_output=True, text=True)
    if run.returncode != 0 or 'WARNING' in run.stderr or 'Unknown' in run.stderr:
        problem('flatpak-builder --show-manifest: ' + (run.stderr.strip() or 'failed'))


def check_metainfo(path, developer_name):
    """appstreamcli without a single warning, and what software centres show."""
    tool = shutil.which('appstreamcli')
    if tool is not None:
        run = subprocess.run([tool, 'validate', '--no-net', '--explain', path],
                             capture_output=True, text=True)
        for line in run.stdout.splitlines():
            if re.match(r'^[EW]: ', line):
                problem('appstreamcli: ' + line)
        if run.returncode != 0:
            problem('appstreamcli validate failed:\n' + run.stdout + run.stderr)
    else:
        print('# appstreamcli is not installed: its validation is skipped')

    root = ET.parse(path).getroot()
    urls = {u.get('type'): u.text for u in root.findall('url')}
    for kind in ('homepage', 'bugtracker', 'translate'):
        if not urls.get(kind):
            problem(f'no <url type="{kind}">')
    if root.findtext('project_license') != 'GPL-3.0-or-later':
        problem('project_license is not GPL-3.0-or-later')
    if root.findtext('developer_name') != developer_name:
        problem(f'developer_name is {root.findtext("developer_name")!r}, '
                f'the About window says {developer_name!r}')
    translation = root.find('translation')
    if translation is None or translation.get('type') != 'gettext' or \
       translation.text != 'storyloom':
        problem('no <translation type="gettext">storyloom</translation>')
    length = root.find('requires/display_length')
    if length is None or int(length.text) > 360:
        problem('<requires> has no display_length of at most 360')
    # The screenshots are the repository's own, taken by build-aux/screenshots.sh.
    source_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for image in root.findall('screenshots/screenshot/image'):
        name = image.text.split('/main/', 1)[-1]
        if not os.path.isfile(os.path.join(source_root, name)):
            problem(f'the screenshot {name} is not in the repository')
    for width in (360, 800, 1400):
        name = f'docs/screenshots/storyloom-{width}.png'
        if not os.path.isfile(os.path.join(source_root, name)):
            problem(f'no screenshot {width} px wide ({name})')
    releases = root.findall('releases/release')
    if not releases:
        problem('no release')
    for release in releases:
        if release.find('description') is None:
            problem(f'release {release.get("version")} has no notes')


def check_manpage(path, cli):
    """groff reads the page without a warning, and every command of --help is in it."""
    groff = shutil.which('groff')
    if groff is not None:
        run = subprocess.run([groff, '-man', '-ww', '-z', path], capture_output=True, text=True)
        if run.returncode != 0 or run.stderr.strip():
            problem('groff: ' + run.stderr.strip())
    with open(path, encoding='utf-8') as f:
        page = f.read()
    # The page's text without font escapes, hyphen escapes and macro names.
    text = re.sub(r'\\f[BIRP]', '', page).replace('\\-', '-')
    text = re.sub(r'^\.[A-Z]+ ?', '', text, flags=re.M).replace('"', '')
    text = re.sub(r'\s+', ' ', text)
    usage = subprocess.run([cli, '--help'], capture_output=True, text=True, check=True).stdout
    commands = 0
    for line in usage.splitlines():
        match = re.match(r'^  ([a-z]+(?: [a-z]+)?)\b', line)
        if not match:
            continue
        words = match.group(1).split()
        # "story new", "toon decode"; single-word commands stand alone
        if len(words) == 2 and words[1].upper() == words[1]:
            words = words[:1]
        command = ' '.join(words)
        commands += 1
        if command not in text:
            problem(f'the manual does not describe "{command}"')
        for option in re.findall(r'--[a-z-]+', line):
            if option not in text:
                problem(f'the manual does not describe {option} (of "{command}")')
    for option in re.findall(r'--[a-z-]+', usage.splitlines()[0]):
        if option not in text:
            problem(f'the manual does not describe {option}')
    if commands < 10:
        problem(f'only {commands} commands found in --help: has its layout changed?')


def check_install(builddir):
    """meson install into a DESTDIR puts the programs, the manual and the licence in place."""
    with tempfile.TemporaryDirectory(prefix='storyloom-install-') as destdir:
        env = dict(os.environ, DESTDIR=destdir)
        run = subprocess.run(['meson', 'install', '-C', builddir, '--no-rebuild',
                              '--destdir', destdir, '--quiet'],
                             capture_output=True, text=True, env=env)
        if run.returncode != 0:
            problem('meson install failed:\n' + run.stdout + run.stderr)
            return
        files = []
        for top, _, names in os.walk(destdir):
            files += [os.path.relpath(os.path.join(top, n), destdir) for n in names]

        def installed(suffix):
            return [f for f in files if f.endswith(suffix)]

        for suffix in ('/bin/storyloom', '/bin/storyloom-cli', '/man1/storyloom-cli.1',
                       '/licenses/storyloom/COPYING',
                       '/applications/io.github.storyloom.Storyloom.desktop',
                       '/metainfo/io.github.storyloom.Storyloom.metainfo.xml',
                       '/de/LC_MESSAGES/storyloom.mo'):
            if not installed(suffix):
                problem(f'nothing installed as …{suffix}')
        for licence in installed('/licenses/storyloom/COPYING'):
            with open(os.path.join(destdir, licence), encoding='utf-8') as f:
                if 'GNU GENERAL PUBLIC LICENSE' not in f.read(400):
                    problem('the installed COPYING is not the GPL')


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    mode = argv[1]
    if mode == 'manifest':
        check_manifest(argv[2], argv[3])
    elif mode == 'metainfo':
        check_metainfo(argv[2], argv[3])
    elif mode == 'manpage':
        check_manpage(argv[2], argv[3])
    elif mode == 'install':
        check_install(argv[2])
    else:
        print(__doc__)
        return 2
    if not problems:
        print(f'ok: {mode}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
