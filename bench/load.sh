#!/usr/bin/env bash
# Load benchmark: requests/s of examples/ShopApi with MemoryContracts (guard, middleware, module
# cache, outbound handler) against the same service without it (--no-contracts), in one run.
#
# Three services per round:
#   bare     --no-contracts
#   guarded  the root contract, but with loopback left out of trusted_networks: wrk is a public
#            client (as end users are behind UseForwardedHeaders), so no pressure headers are read
#            or written. The target (>= 0.98) is for this: what MemoryContracts costs every request.
#   peer     the root contract as it is: wrk on loopback is a trusted peer, so every response also
#            carries X-Memory-Usage, X-Memory-Capacity, X-Memory-Contract and endpoint-load-metrics.
#            Reported beside it: the price of telling a peer how we are doing on every response.
#
#   bash bench/load.sh                 # 3 rounds, 40 s warm-up + 12 s each, 32 connections
#   ROUNDS=5 DURATION=15 CONNECTIONS=64 PIN=0 bash bench/load.sh
#
# With PIN=1 (the default, when taskset exists and there are 2+ cores) the service runs on CPU 1 and
# wrk (one thread) on CPU 0, so the two do not fight for the same core and runs are comparable.
#
# Installs wrk from Debian packages if it is missing (bombardier as a fallback). Loopback only;
# bounded in time; stops every process it started. Target: guarded/bare >= 0.98.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-12}
WARMUP=${WARMUP:-40}   # on one pinned, saturated core, tiered compilation and PGO take ~30 s to reach
                       # steady state; a 15 s warm-up measured the guarded service's tier-up (0.85)
CONNECTIONS=${CONNECTIONS:-32}
PIN=${PIN:-1}
if [[ $PIN == 1 ]] && command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  SERVER_CPU=(taskset -c 1) CLIENT_CPU=(taskset -c 0) THREADS=${THREADS:-1}
else
  PIN=0 SERVER_CPU=() CLIENT_CPU=() THREADS=${THREADS:-2}
fi
PATH_UNDER_LOAD=${PATH_UNDER_LOAD:-/catalog/products/42}
WORK=$(mktemp -d)
SERVER_PID=""
PROBE_PID=""

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cleanup() {
  [[ -n "$PROBE_PID" ]] && kill "$PROBE_PID" 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

install_tool() {
  if command -v wrk >/dev/null; then TOOL=wrk; return; fi
  if command -v bombardier >/dev/null; then TOOL=bombardier; return; fi
  echo "== installing wrk (Debian package)"
  if ! as_root apt-get install -y -qq wrk >/dev/null 2>&1; then
    as_root apt-get update -qq >/dev/null
    as_root apt-get install -y -qq wrk >/dev/null 2>&1 || as_root apt-get install -y -qq bombardier >/dev/null
  fi
  if command -v wrk >/dev/null; then TOOL=wrk; elif command -v bombardier >/dev/null; then TOOL=bombardier; else
    echo "neither wrk nor bombardier could be installed" >&2; exit 1
  fi
}

# Starts ShopApi (Release) on 127.0.0.1 with a free port; sets SERVER_PID and URL.
start_server() {
  local mode=$1 log="$WORK/server-$1.log"
  local extra=()
  [[ $mode == bare ]] && extra=(--no-contracts)
  [[ $mode == guarded ]] && extra=(--MemoryContracts:ContractPath="$WORK/public_client_contract.yaml")
  "${SERVER_CPU[@]}" dotnet "$ROOT/examples/ShopApi/bin/Release/net10.0/ShopApi.dll" --urls http://127.0.0.1:0 "${extra[@]}" \
    --Logging:LogLevel:Default=Warning >"$log" 2>&1 &
  SERVER_PID=$!
  URL=""
  for _ in $(seq 1 100); do
    URL=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" | head -1 | sed 's/listening on //' || true)
    [[ -n "$URL" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; echo "ShopApi ($mode) did not start" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$URL" ]] || { cat "$log" >&2; echo "ShopApi ($mode) printed no URL within 10 s" >&2; exit 1; }
  curl -fsS "$URL$PATH_UNDER_LOAD" >/dev/null
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# Runs the load tool; prints "requests_per_second non_2xx".
load() {
  local seconds=$1 out="$WORK/load.txt"
  if [[ $TOOL == wrk ]]; then
    "${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" "$URL$PATH_UNDER_LOAD" >"$out"
    local rps non2xx
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")
    echo "$rps ${non2xx:-0}"
  else
    "${CLIENT_CPU[@]}" bombardier -c "$CONNECTIONS" -d "${seconds}s" -p r -o json "$URL$PATH_UNDER_LOAD" >"$out"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; n=r["req1xx"]+r["req3xx"]+r["req4xx"]+r["req5xx"]+r["others"]; print(r["rps"]["mean"], n)' "$out"
  fi
}

install_tool
echo "== building examples/ShopApi (Release)"
dotnet build "$ROOT/examples/ShopApi/ShopApi.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

echo "== load: $TOOL, $CONNECTIONS connections, $THREADS threads, $([[ $PIN == 1 ]] && echo 'service pinned to CPU 1 and client to CPU 0' || echo 'not pinned'), ${DURATION}s per run after ${WARMUP}s warm-up, GET $PATH_UNDER_LOAD, $ROUNDS rounds"
echo "   machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), dotnet $(dotnet --version)"
# The root contract with trusted_networks not containing loopback (see the header of this script).
sed -E 's|^(  trusted_networks:).*|\1 ["10.0.0.0/8"]|' "$ROOT/memory_contract.yaml" >"$WORK/public_client_contract.yaml"
grep -q '^  trusted_networks: \["10.0.0.0/8"\]' "$WORK/public_client_contract.yaml" || { echo "could not derive the public-client contract" >&2; exit 1; }

declare -A BEST=([bare]=0 [guarded]=0 [peer]=0) ALL=([bare]="" [guarded]="" [peer]="")
for round in $(seq 1 "$ROUNDS"); do
  for mode in bare guarded peer; do
    start_server "$mode"
    load "$WARMUP" >/dev/null
    # Readiness during the measured run (Healthy = Normal, Degraded = Elevated/High, Unhealthy = Critical).
    ( while kill -0 "$SERVER_PID" 2>/dev/null; do curl -s -m 1 "$URL/health/ready" || true; echo; sleep 1; done ) >"$WORK/ready-$mode.txt" &
    PROBE_PID=$!
    read -r rps non2xx < <(load "$DURATION")
    kill "$PROBE_PID" 2>/dev/null || true; wait "$PROBE_PID" 2>/dev/null || true
    stop_server
    ready=$(grep -v '^$' "$WORK/ready-$mode.txt" | sort | uniq -c | awk '{ printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1 }')
    printf '   round %d  %-8s %10.0f req/s   non-2xx: %-6s /health/ready during the run: %s\n' "$round" "$mode" "$rps" "$non2xx" "$ready"
    ALL[$mode]="${ALL[$mode]} $rps"
    if [[ $mode != bare && "$non2xx" != "0" ]]; then
      echo "   (the guarded run answered non-2xx responses: it shed requests, so it was not a Normal-state run)" >&2
    fi
    if awk -v a="$rps" -v b="${BEST[$mode]}" 'BEGIN { exit !(a > b) }'; then BEST[$mode]=$rps; fi
  done
done

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio=$(awk -v g="${BEST[guarded]}" -v b="${BEST[bare]}" 'BEGIN { printf "%.3f", g / b }')
median_ratio=$(awk -v g="$(median "${ALL[guarded]}")" -v b="$(median "${ALL[bare]}")" 'BEGIN { printf "%.3f", g / b }')
peer_ratio=$(awk -v g="${BEST[peer]}" -v b="${BEST[bare]}" 'BEGIN { printf "%.3f", g / b }')
peer_median_ratio=$(awk -v g="$(median "${ALL[peer]}")" -v b="$(median "${ALL[bare]}")" 'BEGIN { printf "%.3f", g / b }')
echo
printf 'bare (no MemoryContracts):               best %8.0f req/s   median %8.0f req/s\n' "${BEST[bare]}" "$(median "${ALL[bare]}")"
printf 'guarded, public client:                  best %8.0f req/s   median %8.0f req/s\n' "${BEST[guarded]}" "$(median "${ALL[guarded]}")"
printf 'guarded, trusted peer (+4 resp headers): best %8.0f req/s   median %8.0f req/s\n' "${BEST[peer]}" "$(median "${ALL[peer]}")"
echo "guarded/bare ratio (public client): $ratio best-to-best, $median_ratio median-to-median (target >= 0.98)"
echo "peer/bare ratio (trusted peer, pressure headers on every response): $peer_ratio best-to-best, $peer_median_ratio median-to-median"
if awk -v r="$ratio" 'BEGIN { exit !(r >= 0.98) }'; then echo "VERDICT: PASS"; else echo "VERDICT: BELOW TARGET"; fi
