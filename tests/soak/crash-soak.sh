#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
#
# Crash soak: SIGKILLs haven backup and haven prune at random moments, many times over one local
# repository, and proves after every kill that nothing was lost.
#
#   tests/soak/crash-soak.sh [--iterations N] [--seed S] [--work DIR] [--haven "COMMAND"]
#
#   --iterations N   iterations to run (default 20)
#   --seed S         seed of every random choice (default: random, printed); the kill moments
#                    depend on timing, so a seed repeats the plan, not the exact kill points
#   --work DIR       where the repository, source tree, states and logs go (must not exist or be
#                    empty; kept afterwards). Default: a temporary folder, removed when all pass
#   --haven COMMAND  how to run haven, split on spaces (default: ./haven, the Release build);
#                    the tests pass "dotnet /path/to/haven.dll"
#
# Needs python3 and restic 0.14 at /usr/bin/restic, and root (the source tree holds devices,
# foreign owners and setuid files). Each iteration:
#   1. changes the source tree ($work/src): either a fresh tree (tests/tools/fstree.py generate
#      with a new seed) or a deterministic mutation of the current one (mutate_tree.py: edits,
#      appends, truncations, deletions, new files, renames, chmods). The tree is a function of
#      its recipe (generate seed + mutation seeds), so the script rebuilds it into
#      $work/states/N and checks that the rebuild is identical to the source: that copy is what
#      a snapshot of this iteration must restore to.
#   2. runs haven backup and SIGKILLs it: after a random delay, or when a pack file starts being
#      written (a temporary file in data/, or a nameless one the process holds open there),
#      when 1-2 new packs exist, when a new index file
#      appears, or when the snapshot file appears; some iterations let it finish.
#   3. on every second iteration (and some others): haven forget --keep-last K (K in 1..3),
#      then haven prune (sometimes --max-unused 0% or unlimited), SIGKILLed after a random delay,
#      when a new pack or index file appears, or when an old pack or index file disappears, or
#      let finish.
#   4. restic unlock; haven check --read-data and restic check --read-data must pass.
#   5. when anything was killed, the next haven backup of the same tree must succeed.
#   6. every snapshot in the repository must be one this script recorded (snapshot ID -> state;
#      a killed backup may leave at most one, and only a complete one), and every one must
#      restore (haven restore) identical to its state (fstree.py compare --sparse). Only prune
#      removes data, so a snapshot is restored when it is new and again after every prune
#      (killed or not); in between, both --read-data checks vouch for the data it uses.
# A run that finishes instead of being killed must exit 0. Prints one line per iteration, then a
# final check line and "N passed, N failed"; exits 0 only when everything passed.
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
fstree="$root/tests/tools/fstree.py"
mutate="$root/tests/soak/mutate_tree.py"
restic=/usr/bin/restic

iterations=20
seed=$((RANDOM * 32768 + RANDOM))
work=""
haven_command="$root/haven"

usage() {
  sed -n '6,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

while (($#)); do
  case "$1" in
    --iterations) iterations="${2:?}"; shift 2 ;;
    --seed) seed="${2:?}"; shift 2 ;;
    --work) work="${2:?}"; shift 2 ;;
    --haven) haven_command="${2:?}"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "crash-soak: unknown argument $1" >&2; usage ;;
  esac
done
[[ "$iterations" =~ ^[0-9]+$ && "$seed" =~ ^[0-9]+$ ]] || usage
read -ra haven <<<"$haven_command"
for tool in python3 "$restic"; do
  command -v "$tool" >/dev/null || { echo "crash-soak: $tool is missing (./test.sh installs it)" >&2; exit 1; }
done

remove_work=0
if [[ -z "$work" ]]; then
  work="$(mktemp -d /tmp/haven-soak.XXXXXX)"
  remove_work=1
elif [[ -e "$work" && -n "$(ls -A "$work")" ]]; then
  echo "crash-soak: $work is not empty" >&2
  exit 2
fi
mkdir -p "$work"/{home,states,logs}
work="$(cd "$work" && pwd)"
repo="$work/repo"
src="$work/src"
head -c 32 /dev/urandom | base64 >"$work/password"

export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config" \
  XDG_CACHE_HOME="$work/home/cache" XDG_STATE_HOME="$work/home/state"
export HAVEN_REPOSITORY="$repo" HAVEN_PASSWORD_FILE="$work/password"
# The soak makes throwaway repositories: a calibrated 0.5 s key derivation per command would only slow it down.
export HAVEN_KEY_DERIVATION_MS="${HAVEN_KEY_DERIVATION_MS:-0}"
export RESTIC_REPOSITORY="$repo" RESTIC_PASSWORD_FILE="$work/password" RESTIC_CACHE_DIR="$work/home/cache/restic"
unset HAVEN_PASSWORD RESTIC_PASSWORD HAVEN_NEW_PASSWORD HAVEN_PROGRESS_INTERVAL
RANDOM=$seed

declare -A state_of=()   # snapshot ID -> states/N it must restore to
declare -A restored_ok=()  # snapshots restored identical since the last prune
failure=""               # the first thing that failed in this iteration
log=""                   # the log of the command that ran last

fail() { [[ -n "$failure" ]] || failure="$*"; }
# Random choices set globals rather than print: RANDOM in a $(...) subshell would not advance.
random_seed() { drawn=$((RANDOM * 32768 + RANDOM)); }
# The polling loop below forks nothing, so it looks often enough to catch short windows.
now_ms() { local us="${EPOCHREALTIME//[.,]/}"; echo $((us / 1000)); }
tick() { local us="${EPOCHREALTIME//[.,]/}"; now=$((us / 1000)); }
exec {nap_fd}<> <(:)
nap() { read -rt "$1" -u "$nap_fd" _ || :; }
count_snapshots() {
  local f
  snapshot_count=0
  for f in "$repo"/snapshots/*; do [[ "${f##*/}" =~ ^[0-9a-f]{64}$ ]] && ((snapshot_count++)); done
  :
}

# Runs a command to completion with its output in a log; returns its exit code.
run() {
  local name="$1"; shift
  log="$work/logs/$iteration-$name.log"
  timeout 300 "$@" >"$log" 2>&1
}

# The IDs of the snapshot files (temporary files of a killed write are not snapshots).
snapshot_ids() {
  local f
  for f in "$repo"/snapshots/*; do
    f="${f##*/}"
    [[ "$f" =~ ^[0-9a-f]{64}$ ]] && echo "$f"
  done
}

# Fills the named associative array with the files under data/ and index/, temporary files of
# writes that a kill interrupted (ID-tmp-GUID) included: they stay, and must not count as new.
declare -A before=()
list_files() {
  local -n into=$1
  local f
  into=()
  for f in "$repo"/data/*/* "$repo"/index/*; do
    [[ -e "$f" ]] && into["${f#"$repo"/}"]=1
  done
}

# True when the condition named by the strategy holds, comparing the repository with "before".
reached() {
  local strategy="$1" f rel count=0
  case "$strategy" in
    tmp-pack)
      for f in "$repo"/data/*/*-tmp-*; do [[ -e "$f" && -z "${before[${f#"$repo"/}]+x}" ]] && return 0; done
      # A local repository's packs are assembled in nameless files (O_TMPFILE) in data/, which
      # only the process's open files show: "/repo/data/#12345 (deleted)".
      local link data
      data="$(realpath "$repo")/data/"
      for f in /proc/"$pid"/fd/*; do
        link="$(readlink "$f" 2>/dev/null)" || continue
        [[ "$link" == "$data"* && "$link" == *" (deleted)" ]] && return 0
      done
      return 1 ;;
    pack*)
      local wanted="${strategy#pack}"
      for f in "$repo"/data/*/*; do
        rel="${f#"$repo"/}"
        [[ -e "$f" && "${f##*/}" =~ ^[0-9a-f]{64}$ && -z "${before[$rel]+x}" ]] && ((count++))
      done
      ((count >= ${wanted:-1})) ;;
    index)
      for f in "$repo"/index/*; do
        rel="${f#"$repo"/}"
        [[ -e "$f" && "${f##*/}" =~ ^[0-9a-f]{64}$ && -z "${before[$rel]+x}" ]] && return 0
      done
      return 1 ;;
    snapshot)
      count_snapshots
      ((snapshot_count > snapshots_before)) ;;
    gone-pack | gone-index)
      local kind="${strategy#gone-}"
      for rel in "${!before[@]}"; do
        [[ ("$kind" == pack && "$rel" == data/*) || ("$kind" == index && "$rel" == index/*) ]] || continue
        [[ "$rel" != *-tmp-* ]] || continue
        [[ -e "$repo/$rel" ]] || return 0
      done
      return 1 ;;
    *) return 1 ;;
  esac
}

alive() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

# Starts haven with the given arguments and SIGKILLs it as the strategy says ("finish": never;
# "delay:MS": after MS milliseconds; otherwise when reached STRATEGY holds). Sets outcome to
# "killed" or "finished", and elapsed to the run's milliseconds. A finished run must exit 0.
run_and_kill() {
  local name="$1" strategy="$2"; shift 2
  log="$work/logs/$iteration-$name.log"
  local start pid status deadline
  count_snapshots
  snapshots_before=$snapshot_count
  list_files before
  start="$(now_ms)"
  "${haven[@]}" "$@" >"$log" 2>&1 &
  pid=$!
  deadline=$((start + 300000))
  case "$strategy" in
    finish)
      tick
      while alive "$pid" && ((now < deadline)); do nap 0.05; tick; done
      kill -KILL "$pid" 2>/dev/null ;;
    delay:*)
      local until=$((start + ${strategy#delay:}))
      tick
      while alive "$pid" && ((now < until)); do nap 0.002; tick; done
      kill -KILL "$pid" 2>/dev/null ;;
    *)
      tick
      while alive "$pid" && ! reached "$strategy" && ((now < deadline)); do
        nap 0.005
        tick
      done
      kill -KILL "$pid" 2>/dev/null ;;
  esac
  wait "$pid" 2>/dev/null
  status=$?
  elapsed=$(($(now_ms) - start))
  ((elapsed < 300000)) || fail "$name did not finish within 300 s"
  if ((status == 137)); then
    outcome=killed
  else
    outcome=finished
    ((status == 0)) || fail "$name exited $status ($(tail -n 3 "$log" | tr '\n' ' '))"
  fi
}

# Rebuilds the state of the current recipe into states/N and checks it equals the source tree.
build_state() {
  local dir="$work/states/$iteration" m
  run generate-state python3 "$fstree" generate "$dir" --seed "$tree_seed" || { fail "fstree generate failed"; return; }
  for m in "${mutations[@]}"; do
    run mutate-state python3 "$mutate" "$dir" --seed "$m" || { fail "mutate_tree.py failed"; return; }
  done
  run compare-state python3 "$fstree" compare "$src" "$dir" --sparse ||
    fail "the rebuilt state differs from the source tree: $(head -n 3 "$log" | tr '\n' ' ')"
}

# Records every snapshot not seen before as one of this iteration's state; at most "limit" may appear.
record_new_snapshots() {
  local limit="$1" what="$2" id count=0
  for id in $(snapshot_ids); do
    [[ -n "${state_of[$id]+x}" ]] && continue
    state_of[$id]="$work/states/$iteration"
    ((count++))
  done
  ((count <= limit)) || fail "$what left $count new snapshots"
  new_snapshots=$count
}

verify_snapshots() {
  local id live=() ids
  ids="$(snapshot_ids)"
  for id in $ids; do
    if [[ -z "${state_of[$id]+x}" ]]; then
      fail "snapshot ${id:0:8} appeared that no completed or killed backup of this script made"
      continue
    fi
    live+=("$id")
  done
  for id in "${!state_of[@]}"; do
    grep -qx "$id" <<<"$ids" || unset "state_of[$id]"
  done
  restored=0
  for id in "${live[@]}"; do
    # Only a prune removes data, so a snapshot restored once is restored again only after one.
    [[ -n "${restored_ok[$id]+x}" ]] && continue
    ((restored++))
    restored_ok[$id]=1
    rm -rf "$work/restore"
    if ! run restore "${haven[@]}" restore "$id" --target "$work/restore"; then
      unset "restored_ok[$id]"
      fail "restore of ${id:0:8} failed: $(tail -n 3 "$log" | tr '\n' ' ')"
    elif ! run compare python3 "$fstree" compare "${state_of[$id]}" "$work/restore$src" --sparse; then
      unset "restored_ok[$id]"
      fail "snapshot ${id:0:8} does not restore identical to ${state_of[$id]##*/}: $(head -n 3 "$log" | tr '\n' ' ')"
    fi
  done
  rm -rf "$work/restore"
  # States no snapshot needs any more.
  local dir used
  for dir in "$work"/states/*; do
    [[ -d "$dir" ]] || continue
    used=0
    for id in "${!state_of[@]}"; do [[ "${state_of[$id]}" == "$dir" ]] && used=1 && break; done
    ((used || ${dir##*/} == iteration)) || rm -rf "$dir"
  done
  verified=${#live[@]}
}

check_repository() {
  run restic-unlock "$restic" unlock || fail "restic unlock failed: $(tail -n 3 "$log" | tr '\n' ' ')"
  run haven-check "${haven[@]}" check --read-data ||
    fail "haven check --read-data failed: $(tail -n 5 "$log" | tr '\n' ' ')"
  if ! run restic-check "$restic" check --read-data || ! grep -q "no errors were found" "$log"; then
    fail "restic check --read-data failed: $(grep -v '^\(using\|load\|check\|read\|\[\)' "$log" | head -n 5 | tr '\n' ' ')"
  fi
}

pick() { local options=("$@"); picked="${options[RANDOM % ${#options[@]}]}"; }

iteration=0
run init "${haven[@]}" version || { echo "crash-soak: cannot run ${haven[*]}: $(cat "$log")" >&2; exit 1; }
run init "${haven[@]}" init || { echo "crash-soak: haven init failed: $(cat "$log")" >&2; exit 1; }
echo "crash soak: $iterations iterations, seed $seed, work $work"

passed=0
failed=0
tree_seed=0
mutations=()
backup_ms=3000
prune_ms=2000
for ((iteration = 1; iteration <= iterations; iteration++)); do
  failure=""
  started="$(now_ms)"
  # 1. the source tree
  if ((iteration == 1 || RANDOM % 4 == 0)); then
    random_seed
    tree_seed=$drawn
    mutations=()
    rm -rf "$src"
    run generate python3 "$fstree" generate "$src" --seed "$tree_seed" || fail "fstree generate failed"
    change="fresh tree $tree_seed"
  else
    random_seed
    m=$drawn
    mutations+=("$m")
    run mutate python3 "$mutate" "$src" --seed "$m" || fail "mutate_tree.py failed: $(tail -n 3 "$log")"
    change="mutation $m"
  fi
  build_state

  # 2. backup
  killed=0
  pick finish "delay:$((RANDOM % backup_ms))" "delay:$((RANDOM % backup_ms))" tmp-pack pack1 pack2 index snapshot
  strategy=$picked
  run_and_kill backup "$strategy" backup "$src"
  report="backup $strategy: $outcome after $elapsed ms"
  if [[ "$outcome" == killed ]]; then
    killed=1
    record_new_snapshots 1 "a killed backup"
  else
    [[ "$strategy" == finish ]] && backup_ms=$((elapsed > 500 ? elapsed : 500))
    record_new_snapshots 1 "a backup"
    ((new_snapshots == 1)) || fail "a finished backup left $new_snapshots new snapshots"
  fi

  # 3. forget and prune
  if ((iteration % 2 == 0 || RANDOM % 4 == 0)); then
    keep=$((1 + RANDOM % 3))
    run forget "${haven[@]}" forget --keep-last "$keep" || fail "forget exited $?: $(tail -n 3 "$log" | tr '\n' ' ')"
    prune_args=()
    case $((RANDOM % 4)) in
      0) prune_args=(--max-unused 0%) ;;
      1) prune_args=(--max-unused unlimited) ;;
    esac
    pick finish "delay:$((RANDOM % prune_ms))" "delay:$((RANDOM % prune_ms))" pack1 index gone-pack gone-index
    strategy=$picked
    run_and_kill prune "$strategy" prune "${prune_args[@]}"
    restored_ok=()
    report+="; forget --keep-last $keep; prune ${prune_args[*]}${prune_args[*]:+ }$strategy: $outcome after $elapsed ms"
    if [[ "$outcome" == killed ]]; then
      killed=1
    elif [[ "$strategy" == finish ]]; then
      prune_ms=$((elapsed > 300 ? elapsed : 300))
    fi
    record_new_snapshots 0 "prune"
  fi

  # 4. both checks
  check_repository

  # 5. the next backup succeeds
  if ((killed)); then
    if run next-backup "${haven[@]}" backup "$src"; then
      record_new_snapshots 1 "the next backup"
      ((new_snapshots == 1)) || fail "the backup after the kill left $new_snapshots new snapshots"
    else
      fail "the backup after the kill failed: $(tail -n 3 "$log" | tr '\n' ' ')"
    fi
  fi

  # 6. every snapshot restores to its state
  verify_snapshots
  seconds="$(awk "BEGIN { printf \"%.1f\", ($(now_ms) - $started) / 1000 }")"
  if [[ -z "$failure" ]]; then
    ((passed++))
    echo "iteration $iteration/$iterations: ok in $seconds s: $change; $report; $verified snapshots, $restored restored identical"
  else
    ((failed++))
    echo "iteration $iteration/$iterations: FAILED in $seconds s: $change; $report: $failure (logs: $work/logs/$iteration-*)"
  fi
done

# What the last iteration's follow-up backup wrote is checked too.
failure=""
iteration=final
check_repository
if [[ -z "$failure" ]]; then
  echo "final check: ok"
else
  ((failed++))
  echo "final check: FAILED: $failure (logs: $work/logs/final-*)"
fi

echo "$passed passed, $failed failed"
if ((failed == 0)); then
  ((remove_work)) && rm -rf "$work"
  exit 0
fi
echo "crash-soak: kept $work for inspection (rerun with --seed $seed)"
exit 1
