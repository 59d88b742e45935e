//! The SQL text of one `spark.sql` call: where sqlparser's locations fall in it, the source of a
//! token, and Spark's error texts that quote it (`ParseException`'s `== SQL ==` block with the
//! `^^^` marker, and the `; line L pos P` suffix of analysis errors raised by SQL).

use sqlparser::tokenizer::{Location, Span};
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

    /// Spark's position of a sqlparser location (1-based line and column); `None` for the empty
    /// location sqlparser gives nodes it does not track.
    pub(crate) fn pos(&self, loc: Location) -> Option<Pos> {
        if loc.line == 0 || loc.column == 0 {
            return None;
        }
        Some(Pos { line: usize::try_from(loc.line).ok()?, col: usize::try_from(loc.column - 1).ok()? })
    }

    /// The byte offset of a location, if it falls inside the text (or at its end).
    fn byte_offset(&self, loc: Location) -> Option<usize> {
        let pos = self.pos(loc)?;
        let start = *self.line_starts.get(pos.line - 1)?;
        let line = self.text.get(start..)?;
        let within = line.char_indices().map(|(i, _)| i).chain(std::iter::once(line.len())).nth(pos.col)?;
        Some(start + within)
    }

    /// The source text a span covers.
    pub(crate) fn slice(&self, span: Span) -> Option<&'a str> {
        let (start, end) = (self.byte_offset(span.start)?, self.byte_offset(span.end)?);
        self.text.get(start..end)
    }

    /// Where the input ends (Spark's position of "end of input").
    pub(crate) fn end(&self) -> Pos {
        let last = self.line_starts.len();
        let start = self.line_starts.last().copied().unwrap_or(0);
        Pos { line: last, col: self.text.get(start..).map_or(0, |l| l.chars().count()) }
    }

    /// The character at a location, for a lexer error that points at it.
    pub(crate) fn char_at(&self, loc: Location) -> Option<char> {
        self.text.get(self.byte_offset(loc)?..)?.chars().next()
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
        let loc = |line, column| Location { line, column };
        assert_eq!(sql.pos(loc(2, 3)), Some(Pos { line: 2, col: 2 }));
        assert_eq!(sql.pos(loc(0, 0)), None);
        assert_eq!(sql.slice(Span::new(loc(1, 8), loc(1, 9))), Some("é"));
        assert_eq!(sql.slice(Span::new(loc(2, 3), loc(2, 7))), Some("nope"));
        assert_eq!(sql.slice(Span::new(loc(9, 1), loc(9, 2))), None);
        assert_eq!(sql.end(), Pos { line: 2, col: 13 });
        let e = sql.syntax_error(Pos { line: 2, col: 2 }, "'nope'");
        assert_eq!(e.to_string(), "[PARSE_SYNTAX_ERROR] Syntax error at or near 'nope'.(line 2, pos 2)\n\n== SQL ==\nselect é,\n  nope from t\n--^^^\n");
    }
}
