#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The harness's own cost: a run's wall time against the time its measured
exits took, (iterations + warm-up) x (mean + floor) x runs over the rows
that were measured, in TSC ticks at the run's TSC rate.

usage: overhead.py [--bin PATH] [-- RUN ARGS...]
Runs `vmexit-bench RUN ARGS --plot none --output TMP` (default: the default
catalog), times it, and prints the measured time, the wall time and their
ratio, with the rows that took longest.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def measured_seconds(run):
    s = run["settings"]
    khz = s.get("tsc_khz") or 0
    if not khz:
        raise SystemExit("overhead.py: run.json has no TSC rate")
    per = s["iterations"] + s["warmup"]
    rows = []
    for b in run["benchmarks"]:
        if b.get("status") != "ok":
            continue
        t = b["phases"]["total"]
        ticks = per * b.get("runs", 1) * (t["mean"] + (b.get("floor_tsc_ticks") or 0))
        rows.append((ticks / (khz * 1e3), b["name"], b["cpl"]))
    return sum(r[0] for r in rows), sorted(rows, reverse=True)


def main(argv):
    binary = os.path.join(os.path.dirname(__file__), "..", "build", "vmexit-bench")
    if argv[:1] == ["--bin"]:
        if len(argv) < 2:
            raise SystemExit("overhead.py: --bin wants a path")
        binary, argv = argv[1], argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r")
        cmd = [binary] + argv + ["--plot", "none", "--quiet", "--output", out]
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
        if p.returncode not in (0, 1):
            raise SystemExit("overhead.py: %s exited %d: %s" % (cmd[0], p.returncode,
                                                               p.stderr.strip()[-300:]))
        with open(os.path.join(out, "run.json")) as f:
            run = json.load(f)
    meas, rows = measured_seconds(run)
    print("measured exits %.2f s (%d rows), wall %.2f s: %.2fx" %
          (meas, len(rows), wall, wall / meas if meas else float("inf")))
    for sec, name, cpl in rows[:5]:
        print("  %-28s CPL%d %.2f s" % (name, cpl, sec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
