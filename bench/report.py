#!/usr/bin/env python3
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""Turns bench/run.sh's measurements into the Markdown table of issue 6.

    report.py RESULTS.tsv METRICS.tsv [PROFILES-DIR]

RESULTS.tsv: tool, step, round, wall seconds, peak RSS KiB, user and system CPU seconds (repo-bytes
rows: bytes, 0). METRICS.tsv: name, value. PROFILES-DIR: Haven's HAVEN_PROFILE files, STEP-ROUND.tsv
(see src/Haven.Cli/Output/PhaseTimingsPrinter.cs), for "where the time goes". Ratios are peer time / Haven time, the way the issue states its targets
("1.5x restic's throughput"): above 1 means Haven is faster.
"""
import os
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


# Stages of Haven's profile, in data-path order, with the machine limit each is held against:
# (metric of bench/run.sh's limits step, what it is).
STAGES = [
    ("walk", None), ("tree", None), ("create", None), ("read", ("limit-page-cache-read", "page-cache read, tar \\| cat")),
    ("chunk", None), ("hash", ("limit-sha256", "openssl sha256")), ("queue", None),
    ("compress", ("limit-zstd3", "zstd -b3")), ("encrypt", ("limit-aes-256-ctr", "openssl aes-256-ctr, no MAC")),
    ("pack", None), ("decrypt", ("limit-aes-256-ctr", "openssl aes-256-ctr, no MAC")),
    ("decompress", ("limit-zstd3-decompress", "zstd -b3 -d")), ("write", None), ("metadata", None),
]
STAGE_MEANING = {
    "walk": "directory listing, stat, xattrs, owner names",
    "tree": "tree JSON built, parent trees parsed (backup); trees parsed (restore)",
    "create": "creating and opening restored files and directories",
    "read": "open + read of source files (backup); pack reads (restore, check); includes waits",
    "chunk": "content-defined chunking",
    "hash": "SHA-256 of chunks, trees and packs",
    "queue": "copy to the savers + waiting while they are all busy (a stall, not CPU)",
    "compress": "zstd level 1, 2^16 hash table (blob data)",
    "encrypt": "AES-256-CTR + Poly1305",
    "pack": "sealed blobs added to the open pack",
    "decrypt": "Poly1305 check + AES-256-CTR",
    "decompress": "zstd",
    "write": "pack upload + index (backup); file content written (restore)",
    "metadata": "owner, mode, xattrs, times of restored entries",
}
# Stages whose time is waiting rather than work; not counted as CPU.
WAIT_STAGES = {"queue"}
PROFILED_PHASES = ["first", "unchanged", "mutate", "restore", "check", "prune"]


def load_profiles(directory):
    """{step: [profile per round]}, each profile {"stage": {name: (s, bytes, calls)}, "phase": {..}, "process": {..}}."""
    profiles = {}
    if not directory or not os.path.isdir(directory):
        return profiles
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".tsv"):
            continue
        step = name[:-4].rsplit("-", 1)[0]
        profile = {"stage": {}, "phase": {}, "process": {}}
        for line in open(os.path.join(directory, name)):
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "stage" and len(fields) == 5:
                profile["stage"][fields[1]] = (float(fields[2]), int(fields[3]), int(fields[4]))
            elif fields[0] in ("phase", "process") and len(fields) == 3:
                profile[fields[0]][fields[1]] = float(fields[2])
        profiles.setdefault(step, []).append(profile)
    return profiles


def median_of(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def where_the_time_goes(table, metrics, profiles):
    """One table per profiled phase: each stage's time beside the machine limit, and the limiting stage."""
    cores = int(metrics.get("cores", "2"))
    labels = dict((step, label) for step, label, _ in PHASES)
    print("## Where the time goes (Haven's profile of each run)")
    print()
    print("From `HAVEN_PROFILE` of every Haven run above (medians over the rounds). A stage's seconds are summed over "
          "the threads that ran it (Stopwatch time on each thread: on a loaded machine it includes moments a thread "
          "waited for a core); MB/s is bytes per such second, so per core; limits are one core's (`openssl speed`, "
          "`zstd -b3`). CPU is the process's user + system seconds; \"other CPU\" is CPU no stage accounts for "
          "(start-up, JIT, key derivation, index loading, GC, bookkeeping). The cores were busy CPU / (wall × "
          f"{cores}) of the time.")
    print()
    verdicts = []
    for step in PROFILED_PHASES:
        runs = profiles.get(step)
        if not runs:
            continue
        wall = table.median("haven", step)
        cpu = table.cpu_median("haven", step)
        if cpu is None:
            cpu = median_of([r["process"].get("user-cpu", 0) + r["process"].get("system-cpu", 0) for r in runs])
        rows = []
        for stage, limit in STAGES:
            measured = [r["stage"][stage] for r in runs if stage in r["stage"]]
            if not measured:
                continue
            seconds_ = median_of([m[0] for m in measured])
            bytes_ = median_of([m[1] for m in measured])
            calls = median_of([m[2] for m in measured])
            rows.append((stage, seconds_, bytes_, calls, limit))
        work = sum(r[1] for r in rows if r[0] not in WAIT_STAGES)
        busy = cpu / (wall * cores) if wall and cpu is not None else None
        print(f"### {labels.get(step, step)}: wall {seconds(wall)} s, CPU {seconds(cpu)} s"
              + (f" ({busy:.0%} of {cores} cores busy)" if busy is not None else "")
              + f", GC pauses {median_of([r['process'].get('gc-pause') for r in runs]) or 0:.2f} s, "
              f"allocated {(median_of([r['process'].get('allocated-bytes') for r in runs]) or 0) / MIB:,.0f} MiB")
        print()
        print("| stage | seconds | share of staged time | MB | calls | MB/s per core | machine limit per core | Haven / limit | what |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for stage, seconds_, bytes_, calls, limit in rows:
            rate = bytes_ / seconds_ / 1e6 if bytes_ and seconds_ > 0 else None
            limit_value = None
            if limit and metrics.get(limit[0]):
                # zstd -b prints MB/s; the other limits are bytes per second.
                limit_value = float(metrics[limit[0]]) / (1 if limit[0].startswith("limit-zstd3") else 1e6)
            share = "wait" if stage in WAIT_STAGES else (f"{seconds_ / work:.0%}" if work else "–")
            print(f"| {stage} | {seconds_:.2f} | {share} | {bytes_ / 1e6 if bytes_ else 0:,.0f} | {calls:,.0f} "
                  f"| {f'{rate:,.0f}' if rate else '–'} "
                  f"| {f'{limit_value:,.0f} ({limit[1]})' if limit_value else '–'} "
                  f"| {f'{rate / limit_value:.2f}' if rate and limit_value else '–'} | {STAGE_MEANING.get(stage, '')} |")
        if cpu is not None and cpu > work:
            print(f"| other CPU | {cpu - work:.2f} | | | | | | | start-up, JIT, key derivation, index, GC, bookkeeping |")
        names = [name for name in runs[0]["phase"] if name not in ("command body", "process so far")]
        fixed = {name: median_of([r["phase"].get(name) for r in runs]) for name in names}
        print()
        print("Fixed cost (wall): " + ", ".join(f"{name} {value:.2f} s" for name, value in fixed.items() if value is not None) + ".")
        print()
        loaded = cpu is not None and work > 1.1 * cpu
        if loaded:
            print(f"The stages add up to {work:.2f} s, more than the {cpu:.2f} CPU seconds: threads waited for a core "
                  "(a loaded machine), so read the shares, not the MB/s.")
            print()
        verdict = limiting_stage(step, rows, cpu, busy, cores)
        # Index loading runs during the lock's settle delay and key derivation inside opening: not added twice.
        fixed_total = sum(fixed.get(name) or 0 for name in (
            "start-up (runtime, JIT, parsing)", "open repository (with key derivation)", "snapshot listing", "lock (with its settle delay)"))
        if wall and fixed_total >= 0.4 * wall:
            verdict = (f"fixed cost first: start-up, opening (key derivation), snapshot listing and lock take "
                       f"{fixed_total:.2f} s of the {wall:.2f} s wall; then {verdict[0].lower()}{verdict[1:]}")
        if loaded:
            verdict += " (Measured on a loaded machine: the shares roughly hold, the busy figure does not.)"
        verdicts.append(f"- {labels.get(step, step)}: {verdict}")
        print(f"Limited by: {verdict}")
        print()
    if verdicts:
        print("Which stage limits each phase (the closing note's list):")
        print()
        print("\n".join(verdicts))
        print()


def limiting_stage(step, rows, cpu, busy, cores):
    """Names what bounds a phase: with the cores busy, the stage using most CPU; else the stall or wait."""
    work = [(seconds_, stage) for stage, seconds_, *_ in rows if stage not in WAIT_STAGES]
    if not work or cpu is None:
        return "no profile"
    work.sort(reverse=True)
    top_seconds, top = work[0]
    total = sum(seconds_ for seconds_, _ in work)
    text = f"{top} ({top_seconds / total:.0%} of the staged time"
    if len(work) > 1:
        text += f"; next {work[1][1]} {work[1][0] / total:.0%}"
    text += ")"
    queue = next((seconds_ for stage, seconds_, *_ in rows if stage == "queue"), 0)
    if busy is not None and busy >= 0.8:
        return f"CPU-bound ({busy:.0%} of {cores} cores busy); the largest stage is {text}."
    if queue and queue > 0.25 * top_seconds:
        return (f"not CPU-bound ({busy:.0%} of {cores} cores busy): readers waited {queue:.2f} s for the savers, "
                f"so compress + encrypt + pack bound it; the largest stage is {text}.")
    return (f"not CPU-bound ({busy:.0%} of {cores} cores busy): the pipeline waits (I/O, one thread, or fixed cost); "
            f"the largest stage is {text}.")


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
        return [float(r[column]) for r in self.rows if r[0] == tool and r[1] == step and len(r) > column]

    def cpu_median(self, tool, step):
        """User + system CPU seconds (columns 5 and 6), median over the rounds."""
        values = [float(r[5]) + float(r[6]) for r in self.rows if r[0] == tool and r[1] == step and len(r) > 6]
        return statistics.median(values) if values else None

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
    profiles = load_profiles(sys.argv[3] if len(sys.argv) > 3 else None)
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

    if any(table.cpu_median("haven", step) is not None for step, _, _ in PHASES):
        print("CPU seconds (user + system, median; `/usr/bin/time`): less noisy than wall time on a shared machine.")
        print()
        print("| phase | Haven | restic | Borg zstd-3 | restic/Haven |")
        print("|---|---:|---:|---:|---:|")
        for step, label, _ in PHASES:
            h, r, b = (table.cpu_median(tool, step) for tool in ("haven", "restic", "borg"))
            if h is None and r is None:
                continue
            print(f"| {label} | {seconds(h)} | {seconds(r)} | {seconds(b)} | {ratio_text(ratio(r, h))} |")
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

    where_the_time_goes(table, metrics, profiles)

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
