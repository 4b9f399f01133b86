#!/usr/bin/env python3
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""Turns bench/run.sh's measurements into the Markdown table of issue 6.

    report.py RESULTS.tsv METRICS.tsv

RESULTS.tsv: tool, step, round, wall seconds, peak RSS KiB (repo-bytes rows: bytes, 0).
METRICS.tsv: name, value. Ratios are peer time / Haven time, the way the issue states its targets
("1.5x restic's throughput"): above 1 means Haven is faster.
"""
import statistics
import sys

MIB = 1 << 20

# step, label, throughput shown (bytes of the tree per second), targets
PHASES = [
    ("first", "first backup", True),
    ("unchanged", "unchanged backup", False),
    ("mutate", "backup after mutate (~5 %)", False),
    ("restore", "full restore", True),
    ("file", "one small file restored", False),
    ("fixed", "`snapshots` (start-up, key, listing)", False),
    ("check", "check --read-data", False),
    ("forget", "forget --keep-last 2 (of 4)", False),
    ("prune", "prune (borg: compact)", False),
]

# step -> (minimum restic/Haven, text); extra conditions are checked in target_result
TARGETS = {
    "first": (1.5, "≥ 1.5× restic, ahead of Borg"),
    "unchanged": (2.0, "≥ 2× restic"),
    "mutate": (1.5, "≥ 1.5× restic"),
    "restore": (1.5, "≥ 1.5× restic, faster than cp -a"),
    "file": (1.0, "no slower than restic"),
    "check": (1.0, "at least as fast as restic"),
    "prune": (1.0, "at least as fast as restic"),
}


def load(results_path, metrics_path):
    rows = [line.rstrip("\n").split("\t") for line in open(results_path) if line.strip()]
    metrics = {}
    for line in open(metrics_path):
        if "\t" in line:
            key, value = line.rstrip("\n").split("\t", 1)
            metrics[key] = value
    return rows, metrics


class Table:
    def __init__(self, rows):
        self.rows = rows

    def values(self, tool, step, column=3):
        return [float(r[column]) for r in self.rows if r[0] == tool and r[1] == step]

    def median(self, tool, step, column=3):
        values = self.values(tool, step, column)
        return statistics.median(values) if values else None


def seconds(value, data_bytes=None):
    if value is None:
        return "–"
    text = f"{value:.2f}"
    if data_bytes:
        text += f" ({data_bytes / max(value, 0.01) / 1e6:.0f} MB/s)"
    return text


def ratio(peer, haven):
    return None if peer is None or haven is None or haven <= 0 else peer / haven


def ratio_text(value):
    return "–" if value is None else f"{value:.2f}×"


def target_result(step, table, haven, restic):
    if step not in TARGETS or haven is None or restic is None:
        return "", ""
    minimum, text = TARGETS[step]
    ok = restic / haven >= minimum
    if step == "first":
        for borg in ("borg", "borg-lz4"):
            b = table.median(borg, step)
            ok = ok and (b is None or b > haven)
    if step == "restore":
        cp = table.median("cp-a", step)
        ok = ok and (cp is None or haven < cp)
    return text, "PASS" if ok else "FAIL"


def mb_per_s(metrics, key):
    value = metrics.get(key)
    return f"{int(value) / 1e6:,.0f} MB/s" if value else "–"


def main():
    rows, metrics = load(sys.argv[1], sys.argv[2])
    table = Table(rows)
    data_bytes = int(metrics.get("data-bytes", "0"))
    print(f"Data set: `bench/gen-dataset.py --size-mb {metrics.get('size-mb')}`: {metrics.get('data-files')} files, "
          f"{data_bytes / MIB:,.0f} MiB; mutate (round 1): {metrics.get('mutate', '–')}.")
    print(f"{metrics.get('rounds')} rounds, order rotating each round; medians. {metrics.get('cores')} cores "
          f"({metrics.get('cpu', '?')}); load average at start {metrics.get('load-start')}, "
          + ", ".join(f"round {k.rsplit('-', 1)[1]} {v}" for k, v in metrics.items() if k.startswith("load-round-"))
          + f", end {metrics.get('load-end')}.")
    print(f"{metrics.get('haven-version', '')} (commit {metrics.get('commit', '?')}); "
          f"{metrics.get('restic-version', 'restic not run')}; {metrics.get('borg-version', 'borg not run')}.")
    print()
    print("Seconds (median); ratio = peer time / Haven time, above 1 means Haven is faster.")
    print()
    print("| phase | Haven s | restic s | Borg zstd-3 s | others s | restic/Haven | Borg/Haven | target | result |")
    print("|---|---:|---:|---:|---|---:|---:|---|---|")
    for step, label, throughput in PHASES:
        h = table.median("haven", step)
        r = table.median("restic", step)
        b = table.median("borg", step)
        if h is None and r is None and b is None:
            continue
        shown = data_bytes if throughput else None
        others = []
        if step == "first" and table.median("borg-lz4", step) is not None:
            others.append(f"Borg lz4 {seconds(table.median('borg-lz4', step), shown)}")
        if step == "restore":
            for tool, name in (("cp-a", "cp -a"), ("tar-tar", "tar \\| tar")):
                if table.median(tool, step) is not None:
                    others.append(f"{name} {seconds(table.median(tool, step), shown)}")
        text, result = target_result(step, table, h, r)
        print(f"| {label} | {seconds(h, shown)} | {seconds(r, shown)} | {seconds(b, shown)} | {'; '.join(others)} "
              f"| {ratio_text(ratio(r, h))} | {ratio_text(ratio(b, h))} | {text} | {result} |")
    print()

    print("Peak RSS in MiB (median; `/usr/bin/time -f %M`). Target: Haven no more than restic in every phase.")
    print()
    print("| phase | Haven | restic | Borg zstd-3 | Haven ≤ restic |")
    print("|---|---:|---:|---:|---|")
    for step, label, _ in PHASES:
        h = table.median("haven", step, 4)
        r = table.median("restic", step, 4)
        b = table.median("borg", step, 4)
        if h is None and r is None:
            continue
        mib = lambda v: "–" if v is None else f"{v / 1024:.0f}"
        result = "" if h is None or r is None else ("PASS" if h <= r else "FAIL")
        print(f"| {label} | {mib(h)} | {mib(r)} | {mib(b)} | {result} |")
    print()

    sizes = {tool: table.median(tool, "repo-bytes") for tool in ("haven", "restic", "borg", "borg-lz4")}
    line = "Repository after the first backup: " + ", ".join(
        f"{tool} {size / MIB:,.1f} MiB" for tool, size in sizes.items() if size)
    if sizes["haven"] and sizes["restic"]:
        r = sizes["haven"] / sizes["restic"]
        line += f"; Haven/restic {r:.3f} (target within 2 %: {'PASS' if abs(r - 1) <= 0.02 else 'FAIL'})"
    print(line + ".")
    for tool in ("haven", "restic"):
        blobs = int(metrics.get(f"blobs-{tool}", "0"))
        if blobs:
            per = [f"{step} {table.median(tool, step, 4) * 1024 / blobs:,.0f} B"
                   for step in ("check", "prune") if table.median(tool, step, 4)]
            print(f"Memory per indexed blob, {tool} ({blobs:,} blobs in round 1's repository): peak RSS / blobs = {', '.join(per)}.")
    print()

    if "limit-sha256" in metrics:
        print("Machine limits (one core unless noted): "
              f"SHA-256 {mb_per_s(metrics, 'limit-sha256')} (`openssl speed -evp sha256`, 1 MiB blocks); "
              f"AES-256-CTR {mb_per_s(metrics, 'limit-aes-256-ctr')}; "
              f"zstd -3 {metrics.get('limit-zstd3')} MB/s compress, {metrics.get('limit-zstd3-decompress')} MB/s decompress, "
              f"ratio {metrics.get('limit-zstd3-ratio')} (`zstd -b3` on a tar of the tree, wall clock); "
              f"page-cache read {mb_per_s(metrics, 'limit-page-cache-read')} (`tar | cat`, wall clock); "
              f"`tar | zstd -3 -T2` {mb_per_s(metrics, 'limit-tar-zstd3-T2')} (2 threads, wall clock). "
              "openssl counts CPU seconds; the wall-clock figures drop with the load average "
              "(bench/stages.sh gives zstd per CPU second).")
        print()
    if "haven-timings" in metrics:
        print("Haven's fixed cost, one small file restored with `HAVEN_TIMINGS=1` (round 1):")
        print()
        for item in metrics["haven-timings"].split(";"):
            if item.strip():
                print(f"    {item.strip()}")
        print()

    print("<details><summary>Every run (seconds, in round order)</summary>")
    print()
    print("| phase | tool | runs | peak RSS MiB |")
    print("|---|---|---|---|")
    tools = []
    for r in rows:
        if r[0] not in tools:
            tools.append(r[0])
    for step, label, _ in PHASES + [("mutate-unchanged", "unchanged after mutate", False)]:
        for tool in tools:
            values = table.values(tool, step)
            if values:
                rss = " ".join(f"{v / 1024:.0f}" for v in table.values(tool, step, 4))
                print(f"| {label} | {tool} | {' '.join(f'{v:.2f}' for v in values)} | {rss} |")
    print()
    print("</details>")


if __name__ == "__main__":
    main()
