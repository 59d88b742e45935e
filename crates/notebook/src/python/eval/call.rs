//! Calls: argument evaluation (`*args`, `**kwargs`) and binding to a `def`'s parameters.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use ruff_python_ast::{Arguments, Expr};

use super::expr::{eval, iterate};
use super::stmt::{exec_block, Flow};
use super::Frame;
use crate::python::args::Args;
use crate::python::error::{type_error, PyErr, PyResult};
use crate::python::value::{Body, Dict, Function, Value};
use crate::python::Interpreter;

/// Evaluates a call's arguments, expanding `*seq` and `**mapping`.
pub(super) fn eval_args(py: &Interpreter, frame: &Frame, arguments: &Arguments) -> PyResult<Args> {
    let mut args = Args::default();
    for a in arguments.args.iter() {
        match a {
            Expr::Starred(s) => args.positional.extend(iterate(py, &eval(py, frame, &s.value)?)?),
            other => args.positional.push(eval(py, frame, other)?),
        }
    }
    for k in arguments.keywords.iter() {
        let value = eval(py, frame, &k.value)?;
        match &k.arg {
            Some(name) => args.keywords.push((name.id.to_string(), value)),
            None => match value {
                Value::Dict(d) => {
                    for (key, v) in d.borrow().entries() {
                        let Some(key) = key.as_str() else {
                            return Err(type_error("keywords must be strings"));
                        };
                        args.keywords.push((key.to_string(), v.clone()));
                    }
                }
                other => {
                    return Err(type_error(format!("argument after ** must be a mapping, not {}", other.type_name())))
                }
            },
        }
    }
    Ok(args)
}

/// Calls any callable value.
pub(crate) fn call_value(py: &Interpreter, function: &Value, args: Args) -> PyResult<Value> {
    match function {
        Value::Builtin(b) => (b.func)(py, args),
        Value::Function(f) => call_function(py, f, args),
        Value::Method(m) => crate::python::methods::call_method(py, &m.receiver, &m.name, args),
        Value::Spark(s) => crate::python::spark::call(py, s, args),
        other => Err(type_error(format!("'{}' object is not callable", other.type_name()))),
    }
}

/// Binds `args` to `f`'s parameters as Python does, then runs its body.
fn call_function(py: &Interpreter, f: &Rc<Function>, mut args: Args) -> PyResult<Value> {
    let depth = py.state().depth.get();
    if depth >= py.state().limits.max_call_depth {
        return Err(PyErr::new("RecursionError", "maximum recursion depth exceeded"));
    }
    let p = &f.parameters;
    let mut locals: HashMap<String, Value> = HashMap::new();
    let positional_params: Vec<&str> =
        p.posonlyargs.iter().chain(&p.args).map(|a| a.parameter.name.id.as_str()).collect();
    let given = args.positional.len();
    let mut extra = Vec::new();
    for (i, value) in std::mem::take(&mut args.positional).into_iter().enumerate() {
        match positional_params.get(i) {
            Some(name) => {
                locals.insert(name.to_string(), value);
            }
            None => extra.push(value),
        }
    }
    match &p.vararg {
        Some(v) => {
            locals.insert(v.name.id.to_string(), Value::tuple(extra));
        }
        None if !extra.is_empty() => {
            return Err(type_error(format!(
                "{}() takes {} positional argument{} but {given} were given",
                f.name,
                positional_params.len(),
                if positional_params.len() == 1 { "" } else { "s" }
            )))
        }
        None => {}
    }
    let keyword_params: Vec<&str> = p.args.iter().chain(&p.kwonlyargs).map(|a| a.parameter.name.id.as_str()).collect();
    let mut kwargs = Dict::new();
    for (name, value) in args.keywords {
        if keyword_params.contains(&name.as_str()) {
            if locals.contains_key(&name) {
                return Err(type_error(format!("{}() got multiple values for argument '{name}'", f.name)));
            }
            locals.insert(name, value);
        } else if p.kwarg.is_some() {
            kwargs.insert(Value::str(&name), value);
        } else {
            return Err(type_error(format!("{}() got an unexpected keyword argument '{name}'", f.name)));
        }
    }
    if let Some(k) = &p.kwarg {
        locals.insert(k.name.id.to_string(), Value::Dict(Rc::new(RefCell::new(kwargs))));
    }
    let mut missing = Vec::new();
    for param in p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs) {
        let name = param.parameter.name.id.as_str();
        if locals.contains_key(name) {
            continue;
        }
        match f.defaults.iter().find(|(n, _)| n == name) {
            Some((_, v)) => {
                locals.insert(name.to_string(), v.clone());
            }
            None => missing.push(format!("'{name}'")),
        }
    }
    if !missing.is_empty() {
        let list = match missing.len() {
            1 => missing.join(""),
            n => format!("{} and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        return Err(type_error(format!(
            "{}() missing {} required positional argument{}: {list}",
            f.name,
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        )));
    }
    let frame = Frame {
        locals: Some(RefCell::new(locals)),
        closure: f.closure.clone(),
        declared_global: RefCell::new(Vec::new()),
        source: f.source.clone(),
    };
    py.state().depth.set(depth + 1);
    let result = match &f.body {
        Body::Block(body) => exec_block(py, &frame, body).map(|flow| match flow {
            Flow::Return(v) => v,
            _ => Value::None,
        }),
        Body::Expr(e) => eval(py, &frame, e),
    };
    py.state().depth.set(depth);
    result
}
