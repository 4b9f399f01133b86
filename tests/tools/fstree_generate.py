# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""fstree generate: a deterministic tree holding every kind of entry a server's file tree holds."""
import hashlib
import os
import random
import stat

from fstree_fs import list_names, open_dir, set_xattr

KIB = 1024
MIB = 1024 * KIB
# 2017-07-14 and onwards: fixed so two trees from one seed are identical, nanoseconds included.
_BASE_NS = 1_500_000_000 * 1_000_000_000

ODD_NAMES = [
    b"not-utf8-\xff\xfe\x80",
    b"line\nbreak",
    b"back\\slash",
    b"quotes-\"double\"-'single'",
    b"markup-<>&",
    "nbsp\u00a0space".encode(),
    "emoji-\U0001F4BE\U0001F600".encode(),
    ("\u00e9" * 100).encode() + b"n" * 55,  # 255 bytes, partly multi-byte
    b" leading-space",
    b"-leading-dash",
]


class _Tree:
    def __init__(self, root_fd: int, seed: int):
        self.root = root_fd
        self.rng = random.Random(seed)
        self.seed = seed

    def dir_fd(self, rel: bytes) -> int:
        return self.root if rel in (b"", b".") else open_dir(rel, self.root)

    def mkdir(self, rel: bytes, mode: int = 0o755) -> None:
        os.mkdir(rel, mode, dir_fd=self.root)
        os.chmod(rel, mode, dir_fd=self.root)  # mkdir's mode passes through the umask

    def write(self, rel: bytes, data: bytes, mode: int = 0o644) -> None:
        fd = os.open(rel, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600,
                     dir_fd=self.root)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.chmod(rel, mode, dir_fd=self.root)


def _make_files(t: _Tree, scale: str) -> None:
    t.mkdir(b"files")
    t.write(b"files/empty", b"")
    t.write(b"files/small.txt", b"hello, haven\n")
    t.write(b"files/100k.bin", t.rng.randbytes(100 * KIB + 7))
    t.write(b"files/big.bin", t.rng.randbytes(9 * MIB + 123_457))  # spans several chunks
    t.write(b"files/repetitive.bin", (b"haven-repeats-" * 5 + b"\n") * (3 * MIB // 71))
    fd = os.open(b"files/sparse.bin", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=t.root)
    try:
        os.truncate(fd, 8 * MIB)
        os.pwrite(fd, t.rng.randbytes(4 * KIB), 1 * MIB)
        os.pwrite(fd, t.rng.randbytes(3 * KIB + 5), 6 * MIB + 17)
    finally:
        os.close(fd)
    t.mkdir(b"empty-dir")
    t.mkdir(b"nested")
    t.mkdir(b"nested/a")
    t.mkdir(b"nested/a/b")
    t.mkdir(b"nested/a/b/c")
    t.write(b"nested/a/b/c/deep.txt", b"deep\n")
    t.write(b"nested/a/mid.txt", b"mid\n")
    if scale == "medium":
        t.mkdir(b"many")
        for d in range(20):
            t.mkdir(b"many/d%02d" % d)
            for f in range(100):
                t.write(b"many/d%02d/f%03d" % (d, f), t.rng.randbytes(t.rng.randrange(0, 3000)))
        t.write(b"files/big2.bin", t.rng.randbytes(40 * MIB + 3))


def _make_links(t: _Tree) -> None:
    t.mkdir(b"links")
    os.symlink(b"../files/small.txt", b"links/relative", dir_fd=t.root)
    os.symlink(b"/etc/hostname", b"links/absolute", dir_fd=t.root)
    os.symlink(b"../does/not/exist", b"links/dangling", dir_fd=t.root)
    os.symlink(b"../nested", b"links/to-dir", dir_fd=t.root)
    os.symlink(b"target-\xff-not-utf8", b"links/odd-target", dir_fd=t.root)
    t.mkdir(b"hardlinks")
    t.mkdir(b"hardlinks/a")
    t.mkdir(b"hardlinks/b")
    t.write(b"hardlinks/one", b"one inode, three names\n")
    os.link(b"hardlinks/one", b"hardlinks/a/two", src_dir_fd=t.root, dst_dir_fd=t.root)
    os.link(b"hardlinks/one", b"hardlinks/b/three", src_dir_fd=t.root, dst_dir_fd=t.root)


def _make_special(t: _Tree) -> None:
    t.mkdir(b"special")
    os.mkfifo(b"special/fifo", 0o640, dir_fd=t.root)
    os.chmod(b"special/fifo", 0o640, dir_fd=t.root)
    os.mknod(b"special/char-null", stat.S_IFCHR | 0o666, os.makedev(1, 3), dir_fd=t.root)
    os.mknod(b"special/block-loop", stat.S_IFBLK | 0o660, os.makedev(7, 0), dir_fd=t.root)
    for rel, mode in ((b"special/char-null", 0o666), (b"special/block-loop", 0o660)):
        os.chmod(rel, mode, dir_fd=t.root)


def _make_modes_and_owners(t: _Tree) -> None:
    t.mkdir(b"modes")
    t.mkdir(b"owners")
    # chown clears setuid/setgid on regular files, so owners come before modes.
    for rel, uid, gid in ((b"owners/uid1234", 1234, 5678), (b"owners/unknown-uid", 4_000_000, 4_000_001)):
        t.write(rel, rel + b"\n")
        os.chown(rel, uid, gid, dir_fd=t.root, follow_symlinks=False)
    os.symlink(b"uid1234", b"owners/link-uid1234", dir_fd=t.root)
    os.chown(b"owners/link-uid1234", 1234, 5678, dir_fd=t.root, follow_symlinks=False)
    t.mkdir(b"owners/dir-uid1234", 0o750)
    os.chown(b"owners/dir-uid1234", 1234, 5678, dir_fd=t.root, follow_symlinks=False)
    t.write(b"modes/setuid", b"#!/bin/sh\n", 0o4755)
    t.write(b"modes/setgid", b"#!/bin/sh\n", 0o2711)
    t.write(b"modes/all-special", b"x\n", 0o7777)
    t.write(b"modes/readonly", b"ro\n", 0o444)
    t.write(b"modes/no-permissions", b"none\n", 0o000)
    t.mkdir(b"modes/sticky-dir", 0o1777)
    t.mkdir(b"modes/setgid-dir", 0o2775)


def _make_xattrs(t: _Tree) -> None:
    t.mkdir(b"xattrs")
    t.write(b"xattrs/file", b"has extended attributes\n")
    set_xattr(t.root, b"xattrs/file", b"user.comment", b"hello xattr")
    set_xattr(t.root, b"xattrs/file", b"user.binary", bytes(range(256)))
    set_xattr(t.root, b"xattrs/file", b"user.empty", b"")
    set_xattr(t.root, b"xattrs", b"user.on-dir", b"dir value")


def _make_names(t: _Tree) -> None:
    t.mkdir(b"names")
    for i, name in enumerate(ODD_NAMES):
        t.write(b"names/" + name, b"name %d\n" % i)
    t.mkdir(b"names/dir-\xc3\x28-invalid")
    t.write(b"names/dir-\xc3\x28-invalid/inside", b"inside\n")
    t.mkdir(b"long")
    fd = open_dir(b"long", t.root)
    try:
        for level in range(22):  # 22 * 201 bytes: the full path is longer than PATH_MAX
            name = (b"%02d-" % level) + b"d" * 196
            os.mkdir(name, 0o755, dir_fd=fd)
            child = open_dir(name, fd)
            os.close(fd)
            fd = child
        leaf = os.open(b"leaf.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=fd)
        os.write(leaf, b"at the bottom of a very long path\n")
        os.close(leaf)
    finally:
        os.close(fd)


def _set_times(dir_fd: int, rel: bytes, seed: int) -> int:
    """Sets atime and mtime (with nanoseconds) on every entry below dir_fd, children first."""
    count = 0
    for name in list_names(dir_fd):
        child_rel = rel + b"/" + name
        st = os.lstat(name, dir_fd=dir_fd)
        count += 1
        if stat.S_ISDIR(st.st_mode):
            child = open_dir(name, dir_fd)
            try:
                count += _set_times(child, child_rel, seed)
            finally:
                os.close(child)
        os.utime(name, ns=_times(child_rel, seed), dir_fd=dir_fd, follow_symlinks=False)
    return count


def _times(rel: bytes, seed: int) -> tuple[int, int]:
    digest = hashlib.sha256(b"%d:" % seed + rel).digest()
    mtime = _BASE_NS + int.from_bytes(digest[:8], "little") % (200_000_000 * 1_000_000_000)
    atime = mtime + int.from_bytes(digest[8:12], "little") % (86_400 * 1_000_000_000)
    return atime, mtime


def generate(root: bytes, seed: int, scale: str) -> int:
    os.makedirs(root, exist_ok=True)
    root_fd = open_dir(root)
    try:
        if list_names(root_fd):
            raise SystemExit(f"fstree: {root!r} is not empty")
        t = _Tree(root_fd, seed)
        _make_files(t, scale)
        _make_links(t)
        _make_special(t)
        _make_modes_and_owners(t)
        _make_xattrs(t)
        _make_names(t)
        os.chmod(root_fd, 0o755)
        count = _set_times(root_fd, b".", seed) + 1
        os.utime(root_fd, ns=_times(b".", seed))
        return count
    finally:
        os.close(root_fd)
