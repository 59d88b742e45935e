//! Runs a plan over one micro-batch's input (or over static data for batch actions).
//!
//! Stateless operators only need the batch itself: each streaming source's rows for this
//! batch go in, the plan's rows come out.

use arrow::array::{ArrayRef, AsArray, BooleanArray};
use arrow::datatypes::TimestampMicrosecondType;
use arrow::compute::filter_record_batch;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use streamlab_expr::{resolve, EvalContext, Expr};
use streamlab_types::{Result, SparkError};

use crate::join::join_batches;
use crate::sort::{limit_batches, sort_batches};
use crate::plan::LogicalPlan;
use crate::stateful::{aggregate_batch, deduplicate_batch, ExecState};
use crate::pushdown::{pushable_conjuncts, reaches_pushdown_source};

/// The rows each streaming source contributes to the batch being run, by source index.
pub(crate) struct BatchInput {
    per_source: Vec<Vec<RecordBatch>>,
    next: usize,
    /// Rows each source's scan returned: all rows read, or fewer where a pushed-down filter
    /// skipped some (see [`crate::pushdown`]).
    scanned_rows: Vec<usize>,
}

impl BatchInput {
    /// Inputs for one batch, one entry per source in plan order.
    pub(crate) fn new(per_source: Vec<Vec<RecordBatch>>) -> Self {
        let scanned_rows = per_source.iter().map(|b| row_count(b)).collect();
        BatchInput { per_source, next: 0, scanned_rows }
    }

    /// Rows each source's scan returned, by source index.
    pub(crate) fn scanned_rows(&self) -> &[usize] {
        &self.scanned_rows
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

/// Runs `plan`, consuming streaming inputs in plan order; stateful operators read and update
/// `state`.
pub(crate) fn execute(
    plan: &LogicalPlan,
    input: &mut BatchInput,
    ctx: &EvalContext,
    state: &mut ExecState,
) -> Result<Vec<RecordBatch>> {
    match plan {
        LogicalPlan::StreamSource { .. } => input.take_next(),
        LogicalPlan::Relation { batches, .. } => Ok(batches.as_ref().clone()),
        LogicalPlan::Table { table, .. } => Ok(table.borrow().batches().to_vec()),
        LogicalPlan::Project { input: child, exprs, schema, .. } => {
            let batches = execute(child, input, ctx, state)?;
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
        LogicalPlan::Watermark { input: child, column, .. } => {
            let batches = execute(child, input, ctx, state)?;
            for batch in &batches {
                if let Some(times) = batch.column_by_name(column).and_then(|c| c.as_primitive_opt::<TimestampMicrosecondType>()) {
                    state.event_time.add(times);
                }
            }
            Ok(batches)
        }
        LogicalPlan::Aggregate { input: child, keys, aggregates, schema, watermark_key, .. } => {
            let batches = execute(child, input, ctx, state)?;
            aggregate_batch(&batches, keys, aggregates, *watermark_key, schema, state, ctx)
        }
        LogicalPlan::Join { left, right, kind, on, schema } => {
            let left_rows = execute(left, input, ctx, state)?;
            let right_rows = execute(right, input, ctx, &mut ExecState::for_batch_query())?;
            join_batches(&left_rows, &right_rows, &left.schema(), &right.schema(), *kind, on, schema, ctx)
        }
        LogicalPlan::Sort { input: child, keys } => {
            let batches = execute(child, input, ctx, state)?;
            sort_batches(&batches, &child.schema(), keys, ctx)
        }
        LogicalPlan::Limit { input: child, n } => Ok(limit_batches(execute(child, input, ctx, state)?, *n)),
        LogicalPlan::Deduplicate { input: child, keys, watermark_key } => {
            let batches = execute(child, input, ctx, state)?;
            deduplicate_batch(&batches, keys, *watermark_key, state, ctx)
        }
        LogicalPlan::Filter { input: child, predicate, source } => {
            let batches = execute(child, input, ctx, state)?;
            if reaches_pushdown_source(child) {
                count_scanned_rows(child, source, &batches, input, ctx)?;
            }
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

/// Records, for the source under `child`, how many rows its scan returns once the pushable
/// conjuncts of `condition` are applied while reading.
fn count_scanned_rows(
    child: &LogicalPlan,
    condition: &Expr,
    batches: &[RecordBatch],
    input: &mut BatchInput,
    ctx: &EvalContext,
) -> Result<()> {
    let conjuncts = pushable_conjuncts(condition);
    let Some(source) = input.next.checked_sub(1) else { return Ok(()) };
    if conjuncts.is_empty() {
        return Ok(());
    }
    let schema = child.schema();
    let pushed = conjuncts.into_iter().reduce(Expr::and).map(|e| resolve(&e, &schema)).transpose()?;
    let Some(pushed) = pushed else { return Ok(()) };
    let mut kept = 0;
    for batch in batches {
        let mask = pushed.evaluate(batch, ctx)?;
        if let Some(mask) = mask.as_any().downcast_ref::<BooleanArray>() {
            kept += mask.iter().filter(|v| *v == Some(true)).count();
        }
    }
    if let Some(slot) = input.scanned_rows.get_mut(source) {
        *slot = kept;
    }
    Ok(())
}

/// Total rows in `batches`.
pub(crate) fn row_count(batches: &[RecordBatch]) -> usize {
    batches.iter().map(|b| b.num_rows()).sum()
}

