//! `spark.sql(text)` and notebook `%sql` cells: one SQL statement, read by StreamLab's own
//! parser for the Spark SQL subset it runs (the page ships as wasm, and a general SQL parser
//! for every dialect was its largest single part), then run as the same DataFrame operations
//! the Python API builds, so SQL and DataFrame code give the same plans, column names, types,
//! streaming behaviour and errors.
//!
//! The front end: [`lexer`] (Spark's lexical rules), [`ast`] (the syntax tree, with the offsets
//! error messages point at), [`parser`] (recursive descent with Spark's precedence and
//! `ParseException`s). The lowering: [`statement`] (commands), [`query`] (SELECT → DataFrame),
//! [`from`] (FROM clauses and joins), [`expr`] (SQL expressions → the engine's expressions),
//! [`scope`] (names a FROM clause brings in); GROUP BY/HAVING run through
//! `crate::aggregation`. [`context`] and [`text`] keep positions and Spark's error texts.
//!
//! ```
//! use std::rc::Rc;
//! use std::sync::Arc;
//! use streamlab_engine::{SparkSession, clock::ManualClock, output::BufferedOutput};
//! use streamlab_storage::MemoryStorage;
//! let spark = SparkSession::new(Arc::new(MemoryStorage::new()), Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
//! let df = spark.sql("SELECT 1 + 1, 'a' AS s").unwrap();
//! assert_eq!(df.columns(), vec!["(1 + 1)", "s"]);
//! spark.sql("create database if not exists outputDelta;").unwrap();
//! assert_eq!(spark.sql("SHOW DATABASES").unwrap().count().unwrap(), 2);
//! ```

mod ast;
mod context;
mod expr;
mod from;
mod lexer;
mod parser;
mod query;
mod scope;
mod statement;
mod text;

use streamlab_types::Result;

use crate::dataframe::DataFrame;
use crate::SparkSession;

use context::Context;

/// Runs one SQL statement in `session` and returns its result (a query's DataFrame, streaming
/// when it reads a stream; a command's result table; `DataFrame[]` for DDL).
pub(crate) fn run(session: &SparkSession, text: &str) -> Result<DataFrame> {
    if let Some(command) = statement::set_command(text) {
        return statement::set(session, text, command);
    }
    let mut ctx = Context::new(session, text);
    let parsed = parser::parse_statement(&ctx.sql)?;
    statement::run(&mut ctx, &parsed)
}
