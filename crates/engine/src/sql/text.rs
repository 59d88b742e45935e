//! The SQL text of one `spark.sql` call: where a byte offset of a token falls in it (Spark's
//! line and character position), and Spark's error texts that quote it (`ParseException`'s
//! `== SQL ==` block with the `^^^` marker, and the `; line L pos P` suffix of analysis errors
//! raised by SQL).

use streamlab_types::{ErrorKind, SparkError};

/// A position as Spark reports it: line from 1, `pos` the character offset in that line from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: usize,
    pub(crate) col: usize,
}

/// The statement text, indexed by line.
pub(crate) struct SqlText<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
}

impl<'a> SqlText<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SqlText { text, line_starts }
    }

    /// The whole text.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// Spark's position of a byte offset (clamped to the text; the lexer's offsets always fall
    /// on character boundaries).
    pub(crate) fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self.text.get(start..offset).map_or(0, |l| l.chars().count());
        Pos { line, col }
    }

    /// The source text between two byte offsets.
    pub(crate) fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// Where the input ends (Spark's position of "end of input").
    pub(crate) fn end(&self) -> Pos {
        self.pos(self.text.len())
    }

    /// A `ParseException` of `class` at `pos`: `message(line L, pos P)`, then the SQL with a
    /// `^^^` marker under the position, as Spark prints it.
    pub(crate) fn parse_error(&self, pos: Pos, class: &str, message: &str) -> SparkError {
        let mut text = format!("{message}(line {}, pos {})\n\n== SQL ==\n", pos.line, pos.col);
        for (i, line) in self.text.split('\n').enumerate() {
            text.push_str(line);
            text.push('\n');
            if i + 1 == pos.line {
                text.push_str(&"-".repeat(pos.col));
                text.push_str("^^^\n");
            }
        }
        SparkError::new(ErrorKind::Parse, text).with_class(class)
    }

    /// StreamLab's `ParseException` for SQL it parses but does not run, pointing at the byte
    /// offset where the construct was written.
    pub(crate) fn unsupported(&self, at: usize, what: &str) -> SparkError {
        self.parse_error(self.pos(at), "UNSUPPORTED_FEATURE", &format!("The feature is not supported: {what} in StreamLab's SQL."))
    }

    /// `[PARSE_SYNTAX_ERROR] Syntax error at or near <near>.`, where `near` is `'token'` or
    /// `end of input`.
    pub(crate) fn syntax_error(&self, pos: Pos, near: &str) -> SparkError {
        self.parse_error(pos, "PARSE_SYNTAX_ERROR", &format!("Syntax error at or near {near}."))
    }
}

/// Adds the `; line L pos P` Spark appends to an analysis error raised by SQL text.
///
/// Spark follows it with the analyzed plan (with expression ids such as `id#12`); StreamLab
/// stops at the position.
pub(crate) fn at_position(err: SparkError, pos: Option<Pos>) -> SparkError {
    match pos {
        Some(p) => SparkError { message: format!("{}; line {} pos {}", err.message, p.line, p.col), ..err },
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_slices() {
        let sql = SqlText::new("select é,\n  nope from t");
        assert_eq!(sql.pos(13), Pos { line: 2, col: 2 });
        assert_eq!(sql.pos(7), Pos { line: 1, col: 7 });
        assert_eq!(sql.pos(10), Pos { line: 1, col: 9 });
        assert_eq!(sql.slice(7, 9), "é");
        assert_eq!(sql.slice(13, 17), "nope");
        assert_eq!(sql.slice(8, 9), "");
        assert_eq!(sql.end(), Pos { line: 2, col: 13 });
        let e = sql.syntax_error(Pos { line: 2, col: 2 }, "'nope'");
        assert_eq!(e.to_string(), "[PARSE_SYNTAX_ERROR] Syntax error at or near 'nope'.(line 2, pos 2)\n\n== SQL ==\nselect é,\n  nope from t\n--^^^\n");
    }
}
