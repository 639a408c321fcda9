OUT=/tmp/ab9; . /tmp/abfuncs.sh
for r in 1 2 3; do run A-closed-$r /work/main; run B-closed-$r /tmp/wtB --env VERDICT_PROJECTION_BATCH=2000; done
for r in 1 2; do run A-batch-$r /work/main --batch 500 --connections 4; run B-batch-$r /tmp/wtB --batch 500 --connections 4 --env VERDICT_PROJECTION_BATCH=2000; done
echo done
