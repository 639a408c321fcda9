# per-thread CPU of the engine over 10 s, started 12 s after the engine appears
for i in $(seq 1 60); do pid=$(pgrep -f "dist/apps/engine/src/main.js" | head -1); [ -n "$pid" ] && break; sleep 1; done
sleep ${DELAY:-12}
snap() { for t in /proc/$pid/task/*; do echo "$(cat $t/comm 2>/dev/null | tr ' ' _) $(awk '{print $14+$15}' $t/stat 2>/dev/null)"; done | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort; }
snap > /tmp/t0; sleep 10; snap > /tmp/t1
join /tmp/t0 /tmp/t1 | awk '{d=($3-$2); if (d>0) printf "%-18s %5.1f%%\n", $1, d/10}' | sort -k2 -rn
