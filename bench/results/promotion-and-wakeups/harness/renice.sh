# renice the engine's critical-path worker threads by $NICE once the engine is up
for i in $(seq 1 60); do pid=$(pgrep -f "dist/apps/engine/src/main.js" | head -1); [ -n "$pid" ] && break; sleep 0.5; done
sleep 4
for t in /proc/$pid/task/*; do c=$(cat $t/comm 2>/dev/null); case "$c" in log-writer|history|key-store) renice -n ${NICE:-3} -p $(basename $t) >/dev/null; echo "$c $(basename $t)";; esac; done
