# Interleaved A/B of two built checkouts (A: /tmp/wtA, B: /work/main) on SQLite; per-thread CPU from /proc.
. /tmp/use-node24.sh
TH=/work/main/bench/results/promotion-and-wakeups/harness/threads.sh
OUT=${OUT:-/tmp/ab5}
run() { # label dir args...
  local label=$1 dir=$2; shift 2
  (DELAY=12 bash $TH > $OUT/$label.threads 2>&1 &)
  (cd $dir && node dist/tools/bench/run-bench.js --only engine "$@" --out $OUT/$label > $OUT/$label.log 2>&1)
  echo "$label $(grep -E 'engine:' $OUT/$label.log | head -1 | cut -c1-100) | $(grep 'cores used' $OUT/$label.log | head -1 | sed 's/ *cores used: //')"
  echo "   $(grep -o 'verdict_decide_seconds [0-9.]* ms, .*commit_seconds [0-9.]* ms' $OUT/$label.log | sed 's/verdict_nodejs_gc_duration_seconds [0-9.]* ms, //') | $(grep -E '^(log-writer|main|node|projections|history)' $OUT/$label.threads | tr '\n' ' ')"
}
mkdir -p $OUT
for r in 1 2 3; do run A-closed-$r /tmp/wtA; run B-closed-$r /work/main; done
for r in 1 2; do run A-batch-$r /tmp/wtA --batch 500 --connections 4; run B-batch-$r /work/main --batch 500 --connections 4; done
for r in 1 2; do run A-open-$r /tmp/wtA --rate 1000 --connections 256 --warmup 10; run B-open-$r /work/main --rate 1000 --connections 256 --warmup 10; done
echo done
