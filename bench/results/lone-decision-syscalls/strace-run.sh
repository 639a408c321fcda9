#!/bin/bash
# usage: strace-run.sh RATE CONCURRENCY LABEL
. /tmp/use-node24.sh
set -u
RATE=$1; CONC=$2; LABEL=$3
OUT=/tmp/strace-out; mkdir -p $OUT
D=$(mktemp -d /tmp/eng-XXXX)
cd /work/main
PORT=3999 VERDICT_DATA_DIR=$D LOG_LEVEL=warn node dist/apps/engine/src/main.js > $OUT/engine-$LABEL.log 2>&1 &
EP=$!
for i in $(seq 1 120); do curl -sf localhost:3999/health/ready >/dev/null && break; sleep 0.5; done
KEY=$(cat $D/keys/admin.key)
node dist/tools/simulate/simulate.js drive --url http://127.0.0.1:3999 --api-key $KEY --rate $RATE --duration 25 --concurrency $CONC --no-chargebacks --report-interval 5 > $OUT/drive-$LABEL.txt 2>&1 &
DP=$!
sleep 10
# the main thread's syscalls for 8 s
timeout -s INT 8 strace -c -p $EP -o $OUT/strace-$LABEL.txt 2>/dev/null; timeout -s INT 2 strace -p $EP -e trace=write,read,futex,epoll_pwait -s 0 -o $OUT/strace-raw-$LABEL.txt 2>/dev/null; ls -l /proc/$EP/fd > $OUT/fds-$LABEL.txt 2>/dev/null
wait $DP
kill -TERM $EP; wait $EP
rm -rf $D
tail -5 $OUT/drive-$LABEL.txt
head -30 $OUT/strace-$LABEL.txt
