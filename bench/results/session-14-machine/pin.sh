#!/bin/bash
# Pins the bench's engine: main thread alone on CPU $1, every other thread of it on CPU $2. Waits for the engine to start.
main_cpu=$1; other_cpu=$2
for i in $(seq 1 600); do
  pid=$(pgrep -f "dist/apps/engine/src/main.js" | head -1)
  [ -n "$pid" ] && [ -d /proc/$pid/task ] && [ $(ls /proc/$pid/task | wc -l) -gt 10 ] && break
  sleep 0.1
done
sleep 2
for t in /proc/$pid/task/*; do
  tid=$(basename $t); comm=$(cat $t/comm)
  if [ "$tid" = "$pid" ]; then taskset -p -c $main_cpu $tid >/dev/null; else taskset -p -c $other_cpu $tid > /dev/null; fi
  echo "$tid $comm $(taskset -p -c $tid | awk '{print $NF}')"
done
# and the runner (load generator): with the other threads
for p in $(pgrep -f "run-bench.js"); do for t in /proc/$p/task/*; do taskset -p -c ${3:-0,1} $(basename $t) >/dev/null; done; done
