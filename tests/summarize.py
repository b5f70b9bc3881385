#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Totals a meson testlog.json: Check test cases from each suite's summary
line, SKIP lines of tests that cannot run here, one case per script test."""
import json
import re
import sys

CHECK = re.compile(r'^\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)', re.M)
SKIP = re.compile(r'^SKIP: (\d+) tests?: (.*)$', re.M)


def main():
    passed = failed = skipped = 0
    try:
        lines = open(sys.argv[1]).read().splitlines()
    except OSError as e:
        print('summarize.py: %s' % e)
        print('0 passed, 1 failed, 0 skipped')
        return 1
    for line in lines:
        t = json.loads(line)
        out = t.get('stdout', '') or ''
        name, result = t['name'], t['result']
        checks = CHECK.findall(out)
        skip = SKIP.search(out)
        if result == 'SKIP':
            n = int(skip.group(1)) if skip else 1
            why = skip.group(2) if skip else 'skipped'
            print('%-28s SKIP %d: %s' % (name, n, why))
            skipped += n
        elif checks:
            total = sum(int(c[0]) for c in checks)
            bad = sum(int(c[1]) + int(c[2]) for c in checks)
            if result != 'OK' and bad == 0:
                bad = 1    # crashed or exited non-zero after its summary
            print('%-28s %s: %d checks, %d failed' % (name, result, total, bad))
            passed += total - bad if total >= bad else 0
            failed += bad
            if skip:    # some of its cases could not run here
                print('%-28s SKIP %s: %s' % (name, skip.group(1), skip.group(2)))
                skipped += int(skip.group(1))
        else:
            ok = result == 'OK'
            print('%-28s %s' % (name, result))
            passed += ok
            failed += not ok
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
