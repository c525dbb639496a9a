#!/usr/bin/env bash
# Times `amgi --notes DIR cards --json > /dev/null` as a whole process on the 10,000-card benchmark deck.
#
# `cargo bench --bench parse` measures the parser alone; what a user waits for also includes start-up, walking
# and reading the folder, and writing the JSON, so this times the real binary. The target is under 150 ms.
#
# Uses hyperfine when it is installed, else a python3 loop of 20 runs.
# Usage: bash bench/cards.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
target_dir=${CARGO_TARGET_DIR:-$root/target}
bin=$target_dir/release/amgi
runs=20

cargo build --release --quiet --bin amgi
dir=$(mktemp -d "${TMPDIR:-/tmp}/amgi-deck.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cargo run --release --quiet --example gen_deck -- "$dir" >/dev/null

bytes=$(cat "$dir"/*.md | wc -c)
cards=$("$bin" --notes "$dir" cards --json | wc -l)
awk -v b="$bytes" -v c="$cards" 'BEGIN { printf "deck: %.2f MB (%d bytes), %d cards\n", b / 1e6, b, c }'
if [[ $cards -ne 10000 ]]; then
    echo "warning: expected 10000 cards; the deck no longer matches the card rules" >&2
fi

if command -v hyperfine >/dev/null; then
    # --shell=none keeps shell start-up out of the figure, so the command is quoted for hyperfine's own word
    # splitting. hyperfine sends the output to /dev/null by default.
    hyperfine --shell=none --warmup 3 --runs "$runs" \
        --command-name "amgi cards --json (10,000 cards)" \
        "$(printf '%q --notes %q cards --json' "$bin" "$dir")"
else
    python3 - "$runs" "$bin" --notes "$dir" cards --json <<'PY'
import statistics, subprocess, sys, time

runs, cmd = int(sys.argv[1]), sys.argv[2:]
def once():
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000
for _ in range(3):
    once()
times = [once() for _ in range(runs)]
print(f"amgi cards --json (10,000 cards): mean {statistics.mean(times):.1f} ms "
      f"± {statistics.stdev(times):.1f}, min {min(times):.1f} ms, max {max(times):.1f} ms ({runs} runs, python3 loop)")
PY
fi
