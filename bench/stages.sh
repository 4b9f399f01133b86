#!/usr/bin/env bash
# Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
# Where the time goes, per stage: Haven's chunk, hash, compress, encrypt (and for restore decrypt,
# decompress) in MB/s on one core (BenchmarkDotNet, bench/Haven.Bench.Stages), beside the
# machine's limits on the same bytes: openssl speed -evp sha256 / aes-256-ctr and zstd -3 / -d.
# The sample is a tar of a small tree from bench/gen-dataset.py (the benchmark's mix).
#
#   bench/stages.sh [--size-mb 64] [--work /tmp/haven-stages] [--write]
#
# --write also puts the table into bench/RESULTS.md, below the comparison of bench/run.sh.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
size_mb=64 work=/tmp/haven-stages write=0
command_line="bench/stages.sh $*"
while (($#)); do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --write) write=1; shift ;;
    *) echo "usage: $0 [--size-mb MB] [--work DIR] [--write]" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
sample="$work/sample-$size_mb.tar"
if [[ ! -f "$sample" ]]; then
  rm -rf "$work/tree"
  python3 "$here/gen-dataset.py" generate "$work/tree" --size-mb "$size_mb" >&2
  tar -C "$work/tree" -cf "$sample.part" . && mv "$sample.part" "$sample"
  rm -rf "$work/tree"
fi

echo "running the stage benchmarks (BenchmarkDotNet, a few minutes)" >&2
HAVEN_STAGES_SAMPLE="$sample" dotnet run -c Release --project "$here/Haven.Bench.Stages" -- >"$work/stages.out"
if ! grep -q '^stage' "$work/stages.out"; then
  cat "$work/stages.out" >&2
  echo "stages.sh: the benchmark printed no results" >&2
  exit 1
fi

# openssl prints "NAME  N.NNk" (thousands of bytes per second) for 1 MiB blocks.
openssl_rate() { openssl speed -seconds 2 -bytes 1048576 -evp "$1" 2>/dev/null | tail -1 | awk '{ sub("k", "", $NF); printf "%.0f", $NF / 1000 }'; }
# zstd -b times the wall clock; user + system CPU seconds of one zstd -3 (-d) pass are per core,
# like openssl's figures (the sample is in the page cache).
cpu_rate() { /usr/bin/time -f '%U %S' -o "$work/time.out" "$@" >/dev/null; python3 -c 'import sys; u, s = map(float, open(sys.argv[1]).read().split()); print(f"{int(sys.argv[2]) / max(u + s, 0.001) / 1e6:.0f}")' "$work/time.out" "$(stat -c %s "$sample")"; }
zstd -3 -q -f "$sample" -o "$sample.zst"
zstd_c="$(cpu_rate zstd -3 -q -c "$sample")"
zstd_d="$(cpu_rate zstd -d -q -c "$sample.zst")"
sha="$(openssl_rate sha256)"
aes="$(openssl_rate aes-256-ctr)"

table() {
  echo "Sample: $(head -1 "$work/stages.out" | sed 's/^sample: //'); $(cut -d' ' -f1-3 /proc/loadavg) load average."
  echo
  echo "Haven: MB/s per CPU second of one thread (and BenchmarkDotNet's wall-clock mean). Limits: openssl"
  echo "speed -evp (per CPU second, its default; no Poly1305 there) and zstd -3 / zstd -d CPU seconds, same sample."
  echo
  echo "| stage | Haven MB/s per core | Haven wall (BenchmarkDotNet) | machine limit MB/s per core | Haven / limit |"
  echo "|---|---:|---:|---:|---:|"
  while IFS=$'\t' read -r _ name wall rate; do
    case "$name" in
      chunk*) limit="" what="" ;;
      hash*) limit="$sha" what="openssl sha256" ;;
      compress*) limit="$zstd_c" what="zstd -3" ;;
      encrypt* | decrypt*) limit="$aes" what="openssl aes-256-ctr (no MAC)" ;;
      decompress*) limit="$zstd_d" what="zstd -d" ;;
      *) limit="" what="" ;;
    esac
    if [[ -n "$limit" ]]; then
      share="$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$rate" "$limit")"
      echo "| $name | $rate | $wall | $limit ($what) | $share |"
    else
      echo "| $name | $rate | $wall | – | – |"
    fi
  done < <(grep '^stage' "$work/stages.out")
}

table >"$work/table.md"
cat "$work/table.md"
if ((write)); then
  {
    echo "## Where the time goes: per stage"
    echo
    echo "Command, from the repository root: \`$command_line\`"
    echo
    cat "$work/table.md"
  } | python3 "$here/results_section.py" stages "$here/RESULTS.md"
  echo "stages.sh: wrote the per-stage part of bench/RESULTS.md" >&2
fi
