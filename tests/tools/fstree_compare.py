# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""fstree compare: walks two trees side by side (lstat only) and lists every difference."""
import hashlib
import os
import stat
from collections import defaultdict

from fstree_fs import list_names, open_dir, open_file, read_xattrs

_TYPES = {stat.S_IFDIR: "dir", stat.S_IFREG: "file", stat.S_IFLNK: "symlink",
          stat.S_IFIFO: "fifo", stat.S_IFCHR: "char-device", stat.S_IFBLK: "block-device",
          stat.S_IFSOCK: "socket"}


class _Walk:
    def __init__(self, atime: bool, sparse: bool, ignore: set[bytes]):
        self.atime = atime
        self.sparse = sparse
        self.ignore = ignore
        self.out: list[str] = []
        self.count = 0
        # Per side: path -> inode key of every non-directory, to compare hard-link groups.
        self.inodes: tuple[dict[bytes, tuple[int, int]], ...] = ({}, {})

    def diff(self, rel: bytes, what: str) -> None:
        self.out.append(f"{rel!r}: {what}")

    def entry(self, fds: tuple[int, int], name: bytes, rel: bytes, sts) -> None:
        a, b = sts
        kind_a, kind_b = stat.S_IFMT(a.st_mode), stat.S_IFMT(b.st_mode)
        if kind_a != kind_b:
            self.diff(rel, f"type {_TYPES.get(kind_a, kind_a)} != {_TYPES.get(kind_b, kind_b)}")
            return
        for field, fmt in (("mode", "o"), ("uid", "d"), ("gid", "d"), ("mtime_ns", "d")):
            va = stat.S_IMODE(a.st_mode) if field == "mode" else getattr(a, "st_" + field)
            vb = stat.S_IMODE(b.st_mode) if field == "mode" else getattr(b, "st_" + field)
            if va != vb:
                self.diff(rel, f"{field} {va:#{fmt}} != {vb:#{fmt}}" if fmt == "o" else f"{field} {va} != {vb}")
        if self.atime and a.st_atime_ns != b.st_atime_ns:
            self.diff(rel, f"atime_ns {a.st_atime_ns} != {b.st_atime_ns}")
        if kind_a == stat.S_IFREG:
            self.regular(fds, name, rel, a, b)
        elif kind_a == stat.S_IFLNK:
            ta, tb = (_readlink(fd, name, st) for fd, st in zip(fds, sts))
            if ta != tb:
                self.diff(rel, f"symlink target {ta!r} != {tb!r}")
        elif kind_a in (stat.S_IFCHR, stat.S_IFBLK) and a.st_rdev != b.st_rdev:
            self.diff(rel, f"rdev {os.major(a.st_rdev)},{os.minor(a.st_rdev)} != "
                           f"{os.major(b.st_rdev)},{os.minor(b.st_rdev)}")
        xa, xb = (read_xattrs(fd, name) for fd in fds)
        for attr in sorted(xa.keys() | xb.keys()):
            if attr not in xb:
                self.diff(rel, f"xattr {attr!r} missing in B")
            elif attr not in xa:
                self.diff(rel, f"xattr {attr!r} only in B")
            elif xa[attr] != xb[attr]:
                self.diff(rel, f"xattr {attr!r} value {xa[attr]!r} != {xb[attr]!r}")

    def regular(self, fds, name: bytes, rel: bytes, a, b) -> None:
        if a.st_size != b.st_size:
            self.diff(rel, f"size {a.st_size} != {b.st_size}")
        elif _sha256(fds[0], name) != _sha256(fds[1], name):
            self.diff(rel, "content differs (SHA-256)")
        if self.sparse and a.st_blocks * 512 < a.st_size and b.st_blocks * 512 >= b.st_size:
            self.diff(rel, f"sparse in A ({a.st_blocks * 512} bytes allocated) but not in B "
                           f"({b.st_blocks * 512} bytes allocated for {b.st_size})")

    def children(self, fds: tuple[int, int], rel: bytes) -> None:
        names = sorted(set(list_names(fds[0])) | set(list_names(fds[1])))
        for name in names:
            child_rel = name if rel == b"." else rel + b"/" + name
            if child_rel in self.ignore:
                continue
            sts = tuple(_lstat(fd, name) for fd in fds)
            if sts[0] is None or sts[1] is None:
                self.diff(child_rel, "missing in B" if sts[1] is None else "only in B")
                continue
            self.count += 1
            self.entry(fds, name, child_rel, sts)
            for side, st in enumerate(sts):
                if not stat.S_ISDIR(st.st_mode):
                    self.inodes[side][child_rel] = (st.st_dev, st.st_ino)
            if stat.S_ISDIR(sts[0].st_mode) and stat.S_ISDIR(sts[1].st_mode):
                child_fds = (open_dir(name, fds[0]), -1)
                try:
                    child_fds = (child_fds[0], open_dir(name, fds[1]))
                    self.children(child_fds, child_rel)
                finally:
                    for fd in child_fds:
                        if fd >= 0:
                            os.close(fd)

    def hardlinks(self) -> None:
        common = self.inodes[0].keys() & self.inodes[1].keys()
        groups = []
        for side in self.inodes:
            by_inode = defaultdict(set)
            for rel in common:
                by_inode[side[rel]].add(rel)
            groups.append({rel: by_inode[side[rel]] for rel in common})
        for rel in sorted(common):
            if groups[0][rel] != groups[1][rel]:
                self.diff(rel, f"hard links differ: in A shares its inode with "
                               f"{sorted(groups[0][rel] - {rel})}, in B with {sorted(groups[1][rel] - {rel})}")


def _lstat(dir_fd: int, name: bytes):
    try:
        return os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return None


def _readlink(dir_fd: int, name: bytes, st) -> bytes:
    # readlink moves a symlink's atime (no O_NOATIME for it), so put it back: a compare must
    # leave the trees as it found them for the next --atime compare. ctime is not compared.
    target = os.readlink(name, dir_fd=dir_fd)
    if os.lstat(name, dir_fd=dir_fd).st_atime_ns != st.st_atime_ns:
        try:
            os.utime(name, ns=(st.st_atime_ns, st.st_mtime_ns), dir_fd=dir_fd, follow_symlinks=False)
        except PermissionError:
            pass  # not ours to touch: only a later --atime compare of this tree can notice
    return target


def _sha256(dir_fd: int, name: bytes) -> bytes:
    fd = open_file(name, dir_fd)
    try:
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.digest()
    finally:
        os.close(fd)


def compare(a: bytes, b: bytes, atime: bool, sparse: bool, ignore: set[bytes]) -> tuple[list[str], int]:
    walk = _Walk(atime, sparse, ignore)
    fds = (open_dir(a), open_dir(b))
    try:
        walk.count = 1
        if b"." not in ignore:
            roots = tuple(os.stat(fd) for fd in fds)
            walk.entry(fds, b".", b".", roots)
        walk.children(fds, b".")
    finally:
        for fd in fds:
            os.close(fd)
    walk.hardlinks()
    return walk.out, walk.count
