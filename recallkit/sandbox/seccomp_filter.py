"""The seccomp filter for student code, compiled to BPF with libseccomp (pyseccomp).

Denied with EPERM: everything that could regain privileges or reach past the
sandbox (mounts, namespaces, tracing, keyrings, eBPF, kernel modules, io_uring,
which bypasses seccomp for its own operations) and every new socket, so no
network even where there is no network namespace. ``socketpair`` stays allowed:
it reaches nothing outside. ``clone3`` answers ENOSYS (its flags cannot be
inspected), so the C library falls back to ``clone``, whose namespace flags are.
"""

import errno
import functools
import socket
import tempfile

import pyseccomp

DENIED = (
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr", "unshare", "setns",
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "open_by_handle_at",
    "name_to_handle_at", "reboot", "swapon", "swapoff", "acct", "quotactl",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "syslog",
    "iopl", "ioperm", "lookup_dcookie", "vhangup",
)
NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000,
                   0x20000000, 0x40000000)  # CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC,
                                            # NEWUSER, NEWPID, NEWNET


@functools.cache
def program(unix_sockets: bool = False, own_network: bool = False) -> bytes:
    """The filter as a raw BPF program (for bwrap --seccomp or confine.apply_filter).

    ``unix_sockets`` allows new AF_UNIX sockets. ``own_network`` allows sockets of
    every family, for a process in a network namespace of its own that only has
    loopback (a notebook kernel: ipykernel's IOPub pipe is TCP on 127.0.0.1, and
    ZeroMQ aborts the kernel when it cannot make that socket).
    """
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    deny = pyseccomp.ERRNO(errno.EPERM)
    for name in DENIED:
        try:
            rules.add_rule(deny, name)
        except OSError:  # not a system call on this architecture
            pass
    if unix_sockets and not own_network:
        rules.add_rule(deny, "socket", pyseccomp.Arg(0, pyseccomp.NE, socket.AF_UNIX))
    elif not own_network:
        rules.add_rule(deny, "socket")
    for flag in NAMESPACE_FLAGS:
        rules.add_rule(deny, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))
    rules.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    with tempfile.TemporaryFile() as out:
        rules.export_bpf(out)
        out.seek(0)
        return out.read()
