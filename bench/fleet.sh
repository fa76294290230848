#!/usr/bin/env bash
# Fleet run: examples/Gateway (YARP) in front of three examples/ShopApi replicas, each in its own
# memory cgroup (v1), one with half the others' limit, all calling one examples/InventoryService (as
# every checkout does, twice), all under the same load through the gateway: core checkouts
# (POST /checkout, module checkout) and non-core requests that leak native memory the GC never sees
# (POST /reports/leak/native, module reports, 1 MB each, never freed). Two runs in one script run,
# each with fresh replicas and fresh cgroups:
#   PowerOfTwoChoices  YARP's default load-balancing policy, YARP's ConsecutiveFailures active health
#                      policy, no passive health check (YARP's default);
#   MemoryPressure     AddMemoryContractsBalancing(): the MemoryPressure load-balancing, active and
#                      passive health policies, as examples/Gateway/appsettings.json configures them.
# Both runs probe GET /health/ready every 2 s, as appsettings.json has it (ShopApi's readiness fails
# at Critical); the MemoryPressure active policy also learns each replica's usage from the probes'
# answers. The replicas run bench/fleet/shop_contract.yaml (working set graded against the cgroup's
# limit: Elevated 80%, High 90% with scaled shedding, Critical 95%) and send X-Memory-Usage / ORCA to
# the gateway (loopback is a trusted network). The clients are two paced wrk processes
# (bench/fleet/tally.lua), which count every answer by status and by the replica that sent it
# (X-Replica: ShopApi's --Replica NAME).
#
#   bash bench/fleet.sh                                   # 40 s per run, 15 MB/s of leak, 100 core requests/s
#   SECONDS_PER_RUN=60 LEAK_MBPS=12 bash bench/fleet.sh
#   POLICIES=MemoryPressure bash bench/fleet.sh           # one run only (the comparison checks are skipped)
#
# Env: SECONDS_PER_RUN (40), WARMUP (5 s of core requests before each run), LEAK_MBPS (15: leak
# requests per second through the gateway, all replicas together), CORE_RPS (100), LIMIT_MB (400),
# SMALL_LIMIT_MB (200, replica shop-3), LEAK_CONNECTIONS (4), CORE_CONNECTIONS (10), POLICIES.
#
# Exit code 0 when what the run claims holds:
#   MemoryPressure: every replica alive at the end with oom_kill 0, every core request served, and at
#     least 99.9% of all requests (core and non-core) answered 2xx;
#   and, when both runs ran, PowerOfTwoChoices showed the problem (the small replica reached High or
#     Critical) and MemoryPressure had fewer client-visible failures (429, 5xx, socket errors).
# Exit code 1 otherwise, 2 when the machine cannot run it. Needs root, the cgroup v1 memory controller
# mounted read-write at /sys/fs/cgroup/memory, jq, and wrk (installed from Debian packages if missing).
# Each cgroup is /sys/fs/cgroup/memory/mc-fleet-<random>-<policy>-shop-<n> and holds only a replica
# this script started; processes, cgroups and scratch files are removed on exit, failure and Ctrl-C
# included. Loopback only, bounded in time.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
. bench/lib.sh
SECONDS_PER_RUN=${SECONDS_PER_RUN:-40}
WARMUP=${WARMUP:-5}
LEAK_MBPS=${LEAK_MBPS:-15}
CORE_RPS=${CORE_RPS:-100}
LIMIT_MB=${LIMIT_MB:-400}
SMALL_LIMIT_MB=${SMALL_LIMIT_MB:-200}
LEAK_CONNECTIONS=${LEAK_CONNECTIONS:-4}
CORE_CONNECTIONS=${CORE_CONNECTIONS:-10}
POLICIES=${POLICIES:-PowerOfTwoChoices MemoryPressure}
HIERARCHY=/sys/fs/cgroup/memory
SHOP="$ROOT/examples/ShopApi/bin/Release/net10.0/ShopApi.dll"
INVENTORY="$ROOT/examples/InventoryService/bin/Release/net10.0/InventoryService.dll"
CONTRACT="$ROOT/bench/fleet/shop_contract.yaml"
GATEWAY="$ROOT/examples/Gateway/bin/Release/net10.0/Gateway.dll"
LUA="$ROOT/bench/fleet/tally.lua"
REPLICAS=(shop-1 shop-2 shop-3)
TAG="mc-fleet-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
WORK=$(mktemp -d)
PIDS=()
CGROUPS=()
CHECKOUT='{"productId":42,"quantity":1}'

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Stops every process this script started: TERM (timeout passes it on to wrk), then KILL after 5 s.
stop_processes() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=no
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=yes; done
    [[ $alive == no ]] && break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

cleanup() {
  stop_processes
  for dir in "${CGROUPS[@]}"; do remove_cgroup "$dir"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $(id -u) -ne 0 ]]; then echo "needs root to create memory cgroups under $HIERARCHY" >&2; exit 2; fi
if ! grep -qE "^[^ ]+ [^ ]+ [^ ]+ [^ ]+ $HIERARCHY rw[, ].* - cgroup " /proc/self/mountinfo; then
  echo "needs the cgroup v1 memory controller mounted read-write at $HIERARCHY" >&2; exit 2
fi
ensure_wrk 2

command -v jq >/dev/null || { echo "needs jq (apt-get install jq)" >&2; exit 2; }

echo "== building examples/ShopApi, examples/InventoryService and examples/Gateway (Release)"
dotnet build "$ROOT/examples/ShopApi/ShopApi.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build "$ROOT/examples/Gateway/Gateway.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

# load NAME URL METHOD PATH RPS CONNECTIONS SECONDS [BODY]: a paced wrk (one thread) in the background,
# output in $WORK/NAME.txt; LOAD_PID is its pid (timeout's, which passes a TERM on to wrk).
load() {
  local name=$1 url=$2 method=$3 path=$4 rps=$5 connections=$6 seconds=$7 body=${8:-}
  local delay=$((connections * 1000 / rps))
  WRK_METHOD=$method WRK_PATH=$path WRK_BODY=$body WRK_DELAY_MS=$delay WRK_REPLICAS="${REPLICAS[*]}" \
    timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 5s -s "$LUA" "$url" >"$WORK/$name.txt" 2>&1 &
  LOAD_PID=$!
  PIDS+=("$LOAD_PID")
}

field() { sed -nE "s/.*(^| )$2=([^ ]+).*/\2/p" <<<"$1" | head -1; }
replica_line() { grep -E "^REPLICA $2 " "$WORK/$1.txt" || echo "REPLICA $2 total=0 ok=0 shed=0 server_error=0 other=0"; }

# highest_level URL: the highest level in the replica's dashboard history (the last 10 minutes, so the
# whole run), capitalized; "unknown" when it does not answer.
highest_level() {
  curl -s -m 2 "$1/memory-contracts/history" \
    | jq -r '[.snapshots[].level | {"normal": 0, "elevated": 1, "high": 2, "critical": 3}[.]] | max // 0 | ["Normal", "Elevated", "High", "Critical"][.]' 2>/dev/null \
    || echo unknown
}

# replica_state URL: level, usage, working set and native leak of a replica, for the progress lines.
replica_state() {
  local history leak
  history=$(curl -s -m 1 "$1/memory-contracts/history" || true)
  if [[ -z "$history" ]]; then echo unreachable; return; fi
  # GET /reports/leak is a non-core request: a replica at High or above may shed it ("shed").
  leak=$(curl -s -m 1 "$1/reports/leak" | jq -r 'if .nativeMb then "\(.nativeMb) MB" else "shed" end' 2>/dev/null || echo "shed")
  echo "$(jq -r '.snapshots[-1] | "\(.level) \(.usage_percent)% ws \((.working_set_bytes // 0) / 1048576 | floor) MB"' <<<"$history" 2>/dev/null), leak $leak"
}

# run POLICY: three replicas in fresh cgroups, the gateway, warm-up, then core and leak load together.
run() {
  local policy=$1 i name cg limit url log inventory
  local -a urls=() gateway_args=()
  echo
  echo "== $policy run"
  # One inventory service for the fleet, outside the cgroups (a downstream the replicas share).
  log="$WORK/$policy-inventory.log"
  dotnet "$INVENTORY" --urls http://127.0.0.1:0 --Logging:LogLevel:Default=Warning >"$log" 2>&1 &
  PIDS+=($!)
  inventory=$(wait_url "$log" 'listening on' "$!")
  for i in 0 1 2; do
    name=${REPLICAS[$i]}
    limit=$LIMIT_MB; [[ $i == 2 ]] && limit=$SMALL_LIMIT_MB
    cg="$HIERARCHY/$TAG-$policy-$name"
    mkdir "$cg"; CGROUPS+=("$cg")
    echo $((limit * 1024 * 1024)) >"$cg/memory.limit_in_bytes"
    echo $((limit * 1024 * 1024)) >"$cg/memory.memsw.limit_in_bytes" 2>/dev/null || true
    log="$WORK/$policy-$name.log"
    # The subshell moves itself into the cgroup, then becomes the replica: the runtime starts inside it.
    ( echo "$BASHPID" >"$cg/cgroup.procs"
      exec dotnet "$SHOP" --urls http://127.0.0.1:0 --Inventory:BaseAddress="$inventory" --MemoryContracts:ContractPath="$CONTRACT" \
        --Replica="$name" --Logging:LogLevel:Default=Warning >"$log" 2>&1 ) &
    PIDS+=($!)
    eval "PID_${policy}_$i=$!"
    eval "LIMIT_${policy}_$i=$limit"
  done
  for i in 0 1 2; do
    url=$(wait_url "$WORK/$policy-${REPLICAS[$i]}.log" 'ShopApi listening on' "$(eval echo "\$PID_${policy}_$i")")
    urls+=("$url")
    eval "URL_${policy}_$i=$url"
    echo "   ${REPLICAS[$i]}: $url, cgroup $HIERARCHY/$TAG-$policy-${REPLICAS[$i]} (limit $(eval echo "\$LIMIT_${policy}_$i") MB), pid $(eval echo "\$PID_${policy}_$i")"
  done

  echo "   inventory: $inventory (shared by the replicas, outside the cgroups)"
  gateway_args=(--urls http://127.0.0.1:0)
  for i in 0 1 2; do
    gateway_args+=("--ReverseProxy:Clusters:shop:Destinations:${REPLICAS[$i]}:Address=${urls[$i]}/")
  done
  if [[ $policy == PowerOfTwoChoices ]]; then
    gateway_args+=(--ReverseProxy:Clusters:shop:LoadBalancingPolicy=PowerOfTwoChoices
      --ReverseProxy:Clusters:shop:HealthCheck:Active:Policy=ConsecutiveFailures
      --ReverseProxy:Clusters:shop:HealthCheck:Passive:Enabled=false)
  fi
  log="$WORK/$policy-gateway.log"
  dotnet "$GATEWAY" "${gateway_args[@]}" >"$log" 2>&1 &
  PIDS+=($!)
  local gateway
  gateway=$(wait_url "$log" 'Gateway listening on' "$!")
  echo "   gateway: $gateway, dotnet Gateway.dll ${gateway_args[*]}"

  echo "   warm-up: ${WARMUP} s of core requests through the gateway"
  load "$policy-warmup" "$gateway" POST /checkout "$CORE_RPS" "$CORE_CONNECTIONS" "$WARMUP" "$CHECKOUT"
  wait "$LOAD_PID" || true
  echo "   load: ${SECONDS_PER_RUN} s, POST /checkout at ~$CORE_RPS/s ($CORE_CONNECTIONS connections) and POST /reports/leak/native?mb=1 at ~$LEAK_MBPS/s ($LEAK_CONNECTIONS connections), together"
  load "$policy-core" "$gateway" POST /checkout "$CORE_RPS" "$CORE_CONNECTIONS" "$SECONDS_PER_RUN" "$CHECKOUT"
  local core_pid=$LOAD_PID
  load "$policy-leak" "$gateway" POST '/reports/leak/native?mb=1' "$LEAK_MBPS" "$LEAK_CONNECTIONS" "$SECONDS_PER_RUN"
  local leak_pid=$LOAD_PID
  # A line every 5 s: each replica's level and working set, straight from the replicas.
  local started=$SECONDS next=5
  while kill -0 "$core_pid" 2>/dev/null || kill -0 "$leak_pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS - started >= next)); then next=$((next + 5))
      local line="   t=$((SECONDS - started))s"
      for i in 0 1 2; do
        line+="  ${REPLICAS[$i]}: $(replica_state "$(eval echo "\$URL_${policy}_$i")")"
      done
      echo "$line"
    fi
  done
  wait "$core_pid" || true
  wait "$leak_pid" || true

  for i in 0 1 2; do
    name=${REPLICAS[$i]}
    cg="$HIERARCHY/$TAG-$policy-$name"
    local pid alive=no level=killed replica_url
    pid=$(eval echo "\$PID_${policy}_$i")
    replica_url=$(eval echo "\$URL_${policy}_$i")
    if kill -0 "$pid" 2>/dev/null; then
      alive=yes
      level=$(highest_level "$replica_url")
    fi
    eval "ALIVE_${policy}_$i=$alive LEVEL_${policy}_$i=$level"
    eval "PEAK_${policy}_$i=$(($(cat "$cg/memory.max_usage_in_bytes") / 1048576))"
    eval "OOM_${policy}_$i=$(sed -nE 's/^oom_kill ([0-9]+)$/\1/p' "$cg/memory.oom_control")"
  done
  grep -hE 'Memory pressure|Shedding|unhealthy|Unhealthy' "$WORK/$policy"-*.log 2>/dev/null | head -6 | sed 's/^/   log: /' || true
  stop_processes
  for i in 0 1 2; do remove_cgroup "$HIERARCHY/$TAG-$policy-${REPLICAS[$i]}"; done
}

echo "== fleet: gateway + 3 ShopApi replicas (cgroup v1 limits $LIMIT_MB, $LIMIT_MB, $SMALL_LIMIT_MB MB), ${SECONDS_PER_RUN} s per run, leak ${LEAK_MBPS} MB/s + ${CORE_RPS} core requests/s through the gateway"
echo "   machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, kernel $(uname -r), dotnet $(dotnet --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for policy in $POLICIES; do run "$policy"; done

echo
echo "== results (markdown)"
echo
echo "| policy | replica | limit | requests received | share | 429 shed | 5xx | highest level | leak held | cgroup peak | survived |"
echo "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|"
for policy in $POLICIES; do
  all=0
  for name in "${REPLICAS[@]}" -; do
    c=$(replica_line "$policy-core" "$name"); l=$(replica_line "$policy-leak" "$name")
    all=$((all + $(field "$c" total) + $(field "$l" total)))
  done
  for i in 0 1 2 3; do
    if [[ $i == 3 ]]; then name=-; else name=${REPLICAS[$i]}; fi
    c=$(replica_line "$policy-core" "$name"); l=$(replica_line "$policy-leak" "$name")
    total=$(($(field "$c" total) + $(field "$l" total)))
    shed=$(($(field "$c" shed) + $(field "$l" shed)))
    errors=$(($(field "$c" server_error) + $(field "$l" server_error)))
    share=$(awk -v a="$total" -v b="$all" 'BEGIN { printf "%.1f%%", b ? 100 * a / b : 0 }')
    if [[ $i == 3 ]]; then
      [[ $total == 0 ]] && continue
      echo "| $policy | (gateway's own answers) | | $total | $share | $shed | $errors | | | | |"
      continue
    fi
    alive=$(eval echo "\$ALIVE_${policy}_$i"); oom=$(eval echo "\$OOM_${policy}_$i")
    survived="yes, oom_kill $oom"; [[ $alive == yes ]] || survived="**no**, oom_kill $oom"
    # Each 2xx answer to the leak load is 1 MB of native memory the replica still holds (none is freed).
    echo "| $policy | $name | $(eval echo "\$LIMIT_${policy}_$i") MB | $total | $share | $shed | $errors | $(eval echo "\$LEVEL_${policy}_$i") | $(field "$l" ok) MB | $(eval echo "\$PEAK_${policy}_$i") MB | $survived |"
  done
done
echo
echo "| policy | core served of sent | non-core: 2xx / 429 / 5xx of sent | all requests 2xx | socket errors | core p50 / p99 | non-core p50 / p99 |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for policy in $POLICIES; do
  c=$(grep '^RESULT' "$WORK/$policy-core.txt" || true); l=$(grep '^RESULT' "$WORK/$policy-leak.txt" || true)
  if [[ -z "$c" || -z "$l" ]]; then cat "$WORK/$policy-core.txt" "$WORK/$policy-leak.txt" >&2; echo "wrk gave no result ($policy)" >&2; exit 1; fi
  sockets_c=$(($(field "$c" connect) + $(field "$c" read) + $(field "$c" write) + $(field "$c" timeout)))
  sockets_l=$(($(field "$l" connect) + $(field "$l" read) + $(field "$l" write) + $(field "$l" timeout)))
  core_sent=$(($(field "$c" requests) + sockets_c)); leak_sent=$(($(field "$l" requests) + sockets_l))
  ok_all=$(($(field "$c" ok) + $(field "$l" ok))); sent_all=$((core_sent + leak_sent))
  failed=$((sent_all - ok_all))
  ratio=$(awk -v a="$ok_all" -v b="$sent_all" 'BEGIN { printf "%.2f", b ? 100 * a / b : 0 }')
  eval "CORE_OK_$policy=$(field "$c" ok) CORE_SENT_$policy=$core_sent FAILED_$policy=$failed RATIO_$policy=$ratio"
  echo "| $policy | $(field "$c" ok) of $core_sent | $(field "$l" ok) / $(field "$l" shed) / $(field "$l" server_error) of $leak_sent | $ok_all of $sent_all ($ratio%) | $((sockets_c + sockets_l)) | $(field "$c" p50_ms) / $(field "$c" p99_ms) ms | $(field "$l" p50_ms) / $(field "$l" p99_ms) ms |"
done

echo
echo "== verdict"
ok=yes
if [[ " $POLICIES " == *" MemoryPressure "* ]]; then
  p=MemoryPressure; fine=yes
  for i in 0 1 2; do
    [[ $(eval echo "\$ALIVE_${p}_$i") == yes && $(eval echo "\$OOM_${p}_$i") == 0 ]] || fine=no
  done
  core_ok=$(eval echo "\$CORE_OK_$p"); core_sent=$(eval echo "\$CORE_SENT_$p"); ratio=$(eval echo "\$RATIO_$p")
  if [[ $fine == yes && $core_sent -gt 0 && $core_ok == "$core_sent" ]] && awk -v r="$ratio" 'BEGIN { exit !(r >= 99.9) }'; then
    echo "MemoryPressure: PASS: every replica alive, oom_kill 0, core $core_ok of $core_sent, $ratio% of all requests 2xx (>= 99.9%)."
  else
    echo "MemoryPressure: FAIL: replicas alive/oom_kill: $(for i in 0 1 2; do echo -n "$(eval echo "\$ALIVE_${p}_$i")/$(eval echo "\$OOM_${p}_$i") "; done)core $core_ok of $core_sent, $ratio% of all requests 2xx (needs >= 99.9%)."; ok=no
  fi
fi
if [[ " $POLICIES " == *" MemoryPressure "* && " $POLICIES " == *" PowerOfTwoChoices "* ]]; then
  small_level=$LEVEL_PowerOfTwoChoices_2
  if [[ $small_level == High || $small_level == Critical || $small_level == killed ]]; then
    echo "PowerOfTwoChoices: the small replica (${SMALL_LIMIT_MB} MB) reached $small_level: the load stressed it (the comparison means something)."
  else
    echo "PowerOfTwoChoices: FAIL: the small replica only reached $small_level: the load did not stress the fleet, the comparison shows nothing (raise LEAK_MBPS or SECONDS_PER_RUN)."; ok=no
  fi
  if [[ $FAILED_MemoryPressure -lt $FAILED_PowerOfTwoChoices ]]; then
    echo "comparison: PASS: client-visible failures $FAILED_MemoryPressure with MemoryPressure against $FAILED_PowerOfTwoChoices with PowerOfTwoChoices."
  else
    echo "comparison: FAIL: client-visible failures $FAILED_MemoryPressure with MemoryPressure against $FAILED_PowerOfTwoChoices with PowerOfTwoChoices."; ok=no
  fi
fi
[[ $ok == yes ]]
