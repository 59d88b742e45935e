//! `MemoryStream`: a source fed from code, one block per `add_data` call (Spark's test source,
//! and the simplest way to show a lesson's query on hand-written rows).

use std::cell::RefCell;
use std::rc::Rc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_types::{Result, SparkError};

use super::{Source, SourceSpec};
use crate::dataframe::DataFrame;
use crate::plan::LogicalPlan;
use crate::SparkSession;

#[derive(Debug)]
struct Blocks {
    schema: SchemaRef,
    blocks: Vec<RecordBatch>,
}

/// An in-memory stream: each [`MemoryStream::add_data`] call becomes one offset (0, 1, 2, …),
/// and a batch takes every block added since the last committed offset.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::Int64Array;
/// use arrow::datatypes::{DataType, Field, Schema};
/// use arrow::record_batch::RecordBatch;
/// use streamlab_engine::source::MemoryStream;
/// let schema = Arc::new(Schema::new(vec![Field::new("value", DataType::Int64, true)]));
/// let stream = MemoryStream::new(schema.clone());
/// let batch = RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(vec![1, 2]))]).unwrap();
/// assert_eq!(stream.add_data(batch).unwrap(), 0);
/// ```
#[derive(Debug, Clone)]
pub struct MemoryStream {
    inner: Rc<RefCell<Blocks>>,
}

impl MemoryStream {
    /// An empty stream of rows with `schema`.
    pub fn new(schema: SchemaRef) -> Self {
        MemoryStream { inner: Rc::new(RefCell::new(Blocks { schema, blocks: Vec::new() })) }
    }

    /// Appends one block; returns its offset.
    pub fn add_data(&self, batch: RecordBatch) -> Result<i64> {
        let mut inner = self.inner.borrow_mut();
        if batch.schema().fields() != inner.schema.fields() {
            return Err(SparkError::illegal_argument(format!(
                "MemoryStream expects rows of {:?}, got {:?}",
                inner.schema.fields(),
                batch.schema().fields()
            )));
        }
        inner.blocks.push(batch);
        Ok(inner.blocks.len() as i64 - 1)
    }

    /// The streaming DataFrame reading this stream (`MemoryStream.toDF()`).
    pub fn to_df(&self, session: &SparkSession) -> DataFrame {
        let schema = self.inner.borrow().schema.clone();
        let spec = SourceSpec {
            format: "memory".into(),
            options: Vec::new(),
            path: None,
            schema: schema.clone(),
            memory: Some(self.clone()),
        };
        DataFrame::new(session.clone(), Rc::new(LogicalPlan::StreamSource { spec: Rc::new(spec), schema }))
    }
}

fn parse_offset(text: &str) -> Result<i64> {
    text.trim()
        .parse()
        .map_err(|_| SparkError::illegal_state(format!("Invalid memory stream offset: {text}")))
}

impl Source for MemoryStream {
    fn description(&self) -> String {
        let inner = self.inner.borrow();
        let names: Vec<&str> = inner.schema.fields().iter().map(|f| f.name().as_str()).collect();
        format!("MemoryStream[{}]", names.join(","))
    }

    fn latest_offset(&mut self, _start: Option<&str>, _limit: super::ReadLimit) -> Result<Option<String>> {
        let n = self.inner.borrow().blocks.len();
        Ok((n > 0).then(|| (n - 1).to_string()))
    }

    fn get_batch(&mut self, start: Option<&str>, end: &str) -> Result<Vec<RecordBatch>> {
        let first = match start {
            Some(s) => parse_offset(s)? + 1,
            None => 0,
        };
        let last = parse_offset(end)?;
        let inner = self.inner.borrow();
        Ok((first.max(0)..=last)
            .filter_map(|i| inner.blocks.get(i as usize).cloned())
            .collect())
    }
}
