. /tmp/use-node24.sh
GC=/work/main/bench/results/scavenges-1000/harness/gcflag.js
run() { # label dir args...
  local label=$1 dir=$2; shift 2
  (cd $dir && node dist/tools/bench/run-bench.js --only engine "$@" --out /tmp/ab2/$label > /tmp/ab2/$label.log 2>&1)
  echo "$label $(grep -E 'engine:' /tmp/ab2/$label.log | head -1 | cut -c1-110) | $(grep 'cores used' /tmp/ab2/$label.log | head -1 | sed 's/ *cores used: //')"
}
mkdir -p /tmp/ab2
for r in 1 2 3; do
  run A-closed-$r /tmp/wtA
  run B-closed-$r /work/main
done
for r in 1 2; do
  run A-open-$r /tmp/wtA --rate 1000 --connections 256 --warmup 10 --engine-node-arg=--require=$GC
  echo "   $(bash /work/main/bench/results/scavenges-1000/harness/gcsum.sh /tmp/ab2/A-open-$r/logs/engine.log)"
  run B-open-$r /work/main --rate 1000 --connections 256 --warmup 10 --engine-node-arg=--require=$GC
  echo "   $(bash /work/main/bench/results/scavenges-1000/harness/gcsum.sh /tmp/ab2/B-open-$r/logs/engine.log)"
done
for r in 1 2 3; do
  run A-batch-$r /tmp/wtA --batch 500 --connections 4
  run B-batch-$r /work/main --batch 500 --connections 4
done
echo done
