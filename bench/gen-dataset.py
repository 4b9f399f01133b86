#!/usr/bin/env python3
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""Writes a deterministic, mixed backup data set for benchmarks, and changes it (standard library only).

    gen-dataset.py [generate] DIR [--size-mb 1600] [--seed 1]
    gen-dataset.py mutate DIR [--seed 1] [--step 1] [--percent 5]

generate: the same arguments always give the same bytes, names and modification times.
At the default 1,600 MiB (the tree of issue 6):

  src/    ~10 %  20,000 small source-like text files (scaled with --size-mb), 200 B .. 40 KB,
                 compressible like real code, in a tree of nested packages
  logs/   ~13 %  a few log files with timestamped, varying lines
  media/  ~42 %  incompressible media-like files (random bytes), 1 .. 8 MiB
  db/     ~35 %  two large database/VM-image-like files: 8 KiB pages, runs of zero pages,
                 pages repeated from earlier in the file, and semi-compressible record pages

DIR must not exist or be empty. Prints the totals (files, bytes) at the end.

mutate: changes about --percent of the bytes of an existing tree the way a day of work does:
edits inside 3 % of the source files, 1 % of them deleted and as many added, lines appended to
every log, one media file replaced by a new one, and the rest of the budget as regions
overwritten in place inside the database/VM images (same inode, same size). Changed files get the
modification time of --step (so every tool sees them as changed); the same tree, seed and step
always give the same result. Prints what it changed.
"""
import argparse
import os
import random
import sys

MIB = 1 << 20
PAGE = 8192
MTIME = 1_700_000_000
DEFAULT_MB = 1600
SOURCE_FILES = 20000  # at DEFAULT_MB

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


def source_file(rng, pool):
    size = int(min(40000, max(200, rng.lognormvariate(8.6, 0.9))))
    out, n = [], 0
    while n < size:
        line = rng.choice(pool)
        out.append(line)
        n += len(line)
    return b"".join(out)


SOURCE_EXT = [".c", ".h", ".go", ".cs", ".py", ".rs", ".js", ".md"]


def gen_src(rng, root, count, stats):
    pool = source_lines(rng, 30000)
    dirs = [""]
    for i in range(max(1, count // 25)):
        parent = rng.choice(dirs)
        dirs.append(os.path.join(parent, f"pkg{i:03d}"))
    for i in range(count):
        data = source_file(rng, pool)
        d = rng.choice(dirs)
        write(os.path.join(root, "src", d, f"file{i:05d}{rng.choice(SOURCE_EXT)}"), data, stats)


def log_lines(rng, budget, t):
    levels = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
    comps = ["http", "db", "cache", "auth", "scheduler", "worker", "backup", "storage"]
    msgs = [" ".join(rng.choice(WORDS) for _ in range(rng.randrange(4, 12))) for _ in range(400)]
    out, n = [], 0
    while n < budget:
        t += rng.expovariate(20.0)
        line = "%d.%06d %s [%s] req=%08x dur=%dms %s\n" % (
            int(t), int((t % 1) * 1e6), rng.choice(levels), rng.choice(comps),
            rng.getrandbits(32), rng.randrange(0, 5000), rng.choice(msgs))
        out.append(line.encode())
        n += len(line)
    return b"".join(out), t


def gen_logs(rng, root, budget, stats):
    files = max(1, min(12, budget // (4 * MIB)))
    per_file = budget // files
    t = 1_690_000_000.0
    for i in range(files):
        data, t = log_lines(rng, per_file, t)
        write(os.path.join(root, "logs", f"service{i:02d}.log"), data, stats)


def gen_media(rng, root, budget, stats):
    i = 0
    while budget > 0:
        size = min(budget, rng.randrange(1 * MIB, 8 * MIB))
        kind = rng.choice(["jpg", "mp4", "zip", "png"])
        write(os.path.join(root, "media", f"item{i:04d}.{kind}"), rng.randbytes(size), stats)
        budget -= size
        i += 1


RECORD_WORDS = [w.encode() for w in WORDS]


def record_page(rng, number):
    """A database page: header, then semi-compressible rows."""
    rows = [number.to_bytes(4, "little"), b"\x0d\x00\x00\x00"]
    n = 8
    while n < PAGE:
        row = b"%d|%s|%s|%d;" % (
            rng.getrandbits(40), rng.choice(RECORD_WORDS), rng.choice(RECORD_WORDS), rng.randrange(0, 1 << 20))
        rows.append(row)
        n += len(row)
    return b"".join(rows)[:PAGE]


def gen_db(rng, root, budget, stats):
    names = ["app.sqlite", "vm-disk.img"]
    per_file = budget // len(names)
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
                else:
                    page = record_page(rng, p)
                if len(written) < 4096:
                    written.append(page)
                f.write(page)
                p += 1
        os.utime(path, (MTIME, MTIME))
        stats[0] += 1
        stats[1] += pages * PAGE


def generate(args):
    if os.path.exists(args.dir) and os.listdir(args.dir):
        sys.exit(f"gen-dataset.py: {args.dir} is not empty; give a new directory")
    total = args.size_mb * MIB
    stats = [0, 0]
    # Each part gets its own generator, so changing one part's code leaves the others' bytes alone.
    gen_src(random.Random(f"{args.seed}/src"), args.dir, max(1, args.size_mb * SOURCE_FILES // DEFAULT_MB), stats)
    gen_logs(random.Random(f"{args.seed}/logs"), args.dir, total * 13 // 100, stats)
    db_budget = total * 35 // 100
    gen_media(random.Random(f"{args.seed}/media"), args.dir, max(MIB, total - stats[1] - db_budget), stats)
    gen_db(random.Random(f"{args.seed}/db"), args.dir, db_budget, stats)
    set_dir_times(args.dir, MTIME)
    print(f"{stats[0]} files, {stats[1]} bytes ({stats[1] / MIB:.0f} MiB) in {args.dir}")


def set_dir_times(root, mtime):
    for dirpath, dirnames, _ in os.walk(root, topdown=False):
        for d in dirnames:
            os.utime(os.path.join(dirpath, d), (mtime, mtime))
    os.utime(root, (mtime, mtime))


def list_files(root):
    """Every regular file as (relative path, size), sorted, so a mutation depends only on the tree."""
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            files.append((os.path.relpath(path, root), os.path.getsize(path)))
    files.sort()
    return files


def mutate(args):
    root = args.dir
    if not os.path.isdir(os.path.join(root, "src")):
        sys.exit(f"gen-dataset.py: {root} is not a data set made by gen-dataset.py (no src/)")
    rng = random.Random(f"{args.seed}/mutate/{args.step}")
    mtime = MTIME + 86400 * args.step
    files = list_files(root)
    total = sum(size for _, size in files)
    budget = total * args.percent // 100
    changed = {"edited": 0, "appended": 0, "overwritten": 0, "added": 0, "deleted": 0}
    spent = 0

    def touch(path):
        os.utime(path, (mtime, mtime))

    src = [path for path, _ in files if path.startswith("src" + os.sep)]
    pool = source_lines(rng, 3000)
    for rel in rng.sample(src, max(1, len(src) * 3 // 100)):  # edit a run of lines in the middle
        path = os.path.join(root, rel)
        with open(path, "rb") as f:
            lines = f.read().splitlines(keepends=True)
        start = rng.randrange(len(lines))
        end = min(len(lines), start + rng.randrange(1, 20))
        lines[start:end] = [rng.choice(pool) for _ in range(rng.randrange(1, 20))]
        data = b"".join(lines)
        with open(path, "wb") as f:  # in place: same inode, as an editor saving over it would
            f.write(data)
        touch(path)
        changed["edited"] += 1
        spent += len(data)
    victims = set(rng.sample(src, max(1, len(src) // 100)))
    for rel in sorted(victims):
        os.remove(os.path.join(root, rel))
        changed["deleted"] += 1
    src_dirs = sorted({os.path.dirname(rel) for rel in src if rel not in victims})
    for i in range(len(victims)):
        data = source_file(rng, pool)
        path = os.path.join(root, rng.choice(src_dirs), f"new{args.step:03d}-{i:05d}{rng.choice(SOURCE_EXT)}")
        write(path, data, [0, 0])
        touch(path)
        changed["added"] += 1
        spent += len(data)

    logs = [path for path, _ in files if path.startswith("logs" + os.sep)]
    t = 1_800_000_000.0 + 86400 * args.step
    for rel in logs:
        data, t = log_lines(rng, max(4096, total // 200 // max(1, len(logs))), t)
        path = os.path.join(root, rel)
        with open(path, "ab") as f:
            f.write(data)
        touch(path)
        changed["appended"] += 1
        spent += len(data)

    media = [(path, size) for path, size in files if path.startswith("media" + os.sep)]
    if media:
        # The media file nearest 1 % of the tree, so small trees keep to the budget too.
        rel, size = min(media, key=lambda item: (abs(item[1] - total // 100), item[0]))
        os.remove(os.path.join(root, rel))
        changed["deleted"] += 1
        path = os.path.join(root, "media", f"new{args.step:03d}.{rng.choice(['jpg', 'mp4', 'zip', 'png'])}")
        write(path, rng.randbytes(size), [0, 0])
        touch(path)
        changed["added"] += 1
        spent += size

    # The rest of the budget: regions of 256 KiB .. 2 MiB overwritten inside the images, as a database
    # or a VM rewrites its pages in place.
    images = [(path, size) for path, size in files if path.startswith("db" + os.sep) and size >= 4 * MIB]
    while images and spent < budget:
        rel, size = rng.choice(images)
        length = min(budget - spent, rng.randrange(32, 256) * PAGE)
        length = max(PAGE, length - length % PAGE)
        offset = rng.randrange(0, (size - length) // PAGE + 1) * PAGE
        region = b"".join(rng.randbytes(PAGE) if rng.random() < 0.4 else record_page(rng, (offset // PAGE) + k)
                          for k in range(length // PAGE))
        with open(os.path.join(root, rel), "r+b") as f:
            f.seek(offset)
            f.write(region)
        changed["overwritten"] += 1
        spent += length
    for rel, _ in images:
        touch(os.path.join(root, rel))

    set_dir_times(root, mtime)
    summary = ", ".join(f"{count} {what}" for what, count in changed.items())
    print(f"step {args.step}: {summary}; {spent} of {total} bytes ({100 * spent / total:.1f} %) in {root}")


def main():
    argv = sys.argv[1:]
    command = "generate"
    if argv and argv[0] in ("generate", "mutate"):
        command = argv.pop(0)
    parser = argparse.ArgumentParser(prog=f"gen-dataset.py {command}", description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, default=1)
    if command == "generate":
        parser.add_argument("--size-mb", type=int, default=DEFAULT_MB, help=f"total size in MiB (default {DEFAULT_MB})")
    else:
        parser.add_argument("--step", type=int, default=1, help="which mutation (1, 2, ...): sets the new times")
        parser.add_argument("--percent", type=int, default=5, help="share of the bytes to change (default 5)")
    args = parser.parse_args(argv)
    if command == "generate":
        generate(args)
    else:
        mutate(args)


if __name__ == "__main__":
    main()
