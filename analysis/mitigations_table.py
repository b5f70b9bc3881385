#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The mitigations table from a lane matrix (vmexit-bench lane --vendor intel
--kernel-package A --kernel-package B --append mitigations=off --append
mitigations=auto --output DIR): per exit and phase, each combination's median
in emulated ticks and the differences; what each combination's kernel
reported in /sys/devices/system/cpu/vulnerabilities (run.json); and a
gnuplot bar chart of the same.

Usage: mitigations_table.py MATRIX_DIR OUT_PREFIX
Writes OUT_PREFIX.md, OUT_PREFIX.dat, OUT_PREFIX.gp and (with gnuplot)
OUT_PREFIX.png. A median above its row's minimum (not an exact path length)
is marked with a dagger.
"""
import csv
import json
import os
import subprocess
import sys

PHASES = ["total", "exit", "handler", "entry"]


def load(d):
    rows = {}
    with open(os.path.join(d, "summary.csv")) as f:
        for r in csv.DictReader(f):
            if r["status"] != "ok" or r["unit"] != "emulated_ticks":
                continue
            rows[(r["benchmark"], r["phase"])] = (float(r["median"]), float(r["min"]))
    with open(os.path.join(d, "run.json")) as f:
        env = json.load(f)
    return rows, env


def main():
    mdir, prefix = sys.argv[1], sys.argv[2]
    combos = sorted(e for e in os.listdir(mdir)
                    if os.path.isfile(os.path.join(mdir, e, "summary.csv"))
                    and not e.endswith(".boot2"))
    kernels = sorted({c.rsplit("_", 1)[0] for c in combos})
    data = {c: load(os.path.join(mdir, c)) for c in combos}

    def name(k, m):
        return "%s_mitigations=%s" % (k, m)

    keys = sorted({k for c in combos for k in data[c][0]},
                  key=lambda k: (k[0], PHASES.index(k[1])))
    # Rows whose median differed between two boots (--repeat-boot's exact.csv).
    moved = set()
    exact_csv = os.path.join(mdir, "exact.csv")
    if os.path.isfile(exact_csv):
        with open(exact_csv) as f:
            for r in csv.DictReader(f):
                if r["exact"] == "no":
                    moved.add((r["benchmark"], r["phase"], r["combination"]))
    out = []
    dat = []
    marks = {"dagger": False, "ddagger": False}

    def header(first):
        out.append("| %s | " % first + " | ".join(
            "%s off | %s auto | Δ" % (k.split("-amd64")[0], k.split("-amd64")[0])
            for k in kernels)
            + " | Δ off, %s → %s |" % (kernels[0].split("-amd64")[0],
                                       kernels[-1].split("-amd64")[0]))
        out.append("|---|" + ("---|" if first == "exit | phase" else "")
                   + "---:|---:|---:|" * len(kernels) + "---:|")

    def row(b, p, with_phase):
        if not all((b, p) in data.get(name(k, m), ({}, None))[0]
                   for k in kernels for m in ("off", "auto")):
            return
        cells, vals = [], []
        for k in kernels:
            for m in ("off", "auto"):
                v, lo = data[name(k, m)][0][(b, p)]
                mark = ""
                if v != lo:
                    mark += " †"
                    marks["dagger"] = True
                if (b, p, name(k, m)) in moved:
                    mark += " ‡"
                    marks["ddagger"] = True
                cells.append("{:,.0f}{}".format(v, mark))
                vals.append(v)
            cells.append("{:+,.0f}".format(vals[-1] - vals[-2]))
        k0 = data[name(kernels[0], "off")][0][(b, p)][0]
        k1 = data[name(kernels[-1], "off")][0][(b, p)][0]
        first = "`%s` | %s" % (b, p) if with_phase else "`%s`" % b
        out.append("| %s | %s | {:+,.0f} |".format(k1 - k0) % (first, " | ".join(cells)))
        if p == "total" and b != "nop":    # the floor: 0 after its own subtraction
            dat.append("%s %s" % (b, " ".join("%.0f" % v for v in vals)))

    out.append("**Round trips** (total, every exit measured in all four combinations):")
    out.append("")
    header("exit")
    for b, p in keys:
        if p == "total":
            row(b, p, False)
    out.append("")
    out.append("**Where the instructions went** (the traced split of the exits handled "
               "in the kernel, the host stamps of those handled in userspace):")
    out.append("")
    header("exit | phase")
    for b, p in keys:
        if p != "total":
            row(b, p, True)
    out.append("")
    if marks["dagger"]:
        out.append("†: median above the row's minimum in that run (its samples mix paths "
                   "of different lengths: not an exact path length, the difference "
                   "is approximate).")
        out.append("")
    if marks["ddagger"]:
        out.append("‡: a second boot of the same combination gave another median "
                   "(`exact.csv`).")
        out.append("")
    out.append("What each kernel reported in `/sys/devices/system/cpu/vulnerabilities` "
               "(entries that differ between mitigations=off and auto):")
    out.append("")
    for k in kernels:
        off = data[name(k, "off")][1]["environment"].get("mitigations", {})
        auto = data[name(k, "auto")][1]["environment"].get("mitigations", {})
        out.append("- **%s**:" % k)
        diff = [e for e in sorted(set(off) | set(auto)) if off.get(e) != auto.get(e)]
        for e in diff:
            out.append("  - `%s`: off: %s; auto: %s" % (e, off.get(e, "-"), auto.get(e, "-")))
        if not diff:
            out.append("  - none differ")
    with open(prefix + ".md", "w") as f:
        f.write("\n".join(out) + "\n")
    with open(prefix + ".dat", "w") as f:
        f.write("# benchmark " + " ".join("%s_off %s_auto" % (k, k) for k in kernels) + "\n")
        f.write("\n".join(dat) + "\n")
    cols = []
    i = 2
    for k in kernels:
        for m in ("off", "auto"):
            cols.append("'%s.dat' using %d:xtic(1) title '%s mitigations=%s'" %
                        (os.path.basename(prefix), i, k, m))
            i += 1
    with open(prefix + ".gp", "w") as f:
        f.write("set terminal pngcairo size 1800,700 noenhanced\n")
        f.write("set output '%s.png'\n" % os.path.basename(prefix))
        f.write("set style data histograms\nset style histogram clustered\n")
        f.write("set style fill solid 0.8 border -1\nset boxwidth 0.9\n")
        f.write("set ylabel 'emulated ticks (instructions, Bochs), log scale'\n")
        f.write("set logscale y\nset yrange [100:*]\n")
        f.write("set xtics rotate by 90 right font ',9'\nset bmargin 12\n")
        f.write("set title 'kvm_intel exit round trips under Bochs: kernels and mitigations'\n")
        f.write("set key outside top center horizontal\nset grid ytics\n")
        f.write("plot " + ", ".join(cols) + "\n")
    d = os.path.dirname(prefix) or "."
    try:
        subprocess.run(["gnuplot", os.path.basename(prefix) + ".gp"], cwd=d, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("mitigations_table: no figure: %s" % e, file=sys.stderr)


if __name__ == "__main__":
    main()
