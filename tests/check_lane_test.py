#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_lane.py's `benchmark@P=V` rows: the shadow-paging boot (npt=0,
ept=0) expects INVLPG to exit where the default boot expects no exit. A run
is checked against the row that fits its module parameters, and only that
one: a run of either kind against the other's expectation fails.

usage: check_lane_test.py CHECK_LANE.py
"""
import json
import os
import subprocess
import sys
import tempfile

TSV = ('# test table\n'
       'nop\tok\n'
       'invlpg\tno_exit\tno exit: KVM lets the guest do this directly\twith NPT no intercept\n'
       'invlpg@npt=0\tok\n')


def run_json(status, reason):
    return {'benchmarks': [
        {'name': 'nop', 'status': 'ok', 'reason': '', 'phases': {}, 'samples': 1},
        {'name': 'invlpg', 'status': status, 'reason': reason, 'phases': {}, 'samples': 1},
    ]}


def check(script, d, tsv, run, params):
    path = os.path.join(d, 'run.json')
    with open(path, 'w') as f:
        json.dump(run, f)
    args = [sys.executable, script, tsv, path] + (['--kvm-param', params] if params else [])
    return subprocess.run(args, capture_output=True, text=True)


def main():
    script = sys.argv[1]
    failures = []
    no_exit = run_json('no_exit', 'no exit: KVM lets the guest do this directly (...)')
    exits = run_json('ok', '')
    with tempfile.TemporaryDirectory() as d:
        tsv = os.path.join(d, 'expected.tsv')
        with open(tsv, 'w') as f:
            f.write(TSV)
        for run, params, want in ((no_exit, '', 0), (exits, 'npt=0', 0),
                                  (exits, '', 1), (no_exit, 'npt=0', 1),
                                  (no_exit, 'npt=1', 0), (exits, 'ept=0 npt=0', 0)):
            r = check(script, d, tsv, run, params)
            if r.returncode != want:
                failures.append('params %r, invlpg %s: exit %d, want %d: %s'
                                % (params, run['benchmarks'][1]['status'], r.returncode,
                                   want, r.stdout.strip()[-200:]))
        # A conditional row needs its plain row.
        with open(tsv, 'w') as f:
            f.write('nop\tok\nmov_cr3@npt=0\tok\n')
        r = check(script, d, tsv, run_json('ok', ''), 'npt=0')
        if r.returncode == 0 or 'has no plain row' not in (r.stdout + r.stderr):
            failures.append('a conditional row without its plain row was accepted')
    for f in failures:
        print('check_lane_test: FAIL: ' + f)
    print('check_lane_test: %s' % ('ok' if not failures else '%d failures' % len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
