//! Arrow record batches as [`TableOutput`]s, the form the page renders tables in.
//!
//! The file browser shows Parquet files and the live table re-reads a memory sink; both hold
//! Arrow batches, which the page shows with cells formatted exactly as `show()` formats them.

use arrow::array::RecordBatch;
use streamlab_notebook::output::TableOutput;
use streamlab_types::show::cell_to_string;

/// The first `limit` rows of `batch` as a table (`truncated` when rows were left out).
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Int64Array, RecordBatch};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_web::table::batch_table;
/// let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, true)]));
/// let batch = RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(vec![Some(1), None, Some(3)]))]).unwrap();
/// let t = batch_table(&batch, 2);
/// assert_eq!((t.columns, t.types), (vec!["n".to_string()], vec!["bigint".to_string()]));
/// assert_eq!(t.rows, [["1"], ["NULL"]]);
/// assert!(t.truncated);
/// ```
pub fn batch_table(batch: &RecordBatch, limit: usize) -> TableOutput {
    let schema = batch.schema();
    let shown = batch.num_rows().min(limit);
    let rows = (0..shown)
        .map(|row| batch.columns().iter().map(|column| cell_to_string(column.as_ref(), row)).collect())
        .collect();
    TableOutput {
        columns: schema.fields().iter().map(|f| f.name().clone()).collect(),
        types: schema.fields().iter().map(|f| streamlab_types::ddl::simple_string(f.data_type())).collect(),
        rows,
        truncated: batch.num_rows() > shown,
    }
}
