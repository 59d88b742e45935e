//! `spark.sql(text)` and notebook `%sql` cells: one SQL statement, parsed with sqlparser (Spark
//! dialect), run as the same DataFrame operations the Python API builds, so SQL and DataFrame
//! code give the same plans, column names, types, streaming behaviour and errors.
//!
//! Modules: [`parse`] (text → one statement, Spark's `ParseException`s), [`statement`]
//! (commands), [`query`] (SELECT → DataFrame), [`from`] (FROM clauses and joins), [`aggregate`] (GROUP BY/HAVING over
//! `groupBy().agg()`), [`expr`] (SQL expressions → the engine's expressions), [`scope`] (names
//! a FROM clause brings in), [`context`], [`text`] and [`start`] (positions and error texts),
//! [`dialect`].
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

mod context;
mod dialect;
mod expr;
mod from;
mod parse;
mod query;
mod scope;
mod start;
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
    let parsed = parse::parse_statement(&ctx.sql)?;
    statement::run(&mut ctx, &parsed)
}
