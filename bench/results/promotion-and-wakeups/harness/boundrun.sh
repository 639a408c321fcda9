# rounds of: defaults, history-no-wait, no-explain, projections-off; closed loop, batches of 500, open loop at 1,000/s
cd /work/main && . /tmp/use-node24.sh
rounds=${1:-2}
run() { # name mode extra...
  local name=$1 mode=$2; shift 2
  case $mode in closed) a="--only engine";; batch) a="--batch 500 --connections 4";; rate) a="--only engine --rate 1000 --connections 256 --warmup 10";; esac
  line=$(timeout 300 node dist/tools/bench/run-bench.js $a "$@" --out /tmp/bounds/$name-$mode-$r 2>&1 | grep -E "^  engine:|cores used" | sed 's/\[.*//' | tr '\n' ' ')
  echo "$r $name $mode | $line"
}
mkdir -p /tmp/bounds
for r in $(seq 1 $rounds); do
  for cfg in defaults history noexplain noproj; do
    bash /tmp/bounds.sh revert > /dev/null
    extra=""
    case $cfg in history) bash /tmp/bounds.sh apply history > /dev/null;; noexplain) bash /tmp/bounds.sh apply noexplain > /dev/null;; noproj) extra="--env VERDICT_PROJECTIONS=off";; esac
    for mode in closed batch rate; do run $cfg $mode $extra; done
  done
done
bash /tmp/bounds.sh revert > /dev/null
