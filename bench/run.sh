#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Issue 6's benchmark in one command: Haven (Release build of this checkout), restic 0.14 and
# BorgBackup 1.2 on the same generated tree in the same run, the order rotating every round.
# Prints medians, peer/Haven ratios and PASS/FAIL against the issue's targets (bench/report.py)
# and, with --write, puts the table and the command into bench/RESULTS.md.
#
#   bench/run.sh [--rounds 3] [--size-mb 1600] [--work /tmp/haven-bench] [--seed 1]
#                [--tools haven,restic,borg] [--only STEP,...] [--no-profile] [--drop-caches]
#                [--keep] [--write]
#
# The defaults are issue 6's configuration: the 1.6 GiB tree (~20,000 files), medians of 3 rounds.
# Every Haven run writes its profile (HAVEN_PROFILE: time per stage of the data path, CPU seconds,
# GC; see src/Haven.Cli/Output/PhaseTimingsPrinter.cs) and the report prints "where the time goes"
# per phase beside the machine limits; --no-profile runs Haven without it (to show it costs nothing).
#
# Steps (--only picks some; the backups they need always run):
#   limits    openssl speed -evp sha256 / aes-256-ctr, zstd -b3 on a tar of the tree, page-cache
#             read rate (tar | cat), tar | zstd -3 -T2                                   (once)
#   first     first backup into a new repository (borg: zstd,3; borg-lz4: lz4 as a second repo)
#   unchanged a second backup of the same tree
#   mutate    bench/gen-dataset.py mutate (~5 % changed), then a backup
#   restore   full restore into a new directory; cp -a and tar | tar of the tree as baselines
#   file      restore of one small source file
#   fixed     'snapshots' on the repository (start-up + key derivation + listing); Haven's
#             HAVEN_TIMINGS=1 breakdown of a single-file restore                    (round 1)
#   check     check --read-data (borg: check --verify-data)
#   prune     forget --keep-last 2 of the 4 snapshots, then prune (borg: prune, then compact)
#
# Each round works on the tree as the previous round's mutate left it (round 1: as generated), so
# every tool in a round sees the same bytes. Restored trees are compared with the tree in round 1.
# Before every restore the script syncs (no tool pays for writing back the previous one's tree)
# and waits until creating PROBE_FILES (2000) empty files takes under
# PROBE_FAST (0.25) s, at most PROBE_MAX_WAIT (420) s: ext4 without a journal creates files slowly
# for minutes after a mass delete, which would make restore figures noise. Trees of a round are
# deleted at the start of the next one only when the disk could not hold every round.
set -euo pipefail
# The whole script is one brace group, so bash has read all of it before it runs: editing the
# file during a run (which takes a while) cannot change what the run does.
{
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
rounds=3 size_mb=1600 work=/tmp/haven-bench seed=1 keep=0 write=0 drop_caches=0
tools_arg=haven,restic,borg only="" profile=1
command_line="bench/run.sh $*"
usage() { echo "usage: $0 [--rounds N] [--size-mb MB] [--work DIR] [--seed N] [--tools haven,restic,borg] [--only STEP,...] [--no-profile] [--drop-caches] [--keep] [--write]" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --size-mb) size_mb="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --tools) tools_arg="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-profile) profile=0; shift ;;
    --drop-caches) drop_caches=1; shift ;;
    --write) write=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 0 ;;
    *) usage ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ && "$size_mb" =~ ^[1-9][0-9]*$ ]] || usage
if ((drop_caches)) && [[ ! -w /proc/sys/vm/drop_caches ]]; then
  echo "run.sh: --drop-caches needs root (it writes /proc/sys/vm/drop_caches)" >&2
  exit 2
fi
for step in ${only//,/ }; do
  case "$step" in limits | first | unchanged | mutate | restore | file | fixed | check | prune) ;;
    *) echo "run.sh: unknown step '$step' in --only (limits first unchanged mutate restore file fixed check prune)" >&2; exit 2 ;;
  esac
done
want() { [[ -z "$only" || ",$only," == *",$1,"* ]]; }
IFS=, read -r -a tools <<<"$tools_arg"
for tool in "${tools[@]}"; do
  case "$tool" in haven | restic | borg) ;; *) echo "run.sh: unknown tool '$tool' (haven, restic, borg)" >&2; exit 2 ;; esac
done
has_tool() { [[ ",$tools_arg," == *",$1,"* ]]; }

probe_files="${PROBE_FILES:-2000}" probe_fast="${PROBE_FAST:-0.25}" probe_max_wait="${PROBE_MAX_WAIT:-420}"
[[ -x /usr/bin/time ]] || { echo "run.sh: /usr/bin/time is missing: apt-get install time" >&2; exit 1; }
if has_tool restic; then command -v restic >/dev/null || { echo "run.sh: restic is missing: apt-get install restic" >&2; exit 1; }; fi
if has_tool borg && ! command -v borg >/dev/null; then
  echo "run.sh: installing borgbackup (Debian)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq borgbackup >/dev/null
fi
for tool in zstd openssl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done

# The generated tree is kept between runs (it is deterministic); each run mutates its own copy.
mkdir -p "$work"
dataset="$work/dataset-$size_mb-$seed"
if [[ ! -f "$dataset.done" ]]; then
  rm -rf "$dataset"
  echo "generating the ${size_mb} MiB data set in $dataset" >&2
  python3 "$here/gen-dataset.py" generate "$dataset" --size-mb "$size_mb" --seed "$seed" >&2
  touch "$dataset.done"
fi
run="$work/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run/home" "$run/probe" "$run/profiles"
cleanup() { ((keep)) || rm -rf "$run"; }
trap cleanup EXIT

data_bytes="$(du -sb "$dataset" | cut -f1)"
need_per_round=$((data_bytes * 8)) # 3 repositories and a second borg one (~0.6 x), 5 restored trees
free_bytes="$(($(df -B1 --output=avail "$work" | tail -1)))"
delete_between_rounds=0
if ((free_bytes < need_per_round * rounds + data_bytes * 2 + (4 << 30))); then
  ((free_bytes >= need_per_round + data_bytes * 2 + (4 << 30))) ||
    { echo "run.sh: $work has $((free_bytes >> 30)) GiB free, one round needs $(((need_per_round + data_bytes * 2) >> 30)) GiB; use a smaller --size-mb" >&2; exit 1; }
  delete_between_rounds=1
  echo "run.sh: not enough disk for every round; each round's trees are deleted at the start of the next" >&2
fi

"$root/haven" version >/dev/null # builds the Release binary when the sources changed
# A private copy, so edits to the checkout during the run change nothing.
cp -r "$root/artifacts/haven" "$run/haven-bin"
# ./haven's build: the native binary (Native AOT), or haven.dll when it fell back to ReadyToRun.
haven_cmd=("$run/haven-bin/haven")
[[ -f "$run/haven-bin/haven.dll" ]] && haven_cmd=(dotnet "$run/haven-bin/haven.dll")
haven() { "${haven_cmd[@]}" "$@"; }

data="$run/data"
cp -a "$dataset" "$data"
printf 'benchmark-password\n' >"$run/password"
export HOME="$run/home" XDG_CACHE_HOME="$run/home/.cache" XDG_CONFIG_HOME="$run/home/.config"
export XDG_DATA_HOME="$run/home/.local/share" XDG_STATE_HOME="$run/home/.local/state"
export HAVEN_PASSWORD_FILE="$run/password" RESTIC_PASSWORD_FILE="$run/password"
export BORG_PASSPHRASE=benchmark-password BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_DELETE_I_KNOW_WHAT_I_AM_DOING=YES
unset HAVEN_PASSWORD HAVEN_REPOSITORY RESTIC_REPOSITORY RESTIC_PASSWORD BORG_REPO HAVEN_TIMINGS HAVEN_PROFILE

results="$run/results.tsv" metrics="$run/metrics.tsv"
: >"$results"
: >"$metrics"
metric() { printf '%s\t%s\n' "$1" "$2" >>"$metrics"; }

# Every timed command starts from the same state: nothing left to write back from the commands
# before it (sync; the first backups ran 3.8 s first and 7.3 s after the others' 2.6 GB of dirty
# pages), and with --drop-caches (root) nothing in the page cache but its own inputs, read again:
# the tree, the tool's repository and its program. Without it, the page cache fills with earlier rounds'
# trees and each restore also pays for reclaiming memory, more or less depending on its turn.
settle() {
  sync
  if ((drop_caches)); then
    echo 1 >/proc/sys/vm/drop_caches
    warm "$data"
    local repo
    repo="$(repo_of "$1" "$2")"
    if [[ -d "$repo" ]]; then warm "$repo"; fi
    # The program itself (borg's Python modules, haven's or restic's binary) is loaded again too.
    "$3" --version >/dev/null 2>&1 || true
  fi
}
warm() { find "$1" -type f -print0 | xargs -0 -r cat >/dev/null; }

# timed TOOL STEP ROUND COMMAND...: wall seconds, peak RSS (KiB), user and system CPU seconds of the
# command into results; Haven's profile into profiles/STEP-ROUND.tsv.
timed() {
  local tool="$1" step="$2" round="$3" profile_file=""
  shift 3
  if [[ "$tool" == haven ]] && ((profile)); then profile_file="$run/profiles/$step-$round.tsv"; fi
  settle "$tool" "$round" "$1"
  HAVEN_PROFILE="$profile_file" /usr/bin/time -f '%e %M %U %S' -o "$run/time.out" "$@" >"$run/last.out" 2>&1 || {
    echo "run.sh: $tool $step (round $round) failed: $*" >&2
    tail -20 "$run/last.out" >&2
    exit 1
  }
  local seconds rss user system
  read -r seconds rss user system <"$run/time.out"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$step" "$round" "$seconds" "$rss" "$user" "$system" >>"$results"
  printf '  %-9s %-10s %7.2f s %6d MiB\n' "$tool" "$step" "$seconds" "$((rss / 1024))" >&2
}

# Waits until file creation on the work file system is fast again (see the header).
wait_for_fast_creates() {
  local start=$SECONDS t dir
  while true; do
    dir="$(mktemp -d "$run/probe/XXXXXX")"
    t="$(python3 -c '
import os, sys, time
d, n = sys.argv[1], int(sys.argv[2])
s = time.perf_counter()
for i in range(n):
    open(os.path.join(d, str(i)), "wb").close()
print(f"{time.perf_counter() - s:.3f}")' "$dir" "$probe_files")"
    if python3 -c 'import sys; sys.exit(float(sys.argv[1]) >= float(sys.argv[2]))' "$t" "$probe_fast"; then
      break
    fi
    if ((SECONDS - start > probe_max_wait)); then
      echo "run.sh: creating $probe_files files still takes $t s after ${probe_max_wait} s; going on" >&2
      break
    fi
    sleep 5
  done
  echo "  (creates fast again after $((SECONDS - start)) s: $probe_files files in $t s)" >&2
}

# rate SECONDS-FILE: bytes of the tree per second of the last timed pipeline.
pipe_rate() { python3 -c 'import sys; print(int(int(sys.argv[1]) / max(0.001, float(sys.argv[2]))))' "$1" "$2"; }

machine_limits() {
  echo "machine limits" >&2
  local line
  line="$(openssl speed -seconds 2 -bytes 1048576 -evp sha256 2>/dev/null | tail -1)"
  metric limit-sha256 "$(awk '{ sub("k", "", $NF); printf "%d", $NF * 1000 }' <<<"$line")"
  line="$(openssl speed -seconds 2 -bytes 1048576 -evp aes-256-ctr 2>/dev/null | tail -1)"
  metric limit-aes-256-ctr "$(awk '{ sub("k", "", $NF); printf "%d", $NF * 1000 }' <<<"$line")"
  tar -C "$data" -cf "$run/sample.tar" .
  # zstd -b prints "3#sample.tar : IN -> OUT (xR), C MB/s, D MB/s" after carriage returns.
  line="$(zstd -b3 -i3 "$run/sample.tar" 2>&1 | tr '\r' '\n' | grep -E 'MB/s.*MB/s' | tail -1)"
  metric limit-zstd3 "$(sed -E 's/.*\), *([0-9.]+) MB\/s.*/\1/' <<<"$line")"
  metric limit-zstd3-decompress "$(sed -E 's/.*MB\/s, *([0-9.]+) MB\/s.*/\1/' <<<"$line")"
  metric limit-zstd3-ratio "$(sed -E 's/.*\(x([0-9.]+)\).*/\1/' <<<"$line")"
  rm -f "$run/sample.tar"
  tar -C "$data" -cf - . | cat >/dev/null # warm the page cache
  local seconds
  seconds="$( { /usr/bin/time -f '%e' sh -c 'tar -C "$1" -cf - . | cat >/dev/null' sh "$data"; } 2>&1 | tail -1)"
  metric limit-page-cache-read "$(pipe_rate "$data_bytes" "$seconds")"
  seconds="$( { /usr/bin/time -f '%e' sh -c 'tar -C "$1" -cf - . | zstd -3 -T2 -q -c >/dev/null' sh "$data"; } 2>&1 | tail -1)"
  metric limit-tar-zstd3-T2 "$(pipe_rate "$data_bytes" "$seconds")"
}

repo_of() { echo "$run/repo-$1-$2"; }

init_repo() {
  local tool="$1" repo="$2"
  case "$tool" in
    haven) haven init -r "$repo" >/dev/null ;;
    restic) restic init -r "$repo" >/dev/null ;;
    borg | borg-lz4) borg init --encryption repokey "$repo" >/dev/null 2>&1 ;;
  esac
}

backup() {
  local tool="$1" step="$2" round="$3" repo="$4"
  case "$tool" in
    haven) timed haven "$step" "$round" "${haven_cmd[@]}" backup -r "$repo" --quiet "$data" ;;
    restic) timed restic "$step" "$round" restic -r "$repo" backup --quiet "$data" ;;
    borg) timed borg "$step" "$round" borg create --compression zstd,3 "$repo::$step" "$data" ;;
    borg-lz4) timed borg-lz4 "$step" "$round" borg create --compression lz4 "$repo::$step" "$data" ;;
  esac
}

restore_all() {
  local tool="$1" round="$2" repo="$3" target="$4"
  mkdir -p "$target"
  case "$tool" in
    haven) timed haven restore "$round" "${haven_cmd[@]}" restore -r "$repo" latest --target "$target" --quiet ;;
    restic) timed restic restore "$round" restic -r "$repo" restore latest --target "$target" --quiet ;;
    borg) (cd "$target" && timed borg restore "$round" borg extract "$repo::mutate-unchanged") ;;
  esac
}

restore_file() {
  local tool="$1" round="$2" repo="$3" target="$4" file="$5"
  mkdir -p "$target"
  case "$tool" in
    haven) timed haven file "$round" "${haven_cmd[@]}" restore -r "$repo" latest --target "$target" --include "$file" --quiet ;;
    restic) timed restic file "$round" restic -r "$repo" restore latest --target "$target" --include "$file" --quiet ;;
    borg) (cd "$target" && timed borg file "$round" borg extract "$repo::mutate-unchanged" "${file#/}") ;;
  esac
  cmp -s "$file" "$target$file" || { echo "run.sh: $tool restored $file wrongly" >&2; exit 1; }
}

check_data() {
  local tool="$1" round="$2" repo="$3"
  case "$tool" in
    haven) timed haven check "$round" "${haven_cmd[@]}" check -r "$repo" --read-data --quiet ;;
    restic) timed restic check "$round" restic -r "$repo" check --read-data --quiet ;;
    borg) timed borg check "$round" borg check --verify-data "$repo" ;;
  esac
}

list_snapshots() {
  local tool="$1" round="$2" repo="$3"
  case "$tool" in
    haven) timed haven fixed "$round" "${haven_cmd[@]}" snapshots -r "$repo" ;;
    restic) timed restic fixed "$round" restic -r "$repo" snapshots ;;
    borg) timed borg fixed "$round" borg list "$repo" ;;
  esac
}

forget_prune() {
  local tool="$1" round="$2" repo="$3"
  case "$tool" in
    haven)
      timed haven forget "$round" "${haven_cmd[@]}" forget -r "$repo" --keep-last 2 --quiet
      timed haven prune "$round" "${haven_cmd[@]}" prune -r "$repo" --quiet ;;
    restic)
      timed restic forget "$round" restic -r "$repo" forget --keep-last 2 --quiet
      timed restic prune "$round" restic -r "$repo" prune --quiet ;;
    borg)
      timed borg forget "$round" borg prune --keep-last 2 "$repo"
      timed borg prune "$round" borg compact "$repo" ;;
  esac
}

verify_tree() {
  diff -r --no-dereference "$data" "$2$data" >/dev/null ||
    { echo "run.sh: the tree restored by $1 differs from the data set" >&2; exit 1; }
}

metric size-mb "$size_mb"
metric data-bytes "$data_bytes"
metric data-files "$(find "$data" -type f | wc -l)"
metric rounds "$rounds"
metric tools "$tools_arg"
metric cores "$(nproc)"
metric cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
metric haven-version "$(haven version)"
if has_tool restic; then metric restic-version "$(restic version | head -1)"; fi
if has_tool borg; then metric borg-version "$(borg --version)"; fi
metric load-start "$(cut -d' ' -f1-3 /proc/loadavg)"
metric command "$command_line"
metric commit "$(git -C "$root" log -1 --format='%h %s' 2>/dev/null || echo unknown)"
if want limits; then machine_limits; fi

run_started=$SECONDS
for ((round = 1; round <= rounds; round++)); do
  echo "round $round (load $(cut -d' ' -f1-3 /proc/loadavg); $((SECONDS - run_started)) s into the run)" >&2
  metric "load-round-$round" "$(cut -d' ' -f1-3 /proc/loadavg)"
  if ((delete_between_rounds && round > 1)); then
    rm -rf "$run"/repo-*-"$((round - 1))" "$run"/restore-*-"$((round - 1))" "$run"/file-*-"$((round - 1))"
  fi
  # Rotate the order each round: every tool goes first, second and last.
  order=()
  for ((i = 0; i < ${#tools[@]}; i++)); do order+=("${tools[(i + round - 1) % ${#tools[@]}]}"); done
  backup_order=()
  for tool in "${order[@]}"; do
    backup_order+=("$tool")
    if [[ "$tool" == borg ]]; then backup_order+=(borg-lz4); fi
  done

  for tool in "${backup_order[@]}"; do
    init_repo "$tool" "$(repo_of "$tool" "$round")"
    backup "$tool" first "$round" "$(repo_of "$tool" "$round")"
    printf '%s\trepo-bytes\t%s\t%s\t0\n' "$tool" "$round" "$(du -sb "$(repo_of "$tool" "$round")" | cut -f1)" >>"$results"
  done
  for tool in "${order[@]}"; do backup "$tool" unchanged "$round" "$(repo_of "$tool" "$round")"; done
  python3 "$here/gen-dataset.py" mutate "$data" --seed "$seed" --step "$round" >"$run/mutate.out"
  echo "  $(cat "$run/mutate.out")" >&2
  if ((round == 1)); then metric mutate "$(cat "$run/mutate.out")"; fi
  for tool in "${order[@]}"; do backup "$tool" mutate "$round" "$(repo_of "$tool" "$round")"; done
  # A fourth snapshot, so that forget --keep-last 2 removes half of them.
  for tool in "${order[@]}"; do backup "$tool" mutate-unchanged "$round" "$(repo_of "$tool" "$round")"; done

  if want restore; then
    for tool in "${order[@]}" cp-a tar-tar; do
      target="$run/restore-$tool-$round"
      # What the restore before wrote is written back now, not on this one's clock.
      sync
      wait_for_fast_creates
      case "$tool" in
        cp-a) timed cp-a restore "$round" cp -a "$data" "$target" ;;
        tar-tar) mkdir -p "$target" && timed tar-tar restore "$round" sh -c 'tar -C "$1" -cf - . | tar -C "$2" -xf -' sh "$data" "$target" ;;
        *)
          restore_all "$tool" "$round" "$(repo_of "$tool" "$round")" "$target"
          if ((round == 1)); then verify_tree "$tool" "$target"; fi ;;
      esac
    done
  fi
  file="$(find "$data/src" -type f -name '*.c' | sort | awk 'NR == 1')"
  if want file; then
    for tool in "${order[@]}"; do
      restore_file "$tool" "$round" "$(repo_of "$tool" "$round")" "$run/file-$tool-$round" "$file"
    done
  fi
  if want fixed && ((round == 1)); then
    for tool in "${order[@]}"; do list_snapshots "$tool" "$round" "$(repo_of "$tool" "$round")"; done
    if has_tool haven; then
      HAVEN_TIMINGS=1 haven restore -r "$(repo_of haven "$round")" latest --target "$run/file-timings" --include "$file" --quiet 2>"$run/timings.out" ||
        { cat "$run/timings.out" >&2; exit 1; }
      metric haven-timings "$(grep '^haven-timing' "$run/timings.out" | tr '\n' ';')"
    fi
  fi
  if want check; then
    for tool in "${order[@]}"; do check_data "$tool" "$round" "$(repo_of "$tool" "$round")"; done
  fi
  if want check && ((round == 1)); then
    # Blobs in each index, read by restic (Haven's repository is restic's format) for memory per blob.
    for tool in haven restic; do
      if has_tool "$tool"; then metric "blobs-$tool" "$(restic -r "$(repo_of "$tool" 1)" list blobs --no-lock | wc -l)"; fi
    done
  fi
  if want prune; then
    for tool in "${order[@]}"; do forget_prune "$tool" "$round" "$(repo_of "$tool" "$round")"; done
  fi
done
metric load-end "$(cut -d' ' -f1-3 /proc/loadavg)"
metric run-seconds "$((SECONDS - run_started))"
echo "run.sh: the rounds took $((SECONDS - run_started)) s ($SECONDS s with the data set, build and limits)" >&2

python3 "$here/report.py" "$results" "$metrics" "$run/profiles" >"$run/report.md"
cat "$run/report.md"
if ((write)); then
  {
    echo "# Haven beside restic and Borg (issue 6)"
    echo
    echo "Command, from the repository root: \`$command_line\`"
    echo
    cat "$run/report.md"
  } | python3 "$here/results_section.py" comparison "$here/RESULTS.md"
  echo "run.sh: wrote bench/RESULTS.md (the comparison; the per-stage part is kept)" >&2
fi
exit
}
