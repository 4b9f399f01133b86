#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Backup and restore throughput against a real S3 server (a single-node Ceph radosgw on loopback),
# Haven beside restic 0.14 on the same data in the same run, alternating, medians and ratios.
# Usage: bench/s3.sh [--rounds N] [--size-mb MB] [--work DIR]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
rounds=3 size_mb=200 work=/tmp/haven-bench-s3
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --size-mb) size_mb=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "usage: bench/s3.sh [--rounds N] [--size-mb MB] [--work DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
data="$work/data"
[[ -d $data ]] || python3 bench/gen-dataset.py "$data" --size-mb "$size_mb" >/dev/null
./haven version >/dev/null   # build once before timing
ceph="$work/ceph" rgw_port=7491 mon_port=3391
trap 'bash tests/services/ceph-down.sh "$ceph" >/dev/null 2>&1 || true' EXIT
bash tests/services/ceph-up.sh "$ceph" "$rgw_port" "$mon_port" >/dev/null
export AWS_ACCESS_KEY_ID=HAVENKEY AWS_SECRET_ACCESS_KEY=HAVENSECRET AWS_DEFAULT_REGION=us-east-1
export RESTIC_PASSWORD=bench HAVEN_PASSWORD=bench XDG_CACHE_HOME="$work/cache"
endpoint="http://127.0.0.1:$rgw_port"
timed() { /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; cat "$work/time"; }
declare -A results
for ((round = 1; round <= rounds; round++)); do
  for tool in haven restic; do
    [[ $((round % 2)) == 0 ]] && tool=$([[ $tool == haven ]] && echo restic || echo haven)
    repo="s3:$endpoint/bench-$tool-$round"
    rm -rf "$work/cache" "$work/restore-$tool-$round"
    if [[ $tool == haven ]]; then
      ./haven -r "$repo" init >/dev/null
      read -r b bm < <(timed ./haven -r "$repo" backup --quiet "$data")
      read -r r rm < <(timed ./haven -r "$repo" restore latest --quiet --target "$work/restore-$tool-$round")
    else
      restic -r "$repo" init >/dev/null
      read -r b bm < <(timed restic -r "$repo" --no-cache backup --quiet "$data")
      read -r r rm < <(timed restic -r "$repo" --no-cache restore latest --target "$work/restore-$tool-$round")
    fi
    diff -r "$data" "$work/restore-$tool-$round$data" >/dev/null || { echo "$tool restore differs from the data set" >&2; exit 1; }
    results[$tool-backup]+="$b " results[$tool-restore]+="$r "
    results[$tool-backup-rss]+="$bm " results[$tool-restore-rss]+="$rm "
    echo "round $round $tool: backup ${b}s (${bm} KiB), restore ${r}s (${rm} KiB)" >&2
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mb=$(du -sm "$data" | cut -f1)
echo "| step | haven s | restic s | haven/restic time | haven MB/s | restic MB/s | haven peak RSS MiB | restic peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for step in backup restore; do
  h=$(median <<<"${results[haven-$step]}") r=$(median <<<"${results[restic-$step]}")
  hm=$(median <<<"${results[haven-$step-rss]}") rm=$(median <<<"${results[restic-$step-rss]}")
  awk -v s="$step" -v h="$h" -v r="$r" -v mb="$mb" -v hm="$hm" -v rm="$rm" 'BEGIN {printf "| %s | %.2f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", s, h, r, h / r, mb / h, mb / r, hm / 1024, rm / 1024}'
done
