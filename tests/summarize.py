#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Totals a meson testlog.json: Check test cases from each suite's summary
line, SKIP lines of tests that cannot run here, one case per script test.

A test whose output has sections "== NAME: exit STATUS" (tests/lane_tests.py:
the programs it ran in a lane guest) is counted section by section, each as
a test of its own. A program whose KVM cases run in the lane instead says
so with a NOTE line, and those cases are counted there, not here."""
import json
import re
import sys

CHECK = re.compile(r'^\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)', re.M)
SKIP = re.compile(r'^SKIP: (\d+) tests?: (.*)$', re.M)
NOTE = re.compile(r'^NOTE: (\d+) tests? need KVM .*$', re.M)
SECTION = re.compile(r'^== (\S+): exit (-?\d+)$', re.M)


class Totals:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def add(self, name, result, out):
        """One test: @result is meson's (OK, FAIL, SKIP, TIMEOUT, ...)."""
        checks = CHECK.findall(out)
        skips = SKIP.findall(out)    # one line per group of cases that cannot run here
        note = NOTE.search(out)
        if note:
            print('%-28s %s' % (name, note.group(0)))
        if result == 'SKIP':
            if note and not skips:
                return
            for n, why in skips or [('1', 'skipped')]:
                print('%-28s SKIP %s: %s' % (name, n, why))
                self.skipped += int(n)
        elif checks:
            total = sum(int(c[0]) for c in checks)
            bad = sum(int(c[1]) + int(c[2]) for c in checks)
            if result != 'OK' and bad == 0:
                bad = 1    # crashed or exited non-zero after its summary
            print('%-28s %s: %d checks, %d failed' % (name, result, total, bad))
            self.passed += total - bad if total >= bad else 0
            self.failed += bad
            for n, why in skips:    # some of its cases could not run here
                print('%-28s SKIP %s: %s' % (name, n, why))
                self.skipped += int(n)
        else:
            ok = result == 'OK'
            print('%-28s %s' % (name, result))
            self.passed += ok
            self.failed += not ok

    def add_sections(self, result, out, marks):
        """A lane test: each section a test; the wrapper fails on its own only
        when it failed with no failing section to show for it."""
        before = self.failed
        for line in re.findall(r'^lane_tests: (?:RETRY|FAIL): .*$', out[:marks[0].start()], re.M):
            print('%-28s %s' % ('', line[:150]))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(out)
            status = int(m.group(2))
            sub = 'OK' if status == 0 else 'SKIP' if status == 77 else 'FAIL'
            self.add(m.group(1), sub, out[m.end():end])
        if result != 'OK' and self.failed == before:
            print('%-28s %s (after its sections)' % ('', result))
            self.failed += 1


def main():
    totals = Totals()
    try:
        lines = open(sys.argv[1]).read().splitlines()
    except OSError as e:
        print('summarize.py: %s' % e)
        print('0 passed, 1 failed, 0 skipped')
        return 1
    for line in lines:
        t = json.loads(line)
        out = t.get('stdout', '') or ''
        marks = list(SECTION.finditer(out))
        if marks:
            totals.add_sections(t['result'], out, marks)
        else:
            totals.add(t['name'], t['result'], out)
    print('%d passed, %d failed, %d skipped' % (totals.passed, totals.failed, totals.skipped))
    return 1 if totals.failed else 0


if __name__ == '__main__':
    sys.exit(main())
