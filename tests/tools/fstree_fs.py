# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
"""Descriptor-relative file system helpers shared by fstree's generate and compare.

Every call names an entry by (directory fd, bytes name), so no path string ever grows past
PATH_MAX. Calls without dir_fd support (the xattr family) go through /proc/self/fd/N/name,
which the kernel resolves relative to the open directory.
"""
import os

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_noatime(name: bytes, flags: int, dir_fd: int | None) -> int:
    # O_NOATIME keeps reads from moving atime (so --atime still means something after a
    # compare); the kernel refuses it with EPERM on files we neither own nor are root for.
    try:
        return os.open(name, flags | os.O_NOATIME, dir_fd=dir_fd)
    except PermissionError:
        return os.open(name, flags, dir_fd=dir_fd)


def open_dir(name: bytes, dir_fd: int | None = None) -> int:
    return _open_noatime(name, _DIR_FLAGS, dir_fd)


def open_file(name: bytes, dir_fd: int) -> int:
    return _open_noatime(name, _FILE_FLAGS, dir_fd)


def list_names(fd: int) -> list[bytes]:
    # os.listdir on an fd yields str decoded with surrogateescape; fsencode restores the bytes.
    # listdir reads from a duplicate so the caller's descriptor keeps its position.
    return sorted(os.fsencode(n) for n in os.listdir(fd))


def proc_path(dir_fd: int, name: bytes) -> bytes:
    return b"/proc/self/fd/%d/%s" % (dir_fd, name)


def read_xattrs(dir_fd: int, name: bytes) -> dict[bytes, bytes]:
    path = proc_path(dir_fd, name)
    result = {}
    for attr in os.listxattr(path, follow_symlinks=False):
        result[os.fsencode(attr)] = os.getxattr(path, attr, follow_symlinks=False)
    return result


def set_xattr(dir_fd: int, name: bytes, attr: bytes, value: bytes) -> None:
    os.setxattr(proc_path(dir_fd, name), attr, value, follow_symlinks=False)
