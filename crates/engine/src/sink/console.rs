//! The console sink: `Batch: N` and the batch as `show()` prints it, for every batch.

use std::rc::Rc;

use arrow::compute::concat_batches;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_types::show::show_string;
use streamlab_types::{Result, SparkError};

use super::{OutputMode, Sink};
use crate::output::Output;
use crate::source::option;

/// `format("console")` with options `numRows` (20) and `truncate` (true).
pub struct ConsoleSink {
    output: Rc<dyn Output>,
    hash: String,
    num_rows: usize,
    truncate: bool,
}

impl ConsoleSink {
    /// Parses the options.
    /// `hash` stands for the JVM object hash Spark prints after `ConsoleTable$@`.
    pub fn new(options: &[(String, String)], output: Rc<dyn Output>, hash: String) -> Result<Self> {
        let num_rows = match option(options, "numRows") {
            None => 20,
            Some(v) => v.trim().parse::<i32>().map(|n| n.max(0) as usize).map_err(|_| {
                SparkError::new(streamlab_types::ErrorKind::NumberFormat, format!("For input string: \"{v}\""))
            })?,
        };
        let truncate = match option(options, "truncate") {
            None => true,
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(SparkError::illegal_argument(format!(
                        "For input string: \"{v}\""
                    )))
                }
            },
        };
        Ok(ConsoleSink { output, hash, num_rows, truncate })
    }
}

impl Sink for ConsoleSink {
    fn only_writes_through_storage(&self) -> bool {
        true
    }

    fn description(&self) -> String {
        format!("org.apache.spark.sql.execution.streaming.ConsoleTable$@{}", self.hash)
    }

    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], schema: &SchemaRef, _mode: OutputMode) -> Result<()> {
        let all = concat_batches(schema, data)?;
        let shown = all.slice(0, all.num_rows().min(self.num_rows + 1));
        let rule = "-------------------------------------------";
        let table = show_string(&shown, self.num_rows, if self.truncate { 20 } else { 0 }, false);
        self.output.print(&format!("{rule}\nBatch: {batch_id}\n{rule}\n{table}\n"));
        Ok(())
    }
}
