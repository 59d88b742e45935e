//! What readers do with malformed records: Spark's `FailureSafeParser`.
//!
//! Why one place: JSON and CSV share the corrupt-record column rules, the three modes and the
//! exact FAILFAST error, and rows are assembled into Arrow here for both.

use std::sync::Arc;

use arrow::datatypes::{DataType, Fields, Schema, SchemaRef};
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use streamlab_types::{Result, SparkError};

use crate::cell::{render_row, ColumnBuilder, Val};
use crate::options::ParseMode;

/// The FAILFAST error for a malformed record whose partial row renders as `row`.
///
/// ```
/// let e = streamlab_io::malformed::failfast_error("[null,5]");
/// assert_eq!(e.error_class.as_deref(), Some("MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION"));
/// assert!(e.message.starts_with("Malformed records are detected in record parsing: [null,5].\nParse Mode: FAILFAST."));
/// ```
pub fn failfast_error(row: &str) -> SparkError {
    SparkError::runtime(format!(
        "Malformed records are detected in record parsing: {row}.\nParse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'. "
    ))
    .with_class("MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION")
}

/// The index of the corrupt-record column in `schema`, checking Spark's rule that it must be a
/// nullable string.
///
/// ```
/// use arrow::datatypes::{DataType, Field, Schema};
/// let s = Schema::new(vec![Field::new("a", DataType::Int64, true), Field::new("_corrupt_record", DataType::Utf8, true)]);
/// assert_eq!(streamlab_io::malformed::corrupt_column_index(&s, "_corrupt_record").unwrap(), Some(1));
/// let bad = Schema::new(vec![Field::new("_corrupt_record", DataType::Int64, true)]);
/// assert!(streamlab_io::malformed::corrupt_column_index(&bad, "_corrupt_record").is_err());
/// ```
pub fn corrupt_column_index(schema: &Schema, name: &str) -> Result<Option<usize>> {
    let idx = schema.fields().iter().rposition(|f| f.name() == name);
    if let Some(i) = idx {
        let f = &schema.fields()[i];
        if f.data_type() != &DataType::Utf8 || !f.is_nullable() {
            return Err(SparkError::analysis("The field for corrupt records must be string type and nullable."));
        }
    }
    Ok(idx)
}

/// Collects rows of a read into Arrow columns, applying the parse mode to malformed records.
pub struct RowAssembler {
    schema: SchemaRef,
    builders: Vec<ColumnBuilder>,
    /// Schema index of each data column (the schema without the corrupt column).
    data_index: Vec<usize>,
    corrupt: Option<usize>,
    mode: ParseMode,
    rows: usize,
}

impl RowAssembler {
    /// An assembler for `schema`, whose column `corrupt_name` (if present) gets the raw text of
    /// malformed records.
    pub fn new(schema: &SchemaRef, corrupt_name: &str, mode: ParseMode, capacity: usize) -> Result<RowAssembler> {
        let corrupt = corrupt_column_index(schema, corrupt_name)?;
        let builders =
            schema.fields().iter().map(|f| ColumnBuilder::new(f.data_type(), capacity)).collect::<Result<Vec<_>>>()?;
        let data_index = (0..schema.fields().len()).filter(|i| schema.field(*i).name() != corrupt_name).collect();
        Ok(RowAssembler { schema: schema.clone(), builders, data_index, corrupt, mode, rows: 0 })
    }

    /// The data fields (the schema without the corrupt-record column), in order.
    pub fn data_fields(&self) -> Fields {
        self.data_index.iter().map(|i| self.schema.fields()[*i].clone()).collect()
    }

    /// Rows so far.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True before the first row.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends a well-formed row (`vals` in data-column order).
    #[inline]
    pub fn push(&mut self, vals: &[Val<'_>]) {
        for (j, &i) in self.data_index.iter().enumerate() {
            if let Some(b) = self.builders.get_mut(i) {
                match vals.get(j) {
                    Some(v) => b.append(v),
                    None => b.append_null(),
                }
            }
        }
        if let Some(c) = self.corrupt {
            if let Some(b) = self.builders.get_mut(c) {
                b.append_null();
            }
        }
        self.rows += 1;
    }

    /// Appends a well-formed row whose cells the caller writes straight into the builders:
    /// `fill(j, builder)` must append exactly one value for data column `j`. Why: readers with
    /// their own cell types (the JSON fast path) skip staging rows as [`Val`]s.
    #[inline]
    pub fn push_with(&mut self, mut fill: impl FnMut(usize, &mut ColumnBuilder)) {
        for (j, &i) in self.data_index.iter().enumerate() {
            if let Some(b) = self.builders.get_mut(i) {
                fill(j, b);
            }
        }
        if let Some(c) = self.corrupt {
            if let Some(b) = self.builders.get_mut(c) {
                b.append_null();
            }
        }
        self.rows += 1;
    }

    /// Handles a malformed record: `partial` rows (empty: one all-null row) and the raw text.
    pub fn malformed(&mut self, partial: &[&[Val<'_>]], raw: &[u8]) -> Result<()> {
        match self.mode {
            ParseMode::DropMalformed => Ok(()),
            ParseMode::FailFast => {
                let first: &[Val<'_>] = partial.first().copied().unwrap_or(&[]);
                Err(failfast_error(&self.render(first, raw)))
            }
            ParseMode::Permissive => {
                let text = String::from_utf8_lossy(raw);
                if partial.is_empty() {
                    self.push_bad(&[], &text);
                } else {
                    for row in partial {
                        self.push_bad(row, &text);
                    }
                }
                Ok(())
            }
        }
    }

    fn push_bad(&mut self, vals: &[Val<'_>], text: &str) {
        for (j, &i) in self.data_index.iter().enumerate() {
            if let Some(b) = self.builders.get_mut(i) {
                match vals.get(j) {
                    Some(v) => b.append(v),
                    None => b.append_null(),
                }
            }
        }
        if let Some(c) = self.corrupt {
            if let Some(b) = self.builders.get_mut(c) {
                b.append_str(text);
            }
        }
        self.rows += 1;
    }

    /// The partial row as Spark prints it in the FAILFAST message (corrupt column included).
    pub fn render(&self, vals: &[Val<'_>], raw: &[u8]) -> String {
        let n = self.schema.fields().len();
        let mut full: Vec<Val<'_>> = vec![Val::Null; n];
        for (j, &i) in self.data_index.iter().enumerate() {
            if let (Some(slot), Some(v)) = (full.get_mut(i), vals.get(j)) {
                *slot = v.clone();
            }
        }
        if let Some(c) = self.corrupt {
            if let Some(slot) = full.get_mut(c) {
                *slot = Val::Str(String::from_utf8_lossy(raw));
            }
        }
        let types: Vec<&DataType> = self.schema.fields().iter().map(|f| f.data_type()).collect();
        render_row(&full, &types)
    }

    /// The finished batch.
    pub fn finish(mut self) -> Result<RecordBatch> {
        let cols = self.builders.iter_mut().map(|b| b.finish()).collect::<Result<Vec<_>>>()?;
        finish_batch(&self.schema, cols, self.rows)
    }
}

/// A batch of `schema` from `cols`; when a non-nullable field got nulls (Spark reads files with
/// the schema forced nullable), the fields are made nullable instead of failing.
pub fn finish_batch(schema: &SchemaRef, cols: Vec<arrow::array::ArrayRef>, rows: usize) -> Result<RecordBatch> {
    let opts = RecordBatchOptions::new().with_row_count(Some(rows));
    match RecordBatch::try_new_with_options(Arc::clone(schema), cols.clone(), &opts) {
        Ok(b) => Ok(b),
        Err(_) => {
            let fields: Vec<arrow::datatypes::Field> =
                schema.fields().iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
            let nullable = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
            Ok(RecordBatch::try_new_with_options(nullable, cols, &opts)?)
        }
    }
}
