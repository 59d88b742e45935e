#!/usr/bin/env bash
# Every StreamLab test, in order, failing fast:
#   1. setup       scripts/setup.sh (tools, browser, Python venv, broker)
#   2. native      cargo test --workspace
#   3. wasm        each crate with wasm tests, compiled to wasm32 and run in headless Chromium
#   4. e2e         (hook) browser tests against the served web app
#   5. kafka       (hook) tests against a tansu broker on loopback
# Prints one closing line `N passed, N failed` (summed over every `test result:` line) and
# exits non-zero on the first failure. Logs go to target/test-logs/.
set -uo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STREAMLAB_ROOT" || exit 1

LOG_DIR="$STREAMLAB_ROOT/target/test-logs"
mkdir -p "$LOG_DIR"
PASSED=0 FAILED=0 IGNORED=0
RUN_START=$SECONDS
TIMINGS=()

summary() {
  echo
  echo "== timings: ${TIMINGS[*]:-none} total=$((SECONDS - RUN_START))s; ignored tests: $IGNORED"
  echo "$PASSED passed, $FAILED failed"
}

# Adds up the result lines in log $1: cargo's and wasm-bindgen-test's
# `test result: ok. 7 passed; 0 failed; 1 ignored; ...`, and a plain `N passed, N failed`
# line that a hook's own runner may print. Sets SECTION_FAILED.
count_results() {
  local p f i
  read -r p f i < <(awk '
    /^test result: / {
      for (k = 1; k <= NF; k++) {
        v = $(k - 1) + 0
        if ($k ~ /^passed/) p += v; else if ($k ~ /^failed/) f += v; else if ($k ~ /^ignored/) i += v
      }
      next
    }
    /^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed/ {
      line = $0; sub(/^[A-Za-z0-9_-]+: /, "", line); split(line, w, /[ ,]+/)
      p += w[1]; f += w[3]; if (w[6] ~ /^skipped/) i += w[5]
    }
    END { print p + 0, f + 0, i + 0 }' "$1")
  PASSED=$((PASSED + p)) FAILED=$((FAILED + f)) IGNORED=$((IGNORED + i))
  SECTION_FAILED=$f
}

# run NAME COMMAND...: runs one step with its output shown and logged, counts its results,
# and stops the whole run (summary, non-zero exit) if it fails.
run() {
  local name="$1" log="$LOG_DIR/$1.log" start=$SECONDS rc
  shift
  echo "== $name: $*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  count_results "$log"
  TIMINGS+=("$name=$((SECONDS - start))s")
  if [ "$rc" -ne 0 ]; then
    # A build error or a crashed runner prints no result line: count it as one failure.
    [ "$SECTION_FAILED" -gt 0 ] || FAILED=$((FAILED + 1))
    echo "== $name FAILED (exit $rc); log: $log"
    summary
    exit "$rc"
  fi
}

# ---------------------------------------------------------------------------------------
# 1. setup
# ---------------------------------------------------------------------------------------
run setup bash scripts/setup.sh

# ---------------------------------------------------------------------------------------
# 2. native: every crate's unit, integration and doc tests
# ---------------------------------------------------------------------------------------
run native cargo test --workspace

# ---------------------------------------------------------------------------------------
# 3. wasm: crates whose sources or tests use wasm_bindgen_test, in headless Chromium
#    (CHROMEDRIVER, WASM_BINDGEN_TEST_WEBDRIVER_JSON, WASM_BINDGEN_USE_BROWSER: env.sh).
#    `--tests` leaves out doc tests: on wasm32 rustdoc would hand each one to the runner,
#    which finds no #[wasm_bindgen_test] in it and reports a pass without running anything.
# ---------------------------------------------------------------------------------------
for manifest in crates/*/Cargo.toml; do
  dir="$(dirname "$manifest")"
  grep -rqs --include='*.rs' 'wasm_bindgen_test' "$dir/src" "$dir/tests" || continue
  pkg="$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$manifest" | head -1)"
  run "wasm-$pkg" cargo test --target wasm32-unknown-unknown -p "$pkg" --tests
done

# ---------------------------------------------------------------------------------------
# 4. e2e (hook): browser tests against the web app that scripts/serve.sh builds.
#    When tests/e2e/run.sh exists it is run; it should print cargo's `test result:` lines
#    or a plain `N passed, N failed` line so that its tests are counted here.
# ---------------------------------------------------------------------------------------
if [ -x tests/e2e/run.sh ] || [ -f tests/e2e/run.sh ]; then
  run e2e bash tests/e2e/run.sh
else
  echo "== e2e: no tests yet (tests/e2e/run.sh is absent)"
fi

# ---------------------------------------------------------------------------------------
# 5. kafka (hook): a tansu broker on 127.0.0.1, in memory, for the Kafka source and sink.
#    Tests reach it through STREAMLAB_KAFKA_BOOTSTRAP. Until Kafka tests exist, a Python
#    round trip (produce, consume one record) checks that the broker and client work.
# ---------------------------------------------------------------------------------------
BROKER_PID=""
stop_broker() { if [ -n "$BROKER_PID" ]; then kill "$BROKER_PID" 2>/dev/null; wait "$BROKER_PID" 2>/dev/null; BROKER_PID=""; fi; }
trap stop_broker EXIT
start_broker() {
  local port
  port="$("$STREAMLAB_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  export STREAMLAB_KAFKA_BOOTSTRAP="127.0.0.1:$port"
  "$TANSU_BIN" broker --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port" \
    --storage-engine memory://tansu/ >"$LOG_DIR/tansu.log" 2>&1 &
  BROKER_PID=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$BROKER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "== kafka: tansu did not start; log: $LOG_DIR/tansu.log"; cat "$LOG_DIR/tansu.log"
  return 1
}
if start_broker; then
  echo "== kafka: tansu broker (pid $BROKER_PID) on $STREAMLAB_KAFKA_BOOTSTRAP"
  if [ -f tests/kafka/run.sh ]; then
    run kafka bash tests/kafka/run.sh
  else
    run kafka-smoke "$STREAMLAB_PYTHON" scripts/kafka_smoke.py
  fi
  stop_broker
else
  FAILED=$((FAILED + 1)); summary; exit 1
fi

summary
