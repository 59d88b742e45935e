//! Delta Lake's error messages (delta-spark 3.x texts and error classes).

use arrow::datatypes::Schema;
use streamlab_types::show::tree_string;
use streamlab_types::SparkError;

/// `[DELTA_MISSING_DELTA_TABLE] `<path>` is not a Delta table.`: a batch read of a directory
/// with no Delta log.
pub fn not_a_delta_table(path: &str) -> SparkError {
    SparkError::analysis(format!("`{}` is not a Delta table.", path.replace('`', "``"))).with_class("DELTA_MISSING_DELTA_TABLE")
}

/// `MetadataMismatchErrorBuilder`: the data's schema or partitioning does not match the
/// table's, and schema evolution (`mergeSchema`) was not asked for.
pub fn metadata_mismatch(table_id: &str, schema: Option<(&Schema, &Schema)>, partitioning: Option<(&[String], &[String])>) -> SparkError {
    let mut bits: Vec<String> = Vec::new();
    if let Some((table, data)) = schema {
        bits.push(format!(
            "A schema mismatch detected when writing to the Delta table (Table ID: {table_id}).\n\
             To enable schema migration using DataFrameWriter or DataStreamWriter, please set:\n\
             '.option(\"mergeSchema\", \"true\")'.\n\
             For other operations, set the session configuration\n\
             spark.databricks.delta.schema.autoMerge.enabled to \"true\". See the documentation\n\
             specific to the operation for details.\n\n\
             Table schema:\n{}\n\nData schema:\n{}\n",
            tree_string(table),
            tree_string(data)
        ));
    }
    if let Some((table, given)) = partitioning {
        bits.push(format!(
            "Partition columns do not match the partition columns of the table.\nGiven: {}\nTable: {}\n",
            column_list(given),
            column_list(table)
        ));
    }
    SparkError::analysis(bits.join("\n")).with_class("_LEGACY_ERROR_TEMP_DELTA_0007")
}

/// `DeltaErrors.formatColumnList`: ``[`a`, `b`]``.
fn column_list(columns: &[String]) -> String {
    let quoted: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `DELTA_UNSUPPORTED_FEATURES_FOR_READ` / `_FOR_WRITE`: the table needs protocol features
/// StreamLab does not implement.
pub fn unsupported_features(operation: &str, features: &[String]) -> SparkError {
    let (class, role) = if operation == "read" {
        ("DELTA_UNSUPPORTED_FEATURES_FOR_READ", "reader")
    } else {
        ("DELTA_UNSUPPORTED_FEATURES_FOR_WRITE", "writer")
    };
    SparkError::analysis(format!(
        "Unable to {operation} this table because it requires {role} table feature(s) that are unsupported by this version of Delta Lake: {}.",
        features.join(", ")
    ))
    .with_class(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(not_a_delta_table("/in").to_string(), "[DELTA_MISSING_DELTA_TABLE] `/in` is not a Delta table.");
        let e = metadata_mismatch("id", None, Some((&["a".to_string()], &["b".to_string()])));
        assert_eq!(e.message, "Partition columns do not match the partition columns of the table.\nGiven: [`b`]\nTable: [`a`]\n");
        assert_eq!(
            unsupported_features("read", &["deletionVectors".into()]).to_string(),
            "[DELTA_UNSUPPORTED_FEATURES_FOR_READ] Unable to read this table because it requires reader table feature(s) that are unsupported by this version of Delta Lake: deletionVectors."
        );
    }
}
