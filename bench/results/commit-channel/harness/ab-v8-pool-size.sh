OUT=/tmp/ab8; . /tmp/abfuncs.sh
for r in 1 2 3; do run A-closed-$r /tmp/wtA; run P1-closed-$r /tmp/wtA --engine-node-arg=--v8-pool-size=1; run P2-closed-$r /tmp/wtA --engine-node-arg=--v8-pool-size=2; done
echo done
