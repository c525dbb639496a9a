"""Launch to first question of the full-screen quiz, through a pseudo-terminal: the time from starting amgi to
the bytes of its first frame with a question reaching the terminal, and its peak memory (maximum RSS, from
wait4, of each launch quit at the first question). No terminal emulator takes part: bench/tui.sh gives the same
launches seen through tmux, whose polling adds its own milliseconds.

Usage: python3 bench/launch.py AMGI WORK RUNS, with the generated deck in WORK/deck (bench/tui.sh makes it).
"""

import fcntl
import glob
import os
import pty
import re
import select
import statistics
import struct
import sys
import termios
import time

binary, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Escape sequences, line ends and spaces left out: a frame moves the cursor over cells it leaves blank.
NOISE = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>78]|[\r\n ]")
SHOWN = b"Spacereveal"


def launch(args):
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "AMGI_CACHE": f"{work}/cache", "TERM": "xterm-256color"}
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.execve(binary, [binary, *args], env)
    seen, shown = b"", None
    while shown is None:
        ready, _, _ = select.select([fd], [], [], 10)
        try:
            chunk = os.read(fd, 65536) if ready else b""
        except OSError:
            chunk = b""
        if not chunk:
            raise SystemExit("no question on the screen; it showed: " + repr(NOISE.sub(b"", seen)[-300:]))
        seen += chunk
        if SHOWN in NOISE.sub(b"", seen):
            shown = time.perf_counter()
    os.write(fd, b"q")
    while True:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    _, _, usage = os.wait4(pid, 0)
    os.close(fd)
    return (shown - start) * 1000, usage.ru_maxrss / 1024


launches = iter(range(1, 1 << 30))
edited = sorted(glob.glob(f"{work}/deck/*.md"))[0]
cases = [
    ("bundled deck", [], None),
    ("1,000 cards, notes unchanged", ["--notes", edited], None),
    ("10,000 cards, notes unchanged", ["--notes", f"{work}/deck"], None),
    ("10,000 cards, one file edited", ["--notes", f"{work}/deck"], edited),
]
for name, notes, edit in cases:
    launch([*notes, "--data-dir", f"{work}/pty-data-{next(launches)}"])  # warm-up, which also fills the cache
    times, peaks = [], []
    for _ in range(runs):
        if edit:
            # A new text for one file (a comment appended: the same cards): it alone is parsed again.
            with open(edit, "a") as f:
                f.write(f"\n<!-- {time.perf_counter()} -->\n")
        shown, peak = launch([*notes, "--data-dir", f"{work}/pty-data-{next(launches)}"])
        times.append(shown)
        peaks.append(peak)
    print(f"{name}: launch to first question median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, "
          f"max {max(times):.1f} ms ({runs} runs, through a pty); peak RSS median {statistics.median(peaks):.1f} MB")
