#!/usr/bin/env bash
# Survival run: one leaky service (bench/LeakyService: a cache filled without bound plus a static
# leak, ~120 MB/s of growth driven by non-core requests) under DOTNET_GCHeapHardLimit=0x10000000
# (256 MB), while a client sends core requests. First without MemoryContracts (it must die of
# OutOfMemoryException), then with them (it must serve 100% of core requests with no OOM).
#
#   bash bench/survival.sh                       # 20 s per run, 120 MB/s, 50 core requests/s
#   SECONDS_PER_RUN=30 GROWTH_MBPS=200 bash bench/survival.sh
#
# Loopback only, bounded in time and requests; stops every process it started. Exit code 0 when
# both runs show what they should.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
GROWTH_MBPS=${GROWTH_MBPS:-120}
CORE_RPS=${CORE_RPS:-50}
HEAP_LIMIT=${HEAP_LIMIT:-0x10000000}
APP="$ROOT/bench/LeakyService/bin/Release/net10.0/LeakyService.dll"
WORK=$(mktemp -d)
SERVER_PID=""

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building bench/LeakyService (Release)"
dotnet build "$ROOT/bench/LeakyService/LeakyService.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

# run MODE: starts the service under the heap limit, drives it, and sets VERDICT_<MODE>.
run() {
  local mode=$1 log="$WORK/server-$1.log" extra=()
  [[ $mode == bare ]] && extra=(--no-contracts)
  echo
  echo "== $mode run: DOTNET_GCHeapHardLimit=$HEAP_LIMIT dotnet LeakyService.dll ${extra[*]} --urls http://127.0.0.1:0"
  DOTNET_GCHeapHardLimit=$HEAP_LIMIT dotnet "$APP" "${extra[@]}" --urls http://127.0.0.1:0 >"$log" 2>&1 &
  SERVER_PID=$!
  local url=""
  for _ in $(seq 1 100); do
    url=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" | head -1 | sed 's/listening on //' || true)
    [[ -n "$url" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$url" ]]; then cat "$log" >&2; echo "LeakyService ($mode) did not start" >&2; exit 1; fi
  grep -m1 'LeakyService listening on' "$log" | sed 's/^/   /'

  timeout $((SECONDS_PER_RUN + 30)) dotnet "$APP" drive --url "$url" --seconds "$SECONDS_PER_RUN" \
    --growth-mbps "$GROWTH_MBPS" --core-rps "$CORE_RPS" | tee "$WORK/drive-$mode.txt"

  local alive=no exit_code=""
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    alive=yes
    kill "$SERVER_PID"
  fi
  set +e; wait "$SERVER_PID"; exit_code=$?; set -e
  SERVER_PID=""

  local result oom core_sent core_served core_pct seconds
  result=$(grep '^RESULT' "$WORK/drive-$mode.txt")
  field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$result"; }
  core_sent=$(field core_sent); core_served=$(field core_served); core_pct=$(field core_served_percent); seconds=$(field seconds)
  oom=$(grep -c 'OutOfMemoryException' "$log" || true)
  local guard_lines
  guard_lines=$(grep -cE 'Memory pressure (rose|is Critical)|Shedding non-core|Heap growing fast' "$log" || true)
  echo "   server: alive at the end: $alive; exit code: $exit_code; OutOfMemoryException in its output: $oom; guard escalation/shedding log lines: $guard_lines"
  if [[ $oom -gt 0 ]]; then grep -m1 'died of OutOfMemoryException' "$log" | sed 's/^/   server said: /' || true; fi

  if [[ $mode == bare ]]; then
    if [[ $alive == no && $oom -gt 0 ]]; then
      VERDICT_BARE="PASS (as expected): without contracts the service died of OutOfMemoryException after ${seconds} s (exit code $exit_code); it had served $core_served of $core_sent core requests ($core_pct%)."
    else
      VERDICT_BARE="UNEXPECTED: without contracts the service did not die of OOM (alive: $alive, OOM lines: $oom, exit $exit_code)."
    fi
  else
    if [[ $alive == yes && $oom -eq 0 && $core_sent -gt 0 && $core_served -eq $core_sent ]]; then
      VERDICT_GUARDED="PASS: with contracts the service survived ${seconds} s and served $core_served of $core_sent core requests (100%), with 0 OutOfMemoryException; non-core: $(field noncore_served) MB of growth served, $(field noncore_shed) requests shed."
    else
      VERDICT_GUARDED="FAIL: with contracts: alive $alive, OutOfMemoryException $oom, core requests served $core_served of $core_sent ($core_pct%)."
    fi
  fi
}

echo "== survival: heap limit $HEAP_LIMIT ($((HEAP_LIMIT / 1048576)) MB), ${GROWTH_MBPS} MB/s of non-core growth, ${CORE_RPS} core requests/s, ${SECONDS_PER_RUN} s per run"
echo "   contract (guarded run): bench/LeakyService/survival_contract.yaml"
VERDICT_BARE="" VERDICT_GUARDED=""
run bare
run guarded

echo
echo "== verdict"
echo "bare:    $VERDICT_BARE"
echo "guarded: $VERDICT_GUARDED"
[[ $VERDICT_BARE == PASS* && $VERDICT_GUARDED == PASS* ]]
