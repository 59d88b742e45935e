//! Cell source to a Python AST with Ruff's parser, and byte offsets to the 1-based line and
//! column numbers errors report.

use ruff_python_ast::{ModModule, Stmt};
use ruff_text_size::TextSize;

use super::error::PyErr;

/// Where each line of a source starts, to turn parser offsets into (line, column).
///
/// ```
/// use streamlab_notebook::python::parse::SourceIndex;
/// let index = SourceIndex::new("a = 1\n  b = 2\n");
/// assert_eq!(index.location(8.into()), (2, 3));
/// ```
#[derive(Debug, Clone)]
pub struct SourceIndex {
    text: String,
    line_starts: Vec<usize>,
}

impl SourceIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.char_indices().filter(|(_, c)| *c == '\n').map(|(i, _)| i + 1));
        SourceIndex { text: text.to_string(), line_starts }
    }

    /// The source text of `range` (empty when out of bounds).
    pub fn text(&self, range: ruff_text_size::TextRange) -> &str {
        self.text.get(usize::from(range.start())..usize::from(range.end())).unwrap_or("")
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn location(&self, offset: TextSize) -> (usize, usize) {
        let offset = usize::from(offset).min(self.text.len());
        let line = self.line_starts.partition_point(|start| *start <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}

/// Parses a cell into statements; a syntax error becomes Python's `SyntaxError` at its place.
///
/// ```
/// use streamlab_notebook::python::parse::{parse_cell, SourceIndex};
/// assert_eq!(parse_cell("x = 1\nprint(x)\n").unwrap().len(), 2);
/// let e = parse_cell("x = (1,\n").unwrap_err();
/// assert_eq!(e.name(), "SyntaxError");
/// assert_eq!(e.location.map(|l| l.0), Some(2));
/// ```
pub fn parse_cell(source: &str) -> Result<Vec<Stmt>, PyErr> {
    let index = SourceIndex::new(source);
    match ruff_python_parser::parse_module(source) {
        Ok(parsed) => {
            let module: ModModule = parsed.into_syntax();
            Ok(module.body)
        }
        Err(e) => {
            let (line, column) = index.location(e.location.start());
            let mut err = PyErr::new("SyntaxError", format!("{} (line {line}, column {column})", e.error));
            err.location = Some((line, column));
            Err(err)
        }
    }
}
