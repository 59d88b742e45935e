//! Resolved expressions: a type, a nullability, Spark's column name, and an evaluator over Arrow
//! record batches.

use std::fmt;
use std::sync::Arc;

use arrow::array::{new_null_array, Array, ArrayRef, UInt32Array};
use arrow::datatypes::{DataType, Field};
use arrow::record_batch::RecordBatch;
use streamlab_types::{Result, SparkError};

use crate::literal::Literal;

/// What an evaluation may depend on besides the batch.
///
/// Why: `current_timestamp()` is the micro-batch's timestamp in Structured Streaming, the same for
/// every row and stable when a batch is replayed.
///
/// ```
/// use streamlab_expr::EvalContext;
/// let ctx = EvalContext { batch_timestamp_ms: 1_424_696_631_914 };
/// assert_eq!(ctx.batch_timestamp_ms, 1_424_696_631_914);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvalContext {
    /// `batchTimestampMs`: what `current_timestamp()` / `current_date()` / `now()` return.
    pub batch_timestamp_ms: i64,
}

/// A kernel: computes the output column from the evaluated arguments (`rows` = batch length).
pub(crate) type KernelFn = dyn Fn(&[ArrayRef], &EvalContext, usize) -> Result<ArrayRef> + Send + Sync;

/// How a resolved expression computes its value.
#[derive(Clone)]
pub(crate) enum Node {
    /// A top-level input column by position.
    Column(usize),
    /// A constant, held as a one-row array.
    Literal(Literal, ArrayRef),
    /// A computation over argument values.
    Kernel { args: Vec<PhysicalExpr>, kernel: Arc<KernelFn> },
}

/// A resolved expression: typed, named the way Spark names it, ready to evaluate.
///
/// Why: the engine projects and filters batches with these; `name()` is what `df.columns` and
/// `show()` headers print.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, Int64Array};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use arrow::record_batch::RecordBatch;
/// use streamlab_expr::{parse_expression, resolve, EvalContext};
///
/// let schema = Schema::new(vec![Field::new("x", DataType::Int64, true)]);
/// let batch = RecordBatch::try_new(Arc::new(schema.clone()), vec![Arc::new(Int64Array::from(vec![1, 2]))]).unwrap();
/// let e = resolve(&parse_expression("x / 2").unwrap(), &schema).unwrap();
/// assert_eq!(e.name(), "(x / 2)");
/// assert_eq!(e.data_type(), &DataType::Float64);
/// let out = e.evaluate(&batch, &EvalContext::default()).unwrap();
/// assert_eq!(out.len(), 2);
/// ```
#[derive(Clone)]
pub struct PhysicalExpr {
    pub(crate) name: String,
    pub(crate) sql: String,
    pub(crate) data_type: DataType,
    pub(crate) nullable: bool,
    /// A top-level attribute or an alias: a user cast on it keeps its name (`Column.named`).
    pub(crate) keeps_name_under_cast: bool,
    pub(crate) node: Node,
}

impl fmt::Debug for PhysicalExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhysicalExpr")
            .field("name", &self.name)
            .field("sql", &self.sql)
            .field("data_type", &self.data_type)
            .field("nullable", &self.nullable)
            .finish()
    }
}

impl PhysicalExpr {
    pub(crate) fn new(sql: String, data_type: DataType, nullable: bool, node: Node) -> Self {
        PhysicalExpr { name: sql.clone(), sql, data_type, nullable, keeps_name_under_cast: false, node }
    }

    /// A computed expression named by its SQL text.
    pub(crate) fn kernel(
        sql: String,
        data_type: DataType,
        nullable: bool,
        args: Vec<PhysicalExpr>,
        kernel: Arc<KernelFn>,
    ) -> Self {
        Self::new(sql, data_type, nullable, Node::Kernel { args, kernel })
    }

    /// A constant.
    pub(crate) fn from_literal(lit: Literal) -> Self {
        let arr = lit.to_array();
        let nullable = matches!(lit, Literal::Null);
        Self::new(lit.pretty(), lit.data_type(), nullable, Node::Literal(lit, arr))
    }

    /// The output column name: an alias, the column as the user spelled it, or Spark's
    /// auto-generated text (`(x + 1)`, `to_timestamp(s)`, `CAST((x / 1.0E9) AS TIMESTAMP)`).
    ///
    /// ```
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use streamlab_expr::{resolve, Expr};
    /// let schema = Schema::new(vec![Field::new("x", DataType::Int32, true)]);
    /// assert_eq!(resolve(&Expr::col("X"), &schema).unwrap().name(), "X");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The expression's text when it appears inside another one (Spark's `toPrettySQL`).
    ///
    /// ```
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use streamlab_expr::{resolve, Expr};
    /// let schema = Schema::new(vec![Field::new("x", DataType::Int32, true)]);
    /// let e = resolve(&Expr::col("x").alias("y"), &schema).unwrap();
    /// assert_eq!((e.name(), e.sql()), ("y", "x AS y"));
    /// ```
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The result type (Arrow form of the Spark type).
    ///
    /// ```
    /// use arrow::datatypes::{DataType, Schema};
    /// use streamlab_expr::{resolve, Expr};
    /// assert_eq!(resolve(&Expr::lit(1.5), &Schema::empty()).unwrap().data_type(), &DataType::Float64);
    /// ```
    pub fn data_type(&self) -> &DataType {
        &self.data_type
    }

    /// Whether the result can be null (Spark's `nullable`, e.g. `false` for `x IS NULL`).
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::{resolve, Expr};
    /// assert!(!resolve(&Expr::lit(1), &Schema::empty()).unwrap().nullable());
    /// ```
    pub fn nullable(&self) -> bool {
        self.nullable
    }

    /// The output field: name, type, nullability.
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::{resolve, Expr};
    /// let f = resolve(&Expr::lit("a"), &Schema::empty()).unwrap().field();
    /// assert_eq!(f.name(), "a");
    /// ```
    pub fn field(&self) -> Field {
        Field::new(self.name.clone(), self.data_type.clone(), self.nullable)
    }

    /// The constant value, when the expression is a literal (after resolution, so `lit(1)`
    /// but not `lit(1) + 1`).
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::{resolve, Expr, Literal};
    /// let e = resolve(&Expr::lit("10 minutes"), &Schema::empty()).unwrap();
    /// assert_eq!(e.literal(), Some(&Literal::String("10 minutes".into())));
    /// ```
    pub fn literal(&self) -> Option<&Literal> {
        match &self.node {
            Node::Literal(l, _) => Some(l),
            _ => None,
        }
    }

    /// Indices of the input columns the expression reads, ascending, without repeats.
    ///
    /// ```
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use streamlab_expr::{parse_expression, resolve};
    /// let schema = Schema::new(vec![Field::new("a", DataType::Int32, true), Field::new("b", DataType::Int32, true)]);
    /// assert_eq!(resolve(&parse_expression("b + 1").unwrap(), &schema).unwrap().input_columns(), vec![1]);
    /// ```
    pub fn input_columns(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.collect_columns(&mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_columns(&self, out: &mut Vec<usize>) {
        match &self.node {
            Node::Column(i) => out.push(*i),
            Node::Literal(..) => {}
            Node::Kernel { args, .. } => args.iter().for_each(|a| a.collect_columns(out)),
        }
    }

    /// Renames the output (an alias).
    ///
    /// ```
    /// use arrow::datatypes::Schema;
    /// use streamlab_expr::{resolve, Expr};
    /// let e = resolve(&Expr::lit(1), &Schema::empty()).unwrap().with_name("one");
    /// assert_eq!(e.name(), "one");
    /// ```
    pub fn with_name(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self.keeps_name_under_cast = true;
        self
    }

    /// Computes the expression over every row of `batch`. The result has `batch.num_rows()`
    /// rows and type [`PhysicalExpr::data_type`]. Never panics; bad input gives `null`s (Spark's
    /// non-ANSI behaviour) or an error where Spark raises one.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow::array::{Array, Int32Array};
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use arrow::record_batch::RecordBatch;
    /// use streamlab_expr::{parse_expression, resolve, EvalContext};
    /// let schema = Arc::new(Schema::new(vec![Field::new("i", DataType::Int32, true)]));
    /// let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int32Array::from(vec![Some(1), None]))]).unwrap();
    /// let e = resolve(&parse_expression("i % 0").unwrap(), &schema).unwrap();
    /// let out = e.evaluate(&batch, &EvalContext::default()).unwrap();
    /// assert_eq!(out.null_count(), 2);
    /// ```
    pub fn evaluate(&self, batch: &RecordBatch, ctx: &EvalContext) -> Result<ArrayRef> {
        let rows = batch.num_rows();
        let out = match &self.node {
            Node::Column(i) => batch
                .columns()
                .get(*i)
                .cloned()
                .ok_or_else(|| SparkError::runtime(format!("input column {} missing for `{}`", i, self.sql)))?,
            Node::Literal(_, arr) => repeat(arr, rows)?,
            Node::Kernel { args, kernel } => {
                let values = args.iter().map(|a| a.evaluate(batch, ctx)).collect::<Result<Vec<_>>>()?;
                kernel(&values, ctx, rows)?
            }
        };
        if out.len() != rows {
            return Err(SparkError::runtime(format!(
                "internal error: `{}` produced {} rows for a batch of {}",
                self.sql,
                out.len(),
                rows
            )));
        }
        Ok(out)
    }
}

/// `rows` copies of a one-row array.
pub(crate) fn repeat(arr: &ArrayRef, rows: usize) -> Result<ArrayRef> {
    if arr.len() == rows {
        return Ok(arr.clone());
    }
    if arr.is_empty() || arr.is_null(0) {
        return Ok(new_null_array(arr.data_type(), rows));
    }
    let idx = UInt32Array::from(vec![0u32; rows]);
    Ok(arrow::compute::take(arr.as_ref(), &idx, None)?)
}
