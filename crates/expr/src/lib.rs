//! Column expressions as Spark 3.5 resolves and evaluates them (non-ANSI mode, session time
//! zone UTC): names, types, coercions, functions, and SQL expression strings.
//!
//! The flow is: build an unresolved [`Expr`] (PySpark Column API style, or
//! [`parse_expression`] for SQL text), [`expand_star`] the select list, then [`resolve`] each
//! expression against the input [`arrow::datatypes::Schema`] into a [`PhysicalExpr`] that knows
//! its Spark column name, type and nullability and evaluates over Arrow record batches.
//!
//! ```
//! use std::sync::Arc;
//! use arrow::array::{Array, AsArray, Int64Array};
//! use arrow::datatypes::{DataType, Field, Schema, TimestampMicrosecondType};
//! use arrow::record_batch::RecordBatch;
//! use streamlab_expr::{parse_expression, resolve, EvalContext};
//!
//! let schema = Arc::new(Schema::new(vec![Field::new("Creation_Time", DataType::Int64, true)]));
//! let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(vec![1424696631914042029]))]).unwrap();
//! let e = resolve(&parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap(), &schema).unwrap();
//! assert_eq!(e.name(), "CAST((Creation_Time / 1.0E9) AS TIMESTAMP)");
//! let out = e.evaluate(&batch, &EvalContext::default()).unwrap();
//! assert_eq!(out.as_primitive::<TimestampMicrosecondType>().value(0), 1424696631914042); // 2015-02-23 13:03:51.914042
//! ```
//!
//! Modules: [`expr`] (unresolved trees), [`literal`], [`parser`] (SQL text), `resolve`
//! (columns, coercion), `ops` (operators), [`cast`] (CAST semantics), `functions` (the
//! registry: one module per family), [`physical`] (evaluation), [`types`], [`decimal`];
//! [`window`] (time windows) and [`aggregate`] (aggregate functions and their accumulators) for
//! the engine's streaming aggregations.

#![warn(missing_docs)]

pub mod aggregate;
pub mod cast;
pub mod decimal;
pub mod expr;
mod functions;
pub mod literal;
mod ops;
pub mod parser;
pub mod physical;
mod resolve;
mod star;
pub mod types;
pub mod window;

pub use expr::{BinaryOp, Expr, UnaryOp};
pub use functions::function_names;
pub use literal::Literal;
pub use parser::{parse_attribute_name, parse_data_type, parse_expression, parse_schema};
pub use physical::{EvalContext, PhysicalExpr};
pub use resolve::resolve;
pub use star::expand_star;
