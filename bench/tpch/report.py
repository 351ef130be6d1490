"""The TPC-H figures of bench/index-quality.

    report.py advice WORKDIR      the workload run, then per index budget the advisor's
                                  recommendations, relative workload cost against every candidate
                                  at once, EXPLAIN calls and wall time; the statements skipped and
                                  why; which of the 22 queries got advice
    report.py execution WORKDIR   per query template, the workload's execution time before and
                                  after the recommended indexes (WORKDIR/tpch-before.tsv, -after.tsv)
"""
import json
import re
import sys

RUNS = [  # file name, what it is
    ("budget-3", "--max-indexes 3"),
    ("budget-5", "--max-indexes 5"),
    ("budget-10", "defaults (10 indexes, 25 % of the database)"),
    ("file", "--queries: every statement, timed out too, by its cost"),
]


def template(text):
    found = re.match(r"\s*/\* tpch-(q\d+) \*/", text or "")
    return found.group(1) if found else None


def load_runs(path):
    rows = []
    for line in open(path):
        name, pset, status, seconds, message = line.rstrip("\n").split("\t", 4)
        rows.append((name, int(pset), status, float(seconds), message))
    return rows


def workload(work):
    rows = load_runs(f"{work}/tpch-before.tsv")
    ran = [r for r in rows if r[2] != "not run"]
    print(f"  {len(ran)} statements run ({sum(1 for r in rows if r[2] == 'ok')} completed) "
          f"in {sum(r[3] for r in ran):.1f} s of statement time")
    for name, pset, status, seconds, message in rows:
        if status == "timeout":
            print(f"    {name} set {pset}: hit the statement_timeout after {seconds:.1f} s "
                  "(pg_stat_statements records only completed statements, so the advisor cannot see it)")
        elif status == "error":
            print(f"    {name} set {pset}: ERROR {message}")
        elif status == "not run":
            print(f"    {name} set {pset}: not run (set 1 of the template hit the timeout)")


def served(recommendation):
    return sorted({template(s["text"]) or s["label"] for s in recommendation["statements"]})


def advice(work):
    workload(work)
    print(f"  {'advisor run':<54} {'indexes':>7} {'size MB':>8} {'cost':>7} {'bound':>7} {'EXPLAIN':>8} {'wall s':>7}")
    for name, label in RUNS:
        report = json.load(open(f"{work}/{name}.json"))
        size = sum(r["estimatedSizeBytes"] for r in report["recommendations"]) / 1048576
        seconds = float(open(f"{work}/{name}.seconds").read())
        print(f"  {label:<54} {len(report['recommendations']):>7} {size:>8.1f} "
              f"{100 * report['relativeCost']:>6.1f}% {100 * report['lowerBoundRelativeCost']:>6.1f}% "
              f"{report['explainCalls']:>8} {seconds:>7.2f}")
    print("  (cost: the workload's planner cost with the recommendations, relative to without; bound: with every "
          "candidate at once; EXPLAIN: what-if calls, not counting answers from the cache)")
    for name, label in (("budget-10", "pg_stat_statements, defaults"), ("file", "--queries")):
        report = json.load(open(f"{work}/{name}.json"))
        print(f"  recommended ({label}), costed {report['costedStatements']} statements, {report['candidates']} candidates:")
        for r in report["recommendations"]:
            print(f"    {r['index']:<58} serves {', '.join(served(r))}")
        advised = {t for r in report["recommendations"] for t in served(r)}
        print(f"    queries with advice: {', '.join(sorted(advised)) or 'none'} ({len(advised)} of 22)")
        print(f"    statements not costed ({len(report['skippedStatements'])}):")
        for s in report["skippedStatements"]:
            print(f"      {template(s['text']) or s['text'][:40]!s:<12} {s['kind']}: {s['reason']}")


def execution(work):
    before = {(r[0], r[1]): r for r in load_runs(f"{work}/tpch-before.tsv")}
    after = {(r[0], r[1]): r for r in load_runs(f"{work}/tpch-after.tsv")}
    print(f"  {'query':<6} {'before s':>9} {'after s':>9} {'speed-up':>9}  (wall time of the parameter sets run both "
          "times; a timeout counts as the time it took, so its speed-up is at least the one shown)")
    sums = [0.0, 0.0]
    for name in sorted({k[0] for k in before}):
        pairs = [(before[k], after[k]) for k in sorted(before)
                 if k[0] == name and k in after and "not run" not in (before[k][2], after[k][2])]
        b, a = sum(p[0][3] for p in pairs), sum(p[1][3] for p in pairs)
        sums[0] += b
        sums[1] += a
        flags = "".join(f"  set {x[1]} {x[2]} {side}" for p in pairs for side, x in zip(("before", "after"), p)
                        if x[2] != "ok")
        print(f"  {name:<6} {b:>9.2f} {a:>9.2f} {b / a if a else float('inf'):>8.1f}x  {len(pairs)} sets{flags}")
    print(f"  workload {sums[0]:.1f} s -> {sums[1]:.1f} s ({sums[0] / sums[1] if sums[1] else float('inf'):.1f}x)")


if __name__ == "__main__":
    {"advice": advice, "execution": execution}[sys.argv[1]](sys.argv[2])
