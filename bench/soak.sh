#!/usr/bin/env bash
# Soak with chaos: bench/LeakyService (--soak) on real Kestrel at 127.0.0.1, driven by bench/SoakDriver
# for SOAK_SECONDS, and at the same time:
#   load       4 clients, 60 requests/s in all: 2/3 core POST /orders, 1/3 non-core GET /catalog/{id};
#   leaks      after the warm-up, cycles of 8 s leaking 10 MB/s (managed POST /leak and native
#              POST /native, alternating), released (DELETE), memory read 4 s later after a full GC;
#   contracts  the contract file rewritten every 3 s: good and bad versions alternating (syntax,
#              semantic, unknown key, unknown responder, empty, deleted), some good ones half-written
#              for 1.5 s first, written in place, by rename, and by symbolic link swap;
#   responder  soak_throws, named at every level, throws on entering a level and on undoing;
#   snapshots  the snapshot directory, in turns of 5 s: fine, replaced by a file, a full 64 KB tmpfs
#              (a file again when mount is not allowed);
#   cgroup     where a writable cgroup v1 memory controller exists, the service in its own cgroup
#              (/sys/fs/cgroup/memory/mc-bench-soak-<random>), limit 1024 MB, lowered to the warm-up
#              RSS + 200 MB and raised back every 7 s.
# At the end it prints and checks: alive, graceful SIGTERM exit 0, no unhandled exception, every core
# request served, the guard's tick lag (max, p99), threads and fds flat, memory back near baseline
# after each leak cycle, every bad contract refused with the last good one kept, each fault counted.
#
#   bash bench/soak.sh                      # 10 minutes
#   SOAK_SECONDS=60 bash bench/soak.sh      # what CI runs (tests/MemoryContracts.Tests/Soak)
#   SOAK_CGROUP=off bash bench/soak.sh      # without the cgroup part (auto: when available; on: required)
#   SOAK_MAX_LAG_MS=10000 SOAK_P99_LAG_MS=1000 bash bench/soak.sh   # the tick lag bounds (the defaults)
#
# Loopback only, bounded in time (SOAK_SECONDS + a fixed margin) and rate. The service, the cgroup, the
# tmpfs mount and the scratch directory are removed on exit, failure and Ctrl-C included. Exit code 0
# when every check held.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_CGROUP=${SOAK_CGROUP:-auto}
SOAK_MAX_LAG_MS=${SOAK_MAX_LAG_MS:-10000}
SOAK_P99_LAG_MS=${SOAK_P99_LAG_MS:-1000}
HIERARCHY=/sys/fs/cgroup/memory
CGROUP_NAME="mc-bench-soak-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
WORK=$(mktemp -d)
DRIVER_PID=""

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cleanup() {
  if [[ -n "$DRIVER_PID" ]] && kill -0 "$DRIVER_PID" 2>/dev/null; then
    # The driver cleans up after itself on SIGINT; give it a moment, then make sure.
    kill -INT "$DRIVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$DRIVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$DRIVER_PID" 2>/dev/null || true
  fi
  # Whatever is left: the service in our cgroup, a tmpfs under $WORK, the cgroup, the scratch files.
  if [[ -d "$HIERARCHY/$CGROUP_NAME" ]]; then
    for pid in $(cat "$HIERARCHY/$CGROUP_NAME/cgroup.procs" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 50); do rmdir "$HIERARCHY/$CGROUP_NAME" 2>/dev/null && break; sleep 0.1; done
  fi
  awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building bench/LeakyService and bench/SoakDriver (Release)"
dotnet build "$ROOT/bench/LeakyService/LeakyService.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build "$ROOT/bench/SoakDriver/SoakDriver.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
echo "   machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, kernel $(uname -r), dotnet $(dotnet --version)"

timeout $((SOAK_SECONDS + 180)) dotnet "$ROOT/bench/SoakDriver/bin/Release/net10.0/SoakDriver.dll" \
  --service "$ROOT/bench/LeakyService/bin/Release/net10.0" --seconds "$SOAK_SECONDS" --work "$WORK" \
  --cgroup "$SOAK_CGROUP" --cgroup-name "$CGROUP_NAME" --max-lag-ms "$SOAK_MAX_LAG_MS" --p99-lag-ms "$SOAK_P99_LAG_MS" &
DRIVER_PID=$!
set +e; wait "$DRIVER_PID"; code=$?; set -e
DRIVER_PID=""
exit "$code"
