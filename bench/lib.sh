# Shared by the benchmarks: sourced after they set "pids" (the children their cleanup stops).

fail() { echo "bench: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }

# A port the kernel has just handed out and released; nothing else on this machine asks for one in between
# often enough to matter, and a server that cannot bind it fails loudly.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
answers() { # url: true once an HTTP request gets any status line back
  python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
try:
    # No proxy from the environment: the server is on loopback (our tools, wrk and hey ignore proxies too).
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(sys.argv[1], timeout=2).read()
except Exception as e:
    sys.exit(0 if hasattr(e, "code") else 1)
PY
}
wait_for() { # url seconds server-pid: false at the deadline or as soon as the server has exited
  local deadline=$((SECONDS + $2))
  until answers "$1"; do
    [ $SECONDS -ge $deadline ] && return 1
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
}

# nginx answering "ok" to everything, from its own config in "$work/nginx" (nothing written under /etc or /var/log),
# on a free loopback port; sets nginx_url. worker_connections and the backlog: the simulator opens up to
# --max-in-flight (1000) connections; at nginx's default of 512 it reuses (drops) connections and the client sees resets.
start_nginx() {
  nginx_dir="$work/nginx"
  mkdir -p "$nginx_dir"
  nginx_port=$(free_port)
  cat >"$nginx_dir/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 8192;
error_log $nginx_dir/error.log warn;
pid $nginx_dir/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $nginx_dir/body;
  proxy_temp_path $nginx_dir/proxy;
  fastcgi_temp_path $nginx_dir/fastcgi;
  uwsgi_temp_path $nginx_dir/uwsgi;
  scgi_temp_path $nginx_dir/scgi;
  server {
    listen 127.0.0.1:$nginx_port backlog=4096;
    location / { return 200 "ok"; }
  }
}
CONF
  say "starting nginx on 127.0.0.1:$nginx_port (its own config in a temp folder)"
  # -e: the startup error log too, so nothing is written under /var/log.
  nginx -p "$nginx_dir" -e "$nginx_dir/error.log" -c "$nginx_dir/nginx.conf" >"$nginx_dir/stdout.log" 2>&1 &
  pids+=($!)
  nginx_url="http://127.0.0.1:$nginx_port"
  if ! wait_for "$nginx_url/" 10 "${pids[-1]}"; then
    cat "$nginx_dir/stdout.log" "$nginx_dir/error.log" >&2 2>/dev/null
    fail "nginx did not answer on $nginx_url (its output is above)"
  fi
}

# Runs a command in the background and waits for it, so that a trap can stop it (bash holds a trap until a
# foreground command has finished, but a signal interrupts "wait"); returns the command's exit code. Its output
# goes to a file given here rather than by redirecting the call, so a trap's own message still reaches the terminal.
run_stoppable() { # output-file command...
  local log="$1"; shift
  "$@" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait "$pid"
  local rc=$?
  unset 'pids[-1]' # finished: its id must not be signalled later, it may belong to someone else by then
  return $rc
}

# Arithmetic on figures, 4 decimals.
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
