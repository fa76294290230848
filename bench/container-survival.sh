#!/usr/bin/env bash
# Container survival run: bench/LeakyService in a real memory cgroup (v1) with a 400 MB limit, while
# non-core requests (POST /native, module imaging) leak native memory the GC never sees
# (NativeMemory.Alloc, every page written, so it is resident) and a client outside the cgroup sends
# core requests (POST /orders). Three runs, each in its own fresh cgroup:
#   bare     no MemoryContracts: the kernel's OOM killer must kill it (exit 137, oom_kill > 0);
#   guarded  bench/LeakyService/container_contract.yaml: it must stay alive to the end, serve every
#            core request and leave oom_kill at 0;
#   cache    guarded, the non-core client scans files twice the limit's size (written and read back
#            through the page cache charged to the cgroup): the level must stay Normal, nothing shed.
#            The files are flushed to disk every 16 MB (SCAN_WRITE=sync): clean cache the kernel can drop.
#            SCAN_WRITE=buffered writes as fast as the cache takes it; under cgroup v1 the kernel's
#            reclaim then moves pages waiting for writeback to the active list, where they count in
#            the working set (the kubelet's too) — that variant is reported, not required to pass.
#
#   bash bench/container-survival.sh                        # 30 s per run, 60 MB/s of native leak, 50 core requests/s
#   SECONDS_PER_RUN=20 GROWTH_MBPS=100 bash bench/container-survival.sh
#   RUNS=cache SCAN_WRITE=buffered bash bench/container-survival.sh   # only the page-cache run, buffered writes
#
# Needs root and the cgroup v1 memory controller mounted read-write at /sys/fs/cgroup/memory (exit 2
# otherwise). Each cgroup is /sys/fs/cgroup/memory/mc-bench-<random>-<run> and holds only the service
# this script started; the cgroups, the processes and the scratch files are removed on exit, failure
# and Ctrl-C included. Loopback only, bounded in time and requests. Exit code 0 when every run shows
# what it should.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
. bench/lib.sh
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
GROWTH_MBPS=${GROWTH_MBPS:-60}
CORE_RPS=${CORE_RPS:-50}
SCAN_WRITE=${SCAN_WRITE:-sync}
RUNS=${RUNS:-bare guarded cache}
LIMIT_MB=${LIMIT_MB:-400}
SCAN_MB=$((2 * LIMIT_MB))
HIERARCHY=/sys/fs/cgroup/memory
APP="$ROOT/bench/LeakyService/bin/Release/net10.0/LeakyService.dll"
TAG="mc-bench-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
WORK=$(mktemp -d)
SERVER_PID=""
CGROUPS=()

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  for dir in "${CGROUPS[@]}"; do remove_cgroup "$dir"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $(id -u) -ne 0 ]]; then echo "needs root to create memory cgroups under $HIERARCHY" >&2; exit 2; fi
if ! grep -qE "^[^ ]+ [^ ]+ [^ ]+ [^ ]+ $HIERARCHY rw[, ].* - cgroup " /proc/self/mountinfo; then
  echo "needs the cgroup v1 memory controller mounted read-write at $HIERARCHY" >&2; exit 2
fi
# The scanned files must be page cache the kernel can drop: not tmpfs (shared memory).
if [[ $(stat -f -c %T "$WORK") == tmpfs ]]; then
  rm -rf "$WORK"; WORK=$(mktemp -d -p "$ROOT/bench")
fi

echo "== building bench/LeakyService (Release)"
dotnet build "$ROOT/bench/LeakyService/LeakyService.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

# run NAME GROWTH [--no-contracts]: starts the service in a fresh cgroup, drives it from outside,
# and sets RESULT_<NAME>, EXIT_<NAME>, ALIVE_<NAME>, PEAK_<NAME>, OOM_<NAME>.
run() {
  local name=$1 growth=$2 extra=() log="$WORK/server-$1.log" cg="$HIERARCHY/$TAG-$1"
  [[ ${3:-} == --no-contracts ]] && extra=(--no-contracts) || extra=(--contract container_contract.yaml)
  mkdir "$cg"; CGROUPS+=("$cg")
  echo $((LIMIT_MB * 1024 * 1024)) >"$cg/memory.limit_in_bytes"
  # No swap either (where swap accounting exists): the limit is the limit.
  echo $((LIMIT_MB * 1024 * 1024)) >"$cg/memory.memsw.limit_in_bytes" 2>/dev/null || true
  echo
  echo "== $name run: cgroup $cg (memory.limit_in_bytes = $LIMIT_MB MB); dotnet LeakyService.dll ${extra[*]} --urls http://127.0.0.1:0"
  # The subshell moves itself into the cgroup, then becomes the service: the runtime starts inside it.
  ( echo "$BASHPID" >"$cg/cgroup.procs"; TMPDIR="$WORK" exec dotnet "$APP" "${extra[@]}" --urls http://127.0.0.1:0 >"$log" 2>&1 ) &
  SERVER_PID=$!
  local url=""
  for _ in $(seq 1 150); do
    url=$(grep -soE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" | head -1 | sed 's/listening on //' || true)
    [[ -n "$url" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$url" ]]; then cat "$log" >&2; echo "LeakyService ($name) did not start" >&2; exit 1; fi
  grep -m1 'LeakyService listening on' "$log" | sed 's/^/   /'
  echo "   cgroup.procs: $(tr '\n' ' ' <"$cg/cgroup.procs")(the service, pid $SERVER_PID); the client below runs outside it"

  timeout $((SECONDS_PER_RUN + 60)) dotnet "$APP" drive --url "$url" --seconds "$SECONDS_PER_RUN" --growth "$growth" \
    --growth-mbps "$GROWTH_MBPS" --core-rps "$CORE_RPS" --scan-mb "$SCAN_MB" --scan-write "$SCAN_WRITE" --cgroup "$cg" | tee "$WORK/drive-$name.txt"

  local alive=no code
  if kill -0 "$SERVER_PID" 2>/dev/null; then alive=yes; kill "$SERVER_PID"; fi
  set +e; wait "$SERVER_PID"; code=$?; set -e
  SERVER_PID=""
  local peak oom
  peak=$(( $(cat "$cg/memory.max_usage_in_bytes") / 1048576 ))
  oom=$(sed -nE 's/^oom_kill ([0-9]+)$/\1/p' "$cg/memory.oom_control")
  printf -v "RESULT_$name" '%s' "$(grep '^RESULT' "$WORK/drive-$name.txt")"
  printf -v "EXIT_$name" '%s' "$code"
  printf -v "ALIVE_$name" '%s' "$alive"
  printf -v "PEAK_$name" '%s' "$peak"
  printf -v "OOM_$name" '%s' "${oom:-unknown}"
  echo "   server: alive at the end: $alive; exit code: $code; cgroup peak (memory.max_usage_in_bytes): $peak MB; OOM kills (memory.oom_control oom_kill): ${oom:-unknown}"
  local lines
  lines=$(grep -E 'Memory pressure|Shedding|growing fast|trim|Trimmed' "$log" | head -4 || true)
  [[ -n "$lines" ]] && sed 's/^/   server log: /' <<<"$lines"
  remove_cgroup "$cg"
}

field() { sed -E "s/.* $2=([^ ]+).*/\1/" <<<"$1"; }

echo "== container survival: $LIMIT_MB MB memory cgroup v1, ${GROWTH_MBPS} MB/s of native leak through non-core POST /native, ${CORE_RPS} core requests/s from outside the cgroup, ${SECONDS_PER_RUN} s per run"
echo "   page-cache run: files of $SCAN_MB MB, written with SCAN_WRITE=$SCAN_WRITE, then read back"
echo "   machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, kernel $(uname -r), dotnet $(dotnet --version)"
wants() { [[ " $RUNS " == *" $1 "* ]]; }
wants bare && run bare native --no-contracts
wants guarded && run guarded native
wants cache && run cache files

echo
echo "== verdict"
ok=yes
if wants bare; then
r=$RESULT_bare
if [[ $ALIVE_bare == no && $EXIT_bare == 137 && $OOM_bare =~ ^[1-9] ]]; then
  echo "bare:    PASS (as expected): the kernel OOM-killed it after $(field "$r" seconds) s (exit code 137, oom_kill $OOM_bare, cgroup peak $PEAK_bare MB, native leak served $(field "$r" noncore_served) MB); core requests served $(field "$r" core_served) of $(field "$r" core_sent)."
else
  echo "bare:    UNEXPECTED: alive $ALIVE_bare, exit code $EXIT_bare, oom_kill $OOM_bare."; ok=no
fi
fi
if wants guarded; then
r=$RESULT_guarded
if [[ $ALIVE_guarded == yes && $OOM_guarded == 0 && $(field "$r" core_sent) -gt 0 && $(field "$r" core_served) == "$(field "$r" core_sent)" ]]; then
  echo "guarded: PASS: alive after $(field "$r" seconds) s, core requests served $(field "$r" core_served) of $(field "$r" core_sent) (100%), oom_kill 0, cgroup peak $PEAK_guarded MB, peak working set $(field "$r" peak_working_set_mb) MB; native leak held at $(field "$r" native_mb) MB, $(field "$r" noncore_shed) non-core requests shed, highest level $(field "$r" highest_level)."
else
  echo "guarded: FAIL: alive $ALIVE_guarded, oom_kill $OOM_guarded, core requests served $(field "$r" core_served) of $(field "$r" core_sent)."; ok=no
fi
fi
if wants cache; then
r=$RESULT_cache
if [[ $ALIVE_cache == yes && $OOM_cache == 0 && $(field "$r" highest_level) == Normal && $(field "$r" noncore_shed) == 0 && $(field "$r" noncore_failed) == 0 \
      && $(field "$r" noncore_served) -gt 0 && $(field "$r" core_served) == "$(field "$r" core_sent)" ]]; then
  echo "cache:   PASS: $(field "$r" noncore_served) scans of a $SCAN_MB MB file ($SCAN_WRITE writes, $(field "$r" grown_mb) MB written and read) in a $LIMIT_MB MB cgroup: cgroup peak $PEAK_cache MB, peak working set $(field "$r" peak_working_set_mb) MB; highest level Normal, highest X-Memory-Usage $(field "$r" max_usage_header)%, 0 shed, core $(field "$r" core_served)/$(field "$r" core_sent), oom_kill 0."
else
  echo "cache:   FAIL ($SCAN_WRITE writes): highest level $(field "$r" highest_level), shed $(field "$r" noncore_shed), scans failed $(field "$r" noncore_failed), oom_kill $OOM_cache, alive $ALIVE_cache, peak working set $(field "$r" peak_working_set_mb) MB, highest X-Memory-Usage $(field "$r" max_usage_header)%."; ok=no
fi
fi
[[ $ok == yes ]]
