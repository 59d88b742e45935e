//! Evaluation of the AST: statements ([`stmt`]), expressions ([`expr`]), calls ([`call`]),
//! over a [`Frame`] of variables.

mod call;
mod expr;
mod stmt;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use ruff_python_ast::Stmt;
use ruff_text_size::{Ranged, TextRange};

use super::error::{not_supported, PyErr, PyResult};
use super::parse::SourceIndex;
use super::value::{Closure, Value};
use super::Interpreter;

pub(crate) use call::call_value;

/// The variables one piece of code sees: a function's locals (none at cell level, where
/// assignments go to the globals), what it closed over, and the source it came from.
pub(crate) struct Frame {
    locals: Option<RefCell<HashMap<String, Value>>>,
    closure: Option<Closure>,
    declared_global: RefCell<Vec<String>>,
    source: Rc<SourceIndex>,
}

impl Frame {
    fn module(source: Rc<SourceIndex>) -> Self {
        Frame { locals: None, closure: None, declared_global: RefCell::new(Vec::new()), source }
    }

    fn location(&self, range: TextRange) -> (usize, usize) {
        self.source.location(range.start())
    }

    /// The source text of `node`.
    fn source_text(&self, node: &impl Ranged) -> String {
        self.source.text(node.range()).to_string()
    }

    /// `NotImplementedError: StreamLab does not support <what> (line L, column C)`.
    fn unsupported(&self, what: &str, node: &impl Ranged) -> PyErr {
        let (line, column) = self.location(node.range());
        let mut e = not_supported(format!("StreamLab does not support {what} (line {line}, column {column})"));
        e.location = Some((line, column));
        e
    }
}

/// Runs a cell's statements at module level; returns the last expression statement's value.
pub(crate) fn run_module(py: &Interpreter, statements: &[Stmt], source: Rc<SourceIndex>) -> PyResult<Option<Value>> {
    let frame = Frame::module(source);
    let Some((last, init)) = statements.split_last() else { return Ok(None) };
    for s in init {
        stmt::exec_top(py, &frame, s)?;
    }
    if let Stmt::Expr(e) = last {
        let value = expr::eval(py, &frame, &e.value).map_err(|err| err.at(frame.location(last.range())))?;
        return Ok(match value {
            Value::None => None,
            v => Some(v),
        });
    }
    stmt::exec_top(py, &frame, last)?;
    Ok(None)
}

pub(crate) use expr::{iterate as iterate_value, truthy};
