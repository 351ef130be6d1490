"""The planted suite's figures for bench/index-quality.

    report.py advice WORKDIR      recall, column order, extra indexes, costs, EXPLAIN calls, wall
                                  time of WORKDIR/verified.json and WORKDIR/statistics.json
    report.py execution WORKDIR   per statement, mean execution time before and after
                                  (WORKDIR/before.tsv, WORKDIR/after.tsv from pg_stat_statements)
"""
import json
import sys

EXPECTED = {
    "suite.customers ((lower(email)))",
    "suite.orders (customer_id, created_at)",
    "suite.order_items (order_id)",
    "suite.products (sku)",
    "suite.events (account_id, created_at)",
    "suite.messages (thread_id, posted_at)",
    "suite.tickets (assignee_id)",
    "suite.jobs (run_at) WHERE finished_at IS NULL",
}


def advice(work):
    for name in ("verified", "statistics"):
        report = json.load(open(f"{work}/{name}.json"))
        got = [r["index"] for r in report["recommendations"]]
        found = EXPECTED & set(got)
        extra = [g for g in got if g not in EXPECTED]
        tables = {e.split(" ")[0] for e in EXPECTED}
        order_ok = sum(1 for g in got if g in EXPECTED)
        seconds = open(f"{work}/{name}.seconds").read()
        print(f"advice {name} ({'hypopg' if report['verified'] else 'pg_stats'}):")
        print(f"  recall {len(found)}/{len(EXPECTED)} ({100 * len(found) / len(EXPECTED):.0f} %), "
              f"extra indexes {len(extra)}, exact column order {order_ok}/{len([g for g in got if g.split(' ')[0] in tables])}")
        for g in got:
            print(f"    {'ok   ' if g in EXPECTED else 'EXTRA'} {g}")
        for m in sorted(EXPECTED - found):
            print(f"    MISSED {m}")
        print(f"  relative workload cost {100 * report['relativeCost']:.1f} % "
              f"(every candidate at once {100 * report['lowerBoundRelativeCost']:.1f} %)")
        print(f"  statements costed {report['costedStatements']}, candidates {report['candidates']}, "
              f"EXPLAIN calls {report['explainCalls']} ({report['cacheHits']} cache hits), wall time {seconds} s "
              + ("(connect, collect, advise, render)" if report['verified'] else "(read the snapshot, advise, render)"))


def load(path):
    rows = {}
    for line in open(path):
        qid, calls, mean, query = line.rstrip("\n").split("\t", 3)
        rows[qid] = (int(calls), float(mean), query)
    return rows


def execution(work):
    before, after = load(f"{work}/before.tsv"), load(f"{work}/after.tsv")
    total_before = total_after = 0.0
    print(f"  {'before ms':>10} {'after ms':>10} {'speed-up':>9}  statement")
    for qid, (calls, mean, query) in sorted(before.items(), key=lambda kv: -kv[1][1]):
        if qid not in after:
            continue
        a = after[qid][1]
        total_before += mean * calls
        total_after += a * after[qid][0]
        print(f"  {mean:10.3f} {a:10.3f} {mean / a if a > 0 else float('inf'):8.1f}x  {query[:90]}")
    print(f"  workload execution time {total_before:.0f} ms -> {total_after:.0f} ms "
          f"({total_before / total_after if total_after else float('inf'):.1f}x)")


if __name__ == "__main__":
    {"advice": advice, "execution": execution}[sys.argv[1]](sys.argv[2])
