#!/usr/bin/env bash
# Load with faults: does shedding keep the service responsive at Critical? examples/ShopApi (Release,
# with examples/InventoryService, which every checkout calls twice) under two wrk loads at once, the
# same in both phases of one run:
#   non-core  GET /catalog/products/42 (module catalog), closed loop, CONNECTIONS connections;
#   core      POST /checkout (module checkout, core), paced at ~CORE_RPS/s on CORE_CONNECTIONS connections.
# Phase Normal: measured for DURATION s after a warm-up. Then a real leak drives the service to
# Critical: POST /reports/leak (module reports, 1 MB arrays in a static list) until /health/ready
# answers Unhealthy (Critical), and the leak stays. Phase Critical: the same loads for
# DURATION s; the catalog is shed (429 + Retry-After), checkout is not. The service runs
# bench/load-faults/shop_contract.yaml (heap budgets only, 384 MB in all: Critical at 365 MB). Both
# phases report, per load, p50/p99 (wrk's histogram), status counts and socket errors
# (bench/fleet/tally.lua), and /health/ready is polled every 0.5 s to show the level held.
#
#   bash bench/load-faults.sh                              # 20 s warm-up, 15 s per phase, 32 + 4 connections
#   DURATION=30 CONNECTIONS=64 PIN=0 bash bench/load-faults.sh
#
# Env: DURATION (15), WARMUP (20), CONNECTIONS (32, non-core), CORE_CONNECTIONS (4), CORE_RPS (100),
# PIN (1: when taskset exists and there are 2+ cores, both services on CPU 1 and wrk on CPU 0),
# CONTRACT (bench/load-faults/shop_contract.yaml; another file must keep its modules and 384 MB).
# Exit code 0 when what it claims holds:
#   Normal:   readiness Healthy at every poll; every request of both loads answered 2xx;
#   Critical: readiness Unhealthy at every poll; every non-core request answered 429; every core
#             request answered 2xx, none lost (no socket error or timeout);
#   responsive: at Critical, the p99 of core requests is at most 2 x Normal's + 5 ms, and the p99 of
#             the shed 429s at most 2 x Normal's non-core p99 + 5 ms: the same order as at Normal, not
#             better (on a machine shared with other work, stalls of a few hundred ms reach either
#             phase's p99; the factor 2 and the 5 ms absorb them).
# Exit code 1 otherwise. Installs wrk from Debian packages if missing. Loopback only, bounded in time
# and in leaked memory (about 372 MB, 40 requests at most); stops every process it started, on failure and Ctrl-C too.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
. bench/lib.sh
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-32}
CORE_CONNECTIONS=${CORE_CONNECTIONS:-4}
CORE_RPS=${CORE_RPS:-100}
PIN=${PIN:-1}
if [[ $PIN == 1 ]] && command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  SERVER_CPU=(taskset -c 1) CLIENT_CPU=(taskset -c 0)
else
  PIN=0 SERVER_CPU=() CLIENT_CPU=()
fi
SHOP="$ROOT/examples/ShopApi/bin/Release/net10.0/ShopApi.dll"
INVENTORY="$ROOT/examples/InventoryService/bin/Release/net10.0/InventoryService.dll"
CONTRACT=${CONTRACT:-"$ROOT/bench/load-faults/shop_contract.yaml"}
LUA="$ROOT/bench/fleet/tally.lua"
CHECKOUT='{"productId":42,"quantity":1}'
WORK=$(mktemp -d)
PIDS=()

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_wrk 1

echo "== building examples/ShopApi and examples/InventoryService (Release)"
dotnet build "$ROOT/examples/ShopApi/ShopApi.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build "$ROOT/examples/InventoryService/InventoryService.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

"${SERVER_CPU[@]}" dotnet "$INVENTORY" --urls http://127.0.0.1:0 --Logging:LogLevel:Default=Warning >"$WORK/inventory.log" 2>&1 &
PIDS+=($!)
INVENTORY_URL=$(wait_url "$WORK/inventory.log" 'listening on' "$!")
"${SERVER_CPU[@]}" dotnet "$SHOP" --urls http://127.0.0.1:0 --Inventory:BaseAddress="$INVENTORY_URL" \
  --MemoryContracts:ContractPath="$CONTRACT" --Logging:LogLevel:Default=Warning >"$WORK/shop.log" 2>&1 &
PIDS+=($!)
SHOP_PID=$!
URL=$(wait_url "$WORK/shop.log" 'ShopApi listening on' "$SHOP_PID")
curl -fsS "$URL/catalog/products/42" >/dev/null
curl -fsS -X POST -H 'Content-Type: application/json' -d "$CHECKOUT" "$URL/checkout" >/dev/null
gc=$(curl -fsS "$URL/memory-contracts/history" | jq -r '.snapshots[-1].capacity_bytes // empty' 2>/dev/null || true)

# phase NAME SECONDS: both loads at once, readiness polled meanwhile; output in $WORK/NAME-{noncore,core,ready}.txt.
phase() {
  local name=$1 seconds=$2
  "${CLIENT_CPU[@]}" env WRK_METHOD=GET WRK_PATH=/catalog/products/42 \
    timeout $((seconds + 30)) wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --timeout 5s -s "$LUA" "$URL" >"$WORK/$name-noncore.txt" 2>&1 &
  local noncore=$!
  PIDS+=("$noncore")
  "${CLIENT_CPU[@]}" env WRK_METHOD=POST WRK_PATH=/checkout WRK_BODY="$CHECKOUT" WRK_DELAY_MS=$((CORE_CONNECTIONS * 1000 / CORE_RPS)) \
    timeout $((seconds + 30)) wrk -t1 -c"$CORE_CONNECTIONS" -d"${seconds}s" --timeout 5s -s "$LUA" "$URL" >"$WORK/$name-core.txt" 2>&1 &
  local core=$!
  PIDS+=("$core")
  : >"$WORK/$name-ready.txt"
  while kill -0 "$noncore" 2>/dev/null || kill -0 "$core" 2>/dev/null; do
    { curl -s -m 1 "$URL/health/ready" || echo unreachable; echo; } >>"$WORK/$name-ready.txt"
    sleep 0.5
  done
  wait "$noncore" || true
  wait "$core" || true
}

field() { sed -nE "s/.*(^| )$2=([^ ]+).*/\2/p" <<<"$1" | head -1; }
result() { grep '^RESULT' "$WORK/$1.txt" || { cat "$WORK/$1.txt" >&2; echo "wrk gave no result ($1)" >&2; exit 1; }; }
sockets() { echo $(($(field "$1" connect) + $(field "$1" read) + $(field "$1" write) + $(field "$1" timeout))); }
readiness() { grep -v '^$' "$WORK/$1-ready.txt" | sort | uniq -c | awk '{ printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1 }'; }

echo "== load with faults: ShopApi + InventoryService, contract $(basename "$CONTRACT") (heap budgets 384 MB in all)"
echo "   non-core: GET /catalog/products/42, wrk closed loop, $CONNECTIONS connections; core: POST /checkout, ~$CORE_RPS/s on $CORE_CONNECTIONS connections; ${DURATION} s per phase after ${WARMUP} s warm-up"
echo "   $([[ $PIN == 1 ]] && echo 'services pinned to CPU 1, wrk to CPU 0' || echo 'not pinned'); GC: $(grep -q '"System.GC.Server": false' "$(dirname "$SHOP")/ShopApi.runtimeconfig.json" && echo workstation || echo server) (ShopApi.runtimeconfig.json)${gc:+, graded capacity $((gc / 1048576)) MB}"
echo "   machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, kernel $(uname -r), dotnet $(dotnet --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   shop $URL (pid $SHOP_PID), inventory $INVENTORY_URL"

echo "== warm-up (${WARMUP} s)"
phase warmup "$WARMUP"
echo "== Normal phase (${DURATION} s)"
phase normal "$DURATION"
echo "   /health/ready during the phase: $(readiness normal)"

echo "== leaking through POST /reports/leak until /health/ready is Unhealthy (Critical)"
# Scaled shedding at High sheds the lowest-priority module (reports, the leak) first, so the leak
# cannot creep from High to Critical: 32 MB steps below 300 MB, then one step to ~372 MB (97%).
leaked=0
for _ in $(seq 1 40); do
  [[ $(curl -s -m 2 "$URL/health/ready" || true) == Unhealthy ]] && break
  heap=$(curl -s -m 2 "$URL/memory-contracts/history" | jq -r '.snapshots[-1].heap_bytes / 1048576 | floor' 2>/dev/null || echo 0)
  mb=32
  if ((heap >= 300)); then mb=$((372 - heap)); ((mb < 1)) && mb=1; ((mb > 64)) && mb=64; fi
  code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST "$URL/reports/leak?mb=$mb" || true)
  [[ $code == 200 ]] && leaked=$((leaked + mb))
  sleep 0.3
done
sleep 1
state=$(curl -s -m 2 "$URL/health/ready" || true)
echo "   leaked $leaked MB; /health/ready: $state; $(curl -s -m 2 "$URL/memory-contracts/history" | jq -r '.snapshots[-1] | "level \(.level), usage \(.usage_percent)%, heap \(.heap_bytes / 1048576 | floor) MB, shed fraction \(.shed_fraction)"' 2>/dev/null || true)"
if [[ $state != Unhealthy ]]; then echo "the leak did not drive the service to Critical" >&2; exit 1; fi

echo "== Critical phase (${DURATION} s)"
phase critical "$DURATION"
echo "   /health/ready during the phase: $(readiness critical)"
echo "   after: $(curl -s -m 2 "$URL/memory-contracts/history" | jq -r '.snapshots[-1] | "level \(.level), usage \(.usage_percent)%, heap \(.heap_bytes / 1048576 | floor) MB"' 2>/dev/null || true); shop alive: $(kill -0 "$SHOP_PID" 2>/dev/null && echo yes || echo no)"

echo
echo "== results (markdown)"
echo
echo "| phase | load | requests | req/s | answered | socket errors | p50 | p99 | max |"
echo "|---|---|---:|---:|---|---:|---:|---:|---:|"
for name in normal critical; do
  for load in noncore core; do
    r=$(result "$name-$load")
    rps=$(awk -v n="$(field "$r" requests)" -v s="$DURATION" 'BEGIN { printf "%.0f", n / s }')
    answered="$(field "$r" ok) 2xx, $(field "$r" shed) 429, $(field "$r" server_error) 5xx, $(field "$r" other) other"
    label="non-core GET /catalog/products/42"; [[ $load == core ]] && label="core POST /checkout"
    Label=Normal; [[ $name == critical ]] && Label=Critical
    echo "| $Label | $label | $(field "$r" requests) | $rps | $answered | $(sockets "$r") | $(field "$r" p50_ms) ms | $(field "$r" p99_ms) ms | $(field "$r" max_ms) ms |"
  done
done

echo
echo "== verdict"
ok=yes
nn=$(result normal-noncore); nc=$(result normal-core); cn=$(result critical-noncore); cc=$(result critical-core)
if [[ $(readiness normal) =~ ^Healthy\ x[0-9]+$ && $(field "$nn" ok) == "$(field "$nn" requests)" && $(sockets "$nn") == 0 \
      && $(field "$nc" ok) == "$(field "$nc" requests)" && $(field "$nc" requests) -gt 0 && $(sockets "$nc") == 0 ]]; then
  echo "Normal:     PASS: readiness Healthy throughout; every request 2xx ($(field "$nn" requests) non-core, $(field "$nc" requests) core)."
else
  echo "Normal:     FAIL: readiness $(readiness normal); non-core $(field "$nn" ok) of $(field "$nn" requests) 2xx, core $(field "$nc" ok) of $(field "$nc" requests) 2xx, socket errors $(sockets "$nn") + $(sockets "$nc")."; ok=no
fi
if [[ $(readiness critical) =~ ^Unhealthy\ x[0-9]+$ && $(field "$cn" shed) == "$(field "$cn" requests)" && $(field "$cn" requests) -gt 0 && $(sockets "$cn") == 0 \
      && $(field "$cc" ok) == "$(field "$cc" requests)" && $(field "$cc" requests) -gt 0 && $(sockets "$cc") == 0 ]]; then
  echo "Critical:   PASS: readiness Unhealthy throughout; every non-core request shed ($(field "$cn" requests) x 429), every core request 2xx ($(field "$cc" requests))."
else
  echo "Critical:   FAIL: readiness $(readiness critical); non-core $(field "$cn" shed) of $(field "$cn" requests) shed, core $(field "$cc" ok) of $(field "$cc" requests) 2xx, socket errors $(sockets "$cn") + $(sockets "$cc")."; ok=no
fi
core_limit=$(awk -v p="$(field "$nc" p99_ms)" 'BEGIN { printf "%.2f", 2 * p + 5 }')
shed_limit=$(awk -v p="$(field "$nn" p99_ms)" 'BEGIN { printf "%.2f", 2 * p + 5 }')
if awk -v c="$(field "$cc" p99_ms)" -v cl="$core_limit" -v s="$(field "$cn" p99_ms)" -v sl="$shed_limit" 'BEGIN { exit !(c <= cl && s <= sl) }'; then
  echo "responsive: PASS: core p99 $(field "$nc" p99_ms) ms at Normal, $(field "$cc" p99_ms) ms at Critical (limit $core_limit); non-core p99 $(field "$nn" p99_ms) ms served at Normal, $(field "$cn" p99_ms) ms shed at Critical (limit $shed_limit)."
else
  echo "responsive: FAIL: core p99 $(field "$nc" p99_ms) ms at Normal, $(field "$cc" p99_ms) ms at Critical (limit $core_limit); non-core p99 $(field "$nn" p99_ms) ms served at Normal, $(field "$cn" p99_ms) ms shed at Critical (limit $shed_limit)."; ok=no
fi
[[ $ok == yes ]]
