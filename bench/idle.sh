#!/usr/bin/env bash
# What the full-screen quiz costs while the user only looks at a card: the release binary runs in a real terminal
# (tmux) on the bundled deck and on 10,000 cards; once the first question is up it is left alone for a while on the
# question screen, then on the answer screen (after Space), then with the help overlay up, and the CPU time the
# process used meanwhile is printed as ms of CPU per second. Target: under 0.2 ms a second.
#
# Two readings of the same interval: utime+stime from /proc/PID/stat (what top and ps show; in clock ticks, 10 ms
# each, so over 10 s it resolves 1 ms a second) and the run time of every thread from /proc/PID/task/*/schedstat
# (nanoseconds; 0 where the kernel keeps no scheduler statistics).
#
# Usage: bash bench/idle.sh [seconds]   (default 10)
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds=${1:-10}

cargo build --release --quiet --bin amgi
work=$(mktemp -d "${TMPDIR:-/tmp}/amgi-idle-bench.XXXXXX")
socket="amgi-idle-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; sleep 0.2; rm -rf "$work"' EXIT
cargo run --release --quiet --example gen_deck -- "$work/deck" >/dev/null

tmux -L "$socket" new-session -d -s b -x 100 -y 30 -c "$work" "env -i PATH=/usr/bin:/bin HOME=$work TERM=xterm-256color PS1='$ ' bash --norc --noprofile"

python3 - "$socket" "$bin" "$work" "$seconds" <<'PY'
import os, subprocess, sys, time

socket, binary, work, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
tick = os.sysconf("SC_CLK_TCK")

def tmux(*args):
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True).stdout

def wait(predicate, what, limit=20.0):
    start = time.perf_counter()
    while True:
        screen = tmux("capture-pane", "-p", "-t", "b")
        if predicate(screen):
            return
        if time.perf_counter() - start > limit:
            raise SystemExit(f"timed out waiting for {what}; screen:\n{screen}")
        time.sleep(0.05)

def cpu(pid):
    """(utime+stime in ms from /proc/PID/stat, run time of all threads in ms from schedstat)."""
    with open(f"/proc/{pid}/stat") as f:
        # The command name is in brackets and may hold spaces: split after it.
        fields = f.read().rsplit(")", 1)[1].split()
    stat_ms = (int(fields[11]) + int(fields[12])) * 1000 / tick
    run_ns = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                run_ns += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return stat_ms, run_ns / 1e6

def idle(pid):
    # A moment first, so what a key set off (drawing, saving) is not counted as idling.
    time.sleep(1.0)
    before = cpu(pid)
    time.sleep(seconds)
    after = cpu(pid)
    return [(a - b) / seconds for a, b in zip(after, before)]

def amgi_pid():
    shell = tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip()
    children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
    if len(children) != 1:
        raise SystemExit(f"expected one process under the shell, found {children}")
    return children[0]

def measure(name, notes, run):
    wait(lambda s: s.rstrip().endswith("$"), "the shell")
    tmux("send-keys", "-t", "b", "clear", "Enter")
    wait(lambda s: s.strip() == "$", "a clear screen")
    tmux("send-keys", "-t", "b", f"{binary} {notes} --data-dir {work}/data-{run}", "Enter")
    wait(lambda s: "Space reveal" in s, "the first question")
    pid = amgi_pid()
    rows = [("question", idle(pid))]
    tmux("send-keys", "-t", "b", "Space")
    wait(lambda s: "1 Again" in s, "the answer")
    rows.append(("answer", idle(pid)))
    tmux("send-keys", "-t", "b", "?")
    wait(lambda s: " keys " in s, "the help overlay")
    rows.append(("help", idle(pid)))
    tmux("send-keys", "-t", "b", "q")
    for screen, (stat, run) in rows:
        print(f"{name}, {screen} screen: {stat:.2f} ms CPU/s (utime+stime), {run:.3f} ms CPU/s (schedstat), "
              f"idle {seconds:g} s")

for run, (name, notes) in enumerate([("bundled deck", ""), ("10,000 cards", f"--notes {work}/deck")]):
    measure(name, notes, run)
PY
