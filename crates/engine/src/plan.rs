//! The logical plan under a [`crate::DataFrame`]: a tree of relations and operators whose
//! expressions are already resolved, so every analysis error surfaces when the DataFrame is
//! built, as in Spark.

use std::cell::RefCell;
use std::rc::Rc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
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

impl LogicalPlan {
    /// The plan's output schema.
    pub fn schema(&self) -> SchemaRef {
        match self {
            LogicalPlan::StreamSource { schema, .. }
            | LogicalPlan::Relation { schema, .. }
            | LogicalPlan::Project { schema, .. } => schema.clone(),
            LogicalPlan::Table { table, .. } => table.borrow().schema(),
            LogicalPlan::Filter { input, .. } => input.schema(),
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
            _ => {}
        });
        out
    }

    fn visit(&self, f: &mut dyn FnMut(&LogicalPlan)) {
        f(self);
        match self {
            LogicalPlan::Project { input, .. } | LogicalPlan::Filter { input, .. } => input.visit(f),
            LogicalPlan::StreamSource { .. } | LogicalPlan::Relation { .. } | LogicalPlan::Table { .. } => {}
        }
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
        };
        out.push_str(&indent);
        out.push_str(&line);
        out.push('\n');
        match self {
            LogicalPlan::Project { input, .. } | LogicalPlan::Filter { input, .. } => input.write_tree(depth + 1, out),
            LogicalPlan::StreamSource { .. } | LogicalPlan::Relation { .. } | LogicalPlan::Table { .. } => {}
        }
    }
}
