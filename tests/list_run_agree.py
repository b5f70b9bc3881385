#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""list and run decide every benchmark the same way: `vmexit-bench list --json`
against a run's run.json, benchmark by benchmark. For each catalog row list
shows, the run must have recorded it with the same verdict class (runs ->
ok, unsupported -> unsupported, refused -> a 'refused:' reason, failed ->
failed) and, where it runs, at the same CPL.

usage: list_run_agree.py LIST.json RUN.json [--label NAME] [--default]
--default: the run had the default selection, which leaves out the opt-in
rows list shows as refused; those may be absent.
Prints one line per disagreement and a summary line; exit 1 on any.
"""
import json
import sys


def run_class(b):
    if b["status"] == "ok":
        return "runs"
    if b["status"] == "failed":
        return "failed"
    return "refused" if b["reason"].startswith("refused:") else "unsupported"


def main(argv):
    default = "--default" in argv
    argv = [a for a in argv if a != "--default"]
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--label"):
        print("usage: list_run_agree.py LIST.json RUN.json [--label NAME] [--default]",
              file=sys.stderr)
        return 2
    label = argv[3] if len(argv) == 4 else "list/run"
    with open(argv[0]) as f:
        listed = json.load(f)
    with open(argv[1]) as f:
        run = json.load(f)
    recorded = {}
    for b in run["benchmarks"]:
        recorded.setdefault(b["name"], []).append(b)
    bad = []
    for row in listed:
        name, here = row["name"], row["here"]
        if name == "nop":	# the floor: a row at every CPL in use
            continue
        got = recorded.get(name)
        if not got and default and here["status"] == "refused":
            continue
        if not got:
            bad.append("%s: listed as %s, not in the run" % (name, here["status"]))
            continue
        b = got[0]
        if run_class(b) != here["status"]:
            bad.append("%s: list says %s (%s), run says %s (%s)" %
                       (name, here["status"], here["reason"][:90], b["status"],
                        b["reason"][:90]))
        elif here["status"] == "runs" and here["cpl"] != b["cpl"]:
            bad.append("%s: list runs it at CPL%s, run at CPL%s" % (name, here["cpl"], b["cpl"]))
    for line in bad:
        print("%s: %s" % (label, line))
    print("%s: %d benchmarks compared, %d disagree" % (label, len(listed), len(bad)))
    return 1 if bad or not listed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
