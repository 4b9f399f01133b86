#!/usr/bin/env python3
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""Generate and compare file trees for backup/restore round-trip tests.

  fstree.py generate DIR [--seed N] [--scale small|medium]
  fstree.py compare A B [--atime] [--sparse] [--ignore PATH]...

Paths are bytes everywhere, and both commands walk through directory file descriptors with
relative names, so trees deeper than PATH_MAX (4096 bytes) work. Links are never followed.

compare prints one line per difference, naming the path relative to the root as a Python bytes
repr (the root itself is b'.'), and exits 1 if there was any; otherwise it prints
"identical: N entries" and exits 0. --ignore PATH skips PATH and everything below it;
--ignore . skips only the metadata of the two roots themselves.

Layout made by generate (paths that tests may rely on):
  files/empty, files/small.txt, files/100k.bin, files/big.bin (> 9 MiB), files/repetitive.bin
  files/sparse.bin (8 MiB, two data regions), empty-dir/, nested/a/b/c/deep.txt
  links/relative -> ../files/small.txt, links/absolute -> /etc/hostname,
  links/dangling -> ../does/not/exist, links/to-dir -> ../nested
  hardlinks/one, hardlinks/a/two, hardlinks/b/three (one inode)
  special/fifo, special/char-null (1,3), special/block-loop (7,0)
  modes/setuid, modes/setgid, modes/sticky-dir/, modes/setgid-dir/, modes/readonly
  owners/uid1234, owners/unknown-uid, xattrs/file (user.comment, user.binary, user.empty)
  names/... (odd names), long/<200-byte dir>/.../leaf.txt (> 4096-byte path)
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fstree_compare import compare  # noqa: E402
from fstree_generate import generate  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="fstree.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="make a deterministic tree with every kind of entry")
    gen.add_argument("dir")
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--scale", choices=["small", "medium"], default="small")
    cmp = sub.add_parser("compare", help="compare two trees entry by entry")
    cmp.add_argument("a")
    cmp.add_argument("b")
    cmp.add_argument("--atime", action="store_true", help="also compare access times")
    cmp.add_argument("--sparse", action="store_true", help="files sparse in A must be sparse in B")
    cmp.add_argument("--ignore", action="append", default=[], metavar="PATH",
                     help="relative path to skip with everything below it (repeatable)")
    args = parser.parse_args(argv)
    if args.command == "generate":
        count = generate(os.fsencode(args.dir), args.seed, args.scale)
        print(f"generated: {count} entries")
        return 0
    ignore = {os.fsencode(p).strip(b"/") or b"." for p in args.ignore}
    differences, count = compare(os.fsencode(args.a), os.fsencode(args.b),
                                 atime=args.atime, sparse=args.sparse, ignore=ignore)
    for line in differences:
        print(line)
    if differences:
        return 1
    print(f"identical: {count} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
