#!/bin/bash
# usage: gcsum.sh engine.log  -> main isolate scavenges in the last 20 s: count, pause p50/p90/max, total, promoted mean KB
f=$1; main=$(grep "gc=" $f | head -1 | awk '{print $1}')
grep -F "$main" $f | grep "gc=s" | awk '{t=$2; match($0,/pause=[0-9.]+/); p=substr($0,RSTART+6,RLENGTH-6); match($0,/promoted=[0-9]+/); pr=substr($0,RSTART+9,RLENGTH-9); print t, p, pr}' > /tmp/gcs.txt
last=$(tail -1 /tmp/gcs.txt | awk '{print $1}')
awk -v l=$last '$1 > l-20000' /tmp/gcs.txt | sort -k2 -n | awk '{p[NR]=$2; s+=$2; pr+=$3} END {printf "scavenges %d pause p50 %.1f p90 %.1f max %.1f total %.0f ms promoted mean %.0f KB\n", NR, p[int(NR/2)+1], p[int(NR*0.9)], p[NR], s, pr/NR/1024}'
