//! Aggregate functions, as the engine's `groupBy(...).agg(...)` needs them: Spark's names, types
//! and nullability ([`resolve_aggregate`]), and incremental [`Accumulator`]s whose state can be
//! merged and checkpointed ([`encode_state`]).
//!
//! Supported: `count(*)`, `count(x, …)`, `sum`, `avg`/`mean`, `min`, `max`, `first`/`last`
//! (`ignorenulls`), `approx_count_distinct` (Spark's HLL++), and `count(DISTINCT …)` (call it as
//! `count_distinct`/`countDistinct`; the engine must refuse it on streams, see
//! [`AggregateExpr::is_distinct`]).
//!
//! ```
//! use arrow::datatypes::{DataType, Field, Schema};
//! use streamlab_expr::aggregate::resolve_aggregate;
//! use streamlab_expr::{parse_expression, Expr};
//! let schema = Schema::new(vec![Field::new("i", DataType::Int32, true)]);
//! let a = resolve_aggregate(&parse_expression("count(*)").unwrap(), &schema).unwrap();
//! assert_eq!((a.name(), a.data_type(), a.nullable()), ("count(1)", &DataType::Int64, false));
//! let s = resolve_aggregate(&Expr::call("sum", vec![Expr::col("i")]).alias("total"), &schema).unwrap();
//! assert_eq!((s.name(), s.data_type()), ("total", &DataType::Int64));
//! ```

mod accumulator;
mod hll;
#[rustfmt::skip]
mod hll_tables;
mod output;
mod state;
mod value;

use arrow::array::ArrayRef;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use streamlab_types::{Result, SparkError};

pub use accumulator::Accumulator;
pub use output::literals_to_array;
pub use state::{decode_state, encode_state};
pub use value::literal_at;

use accumulator::{AvgAcc, CountAcc, CountDistinctAcc, FirstLastAcc, HllAcc, MinMaxAcc, SumAcc, SumKind};
use crate::expr::Expr;
use crate::literal::Literal;
use crate::physical::{EvalContext, PhysicalExpr};
use crate::resolve::coercion::cast_implicit;
use crate::types::{is_integral, is_string, sql_name};

/// Aggregate function names StreamLab can run (lowercase, as called).
const SUPPORTED: [&str; 13] = [
    "count",
    "sum",
    "avg",
    "mean",
    "min",
    "max",
    "first",
    "first_value",
    "last",
    "last_value",
    "approx_count_distinct",
    "count_distinct",
    "countdistinct",
];

/// Spark aggregate functions StreamLab recognises (so they are never mistaken for row
/// functions) but cannot run yet.
const RECOGNISED: [&str; 16] = [
    "any_value",
    "collect_list",
    "collect_set",
    "stddev",
    "stddev_samp",
    "stddev_pop",
    "variance",
    "var_samp",
    "var_pop",
    "sum_distinct",
    "sumdistinct",
    "percentile_approx",
    "approx_percentile",
    "corr",
    "covar_pop",
    "covar_samp",
];

/// Whether `name` (any case) is an aggregate function.
///
/// ```
/// assert!(streamlab_expr::aggregate::is_aggregate_name("SUM"));
/// assert!(!streamlab_expr::aggregate::is_aggregate_name("upper"));
/// ```
pub fn is_aggregate_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    SUPPORTED.contains(&n.as_str()) || RECOGNISED.contains(&n.as_str())
}

/// Whether `expr` itself (under any aliases) is an aggregate function call.
///
/// Why: the engine splits a select list into aggregates and grouping expressions.
///
/// ```
/// use streamlab_expr::aggregate::is_aggregate_call;
/// use streamlab_expr::Expr;
/// assert!(is_aggregate_call(&Expr::call("max", vec![Expr::col("x")]).alias("m")));
/// assert!(!is_aggregate_call(&Expr::call("abs", vec![Expr::call("max", vec![Expr::col("x")])])));
/// ```
pub fn is_aggregate_call(expr: &Expr) -> bool {
    match expr {
        Expr::Alias(e, _) => is_aggregate_call(e),
        Expr::Function { name, .. } => is_aggregate_name(name),
        _ => false,
    }
}

impl Expr {
    /// Whether an aggregate call appears anywhere in the expression.
    ///
    /// Why: `withColumn("s", sum(x))` and `filter(sum(x) > 1)` must be refused, and a select
    /// list containing aggregates is an aggregation.
    ///
    /// ```
    /// use streamlab_expr::parse_expression;
    /// assert!(parse_expression("sum(x) + 1").unwrap().contains_aggregate());
    /// assert!(!parse_expression("x + 1").unwrap().contains_aggregate());
    /// ```
    pub fn contains_aggregate(&self) -> bool {
        is_aggregate_call(self) || self.children().into_iter().any(|c| c.contains_aggregate())
    }
}

/// Spark's `MISSING_GROUP_BY`: an aggregate where no aggregation happens (`withColumn`,
/// `select(sum(x), y)`).
///
/// ```
/// let e = streamlab_expr::aggregate::missing_group_by();
/// assert!(e.to_string().starts_with("[MISSING_GROUP_BY] The query does not include a GROUP BY clause."));
/// ```
pub fn missing_group_by() -> SparkError {
    SparkError::analysis(
        "The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses.",
    )
    .with_class("MISSING_GROUP_BY")
}

/// Which aggregate, with its options.
///
/// ```
/// use streamlab_expr::aggregate::AggregateFunction;
/// assert_eq!(AggregateFunction::Count.name(), "count");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AggregateFunction {
    /// `count(*)` / `count(x, …)`.
    Count,
    /// `sum(x)`.
    Sum,
    /// `avg(x)` / `mean(x)`.
    Avg,
    /// `min(x)`.
    Min,
    /// `max(x)`.
    Max,
    /// `first(x[, ignorenulls])`.
    First {
        /// Skip nulls.
        ignore_nulls: bool,
    },
    /// `last(x[, ignorenulls])`.
    Last {
        /// Skip nulls.
        ignore_nulls: bool,
    },
    /// `approx_count_distinct(x[, relativeSD])` (HLL++).
    ApproxCountDistinct {
        /// The requested relative standard deviation (default 0.05).
        relative_sd: f64,
    },
    /// `count(DISTINCT x, …)`: exact; not allowed on streams.
    CountDistinct,
}

impl AggregateFunction {
    /// The function's name in Spark's column names (`count`, `avg`, `first`).
    ///
    /// ```
    /// use streamlab_expr::aggregate::AggregateFunction;
    /// assert_eq!(AggregateFunction::First { ignore_nulls: true }.name(), "first");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            AggregateFunction::Count | AggregateFunction::CountDistinct => "count",
            AggregateFunction::Sum => "sum",
            AggregateFunction::Avg => "avg",
            AggregateFunction::Min => "min",
            AggregateFunction::Max => "max",
            AggregateFunction::First { .. } => "first",
            AggregateFunction::Last { .. } => "last",
            AggregateFunction::ApproxCountDistinct { .. } => "approx_count_distinct",
        }
    }
}

/// A resolved aggregate: Spark's output name, type and nullability, its (coerced) arguments,
/// and a factory for accumulators.
///
/// Why: the engine evaluates the arguments per batch ([`AggregateExpr::evaluate_args`]), keeps
/// one accumulator per group key, and builds the output column from `evaluate()` results with
/// [`literals_to_array`].
///
/// ```
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_expr::aggregate::resolve_aggregate;
/// use streamlab_expr::Expr;
/// let schema = Schema::new(vec![Field::new("d", DataType::Float64, true)]);
/// // SQL `mean(d)` keeps its name; PySpark's `F.mean("d")` is `avg(d)`
/// let a = resolve_aggregate(&Expr::call("mean", vec![Expr::col("d")]), &schema).unwrap();
/// assert_eq!(a.field().name(), "mean(d)");
/// ```
#[derive(Debug, Clone)]
pub struct AggregateExpr {
    function: AggregateFunction,
    args: Vec<PhysicalExpr>,
    name: String,
    sql: String,
    data_type: DataType,
    nullable: bool,
    /// Decimal precision/scale of sum/avg buffers and avg results.
    sum_kind: Option<SumKind>,
    avg_result: Option<(u8, i8)>,
}

impl AggregateExpr {
    /// The function.
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::aggregate::{resolve_aggregate, AggregateFunction};
    /// use streamlab_expr::Expr;
    /// let a = resolve_aggregate(&Expr::call("count", vec![Expr::lit(1)]), &Schema::empty()).unwrap();
    /// assert_eq!(a.function(), AggregateFunction::Count);
    /// ```
    pub fn function(&self) -> AggregateFunction {
        self.function
    }

    /// The output column name (`count(1)`, `sum(x)`, `avg(x)`, or the alias).
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::Expr;
    /// let a = resolve_aggregate(&Expr::call("count", vec![Expr::col("*")]), &Schema::empty()).unwrap();
    /// assert_eq!(a.name(), "count(1)");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The call's SQL text (`sum(x)`), whatever the alias.
    ///
    /// ```
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::Expr;
    /// let schema = Schema::new(vec![Field::new("x", DataType::Int32, true)]);
    /// let a = resolve_aggregate(&Expr::call("sum", vec![Expr::col("x")]).alias("s"), &schema).unwrap();
    /// assert_eq!((a.name(), a.sql()), ("s", "sum(x)"));
    /// ```
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The result type.
    ///
    /// ```
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::Expr;
    /// let schema = Schema::new(vec![Field::new("x", DataType::Int16, true)]);
    /// let a = resolve_aggregate(&Expr::call("max", vec![Expr::col("x")]), &schema).unwrap();
    /// assert_eq!(a.data_type(), &DataType::Int16);
    /// ```
    pub fn data_type(&self) -> &DataType {
        &self.data_type
    }

    /// Whether the result can be null (`false` for counts).
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::Expr;
    /// assert!(!resolve_aggregate(&Expr::call("count", vec![Expr::lit(1)]), &Schema::empty()).unwrap().nullable());
    /// ```
    pub fn nullable(&self) -> bool {
        self.nullable
    }

    /// The output field.
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::Expr;
    /// let f = resolve_aggregate(&Expr::call("count", vec![Expr::lit(1)]).alias("count"), &Schema::empty()).unwrap().field();
    /// assert_eq!(f.name(), "count");
    /// ```
    pub fn field(&self) -> Field {
        Field::new(self.name.clone(), self.data_type.clone(), self.nullable)
    }

    /// Renames the output (`groupBy(...).count()` names `count(1)` as `count`).
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::Expr;
    /// let a = resolve_aggregate(&Expr::call("count", vec![Expr::lit(1)]), &Schema::empty()).unwrap().with_name("count");
    /// assert_eq!(a.name(), "count");
    /// ```
    pub fn with_name(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    /// The resolved, coerced arguments (what [`Accumulator::update`] receives, evaluated).
    ///
    /// ```
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::Expr;
    /// let schema = Schema::new(vec![Field::new("x", DataType::Int32, true)]);
    /// let a = resolve_aggregate(&Expr::call("sum", vec![Expr::col("x")]), &schema).unwrap();
    /// assert_eq!(a.args()[0].data_type(), &DataType::Int64); // Spark casts to bigint first
    /// ```
    pub fn args(&self) -> &[PhysicalExpr] {
        &self.args
    }

    /// Whether this is a distinct aggregate, which Spark refuses on streaming DataFrames
    /// (`Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.`).
    ///
    /// ```
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::Expr;
    /// let schema = Schema::new(vec![Field::new("x", DataType::Int32, true)]);
    /// let a = resolve_aggregate(&Expr::call("countDistinct", vec![Expr::col("x")]), &schema).unwrap();
    /// assert!(a.is_distinct() && a.name() == "count(DISTINCT x)");
    /// ```
    pub fn is_distinct(&self) -> bool {
        self.function == AggregateFunction::CountDistinct
    }

    /// Evaluates the arguments over a batch (input for [`Accumulator::update`]).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow::array::{Array, Int32Array};
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use arrow::record_batch::RecordBatch;
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::{EvalContext, Expr};
    /// let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int32, true)]));
    /// let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int32Array::from(vec![1, 2]))]).unwrap();
    /// let a = resolve_aggregate(&Expr::call("sum", vec![Expr::col("x")]), &schema).unwrap();
    /// assert_eq!(a.evaluate_args(&batch, &EvalContext::default()).unwrap()[0].len(), 2);
    /// ```
    pub fn evaluate_args(&self, batch: &RecordBatch, ctx: &EvalContext) -> Result<Vec<ArrayRef>> {
        self.args.iter().map(|a| a.evaluate(batch, ctx)).collect()
    }

    /// A fresh, empty accumulator (`count` 0, `sum` null, …).
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::{Expr, Literal};
    /// let a = resolve_aggregate(&Expr::call("count", vec![Expr::lit(1)]), &Schema::empty()).unwrap();
    /// assert_eq!(a.new_accumulator().evaluate().unwrap(), Literal::Long(0));
    /// ```
    pub fn new_accumulator(&self) -> Box<dyn Accumulator> {
        let kind = self.sum_kind.unwrap_or(SumKind::Double);
        match self.function {
            AggregateFunction::Count => Box::new(CountAcc::default()),
            AggregateFunction::Sum => Box::new(SumAcc::new(kind)),
            AggregateFunction::Avg => Box::new(AvgAcc { sum: SumAcc::new(kind), count: 0, result: self.avg_result }),
            AggregateFunction::Min => Box::new(MinMaxAcc { is_max: false, value: Literal::Null }),
            AggregateFunction::Max => Box::new(MinMaxAcc { is_max: true, value: Literal::Null }),
            AggregateFunction::First { ignore_nulls } => {
                Box::new(FirstLastAcc { is_last: false, ignore_nulls, value: Literal::Null, set: false })
            }
            AggregateFunction::Last { ignore_nulls } => {
                Box::new(FirstLastAcc { is_last: true, ignore_nulls, value: Literal::Null, set: false })
            }
            AggregateFunction::ApproxCountDistinct { relative_sd } => {
                Box::new(HllAcc { hll: hll::Hll::new(hll::precision_for(relative_sd).unwrap_or(9)) })
            }
            AggregateFunction::CountDistinct => Box::new(CountDistinctAcc::default()),
        }
    }

    /// An accumulator restored from saved [`Accumulator::state`] (e.g. decoded with
    /// [`decode_state`] from a checkpoint).
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::aggregate::resolve_aggregate;
    /// use streamlab_expr::{Expr, Literal};
    /// let a = resolve_aggregate(&Expr::call("count", vec![Expr::lit(1)]), &Schema::empty()).unwrap();
    /// let acc = a.accumulator_from_state(&[Literal::Long(7)]).unwrap();
    /// assert_eq!(acc.evaluate().unwrap(), Literal::Long(7));
    /// assert!(a.accumulator_from_state(&[Literal::String("x".into())]).is_err());
    /// ```
    pub fn accumulator_from_state(&self, state: &[Literal]) -> Result<Box<dyn Accumulator>> {
        let mut acc = self.new_accumulator();
        acc.merge_state(state)?;
        Ok(acc)
    }
}

/// Resolves an aggregate call (optionally aliased) against the input schema: Spark's implicit
/// casts, result type, nullability and name.
///
/// Why: `groupBy(...).agg(...)` and global aggregations; errors are Spark's
/// (`DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE`, `NESTED_AGGREGATE_FUNCTION`, …).
///
/// ```
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_expr::aggregate::resolve_aggregate;
/// use streamlab_expr::Expr;
/// let schema = Schema::new(vec![Field::new("b", DataType::Boolean, true)]);
/// let e = resolve_aggregate(&Expr::call("sum", vec![Expr::col("b")]), &schema).unwrap_err();
/// assert_eq!(e.to_string(), "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"sum(b)\" due to data type mismatch: Parameter 1 requires the \"NUMERIC\" or \"ANSI INTERVAL\" type, however \"b\" has the type \"BOOLEAN\".");
/// ```
pub fn resolve_aggregate(expr: &Expr, input: &Schema) -> Result<AggregateExpr> {
    match expr {
        Expr::Alias(inner, alias) => Ok(resolve_aggregate(inner, input)?.with_name(alias)),
        Expr::Function { name, args } if is_aggregate_name(name) => resolve_call(name, args, input),
        other => Err(SparkError::analysis(format!(
            "StreamLab expects an aggregate function call here (count, sum, avg, min, max, first, last, approx_count_distinct), not {}.",
            crate::resolve::resolve(other, input).map(|e| e.sql().to_string()).unwrap_or_else(|_| format!("{other:?}"))
        ))),
    }
}

fn nested_aggregate() -> SparkError {
    SparkError::analysis(
        "It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.",
    )
    .with_class("NESTED_AGGREGATE_FUNCTION")
}

fn wrong_args(name: &str, expected: &str, got: usize) -> SparkError {
    SparkError::analysis(format!(
        "The `{name}` requires {expected} parameters but the actual number is {got}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix."
    ))
    .with_class("WRONG_NUM_ARGS.WITHOUT_SUGGESTION")
}

fn resolve_call(name: &str, args: &[Expr], input: &Schema) -> Result<AggregateExpr> {
    let lower = name.to_ascii_lowercase();
    if args.iter().any(|a| a.contains_aggregate()) {
        return Err(nested_aggregate());
    }
    if RECOGNISED.contains(&lower.as_str()) {
        return Err(SparkError::unsupported(format!("The aggregate function `{lower}` is not supported yet in StreamLab.")));
    }
    // count(*) is count(1) (Spark's Column API and parser both rewrite it)
    let args: Vec<Expr> = args
        .iter()
        .map(|a| match a {
            Expr::Column(c) if c == "*" && lower == "count" => Expr::lit(1),
            other => other.clone(),
        })
        .collect();
    let mut resolved = Vec::with_capacity(args.len());
    for a in &args {
        resolved.push(crate::resolve::resolve(a, input)?);
    }
    let arg_sqls: Vec<String> = resolved.iter().map(|a| a.sql().to_string()).collect();
    let first_sql = arg_sqls.first().cloned().unwrap_or_default();
    let plain = |fname: &str| format!("{}({})", fname, first_sql);
    let mk = |function, args, sql: String, data_type, nullable| AggregateExpr {
        function,
        args,
        name: sql.clone(),
        sql,
        data_type,
        nullable,
        sum_kind: None,
        avg_result: None,
    };
    match lower.as_str() {
        "count" => {
            if resolved.is_empty() {
                return Err(wrong_args("count", "at least 1", 0));
            }
            let sql = format!("count({})", arg_sqls.join(", "));
            Ok(mk(AggregateFunction::Count, resolved, sql, DataType::Int64, false))
        }
        "count_distinct" | "countdistinct" => {
            if resolved.is_empty() {
                return Err(wrong_args("count", "at least 1", 0));
            }
            let sql = format!("count(DISTINCT {})", arg_sqls.join(", "));
            Ok(mk(AggregateFunction::CountDistinct, resolved, sql, DataType::Int64, false))
        }
        "sum" | "avg" | "mean" => {
            let is_sum = lower == "sum";
            // SQL `mean(x)` keeps its name; PySpark's `F.mean` builds `avg`.
            let fname = lower.as_str();
            if resolved.len() != 1 {
                return Err(wrong_args(fname, "1", resolved.len()));
            }
            let sql = plain(fname);
            let arg = resolved.remove(0);
            let t = arg.data_type().clone();
            let (arg, kind, result_type, avg_result) = match &t {
                t if is_integral(t) && is_sum => (cast_implicit(arg, &DataType::Int64), SumKind::Long, DataType::Int64, None),
                DataType::Decimal128(p, s) => {
                    let sum_p = (*p + 10).min(38);
                    let kind = SumKind::Decimal { precision: sum_p, scale: *s };
                    if is_sum {
                        (arg, kind, DataType::Decimal128(sum_p, *s), None)
                    } else {
                        let (rp, rs) = ((*p + 4).min(38), (*s + 4).min(38));
                        (arg, kind, DataType::Decimal128(rp, rs), Some((rp, rs)))
                    }
                }
                t if is_integral(t)
                    || matches!(t, DataType::Float32 | DataType::Float64 | DataType::Null)
                    || is_string(t)
                    || (!is_sum && matches!(t, DataType::Timestamp(..))) =>
                {
                    (cast_implicit(arg, &DataType::Float64), SumKind::Double, DataType::Float64, None)
                }
                _ => {
                    return Err(SparkError::analysis(format!(
                        "Cannot resolve \"{}\" due to data type mismatch: Parameter 1 requires the \"NUMERIC\" or \"ANSI INTERVAL\" type, however \"{}\" has the type \"{}\".",
                        sql,
                        arg.sql(),
                        sql_name(&t)
                    ))
                    .with_class("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"))
                }
            };
            let function = if is_sum { AggregateFunction::Sum } else { AggregateFunction::Avg };
            let mut a = mk(function, vec![arg], sql, result_type, true);
            a.sum_kind = Some(kind);
            a.avg_result = avg_result;
            Ok(a)
        }
        "min" | "max" => {
            if resolved.len() != 1 {
                return Err(wrong_args(&lower, "1", resolved.len()));
            }
            let sql = plain(&lower);
            let t = resolved[0].data_type().clone();
            if !orderable(&t) {
                return Err(SparkError::analysis(format!(
                    "Cannot resolve \"{}\" due to data type mismatch: The `{}` does not support ordering on type \"{}\".",
                    sql,
                    lower,
                    sql_name(&t)
                ))
                .with_class("DATATYPE_MISMATCH.INVALID_ORDERING_TYPE"));
            }
            let f = if lower == "min" { AggregateFunction::Min } else { AggregateFunction::Max };
            Ok(mk(f, resolved, sql, t, true))
        }
        "first" | "first_value" | "last" | "last_value" => {
            if resolved.is_empty() || resolved.len() > 2 {
                return Err(wrong_args(&lower, "[1, 2]", resolved.len()));
            }
            let ignore_nulls = match resolved.get(1).map(|a| a.literal()) {
                None => false,
                Some(Some(Literal::Boolean(b))) => *b,
                Some(_) => {
                    return Err(SparkError::analysis(format!(
                        "The second argument in {} should be a boolean literal.",
                        lower
                    )))
                }
            };
            resolved.truncate(1);
            let sql = plain(&lower);
            let t = resolved[0].data_type().clone();
            let f = if lower.starts_with("first") {
                AggregateFunction::First { ignore_nulls }
            } else {
                AggregateFunction::Last { ignore_nulls }
            };
            Ok(mk(f, resolved, sql, t, true))
        }
        "approx_count_distinct" => {
            if resolved.is_empty() || resolved.len() > 2 {
                return Err(wrong_args(&lower, "[1, 2]", resolved.len()));
            }
            let relative_sd = match resolved.get(1).map(|a| a.literal()) {
                None => 0.05,
                Some(Some(Literal::Double(d))) => *d,
                Some(Some(Literal::Float(d))) => f64::from(*d),
                Some(Some(Literal::Decimal(v, _, s))) => *v as f64 / 10f64.powi(i32::from(*s)),
                Some(_) => {
                    return Err(SparkError::analysis("The second argument of approx_count_distinct must be a constant double."))
                }
            };
            if hll::precision_for(relative_sd).is_none() {
                return Err(SparkError::illegal_argument(
                    "requirement failed: HLL++ requires at least 4 bits for addressing. Use a lower error, at most 39%.",
                ));
            }
            resolved.truncate(1);
            let sql = plain(&lower);
            Ok(mk(AggregateFunction::ApproxCountDistinct { relative_sd }, resolved, sql, DataType::Int64, false))
        }
        other => Err(SparkError::unsupported(format!("The aggregate function `{other}` is not supported yet in StreamLab."))),
    }
}

fn orderable(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Null
            | DataType::Boolean
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::Float32
            | DataType::Float64
            | DataType::Decimal128(..)
            | DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Binary
            | DataType::Date32
            | DataType::Timestamp(..)
    )
}
