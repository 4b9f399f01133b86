#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Restore only: backs the data set up once with each tool, then, alternating the order every
# round, times a full restore by haven, by restic 0.14 and a plain `cp -a` of the tree, and a
# restore of one small file by each tool. Prints medians, ratios and peak RSS as Markdown.
#
#   bench/restore-only.sh [--rounds 3] [--size-mb 400] [--work /tmp/haven-restore-bench]
#                         [--baseline DIR] [--fresh-fs] [--keep]
#
# --fresh-fs restores into a new ext4 file system (a loop-mounted image, root only) that sees no
# deletes, so other users deleting files on / cannot slow its file creation (see machine notes).
# --baseline DIR also times another haven build (a folder holding ./haven's native binary `haven`
# or a haven.dll, e.g. a copy of artifacts/haven from before a change) as "base" in the same run.
# Nothing is deleted during the run (deleting big trees makes ext4 file creation slow for
# minutes); before each restore the script waits until creating 2000 empty files takes under
# PROBE_FAST (0.25) seconds, at most PROBE_MAX_WAIT (400) seconds, after a sync, so that no tool
# pays for writing back what the one before it restored.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
rounds=3
size_mb=400
work=/tmp/haven-restore-bench
baseline=""
fresh_fs=0
keep=0
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --size-mb) size_mb="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --baseline) baseline="$(readlink -f "$2")"; shift 2 ;;
    --fresh-fs) fresh_fs=1; shift ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--rounds N] [--size-mb MB] [--work DIR] [--baseline DIR] [--fresh-fs] [--keep]" >&2; exit 2 ;;
  esac
done
restic_bin=/usr/bin/restic
[[ -x "$restic_bin" && -x /usr/bin/time ]] || { echo "restore-only.sh: needs /usr/bin/restic and /usr/bin/time" >&2; exit 1; }
# How to run the haven build in folder $1: haven.dll (a ReadyToRun or plain build) or the native binary.
haven_in() { if [[ -f "$1/haven.dll" ]]; then echo dotnet "$1/haven.dll"; else echo "$1/haven"; fi; }
[[ -z "$baseline" || -f "$baseline/haven.dll" || -x "$baseline/haven" ]] ||
  { echo "restore-only.sh: $baseline holds neither haven.dll nor a haven binary" >&2; exit 1; }

mkdir -p "$work"
data="$work/data"
if [[ ! -f "$work/data.size" || "$(cat "$work/data.size")" != "$size_mb" ]]; then
  rm -rf "$data"
  python3 "$here/gen-dataset.py" "$data" --size-mb "$size_mb" >&2
  echo "$size_mb" >"$work/data.size"
fi
# One small source file, restored alone.
small="$(find "$data/src" -type f -size -8k | sort | awk 'NR == 1')"

run="$work/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run/home" "$run/probe"
cleanup() {
  mountpoint -q "$run/fs" && umount "$run/fs"
  ((keep)) || rm -rf "$run"
}
trap cleanup EXIT
targets="$run"
if ((fresh_fs)); then
  truncate -s $((size_mb * (rounds + 1) * 4 + 1024))M "$run/fs.img"
  mkfs.ext4 -q -O ^has_journal "$run/fs.img"
  mkdir -p "$run/fs"
  mount -o loop "$run/fs.img" "$run/fs"
  targets="$run/fs"
fi

"$root/haven" version >/dev/null
cp -r "$root/artifacts/haven" "$run/haven-bin"
read -ra haven_cmd <<<"$(haven_in "$run/haven-bin")"
base_cmd=()
[[ -n "$baseline" ]] && read -ra base_cmd <<<"$(haven_in "$baseline")"
printf 'benchmark-password\n' >"$run/password"
export HOME="$run/home" XDG_CACHE_HOME="$run/home/.cache" XDG_CONFIG_HOME="$run/home/.config"
export HAVEN_PASSWORD_FILE="$run/password" RESTIC_PASSWORD="benchmark-password"
unset HAVEN_PASSWORD HAVEN_REPOSITORY RESTIC_REPOSITORY RESTIC_PASSWORD_FILE

tools=(haven restic cp)
[[ -n "$baseline" ]] && tools+=(base)
"${haven_cmd[@]}" init -r "$run/repo-haven" >/dev/null
"${haven_cmd[@]}" backup -r "$run/repo-haven" --quiet "$data"
"$restic_bin" init -r "$run/repo-restic" >/dev/null
"$restic_bin" -r "$run/repo-restic" backup --quiet "$data"

results="$run/results.tsv"
: >"$results"
timed() {
  local tool="$1" step="$2"
  shift 2
  /usr/bin/time -f '%e %M %U %S' -o "$run/time.out" "$@" >"$run/last.out" 2>&1 || {
    echo "restore-only.sh: $tool $step failed:" >&2
    cat "$run/last.out" >&2
    exit 1
  }
  read -r seconds rss user sys <"$run/time.out"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$step" "$seconds" "$rss" "$(python3 -c "print(round($user + $sys, 2))")" >>"$results"
  printf '  %-6s %-8s %6.2f s %7d MiB  cpu %s+%s s\n' "$tool" "$step" "$seconds" "$((rss / 1024))" "$user" "$sys" >&2
}

wait_for_fast_creates() {
  local start=$SECONDS dir t
  while true; do
    mkdir -p "$targets/probe"
    dir="$(mktemp -d "$targets/probe/XXXXXX")"
    t="$(python3 -c '
import os, sys, time
d = sys.argv[1]
s = time.perf_counter()
for i in range(2000):
    open(os.path.join(d, str(i)), "wb").close()
print(f"{time.perf_counter() - s:.3f}")' "$dir")"
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$t" "${PROBE_FAST:-0.25}" && return
    ((SECONDS - start > ${PROBE_MAX_WAIT:-400})) && { echo "  (file creation still slow: $t s)" >&2; return; }
    sleep 5
  done
}

restore() {
  local tool="$1" round="$2" target="$targets/restore-$1-$2"
  # The previous restore's dirty pages are written back now, not during this one's clock.
  sync
  wait_for_fast_creates
  case "$tool" in
    haven) timed haven full "${haven_cmd[@]}" restore -r "$run/repo-haven" latest --target "$target" --quiet ;;
    base) timed base full "${base_cmd[@]}" restore -r "$run/repo-haven" latest --target "$target" --quiet ;;
    restic) timed restic full "$restic_bin" -r "$run/repo-restic" restore latest --target "$target" --quiet ;;
    cp) timed cp full cp -a "$data" "$target" ;;
  esac
  if ((round == 1)); then
    local restored="$target$data"
    [[ "$tool" == cp ]] && restored="$target"
    diff -r --no-dereference "$data" "$restored" >/dev/null || { echo "restore-only.sh: $tool restored tree differs" >&2; exit 1; }
  fi
  case "$tool" in
    haven) timed haven one "${haven_cmd[@]}" restore -r "$run/repo-haven" latest --target "$target-one" --include "$small" --quiet ;;
    base) timed base one "${base_cmd[@]}" restore -r "$run/repo-haven" latest --target "$target-one" --include "$small" --quiet ;;
    restic) timed restic one "$restic_bin" -r "$run/repo-restic" restore latest --target "$target-one" --include "$small" --quiet ;;
    cp) return ;;
  esac
  cmp "$small" "$target-one$small" || { echo "restore-only.sh: $tool restored the small file wrongly" >&2; exit 1; }
}

for ((round = 1; round <= rounds; round++)); do
  echo "round $round" >&2
  order=("${tools[@]}")
  ((round % 2)) || order=($(printf '%s\n' "${tools[@]}" | tac))
  for tool in "${order[@]}"; do
    restore "$tool" "$round"
  done
done

python3 - "$results" "$size_mb" "$rounds" "$(du -sb "$data" | cut -f1)" <<'EOF'
import statistics, sys
path, size_mb, rounds, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [line.rstrip("\n").split("\t") for line in open(path)]
def med(tool, step, col):
    values = [float(r[col]) for r in rows if r[0] == tool and r[1] == step]
    return (statistics.median(values) if values else None), values
print(f"Data set: bench/gen-dataset.py --size-mb {size_mb} ({total / 2**20:.0f} MiB); {rounds} rounds, order alternating.\n")
print("| tool | step | median s | MB/s | restic s / this s | peak RSS MiB | CPU s (user+sys) | runs |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for step in ["full", "one"]:
    restic, _ = med("restic", step, 2)
    for tool in ["haven", "base", "restic", "cp"]:
        s, runs = med(tool, step, 2)
        if s is None:
            continue
        rss, _ = med(tool, step, 3)
        cpu, _ = med(tool, step, 4)
        rate = f"{total / s / 1e6:.0f}" if step == "full" else ""
        print(f"| {tool} | {step} | {s:.2f} | {rate} | {restic / s:.2f} | {rss / 1024:.0f} | {cpu:.2f} | {' '.join(f'{v:.2f}' for v in runs)} |")
EOF
