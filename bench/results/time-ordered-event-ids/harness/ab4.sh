. /tmp/use-node24.sh
PG=postgres://postgres@127.0.0.1:5432/postgres
run() { local label=$1 dir=$2; shift 2
  (cd $dir && node dist/tools/bench/run-bench.js --only engine --postgres $PG "$@" --out /tmp/ab4/$label > /tmp/ab4/$label.log 2>&1)
  echo "$label $(grep -E 'engine:' /tmp/ab4/$label.log | head -1 | cut -c1-100) | $(grep 'cores used' /tmp/ab4/$label.log | head -1 | sed 's/ *cores used: //')"
  echo "   $(grep -o 'verdict_append_seconds [0-9.]* ms, .*commit_seconds [0-9.]* ms' /tmp/ab4/$label.log | sed 's/verdict_nodejs_gc_duration_seconds [0-9.]* ms, //')"; }
mkdir -p /tmp/ab4
for r in 1 2; do run A-pg-$r /tmp/wtA; run B-pg-$r /work/main; done
for r in 1 2; do run A-pg-batch-$r /tmp/wtA --batch 500 --connections 4; run B-pg-batch-$r /work/main --batch 500 --connections 4; done
echo done
