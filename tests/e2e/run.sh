#!/usr/bin/env bash
# End-to-end tests of the browser page: builds it as scripts/serve.sh does (trunk, release),
# serves dist/ on 127.0.0.1, starts ChromeDriver, and runs tests/e2e (thirtyfour) against
# them. Prints cargo's `test result:` line, which scripts/test.sh counts. Screenshots:
# tests/artifacts/.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$STREAMLAB_ROOT"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { # port pid name
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "e2e: $3 did not start" >&2
  return 1
}

# Its own target folder: the WebDriver client shares no build with the engine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$STREAMLAB_ROOT/target}"
trunk build --release

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

page_port="$(free_port)"
python3 -m http.server "$page_port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$page_port" "${PIDS[-1]}" "the page server"

driver_port="$(free_port)"
"$CHROMEDRIVER" --port="$driver_port" >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$driver_port" "${PIDS[-1]}" "ChromeDriver"

export STREAMLAB_E2E_URL="http://127.0.0.1:$page_port/"
export STREAMLAB_WEBDRIVER_URL="http://127.0.0.1:$driver_port"
# One browser at a time: the machine has two cores and each test drives a live page.
# Arguments select tests (`--test bench`, as scripts/bench-web.sh does); none runs them all.
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/e2e" cargo test --manifest-path tests/e2e/Cargo.toml "$@" -- --test-threads=1
