#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Compares haven (Release build of this checkout) with restic 0.14 on the same data, in one run:
# for each round, both tools (alternating which goes first) do a first backup into a new
# repository, an unchanged second backup and a full restore into a new directory. Prints the
# median wall time and peak RSS of each step, the haven/restic ratios, the repository sizes and
# restic's per-command key derivation cost, as a Markdown block.
#
#   bench/compare.sh [--rounds 3] [--size-mb 400] [--work /tmp/haven-bench] [--keep]
#
# The data set is made by bench/gen-dataset.py under WORK/data and reused while its size matches.
# Nothing is deleted during the run (deleting big trees makes ext4 file creation slow for
# minutes); before each restore the script waits until creating PROBE_FILES (2000) empty files
# takes under PROBE_FAST (0.25) seconds, at most PROBE_MAX_WAIT (400) seconds.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
rounds=3
size_mb=400
work=/tmp/haven-bench
keep=0
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --size-mb) size_mb="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--rounds N] [--size-mb MB] [--work DIR] [--keep]" >&2; exit 2 ;;
  esac
done
probe_files="${PROBE_FILES:-2000}"
probe_fast="${PROBE_FAST:-0.25}"
probe_max_wait="${PROBE_MAX_WAIT:-400}"

restic_bin=/usr/bin/restic
[[ -x "$restic_bin" ]] || { echo "compare.sh: $restic_bin is missing" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "compare.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

mkdir -p "$work"
data="$work/data"
if [[ ! -f "$work/data.size" || "$(cat "$work/data.size")" != "$size_mb" ]]; then
  rm -rf "$data"
  echo "generating ${size_mb} MiB data set in $data" >&2
  python3 "$here/gen-dataset.py" "$data" --size-mb "$size_mb" >&2
  echo "$size_mb" >"$work/data.size"
fi

run="$work/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run/home" "$run/probe"
cleanup() { ((keep)) || rm -rf "$run"; }
trap cleanup EXIT

# Build once, then run a private copy so edits to the checkout during the run change nothing.
"$root/haven" version >/dev/null
cp -r "$root/artifacts/haven" "$run/haven-bin"
haven() { dotnet "$run/haven-bin/haven.dll" "$@"; }

printf 'benchmark-password\n' >"$run/password"
export HOME="$run/home" XDG_CACHE_HOME="$run/home/.cache" XDG_CONFIG_HOME="$run/home/.config"
export XDG_DATA_HOME="$run/home/.local/share" XDG_STATE_HOME="$run/home/.local/state"
export HAVEN_PASSWORD_FILE="$run/password" RESTIC_PASSWORD="benchmark-password"
unset HAVEN_PASSWORD HAVEN_REPOSITORY RESTIC_REPOSITORY RESTIC_PASSWORD_FILE

results="$run/results.tsv"
: >"$results"
# timed TOOL STEP ROUND COMMAND...: records wall seconds and peak RSS (KiB).
timed() {
  local tool="$1" step="$2" round="$3"
  shift 3
  /usr/bin/time -f '%e %M' -o "$run/time.out" "$@" >"$run/last.out" 2>&1 || {
    echo "compare.sh: $tool $step failed:" >&2
    cat "$run/last.out" >&2
    exit 1
  }
  read -r seconds rss <"$run/time.out"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$step" "$round" "$seconds" "$rss" >>"$results"
  printf '  %-6s %-16s %6.2f s %7d MiB\n' "$tool" "$step" "$seconds" "$((rss / 1024))" >&2
}

# Waits until creating files is fast on the target file system again; returns the last probe time.
wait_for_fast_creates() {
  local start=$SECONDS t
  while true; do
    local dir
    dir="$(mktemp -d "$run/probe/XXXXXX")"
    t="$(python3 -c '
import os, sys, time
d, n = sys.argv[1], int(sys.argv[2])
s = time.perf_counter()
for i in range(n):
    open(os.path.join(d, str(i)), "wb").close()
print(f"{time.perf_counter() - s:.3f}")' "$dir" "$probe_files")"
    if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$t" "$probe_fast"; then
      echo "$t"
      return
    fi
    if ((SECONDS - start > probe_max_wait)); then
      echo "compare.sh: file creation still slow (${t} s for $probe_files files) after ${probe_max_wait} s; going on" >&2
      echo "$t"
      return
    fi
    sleep 5
  done
}

step_tool() {
  local tool="$1" round="$2" repo="$run/repo-$1-$2" target="$run/restore-$1-$2"
  if [[ "$tool" == haven ]]; then
    haven init -r "$repo" >/dev/null
    timed haven backup-first "$round" dotnet "$run/haven-bin/haven.dll" backup -r "$repo" --quiet "$data"
    timed haven backup-unchanged "$round" dotnet "$run/haven-bin/haven.dll" backup -r "$repo" --quiet "$data"
    local probe
    probe="$(wait_for_fast_creates)"
    echo "  (probe: $probe_files creates in $probe s)" >&2
    timed haven restore "$round" dotnet "$run/haven-bin/haven.dll" restore -r "$repo" latest --target "$target" --quiet
  else
    "$restic_bin" init -r "$repo" >/dev/null
    timed restic backup-first "$round" "$restic_bin" -r "$repo" backup --quiet "$data"
    timed restic backup-unchanged "$round" "$restic_bin" -r "$repo" backup --quiet "$data"
    local probe
    probe="$(wait_for_fast_creates)"
    echo "  (probe: $probe_files creates in $probe s)" >&2
    timed restic restore "$round" "$restic_bin" -r "$repo" restore latest --target "$target" --quiet
  fi
  printf '%s\t%s\t%s\t%s\t0\n' "$tool" repo-bytes "$round" "$(du -sb "$repo" | cut -f1)" >>"$results"
  if ((round == 1)); then
    # The restored tree must hold the same bytes (restore puts the absolute path under the target).
    diff -r --no-dereference "$data" "$target$data" >/dev/null ||
      { echo "compare.sh: $tool restored tree differs from the data set" >&2; exit 1; }
  fi
}

echo "key derivation / start-up cost (empty repositories)" >&2
"$restic_bin" init -r "$run/empty-restic" >/dev/null
haven init -r "$run/empty-haven" >/dev/null
for i in 1 2 3; do
  timed restic snapshots-empty "$i" "$restic_bin" -r "$run/empty-restic" snapshots --quiet
  timed haven snapshots-empty "$i" dotnet "$run/haven-bin/haven.dll" snapshots -r "$run/empty-haven" --quiet
done

for ((round = 1; round <= rounds; round++)); do
  echo "round $round" >&2
  if ((round % 2)); then order=(haven restic); else order=(restic haven); fi
  for tool in "${order[@]}"; do
    step_tool "$tool" "$round"
  done
done

python3 - "$results" "$size_mb" "$rounds" "$(nproc)" "$(restic version | head -1)" "$(haven version)" <<'EOF'
import statistics, sys
path, size_mb, rounds, cores, restic_version, haven_version = sys.argv[1:7]
rows = [line.rstrip("\n").split("\t") for line in open(path)]
def med(tool, step, col):
    values = [float(r[col]) for r in rows if r[0] == tool and r[1] == step]
    return statistics.median(values), values
print(f"Data set: bench/gen-dataset.py, {size_mb} MiB; {rounds} rounds, tools alternating; {cores} cores.")
print(f"{haven_version}; {restic_version}.\n")
print("| step | haven s (median) | restic s (median) | haven/restic | haven peak RSS MiB | restic peak RSS MiB | haven runs | restic runs |")
print("|---|---:|---:|---:|---:|---:|---|---|")
for step in ["snapshots-empty", "backup-first", "backup-unchanged", "restore"]:
    h, hv = med("haven", step, 3)
    r, rv = med("restic", step, 3)
    hm, _ = med("haven", step, 4)
    rm, _ = med("restic", step, 4)
    fmt = lambda vs: " ".join(f"{v:.2f}" for v in vs)
    print(f"| {step} | {h:.2f} | {r:.2f} | {h / r:.2f} | {hm / 1024:.0f} | {rm / 1024:.0f} | {fmt(hv)} | {fmt(rv)} |")
h, _ = med("haven", "repo-bytes", 3)
r, _ = med("restic", "repo-bytes", 3)
print(f"\nRepository size after both backups: haven {h / 2**20:.1f} MiB, restic {r / 2**20:.1f} MiB (ratio {h / r:.3f}).")
print("snapshots-empty is one command on an empty repository: restic's is mostly its scrypt key")
print("derivation (N=32768, r=8, p=10), which every restic command pays; haven's is its start-up plus its own KDF.")
EOF
