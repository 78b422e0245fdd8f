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
for backend, floor in (("sqlite", 5000), ("postgresql", 3000)):
    for size in sorted({row["size"] for row in rows}):
        r = find(backend, size, "get-one")
        if r:
            res = r["result"]
            check(f"GET one ≥ {floor} req/s, p99 ≤ 25 ms ({backend}, {size:,})",
                  res["rps"] >= floor and res["p99_ms"] <= 25, f"{res['rps']:,.0f} req/s, p99 {res['p99_ms']:.1f} ms")
sizes = sorted({row["size"] for row in rows})
for backend in ("sqlite", "postgresql"):
    big, small = find(backend, max(sizes), "list-page-1-client"), find(backend, min(sizes), "list-page-1-client")
    if big and small:
        p50_big, p50_small = big["result"]["p50_ms"], small["result"]["p50_ms"]
        check(f"list page p50 ≤ 5 ms at {max(sizes):,} and ≤ 1.5 × its p50 at {min(sizes):,} ({backend})",
              p50_big <= 5 and p50_big <= 1.5 * p50_small, f"{p50_big:.2f} ms vs {p50_small:.2f} ms")
    push = find(backend, max(sizes), "provider-push")
    if push:
        check(f"provider push ≥ 2,000 req/s ({backend})", push["result"]["rps"] >= 2000, f"{push['result']['rps']:,.0f} req/s")
    bulk = find(backend, max(sizes), "bulk-10000")
    if bulk:
        check(f"10,000 results in bulk ≤ 2 s ({backend})", bulk["seconds"] <= 2, f"{bulk['seconds']:.2f} s")
peaks = [row["peak_mb"] for row in rows if "peak_mb" in row]
if peaks:
    check("server memory ≤ 150 MB under load", max(peaks) <= 150, f"peak {max(peaks)} MB")
seed = find("sqlite", 1000000, "seed")
if seed:
    check("1,000,000 synthetic inburgeraars ≤ 120 s on SQLite", seed["seconds"] <= 120, f"{seed['seconds']:.1f} s")
# What limits the figures, written by hand after profiling (bench/analysis.md), follows the table.
analysis = pathlib.Path(__file__).with_name("analysis.md")
if analysis.exists():
    lines += ["", analysis.read_text().rstrip()]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
