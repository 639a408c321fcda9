. /tmp/use-node24.sh
OUT=/tmp/ab10; mkdir -p $OUT
run() { local label=$1; shift
  (cd /tmp/wtC && node dist/tools/bench/run-bench.js --only engine "$@" --out $OUT/$label > $OUT/$label.log 2>&1)
  echo "$label $(grep -E 'engine:' $OUT/$label.log | head -1 | cut -c1-100) | $(grep 'cores used' $OUT/$label.log | head -1 | sed 's/ *cores used: //')"
  echo "   $(grep -o 'verdict_decide_seconds [0-9.]* ms, .*commit_seconds [0-9.]* ms' $OUT/$label.log | sed 's/verdict_nodejs_gc_duration_seconds [0-9.]* ms, //')"
  echo "   $(grep 'server threads' $OUT/$label.log | sed 's/ *server threads, cores (µs of CPU a decision): //' | cut -c1-150)"; }
for r in 1 2 3; do run A-closed-$r; run S2-closed-$r --env VERDICT_EXPERIMENT_COALESCE_MS=2; run S1-closed-$r --env VERDICT_EXPERIMENT_COALESCE_MS=1; done
for r in 1 2; do run A-open-$r --rate 1000 --connections 256 --warmup 10; run S2-open-$r --rate 1000 --connections 256 --warmup 10 --env VERDICT_EXPERIMENT_COALESCE_MS=2; done
echo done
