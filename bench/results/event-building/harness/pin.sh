# pin the engine's main thread to CPU $MAINCPU and every other engine thread to the other CPU, once the engine is up
for i in $(seq 1 120); do pid=$(pgrep -f "dist/apps/engine/src/main.js" | head -1); [ -n "$pid" ] && break; sleep 0.5; done
sleep 3
m=${MAINCPU:-0}; o=$((1-m))
for t in /proc/$pid/task/*; do tid=$(basename $t); if [ "$tid" = "$pid" ]; then taskset -p -c $m $tid >/dev/null; else taskset -p -c $o $tid > /dev/null; fi; done
echo "pinned $pid main->$m others->$o $(ls /proc/$pid/task | wc -l) threads"
