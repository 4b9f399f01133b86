#!/usr/bin/env python3
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""Writes a deterministic, mixed backup data set for benchmarks (Python standard library only).

    gen-dataset.py DIR [--size-mb 400] [--seed 1]

The same arguments always give the same bytes, names and modification times. Shares of the total:

  src/    ~12 %  many small source-like text files (5,000 at the default size), 200 B .. 40 KB,
                 compressible like real code, in a tree of nested packages
  logs/   ~13 %  a few log files with timestamped, varying lines
  media/  ~40 %  incompressible media-like files (random bytes), 1 .. 8 MiB
  db/     ~35 %  two large database/VM-image-like files: 8 KiB pages, runs of zero pages,
                 pages repeated from earlier in the file, and semi-compressible record pages

DIR must not exist or be empty. Prints the totals (files, bytes) at the end.
"""
import argparse
import os
import random
import sys

MIB = 1 << 20
PAGE = 8192
MTIME = 1_700_000_000

WORDS = (
    "if else for while return int long string var let const fn func def class struct impl "
    "public private static void async await import from package namespace using new null nil "
    "true false self this err ctx buffer length offset count index value key name path file "
    "read write open close error result config options handler request response stream chunk "
    "blob tree node snapshot repository backend pack hash encrypt decrypt compress tokens"
).split()
PUNCT = ["(", ")", "{", "}", ";", ",", ".", " = ", " == ", " + ", " - ", "[", "]", ": ", " -> "]


def source_lines(rng, count):
    lines = []
    for _ in range(count):
        indent = "    " * rng.randrange(0, 5)
        parts = []
        for _ in range(rng.randrange(2, 12)):
            parts.append(rng.choice(WORDS))
            if rng.random() < 0.45:
                parts.append(rng.choice(PUNCT))
            elif rng.random() < 0.2:
                parts.append(str(rng.randrange(0, 100000)))
        if rng.random() < 0.1:
            parts = ["// ", " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 14)))]
        lines.append((indent + " ".join(parts) + "\n").encode())
    return lines


def write(path, data, stats):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (MTIME, MTIME))
    stats[0] += 1
    stats[1] += len(data)


def gen_src(rng, root, budget, stats):
    pool = source_lines(rng, 30000)
    count = max(1, budget // 8400)
    dirs = [""]
    for i in range(max(1, count // 25)):
        parent = rng.choice(dirs)
        dirs.append(os.path.join(parent, f"pkg{i:03d}"))
    ext = [".c", ".h", ".go", ".cs", ".py", ".rs", ".js", ".md"]
    for i in range(count):
        size = int(min(40000, max(200, rng.lognormvariate(8.6, 0.9))))
        out, n = [], 0
        while n < size:
            line = rng.choice(pool)
            out.append(line)
            n += len(line)
        d = rng.choice(dirs)
        write(os.path.join(root, "src", d, f"file{i:05d}{rng.choice(ext)}"), b"".join(out), stats)


def gen_logs(rng, root, budget, stats):
    levels = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
    comps = ["http", "db", "cache", "auth", "scheduler", "worker", "backup", "storage"]
    msgs = [" ".join(rng.choice(WORDS) for _ in range(rng.randrange(4, 12))) for _ in range(400)]
    files = max(1, min(12, budget // (4 * MIB)))
    per_file = budget // files
    t = 1_690_000_000.0
    for i in range(files):
        out, n = [], 0
        while n < per_file:
            t += rng.expovariate(20.0)
            line = "%d.%06d %s [%s] req=%08x dur=%dms %s\n" % (
                int(t), int((t % 1) * 1e6), rng.choice(levels), rng.choice(comps),
                rng.getrandbits(32), rng.randrange(0, 5000), rng.choice(msgs))
            out.append(line.encode())
            n += len(line)
        write(os.path.join(root, "logs", f"service{i:02d}.log"), b"".join(out), stats)


def gen_media(rng, root, budget, stats):
    i = 0
    while budget > 0:
        size = min(budget, rng.randrange(1 * MIB, 8 * MIB))
        kind = rng.choice(["jpg", "mp4", "zip", "png"])
        write(os.path.join(root, "media", f"item{i:04d}.{kind}"), rng.randbytes(size), stats)
        budget -= size
        i += 1


def gen_db(rng, root, budget, stats):
    names = ["app.sqlite", "vm-disk.img"]
    per_file = budget // len(names)
    record_words = [w.encode() for w in WORDS]
    for name in names:
        pages = max(1, per_file // PAGE)
        written = []
        path = os.path.join(root, "db", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            p = 0
            while p < pages:
                r = rng.random()
                if r < 0.15:  # a run of zero pages (free space, unallocated image blocks)
                    run = min(pages - p, rng.randrange(8, 256))
                    f.write(bytes(PAGE * run))
                    p += run
                    continue
                if r < 0.30 and written:  # a page repeated from earlier in the file
                    page = written[rng.randrange(len(written))]
                elif r < 0.55:  # an incompressible page (blobs, encrypted or compressed data)
                    page = rng.randbytes(PAGE)
                else:  # a record page: header, then semi-compressible rows
                    rows = [p.to_bytes(4, "little"), b"\x0d\x00\x00\x00"]
                    n = 8
                    while n < PAGE:
                        row = b"%d|%s|%s|%d;" % (
                            rng.getrandbits(40), rng.choice(record_words),
                            rng.choice(record_words), rng.randrange(0, 1 << 20))
                        rows.append(row)
                        n += len(row)
                    page = b"".join(rows)[:PAGE]
                if len(written) < 4096:
                    written.append(page)
                f.write(page)
                p += 1
        os.utime(path, (MTIME, MTIME))
        stats[0] += 1
        stats[1] += pages * PAGE


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--size-mb", type=int, default=400, help="total size in MiB (default 400)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if os.path.exists(args.dir) and os.listdir(args.dir):
        sys.exit(f"gen-dataset.py: {args.dir} is not empty")
    total = args.size_mb * MIB
    stats = [0, 0]
    # Each part gets its own generator, so changing one part's code leaves the others' bytes alone.
    gen_src(random.Random(f"{args.seed}/src"), args.dir, total * 12 // 100, stats)
    gen_logs(random.Random(f"{args.seed}/logs"), args.dir, total * 13 // 100, stats)
    gen_media(random.Random(f"{args.seed}/media"), args.dir, total * 40 // 100, stats)
    gen_db(random.Random(f"{args.seed}/db"), args.dir, total * 35 // 100, stats)
    for dirpath, dirnames, _ in os.walk(args.dir, topdown=False):
        for d in dirnames:
            os.utime(os.path.join(dirpath, d), (MTIME, MTIME))
    print(f"{stats[0]} files, {stats[1]} bytes ({stats[1] / MIB:.0f} MiB) in {args.dir}")


if __name__ == "__main__":
    main()
