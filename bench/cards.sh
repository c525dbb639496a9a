#!/usr/bin/env bash
# Times `amgi --notes DIR cards --json > /dev/null` as a whole process on the 10,000-card benchmark deck.
#
# `cargo bench --bench parse` measures the parser alone; what a user waits for also includes start-up, walking
# and reading the folder, and writing the JSON, so this times the real binary. The target is 40 ms at most, from the cache.
#
# Uses hyperfine when it is installed, and a python3 loop of 20 runs either way (it prints the median).
# Usage: bash bench/cards.sh
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=20

cargo build --release --quiet --bin amgi
dir=$(mktemp -d "${TMPDIR:-/tmp}/amgi-deck.XXXXXX")
# The cache of parsed notes, outside the deck (never written inside the notes); the first run fills it.
cache=$(mktemp -d "${TMPDIR:-/tmp}/amgi-cache.XXXXXX")
trap 'rm -rf "$dir" "$cache"' EXIT
export AMGI_CACHE=$cache
cargo run --release --quiet --example gen_deck -- "$dir" >/dev/null

bytes=$(cat "$dir"/*.md | wc -c)
cards=$("$bin" --notes "$dir" cards --json | wc -l)
awk -v b="$bytes" -v c="$cards" 'BEGIN { printf "deck: %.2f MB (%d bytes), %d cards\n", b / 1e6, b, c }'
if [[ $cards -ne 10000 ]]; then
    echo "warning: expected 10000 cards; the deck no longer matches the card rules" >&2
fi

time_it "$runs" "amgi cards --json (10,000 cards, notes unchanged: from the cache)" "$bin" --notes "$dir" cards --json
# Each run after one of the ten files was edited (a comment appended: a new text, the same cards), so that file is
# parsed again and the cache rewritten.
edit=$(printf '%q ' bash -c 'echo "<!-- $RANDOM$RANDOM -->" >>"$1"; exec "${@:2}"' edit "$(ls "$dir"/*.md | head -1)" \
    "$bin" --notes "$dir" cards --json)
time_it "$runs" "amgi cards --json (10,000 cards, one file edited before each run)" bash -c "$edit"
# And with no cache at all: every file parsed (the figure before the cache).
time_it "$runs" "amgi cards --json (10,000 cards, no cache)" env AMGI_CACHE="$dir/no-cache" "$bin" --notes "$dir" cards --json
