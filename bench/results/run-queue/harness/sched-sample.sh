#!/bin/bash
# samples every thread's schedstat of the engine twice, 8 s apart, during the measured run
. /tmp/use-node24.sh
cd /work/main
node dist/tools/bench/run-bench.js --only engine $@ --out /tmp/abs > /tmp/sched-bench.txt 2>&1 &
sleep 18
pid=$(pgrep -f "dist/apps/engine/src/main.js" | head -1)
snap() { for t in /proc/$pid/task/*; do echo "$(basename $t) $(cat $t/comm) $(cat $t/schedstat) $(grep -E '^(voluntary|nonvoluntary)_ctxt_switches' $t/status | awk '{print $2}' | tr '\n' ' ')"; done; }
snap > /tmp/s1.txt; sleep 8; snap > /tmp/s2.txt
wait
join <(sort /tmp/s1.txt) <(sort /tmp/s2.txt) | awk '{name=$2; run=($9-$3)/8e9; wait=($10-$4)/8e9; n=($11-$5)/8; vol=($12-$6)/8; inv=($13-$7)/8; R[name]+=run; W[name]+=wait; N[name]+=n; V[name]+=vol; I[name]+=inv} END {for (k in R) printf "%-12s run %.3f wait %.3f slices/s %6.0f vol/s %6.0f invol/s %6.0f  wait/slice %.1f us\n", k, R[k], W[k], N[k], V[k], I[k], (N[k]>0? W[k]*1e6/N[k]:0)}' | sort -k3 -nr
grep "engine:" /tmp/sched-bench.txt
