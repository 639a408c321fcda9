OUT=/tmp/ab5; . /tmp/abfuncs.sh
for r in 4 5 6; do run A-closed-$r /tmp/wtA; run B-closed-$r /work/main; done
for r in 3 4; do run A-open-$r /tmp/wtA --rate 1000 --connections 256 --warmup 10; run B-open-$r /work/main --rate 1000 --connections 256 --warmup 10; done
echo done
