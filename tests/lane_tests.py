#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the test cases that need KVM inside a lane guest (runner/lane/lane.sh),
against the guest kernel's own kvm_amd (QEMU TCG) or kvm_intel (Bochs).

Which programs: every test of meson's 'kvm' suite, read from the build's
meson-info/intro-tests.json, so a new one is picked up by being put in that
suite. Which cases: those tagged 'kvm' (tests/kvm_test.h), selected in the
guest with CK_INCLUDE_TAGS. The programs, and the files their arguments name,
go into the guest at their own absolute paths, with their shared libraries.

Prints, for each program, a section that tests/summarize.py counts as a test
of its own:
    == NAME@lane-VENDOR: exit STATUS
    <the program's output>
A boot that hangs, crashes or sends nothing back fails, with the console's
last lines. Where the lane cannot run (no emulator, no kernel package), the
cases are run here instead, where they skip with their own count and reason
(they need KVM), and the lane's reason is added to it.

usage: lane_tests.py --vendor amd|intel BUILD_DIR CACHE_DIR
       [--only NAME[,NAME]] [--repeat N] [--case-timeout-factor F]
--repeat N runs each program N times in the one boot (sections NAME#K@LANE):
how a timed assertion is shown to hold run after run.
Exit status: 0 every program passed (or skipped), 1 otherwise.
"""
import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import shutil
import tempfile
import time

TAG = 'kvm'
# Emulated KVM is slower than a real one: each program's own meson timeout
# is stretched by this (TCG, Bochs).
FACTOR = {'amd': 3, 'intel': 40}
BOOT_ALLOWANCE = {'amd': 120, 'intel': 900}
# lane.sh's words for a guest whose kernel hung (not for a test that failed).
STUCK = re.compile(r"locked up|console has been silent|did not finish within")


def keep_failure(tmp, out, build, label, attempt):
    """The failed boot's console and CPU dump, kept under the build's logs."""
    dest = os.path.join(build, 'meson-logs', '%s-failed-%d' % (label, attempt))
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest, exist_ok=True)
    for src in (out + '.console', os.path.join(out, 'cpus.txt')):
        if os.path.isfile(src):
            shutil.copy(src, dest)
    return dest


def kvm_tests(build, only):
    with open(os.path.join(build, 'meson-info', 'intro-tests.json')) as f:
        tests = json.load(f)
    picked = [t for t in tests
              if any(s == TAG or s.endswith(':' + TAG) for s in t.get('suite', []))]
    if only:
        picked = [t for t in picked if t['name'] in only]
    return sorted(picked, key=lambda t: t['name'])


def files_for(test, build):
    """The program and every argument that names a file, or a directory's
    files, at their real paths (a relative one is relative to where meson runs
    the test)."""
    paths = []
    for a in test['cmd']:
        a = os.path.join(test.get('workdir') or build, a)
        if os.path.isfile(a):
            paths.append(os.path.realpath(a))
        elif os.path.isdir(a):
            for d, _, files in os.walk(os.path.realpath(a)):
                paths += [os.path.join(d, f) for f in sorted(files)
                          if os.path.isfile(os.path.join(d, f))]
    return paths


def runs(tests, repeat):
    """(section name, test) for each run of each test."""
    if repeat == 1:
        return [(t['name'], t) for t in tests]
    return [('%s#%d' % (t['name'], k), t) for t in tests for k in range(1, repeat + 1)]


def guest_script(tests, build, factor, repeat):
    # Check's own per-case bounds stretch as the program's bound does.
    lines = ['export CK_INCLUDE_TAGS=%s' % TAG,
             'export CK_TIMEOUT_MULTIPLIER=%d' % max(1, round(factor))]
    for name, t in runs(tests, repeat):
        bound = int((t.get('timeout') or 30) * factor)
        cmd = ' '.join(shlex.quote(a) for a in t['cmd'])
        workdir = shlex.quote(t.get('workdir') or build)
        lines.append('mkdir -p %s && cd %s' % (workdir, workdir))
        lines.append('echo "LANE-TEST: %s" >/dev/ttyS0; timeout -s KILL %d %s >/out/t-%s.out 2>&1; '
                     'echo $? >/out/t-%s.rc' % (name, bound, cmd, name, name))
    return '\n'.join(lines) + '\n'


def run_lane(cmd):
    """lane.sh, stopped (and its emulator with it: its trap) if this script is."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         errors='replace')
    try:
        p.stdout, p.stderr = p.communicate()
    except BaseException:
        p.terminate()
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
        raise
    return p


def tail(path, n):
    try:
        with open(path, errors='replace') as f:
            return [l.rstrip('\r\n') for l in f.readlines()[-n:]]
    except OSError:
        return ['(no console: %s)' % path]


def run_here(tests, label, lane_reason):
    """The lane cannot run: the cases run here, where they say why they skip."""
    env = dict(os.environ, CK_INCLUDE_TAGS=TAG)
    env.pop('VMEXIT_KVM_CASES', None)
    ok = True
    for t in tests:
        p = subprocess.run(t['cmd'], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors='replace')
        out = re.sub(r'^(SKIP: \d+ tests?: .*)$',
                     lambda m: m.group(1) + '; the lane cannot run either: ' + lane_reason,
                     p.stdout, flags=re.M)
        print('== %s@%s: exit %d' % (t['name'], label, p.returncode))
        print(out, end='' if out.endswith('\n') else '\n')
        ok &= p.returncode in (0, 77)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--vendor', choices=('amd', 'intel'), required=True)
    ap.add_argument('--only', default='', help='comma-separated test names')
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--case-timeout-factor', type=float, default=None)
    ap.add_argument('build')
    ap.add_argument('cache')
    a = ap.parse_args()
    build = os.path.realpath(a.build)
    src = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    label = 'lane-' + a.vendor
    tests = kvm_tests(build, set(filter(None, a.only.split(','))))
    if not tests:
        print('lane_tests: no test of the %r suite in %s' % (TAG, build))
        return 1
    factor = a.case_timeout_factor or FACTOR[a.vendor]
    bound = BOOT_ALLOWANCE[a.vendor] + a.repeat * sum(int((t.get('timeout') or 30) * factor)
                                                      for t in tests)
    files = sorted({f for t in tests for f in files_for(t, build)})
    with tempfile.TemporaryDirectory(prefix='vmexit-lanetests.') as tmp:
        out = os.path.join(tmp, 'out')
        cmd = ['sh', os.path.join(src, 'runner', 'lane', 'lane.sh'), '--vendor', a.vendor,
               '--bin', os.path.join(build, 'vmexit-bench'), '--cache', a.cache,
               '--out', out, '--timeout', str(bound),
               '--guest-cmd', guest_script(tests, build, factor, a.repeat)]
        for f in files:
            cmd += ['--add-at-path', f]
        for attempt in (1, 2):
            start = time.monotonic()
            p = run_lane(cmd)
            wall = time.monotonic() - start
            err = p.stderr.strip().splitlines()
            last = err[-1] if err else '(nothing on stderr)'
            if p.returncode == 77:
                return 0 if run_here(tests, label, re.sub(r'^lane: SKIP: ', '', last)) else 1
            if p.returncode == 0:
                break
            print('lane_tests: FAIL: the %s boot (%d programs, bound %d s) failed after %.0f s: '
                  '%s; the console\'s last lines:' % (label, len(tests), bound, wall, last))
            for line in tail(out + '.console', 30):
                print('lane_tests:   | ' + line)
            kept = keep_failure(tmp, out, build, label, attempt)
            print('lane_tests: its console and CPU state: %s' % kept)
            # The emulated guest's own hang (docs/real-kvm.md): booted once more,
            # said here and in the summary; anything else fails at once.
            if attempt == 2 or not STUCK.search(last):
                return 1
            print('lane_tests: RETRY: the emulated guest hung (above); booting it once more')
            shutil.rmtree(out, ignore_errors=True)
        print('lane_tests: %s: %d programs in one boot, %.0f s wall (%s)' %
              (label, len(tests), wall, ', '.join(t['name'] for t in tests)))
        ok = True
        for name, t in runs(tests, a.repeat):
            try:
                with open(os.path.join(out, 't-%s.rc' % name)) as f:
                    rc = int(f.read().strip() or -1)
                with open(os.path.join(out, 't-%s.out' % name), errors='replace') as f:
                    text = f.read()
            except (OSError, ValueError) as e:
                rc, text = -1, 'lane_tests: the guest left no status for %s: %s\n' % (name, e)
            if rc == 137:
                text += 'lane_tests: %s was killed at its bound in the guest\n' % name
            elif rc == 77:	# the guest has KVM: nothing may skip for want of it
                text += 'lane_tests: %s skipped inside the guest, which has KVM\n' % name
                rc = 1
            print('== %s@%s: exit %d' % (name, label, rc))
            print(text, end='' if text.endswith('\n') else '\n')
            ok &= rc == 0
        return 0 if ok else 1


if __name__ == '__main__':
    # A stop (meson's timeout, Ctrl-C) ends the lane too: SystemExit unwinds
    # through run_lane, which stops lane.sh, whose trap stops the emulator.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda s, f: sys.exit(128 + s))
    sys.exit(main())
