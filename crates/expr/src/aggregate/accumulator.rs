//! Incremental accumulators: one per aggregate per group, updated batch by batch, merged across
//! partial results, and kept as state between micro-batches.
//!
//! Every accumulator's whole state is a short list of [`Literal`]s ([`Accumulator::state`]);
//! merging is defined on states, so a restored accumulator (fresh one + [`Accumulator::merge_state`])
//! is indistinguishable from the original.

use std::collections::BTreeSet;
use std::fmt;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{Decimal128Type, Float64Type, Int64Type};
use streamlab_types::{Result, SparkError};

use super::hll::Hll;
use super::state::encode_state;
use super::value::{compare, literal_at};
use crate::literal::Literal;

/// An incremental aggregate: `update` with rows of a batch, `merge` with another partial result,
/// `state` to save, `evaluate` for the current result.
///
/// Why: Structured Streaming keeps one accumulator set per group key between micro-batches; the
/// engine stores `state()` (see [`super::encode_state`]) in its state store and restores it with
/// [`super::AggregateExpr::accumulator_from_state`].
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{ArrayRef, Int64Array};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_expr::aggregate::resolve_aggregate;
/// use streamlab_expr::{Expr, Literal};
/// let schema = Schema::new(vec![Field::new("x", DataType::Int64, true)]);
/// let agg = resolve_aggregate(&Expr::call("sum", vec![Expr::col("x")]), &schema).unwrap();
/// let values: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(vec![Some(1), None, Some(5)]))];
/// let (mut a, mut b) = (agg.new_accumulator(), agg.new_accumulator());
/// a.update(&values, &[0]).unwrap();
/// b.update(&values, &[1, 2]).unwrap();
/// a.merge(b.as_ref()).unwrap();
/// assert_eq!(a.evaluate().unwrap(), Literal::Long(6));
/// ```
pub trait Accumulator: fmt::Debug + Send + Sync {
    /// Adds rows `rows` (indices into each of `values`, processed in order) to the aggregate;
    /// `values` are the aggregate's evaluated arguments ([`super::AggregateExpr::evaluate_args`]).
    fn update(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()>;

    /// Folds another accumulator's state into this one (as if its rows came after ours).
    fn merge(&mut self, other: &dyn Accumulator) -> Result<()> {
        self.merge_state(&other.state())
    }

    /// Folds a saved state into this one. Restoring = a fresh accumulator + `merge_state`.
    fn merge_state(&mut self, state: &[Literal]) -> Result<()>;

    /// The whole state, exactly (Spark's aggregation buffer).
    fn state(&self) -> Vec<Literal>;

    /// The current result, typed as [`super::AggregateExpr::data_type`] (or `Literal::Null`).
    fn evaluate(&self) -> Result<Literal>;

    /// A copy (accumulators are trait objects).
    fn clone_box(&self) -> Box<dyn Accumulator>;
}

impl Clone for Box<dyn Accumulator> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

fn bad_state(what: &str, state: &[Literal]) -> SparkError {
    SparkError::illegal_state(format!("Corrupt {what} state: {state:?}"))
}

fn row(r: u32, len: usize) -> Result<usize> {
    let r = r as usize;
    if r >= len {
        return Err(SparkError::runtime(format!("internal error: row {r} out of {len} rows")));
    }
    Ok(r)
}

fn value_arg(values: &[ArrayRef]) -> Result<&ArrayRef> {
    values.first().ok_or_else(|| SparkError::runtime("internal error: aggregate without input"))
}

// ---------------------------------------------------------------- count

/// `count(*)` / `count(x, …)`: rows where every argument is non-null. State `[count]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct CountAcc {
    pub(crate) count: i64,
}

impl Accumulator for CountAcc {
    fn update(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()> {
        for &r in rows {
            let mut all = true;
            for v in values {
                if v.is_null(row(r, v.len())?) {
                    all = false;
                    break;
                }
            }
            if all {
                self.count = self.count.wrapping_add(1);
            }
        }
        Ok(())
    }
    fn merge_state(&mut self, state: &[Literal]) -> Result<()> {
        match state {
            [Literal::Long(n)] => {
                self.count = self.count.wrapping_add(*n);
                Ok(())
            }
            _ => Err(bad_state("count", state)),
        }
    }
    fn state(&self) -> Vec<Literal> {
        vec![Literal::Long(self.count)]
    }
    fn evaluate(&self) -> Result<Literal> {
        Ok(Literal::Long(self.count))
    }
    fn clone_box(&self) -> Box<dyn Accumulator> {
        Box::new(self.clone())
    }
}

// ---------------------------------------------------------------- sum

/// The arithmetic a `sum`/`avg` buffer uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum SumKind {
    /// Input cast to bigint; wraps on overflow (non-ANSI Java `long`).
    Long,
    /// Input cast to double.
    Double,
    /// Decimal input; the buffer is `decimal(precision, scale)`; overflow gives null.
    Decimal { precision: u8, scale: i8 },
}

/// A running sum: `None` before the first non-null value (or after a decimal overflow, which
/// `empty == false` tells apart).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SumValue {
    Long(i64),
    Double(f64),
    Decimal(i128),
}

fn pow10(p: u8) -> i128 {
    10i128.checked_pow(u32::from(p)).unwrap_or(i128::MAX)
}

/// `sum(x)`. State `[sum or null]`, plus `[is_empty]` for decimals (as Spark's buffer).
#[derive(Debug, Clone)]
pub(crate) struct SumAcc {
    pub(crate) kind: SumKind,
    pub(crate) sum: Option<SumValue>,
    pub(crate) empty: bool,
}

impl SumAcc {
    pub(crate) fn new(kind: SumKind) -> Self {
        SumAcc { kind, sum: None, empty: true }
    }

    fn add(&mut self, v: SumValue) {
        let overflowed = !self.empty && self.sum.is_none();
        if overflowed {
            return;
        }
        self.sum = match (self.sum.take(), v, self.kind) {
            (None, v, SumKind::Decimal { precision, .. }) => match v {
                SumValue::Decimal(x) if x.unsigned_abs() >= pow10(precision).unsigned_abs() => None,
                v => Some(v),
            },
            (None, v, _) => Some(v),
            (Some(SumValue::Long(a)), SumValue::Long(b), _) => Some(SumValue::Long(a.wrapping_add(b))),
            (Some(SumValue::Double(a)), SumValue::Double(b), _) => Some(SumValue::Double(a + b)),
            (Some(SumValue::Decimal(a)), SumValue::Decimal(b), SumKind::Decimal { precision, .. }) => {
                a.checked_add(b).filter(|s| s.unsigned_abs() < pow10(precision).unsigned_abs()).map(SumValue::Decimal)
            }
            (_, v, _) => Some(v),
        };
        self.empty = false;
    }

    fn literal(&self) -> Literal {
        match (&self.sum, self.kind) {
            (None, _) => Literal::Null,
            (Some(SumValue::Long(v)), _) => Literal::Long(*v),
            (Some(SumValue::Double(v)), _) => Literal::Double(*v),
            (Some(SumValue::Decimal(v)), SumKind::Decimal { precision, scale }) => Literal::Decimal(*v, precision, scale),
            (Some(SumValue::Decimal(v)), _) => Literal::Decimal(*v, 38, 0),
        }
    }

    fn value_of(&self, l: &Literal) -> Option<Option<SumValue>> {
        Some(match (l, self.kind) {
            (Literal::Null, _) => None,
            (Literal::Long(v), SumKind::Long) => Some(SumValue::Long(*v)),
            (Literal::Double(v), SumKind::Double) => Some(SumValue::Double(*v)),
            (Literal::Decimal(v, ..), SumKind::Decimal { .. }) => Some(SumValue::Decimal(*v)),
            _ => return None,
        })
    }

    fn update_rows(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()> {
        let arr = value_arg(values)?;
        for &r in rows {
            let i = row(r, arr.len())?;
            if arr.is_null(i) {
                continue;
            }
            let v = match self.kind {
                SumKind::Long => SumValue::Long(
                    arr.as_primitive_opt::<Int64Type>().ok_or_else(|| SparkError::runtime("sum input is not bigint"))?.value(i),
                ),
                SumKind::Double => SumValue::Double(
                    arr.as_primitive_opt::<Float64Type>().ok_or_else(|| SparkError::runtime("sum input is not double"))?.value(i),
                ),
                SumKind::Decimal { .. } => SumValue::Decimal(
                    arr.as_primitive_opt::<Decimal128Type>()
                        .ok_or_else(|| SparkError::runtime("sum input is not decimal"))?
                        .value(i),
                ),
            };
            self.add(v);
        }
        Ok(())
    }

    /// Merges another buffer `(sum, empty)`.
    fn merge_parts(&mut self, sum: Option<SumValue>, empty: bool) {
        if empty {
            return;
        }
        match sum {
            Some(v) => self.add(v),
            None => {
                // the other side overflowed: so does the merge
                self.sum = None;
                self.empty = false;
            }
        }
    }
}

impl Accumulator for SumAcc {
    fn update(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()> {
        self.update_rows(values, rows)
    }
    fn merge_state(&mut self, state: &[Literal]) -> Result<()> {
        match (state, self.kind) {
            ([s, Literal::Boolean(empty)], SumKind::Decimal { .. }) => {
                let v = self.value_of(s).ok_or_else(|| bad_state("sum", state))?;
                self.merge_parts(v, *empty);
                Ok(())
            }
            ([s], SumKind::Long | SumKind::Double) => {
                let v = self.value_of(s).ok_or_else(|| bad_state("sum", state))?;
                let empty = v.is_none();
                self.merge_parts(v, empty);
                Ok(())
            }
            _ => Err(bad_state("sum", state)),
        }
    }
    fn state(&self) -> Vec<Literal> {
        match self.kind {
            SumKind::Decimal { .. } => vec![self.literal(), Literal::Boolean(self.empty)],
            _ => vec![self.literal()],
        }
    }
    fn evaluate(&self) -> Result<Literal> {
        Ok(self.literal())
    }
    fn clone_box(&self) -> Box<dyn Accumulator> {
        Box::new(self.clone())
    }
}

// ---------------------------------------------------------------- avg

/// `avg(x)`: a sum (double, or decimal of the input's scale) and a count. State `[sum, count]`.
/// The result is `sum / count` (double), or for decimals `decimal(p+4, s+4)` rounded half up.
#[derive(Debug, Clone)]
pub(crate) struct AvgAcc {
    pub(crate) sum: SumAcc,
    pub(crate) count: i64,
    /// Result precision and scale for decimal input.
    pub(crate) result: Option<(u8, i8)>,
}

impl Accumulator for AvgAcc {
    fn update(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()> {
        let arr = value_arg(values)?;
        for &r in rows {
            if !arr.is_null(row(r, arr.len())?) {
                self.count = self.count.wrapping_add(1);
            }
        }
        self.sum.update_rows(values, rows)
    }
    fn merge_state(&mut self, state: &[Literal]) -> Result<()> {
        match state {
            [s, Literal::Long(n)] => {
                let v = self.sum.value_of(s).ok_or_else(|| bad_state("avg", state))?;
                self.sum.merge_parts(v, *n == 0);
                self.count = self.count.wrapping_add(*n);
                Ok(())
            }
            _ => Err(bad_state("avg", state)),
        }
    }
    fn state(&self) -> Vec<Literal> {
        vec![self.sum.literal(), Literal::Long(self.count)]
    }
    fn evaluate(&self) -> Result<Literal> {
        if self.count == 0 {
            return Ok(Literal::Null);
        }
        Ok(match (&self.sum.sum, self.result, self.sum.kind) {
            (None, ..) => Literal::Null,
            (Some(SumValue::Double(s)), ..) => Literal::Double(s / self.count as f64),
            (Some(SumValue::Long(s)), ..) => Literal::Double(*s as f64 / self.count as f64),
            (Some(SumValue::Decimal(s)), Some((p, rs)), SumKind::Decimal { scale, .. }) => {
                let shift = u32::try_from(i32::from(rs) - i32::from(scale)).unwrap_or(0);
                match s.checked_mul(10i128.pow(shift)) {
                    Some(num) => {
                        let c = i128::from(self.count);
                        let (q, rem) = (num / c, num % c);
                        // HALF_UP
                        let q = if rem.unsigned_abs() * 2 >= c.unsigned_abs() { q + num.signum() * c.signum() } else { q };
                        if q.unsigned_abs() >= pow10(p).unsigned_abs() {
                            Literal::Null
                        } else {
                            Literal::Decimal(q, p, rs)
                        }
                    }
                    None => Literal::Null,
                }
            }
            _ => Literal::Null,
        })
    }
    fn clone_box(&self) -> Box<dyn Accumulator> {
        Box::new(self.clone())
    }
}

// ---------------------------------------------------------------- min / max

/// `min(x)` / `max(x)` in Spark's ordering (NaN largest). State `[value or null]`.
#[derive(Debug, Clone)]
pub(crate) struct MinMaxAcc {
    pub(crate) is_max: bool,
    pub(crate) value: Literal,
}

impl MinMaxAcc {
    fn offer(&mut self, v: Literal) -> Result<()> {
        if v == Literal::Null {
            return Ok(());
        }
        if self.value == Literal::Null {
            self.value = v;
            return Ok(());
        }
        let ord = compare(&v, &self.value)
            .ok_or_else(|| SparkError::runtime(format!("internal error: cannot compare {v:?} with {:?}", self.value)))?;
        let better = if self.is_max { ord.is_gt() } else { ord.is_lt() };
        if better {
            self.value = v;
        }
        Ok(())
    }
}

impl Accumulator for MinMaxAcc {
    fn update(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()> {
        let arr = value_arg(values)?;
        for &r in rows {
            let v = literal_at(arr, r as usize)?;
            self.offer(v)?;
        }
        Ok(())
    }
    fn merge_state(&mut self, state: &[Literal]) -> Result<()> {
        match state {
            [v] => self.offer(v.clone()),
            _ => Err(bad_state(if self.is_max { "max" } else { "min" }, state)),
        }
    }
    fn state(&self) -> Vec<Literal> {
        vec![self.value.clone()]
    }
    fn evaluate(&self) -> Result<Literal> {
        Ok(self.value.clone())
    }
    fn clone_box(&self) -> Box<dyn Accumulator> {
        Box::new(self.clone())
    }
}

// ---------------------------------------------------------------- first / last

/// `first(x[, ignorenulls])` / `last(…)`: state `[value, value_set]`, as Spark's buffer.
#[derive(Debug, Clone)]
pub(crate) struct FirstLastAcc {
    pub(crate) is_last: bool,
    pub(crate) ignore_nulls: bool,
    pub(crate) value: Literal,
    pub(crate) set: bool,
}

impl FirstLastAcc {
    fn offer(&mut self, v: Literal, counts: bool) {
        if !counts {
            return;
        }
        if self.is_last || !self.set {
            self.value = v;
            self.set = true;
        }
    }
}

impl Accumulator for FirstLastAcc {
    fn update(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()> {
        let arr = value_arg(values)?;
        for &r in rows {
            if self.set && !self.is_last {
                row(r, arr.len())?;
                continue;
            }
            let v = literal_at(arr, r as usize)?;
            let counts = !(self.ignore_nulls && v == Literal::Null);
            self.offer(v, counts);
        }
        Ok(())
    }
    fn merge_state(&mut self, state: &[Literal]) -> Result<()> {
        match state {
            [v, Literal::Boolean(set)] => {
                self.offer(v.clone(), *set);
                Ok(())
            }
            _ => Err(bad_state(if self.is_last { "last" } else { "first" }, state)),
        }
    }
    fn state(&self) -> Vec<Literal> {
        vec![self.value.clone(), Literal::Boolean(self.set)]
    }
    fn evaluate(&self) -> Result<Literal> {
        Ok(self.value.clone())
    }
    fn clone_box(&self) -> Box<dyn Accumulator> {
        Box::new(self.clone())
    }
}

// ---------------------------------------------------------------- approx_count_distinct

/// `approx_count_distinct(x[, rsd])`: Spark's HLL++. State `[registers (binary, one byte each)]`.
#[derive(Debug, Clone)]
pub(crate) struct HllAcc {
    pub(crate) hll: Hll,
}

impl Accumulator for HllAcc {
    fn update(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()> {
        let arr = value_arg(values)?;
        for &r in rows {
            let v = literal_at(arr, r as usize)?;
            self.hll.add(&v);
        }
        Ok(())
    }
    fn merge_state(&mut self, state: &[Literal]) -> Result<()> {
        match state {
            [Literal::Binary(regs)] if regs.len() == self.hll.registers().len() && regs.iter().all(|r| *r <= 64) => {
                self.hll.merge_registers(regs);
                Ok(())
            }
            _ => Err(bad_state("approx_count_distinct", state)),
        }
    }
    fn state(&self) -> Vec<Literal> {
        vec![Literal::Binary(self.hll.registers().to_vec())]
    }
    fn evaluate(&self) -> Result<Literal> {
        Ok(Literal::Long(self.hll.estimate()))
    }
    fn clone_box(&self) -> Box<dyn Accumulator> {
        Box::new(self.clone())
    }
}

// ---------------------------------------------------------------- count(DISTINCT …)

/// `count(DISTINCT x, …)` (batch only: Spark refuses it on streams). Keeps every distinct
/// non-null tuple, encoded; state = the encoded tuples as binaries, sorted.
#[derive(Debug, Clone, Default)]
pub(crate) struct CountDistinctAcc {
    pub(crate) seen: BTreeSet<Vec<u8>>,
}

/// `NormalizeFloatingNumbers`: `-0.0` → `0.0`, every NaN the same.
fn normalize(v: Literal) -> Literal {
    match v {
        // The pattern `0.0` matches `-0.0` too (float patterns compare with `==`).
        Literal::Double(0.0) => Literal::Double(0.0),
        Literal::Double(d) if d.is_nan() => Literal::Double(f64::NAN),
        Literal::Float(0.0) => Literal::Float(0.0),
        Literal::Float(f) if f.is_nan() => Literal::Float(f32::NAN),
        v => v,
    }
}

impl Accumulator for CountDistinctAcc {
    fn update(&mut self, values: &[ArrayRef], rows: &[u32]) -> Result<()> {
        'rows: for &r in rows {
            let mut tuple = Vec::with_capacity(values.len());
            for v in values {
                let l = literal_at(v, r as usize)?;
                if l == Literal::Null {
                    continue 'rows;
                }
                tuple.push(normalize(l));
            }
            self.seen.insert(encode_state(&tuple)?);
        }
        Ok(())
    }
    fn merge_state(&mut self, state: &[Literal]) -> Result<()> {
        for s in state {
            match s {
                Literal::Binary(b) => {
                    self.seen.insert(b.clone());
                }
                _ => return Err(bad_state("count(DISTINCT)", state)),
            }
        }
        Ok(())
    }
    fn state(&self) -> Vec<Literal> {
        self.seen.iter().map(|b| Literal::Binary(b.clone())).collect()
    }
    fn evaluate(&self) -> Result<Literal> {
        Ok(Literal::Long(self.seen.len() as i64))
    }
    fn clone_box(&self) -> Box<dyn Accumulator> {
        Box::new(self.clone())
    }
}
