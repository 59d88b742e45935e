//! The logical plan under a [`crate::DataFrame`]: a tree of relations and operators whose
//! expressions are already resolved, so every analysis error surfaces when the DataFrame is
//! built, as in Spark.

use std::cell::RefCell;
use std::rc::Rc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_expr::aggregate::AggregateExpr;
use streamlab_expr::window::WindowSpec;
use streamlab_expr::{Expr, PhysicalExpr};

use crate::catalog::MemoryTable;
use crate::source::SourceSpec;

/// One node of a logical plan.
#[derive(Debug)]
pub enum LogicalPlan {
    /// A streaming source, instantiated when a query starts (`spark.readStream…load()`).
    StreamSource {
        /// What to instantiate.
        spec: Rc<SourceSpec>,
        /// The source's output schema.
        schema: SchemaRef,
    },
    /// Static data read eagerly (`spark.read…`, `createDataFrame`, a foreachBatch batch).
    Relation {
        /// Output schema.
        schema: SchemaRef,
        /// The rows.
        batches: Rc<Vec<RecordBatch>>,
    },
    /// A memory-sink table, read at execution time so a query sees the latest batches.
    Table {
        /// The table's name in the catalog.
        name: String,
        /// The table.
        table: Rc<RefCell<MemoryTable>>,
    },
    /// `select`, `withColumn`, `withColumnRenamed`, `drop`.
    Project {
        /// Input plan.
        input: Rc<LogicalPlan>,
        /// The expressions as the user wrote them (for the unsupported-operation checks).
        source: Vec<Expr>,
        /// One resolved expression per output column.
        exprs: Vec<PhysicalExpr>,
        /// Output schema.
        schema: SchemaRef,
    },
    /// `withWatermark(column, delay)`: rows pass through; their event times set the watermark.
    Watermark {
        /// Input plan.
        input: Rc<LogicalPlan>,
        /// The event-time column (a timestamp).
        column: String,
        /// The delay, in milliseconds.
        delay_ms: i64,
        /// Output schema (the column carries `spark.watermarkDelayMs` metadata).
        schema: SchemaRef,
    },
    /// `groupBy(keys).agg(aggregates)`: the stateful aggregation of a streaming query.
    Aggregate {
        /// Input plan.
        input: Rc<LogicalPlan>,
        /// The grouping keys.
        keys: Vec<GroupKey>,
        /// The aggregates, after the keys in the output.
        aggregates: Vec<AggregateExpr>,
        /// The expressions as the user wrote them (for the unsupported-operation checks).
        source: Vec<Expr>,
        /// Output schema: keys, then aggregates.
        schema: SchemaRef,
        /// Which key the watermark can evict by, if any (its index in `keys`).
        watermark_key: Option<usize>,
    },
    /// `dropDuplicates(subset)` / `distinct()`: the first row of each key; streaming keeps the
    /// keys seen as state.
    Deduplicate {
        /// Input plan.
        input: Rc<LogicalPlan>,
        /// The key columns.
        keys: Vec<GroupKey>,
        /// Which key the watermark can evict by, if any.
        watermark_key: Option<usize>,
    },
    /// `join(other, on, how)` of a stream (left) with a static DataFrame (right).
    Join {
        /// The left plan (the stream, in streaming queries).
        left: Rc<LogicalPlan>,
        /// The right plan (static).
        right: Rc<LogicalPlan>,
        /// The join type.
        kind: crate::join::JoinKind,
        /// What rows match on.
        on: crate::join::JoinCondition,
        /// Output schema.
        schema: SchemaRef,
    },
    /// `orderBy(...)`.
    Sort {
        /// Input plan.
        input: Rc<LogicalPlan>,
        /// The sort keys.
        keys: Vec<crate::sort::ResolvedSortKey>,
    },
    /// `limit(n)`.
    Limit {
        /// Input plan.
        input: Rc<LogicalPlan>,
        /// Rows to keep.
        n: usize,
    },
    /// `filter` / `where`.
    Filter {
        /// Input plan.
        input: Rc<LogicalPlan>,
        /// The condition as the user wrote it.
        source: Expr,
        /// A resolved boolean expression.
        predicate: PhysicalExpr,
    },
}

/// One grouping key of an aggregation.
#[derive(Debug, Clone)]
pub enum GroupKey {
    /// A column or expression.
    Expr(PhysicalExpr),
    /// `window(time, ...)`: each row joins every window containing its time.
    Window {
        /// The window's durations.
        spec: WindowSpec,
        /// The event-time expression (a timestamp).
        time: PhysicalExpr,
        /// The output column name (`window`).
        name: String,
    },
}

impl LogicalPlan {
    /// The plan's output schema.
    pub fn schema(&self) -> SchemaRef {
        match self {
            LogicalPlan::StreamSource { schema, .. }
            | LogicalPlan::Relation { schema, .. }
            | LogicalPlan::Project { schema, .. }
            | LogicalPlan::Watermark { schema, .. }
            | LogicalPlan::Join { schema, .. }
            | LogicalPlan::Aggregate { schema, .. } => schema.clone(),
            LogicalPlan::Table { table, .. } => table.borrow().schema(),
            LogicalPlan::Filter { input, .. }
            | LogicalPlan::Deduplicate { input, .. }
            | LogicalPlan::Sort { input, .. }
            | LogicalPlan::Limit { input, .. } => input.schema(),
        }
    }

    /// Whether a streaming source is under this node (`DataFrame.isStreaming`).
    pub fn is_streaming(&self) -> bool {
        !self.stream_sources().is_empty()
    }

    /// The streaming sources, in plan order: their position is the source index used in
    /// `offsets/N` lines and `sources/<i>` directories.
    pub fn stream_sources(&self) -> Vec<Rc<SourceSpec>> {
        let mut out = Vec::new();
        self.visit(&mut |node| {
            if let LogicalPlan::StreamSource { spec, .. } = node {
                out.push(spec.clone());
            }
        });
        out
    }

    /// Every function the plan's expressions call, lowercase (Spark refuses some on streams).
    pub fn function_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.visit(&mut |node| match node {
            LogicalPlan::Project { source, .. } => out.extend(source.iter().flat_map(|e| e.function_names())),
            LogicalPlan::Filter { source, .. } => out.extend(source.function_names()),
            LogicalPlan::Aggregate { source, .. } => out.extend(source.iter().flat_map(|e| e.function_names())),
            _ => {}
        });
        out
    }

    fn visit(&self, f: &mut dyn FnMut(&LogicalPlan)) {
        f(self);
        match self {
            LogicalPlan::Project { input, .. }
            | LogicalPlan::Filter { input, .. }
            | LogicalPlan::Watermark { input, .. }
            | LogicalPlan::Deduplicate { input, .. }
            | LogicalPlan::Sort { input, .. }
            | LogicalPlan::Limit { input, .. }
            | LogicalPlan::Aggregate { input, .. } => input.visit(f),
            LogicalPlan::Join { left, right, .. } => {
                left.visit(f);
                right.visit(f);
            }
            LogicalPlan::StreamSource { .. } | LogicalPlan::Relation { .. } | LogicalPlan::Table { .. } => {}
        }
    }

    /// The (first) aggregation in the plan, if any.
    pub fn aggregate(&self) -> Option<&LogicalPlan> {
        self.stateful_operator().filter(|node| matches!(node, LogicalPlan::Aggregate { .. }))
    }

    /// The (first) stateful operator in the plan: an aggregation or a deduplication.
    pub fn stateful_operator(&self) -> Option<&LogicalPlan> {
        match self {
            LogicalPlan::Aggregate { .. } | LogicalPlan::Deduplicate { .. } => Some(self),
            LogicalPlan::Project { input, .. }
            | LogicalPlan::Filter { input, .. }
            | LogicalPlan::Watermark { input, .. }
            | LogicalPlan::Sort { input, .. }
            | LogicalPlan::Limit { input, .. } => input.stateful_operator(),
            LogicalPlan::Join { left, .. } => left.stateful_operator(),
            LogicalPlan::StreamSource { .. } | LogicalPlan::Relation { .. } | LogicalPlan::Table { .. } => None,
        }
    }

    /// Whether the plan has a `withWatermark`.
    pub fn has_watermark(&self) -> bool {
        let mut found = false;
        self.visit(&mut |node| found |= matches!(node, LogicalPlan::Watermark { .. }));
        found
    }

    /// Spark-like `explain()` text of the plan (operator per line, children indented).
    pub fn tree_string(&self) -> String {
        let mut out = String::new();
        self.write_tree(0, &mut out);
        out
    }

    fn write_tree(&self, depth: usize, out: &mut String) {
        let indent = if depth == 0 { String::new() } else { format!("{}+- ", "   ".repeat(depth - 1)) };
        let columns = |schema: &SchemaRef| {
            schema.fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>().join(", ")
        };
        let line = match self {
            LogicalPlan::StreamSource { spec, schema } => {
                format!("StreamingRelation {}, [{}]", spec.format, columns(schema))
            }
            LogicalPlan::Relation { schema, .. } => format!("LocalRelation [{}]", columns(schema)),
            LogicalPlan::Table { name, .. } => format!("SubqueryAlias {name}"),
            LogicalPlan::Project { exprs, .. } => {
                let names: Vec<&str> = exprs.iter().map(|e| e.name()).collect();
                format!("Project [{}]", names.join(", "))
            }
            LogicalPlan::Filter { predicate, .. } => format!("Filter {}", predicate.name()),
            LogicalPlan::Watermark { column, delay_ms, .. } => {
                format!("EventTimeWatermark {column}, {delay_ms} milliseconds")
            }
            LogicalPlan::Deduplicate { keys, .. } => format!("Deduplicate [{} keys]", keys.len()),
            LogicalPlan::Join { kind, .. } => format!("Join {kind:?}"),
            LogicalPlan::Sort { keys, .. } => format!("Sort [{} keys]", keys.len()),
            LogicalPlan::Limit { n, .. } => format!("GlobalLimit {n}"),
            LogicalPlan::Aggregate { schema, .. } => format!(
                "Aggregate [{}]",
                schema.fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>().join(", ")
            ),
        };
        out.push_str(&indent);
        out.push_str(&line);
        out.push('\n');
        match self {
            LogicalPlan::Project { input, .. }
            | LogicalPlan::Filter { input, .. }
            | LogicalPlan::Watermark { input, .. }
            | LogicalPlan::Deduplicate { input, .. }
            | LogicalPlan::Sort { input, .. }
            | LogicalPlan::Limit { input, .. }
            | LogicalPlan::Aggregate { input, .. } => input.write_tree(depth + 1, out),
            LogicalPlan::Join { left, right, .. } => {
                left.write_tree(depth + 1, out);
                right.write_tree(depth + 1, out);
            }
            LogicalPlan::StreamSource { .. } | LogicalPlan::Relation { .. } | LogicalPlan::Table { .. } => {}
        }
    }
}
