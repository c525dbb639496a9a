#!/usr/bin/env bash
# Times `amgi optimize` on a long-time user's history: 50,000 answers in reviews.yaml, from eight months of simulated
# daily drills (20 new cards a day from the 10,000-card benchmark deck, see examples/gen_progress.rs) by a user
# whose memory follows FSRS parameters far from the defaults, so the fit has something to find.
#
# (a) First run: read progress.yaml and the whole log, fit, evaluate, save the better parameters and rebuild
#     progress.yaml from the log with them. Every run starts from a fresh copy of the generated data folder.
# (b) Again: the same on the folder (a) left, where the fit is no better than the saved parameters and nothing is
#     written.
#
# Reported, not asserted: the whole process, timed with hyperfine when it is installed, and with a python3 loop.
#
# Usage: bash bench/optimize.sh [RUNS]     (default 10)
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${1:-10}
# The simulated user's memory (FSRS-6): stronger first memories, slower growth on recall and a steeper forgetting
# curve than the defaults; the same parameters as the tests' synthetic histories.
memory=0.6,3.0,6.0,20.0,6.4133,0.8334,3.0194,0.001,1.2,0.1192,0.7,1.9395,0.11,0.29,2.27,0.2315,2.9898,0.5166,0.6621,0.06,0.35

cargo build --release --quiet --bin amgi --example gen_deck --example gen_progress
dir=$(mktemp -d "${TMPDIR:-/tmp}/amgi-optimize.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$target_dir/release/examples/gen_deck" "$dir/deck" >/dev/null
"$target_dir/release/examples/gen_progress" "$dir/deck" "$dir/fresh" 50000 20 --memory "$memory" | sed -n 1p
unset AMGI_NOTES AMGI_DATA AMGI_NOW

cmd=("$bin" --notes "$dir/deck" --data-dir "$dir/run" optimize)
fresh() { rm -rf "$dir/run" && cp -r "$dir/fresh" "$dir/run"; }

# What the runs do: the first saves, the next finds nothing better.
fresh
"${cmd[@]}" --json >"$dir/first.json"
"${cmd[@]}" --json >"$dir/again.json"
python3 - "$dir/first.json" "$dir/again.json" <<'PY'
import json, sys
first, again = (json.load(open(p)) for p in sys.argv[1:])
assert first["outcome"] == "saved", first["outcome"]
assert again["outcome"] == "not_better", again["outcome"]
m = lambda r, k: f'log loss {r[k]["log_loss"]:.4f}, RMSE(bins) {100 * r[k]["rmse_bins"]:.2f}%'
print(f'history: {first["reviews"]} answers on {first["cards"]} cards, {first["items"]} items, '
      f'{first["usable_items"]} usable')
print(f'default: {m(first, "default")}; fitted: {m(first, "fitted")}; '
      f'{first["due_moved"]} cards moved')
PY

if command -v hyperfine >/dev/null; then
    quoted=$(printf '%q ' "${cmd[@]}")
    fresh_cmd="rm -rf $(printf '%q' "$dir/run") && cp -r $(printf '%q %q' "$dir/fresh" "$dir/run")"
    hyperfine --warmup 1 --runs "$runs" --prepare "$fresh_cmd" --command-name "(a) amgi optimize, first run" "$quoted"
    fresh
    "${cmd[@]}" >/dev/null
    hyperfine --warmup 1 --runs "$runs" --command-name "(b) amgi optimize, again" "$quoted"
fi

python3 - "$runs" "$dir/fresh" "$dir/run" "${cmd[@]}" <<'PY'
import shutil, statistics, subprocess, sys, time

runs, fresh, run, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
def once(copy):
    if copy:
        shutil.rmtree(run, ignore_errors=True)
        shutil.copytree(fresh, run)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000
def report(name, times):
    print(f"{name}: median {statistics.median(times):.0f} ms, mean {statistics.mean(times):.0f} ms "
          f"± {statistics.stdev(times):.0f}, min {min(times):.0f} ms, max {max(times):.0f} ms "
          f"({len(times)} runs, python3 loop)")
once(True)
report("(a) amgi optimize, first run (fit, save, rebuild)", [once(True) for _ in range(runs)])
report("(b) amgi optimize, again (fit, nothing written)", [once(False) for _ in range(runs)])
PY
