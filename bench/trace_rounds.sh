# Sourced by bench/trace.sh and bench/tokens.sh: traces a run into a fresh store three times, then times
# the views' queries on it, one JSON object per line ("bench": "trace" or "query") into OUT.
#   trace_rounds NDTMOE RUN STORE OUT [extra ndtmoe trace flags...]
trace_rounds() {
  local ndtmoe=$1 run=$2 store=$3 out=$4
  shift 4
  {
    for round in 1 2 3; do
      rm -f "$store" "$store-wal" "$store-shm"
      "$ndtmoe" trace --run "$run" --store "$store" --device cpu --json --no-embeddings "$@" | sed 's/^{/{"bench":"trace",/'
    done
    "$ndtmoe" bench --store "$store" --run 1 --json | sed 's/^{/{"bench":"query",/'
  } | tee "$out.tmp"
  mv "$out.tmp" "$out"
}
