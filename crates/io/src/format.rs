//! The file formats StreamLab reads and writes.

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};

/// A file format of `spark.read.format(...)` / `writeStream.format(...)`.
///
/// Why: the engine picks readers, writers, file extensions and fixed schemas by format name.
///
/// ```
/// use streamlab_io::FileFormat;
/// let f = FileFormat::from_name("JSON").unwrap();
/// assert_eq!(f, FileFormat::Json);
/// assert_eq!(f.name(), "json");
/// assert_eq!(FileFormat::Parquet.file_extension(), ".snappy.parquet");
/// assert!(FileFormat::Text.fixed_schema().is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// JSON lines (`json`).
    Json,
    /// Comma-separated values (`csv`).
    Csv,
    /// One string per line (`text`).
    Text,
    /// Apache Parquet (`parquet`).
    Parquet,
}

impl FileFormat {
    /// The format for a name (case-insensitive), `None` for formats StreamLab lacks.
    pub fn from_name(name: &str) -> Option<FileFormat> {
        match name.to_ascii_lowercase().as_str() {
            "json" => Some(FileFormat::Json),
            "csv" => Some(FileFormat::Csv),
            "text" => Some(FileFormat::Text),
            "parquet" => Some(FileFormat::Parquet),
            _ => None,
        }
    }

    /// The lower-case name Spark uses (`json`).
    pub fn name(&self) -> &'static str {
        match self {
            FileFormat::Json => "json",
            FileFormat::Csv => "csv",
            FileFormat::Text => "text",
            FileFormat::Parquet => "parquet",
        }
    }

    /// The extension of files the sink writes (`part-00000-<uuid>.c000<ext>`).
    pub fn file_extension(&self) -> &'static str {
        match self {
            FileFormat::Json => ".json",
            FileFormat::Csv => ".csv",
            FileFormat::Text => ".txt",
            FileFormat::Parquet => ".snappy.parquet",
        }
    }

    /// The schema a format imposes (`text`: `value string`), `None` when the user gives it.
    pub fn fixed_schema(&self) -> Option<SchemaRef> {
        match self {
            FileFormat::Text => Some(Arc::new(Schema::new(vec![Field::new("value", DataType::Utf8, true)]))),
            _ => None,
        }
    }
}
