#!/bin/bash
# per thread over 8 s of the measured run: user and system CPU, run-queue wait, voluntary/involuntary switches
. /tmp/use-node24.sh
cd /work/main
node dist/tools/bench/run-bench.js --only engine "$@" --out /tmp/abs > /tmp/sched-bench.txt 2>&1 &
sleep ${SAMPLE_AT:-14}
pid=$(pgrep -f "dist/apps/engine/src/main.js" | head -1)
snap() { for t in /proc/$pid/task/*; do s=$(cat $t/stat); s=${s##*) }; set -- $s; echo "$(basename $t) $(cat $t/comm | tr ' ' _) ${12} ${13} $(cat $t/schedstat | cut -d' ' -f2) $(grep -E '^(voluntary|nonvoluntary)_ctxt_switches' $t/status | awk '{print $2}' | tr '\n' ' ')"; done; }
snap > /tmp/t1.txt; sleep 8; snap > /tmp/t2.txt
wait
/tmp/sched-join.sh /tmp/t1.txt /tmp/t2.txt
grep "engine:" /tmp/sched-bench.txt
