#!/usr/bin/env bash
# Times the quiz on a long-time user's data: the 10,000-card benchmark deck, a progress.yaml holding all of its
# cards and a reviews.yaml of 100,000 lines (months of simulated daily drills, see examples/gen_progress.rs).
#
# (a) Start-up: from starting `amgi --plain` to its first question on stdout, with AMGI_NOW an hour after the last
#     simulated answer (the same amgi day, so today's part of the log is read too). Target: under 150 ms.
#     Measured two ways: the whole `amgi --plain < q` process (answering `q` at once) with hyperfine when it is
#     installed, and the time until the `Q:` line appears, from a python3 loop that reads the output as it comes.
# (b) One answer made durable (review line appended and fsynced, progress.yaml of 10,000 cards replaced and
#     fsynced): `cargo bench --bench store`, in a folder under target/ (a real disk). Target: under 30 ms.
#
# Usage: bash bench/quiz.sh            (both)
#        bash bench/quiz.sh startup    (only a)
#        bash bench/quiz.sh store      (only b)
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=20
what=${1:-all}

startup() {
    cargo build --release --quiet --bin amgi --example gen_deck --example gen_progress
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/amgi-quiz.XXXXXX")
    # shellcheck disable=SC2064 # expand now: $dir is local
    trap "rm -rf '$dir'" EXIT
    "$target_dir/release/examples/gen_deck" "$dir/deck" >/dev/null
    local generated now
    generated=$("$target_dir/release/examples/gen_progress" "$dir/deck" "$dir/data")
    echo "$generated" | sed -n 1p
    now=$(echo "$generated" | sed -n 's/^AMGI_NOW=//p')
    export AMGI_NOW=$now
    unset AMGI_NOTES AMGI_DATA
    # The cache of parsed notes beside the deck, filled by the first run (the warm-ups).
    export AMGI_CACHE=$dir/cache
    printf 'q\n' >"$dir/q"
    local progress_size reviews_size
    progress_size=$(wc -c <"$dir/data/progress.yaml")
    reviews_size=$(wc -c <"$dir/data/reviews.yaml")
    awk -v p="$progress_size" -v r="$reviews_size" -v l="$(wc -l <"$dir/data/reviews.yaml")" \
        'BEGIN { printf "data: progress.yaml %.1f MB, reviews.yaml %.1f MB (%d lines); AMGI_NOW='"$now"'\n", p / 1e6, r / 1e6, l }'

    local cmd=("$bin" --plain --notes "$dir/deck" --data-dir "$dir/data")
    # The first question must show, and a run that quits at once must leave progress.yaml as it was.
    local before
    before=$(sha256sum <"$dir/data/progress.yaml")
    "${cmd[@]}" <"$dir/q" | grep -m1 '^Q: ' >/dev/null || { echo "no question shown" >&2; exit 1; }
    [[ $(sha256sum <"$dir/data/progress.yaml") == "$before" ]] || { echo "progress.yaml changed" >&2; exit 1; }

    if command -v hyperfine >/dev/null; then
        local quoted
        quoted=$(printf '%q ' "${cmd[@]}")
        if hyperfine --help | grep -q -- '--input'; then
            hyperfine --shell=none --warmup 3 --runs "$runs" --input "$dir/q" \
                --command-name "amgi --plain, q at the first question" "$quoted"
        else
            # An older hyperfine without --input: through sh, whose start-up hyperfine measures and subtracts.
            hyperfine --warmup 3 --runs "$runs" \
                --command-name "amgi --plain, q at the first question" "$quoted < $(printf '%q' "$dir/q")"
        fi
    fi
    python3 - "$runs" "${cmd[@]}" <<'PY'
import statistics, subprocess, sys, time

runs, cmd = int(sys.argv[1]), sys.argv[2:]
def once():
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    shown = None
    for line in p.stdout:
        if line.startswith(b"Q: "):
            shown = (time.perf_counter() - start) * 1000
            p.stdin.write(b"q\n")
            p.stdin.close()
    p.wait()
    if shown is None:
        sys.exit("no question shown")
    return shown
for _ in range(3):
    once()
times = [once() for _ in range(runs)]
print(f"start-up to the first question: mean {statistics.mean(times):.1f} ms ± {statistics.stdev(times):.1f}, "
      f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms "
      f"({runs} runs, python3 loop; target < 150 ms)")
PY
}

store() {
    echo "one answer made durable (target < 30 ms): cargo bench --bench store, files under $target_dir"
    cargo bench --quiet --bench store
}

case $what in
    all) startup; store ;;
    startup) startup ;;
    store) store ;;
    *) echo "usage: bash bench/quiz.sh [startup|store]" >&2; exit 2 ;;
esac
