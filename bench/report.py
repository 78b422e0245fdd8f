"""Turns bench/work/results.jsonl into bench/results.md (with the targets of the issue) and results.json."""
import pathlib
import json
import platform
import sys
from datetime import datetime, timezone

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
json.dump(rows, open(sys.argv[3], "w"), indent=2)

def find(backend, size, scenario):
    for row in rows:
        if (row["backend"], row["size"], row["scenario"]) == (backend, size, scenario):
            return row
    return None

lines = [
    "# Koers benchmark",
    "",
    f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {platform.processor() or 'cpu'}; "
    "2 cores, server with 2 actix workers and wrk (2 threads) on the same machine. Written by `make bench`.",
    "",
    "| backend | size | scenario | conns | req/s | p50 ms | p95 ms | p99 ms | errors | × health | peak MB |",
    "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for row in rows:
    if "result" in row:
        r = row["result"]
        health = find(row["backend"], row["size"], "health")
        ratio = r["rps"] / health["result"]["rps"] if health and health["result"]["rps"] else 0
        lines.append(
            f"| {row['backend']} | {row['size']:,} | {row['scenario']} | {row['connections']} | {r['rps']:,.0f} | "
            f"{r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} | {ratio:.2f} | {row['peak_mb']} |"
        )
lines += ["", "| backend | size | timed | seconds |", "|---|---:|---|---:|"]
for row in rows:
    if "seconds" in row:
        lines.append(f"| {row['backend']} | {row['size']:,} | {row['scenario']} | {row['seconds']:.2f} |")

def check(label, ok, detail):
    lines.append(f"| {label} | {'met' if ok else 'NOT met'} | {detail} |")

lines += ["", "## Targets", "", "| target | result | measured |", "|---|---|---|"]
sizes = sorted({row["size"] for row in rows})
for backend, floor in (("sqlite", 5000), ("postgresql", 4000)):
    for size in sizes:
        r = find(backend, size, "get-one")
        if r:
            res = r["result"]
            check(f"GET one ≥ {floor:,} req/s, p99 ≤ 25 ms ({backend}, {size:,})",
                  res["rps"] >= floor and res["p99_ms"] <= 25, f"{res['rps']:,.0f} req/s, p99 {res['p99_ms']:.1f} ms")
for backend in ("sqlite", "postgresql"):
    big, small = find(backend, max(sizes), "list-page-1-client"), find(backend, min(sizes), "list-page-1-client")
    if big and small:
        p50_big, p50_small = big["result"]["p50_ms"], small["result"]["p50_ms"]
        check(f"list page p50 ≤ 5 ms at {max(sizes):,} and ≤ 1.5 × its p50 at {min(sizes):,} ({backend})",
              p50_big <= 5 and p50_big <= 1.5 * p50_small, f"{p50_big:.2f} ms vs {p50_small:.2f} ms")
    worklist = find(backend, max(sizes), "worklist-1-client")
    if worklist:
        p50 = worklist["result"]["p50_ms"]
        check(f"worklist page, all 342 gemeenten, p50 ≤ 20 ms at {max(sizes):,} ({backend})", p50 <= 20, f"{p50:.2f} ms")
    floor, p99_max = (3000, None) if backend == "sqlite" else (2500, 60)
    push = find(backend, max(sizes), "provider-push")
    if push:
        res = push["result"]
        ok = res["rps"] >= floor and (p99_max is None or res["p99_ms"] <= p99_max)
        limit = f", p99 ≤ {p99_max} ms" if p99_max else ""
        check(f"partner push ≥ {floor:,} req/s{limit} ({backend})", ok, f"{res['rps']:,.0f} req/s, p99 {res['p99_ms']:.1f} ms")
    bulk = find(backend, max(sizes), "bulk-10000")
    if bulk:
        check(f"10,000 results in bulk ≤ 2 s ({backend})", bulk["seconds"] <= 2, f"{bulk['seconds']:.2f} s")
    for what, scenario, bound in (("reading the termijn", "termijn", 1.5), ("a push", "push", 1.2)):
        few, many = find(backend, max(sizes), f"{scenario}-after-10-pushes"), find(backend, max(sizes), f"{scenario}-after-1000-pushes")
        if few and many:
            ratio = many["result"]["p50_ms"] / few["result"]["p50_ms"] if few["result"]["p50_ms"] else 0
            check(f"{what} after 1,000 pushes ≤ {bound} × after 10 (p50, {backend})", ratio <= bound,
                  f"{many['result']['p50_ms']:.2f} ms vs {few['result']['p50_ms']:.2f} ms ({ratio:.2f} ×)")
peaks = [row["peak_mb"] for row in rows if "peak_mb" in row]
if peaks:
    check("server peak memory ≤ 120 MB under every scenario", max(peaks) <= 120, f"peak {max(peaks)} MB")
seed = find("sqlite", 1000000, "seed")
if seed:
    check("1,000,000 synthetic inburgeraars ≤ 120 s on SQLite", seed["seconds"] <= 120, f"{seed['seconds']:.1f} s")
# What limits the figures, written by hand after profiling (bench/analysis.md), follows the table.
analysis = pathlib.Path(__file__).with_name("analysis.md")
if analysis.exists():
    lines += ["", analysis.read_text().rstrip()]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
