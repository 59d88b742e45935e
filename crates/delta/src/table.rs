//! Opening the Delta table a sink writes, and creating it when the path holds none.

use arrow::datatypes::Schema;
use deltalake::kernel::engine::arrow_conversion::TryIntoKernel;
use deltalake::kernel::StructType;
use deltalake::{ensure_table_uri, DeltaTable};
use streamlab_types::{Result, SparkError};

use crate::errors::delta_error;

/// The table at the absolute local `path`, loaded at its latest version; not yet created
/// when `table.version()` is `None`.
pub(crate) async fn open(path: &str) -> Result<DeltaTable> {
    let url = ensure_table_uri(path).map_err(|e| delta_error("locate", path, e))?;
    DeltaTable::try_from_url(url).await.map_err(|e| delta_error("open", path, e))
}

/// Creates the table with the query's `schema` and `partition_by` columns (version 0, no
/// rows), as `start(path)` on a new path needs before its first commit.
pub(crate) async fn create(table: DeltaTable, path: &str, schema: &Schema, partition_by: &[String]) -> Result<DeltaTable> {
    let kernel_schema: StructType = schema
        .try_into_kernel()
        .map_err(|e| SparkError::analysis(format!("Cannot write the query's schema to a Delta table: {e}")))?;
    table
        .create()
        .with_columns(kernel_schema.fields().cloned())
        .with_partition_columns(partition_by.iter().cloned())
        .await
        .map_err(|e| delta_error("create", path, e))
}

/// The partition columns as the schema spells them; Delta's error for one it lacks.
pub(crate) fn resolve_partition_columns(schema: &Schema, partition_by: &[String]) -> Result<Vec<String>> {
    partition_by
        .iter()
        .map(|p| {
            schema.fields().iter().find(|f| f.name().eq_ignore_ascii_case(p)).map(|f| f.name().clone()).ok_or_else(|| {
                let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
                SparkError::analysis(format!("Partition column `{p}` not found in schema {}", names.join(", ")))
                    .with_class("DELTA_MISSING_PARTITION_COLUMN")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::datatypes::{DataType, Field};

    #[test]
    fn partition_columns_take_the_schemas_spelling() {
        let schema = Schema::new(vec![Field::new("gt", DataType::Utf8, true), Field::new("x", DataType::Float64, true)]);
        assert_eq!(resolve_partition_columns(&schema, &["GT".into()]).unwrap(), ["gt"]);
        let error = resolve_partition_columns(&schema, &["y".into()]).unwrap_err();
        assert_eq!(error.message, "Partition column `y` not found in schema gt, x");
    }
}
