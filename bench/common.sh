# Sourced by the bench scripts: where the built binaries are, and how a whole command is timed.
#
# Sets root (the checkout, also the working directory), target_dir and bin (the release amgi).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
target_dir=${CARGO_TARGET_DIR:-$root/target}
bin=$target_dir/release/amgi

# time_it RUNS LABEL COMMAND...: the whole process, output to /dev/null, with hyperfine when it is installed
# (--shell=none keeps shell start-up out of the figure) and with a python3 loop either way (it prints the median).
time_it() {
    local runs=$1 label=$2
    shift 2
    if command -v hyperfine >/dev/null; then
        hyperfine --shell=none --warmup 3 --runs "$runs" --command-name "$label" "$(printf '%q ' "$@")"
    fi
    python3 - "$runs" "$label" "$@" <<'PY'
import statistics, subprocess, sys, time

runs, label, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
def once():
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000
for _ in range(3):
    once()
times = [once() for _ in range(runs)]
print(f"{label}: median {statistics.median(times):.1f} ms, mean {statistics.mean(times):.1f} ms "
      f"± {statistics.stdev(times):.1f}, min {min(times):.1f} ms, max {max(times):.1f} ms ({runs} runs, python3 loop)")
PY
}
