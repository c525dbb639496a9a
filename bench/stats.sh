#!/usr/bin/env bash
# Times `amgi stats --json > /dev/null` as a whole process on a long-time user's data: the 10,000-card benchmark
# deck, a progress.yaml holding all of its cards and a reviews.yaml of 100,000 lines (months of simulated daily
# drills, see examples/gen_progress.rs), with AMGI_NOW an hour after the last simulated answer.
#
# Everything stats does is in the figure: reading the notes, progress.yaml and the whole log, working out the
# figures and writing the JSON. The target is 50 ms at most (median of 20 runs).
#
# Then times `amgi plan --json` the same way on a copy of the data with an interview two weeks ahead: every card
# followed through the plan (the same target).
#
# Uses hyperfine when it is installed, and a python3 loop of 20 runs either way (it prints the median).
# Usage: bash bench/stats.sh
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=20

cargo build --release --quiet --bin amgi --example gen_deck --example gen_progress
dir=$(mktemp -d "${TMPDIR:-/tmp}/amgi-stats.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$target_dir/release/examples/gen_deck" "$dir/deck" >/dev/null
generated=$("$target_dir/release/examples/gen_progress" "$dir/deck" "$dir/data")
echo "$generated" | sed -n 1p
now=$(echo "$generated" | sed -n 's/^AMGI_NOW=//p')
export AMGI_NOW=$now
unset AMGI_NOTES AMGI_DATA
# The cache of parsed notes beside the deck, filled by the first run (the warm-ups).
export AMGI_CACHE=$dir/cache

cmd=("$bin" --notes "$dir/deck" --data-dir "$dir/data" stats --json)
# The figures must come out, and reading them must leave the data folder as it was.
before=$(cat "$dir/data/"* | sha256sum)
answers=$("${cmd[@]}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["calendar"]["total"])')
[[ $(cat "$dir/data/"* | sha256sum) == "$before" ]] || { echo "the data folder changed" >&2; exit 1; }
echo "answers in the calendar: $answers; AMGI_NOW=$now"

time_it "$runs" "amgi stats --json (10,000 cards, 100,000 reviews; target <= 50 ms)" "${cmd[@]}"

cp -r "$dir/data" "$dir/plan"
interview=$(python3 -c 'import datetime, sys; print(datetime.date.fromisoformat(sys.argv[1][:10]) + datetime.timedelta(days=14))' "$now")
"$bin" --notes "$dir/deck" --data-dir "$dir/plan" plan --interview "$interview" >/dev/null
time_it "$runs" "amgi plan --json (the same data, interview $interview; target <= 50 ms)" \
    "$bin" --notes "$dir/deck" --data-dir "$dir/plan" plan --json
