#!/usr/bin/env bash
# Builds the browser page (crates/web, with trunk in release mode: Trunk.toml, index.html)
# and serves it on http://127.0.0.1:${PORT:-8080}/ until interrupted. Everything runs in the
# page: the engine, the lesson and the sample data (data/activity, fetched by the page).
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STREAMLAB_ROOT"

bash scripts/setup.sh

PORT="${PORT:-8080}"
trunk build --release
echo "serve: StreamLab on http://127.0.0.1:$PORT/ (Ctrl+C stops it)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
