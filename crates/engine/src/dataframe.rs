//! `DataFrame`: a plan plus the session it runs in, with the PySpark methods lessons use.

use std::rc::Rc;
use std::sync::Arc;

use arrow::compute::concat_batches;
use arrow::datatypes::{DataType, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use streamlab_expr::types::quote;
use streamlab_expr::{expand_star, parse_expression, resolve, EvalContext, Expr};
use streamlab_types::show::{show_string, tree_string};
use streamlab_types::{Result, SparkError};

use crate::catalog::CatalogEntry;
use crate::exec::{execute, BatchInput};
use crate::stateful::ExecState;
use crate::plan::LogicalPlan;
use crate::writer::DataStreamWriter;
use crate::SparkSession;

/// A distributed collection of rows: here, a [`LogicalPlan`] and the session that runs it.
///
/// Transformations resolve their expressions at once, so a bad column name fails where it is
/// written, as in Spark; actions run static plans; streaming plans run through
/// [`DataFrame::write_stream`].
#[derive(Clone)]
pub struct DataFrame {
    session: SparkSession,
    plan: Rc<LogicalPlan>,
}

impl std::fmt::Debug for DataFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataFrame[{}]", self.schema_text())
    }
}

/// Spark's refusal of batch actions on streaming DataFrames.
fn streaming_action_error() -> SparkError {
    SparkError::analysis("Queries with streaming sources must be executed with writeStream.start();")
}

impl DataFrame {
    pub(crate) fn new(session: SparkSession, plan: Rc<LogicalPlan>) -> Self {
        DataFrame { session, plan }
    }

    /// The plan.
    pub fn plan(&self) -> &Rc<LogicalPlan> {
        &self.plan
    }

    /// The session.
    pub fn session(&self) -> &SparkSession {
        &self.session
    }

    /// The schema.
    pub fn schema(&self) -> SchemaRef {
        self.plan.schema()
    }

    /// Column names, in order.
    pub fn columns(&self) -> Vec<String> {
        self.schema().fields().iter().map(|f| f.name().clone()).collect()
    }

    /// `isStreaming`.
    pub fn is_streaming(&self) -> bool {
        self.plan.is_streaming()
    }

    /// `DataFrame[a: bigint, b: string]`, as PySpark's repr prints it.
    pub fn schema_text(&self) -> String {
        self.schema()
            .fields()
            .iter()
            .map(|f| format!("{}: {}", f.name(), streamlab_types::ddl::simple_string(f.data_type())))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `printSchema()` text.
    pub fn print_schema(&self) -> String {
        tree_string(&self.schema())
    }

    /// `explain()` text.
    pub fn explain(&self) -> String {
        format!("== Physical Plan ==\n{}", self.plan.tree_string())
    }

    fn with_plan(&self, plan: LogicalPlan) -> DataFrame {
        DataFrame::new(self.session.clone(), Rc::new(plan))
    }

    /// `select(*cols)`.
    pub fn select(&self, exprs: Vec<Expr>) -> Result<DataFrame> {
        let input = self.schema();
        let source = expand_star(&exprs, &input);
        let resolved = source
            .iter()
            .map(|e| resolve(e, &input))
            .collect::<Result<Vec<_>>>()
            .map_err(|e| self.with_failed_operator(e, &unresolved_project(&source)))?;
        let schema = Arc::new(Schema::new(resolved.iter().map(|e| e.field()).collect::<Vec<_>>()));
        Ok(self.with_plan(LogicalPlan::Project { input: self.plan.clone(), source, exprs: resolved, schema }))
    }

    /// An analysis error as Spark's `AnalysisException` words it for a DataFrame operation:
    /// the message, `;`, then the operator that failed to resolve over this DataFrame's plan
    /// (`[UNRESOLVED_COLUMN.WITH_SUGGESTION] ... [`gt`, `Index`].;\n'Project ['gtt]\n+- ...`).
    /// The first line is Spark's exactly; the plan below it is StreamLab's own, without
    /// Spark's expression ids.
    fn with_failed_operator(&self, error: SparkError, operator: &str) -> SparkError {
        if error.kind != streamlab_types::ErrorKind::Analysis || error.error_class.is_none() || error.plan.is_some() {
            return error;
        }
        let child: Vec<String> = self
            .plan
            .tree_string()
            .lines()
            .enumerate()
            .map(|(i, line)| if i == 0 { format!("+- {line}") } else { format!("   {line}") })
            .collect();
        error.with_plan(format!("'{operator}\n{}", child.join("\n")))
    }

    /// `selectExpr(*sql)`.
    pub fn select_expr(&self, sql: &[&str]) -> Result<DataFrame> {
        let exprs = sql.iter().map(|s| parse_expression(s)).collect::<Result<Vec<_>>>()?;
        self.select(exprs)
    }

    fn column_ref(name: &str) -> Expr {
        Expr::col(&quote(name))
    }

    /// `withColumn(name, col)`: replaces a column of that name (case-insensitive) in place, or
    /// appends one.
    pub fn with_column(&self, name: &str, expr: Expr) -> Result<DataFrame> {
        let mut replaced = false;
        let mut exprs: Vec<Expr> = self
            .columns()
            .iter()
            .map(|c| {
                if !replaced && c.eq_ignore_ascii_case(name) {
                    replaced = true;
                    expr.clone().alias(name)
                } else {
                    Self::column_ref(c)
                }
            })
            .collect();
        if !replaced {
            exprs.push(expr.alias(name));
        }
        self.select(exprs)
    }

    /// `withColumnRenamed(existing, new)`: a no-op when `existing` is not a column.
    pub fn with_column_renamed(&self, existing: &str, new: &str) -> Result<DataFrame> {
        let columns = self.columns();
        if !columns.iter().any(|c| c.eq_ignore_ascii_case(existing)) {
            return Ok(self.clone());
        }
        let exprs = columns
            .iter()
            .map(|c| {
                let r = Self::column_ref(c);
                if c.eq_ignore_ascii_case(existing) {
                    r.alias(new)
                } else {
                    r
                }
            })
            .collect();
        self.select(exprs)
    }

    /// `drop(*names)`: columns that do not exist are ignored.
    pub fn drop(&self, names: &[&str]) -> Result<DataFrame> {
        let columns = self.columns();
        let kept: Vec<&String> =
            columns.iter().filter(|c| !names.iter().any(|n| c.eq_ignore_ascii_case(n))).collect();
        if kept.len() == columns.len() {
            return Ok(self.clone());
        }
        self.select(kept.into_iter().map(|c| Self::column_ref(c)).collect())
    }

    /// `drop(col(...))`: drops the referenced column; anything else is ignored, as a missing
    /// column is.
    pub fn drop_column(&self, column: &Expr) -> Result<DataFrame> {
        match column {
            Expr::Column(name) => {
                let bare = name.strip_prefix('`').and_then(|n| n.strip_suffix('`')).map(|n| n.replace("``", "`"));
                self.drop(&[bare.as_deref().unwrap_or(name)])
            }
            _ => Ok(self.clone()),
        }
    }

    /// `filter(condition)` / `where(condition)`.
    pub fn filter(&self, condition: Expr) -> Result<DataFrame> {
        let predicate = resolve(&condition, &self.schema())?;
        if predicate.data_type() != &DataType::Boolean && predicate.data_type() != &DataType::Null {
            let sql = predicate.name().to_string();
            return Err(SparkError::analysis(format!(
                "Cannot resolve \"{sql}\" due to data type mismatch: Filter expression \"{sql}\" of type \"{}\" is not a boolean.",
                streamlab_types::ddl::sql_name(predicate.data_type())
            ))
            .with_class("DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN"));
        }
        Ok(self.with_plan(LogicalPlan::Filter { input: self.plan.clone(), source: condition, predicate }))
    }

    /// `filter("sql condition")`.
    pub fn filter_sql(&self, condition: &str) -> Result<DataFrame> {
        self.filter(parse_expression(condition)?)
    }

    /// `createOrReplaceTempView(name)`.
    pub fn create_or_replace_temp_view(&self, name: &str) {
        self.session.catalog_mut().register(name, CatalogEntry::View(self.plan.clone()));
    }

    /// `writeStream`, with Spark's error on a static DataFrame.
    pub fn write_stream(&self) -> Result<DataStreamWriter> {
        if !self.is_streaming() {
            return Err(SparkError::analysis("`writeStream` can be called only on streaming Dataset/DataFrame.")
                .with_class("WRITE_STREAM_NOT_ALLOWED"));
        }
        Ok(DataStreamWriter::new(self.clone()))
    }

    /// Spark's error for `df.write` on a streaming DataFrame (batch writes check this first).
    pub fn check_batch_write(&self) -> Result<()> {
        if self.is_streaming() {
            return Err(SparkError::analysis("The method `write` can not be called on streaming Dataset/DataFrame.")
                .with_class("CALL_ON_STREAMING_DATASET_UNSUPPORTED"));
        }
        Ok(())
    }

    /// `collect()`: all rows of a static DataFrame, as one batch.
    pub fn collect(&self) -> Result<RecordBatch> {
        if self.is_streaming() {
            return Err(streaming_action_error());
        }
        let ctx = EvalContext { batch_timestamp_ms: self.session.clock().now_ms() };
        let batches = execute(&self.plan, &mut BatchInput::none(), &ctx, &mut ExecState::for_batch_query())?;
        Ok(concat_batches(&self.schema(), &batches)?)
    }

    /// `count()`.
    pub fn count(&self) -> Result<usize> {
        Ok(self.collect()?.num_rows())
    }

    /// `show(n, truncate, vertical)` text: `truncate` is 0 for `truncate=False`, else the width.
    pub fn show_string(&self, num_rows: usize, truncate: usize, vertical: bool) -> Result<String> {
        let all = self.collect()?;
        let shown = all.slice(0, all.num_rows().min(num_rows.saturating_add(1)));
        Ok(show_string(&shown, num_rows, truncate, vertical))
    }
}

/// A projection as Spark prints it before analysis: `Project ['a, ('b + 1)]`, columns with a
/// leading `'` as unresolved attributes are.
fn unresolved_project(exprs: &[Expr]) -> String {
    let items: Vec<String> = exprs.iter().map(unresolved_sql).collect();
    format!("Project [{}]", items.join(", "))
}

/// Spark's text of an unresolved expression: `'name`, `('a + 1)`, `'upper('gt)`, `x AS y`.
fn unresolved_sql(e: &Expr) -> String {
    match e {
        Expr::Column(name) => format!("'{}", name.replace('`', "")),
        Expr::Literal(value) => value.pretty(),
        Expr::Alias(inner, name) => format!("{} AS {name}", unresolved_sql(inner)),
        Expr::Binary { op, left, right } => format!("({} {} {})", unresolved_sql(left), op.symbol(), unresolved_sql(right)),
        Expr::Function { name, args } => {
            format!("'{name}({})", args.iter().map(unresolved_sql).collect::<Vec<_>>().join(", "))
        }
        Expr::Cast(inner, to) => format!("cast({} as {})", unresolved_sql(inner), streamlab_types::ddl::simple_string(to)),
        other => other.column_names().first().map_or_else(|| "?".to_string(), |c| format!("'{}", c.replace('`', ""))),
    }
}
