//! The `text` format: one string row per line (or per file with `wholetext`).

use std::sync::Arc;

use arrow::array::StringBuilder;
use arrow::record_batch::RecordBatch;
use streamlab_types::Result;

use crate::format::FileFormat;
use crate::lines::split_lines;
use crate::options::ReadOptions;

/// Reads a text file into the fixed schema `value string`.
///
/// Why: `spark.readStream.text(dir)` is the simplest source; every line, empty ones included,
/// is a row, split on `\n`, `\r\n` or `\r` (or `lineSep`); with `wholetext` the file is one row.
/// Bytes that are not UTF-8 come back as U+FFFD.
///
/// ```
/// use arrow::array::{Array, StringArray};
/// use streamlab_io::{read_text, ReadOptions};
/// let b = read_text(b"a\r\n\nb\xff\n", &ReadOptions::default()).unwrap();
/// let v = b.column(0).as_any().downcast_ref::<StringArray>().unwrap();
/// assert_eq!((v.value(0), v.value(1), v.value(2)), ("a", "", "b\u{FFFD}"));
/// ```
pub fn read_text(data: &[u8], options: &ReadOptions) -> Result<RecordBatch> {
    let schema = FileFormat::Text.fixed_schema().unwrap_or_else(|| Arc::new(arrow::datatypes::Schema::empty()));
    let mut b = StringBuilder::with_capacity(16, data.len());
    if options.wholetext {
        b.append_value(String::from_utf8_lossy(data));
    } else {
        for line in split_lines(data, options.line_sep_bytes()) {
            b.append_value(String::from_utf8_lossy(line));
        }
    }
    Ok(RecordBatch::try_new(schema, vec![Arc::new(b.finish())])?)
}
