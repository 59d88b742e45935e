//! Statements: assignment, control flow, `def`, imports, `try`.

use std::rc::Rc;

use ruff_python_ast::{self as ast, ExceptHandler, Expr, Stmt};
use ruff_text_size::Ranged;

use super::expr::{eval, iterate, set_item, truthy};
use super::Frame;
use crate::python::error::{value_error, PyErr, PyResult};
use crate::python::modules;
use crate::python::ops::binary;
use crate::python::value::{Body, Function, Value};
use crate::python::Interpreter;

/// How a statement ended.
pub(crate) enum Flow {
    /// Go on with the next statement.
    Next,
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `return value`.
    Return(Value),
}

/// Runs a statement at cell level, where `break`/`return` have nowhere to go.
pub(super) fn exec_top(py: &Interpreter, frame: &Frame, s: &Stmt) -> PyResult<()> {
    match exec(py, frame, s)? {
        Flow::Next => Ok(()),
        Flow::Break | Flow::Continue => Err(syntax(frame, s, "'break' or 'continue' outside loop")),
        Flow::Return(_) => Err(syntax(frame, s, "'return' outside function")),
    }
}

fn syntax(frame: &Frame, s: &Stmt, message: &str) -> PyErr {
    let mut e = PyErr::new("SyntaxError", message);
    e.location = Some(frame.location(s.range()));
    e
}

/// Runs statements until one breaks the flow.
pub(super) fn exec_block(py: &Interpreter, frame: &Frame, body: &[Stmt]) -> PyResult<Flow> {
    for s in body {
        match exec(py, frame, s)? {
            Flow::Next => {}
            other => return Ok(other),
        }
    }
    Ok(Flow::Next)
}

/// Runs one statement; an error raised in it gets its location.
pub(super) fn exec(py: &Interpreter, frame: &Frame, s: &Stmt) -> PyResult<Flow> {
    exec_inner(py, frame, s).map_err(|e| e.at(frame.location(s.range())))
}

fn exec_inner(py: &Interpreter, frame: &Frame, s: &Stmt) -> PyResult<Flow> {
    match s {
        Stmt::Expr(e) => {
            eval(py, frame, &e.value)?;
        }
        Stmt::Assign(a) => {
            let value = eval(py, frame, &a.value)?;
            for target in &a.targets {
                assign(py, frame, target, value.clone())?;
            }
        }
        Stmt::AugAssign(a) => {
            let current = eval(py, frame, &a.target)?;
            let right = eval(py, frame, &a.value)?;
            let value = binary(py, a.op, &current, &right)?;
            match (&current, a.op, &value) {
                (Value::List(l), ast::Operator::Add, Value::List(new)) => {
                    let items = new.borrow().clone();
                    *l.borrow_mut() = items;
                }
                _ => assign(py, frame, &a.target, value)?,
            }
        }
        Stmt::AnnAssign(a) => {
            if let Some(v) = &a.value {
                let value = eval(py, frame, v)?;
                assign(py, frame, &a.target, value)?;
            }
        }
        Stmt::For(f) => {
            if f.is_async {
                return Err(frame.unsupported("async for loops", s));
            }
            let items = iterate(py, &eval(py, frame, &f.iter)?)?;
            let mut broke = false;
            for item in items {
                py.step()?;
                assign(py, frame, &f.target, item)?;
                match exec_block(py, frame, &f.body)? {
                    Flow::Break => {
                        broke = true;
                        break;
                    }
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    Flow::Next | Flow::Continue => {}
                }
            }
            if !broke {
                return exec_block(py, frame, &f.orelse);
            }
        }
        Stmt::While(w) => {
            let mut broke = false;
            while truthy(&eval(py, frame, &w.test)?)? {
                py.step()?;
                match exec_block(py, frame, &w.body)? {
                    Flow::Break => {
                        broke = true;
                        break;
                    }
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    Flow::Next | Flow::Continue => {}
                }
            }
            if !broke {
                return exec_block(py, frame, &w.orelse);
            }
        }
        Stmt::If(i) => {
            if truthy(&eval(py, frame, &i.test)?)? {
                return exec_block(py, frame, &i.body);
            }
            for clause in &i.elif_else_clauses {
                let take = match &clause.test {
                    Some(test) => truthy(&eval(py, frame, test)?)?,
                    None => true,
                };
                if take {
                    return exec_block(py, frame, &clause.body);
                }
            }
        }
        Stmt::FunctionDef(f) => {
            if f.is_async {
                return Err(frame.unsupported("async functions", s));
            }
            if let Some(d) = f.decorator_list.first() {
                return Err(frame.unsupported("decorators", d));
            }
            let function = make_function(py, frame, f.name.id.as_str(), &f.parameters, Body::Block(f.body.clone()))?;
            frame_set(py, frame, f.name.id.as_str(), function);
        }
        Stmt::Return(r) => {
            let value = match &r.value {
                Some(v) => eval(py, frame, v)?,
                None => Value::None,
            };
            return Ok(Flow::Return(value));
        }
        Stmt::Pass(_) => {}
        Stmt::Break(_) => return Ok(Flow::Break),
        Stmt::Continue(_) => return Ok(Flow::Continue),
        Stmt::Import(i) => {
            for alias in &i.names {
                let name = alias.name.id.as_str();
                let module = modules::import(py, name)?;
                match &alias.asname {
                    Some(as_name) => frame_set(py, frame, as_name.id.as_str(), module),
                    None => {
                        let top = name.split('.').next().unwrap_or(name);
                        frame_set(py, frame, top, modules::import(py, top)?);
                    }
                }
            }
        }
        Stmt::ImportFrom(i) => {
            if i.level > 0 {
                return Err(frame.unsupported("relative imports", s));
            }
            let module_name = i.module.as_ref().map(|m| m.id.as_str()).unwrap_or("");
            let module = modules::import(py, module_name)?;
            for alias in &i.names {
                let name = alias.name.id.as_str();
                if name == "*" {
                    if let Value::Module(m) = &module {
                        for (k, v) in &m.attrs {
                            frame_set(py, frame, k, v.clone());
                        }
                    }
                    continue;
                }
                let value = modules::import_name(py, &module, module_name, name)?;
                let bound = alias.asname.as_ref().map(|a| a.id.as_str()).unwrap_or(name);
                frame_set(py, frame, bound, value);
            }
        }
        Stmt::Delete(d) => {
            for target in &d.targets {
                delete(py, frame, target)?;
            }
        }
        Stmt::Global(g) => {
            frame.declared_global.borrow_mut().extend(g.names.iter().map(|n| n.id.to_string()));
        }
        Stmt::Assert(a) => {
            if !truthy(&eval(py, frame, &a.test)?)? {
                let message = match &a.msg {
                    Some(m) => crate::python::repr::to_str(&eval(py, frame, m)?),
                    None => String::new(),
                };
                return Err(PyErr::new("AssertionError", message));
            }
        }
        Stmt::Raise(r) => {
            let Some(exc) = &r.exc else {
                return Err(frame.unsupported("a bare 'raise'", s));
            };
            return Err(match eval(py, frame, exc)? {
                Value::Exception(e) => PyErr::from(e.as_ref().clone()),
                Value::Builtin(b) if crate::python::builtins::is_exception_class(b.name) => {
                    PyErr::from(crate::python::builtins::new_exception(b.name, String::new()))
                }
                other => PyErr::new("TypeError", format!("exceptions must derive from BaseException, not {}", other.type_name())),
            });
        }
        Stmt::Try(t) => return exec_try(py, frame, s, t),
        Stmt::ClassDef(c) => return Err(frame.unsupported("class definitions", c)),
        Stmt::With(w) => return Err(frame.unsupported("with statements", w)),
        Stmt::Match(m) => return Err(frame.unsupported("match statements", m)),
        Stmt::TypeAlias(t) => return Err(frame.unsupported("type aliases", t)),
        Stmt::Nonlocal(n) => return Err(frame.unsupported("nonlocal statements", n)),
        Stmt::IpyEscapeCommand(c) => return Err(frame.unsupported("IPython magics here", c)),
    }
    Ok(Flow::Next)
}

fn exec_try(py: &Interpreter, frame: &Frame, s: &Stmt, t: &ast::StmtTry) -> PyResult<Flow> {
    if t.is_star {
        return Err(frame.unsupported("except* clauses", s));
    }
    let result = match exec_block(py, frame, &t.body) {
        Ok(flow) => match flow {
            Flow::Next => exec_block(py, frame, &t.orelse),
            other => Ok(other),
        },
        Err(err) if !err.fatal => handle(py, frame, &t.handlers, err),
        Err(err) => Err(err),
    };
    if t.finalbody.is_empty() {
        return result;
    }
    match exec_block(py, frame, &t.finalbody)? {
        Flow::Next => result,
        other => Ok(other),
    }
}

/// Runs the first `except` clause that matches `err`, or raises it again.
fn handle(py: &Interpreter, frame: &Frame, handlers: &[ExceptHandler], err: PyErr) -> PyResult<Flow> {
    for ExceptHandler::ExceptHandler(h) in handlers {
        let matches = match &h.type_ {
            None => true,
            Some(types) => {
                let classes = match eval(py, frame, types)? {
                    Value::Tuple(t) => t.as_ref().clone(),
                    one => vec![one],
                };
                classes.iter().any(|c| match c {
                    Value::Builtin(b) => crate::python::builtins::exception_matches(b.name, err.name()),
                    _ => false,
                })
            }
        };
        if matches {
            if let Some(name) = &h.name {
                frame_set(py, frame, name.id.as_str(), Value::Exception(Rc::new(err.error.clone())));
            }
            return exec_block(py, frame, &h.body);
        }
    }
    Err(err)
}

/// Builds a function value; defaults are evaluated now, as Python does.
pub(super) fn make_function(
    py: &Interpreter,
    frame: &Frame,
    name: &str,
    parameters: &ast::Parameters,
    body: Body,
) -> PyResult<Value> {
    let mut defaults = Vec::new();
    for p in parameters.posonlyargs.iter().chain(&parameters.args).chain(&parameters.kwonlyargs) {
        if let Some(d) = &p.default {
            defaults.push((p.parameter.name.id.to_string(), eval(py, frame, d)?));
        }
    }
    let closure = match (&frame.locals, &frame.closure) {
        (Some(locals), outer) => {
            let mut vars: Vec<(String, Value)> = outer.as_ref().map(|c| c.as_ref().clone()).unwrap_or_default();
            vars.extend(locals.borrow().iter().map(|(k, v)| (k.clone(), v.clone())));
            Some(Rc::new(vars))
        }
        (None, _) => None,
    };
    Ok(Value::Function(Rc::new(Function {
        name: name.to_string(),
        parameters: parameters.clone(),
        defaults,
        body,
        source: frame.source.clone(),
        closure,
    })))
}

/// Binds `name` in the frame: a local inside a function (unless declared `global`), else a
/// global.
pub(super) fn frame_set(py: &Interpreter, frame: &Frame, name: &str, value: Value) {
    if let Some(locals) = &frame.locals {
        if !frame.declared_global.borrow().iter().any(|g| g == name) {
            locals.borrow_mut().insert(name.to_string(), value);
            return;
        }
    }
    py.set_global(name, value);
}

/// `target = value` for names, tuple/list unpacking, subscripts and attributes.
pub(super) fn assign(py: &Interpreter, frame: &Frame, target: &Expr, value: Value) -> PyResult<()> {
    match target {
        Expr::Name(n) => {
            frame_set(py, frame, n.id.as_str(), value);
            Ok(())
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            if let Some(star) = elts.iter().find(|e| e.is_starred_expr()) {
                return Err(frame.unsupported("starred assignment targets", star));
            }
            let items = iterate(py, &value)?;
            if items.len() < elts.len() {
                return Err(value_error(format!(
                    "not enough values to unpack (expected {}, got {})",
                    elts.len(),
                    items.len()
                )));
            }
            if items.len() > elts.len() {
                return Err(value_error(format!("too many values to unpack (expected {})", elts.len())));
            }
            for (t, v) in elts.iter().zip(items) {
                assign(py, frame, t, v)?;
            }
            Ok(())
        }
        Expr::Subscript(s) => {
            let container = eval(py, frame, &s.value)?;
            let key = eval(py, frame, &s.slice)?;
            set_item(&container, key, value)
        }
        Expr::Attribute(a) => Err(frame.unsupported(&format!("setting attributes ('.{}')", a.attr.id), target)),
        other => Err(frame.unsupported("this assignment target", other)),
    }
}

fn delete(py: &Interpreter, frame: &Frame, target: &Expr) -> PyResult<()> {
    match target {
        Expr::Name(n) => {
            let name = n.id.as_str();
            let removed = match &frame.locals {
                Some(locals) => locals.borrow_mut().remove(name).is_some(),
                None => py.state().globals.borrow_mut().remove(name).is_some(),
            };
            if removed {
                Ok(())
            } else {
                Err(PyErr::new("NameError", format!("name '{name}' is not defined")))
            }
        }
        Expr::Subscript(s) => {
            let container = eval(py, frame, &s.value)?;
            let key = eval(py, frame, &s.slice)?;
            crate::python::methods::delete_item(&container, &key)
        }
        other => Err(frame.unsupported("this del target", other)),
    }
}
