//! Spark's file formats on Arrow: JSON lines, CSV, text and Parquet readers with Spark's parse
//! modes, and the writers the file sink uses.
//!
//! Everything follows Spark 3.5 with the session time zone UTC, and no input can panic: bad
//! data becomes nulls, dropped rows or a [`SparkError`] according to the [`ParseMode`].
//!
//! * [`read_file`] / [`read_json`] / [`read_csv`] / [`read_text`] / [`read_parquet`]: one file
//!   to one Arrow batch in the user's schema.
//! * [`infer_schema`]: schemas for batch reads without one.
//! * [`json_to_struct`], for `from_json`.
//! * [`write_file`]: one sink file per call.
//! * [`json_pack`]: the compact encoding the page downloads its sample in.

#![warn(missing_docs)]

pub mod base64;
pub mod cell;
pub mod csv;
pub mod decimal;
pub mod format;
pub mod infer;
pub mod json;
pub mod json_pack;
pub mod lines;
pub mod malformed;
pub mod options;
pub mod parquet;
pub mod scaled_sample;
pub mod text;
pub mod write;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
pub use streamlab_types::{Result, SparkError};

pub use crate::csv::read_csv;
pub use crate::format::FileFormat;
pub use crate::infer::infer_schema;
pub use crate::json::from_json::json_to_struct;
pub use crate::json::reader::read_json;
pub use crate::options::{ParseMode, ReadOptions};
pub use crate::parquet::read_parquet;
pub use crate::text::read_text;
pub use crate::write::write_file;

/// Reads one whole file of `format` into one batch with the user `schema` (which may contain
/// the corrupt-record column; it must then be a nullable string).
///
/// Why: the streaming file source and batch reads call this once per file.
///
/// ```
/// use std::sync::Arc;
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_io::{read_file, FileFormat, ReadOptions};
/// let schema = Arc::new(Schema::new(vec![Field::new("a", DataType::Int64, true)]));
/// let b = read_file(FileFormat::Csv, b"1\n2\n", &schema, &ReadOptions::default()).unwrap();
/// assert_eq!(b.num_rows(), 2);
/// ```
pub fn read_file(format: FileFormat, data: &[u8], schema: &SchemaRef, options: &ReadOptions) -> Result<RecordBatch> {
    match format {
        FileFormat::Json => read_json(data, schema, options),
        FileFormat::Csv => read_csv(data, schema, options),
        FileFormat::Text => read_text(data, options),
        FileFormat::Parquet => read_parquet(data, schema),
    }
}
