#!/usr/bin/env python3
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""mutate_tree.py DIR --seed N: a deterministic mutation of a tree made by fstree.py generate.

Applies 3 to 8 operations chosen by the seed: edit bytes in place, append, truncate, delete,
create (small, large or a copy of another file's content, so it deduplicates), rename and chmod.
It touches regular files under files/ (not sparse.bin), nested/, hardlinks/one (edited in place,
so all three links change) and soak/, a folder it creates. Every changed file and folder gets an
mtime and atime derived from the seed, so the same tree mutated with the same seed gives an
identical tree (fstree.py compare), whatever the wall clock: crash-soak.sh rebuilds each state
from its recipe (generate seed, then mutation seeds) to know what a snapshot must restore to.
"""
import argparse
import os
import random
import stat
import sys

KIB = 1024
MIB = 1024 * KIB
# 2024-01-01 onwards, later than anything fstree generate writes.
_BASE_NS = 1_704_067_200 * 1_000_000_000
_AREAS = (b"files", b"nested", b"soak")
_KEEP = {b"files/sparse.bin"}
_EDIT_ONLY = {b"hardlinks/one"}


class _Mutation:
    def __init__(self, root: bytes, seed: int):
        self.root = root
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = _BASE_NS + (seed % 100_000_000) * 1_000_000_000
        self.touched_dirs: set[bytes] = set()
        self.log: list[str] = []

    def path(self, rel: bytes) -> bytes:
        return os.path.join(self.root, rel)

    def tick(self) -> int:
        self.clock += self.rng.randrange(1, 1_000_000_000)
        return self.clock

    def stamp(self, rel: bytes) -> None:
        t = self.tick()
        os.utime(self.path(rel), ns=(t, t), follow_symlinks=False)

    def files(self) -> list[bytes]:
        found = [rel for rel in sorted(_EDIT_ONLY) if os.path.isfile(self.path(rel))]
        for area in _AREAS:
            if not os.path.isdir(self.path(area)):
                continue
            for top, dirs, names in os.walk(self.path(area)):
                dirs.sort()
                for name in sorted(names):
                    full = os.path.join(top, name)
                    rel = os.path.relpath(full, self.root)
                    if rel not in _KEEP and stat.S_ISREG(os.lstat(full).st_mode):
                        found.append(rel)
        return sorted(found)

    def write(self, rel: bytes, data: bytes, offset: int | None = None, append: bool = False) -> None:
        flags = os.O_WRONLY | os.O_CLOEXEC
        if offset is None and not append:
            flags |= os.O_CREAT | os.O_EXCL
        if append:
            flags |= os.O_APPEND
        fd = os.open(self.path(rel), flags, 0o600)
        try:
            if offset is not None:
                os.lseek(fd, offset, os.SEEK_SET)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def new_name(self) -> bytes:
        folder = b"soak/d%d" % self.rng.randrange(3)
        if not os.path.isdir(self.path(b"soak")):
            os.mkdir(self.path(b"soak"))
            os.chmod(self.path(b"soak"), 0o755)
            self.touched_dirs.add(b".")
        if not os.path.isdir(self.path(folder)):
            os.mkdir(self.path(folder))
            os.chmod(self.path(folder), 0o755)
            self.touched_dirs.add(b"soak")
        self.touched_dirs.add(folder)
        return b"%s/f%d-%d" % (folder, self.seed, self.rng.randrange(1_000_000))

    def random_size(self) -> int:
        roll = self.rng.random()
        if roll < 0.1:
            return 0
        if roll < 0.8:
            return self.rng.randrange(1, 64 * KIB)
        return self.rng.randrange(1 * MIB, 3 * MIB)

    def operate(self) -> None:
        files = self.files()
        removable = [f for f in files if f not in _EDIT_ONLY]
        op = self.rng.choice(["edit", "edit", "append", "truncate", "delete", "create", "create",
                              "copy", "rename", "chmod"])
        if op in ("delete", "truncate", "rename", "chmod") and not removable:
            op = "create"
        if op in ("edit", "append"):
            rel = self.rng.choice(files)
            size = os.lstat(self.path(rel)).st_size
            if op == "edit" and size > 0:
                offset = self.rng.randrange(size)
                self.write(rel, self.rng.randbytes(min(size - offset, self.rng.randrange(1, 4097))), offset=offset)
            else:
                self.write(rel, self.rng.randbytes(self.rng.randrange(1, 200 * KIB)), append=True)
            self.stamp(rel)
        elif op == "truncate":
            rel = self.rng.choice(removable)
            os.truncate(self.path(rel), self.rng.randrange(os.lstat(self.path(rel)).st_size + 1))
            self.stamp(rel)
        elif op == "delete":
            rel = self.rng.choice(removable)
            os.unlink(self.path(rel))
            self.touched_dirs.add(os.path.dirname(rel) or b".")
        elif op in ("create", "copy"):
            source = self.rng.choice(files) if op == "copy" and files else None
            rel = self.new_name()
            if os.path.lexists(self.path(rel)):
                return
            if source is None:
                data = self.rng.randbytes(self.random_size())
            else:
                with open(self.path(source), "rb") as f:
                    data = f.read()
            self.write(rel, data)
            os.chmod(self.path(rel), 0o644)
            self.stamp(rel)
        elif op == "rename":
            rel = self.rng.choice(removable)
            target = self.new_name()
            if os.path.lexists(self.path(target)):
                return
            os.rename(self.path(rel), self.path(target))
            self.touched_dirs.add(os.path.dirname(rel) or b".")
        else:
            rel = self.rng.choice(removable)
            os.chmod(self.path(rel), self.rng.choice([0o600, 0o644, 0o755, 0o400]))
        self.log.append(f"{op} {rel!r}")

    def run(self) -> None:
        for _ in range(self.rng.randrange(3, 9)):
            self.operate()
        # Deepest first, so stamping a folder comes after every change inside it.
        for rel in sorted(self.touched_dirs, key=lambda d: (-d.count(b"/"), d)):
            self.stamp(rel)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="mutate_tree.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("-v", "--verbose", action="store_true", help="print each operation")
    args = parser.parse_args(argv)
    mutation = _Mutation(os.fsencode(args.dir), args.seed)
    mutation.run()
    if args.verbose:
        print("\n".join(mutation.log))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
