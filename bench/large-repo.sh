#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Measures check and prune on a repository of about one million data blobs, haven beside restic
# 0.14: wall time and peak RSS of each command (GNU time), and peak RSS per blob. Writes the
# results as Markdown to bench/RESULTS-large-repo.md (and prints them).
#
#   bench/large-repo.sh [--work /tmp/haven-large-repo] [--regenerate]
#
# The repository is made once under WORK/repo by bench/Haven.Bench.LargeRepo (Haven's own engines:
# 16 shared folders of 50 files plus 50 files of its own per snapshot, 4 snapshots, 1,000 random
# blobs of 64-512 bytes per file: 1,000,000 data blobs, about 350 MB) and reused afterwards.
# Prune runs on copies (cp -a) in which the oldest snapshot file was deleted, so its own
# 50,000 blobs are unused. restic runs with --no-cache and haven with a fresh XDG cache, so
# neither has a warm local cache; the page cache is warm for both (each repository was just read).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
work=/tmp/haven-large-repo
regenerate=0
while (($#)); do
  case "$1" in
    --work) work="$2"; shift 2 ;;
    --regenerate) regenerate=1; shift ;;
    *) echo "usage: $0 [--work DIR] [--regenerate]" >&2; exit 2 ;;
  esac
done

restic_bin=/usr/bin/restic
[[ -x "$restic_bin" ]] || { echo "large-repo.sh: $restic_bin is missing" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "large-repo.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

password=bench-password
export HAVEN_PASSWORD="$password" RESTIC_PASSWORD="$password"
export HOME="$work/home" XDG_CACHE_HOME="$work/home/cache" XDG_CONFIG_HOME="$work/home/config" XDG_STATE_HOME="$work/home/state"
unset HAVEN_REPOSITORY RESTIC_REPOSITORY HAVEN_PASSWORD_FILE RESTIC_PASSWORD_FILE
mkdir -p "$work" "$HOME"
repo="$work/repo"
results="$here/RESULTS-large-repo.md"

"$root/haven" version >/dev/null
if ((regenerate)) || [[ ! -f "$work/generated" ]]; then
  rm -rf "$repo" "$work/generated"
  echo "generating $repo ..." >&2
  start=$(date +%s.%N)
  dotnet run -c Release --project "$here/Haven.Bench.LargeRepo" -- "$repo" "$password" >"$work/snapshots.txt"
  end=$(date +%s.%N)
  printf '%.1f\n' "$(echo "$end - $start" | bc)" >"$work/generated"
fi

read -r data_blobs tree_blobs < <("$restic_bin" -r "$repo" --no-cache list blobs | awk '$1 == "data" { d++ } $1 == "tree" { t++ } END { print d + 0, t + 0 }')
repo_size=$(du -sb "$repo" | cut -f1)
oldest=$(head -n1 "$work/snapshots.txt" | awk '{print $2}')

rows=()
# measure LABEL COMMAND...: runs COMMAND under GNU time, records wall time, peak RSS and exit code.
measure() {
  local label="$1"; shift
  local out="$work/time.txt" log="$work/last-output.txt" status=0
  rm -rf "$XDG_CACHE_HOME"
  /usr/bin/time -f '%e %M' -o "$out" "$@" >"$log" 2>&1 || status=$?
  local seconds kib
  read -r seconds kib < <(tail -n1 "$out")
  local per_blob=$(( kib * 1024 / data_blobs ))
  rows+=("| $label | $seconds | $(( kib / 1024 )) | $per_blob | $status |")
  printf '%-52s %8s s %8s KiB  exit %s\n' "$label" "$seconds" "$kib" "$status" >&2
  if ((status != 0)); then
    tail -n 20 "$log" >&2
  fi
}

haven="$root/haven"

measure "haven check" "$haven" -r "$repo" check
measure "restic check" "$restic_bin" -r "$repo" --no-cache check
measure "haven check --read-data-subset 1/10" "$haven" -r "$repo" check --read-data-subset 1/10
measure "restic check --read-data-subset 1/10" "$restic_bin" -r "$repo" --no-cache check --read-data-subset 1/10

rm -rf "$work/forgotten" "$work/pruned-haven" "$work/pruned-restic"
cp -a "$repo" "$work/forgotten"
rm "$work/forgotten/snapshots/$oldest"
measure "haven prune --dry-run" "$haven" -r "$work/forgotten" prune --dry-run
measure "restic prune --dry-run" "$restic_bin" -r "$work/forgotten" --no-cache prune --dry-run
cp -a "$work/forgotten" "$work/pruned-haven"
cp -a "$work/forgotten" "$work/pruned-restic"
measure "haven prune" "$haven" -r "$work/pruned-haven" prune
cp "$work/last-output.txt" "$work/haven-prune.txt"
measure "restic prune" "$restic_bin" -r "$work/pruned-restic" --no-cache prune
cp "$work/last-output.txt" "$work/restic-prune.txt"
verify_haven=0; "$restic_bin" -r "$work/pruned-haven" --no-cache check >"$work/verify-haven.txt" 2>&1 || verify_haven=$?
verify_restic=0; "$haven" -r "$work/pruned-restic" check >"$work/verify-restic.txt" 2>&1 || verify_restic=$?

{
  echo "# check and prune on a repository of about one million blobs"
  echo
  echo "Made by \`bench/large-repo.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
  echo "$(free -g | awk '/^Mem:/ {print $2}') GiB RAM, shared with other work; each command ran once, so expect some noise."
  echo "haven $("$root/haven" version | head -n1 | awk '{print $2}') (Release build of this checkout), $("$restic_bin" version | awk '{print $1, $2}'), .NET $(dotnet --version)."
  echo
  echo "Repository: $data_blobs data blobs, $tree_blobs tree blobs, $(( repo_size / 1024 / 1024 )) MiB in $(find "$repo/data" -type f | wc -l) packs and"
  echo "$(find "$repo/index" -type f | wc -l) index files, 4 snapshots; generated by \`dotnet run -c Release --project bench/Haven.Bench.LargeRepo -- REPO PASSWORD\`"
  echo "in $(cat "$work/generated") s (build included). For prune, the oldest snapshot's file was deleted from a copy, leaving its"
  echo "own 50,000 data blobs unused."
  echo
  echo "| command | wall s | peak RSS MiB | peak RSS bytes per data blob | exit |"
  echo "|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "After the real prunes: \`restic check\` of haven's pruned copy exited $verify_haven; \`haven check\` of restic's exited $verify_restic."
  echo
  echo "Exact commands (HAVEN_PASSWORD / RESTIC_PASSWORD set, fresh XDG_CACHE_HOME for each run):"
  echo
  echo '```'
  echo "/usr/bin/time -f '%e s %M KiB' ./haven -r REPO check"
  echo "/usr/bin/time -f '%e s %M KiB' restic -r REPO --no-cache check"
  echo "/usr/bin/time -f '%e s %M KiB' ./haven -r REPO check --read-data-subset 1/10"
  echo "/usr/bin/time -f '%e s %M KiB' restic -r REPO --no-cache check --read-data-subset 1/10"
  echo "cp -a REPO FORGOTTEN && rm FORGOTTEN/snapshots/OLDEST"
  echo "/usr/bin/time -f '%e s %M KiB' ./haven -r FORGOTTEN prune --dry-run"
  echo "/usr/bin/time -f '%e s %M KiB' restic -r FORGOTTEN --no-cache prune --dry-run"
  echo "cp -a FORGOTTEN A && /usr/bin/time -f '%e s %M KiB' ./haven -r A prune"
  echo "cp -a FORGOTTEN B && /usr/bin/time -f '%e s %M KiB' restic -r B --no-cache prune"
  echo '```'
  echo
  echo "haven prune said:"
  echo
  echo '```'
  sed 's/\r/\n/g' "$work/haven-prune.txt" | grep -v '^\s*$' | tail -n 25
  echo '```'
  echo
  echo "restic prune said:"
  echo
  echo '```'
  sed 's/\r/\n/g' "$work/restic-prune.txt" | grep -v '^\s*$' | tail -n 25
  echo '```'
} >"$results.new"
mv "$results.new" "$results"
cat "$results"
