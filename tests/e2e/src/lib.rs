//! Nothing here: the tests live in `tests/` (see tests/e2e/run.sh).
