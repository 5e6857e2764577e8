#!/bin/sh
# Builds the supervised-scoring benchmark (Release, its own build directory) and runs it and the
# scikit-learn baseline on the same splits, one after the other so their timings do not compete:
# ASAP-SAS, then LE and ASAG. The data stays outside the repository.
#
#   bench/asap_sas_vs_sklearn.sh DATA_DIR        # DATA_DIR holds asap-sas/ and zh-sas-datasets/
#   make bench-asap BENCH_DATA=DATA_DIR          # the same
#
# Environment: BUILD_DIR (default build-bench), JOBS (build parallelism, default 2), SETS
# (default "asap le asag"). Each program ends with `mean_qwk_fisher=<value>`; ours also prints
# the scoring throughput per CPU second, which is the load-independent speed figure.
set -eu
DATA=${1:?usage: bench/asap_sas_vs_sklearn.sh DATA_DIR (holding asap-sas/ and zh-sas-datasets/)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-bench}
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target asap_sas_bench -j"${JOBS:-2}"
for set in ${SETS:-asap le asag}; do
  echo "=== $set: zhimian (bench/asap_sas.cc)"
  "$BUILD/src/scoring/supervised/asap_sas_bench" --data-dir "$DATA" --set "$set"
  echo "=== $set: scikit-learn (bench/sklearn_baseline.py)"
  /usr/bin/python3 "$ROOT/bench/sklearn_baseline.py" --data-dir "$DATA" --set "$set"
done
