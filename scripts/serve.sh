#!/usr/bin/env bash
# Builds and runs StreamLab. For now: the seed pipeline example (streamlab-native), natively.
# Later: builds the web app (trunk) and serves it on localhost.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STREAMLAB_ROOT"

bash scripts/setup.sh

EXAMPLE=seed_pipeline

# Which workspace package has an example target named $EXAMPLE? (cargo metadata knows
# auto-discovered examples/*.rs and examples/*/main.rs as well as [[example]] entries.)
# It lives in streamlab-native (the engine itself has no disk); any package will do.
metadata="$(cargo metadata --no-deps --format-version 1)" || { echo "serve: cargo metadata failed" >&2; exit 1; }
PACKAGE="$(printf '%s' "$metadata" | python3 -c '
import json, sys
meta = json.load(sys.stdin)
hits = [p["name"] for p in meta["packages"] for t in p["targets"]
        if t["name"] == sys.argv[1] and "example" in t["kind"]]
print(hits[0] if hits else "")
' "$EXAMPLE")"

if [ -z "$PACKAGE" ]; then
  echo "serve: no package has an example named '$EXAMPLE' yet"
  echo "serve: (expected at crates/native/examples/$EXAMPLE.rs); nothing to run."
  exit 0
fi

echo "serve: cargo run --release -p $PACKAGE --example $EXAMPLE $*"
exec cargo run --release -p "$PACKAGE" --example "$EXAMPLE" -- "$@"
