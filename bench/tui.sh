#!/usr/bin/env bash
# Launch to first question of the full-screen quiz: the time from starting amgi to the first frame with a question
# on the screen. Targets, with the notes unchanged: 10 ms on 1,000 cards, 20 ms on 10,000 cards, in 20 MB at the
# first question on 10,000 cards; 10,000 cards are measured with the notes unchanged since the last run (from the
# cache of parsed notes) and with one file edited before each launch, and 1,000 cards (one file of them) unchanged.
#
# Measured twice. First through a pseudo-terminal (bench/launch.py): from starting the process to the bytes of
# that frame reaching the terminal, the figure the targets are held to. Then through a real terminal (tmux): from
# typing the command into a shell to the frame showing in tmux's screen, which adds the shell's start of the
# command and tmux's own parsing and polling (the bundled deck, the smallest, shows that floor). Each case also
# gives the peak memory (maximum RSS of one launch quit at the first question: from wait4 through the pty, from
# /usr/bin/time through tmux).
#
# Usage: bash bench/tui.sh [runs]
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${1:-20}

cargo build --release --quiet --bin amgi
work=$(mktemp -d "${TMPDIR:-/tmp}/amgi-tui-bench.XXXXXX")
socket="amgi-bench-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; sleep 0.2; rm -rf "$work"' EXIT
cargo run --release --quiet --example gen_deck -- "$work/deck" >/dev/null

python3 bench/launch.py "$bin" "$work" "$runs"

tmux -L "$socket" new-session -d -s b -x 100 -y 30 -c "$work" "env -i PATH=/usr/bin:/bin HOME=$work AMGI_CACHE=$work/cache TERM=xterm-256color PS1='$ ' bash --norc --noprofile"

python3 - "$socket" "$bin" "$work" "$runs" <<'PY'
import statistics, subprocess, sys, time

socket, binary, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def tmux(*args):
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True).stdout

def wait(predicate, limit=10.0):
    start = time.perf_counter()
    while True:
        screen = tmux("capture-pane", "-p", "-t", "b")
        if predicate(screen):
            return time.perf_counter()
        if time.perf_counter() - start > limit:
            raise SystemExit("timed out; screen:\n" + screen)

def launch(notes, edit=None, measure=""):
    wait(lambda s: s.rstrip().endswith("$"))
    if edit:
        # A new text for one file (a comment appended: the same cards): it alone is parsed again.
        with open(edit, "a") as f:
            f.write(f"\n<!-- {time.perf_counter()} -->\n")
    tmux("send-keys", "-t", "b", "clear", "Enter")
    wait(lambda s: s.strip() == "$")
    command = f"{measure}{binary} {notes} --data-dir {work}/data-$RANDOM"
    start = time.perf_counter()
    tmux("send-keys", "-t", "b", command, "Enter")
    shown = wait(lambda s: "Space reveal" in s)
    tmux("send-keys", "-t", "b", "q")
    return (shown - start) * 1000

import glob
edited = sorted(glob.glob(f"{work}/deck/*.md"))[0]
cases = [
    ("bundled deck", "", None),
    ("1,000 cards, notes unchanged", f"--notes {edited}", None),
    ("10,000 cards, notes unchanged", f"--notes {work}/deck", None),
    ("10,000 cards, one file edited", f"--notes {work}/deck", edited),
]
for name, notes, edit in cases:
    launch(notes)  # warm-up, which also fills the cache of parsed notes
    times = [launch(notes, edit) for _ in range(runs)]
    launch(notes, edit, measure=f"/usr/bin/time -f %M -o {work}/rss ")
    wait(lambda s: s.rstrip().endswith("$"))  # time writes its figure once amgi has quit
    with open(f"{work}/rss") as f:
        peak = int(f.read().split()[-1]) / 1024
    print(f"{name}: launch to first question median {statistics.median(times):.1f} ms, "
          f"min {min(times):.1f} ms, max {max(times):.1f} ms ({runs} runs, through tmux); peak RSS {peak:.1f} MB")
PY
