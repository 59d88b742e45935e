#!/usr/bin/env bash
# The Kafka hook of scripts/test.sh: the broker test suites of the Kafka crate and the CLI.
# Each test starts its own tansu broker (crates/kafka/tests/harness: it needs to take a broker
# down and bring it back), so these also run, and pass, in `cargo test --workspace`; the hook
# runs them again next to the hook's broker, and checks that broker with a third-party client
# (confluent-kafka): a record produced by Python comes back through `streamlab run`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cargo test -p streamlab-kafka --tests
cargo test -p streamlab-cli --test kafka
"$STREAMLAB_PYTHON" tests/kafka/python_client.py
