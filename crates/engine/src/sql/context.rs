//! What one `spark.sql` call carries while it builds its DataFrame: the session, the text, the
//! CTEs in scope, the internal names joins gave to clashing columns, and where each column
//! reference and function call was written (Spark's analysis errors from SQL say
//! `; line L pos P`).

use streamlab_types::SparkError;

use crate::dataframe::DataFrame;
use crate::SparkSession;

use super::text::{at_position, Pos, SqlText};

/// A name written in the query whose resolution can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefKind {
    Column,
    Function,
}

/// The state of one statement's translation.
pub(crate) struct Context<'a> {
    pub(crate) session: &'a SparkSession,
    pub(crate) sql: SqlText<'a>,
    /// CTEs visible from here, innermost last.
    pub(crate) ctes: Vec<(String, DataFrame)>,
    refs: Vec<(RefKind, String, Pos)>,
    /// Internal column names and the names they stand for.
    renames: Vec<(String, String)>,
}

/// Marks the internal name of a join column renamed apart (never typed by a user).
const RENAME_MARK: char = '\u{1}';

impl<'a> Context<'a> {
    pub(crate) fn new(session: &'a SparkSession, text: &'a str) -> Self {
        Context { session, sql: SqlText::new(text), ctes: Vec::new(), refs: Vec::new(), renames: Vec::new() }
    }

    /// Records where column `id` (as Spark quotes it: `` `t`.`x` ``) was written.
    pub(crate) fn note_column(&mut self, id: String, pos: Pos) {
        self.refs.push((RefKind::Column, id, pos));
    }

    /// Records where function `name` was called.
    pub(crate) fn note_function(&mut self, name: &str, pos: Pos) {
        self.refs.push((RefKind::Function, name.to_ascii_lowercase(), pos));
    }

    /// A fresh internal name for a right-side join column whose name the left side has too.
    pub(crate) fn rename_apart(&mut self, original: &str) -> String {
        let internal = format!("{original}{RENAME_MARK}{}{RENAME_MARK}", self.renames.len());
        self.renames.push((internal.clone(), original.to_string()));
        internal
    }

    /// `text` with internal names replaced by the names they stand for.
    pub(crate) fn display(&self, text: &str) -> String {
        if !text.contains(RENAME_MARK) {
            return text.to_string();
        }
        self.renames.iter().rev().fold(text.to_string(), |t, (internal, original)| t.replace(internal, original))
    }

    /// An error raised while building the query, as Spark reports it for SQL: internal names
    /// undone, and the position of the unresolved column or function appended.
    pub(crate) fn locate(&self, err: SparkError) -> SparkError {
        let err = SparkError { message: self.display(&err.message), ..err };
        if err.message.contains("; line ") {
            return err;
        }
        let class = err.error_class.as_deref().unwrap_or("");
        let target = if class.starts_with("UNRESOLVED_COLUMN") {
            between(&err.message, "with name ", " cannot be resolved").map(|id| (RefKind::Column, id.to_string()))
        } else if class == "UNRESOLVED_ROUTINE" {
            between(&err.message, "function `", "`").map(|n| (RefKind::Function, n.to_ascii_lowercase()))
        } else {
            None
        };
        let pos = target.and_then(|(kind, name)| {
            self.refs.iter().find(|(k, n, _)| *k == kind && n.eq_ignore_ascii_case(&name)).map(|(_, _, p)| *p)
        });
        at_position(err, pos)
    }
}

/// The text between the first `start` and the next `end` after it.
fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let from = text.find(start)? + start.len();
    let rest = text.get(from..)?;
    rest.get(..rest.find(end)?)
}
