#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a lane run's run.json against an expected-status table.

Usage: check_lane.py EXPECTED.tsv RUN.json [--summary SUMMARY.csv] [--unit UNIT]
                     [--min-ok N] [--split NAME,NAME:FRACTION] [--subset]
                     [--kvm-param 'P=V ...']

EXPECTED.tsv: tab-separated `benchmark  status  reason  why`, '#' comments.
status is run.json's: ok (a proven number), no_exit (KVM let the guest do
it without an exit), unsupported or refused; reason is a substring the run's
reason must contain (empty for ok); why is the documented property of the
KVM module or the emulator that explains a row that is not ok.
A row named `benchmark@P=V` replaces the benchmark's plain row where the run's
module was loaded with P=V (--kvm-param, as given to the lane): shadow paging
(kvm_amd npt=0, kvm_intel ept=0) makes INVLPG and MOV to CR3 exit.

Every benchmark in the run must be in the table and match it; every row of
the table must be in the run, unless --subset says the run selected only some.
--split: at least FRACTION of each named benchmark's samples have a phase
split. --unit: every row of run.json (and of --summary) is in UNIT.
Prints one line per problem and a summary; exits 1 on any problem.
"""
import csv
import json
import sys


def load_expected(path, params=()):
    exp = {}
    cond = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            cols = line.split('\t')
            if len(cols) < 2 or cols[1] not in ('ok', 'no_exit', 'unsupported', 'refused'):
                raise SystemExit('%s:%d: want "benchmark<TAB>ok|no_exit|unsupported|refused'
                                 '<TAB>reason<TAB>why"' % (path, n))
            name, status = cols[0], cols[1]
            reason = cols[2] if len(cols) > 2 else ''
            why = cols[3] if len(cols) > 3 else ''
            if status != 'ok' and (not reason or not why):
                raise SystemExit('%s:%d: %s: a row that is not ok needs a reason and '
                                 'a why' % (path, n, name))
            if '@' in name:
                cond.append((name.split('@', 1), (status, reason)))
            else:
                exp[name] = (status, reason)
    for (name, param), row in cond:
        if name not in exp:
            raise SystemExit('%s: %s@%s has no plain row' % (path, name, param))
        if param in params:
            exp[name] = row
    return exp


def main(argv):
    args = argv[1:]
    opts = {'--summary': None, '--unit': None, '--min-ok': None, '--split': None,
            '--kvm-param': None}
    subset = False
    pos = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in opts:
            opts[a] = args[i + 1]
            i += 2
        elif a == '--subset':
            subset = True
            i += 1
        else:
            pos.append(a)
            i += 1
    if len(pos) != 2:
        raise SystemExit(__doc__)
    exp = load_expected(pos[0], (opts['--kvm-param'] or '').split())
    run = json.load(open(pos[1]))
    problems = []
    seen = {}
    for b in run['benchmarks']:
        name = b['name']
        seen[name] = b
        if name not in exp:
            problems.append('%s: not in the expected table (status %s: %s)'
                            % (name, b['status'], b['reason'][:120]))
            continue
        want, reason = exp[name]
        got = b['status']
        if got != want:
            problems.append('%s: %s, expected %s (%s)' % (name, got, want, b['reason'][:200]))
        elif want != 'ok' and reason not in b['reason']:
            problems.append('%s: reason "%s" lacks "%s"' % (name, b['reason'][:200], reason))
    if not subset:
        for name in exp:
            if name not in seen:
                problems.append('%s: expected but not in the run' % name)
    nok = sum(1 for b in run['benchmarks'] if b['status'] == 'ok' and b['name'] != 'nop')
    if opts['--min-ok'] is not None and nok < int(opts['--min-ok']):
        problems.append('%d proven numbers, want at least %s' % (nok, opts['--min-ok']))
    if opts['--split']:
        names, frac = opts['--split'].split(':')
        for name in names.split(','):
            b = seen.get(name)
            if not b or b['status'] != 'ok':
                problems.append('%s: not measured, so not split' % name)
                continue
            n = b['samples']
            k = b['phases'].get('exit', {}).get('samples', 0)
            if n == 0 or k < float(frac) * n:
                problems.append('%s: %d of %d samples split, want %.0f%% (%s)'
                                % (name, k, n, 100 * float(frac), b['phase_note'][:200]))
            elif 'traced' in b['phase_note'] and 'split_total_median' not in b:
                problems.append('%s: traced split without its own total' % name)
    if opts['--unit']:
        for b in run['benchmarks']:
            for ph, row in b['phases'].items():
                if row['unit'] != opts['--unit']:
                    problems.append('%s %s: unit %s, want %s' % (b['name'], ph, row['unit'],
                                                               opts['--unit']))
        if opts['--summary']:
            with open(opts['--summary']) as f:
                for row in csv.DictReader(f):
                    # Rows of benchmarks that did not run carry no measurement.
                    if row.get('status', 'ok') != 'ok':
                        continue
                    if row['unit'] != opts['--unit']:
                        problems.append('summary.csv %s %s: unit %s, want %s'
                                        % (row['benchmark'], row['phase'], row['unit'],
                                           opts['--unit']))
    for p in problems[:40]:
        print('check_lane: ' + p)
    if len(problems) > 40:
        print('check_lane: ... and %d more' % (len(problems) - 40))
    print('check_lane: %d benchmarks, %d proven numbers, %d problems'
          % (len(run['benchmarks']), nok, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
