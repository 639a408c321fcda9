. /tmp/use-node24.sh
GC=/work/main/bench/results/scavenges-1000/harness/gcflag.js
TH=/work/main/bench/results/promotion-and-wakeups/harness/threads.sh
run() { # label dir args...
  local label=$1 dir=$2; shift 2
  (DELAY=12 bash $TH > /tmp/ab5/$label.threads 2>&1 &)
  (cd $dir && node dist/tools/bench/run-bench.js --only engine "$@" --out /tmp/ab5/$label > /tmp/ab5/$label.log 2>&1)
  echo "$label $(grep -E 'engine:' /tmp/ab5/$label.log | head -1 | cut -c1-100) | $(grep 'cores used' /tmp/ab5/$label.log | head -1 | sed 's/ *cores used: //')"
  echo "   $(grep -o 'verdict_append_seconds [0-9.]* ms, .*commit_seconds [0-9.]* ms' /tmp/ab5/$label.log | sed 's/verdict_nodejs_gc_duration_seconds [0-9.]* ms, //') | $(grep -E '^(log-writer|main|node|projections|history)' /tmp/ab5/$label.threads | tr '\n' ' ')"
}
mkdir -p /tmp/ab5
for r in 1 2 3; do
  run A-closed-$r /tmp/wtA
  run B-closed-$r /work/main
done
for r in 1 2 3; do
  run A-batch-$r /tmp/wtA --batch 500 --connections 4
  run B-batch-$r /work/main --batch 500 --connections 4
done
echo done
