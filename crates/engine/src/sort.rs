//! `orderBy`/`sort` and `limit`: allowed on streams only where Spark allows them (sorting after
//! an aggregation in complete mode; limit in append and complete mode).

use std::rc::Rc;

use arrow::array::{RecordBatch, UInt32Array};
use arrow::compute::{concat_batches, take, SortOptions};
use arrow::datatypes::SchemaRef;
use arrow::row::{RowConverter, SortField};
use streamlab_expr::{resolve, EvalContext, Expr, PhysicalExpr};
use streamlab_types::{Result, SparkError};

use crate::dataframe::DataFrame;
use crate::plan::LogicalPlan;

/// One `orderBy` key: `col.asc()`, `col.desc_nulls_first()`, ...
#[derive(Debug, Clone)]
pub struct SortKey {
    /// What to sort by.
    pub expr: Expr,
    /// Ascending (the default) or descending.
    pub ascending: bool,
    /// Nulls first; Spark's default is first for ascending, last for descending.
    pub nulls_first: Option<bool>,
}

impl SortKey {
    /// Ascending, nulls first.
    pub fn asc(expr: Expr) -> Self {
        SortKey { expr, ascending: true, nulls_first: None }
    }

    /// Descending, nulls last.
    pub fn desc(expr: Expr) -> Self {
        SortKey { expr, ascending: false, nulls_first: None }
    }
}

/// A resolved sort key.
#[derive(Debug, Clone)]
pub struct ResolvedSortKey {
    expr: PhysicalExpr,
    options: SortOptions,
}

impl DataFrame {
    /// `orderBy(*keys)` / `sort(*keys)`.
    pub fn order_by(&self, keys: Vec<SortKey>) -> Result<DataFrame> {
        let schema = self.schema();
        let keys = keys
            .into_iter()
            .map(|k| {
                Ok(ResolvedSortKey {
                    expr: resolve(&k.expr, &schema)?,
                    options: SortOptions { descending: !k.ascending, nulls_first: k.nulls_first.unwrap_or(k.ascending) },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DataFrame::new(self.session().clone(), Rc::new(LogicalPlan::Sort { input: self.plan().clone(), keys })))
    }

    /// `limit(n)`.
    pub fn limit(&self, n: usize) -> Result<DataFrame> {
        Ok(DataFrame::new(self.session().clone(), Rc::new(LogicalPlan::Limit { input: self.plan().clone(), n })))
    }
}

/// Sorts all rows of `batches` into one batch.
pub(crate) fn sort_batches(
    batches: &[RecordBatch],
    schema: &SchemaRef,
    keys: &[ResolvedSortKey],
    ctx: &EvalContext,
) -> Result<Vec<RecordBatch>> {
    let all = concat_batches(schema, batches)?;
    if all.num_rows() == 0 {
        return Ok(Vec::new());
    }
    let columns = keys.iter().map(|k| k.expr.evaluate(&all, ctx)).collect::<Result<Vec<_>>>()?;
    // Keys are compared as arrow's row format (byte strings that order like the keys), which
    // also keeps equal keys in input order, as Spark's TimSort does within a partition. Why
    // not `lexsort_to_indices`: its per-type comparators and sorts link ~350 KB of wasm.
    let fields = columns.iter().zip(keys).map(|(c, k)| SortField::new_with_options(c.data_type().clone(), k.options));
    let rows = RowConverter::new(fields.collect())?.convert_columns(&columns)?;
    let mut order: Vec<u32> = (0..all.num_rows() as u32).collect();
    order.sort_by(|&a, &b| rows.row(a as usize).cmp(&rows.row(b as usize)));
    let indices = UInt32Array::from(order);
    let sorted = all.columns().iter().map(|c| take(c.as_ref(), &indices, None)).collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(vec![RecordBatch::try_new(schema.clone(), sorted)?])
}

/// The first `n` rows of `batches`.
pub(crate) fn limit_batches(batches: Vec<RecordBatch>, n: usize) -> Vec<RecordBatch> {
    let mut left = n;
    let mut out = Vec::new();
    for batch in batches {
        if left == 0 {
            break;
        }
        let take = batch.num_rows().min(left);
        left -= take;
        out.push(batch.slice(0, take));
    }
    out
}

/// Spark's checks of sorts and limits in a streaming query's plan.
pub(crate) fn check_streaming(plan: &LogicalPlan, complete: bool, update: bool) -> Result<()> {
    fn walk(plan: &LogicalPlan, complete: bool, update: bool) -> Result<()> {
        match plan {
            LogicalPlan::Sort { input, .. } => {
                if !(complete && input.aggregate().is_some()) {
                    return Err(SparkError::analysis("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode"));
                }
                walk(input, complete, update)
            }
            LogicalPlan::Limit { input, .. } => {
                if update {
                    return Err(SparkError::analysis("Limits are not supported on streaming DataFrames/Datasets in Update output mode"));
                }
                if !complete {
                    return Err(SparkError::unsupported("StreamLab supports limit() on a streaming DataFrame in Complete output mode only (Spark also allows it in Append mode)."));
                }
                walk(input, complete, update)
            }
            LogicalPlan::Project { input, .. }
            | LogicalPlan::Filter { input, .. }
            | LogicalPlan::Watermark { input, .. }
            | LogicalPlan::Deduplicate { input, .. }
            | LogicalPlan::Aggregate { input, .. } => walk(input, complete, update),
            LogicalPlan::Join { left, .. } => walk(left, complete, update),
            LogicalPlan::StreamSource { .. } | LogicalPlan::Relation { .. } | LogicalPlan::Table { .. } => Ok(()),
        }
    }
    walk(plan, complete, update)
}
