//! Expressions: names, literals, operators, containers, f-strings, comprehensions, calls.

use std::rc::Rc;

use ruff_python_ast::{self as ast, ConversionFlag, Expr, FStringPart, InterpolatedStringElement, Number};

use super::call::{call_value, eval_args};
use super::stmt::{assign, make_function};
use super::Frame;
use crate::python::error::{type_error, PyErr, PyResult};
use crate::python::format::{convert, format_value};
use crate::python::methods::get_item;
use crate::python::ops::{binary, compare, unary};
use crate::python::spark::Spark;
use crate::python::value::{Body, Dict, Value};
use crate::python::{builtins, Interpreter};

/// Python truthiness; a Column refuses, as PySpark's does.
pub(crate) fn truthy(value: &Value) -> PyResult<bool> {
    match value {
        Value::Spark(Spark::Column(_)) => Err(crate::python::error::pyspark_error(
            "PySparkValueError",
            "CANNOT_CONVERT_COLUMN_INTO_BOOL",
            "Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions.",
        )),
        other => Ok(other.truthy()),
    }
}

/// The items a `for` loop over `value` sees.
pub(crate) fn iterate(py: &Interpreter, value: &Value) -> PyResult<Vec<Value>> {
    match value {
        Value::List(l) => Ok(l.borrow().clone()),
        Value::Tuple(t) => Ok(t.as_ref().clone()),
        Value::Str(s) => Ok(s.chars().map(|c| Value::str(c.to_string())).collect()),
        Value::Dict(d) => Ok(d.borrow().entries().iter().map(|(k, _)| k.clone()).collect()),
        Value::Row(r) => Ok(r.values.clone()),
        Value::Spark(s) => crate::python::spark::iterate(py, s),
        other => Err(type_error(format!("'{}' object is not iterable", other.type_name()))),
    }
}

/// `container[key] = value`.
pub(crate) fn set_item(container: &Value, key: Value, value: Value) -> PyResult<()> {
    match container {
        Value::List(l) => {
            let mut l = l.borrow_mut();
            let len = l.len() as i64;
            let i = key.as_int().ok_or_else(|| {
                type_error(format!("list indices must be integers or slices, not {}", key.type_name()))
            })?;
            let i = if i < 0 { i + len } else { i };
            match l.get_mut(usize::try_from(i).unwrap_or(usize::MAX)) {
                Some(slot) => {
                    *slot = value;
                    Ok(())
                }
                None => Err(PyErr::new("IndexError", "list assignment index out of range")),
            }
        }
        Value::Dict(d) => {
            d.borrow_mut().insert(key, value);
            Ok(())
        }
        other => Err(type_error(format!("'{}' object does not support item assignment", other.type_name()))),
    }
}

fn lookup(py: &Interpreter, frame: &Frame, name: &str) -> PyResult<Value> {
    if let Some(locals) = &frame.locals {
        if let Some(v) = locals.borrow().get(name) {
            return Ok(v.clone());
        }
    }
    if let Some(closure) = &frame.closure {
        if let Some((_, v)) = closure.iter().rev().find(|(k, _)| k == name) {
            return Ok(v.clone());
        }
    }
    if let Some(v) = py.global(name) {
        return Ok(v);
    }
    builtins::lookup(name).ok_or_else(|| PyErr::new("NameError", format!("name '{name}' is not defined")))
}

/// Evaluates an expression.
pub(crate) fn eval(py: &Interpreter, frame: &Frame, e: &Expr) -> PyResult<Value> {
    match e {
        Expr::Name(n) => lookup(py, frame, n.id.as_str()),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(Value::Int).ok_or_else(|| {
                PyErr::new("OverflowError", "StreamLab integers are 64-bit: this literal is too large")
            }),
            Number::Float(f) => Ok(Value::Float(*f)),
            Number::Complex { .. } => Err(frame.unsupported("complex numbers", e)),
        },
        Expr::StringLiteral(s) => Ok(Value::str(s.value.to_str())),
        Expr::BooleanLiteral(b) => Ok(Value::Bool(b.value)),
        Expr::NoneLiteral(_) => Ok(Value::None),
        Expr::FString(f) => {
            let mut out = String::new();
            for part in f.value.iter() {
                match part {
                    FStringPart::Literal(l) => out.push_str(&l.value),
                    FStringPart::FString(fs) => interpolate(py, frame, &fs.elements, &mut out)?,
                }
            }
            Ok(Value::str(out))
        }
        Expr::List(l) => Ok(Value::list(eval_items(py, frame, &l.elts)?)),
        Expr::Tuple(t) => Ok(Value::tuple(eval_items(py, frame, &t.elts)?)),
        Expr::Dict(d) => {
            let mut dict = Dict::new();
            for item in &d.items {
                let value = eval(py, frame, &item.value)?;
                match &item.key {
                    Some(k) => dict.insert(eval(py, frame, k)?, value),
                    None => match value {
                        Value::Dict(other) => {
                            for (k, v) in other.borrow().entries() {
                                dict.insert(k.clone(), v.clone());
                            }
                        }
                        other => return Err(type_error(format!("'{}' object is not a mapping", other.type_name()))),
                    },
                }
            }
            Ok(Value::Dict(Rc::new(std::cell::RefCell::new(dict))))
        }
        Expr::Attribute(a) => {
            let value = eval(py, frame, &a.value)?;
            crate::python::methods::get_attr(&value, a.attr.id.as_str())
        }
        Expr::Subscript(s) => {
            let value = eval(py, frame, &s.value)?;
            let key = match s.slice.as_ref() {
                Expr::Slice(sl) => {
                    let bound = |b: &Option<Box<Expr>>| -> PyResult<Value> {
                        match b {
                            Some(x) => eval(py, frame, x),
                            None => Ok(Value::None),
                        }
                    };
                    crate::python::methods::slice_value(bound(&sl.lower)?, bound(&sl.upper)?, bound(&sl.step)?)
                }
                other => eval(py, frame, other)?,
            };
            get_item(py, &value, &key)
        }
        Expr::Call(c) => {
            let function = eval(py, frame, &c.func)?;
            let args = eval_args(py, frame, &c.arguments)?;
            call_value(py, &function, args)
        }
        Expr::BinOp(b) => {
            let left = eval(py, frame, &b.left)?;
            let right = eval(py, frame, &b.right)?;
            binary(py, b.op, &left, &right)
        }
        Expr::UnaryOp(u) => {
            let operand = eval(py, frame, &u.operand)?;
            if u.op == ast::UnaryOp::Not {
                return Ok(Value::Bool(!truthy(&operand)?));
            }
            unary(u.op, &operand)
        }
        Expr::BoolOp(b) => {
            let mut last = Value::None;
            for (i, v) in b.values.iter().enumerate() {
                last = eval(py, frame, v)?;
                if i + 1 == b.values.len() {
                    break;
                }
                let t = truthy(&last)?;
                if (b.op == ast::BoolOp::And && !t) || (b.op == ast::BoolOp::Or && t) {
                    break;
                }
            }
            Ok(last)
        }
        Expr::Compare(c) => {
            let mut left = eval(py, frame, &c.left)?;
            let mut result = Value::Bool(true);
            for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                let right = eval(py, frame, right)?;
                result = compare(py, *op, &left, &right)?;
                if c.ops.len() > 1 && !truthy(&result)? {
                    return Ok(result);
                }
                left = right;
            }
            Ok(result)
        }
        Expr::If(i) => {
            if truthy(&eval(py, frame, &i.test)?)? {
                eval(py, frame, &i.body)
            } else {
                eval(py, frame, &i.orelse)
            }
        }
        Expr::Lambda(l) => {
            let parameters = l.parameters.as_deref().cloned().unwrap_or_default();
            make_function(py, frame, "<lambda>", &parameters, Body::Expr(l.body.clone()))
        }
        Expr::ListComp(c) => {
            let mut out = Vec::new();
            comprehension(py, frame, &c.generators, &mut |py, frame| {
                out.push(eval(py, frame, &c.elt)?);
                Ok(())
            })?;
            Ok(Value::list(out))
        }
        Expr::Generator(g) => {
            let mut out = Vec::new();
            comprehension(py, frame, &g.generators, &mut |py, frame| {
                out.push(eval(py, frame, &g.elt)?);
                Ok(())
            })?;
            Ok(Value::list(out))
        }
        Expr::DictComp(c) => {
            let mut dict = Dict::new();
            comprehension(py, frame, &c.generators, &mut |py, frame| {
                let k = eval(py, frame, &c.key)?;
                let v = eval(py, frame, &c.value)?;
                dict.insert(k, v);
                Ok(())
            })?;
            Ok(Value::Dict(Rc::new(std::cell::RefCell::new(dict))))
        }
        Expr::Starred(_) => Err(frame.unsupported("a starred expression here", e)),
        Expr::Set(_) | Expr::SetComp(_) => Err(frame.unsupported("sets", e)),
        Expr::Named(_) => Err(frame.unsupported("assignment expressions (:=)", e)),
        Expr::Await(_) => Err(frame.unsupported("await", e)),
        Expr::Yield(_) | Expr::YieldFrom(_) => Err(frame.unsupported("generators (yield)", e)),
        Expr::BytesLiteral(_) => Err(frame.unsupported("bytes literals", e)),
        Expr::TString(_) => Err(frame.unsupported("template strings", e)),
        Expr::EllipsisLiteral(_) => Err(frame.unsupported("Ellipsis", e)),
        Expr::Slice(_) => Err(frame.unsupported("a slice outside brackets", e)),
        Expr::IpyEscapeCommand(_) => Err(frame.unsupported("IPython escapes", e)),
    }
}

/// List and tuple displays, expanding `*items`.
fn eval_items(py: &Interpreter, frame: &Frame, elts: &[Expr]) -> PyResult<Vec<Value>> {
    let mut out = Vec::with_capacity(elts.len());
    for e in elts {
        match e {
            Expr::Starred(s) => out.extend(iterate(py, &eval(py, frame, &s.value)?)?),
            other => out.push(eval(py, frame, other)?),
        }
    }
    Ok(out)
}

/// Runs `each` for every combination the comprehension's `for`/`if` clauses produce. Loop
/// variables are bound in the enclosing scope (StreamLab has no separate comprehension scope).
fn comprehension(
    py: &Interpreter,
    frame: &Frame,
    generators: &[ast::Comprehension],
    each: &mut dyn FnMut(&Interpreter, &Frame) -> PyResult<()>,
) -> PyResult<()> {
    let Some((first, rest)) = generators.split_first() else {
        return each(py, frame);
    };
    if first.is_async {
        return Err(frame.unsupported("async comprehensions", first));
    }
    for item in iterate(py, &eval(py, frame, &first.iter)?)? {
        py.step()?;
        assign(py, frame, &first.target, item)?;
        let mut keep = true;
        for cond in &first.ifs {
            if !truthy(&eval(py, frame, cond)?)? {
                keep = false;
                break;
            }
        }
        if keep {
            comprehension(py, frame, rest, each)?;
        }
    }
    Ok(())
}

/// Appends an f-string's literal text and formatted fields to `out`.
fn interpolate(
    py: &Interpreter,
    frame: &Frame,
    elements: &ast::InterpolatedStringElements,
    out: &mut String,
) -> PyResult<()> {
    for element in elements.iter() {
        match element {
            InterpolatedStringElement::Literal(l) => out.push_str(&l.value),
            InterpolatedStringElement::Interpolation(i) => {
                let value = eval(py, frame, &i.expression)?;
                let mut spec = String::new();
                if let Some(s) = &i.format_spec {
                    interpolate(py, frame, &s.elements, &mut spec)?;
                }
                let conversion = match i.conversion {
                    ConversionFlag::None => None,
                    ConversionFlag::Str => Some('s'),
                    ConversionFlag::Ascii => Some('a'),
                    ConversionFlag::Repr => Some('r'),
                };
                if let Some(debug) = &i.debug_text {
                    let text = frame.source_text(i.expression.as_ref());
                    out.push_str(&debug.leading);
                    out.push_str(&text);
                    out.push_str(&debug.trailing);
                    let conversion = if conversion.is_none() && spec.is_empty() { Some('r') } else { conversion };
                    out.push_str(&format_value(&convert(&value, conversion), &spec)?);
                    continue;
                }
                out.push_str(&format_value(&convert(&value, conversion), &spec)?);
            }
        }
    }
    Ok(())
}
