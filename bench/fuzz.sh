#!/usr/bin/env bash
# Fuzzing the parsers (issue 15): the property tests of tests/*/Fuzzing/ at a larger scale.
#
#   bash bench/fuzz.sh              # SCALE=20: 1,000,000 contract inputs, 20,000,000 header values (Release)
#   SCALE=1 bash bench/fuzz.sh      # what CI runs (50,000 contract inputs, 1,000,000 header values)
#   SEED=12345 bash bench/fuzz.sh   # another seed (the default is fixed, so runs are reproducible)
#
# Each fuzz test appends one line of figures (inputs, outcomes, inputs/s, per-input max and p99, seed)
# to a report file, printed at the end with the totals. A failing input is printed shrunk by CsCheck,
# with the seed that reproduces it. No network, no other processes; bounded by the input counts.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCALE=${SCALE:-20}
CONFIGURATION=${CONFIGURATION:-Release}
REPORT=$(mktemp)
trap 'rm -f "$REPORT"' EXIT

export MEMORY_CONTRACTS_FUZZ_SCALE=$SCALE
export MEMORY_CONTRACTS_FUZZ_REPORT=$REPORT
if [[ -n ${SEED:-} ]]; then
  export MEMORY_CONTRACTS_FUZZ_SEED=$SEED
fi

dotnet build -c "$CONFIGURATION" tests/MemoryContracts.Tests >/dev/null
dotnet build -c "$CONFIGURATION" tests/MemoryContracts.Yarp.Tests >/dev/null

started=$(date +%s)
status=0
for project in tests/MemoryContracts.Tests tests/MemoryContracts.Yarp.Tests; do
  dotnet test "$project" -c "$CONFIGURATION" --no-build --filter "FullyQualifiedName~.Fuzzing." \
    --logger "console;verbosity=minimal" || status=$?
done
elapsed=$(( $(date +%s) - started ))

echo
echo "== fuzz figures (scale $SCALE, $CONFIGURATION, ${elapsed} s wall clock for both test projects)"
sort "$REPORT"
awk '
  { match($0, /: [0-9]+ inputs in [0-9.]+ s/); split(substr($0, RSTART + 2, RLENGTH - 2), f, " ");
    kind = $0 ~ /^fuzz contract/ ? "contract inputs" : $0 ~ /^fuzz cgroup/ ? "cgroup file inputs" : "header values";
    n[kind] += f[1]; t[kind] += f[4] }
  END { for (kind in n) printf "%s: %d in %.1f s of test time (%.0f/s)\n", kind, n[kind], t[kind], n[kind] / (t[kind] > 0 ? t[kind] : 1) }
' "$REPORT" | sort
exit $status
