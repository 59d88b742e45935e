#!/usr/bin/env bash
# A short fuzzing campaign over every target in fuzz/ (cargo fuzz, libFuzzer), SECONDS each
# (default 60). Not part of scripts/test.sh: campaigns are run by hand before a release and
# whenever a parser changes; a crash leaves its input in fuzz/artifacts/<target>/.
#
#   ./scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STREAMLAB_ROOT"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz)
# cargo fuzz needs nightly-only flags (sanitizers); this machine has one stable toolchain, which
# accepts them when told it is bootstrapping itself.
export RUSTC_BOOTSTRAP=1
# No leak checks: a session and its queries hold each other (Rc), so every session the python
# and sql targets build outlives its input. The campaign hunts panics and hangs.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
for target in "${targets[@]}"; do
  echo "== fuzz $target for ${seconds}s"
  # Seeds: fuzz/corpus/<target> plus the repository's own examples of that input (the PySpark
  # scripts for cells, the lessons for notebook files). New inputs go to a scratch copy.
  work="fuzz/target/corpus/$target"
  mkdir -p "$work"
  cp -n fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
  case "$target" in
    python) cp -n tests/pyspark/*.py "$work"/ ;;
    notebook) cp -n notebooks/*.ipynb notebooks/*.py "$work"/ ;;
  esac
  cargo fuzz run --fuzz-dir fuzz "$target" "$work" -- -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=4096
done
