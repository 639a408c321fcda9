OUT=/tmp/ab6; . /tmp/abfuncs.sh
for r in 1 2 3; do run A-closed-$r /tmp/wtA; run C-closed-$r /work/main; done
for r in 1 2 3; do run A-open-$r /tmp/wtA --rate 1000 --connections 256 --warmup 10; run C-open-$r /work/main --rate 1000 --connections 256 --warmup 10; done
echo done
