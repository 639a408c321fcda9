#!/bin/bash
# usage: run.sh TAG ROUNDS "name:nodearg1,nodearg2:benchflag1 benchflag2" ...
. /tmp/use-node24.sh
cd ${REPO:-/work/main}
tag=$1; rounds=$2; shift 2
mkdir -p /tmp/ab/$tag
for r in $(seq 1 $rounds); do
  for v in "$@"; do
    IFS=':' read -r name args bflags <<< "$v"; extra=()
    IFS=',' read -ra arr <<< "$args"
    for a in "${arr[@]}"; do [ -n "$a" ] && extra+=("--engine-node-arg=$a"); done
    out=/tmp/ab/$tag/$name-$r
    timeout 300 node dist/tools/bench/run-bench.js --only engine --rate 1000 --connections 256 --warmup 10 "${extra[@]}" $bflags --out $out > $out.txt 2>&1
    p99=$(grep -oE "engine: .*p99 [0-9.]+ ms, p99.9 [0-9.]+ ms, max [0-9.]+ ms" $out.txt | sed -E 's/.*(p50 [0-9.]+ ms, p99 [0-9.]+ ms, p99.9 [0-9.]+ ms, max [0-9.]+ ms)/\1/')
    secs=$(grep -oE "Worst: .*" $out/latest-rate.md)
    cores=$(grep -oE "cores used: .*" $out.txt)
    echo "$name r$r: $p99 | $secs | $cores" >> /tmp/ab/$tag.log
  done
done
