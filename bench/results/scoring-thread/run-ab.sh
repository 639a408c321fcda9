set -u
cd /work/main
for i in 2 3 4; do for m in off on; do node dist/tools/bench/run-bench.js --only engine --env VERDICT_SCORING_THREAD=$m --out /tmp/ab/closed-$m-$i > /tmp/ab/closed-$m-$i.log 2>&1; done; done
for i in 2 3; do for m in on off; do node dist/tools/bench/run-bench.js --only engine --batch 500 --connections 4 --env VERDICT_SCORING_THREAD=$m --out /tmp/ab/batch-$m-$i > /tmp/ab/batch-$m-$i.log 2>&1; done; done
for i in 2 3; do for m in on off; do node dist/tools/bench/run-bench.js --only engine --rate 1000 --connections 256 --warmup 10 --env VERDICT_SCORING_THREAD=$m --out /tmp/ab/rate-$m-$i > /tmp/ab/rate-$m-$i.log 2>&1; done; done
echo done > /tmp/ab/DONE
