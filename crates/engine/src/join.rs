//! Stream-static joins: each micro-batch of a stream joined to a static DataFrame (to enrich
//! events with reference data). Stateless: the static side is read again for every batch.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, RecordBatch, UInt32Array};
use arrow::compute::{concat_batches, filter_record_batch, take};
use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::row::{OwnedRow, RowConverter, SortField};
use streamlab_expr::{resolve, EvalContext, Expr};
use streamlab_types::{Result, SparkError};

use crate::dataframe::DataFrame;
use crate::plan::LogicalPlan;

/// The join types of `DataFrame.join(other, on, how)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `inner` (default).
    Inner,
    /// `left`, `leftouter`, `left_outer`.
    Left,
    /// `right`, `rightouter`, `right_outer`.
    Right,
    /// `full`, `outer`, `fullouter`, `full_outer`.
    Full,
    /// `semi`, `leftsemi`, `left_semi`.
    LeftSemi,
    /// `anti`, `leftanti`, `left_anti`.
    LeftAnti,
}

impl JoinKind {
    /// Parses PySpark's `how`, with Spark's error for an unknown one.
    pub fn parse(how: &str) -> Result<JoinKind> {
        Ok(match how.to_ascii_lowercase().replace('_', "").as_str() {
            "inner" => JoinKind::Inner,
            "left" | "leftouter" => JoinKind::Left,
            "right" | "rightouter" => JoinKind::Right,
            "full" | "outer" | "fullouter" => JoinKind::Full,
            "semi" | "leftsemi" => JoinKind::LeftSemi,
            "anti" | "leftanti" => JoinKind::LeftAnti,
            _ => {
                return Err(SparkError::analysis(format!(
                    "Unsupported join type '{how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'."
                ))
                .with_class("UNSUPPORTED_JOIN_TYPE"))
            }
        })
    }
}

/// What rows match on.
#[derive(Debug, Clone)]
pub enum JoinCondition {
    /// `on=["a", "b"]`: equal values of same-named columns; they appear once in the output.
    Using(Vec<String>),
    /// `on=<boolean expression>` over the columns of both sides.
    Expr(Expr),
}

fn find_on(schema: &Schema, name: &str, side: &str) -> Result<usize> {
    schema.fields().iter().position(|f| f.name().eq_ignore_ascii_case(name)).ok_or_else(|| {
        SparkError::analysis(format!(
            "USING column `{name}` cannot be resolved on the {side} side of the join. The {side}-side columns: [{}].",
            schema.fields().iter().map(|f| format!("`{}`", f.name())).collect::<Vec<_>>().join(", ")
        ))
        .with_class("UNRESOLVED_USING_COLUMN_FOR_JOIN")
    })
}

fn find(schema: &Schema, name: &str) -> Result<usize> {
    find_on(schema, name, "left")
}

/// Spark's refusals of stream-static joins it cannot run incrementally.
fn check_streaming(kind: JoinKind, left_streaming: bool, right_streaming: bool) -> Result<()> {
    let msg = match (kind, left_streaming, right_streaming) {
        (_, true, true) => "StreamLab joins a stream with a static DataFrame only: stream-stream joins are not supported yet.",
        (JoinKind::Right, true, false) => "RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported",
        (JoinKind::Full, true, false) => "FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported",
        (JoinKind::Left, false, true) => "LeftOuter join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported",
        (JoinKind::Full, false, true) => "FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported",
        (JoinKind::LeftSemi | JoinKind::LeftAnti, false, true) => "LeftSemi/LeftAnti join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported",
        _ => return Ok(()),
    };
    Err(SparkError::analysis(msg))
}

/// The join's output columns: for a USING join the key columns once, then the left's other
/// columns, then the right's; semi and anti joins keep only the left's.
fn output_schema(left: &Schema, right: &Schema, kind: JoinKind, condition: &JoinCondition) -> Result<SchemaRef> {
    let nullable_right = matches!(kind, JoinKind::Left | JoinKind::Full);
    let nullable_left = matches!(kind, JoinKind::Right | JoinKind::Full);
    let field = |f: &Field, nullable: bool| f.clone().with_nullable(f.is_nullable() || nullable);
    if matches!(kind, JoinKind::LeftSemi | JoinKind::LeftAnti) {
        return Ok(Arc::new(left.clone()));
    }
    let mut fields = Vec::new();
    match condition {
        JoinCondition::Using(names) => {
            for n in names {
                fields.push(field(left.field(find(left, n)?), nullable_left));
                find_on(right, n, "right")?;
            }
            let is_key = |f: &Field| names.iter().any(|n| n.eq_ignore_ascii_case(f.name()));
            fields.extend(left.fields().iter().filter(|f| !is_key(f)).map(|f| field(f, nullable_left)));
            fields.extend(right.fields().iter().filter(|f| !is_key(f)).map(|f| field(f, nullable_right)));
        }
        JoinCondition::Expr(_) => {
            fields.extend(left.fields().iter().map(|f| field(f, nullable_left)));
            fields.extend(right.fields().iter().map(|f| field(f, nullable_right)));
        }
    }
    Ok(Arc::new(Schema::new(fields)))
}

impl DataFrame {
    /// `join(other, on, how)`: a stream joined to a static DataFrame (or two static ones).
    pub fn join(&self, other: &DataFrame, on: JoinCondition, how: &str) -> Result<DataFrame> {
        let kind = JoinKind::parse(how)?;
        check_streaming(kind, self.is_streaming(), other.is_streaming())?;
        let (left, right) = (self.schema(), other.schema());
        let schema = output_schema(&left, &right, kind, &on)?;
        if let JoinCondition::Expr(e) = &on {
            let both = Schema::new([left.fields().to_vec(), right.fields().to_vec()].concat());
            resolve(e, &both)?;
        }
        Ok(DataFrame::new(
            self.session().clone(),
            Rc::new(LogicalPlan::Join { left: self.plan().clone(), right: other.plan().clone(), kind, on, schema }),
        ))
    }
}

/// Pairs of matching (left row, right row) indices, plus the left rows with no match.
struct Matches {
    left: Vec<u32>,
    right: Vec<u32>,
    matched: Vec<bool>,
}

fn using_matches(left: &RecordBatch, right: &RecordBatch, names: &[String]) -> Result<Matches> {
    let key_columns = |b: &RecordBatch, side: &str| -> Result<Vec<ArrayRef>> {
        names.iter().map(|n| Ok(b.column(find_on(&b.schema(), n, side)?).clone())).collect()
    };
    let (lk, rk) = (key_columns(left, "left")?, key_columns(right, "right")?);
    // Keys are compared as the left side's types.
    let rk = rk
        .iter()
        .zip(&lk)
        .map(|(r, l)| streamlab_expr::cast::cast_array(r, l.data_type()))
        .collect::<Result<Vec<_>>>()?;
    let converter = RowConverter::new(lk.iter().map(|a| SortField::new(a.data_type().clone())).collect())?;
    let (lrows, rrows) = (converter.convert_columns(&lk)?, converter.convert_columns(&rk)?);
    let has_null = |cols: &[ArrayRef], i: usize| cols.iter().any(|c| c.is_null(i));
    let mut table: HashMap<OwnedRow, Vec<u32>> = HashMap::new();
    for i in 0..right.num_rows() {
        if !has_null(&rk, i) {
            table.entry(rrows.row(i).owned()).or_default().push(i as u32);
        }
    }
    let mut m = Matches { left: Vec::new(), right: Vec::new(), matched: vec![false; left.num_rows()] };
    for i in 0..left.num_rows() {
        if has_null(&lk, i) {
            continue;
        }
        if let Some(rows) = table.get(&lrows.row(i).owned()) {
            m.matched[i] = true;
            for r in rows {
                m.left.push(i as u32);
                m.right.push(*r);
            }
        }
    }
    Ok(m)
}

fn expr_matches(left: &RecordBatch, right: &RecordBatch, condition: &Expr, ctx: &EvalContext) -> Result<Matches> {
    let (n, k) = (left.num_rows() as u32, right.num_rows() as u32);
    let li: UInt32Array = (0..n).flat_map(|i| std::iter::repeat_n(i, k as usize)).collect();
    let ri: UInt32Array = (0..n).flat_map(|_| 0..k).collect();
    let columns: Vec<ArrayRef> = left
        .columns()
        .iter()
        .map(|c| take(c.as_ref(), &li, None))
        .chain(right.columns().iter().map(|c| take(c.as_ref(), &ri, None)))
        .collect::<std::result::Result<_, _>>()?;
    let schema = Arc::new(Schema::new([left.schema().fields().to_vec(), right.schema().fields().to_vec()].concat()));
    let cross = RecordBatch::try_new(schema.clone(), columns)?;
    let predicate = resolve(condition, &schema)?.evaluate(&cross, ctx)?;
    let mask = predicate.as_any().downcast_ref::<BooleanArray>().ok_or_else(|| {
        SparkError::analysis("The join condition must be a boolean expression")
    })?;
    let mut m = Matches { left: Vec::new(), right: Vec::new(), matched: vec![false; n as usize] };
    for p in 0..mask.len() {
        if mask.is_valid(p) && mask.value(p) {
            let (l, r) = (li.value(p), ri.value(p));
            m.left.push(l);
            m.right.push(r);
            if let Some(slot) = m.matched.get_mut(l as usize) {
                *slot = true;
            }
        }
    }
    Ok(m)
}

/// Joins each batch of the left side with all of the right side.
#[allow(clippy::too_many_arguments)]
pub(crate) fn join_batches(
    left: &[RecordBatch],
    right: &[RecordBatch],
    left_schema: &SchemaRef,
    right_schema: &SchemaRef,
    kind: JoinKind,
    on: &JoinCondition,
    schema: &SchemaRef,
    ctx: &EvalContext,
) -> Result<Vec<RecordBatch>> {
    let right = concat_batches(right_schema, right)?;
    let mut out = Vec::with_capacity(left.len() + 1);
    // Right rows some left row matched, across every left batch: the rest close a right or
    // full outer join, with nulls on the left.
    let mut right_matched = vec![false; right.num_rows()];
    for batch in left {
        let m = match on {
            JoinCondition::Using(names) => using_matches(batch, &right, names)?,
            JoinCondition::Expr(e) => expr_matches(batch, &right, e, ctx)?,
        };
        if matches!(kind, JoinKind::LeftSemi | JoinKind::LeftAnti) {
            let keep: BooleanArray = m.matched.iter().map(|v| Some(*v == (kind == JoinKind::LeftSemi))).collect();
            out.push(RecordBatch::try_new(schema.clone(), filter_record_batch(batch, &keep)?.columns().to_vec())?);
            continue;
        }
        for r in &m.right {
            if let Some(seen) = right_matched.get_mut(*r as usize) {
                *seen = true;
            }
        }
        let (mut li, mut ri): (Vec<Option<u32>>, Vec<Option<u32>>) =
            (m.left.iter().map(|v| Some(*v)).collect(), m.right.iter().map(|v| Some(*v)).collect());
        if matches!(kind, JoinKind::Left | JoinKind::Full) {
            for (i, matched) in m.matched.iter().enumerate() {
                if !matched {
                    li.push(Some(i as u32));
                    ri.push(None);
                }
            }
        }
        let (li, ri) = (UInt32Array::from(li), UInt32Array::from(ri));
        let left_cols: Vec<ArrayRef> = batch.columns().iter().map(|c| take(c.as_ref(), &li, None)).collect::<std::result::Result<_, _>>()?;
        let right_cols: Vec<ArrayRef> = right.columns().iter().map(|c| take(c.as_ref(), &ri, None)).collect::<std::result::Result<_, _>>()?;
        out.push(joined_batch(left_cols, right_cols, left_schema, right_schema, on, schema, false)?);
    }
    if matches!(kind, JoinKind::Right | JoinKind::Full) {
        let unmatched: UInt32Array = right_matched.iter().enumerate().filter(|(_, m)| !**m).map(|(i, _)| i as u32).collect();
        if !unmatched.is_empty() {
            let left_cols: Vec<ArrayRef> =
                left_schema.fields().iter().map(|f| arrow::array::new_null_array(f.data_type(), unmatched.len())).collect();
            let right_cols: Vec<ArrayRef> =
                right.columns().iter().map(|c| take(c.as_ref(), &unmatched, None)).collect::<std::result::Result<_, _>>()?;
            out.push(joined_batch(left_cols, right_cols, left_schema, right_schema, on, schema, true)?);
        }
    }
    Ok(out)
}

/// The output columns of joined rows: for `USING`, the keys first (from the right side when
/// `keys_from_right`: rows only the right side has), then each side's other columns; for a
/// condition, all left columns then all right columns.
fn joined_batch(
    left_cols: Vec<ArrayRef>,
    right_cols: Vec<ArrayRef>,
    left_schema: &SchemaRef,
    right_schema: &SchemaRef,
    on: &JoinCondition,
    schema: &SchemaRef,
    keys_from_right: bool,
) -> Result<RecordBatch> {
    let columns: Vec<ArrayRef> = match on {
        JoinCondition::Using(names) => {
            let is_key = |f: &Field| names.iter().any(|n| n.eq_ignore_ascii_case(f.name()));
            let mut cols = Vec::new();
            for n in names {
                cols.push(if keys_from_right {
                    right_cols[find(right_schema, n)?].clone()
                } else {
                    left_cols[find(left_schema, n)?].clone()
                });
            }
            cols.extend(left_schema.fields().iter().zip(&left_cols).filter(|(f, _)| !is_key(f)).map(|(_, c)| c.clone()));
            cols.extend(right_schema.fields().iter().zip(&right_cols).filter(|(f, _)| !is_key(f)).map(|(_, c)| c.clone()));
            cols
        }
        JoinCondition::Expr(_) => left_cols.into_iter().chain(right_cols).collect(),
    };
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}
