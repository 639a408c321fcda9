OUT=/tmp/ab6; . /tmp/abfuncs.sh
for r in 4 5 6; do run C-closed-$r /work/main; run A-closed-$r /tmp/wtA; done
echo done
