//! Runs a plan over one micro-batch's input (or over static data for batch actions).
//!
//! Stateless operators only need the batch itself: each streaming source's rows for this
//! batch go in, the plan's rows come out.

use arrow::array::{ArrayRef, BooleanArray};
use arrow::compute::filter_record_batch;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use streamlab_expr::EvalContext;
use streamlab_types::{Result, SparkError};

use crate::plan::LogicalPlan;

/// The rows each streaming source contributes to the batch being run, by source index.
pub(crate) struct BatchInput {
    per_source: Vec<Vec<RecordBatch>>,
    next: usize,
}

impl BatchInput {
    /// Inputs for one batch, one entry per source in plan order.
    pub(crate) fn new(per_source: Vec<Vec<RecordBatch>>) -> Self {
        BatchInput { per_source, next: 0 }
    }

    /// No streaming input (batch actions on static DataFrames).
    pub(crate) fn none() -> Self {
        Self::new(Vec::new())
    }

    fn take_next(&mut self) -> Result<Vec<RecordBatch>> {
        let i = self.next;
        self.next += 1;
        self.per_source
            .get_mut(i)
            .map(std::mem::take)
            .ok_or_else(|| SparkError::illegal_state(format!("no input for streaming source {i}")))
    }
}

/// Runs `plan`, consuming streaming inputs in plan order.
pub(crate) fn execute(plan: &LogicalPlan, input: &mut BatchInput, ctx: &EvalContext) -> Result<Vec<RecordBatch>> {
    match plan {
        LogicalPlan::StreamSource { .. } => input.take_next(),
        LogicalPlan::Relation { batches, .. } => Ok(batches.as_ref().clone()),
        LogicalPlan::Table { table, .. } => Ok(table.borrow().batches().to_vec()),
        LogicalPlan::Project { input: child, exprs, schema, .. } => {
            let batches = execute(child, input, ctx)?;
            batches
                .iter()
                .map(|batch| {
                    let columns: Vec<ArrayRef> =
                        exprs.iter().map(|e| e.evaluate(batch, ctx)).collect::<Result<_>>()?;
                    let options = RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
                    Ok(RecordBatch::try_new_with_options(schema.clone(), columns, &options)?)
                })
                .collect()
        }
        LogicalPlan::Filter { input: child, predicate, .. } => {
            let batches = execute(child, input, ctx)?;
            batches
                .iter()
                .map(|batch| {
                    let mask = predicate.evaluate(batch, ctx)?;
                    let mask = mask.as_any().downcast_ref::<BooleanArray>().ok_or_else(|| {
                        SparkError::illegal_state(format!("filter predicate {} is not boolean", predicate.name()))
                    })?;
                    Ok(filter_record_batch(batch, mask)?)
                })
                .collect()
        }
    }
}

/// Total rows in `batches`.
pub(crate) fn row_count(batches: &[RecordBatch]) -> usize {
    batches.iter().map(|b| b.num_rows()).sum()
}

