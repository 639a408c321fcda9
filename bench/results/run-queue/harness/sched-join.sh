echo "thread user sys wait(cores) vol/s invol/s"
join <(sort $1) <(sort $2) | awk '{n=$2; U[n]+=($9-$3)/800; S[n]+=($10-$4)/800; W[n]+=($11-$5)/8e9; V[n]+=($12-$6)/8; I[n]+=($13-$7)/8} END {for (k in U) printf "%-14s user %.3f sys %.3f wait %.3f vol/s %6.0f invol/s %6.0f\n", k, U[k], S[k], W[k], V[k], I[k]}' | sort -k3 -nr
