#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The code's layers, checked from its #include lines.

A file and its header are one unit (x.c with x.h). Fails, naming the files,
when the units include each other in a circle, or when a folder includes
one it sits below:

    bench/           may include analysis/, runner/, guest_payloads/
    analysis/        may include runner/stamps.h (the stamps it reads) and
                     runner/errmsg.h (the error convention of all host code),
                     and guest_payloads/; nothing of bench/
    runner/          may include guest_payloads/; nothing of analysis/ or bench/
    guest_payloads/  nothing above it (it is the freestanding guest)

Usage: layering.py SOURCE_ROOT. Resolves "x.h" as the compiler does: the
including file's folder first, then the include path of meson.build.
"""
import os
import re
import sys

FOLDERS = ('bench', 'analysis', 'runner', 'guest_payloads')
INC_PATH = ('analysis', 'runner', 'bench', 'guest_payloads')
# What each folder may include beyond itself (folder, or folder/file).
ALLOWED = {
    'bench': ('analysis', 'runner', 'guest_payloads'),
    'analysis': ('runner/stamps.h', 'runner/errmsg.h', 'guest_payloads'),
    'runner': ('guest_payloads',),
    'guest_payloads': (),
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(root):
    for top in FOLDERS:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith(('.c', '.h', '.S')):
                    yield os.path.relpath(os.path.join(d, f), root)


def resolve(root, src, name):
    for d in (os.path.dirname(src),) + INC_PATH:
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(root, p)):
            return p
    return None     # a system or generated header


def unit(path):
    return os.path.splitext(path)[0]


def top(path):
    return path.split(os.sep)[0]


def allowed(src, dst):
    a, b = top(src), top(dst)
    return a == b or any(dst == x or b == x for x in ALLOWED[a])


def circles(edges):
    """Strongly connected units of more than one (Tarjan, iterative)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = n[0]
        n[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = n[0]
                    n[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def main(argv):
    if len(argv) != 2:
        print('usage: layering.py SOURCE_ROOT', file=sys.stderr)
        return 2
    root = argv[1]
    edges, why, problems, nfiles = {}, {}, [], 0
    for src in sorted(sources(root)):
        nfiles += 1
        with open(os.path.join(root, src), errors='replace') as f:
            text = f.read()
        for name in INCLUDE.findall(text):
            dst = resolve(root, src, name)
            if not dst:
                continue
            if not allowed(src, dst):
                problems.append('%s includes %s: %s/ sits below %s/' %
                                (src, dst, top(src), top(dst)))
            a, b = unit(src), unit(dst)
            if a != b:
                edges.setdefault(a, set()).add(b)
                why.setdefault((a, b), src + ' -> ' + dst)
    for comp in circles(edges):
        ties = [why[(a, b)] for a in comp for b in sorted(edges.get(a, ())) if b in comp]
        problems.append('a circle of %d units: %s (%s)' % (len(comp), ', '.join(comp),
                                                          '; '.join(ties)))
    for p in problems:
        print('layering: FAIL: ' + p)
    print('layering: %d files, %d units, %d include edges between units: %s' %
          (nfiles, len({unit(s) for s in sources(root)}), sum(len(v) for v in edges.values()),
           'no circle, no upward include' if not problems else '%d problems' % len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
