# Shell functions the bench scripts share; sourced (". bench/lib.sh") after `cd` to the repository root.

# as_root CMD...: runs CMD as root (directly when already root, through sudo otherwise).
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# remove_cgroup DIR: removes a cgroup this script made. An exited process leaves its cgroup a moment
# later, so it retries briefly; says what the cgroup still holds when it cannot.
remove_cgroup() {
  local dir=$1
  [[ -d $dir ]] || return 0
  for _ in $(seq 1 50); do
    rmdir "$dir" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "could not remove $dir (still holds: $(tr '\n' ' ' <"$dir/cgroup.procs"))" >&2
}

# ensure_wrk EXIT_CODE: installs wrk from Debian's packages when it is missing; exits with EXIT_CODE
# when it cannot.
ensure_wrk() {
  command -v wrk >/dev/null && return 0
  echo "== installing wrk (Debian package)"
  { as_root apt-get update -qq && as_root apt-get install -y -qq wrk; } >/dev/null 2>&1 || { echo "could not install wrk" >&2; exit "$1"; }
}

# wait_url LOG PATTERN PID: prints the first http://127.0.0.1:PORT after PATTERN in LOG once it
# appears (30 s at most); exits 1, printing LOG, when it does not or the process PID ends first.
wait_url() {
  local log=$1 pattern=$2 pid=$3 url=""
  for _ in $(seq 1 300); do
    url=$(grep -soE "$pattern http://127\.0\.0\.1:[0-9]+" "$log" | head -1 | grep -oE 'http://.*' || true)
    [[ -n "$url" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$url" ]]; then cat "$log" >&2; echo "process $pid ($log) did not start" >&2; exit 1; fi
  echo "$url"
}
