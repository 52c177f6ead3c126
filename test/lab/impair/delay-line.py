#!/usr/bin/python3
"""User-space delay line for one egress device (the kernel here has no sch_netem).

A tc filter on DEV's egress redirects every frame not carrying MARK into the TAP this
process creates; frames are held for delay +/- jitter (uniform, like netem without a
distribution table) and sent out DEV through an AF_PACKET socket with SO_MARK=MARK, so the
filter lets them pass on to DEV's root qdisc (tbf, if a rate is set). Order is kept: a
frame never leaves before the one read ahead of it, as on a real path.

Runs SCHED_FIFO when allowed, so host load does not leak into the delay as extra jitter.
Exits when stdin reaches EOF (its owner died) or on SIGTERM; the TAP is not persistent,
so it vanishes with the process.

usage: delay-line.py DEV MARK DELAY_MS JITTER_MS
"""

import collections
import ctypes
import errno
import fcntl
import os
import random
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
PR_SET_PDEATHSIG = 1
SO_MARK = 36
SO_SNDBUFFORCE = 32
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
SIOCGIFMTU = 0x8921
SIOCSIFMTU = 0x8922
SIOCSIFTXQLEN = 0x8943
IFF_UP = 0x1
TAP_QUEUE = 4096
REALTIME_PRIORITY = 10
MAX_FRAME = 65536
MAX_BATCH = 256


def die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() == 1:
        sys.exit(0)


def run_realtime() -> None:
    # On a busy 2-core host a normal-priority wakeup can come 10-30 ms late, which shows up
    # as jitter nobody asked for. The loop blocks in select between frames, so a real-time
    # class costs CPU only in proportion to traffic.
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(REALTIME_PRIORITY))
    except PermissionError:
        pass


def open_tap() -> tuple[int, str]:
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK)
    ifr = struct.pack('16sH22x', b'hwdelay%d', IFF_TAP | IFF_NO_PI)
    res = fcntl.ioctl(fd, TUNSETIFF, ifr)
    name = res[:16].rstrip(b'\0').decode()
    return fd, name


def configure_tap(name: str, dev: str) -> None:
    # The TAP is only a sink for redirected frames: it must never emit frames of its own
    # (IPv6 RS/MLD), which the delay line would then put on the wire.
    try:
        with open(f'/proc/sys/net/ipv6/conf/{name}/disable_ipv6', 'w') as f:
            f.write('1')
    except FileNotFoundError:
        pass
    ctl = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        ifname = name.encode()
        mtu = struct.unpack('16si12x', fcntl.ioctl(ctl, SIOCGIFMTU, struct.pack('16si12x', dev.encode(), 0)))[1]
        fcntl.ioctl(ctl, SIOCSIFMTU, struct.pack('16si12x', ifname, mtu))
        fcntl.ioctl(ctl, SIOCSIFTXQLEN, struct.pack('16si12x', ifname, TAP_QUEUE))
        flags = struct.unpack('16sh14x', fcntl.ioctl(ctl, SIOCGIFFLAGS, struct.pack('16sh14x', ifname, 0)))[1]
        fcntl.ioctl(ctl, SIOCSIFFLAGS, struct.pack('16sh14x', ifname, flags | IFF_UP))
    finally:
        ctl.close()


def open_tx(dev: str, mark: int) -> socket.socket:
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    sock.setsockopt(socket.SOL_SOCKET, SO_MARK, mark)
    # A deep tbf queue behind DEV holds our skbs until sent: room for it instead of blocking.
    sock.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 16 * 1024 * 1024)
    sock.bind((dev, 0))
    sock.setblocking(False)
    return sock


def main() -> None:
    dev, mark, delay_ms, jitter_ms = sys.argv[1], int(sys.argv[2], 0), float(sys.argv[3]), float(sys.argv[4])
    die_with_parent()
    run_realtime()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    delay = delay_ms / 1000.0
    jitter = jitter_ms / 1000.0

    tap_fd, tap_name = open_tap()
    configure_tap(tap_name, dev)
    tx = open_tx(dev, mark)
    sys.stdout.write(f'ready {tap_name}\n')
    sys.stdout.flush()

    queue: collections.deque[tuple[float, bytes]] = collections.deque()
    last_release = 0.0
    stdin_fd = sys.stdin.fileno()
    read_fds = [tap_fd, stdin_fd]
    uniform = random.uniform
    now_fn = time.monotonic
    sent = dropped = 0

    try:
        while True:
            timeout = None
            if queue:
                timeout = max(0.0, queue[0][0] - now_fn())
            ready, _, _ = select.select(read_fds, [], [], timeout)
            if stdin_fd in ready and not os.read(stdin_fd, 4096):
                break
            now = now_fn()
            if tap_fd in ready:
                for _ in range(MAX_BATCH):
                    try:
                        frame = os.read(tap_fd, MAX_FRAME)
                    except BlockingIOError:
                        break
                    d = delay + uniform(-jitter, jitter) if jitter > 0 else delay
                    release = now + (d if d > 0 else 0.0)
                    if release < last_release:
                        release = last_release
                    last_release = release
                    queue.append((release, frame))
            now = now_fn()
            while queue and queue[0][0] <= now:
                _, frame = queue.popleft()
                try:
                    tx.send(frame)
                    sent += 1
                except OSError as e:
                    # ENOBUFS/EAGAIN: DEV's queue is full, the frame is lost as on a real link.
                    if e.errno not in (errno.ENOBUFS, errno.EAGAIN, errno.ENETDOWN, errno.ENXIO, errno.ENODEV):
                        raise
                    dropped += 1
    finally:
        sys.stderr.write(f'delay-line exit sent={sent} dropped={dropped}\n')


if __name__ == '__main__':
    main()
