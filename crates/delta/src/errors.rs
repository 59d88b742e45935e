//! `deltalake` and tokio failures as `SparkError`s, with the table they concern.

use deltalake::kernel::transaction::TransactionError;
use deltalake::DeltaTableError;
use streamlab_types::SparkError;

/// A delta-rs error while `doing` something to the table at `path`.
///
/// Concurrent commits become delta-spark's `DELTA_CONCURRENT_TRANSACTION` (two runs of one
/// checkpoint writing at once); everything else a runtime error naming the table.
pub(crate) fn delta_error(doing: &str, path: &str, error: DeltaTableError) -> SparkError {
    let text = error.to_string();
    let concurrent = matches!(
        &error,
        DeltaTableError::Transaction {
            source: TransactionError::CommitConflict(_) | TransactionError::VersionAlreadyExists(_) | TransactionError::MaxCommitAttempts(_)
        }
    );
    if concurrent {
        return SparkError::runtime(
            "This error occurs when multiple streaming queries are using the same checkpoint to write into this table. Did you run multiple instances of the same streaming query at the same time?",
        )
        .with_class("DELTA_CONCURRENT_TRANSACTION");
    }
    SparkError::runtime(format!("Failed to {doing} the Delta table at {path}: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_table_and_what_failed() {
        let error = delta_error("commit to", "/t", DeltaTableError::Generic("disk full".into()));
        assert_eq!(error.message, "Failed to commit to the Delta table at /t: Generic DeltaTable error: disk full");
        assert_eq!(error.error_class.as_deref(), None);
    }
}
