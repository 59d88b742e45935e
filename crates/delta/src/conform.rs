//! Fitting the engine's rows to the Delta table's Arrow schema.

use std::sync::Arc;

use arrow::array::ArrayRef;
use arrow::compute::cast;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_types::{Result, SparkError};

/// `batch`'s columns in the table's order and types, matched by name case-insensitively.
///
/// Why: the table's schema comes from its log (written by `toTable`'s pure writer, by an
/// earlier run, or by another engine), and differs from the query's rows in details delta-rs
/// refuses — nullability, the order of columns — while the values are the same. A column the
/// table has and the rows lack is null; a row column the table lacks is Delta's schema
/// mismatch.
pub(crate) fn conform(batch: &RecordBatch, table: &SchemaRef) -> Result<RecordBatch> {
    let have = batch.schema();
    if let Some(extra) = have.fields().iter().find(|f| !table.fields().iter().any(|t| t.name().eq_ignore_ascii_case(f.name()))) {
        let table_columns: Vec<&str> = table.fields().iter().map(|f| f.name().as_str()).collect();
        return Err(SparkError::analysis(format!(
            "A schema mismatch detected when writing to the Delta table: column `{}` is not in the table's columns ({}).",
            extra.name(),
            table_columns.join(", ")
        ))
        .with_class("DELTA_METADATA_MISMATCH"));
    }
    let columns = table
        .fields()
        .iter()
        .map(|field| {
            let found = have.fields().iter().position(|f| f.name().eq_ignore_ascii_case(field.name()));
            let column: ArrayRef = match found {
                Some(i) => batch.column(i).clone(),
                None => arrow::array::new_null_array(field.data_type(), batch.num_rows()),
            };
            if column.data_type() == field.data_type() {
                Ok(column)
            } else {
                cast(&column, field.data_type()).map_err(|e| {
                    SparkError::analysis(format!(
                        "Cannot write column `{}` of type {} to the Delta table's column of type {}: {e}",
                        field.name(),
                        column.data_type(),
                        field.data_type()
                    ))
                    .with_class("DELTA_METADATA_MISMATCH")
                })
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let options = arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
    RecordBatch::try_new_with_options(Arc::clone(table), columns, &options)
        .map_err(|e| SparkError::analysis(format!("The rows do not fit the Delta table's schema: {e}")).with_class("DELTA_METADATA_MISMATCH"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int32Array, Int64Array, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};

    fn table() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, true),
            Field::new("name", DataType::Utf8, true),
            Field::new("note", DataType::Utf8, true),
        ]))
    }

    #[test]
    fn reorders_casts_and_fills_missing_columns() {
        let rows = RecordBatch::try_new(
            Arc::new(Schema::new(vec![Field::new("NAME", DataType::Utf8, false), Field::new("id", DataType::Int32, false)])),
            vec![Arc::new(StringArray::from(vec!["a", "b"])), Arc::new(Int32Array::from(vec![1, 2]))],
        )
        .unwrap();
        let fitted = conform(&rows, &table()).unwrap();
        assert_eq!(fitted.schema(), table());
        let ids = fitted.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
        assert_eq!(ids.values(), &[1, 2]);
        assert_eq!(fitted.column(2).null_count(), 2);
    }

    #[test]
    fn refuses_a_column_the_table_lacks() {
        let rows = RecordBatch::try_new(
            Arc::new(Schema::new(vec![Field::new("extra", DataType::Int64, true)])),
            vec![Arc::new(Int64Array::from(vec![1]))],
        )
        .unwrap();
        let error = conform(&rows, &table()).unwrap_err();
        assert_eq!(error.error_class.as_deref(), Some("DELTA_METADATA_MISMATCH"));
        assert!(error.message.contains("column `extra`"), "{}", error.message);
    }
}
