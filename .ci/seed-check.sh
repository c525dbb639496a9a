#!/usr/bin/env bash
# The user's own interview notes, when CI has them beside the repo, must keep giving 35 cards and 10 stubs:
# the tests use a fixture shaped like them, so this is what notices a parser change that breaks the real notes.
# Run from the repo root after the build.
set -euo pipefail

seed=../shared/seeds/000_43807632b03e82f4.txt
want_cards=35
want_stubs=10

if [ ! -f "$seed" ]; then
    echo "seed check skipped: ../shared/seeds not present"
    exit 0
fi

amgi() { cargo run --release --locked --quiet -- --notes "$seed" "$@"; }

cards=$(amgi cards --json | python3 -c '
import json, sys
print(sum(1 for line in sys.stdin if line.strip() and json.loads(line)["kind"] == "card"))')
stubs=$(amgi check --json | python3 -c '
import json, sys
print(sum(1 for line in sys.stdin if line.strip() and json.loads(line)["kind"] == "stub"))')

if [ "$cards" != "$want_cards" ] || [ "$stubs" != "$want_stubs" ]; then
    echo "seed check FAILED: $seed gives $cards cards and $stubs stubs, expected $want_cards and $want_stubs" >&2
    exit 1
fi
echo "seed check: $cards cards, $stubs stubs: ok"
