#!/usr/bin/env python3
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""Replaces one part of bench/RESULTS.md with stdin, keeping the other.

    results_section.py comparison|stages RESULTS.md < TEXT

bench/run.sh --write owns the part above MARKER (the comparison), bench/stages.sh --write the
part below it (the per-stage table), so either can be rerun alone.
"""
import os
import sys

MARKER = "<!-- bench/stages.sh --write replaces what follows -->"


def main():
    part, path = sys.argv[1], sys.argv[2]
    text = sys.stdin.read().rstrip("\n") + "\n"
    old = open(path).read() if os.path.exists(path) else ""
    head, found, tail = old.partition(MARKER)
    if not found:
        head, tail = "", ""
    if part == "comparison":
        head = text
    elif part == "stages":
        tail = text
    else:
        sys.exit(f"results_section.py: unknown part {part!r} (comparison, stages)")
    with open(path + ".new", "w") as f:
        f.write(head.rstrip("\n") + "\n\n" + MARKER + "\n" + ("\n" + tail.lstrip("\n") if tail.strip() else ""))
    os.replace(path + ".new", path)


if __name__ == "__main__":
    main()
