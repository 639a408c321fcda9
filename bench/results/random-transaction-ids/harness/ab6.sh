. /tmp/use-node24.sh
GC=/work/main/bench/results/scavenges-1000/harness/gcflag.js
TH=/work/main/bench/results/promotion-and-wakeups/harness/threads.sh
run() { # label dir args...
  local label=$1 dir=$2; shift 2
  (DELAY=12 bash $TH > /tmp/ab6/$label.threads 2>&1 &)
  (cd $dir && node dist/tools/bench/run-bench.js --only engine "$@" --out /tmp/ab6/$label > /tmp/ab6/$label.log 2>&1)
  echo "$label $(grep -E 'engine:' /tmp/ab6/$label.log | head -1 | cut -c1-100) | $(grep 'cores used' /tmp/ab6/$label.log | head -1 | sed 's/ *cores used: //')"
  echo "   $(grep -o 'verdict_append_seconds [0-9.]* ms, .*commit_seconds [0-9.]* ms' /tmp/ab6/$label.log | sed 's/verdict_nodejs_gc_duration_seconds [0-9.]* ms, //') | $(grep -E '^(log-writer|main|node|projections|history)' /tmp/ab6/$label.threads | tr '\n' ' ')"
}
mkdir -p /tmp/ab6
# S: the bench's own ids (<prefix>-<counter>); R: the same build with random (v4) transaction ids (dist patch in /tmp/wtR)
for r in 1 2 3; do
  run S-closed-$r /work/main
  run R-closed-$r /tmp/wtR
done
for r in 1 2; do
  run S-batch-$r /work/main --batch 500 --connections 4
  run R-batch-$r /tmp/wtR --batch 500 --connections 4
done
echo done
