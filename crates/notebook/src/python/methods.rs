//! Attributes, methods and subscripts of the built-in types (`str`, `list`, `dict`, `Row`,
//! dates); engine objects are delegated to [`super::spark`].

use std::cmp::Ordering;
use std::rc::Rc;

use streamlab_types::time::civil::{civil_from_days, civil_from_micros};

use super::args::Args;
use super::error::{attribute_error, type_error, value_error, PyErr, PyResult};
use super::format::{format_template, FieldRef};
use super::ops::compare_values;
use super::repr::{repr, to_str};
use super::spark;
use super::value::{values_equal, BoundMethod, Value};
use super::Interpreter;

const STR_METHODS: &[&str] = &[
    "upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "replace", "startswith", "endswith",
    "format", "find", "rfind", "index", "count", "title", "capitalize", "isdigit", "isalpha", "isnumeric", "isspace",
    "isupper", "islower", "zfill", "ljust", "rjust", "center", "splitlines", "casefold", "swapcase", "removeprefix",
    "removesuffix", "isalnum",
];
const LIST_METHODS: &[&str] =
    &["append", "extend", "pop", "insert", "remove", "index", "count", "sort", "reverse", "copy", "clear"];
const DICT_METHODS: &[&str] = &["get", "keys", "values", "items", "pop", "setdefault", "update", "copy", "clear"];
const ROW_METHODS: &[&str] = &["asDict", "count", "index"];

fn bound(receiver: &Value, name: &str) -> Value {
    Value::Method(Rc::new(BoundMethod { receiver: receiver.clone(), name: Rc::from(name) }))
}

/// `value.name`.
pub(crate) fn get_attr(value: &Value, name: &str) -> PyResult<Value> {
    let has = |list: &[&str]| list.contains(&name);
    match value {
        Value::Module(m) => m
            .get(name)
            .ok_or_else(|| PyErr::new("AttributeError", format!("module '{}' has no attribute '{name}'", m.name))),
        Value::Str(_) if has(STR_METHODS) => Ok(bound(value, name)),
        Value::List(_) if has(LIST_METHODS) => Ok(bound(value, name)),
        Value::Dict(_) if has(DICT_METHODS) => Ok(bound(value, name)),
        Value::Row(r) => match r.get(name) {
            Some(v) => Ok(v.clone()),
            None if has(ROW_METHODS) => Ok(bound(value, name)),
            None => Err(PyErr::new("AttributeError", name)),
        },
        Value::Datetime(us) => {
            let c = civil_from_micros(*us);
            let n = match name {
                "year" => c.year,
                "month" => i64::from(c.month),
                "day" => i64::from(c.day),
                "hour" => i64::from(c.hour),
                "minute" => i64::from(c.minute),
                "second" => i64::from(c.second),
                "microsecond" => i64::from(c.micro),
                "isoformat" | "timestamp" | "date" => return Ok(bound(value, name)),
                _ => return Err(attribute_error("datetime.datetime", name)),
            };
            Ok(Value::Int(n))
        }
        Value::Date(d) => {
            let (y, m, day) = civil_from_days(i64::from(*d));
            match name {
                "year" => Ok(Value::Int(y)),
                "month" => Ok(Value::Int(i64::from(m))),
                "day" => Ok(Value::Int(i64::from(day))),
                "isoformat" => Ok(bound(value, name)),
                _ => Err(attribute_error("datetime.date", name)),
            }
        }
        Value::Exception(e) if name == "args" => Ok(Value::tuple(vec![Value::str(e.to_string())])),
        Value::Function(f) if name == "__name__" => Ok(Value::str(&f.name)),
        Value::Builtin(b) if name == "__name__" => Ok(Value::str(b.name)),
        Value::Spark(s) => spark::get_attr(s, name),
        other => Err(attribute_error(other.type_name(), name)),
    }
}

/// `receiver.name(args)`.
pub(crate) fn call_method(py: &Interpreter, receiver: &Value, name: &str, args: Args) -> PyResult<Value> {
    match receiver {
        Value::Str(s) => str_method(py, s, name, args),
        Value::List(_) => list_method(py, receiver, name, args),
        Value::Dict(_) => dict_method(receiver, name, args),
        Value::Row(r) => match name {
            "asDict" => Ok(Value::dict(r.names.iter().cloned().zip(r.values.iter().cloned()).collect())),
            "count" => {
                let item = args.positional.first().cloned().unwrap_or(Value::None);
                Ok(Value::Int(r.values.iter().filter(|v| values_equal(v, &item)).count() as i64))
            }
            _ => {
                let item = args.positional.first().cloned().unwrap_or(Value::None);
                let i = r.values.iter().position(|v| values_equal(v, &item));
                i.map(|i| Value::Int(i as i64)).ok_or_else(|| value_error("tuple.index(x): x not in tuple"))
            }
        },
        Value::Datetime(_) | Value::Date(_) => match name {
            "isoformat" => Ok(Value::str(to_str(receiver).replacen(' ', "T", 1))),
            "timestamp" => Ok(Value::Float(match receiver {
                Value::Datetime(us) => *us as f64 / 1e6,
                _ => 0.0,
            })),
            _ => match receiver {
                Value::Datetime(us) => Ok(Value::Date(us.div_euclid(86_400_000_000) as i32)),
                other => Ok(other.clone()),
            },
        },
        Value::Spark(s) => spark::call_method(py, s, name, args),
        other => Err(attribute_error(other.type_name(), name)),
    }
}

fn str_arg(args: &Args, i: usize, method: &str) -> PyResult<Option<String>> {
    match args.positional.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.to_string())),
        Some(other) => Err(type_error(format!("{method}() argument {} must be str or None, not {}", i + 1, other.type_name()))),
    }
}

fn int_arg(args: &Args, i: usize, default: i64) -> PyResult<i64> {
    match args.positional.get(i) {
        None => Ok(default),
        Some(v) => v
            .as_int()
            .ok_or_else(|| type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name()))),
    }
}

fn strip_chars<'a>(s: &'a str, chars: Option<&str>, left: bool, right: bool) -> &'a str {
    let matches = |c: char| match chars {
        Some(set) => set.contains(c),
        None => c.is_whitespace(),
    };
    let s = if left { s.trim_start_matches(matches) } else { s };
    if right { s.trim_end_matches(matches) } else { s }
}

fn prefix_test(s: &str, arg: Option<&Value>, start: bool, method: &str) -> PyResult<bool> {
    let test = |p: &str| if start { s.starts_with(p) } else { s.ends_with(p) };
    match arg {
        Some(Value::Str(p)) => Ok(test(p)),
        Some(Value::Tuple(t)) => Ok(t.iter().any(|p| p.as_str().is_some_and(test))),
        Some(other) => Err(type_error(format!(
            "{method} first arg must be str or a tuple of str, not {}",
            other.type_name()
        ))),
        None => Err(type_error(format!("{method}() takes at least 1 argument (0 given)"))),
    }
}

fn split(s: &str, sep: Option<&str>, maxsplit: i64) -> PyResult<Vec<Value>> {
    let limit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    let parts: Vec<String> = match sep {
        Some("") => return Err(value_error("empty separator")),
        Some(sep) => {
            let mut out: Vec<String> = Vec::new();
            let mut rest = s;
            while out.len() < limit {
                match rest.find(sep) {
                    Some(i) => {
                        out.push(rest[..i].to_string());
                        rest = &rest[i + sep.len()..];
                    }
                    None => break,
                }
            }
            out.push(rest.to_string());
            out
        }
        None => {
            let mut out = Vec::new();
            let mut rest = s.trim_start();
            while !rest.is_empty() {
                if out.len() == limit {
                    out.push(rest.to_string());
                    break;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                out.push(rest[..end].to_string());
                rest = rest[end..].trim_start();
            }
            out
        }
    };
    Ok(parts.into_iter().map(Value::str).collect())
}

fn str_method(py: &Interpreter, s: &str, name: &str, mut args: Args) -> PyResult<Value> {
    let text = |t: String| Ok(Value::str(t));
    match name {
        "upper" => text(s.to_uppercase()),
        "lower" | "casefold" => text(s.to_lowercase()),
        "swapcase" => text(s.chars().map(|c| if c.is_uppercase() { c.to_lowercase().to_string() } else { c.to_uppercase().to_string() }).collect()),
        "strip" => text(strip_chars(s, str_arg(&args, 0, name)?.as_deref(), true, true).to_string()),
        "lstrip" => text(strip_chars(s, str_arg(&args, 0, name)?.as_deref(), true, false).to_string()),
        "rstrip" => text(strip_chars(s, str_arg(&args, 0, name)?.as_deref(), false, true).to_string()),
        "split" | "rsplit" => {
            let sep = args.take(0, "sep");
            let maxsplit = args.take(1, "maxsplit").and_then(|v| v.as_int()).unwrap_or(-1);
            let sep = match &sep {
                None | Some(Value::None) => None,
                Some(Value::Str(x)) => Some(x.to_string()),
                Some(other) => return Err(type_error(format!("must be str or None, not {}", other.type_name()))),
            };
            if name == "rsplit" && maxsplit >= 0 {
                let reversed: String = s.chars().rev().collect();
                let rsep: Option<String> = sep.map(|x| x.chars().rev().collect());
                let mut parts = split(&reversed, rsep.as_deref(), maxsplit)?;
                parts.reverse();
                return Ok(Value::list(parts.iter().map(|p| Value::str(to_str(p).chars().rev().collect::<String>())).collect()));
            }
            Ok(Value::list(split(s, sep.as_deref(), maxsplit)?))
        }
        "splitlines" => Ok(Value::list(s.lines().map(Value::str).collect())),
        "join" => {
            let items = super::eval::iterate_value(py, args.positional.first().unwrap_or(&Value::None))?;
            let mut parts = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Str(p) => parts.push(p.to_string()),
                    other => {
                        return Err(type_error(format!(
                            "sequence item {i}: expected str instance, {} found",
                            other.type_name()
                        )))
                    }
                }
            }
            text(parts.join(s))
        }
        "replace" => {
            let (Some(old), Some(new)) = (str_arg(&args, 0, name)?, str_arg(&args, 1, name)?) else {
                return Err(type_error("replace expected at least 2 arguments"));
            };
            let count = int_arg(&args, 2, -1)?;
            if count < 0 {
                text(s.replace(&old, &new))
            } else {
                text(s.replacen(&old, &new, count as usize))
            }
        }
        "startswith" => Ok(Value::Bool(prefix_test(s, args.positional.first(), true, name)?)),
        "endswith" => Ok(Value::Bool(prefix_test(s, args.positional.first(), false, name)?)),
        "removeprefix" => text(s.strip_prefix(str_arg(&args, 0, name)?.unwrap_or_default().as_str()).unwrap_or(s).to_string()),
        "removesuffix" => text(s.strip_suffix(str_arg(&args, 0, name)?.unwrap_or_default().as_str()).unwrap_or(s).to_string()),
        "format" => {
            let out = format_template(s, &mut |field, attrs| {
                let mut v = match field {
                    FieldRef::Index(i) => args.positional.get(i).cloned().ok_or_else(|| {
                        PyErr::new("IndexError", format!("Replacement index {i} out of range for positional args tuple"))
                    })?,
                    FieldRef::Name(n) => args
                        .keywords
                        .iter()
                        .find(|(k, _)| k == n)
                        .map(|(_, v)| v.clone())
                        .ok_or_else(|| PyErr::new("KeyError", repr(&Value::str(n))))?,
                };
                for a in attrs {
                    v = get_attr(&v, a)?;
                }
                Ok(v)
            })?;
            text(out)
        }
        "find" | "rfind" | "index" | "count" => {
            let needle = str_arg(&args, 0, name)?.ok_or_else(|| type_error(format!("{name}() takes at least 1 argument")))?;
            let found = if name == "rfind" { s.rfind(&needle) } else { s.find(&needle) };
            let chars = |byte: usize| s[..byte].chars().count() as i64;
            match name {
                "count" => Ok(Value::Int(if needle.is_empty() { s.chars().count() as i64 + 1 } else { s.matches(&needle).count() as i64 })),
                "index" => found.map(|i| Value::Int(chars(i))).ok_or_else(|| value_error("substring not found")),
                _ => Ok(Value::Int(found.map_or(-1, chars))),
            }
        }
        "title" => {
            let mut out = String::new();
            let mut prev_alpha = false;
            for c in s.chars() {
                if prev_alpha {
                    out.extend(c.to_lowercase());
                } else {
                    out.extend(c.to_uppercase());
                }
                prev_alpha = c.is_alphabetic();
            }
            text(out)
        }
        "capitalize" => {
            let mut chars = s.chars();
            text(match chars.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &chars.as_str().to_lowercase(),
                None => String::new(),
            })
        }
        "isdigit" | "isnumeric" => Ok(Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_numeric()))),
        "isalpha" => Ok(Value::Bool(!s.is_empty() && s.chars().all(char::is_alphabetic))),
        "isalnum" => Ok(Value::Bool(!s.is_empty() && s.chars().all(char::is_alphanumeric))),
        "isspace" => Ok(Value::Bool(!s.is_empty() && s.chars().all(char::is_whitespace))),
        "isupper" => Ok(Value::Bool(s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase))),
        "islower" => Ok(Value::Bool(s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_uppercase))),
        "zfill" | "ljust" | "rjust" | "center" => {
            let width = int_arg(&args, 0, 0)?.max(0) as usize;
            let fill = str_arg(&args, 1, name)?.and_then(|f| f.chars().next()).unwrap_or(' ');
            let spec = match name {
                "zfill" => format!("0>{width}"),
                "ljust" => format!("{fill}<{width}"),
                "rjust" => format!("{fill}>{width}"),
                _ => format!("{fill}^{width}"),
            };
            if name == "zfill" {
                let (sign, digits) = match s.strip_prefix('-') {
                    Some(d) => ("-", d),
                    None => ("", s),
                };
                let pad = width.saturating_sub(s.chars().count());
                return text(format!("{sign}{}{digits}", "0".repeat(pad)));
            }
            text(super::format::format_value(&Value::str(s), &spec)?)
        }
        _ => Err(attribute_error("str", name)),
    }
}

/// Sorts values by Python's ordering, optionally by `key(value)`, stably.
pub(crate) fn sort_values(py: &Interpreter, items: Vec<Value>, key: Option<&Value>, reverse: bool) -> PyResult<Vec<Value>> {
    let keys = match key {
        Some(k) if !matches!(k, Value::None) => {
            items.iter().map(|v| py.call(k, Args::positional(vec![v.clone()]))).collect::<PyResult<Vec<_>>>()?
        }
        _ => items.clone(),
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    let mut error = None;
    order.sort_by(|a, b| {
        let (x, y) = (&keys[*a], &keys[*b]);
        match compare_values(x, y, "<") {
            Ok(o) => if reverse { o.reverse() } else { o },
            Err(e) => {
                error.get_or_insert(e);
                Ordering::Equal
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    Ok(order.into_iter().filter_map(|i| items.get(i).cloned()).collect())
}

fn list_method(py: &Interpreter, receiver: &Value, name: &str, mut args: Args) -> PyResult<Value> {
    let Value::List(list) = receiver else { return Err(attribute_error(receiver.type_name(), name)) };
    let first = args.positional.first().cloned();
    match name {
        "append" => {
            list.borrow_mut().push(first.ok_or_else(|| type_error("list.append() takes exactly one argument (0 given)"))?);
            Ok(Value::None)
        }
        "extend" => {
            let items = super::eval::iterate_value(py, &first.unwrap_or(Value::None))?;
            list.borrow_mut().extend(items);
            Ok(Value::None)
        }
        "insert" => {
            let i = int_arg(&args, 0, 0)?;
            let value = args.positional.get(1).cloned().unwrap_or(Value::None);
            let mut l = list.borrow_mut();
            let len = l.len() as i64;
            let i = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
            l.insert(i, value);
            Ok(Value::None)
        }
        "pop" => {
            let mut l = list.borrow_mut();
            if l.is_empty() {
                return Err(PyErr::new("IndexError", "pop from empty list"));
            }
            let len = l.len() as i64;
            let i = int_arg(&args, 0, -1)?;
            let i = if i < 0 { i + len } else { i };
            if !(0..len).contains(&i) {
                return Err(PyErr::new("IndexError", "pop index out of range"));
            }
            Ok(l.remove(i as usize))
        }
        "remove" => {
            let item = first.unwrap_or(Value::None);
            let mut l = list.borrow_mut();
            let i = l.iter().position(|v| values_equal(v, &item)).ok_or_else(|| value_error("list.remove(x): x not in list"))?;
            l.remove(i);
            Ok(Value::None)
        }
        "index" => {
            let item = first.unwrap_or(Value::None);
            let l = list.borrow();
            l.iter()
                .position(|v| values_equal(v, &item))
                .map(|i| Value::Int(i as i64))
                .ok_or_else(|| value_error(format!("{} is not in list", repr(&item))))
        }
        "count" => {
            let item = first.unwrap_or(Value::None);
            Ok(Value::Int(list.borrow().iter().filter(|v| values_equal(v, &item)).count() as i64))
        }
        "sort" => {
            let key = args.keyword("key");
            let reverse = args.keyword("reverse").is_some_and(|v| v.truthy());
            let items = list.borrow().clone();
            let sorted = sort_values(py, items, key.as_ref(), reverse)?;
            *list.borrow_mut() = sorted;
            Ok(Value::None)
        }
        "reverse" => {
            list.borrow_mut().reverse();
            Ok(Value::None)
        }
        "copy" => Ok(Value::list(list.borrow().clone())),
        "clear" => {
            list.borrow_mut().clear();
            Ok(Value::None)
        }
        _ => Err(attribute_error("list", name)),
    }
}

fn dict_method(receiver: &Value, name: &str, args: Args) -> PyResult<Value> {
    let Value::Dict(dict) = receiver else { return Err(attribute_error(receiver.type_name(), name)) };
    let key = args.positional.first().cloned().unwrap_or(Value::None);
    let default = args.positional.get(1).cloned();
    match name {
        "get" => Ok(dict.borrow().get(&key).or(default).unwrap_or(Value::None)),
        "keys" => Ok(Value::list(dict.borrow().entries().iter().map(|(k, _)| k.clone()).collect())),
        "values" => Ok(Value::list(dict.borrow().entries().iter().map(|(_, v)| v.clone()).collect())),
        "items" => Ok(Value::list(
            dict.borrow().entries().iter().map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()])).collect(),
        )),
        "pop" => {
            let removed = dict.borrow_mut().remove(&key);
            removed.or(default).ok_or_else(|| PyErr::new("KeyError", repr(&key)))
        }
        "setdefault" => {
            let existing = dict.borrow().get(&key);
            Ok(match existing {
                Some(v) => v,
                None => {
                    let v = default.unwrap_or(Value::None);
                    dict.borrow_mut().insert(key, v.clone());
                    v
                }
            })
        }
        "update" => {
            let mut entries: Vec<(Value, Value)> = match args.positional.first() {
                Some(Value::Dict(other)) => other.borrow().entries().to_vec(),
                Some(other) => return Err(type_error(format!("'{}' object is not iterable", other.type_name()))),
                None => Vec::new(),
            };
            entries.extend(args.keywords.iter().map(|(k, v)| (Value::str(k), v.clone())));
            let mut d = dict.borrow_mut();
            for (k, v) in entries {
                d.insert(k, v);
            }
            Ok(Value::None)
        }
        "copy" => Ok(Value::Dict(Rc::new(std::cell::RefCell::new(dict.borrow().clone())))),
        "clear" => {
            *dict.borrow_mut() = super::value::Dict::new();
            Ok(Value::None)
        }
        _ => Err(attribute_error("dict", name)),
    }
}

/// The slice object for `a[lower:upper:step]`.
pub(crate) fn slice_value(lower: Value, upper: Value, step: Value) -> Value {
    Value::Slice(Rc::new([lower, upper, step]))
}

/// The indexes a slice selects from a sequence of `len` items.
fn slice_indexes(bounds: &[Value; 3], len: usize) -> PyResult<Vec<usize>> {
    let int = |v: &Value| -> PyResult<Option<i64>> {
        match v {
            Value::None => Ok(None),
            other => other.as_int().map(Some).ok_or_else(|| {
                type_error("slice indices must be integers or None or have an __index__ method")
            }),
        }
    };
    let len = len as i64;
    let step = int(&bounds[2])?.unwrap_or(1);
    if step == 0 {
        return Err(value_error("slice step cannot be zero"));
    }
    let clamp = |v: i64, lo: i64, hi: i64| v.max(lo).min(hi);
    let norm = |v: i64| if v < 0 { v + len } else { v };
    let (start, stop) = if step > 0 {
        (
            int(&bounds[0])?.map_or(0, |v| clamp(norm(v), 0, len)),
            int(&bounds[1])?.map_or(len, |v| clamp(norm(v), 0, len)),
        )
    } else {
        (
            int(&bounds[0])?.map_or(len - 1, |v| clamp(norm(v), -1, len - 1)),
            int(&bounds[1])?.map_or(-1, |v| clamp(norm(v), -1, len - 1)),
        )
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i as usize);
        i += step;
    }
    Ok(out)
}

fn index(key: &Value, len: usize, what: &str) -> PyResult<usize> {
    let i = key.as_int().ok_or_else(|| {
        type_error(format!("{what} indices must be integers or slices, not {}", key.type_name()))
    })?;
    let j = if i < 0 { i + len as i64 } else { i };
    usize::try_from(j)
        .ok()
        .filter(|j| *j < len)
        .ok_or_else(|| PyErr::new("IndexError", format!("{what} index out of range")))
}

/// `value[key]`.
pub(crate) fn get_item(py: &Interpreter, value: &Value, key: &Value) -> PyResult<Value> {
    match (value, key) {
        (Value::List(l), Value::Slice(s)) => {
            let l = l.borrow();
            Ok(Value::list(slice_indexes(s, l.len())?.into_iter().filter_map(|i| l.get(i).cloned()).collect()))
        }
        (Value::Tuple(t), Value::Slice(s)) => {
            Ok(Value::tuple(slice_indexes(s, t.len())?.into_iter().filter_map(|i| t.get(i).cloned()).collect()))
        }
        (Value::Str(text), Value::Slice(s)) => {
            let chars: Vec<char> = text.chars().collect();
            Ok(Value::str(slice_indexes(s, chars.len())?.into_iter().filter_map(|i| chars.get(i)).collect::<String>()))
        }
        (Value::List(l), _) => {
            let l = l.borrow();
            let i = index(key, l.len(), "list")?;
            Ok(l.get(i).cloned().unwrap_or(Value::None))
        }
        (Value::Tuple(t), _) => Ok(t.get(index(key, t.len(), "tuple")?).cloned().unwrap_or(Value::None)),
        (Value::Str(s), _) => {
            let chars: Vec<char> = s.chars().collect();
            let i = index(key, chars.len(), "string")?;
            Ok(Value::str(chars.get(i).map(|c| c.to_string()).unwrap_or_default()))
        }
        (Value::Dict(d), _) => d.borrow().get(key).ok_or_else(|| PyErr::new("KeyError", repr(key))),
        (Value::Row(r), Value::Str(name)) => {
            r.get(name).cloned().ok_or_else(|| PyErr::new("PySparkValueError", name.to_string()))
        }
        (Value::Row(r), Value::Slice(s)) => {
            Ok(Value::tuple(slice_indexes(s, r.values.len())?.into_iter().filter_map(|i| r.values.get(i).cloned()).collect()))
        }
        (Value::Row(r), _) => Ok(r.values.get(index(key, r.values.len(), "tuple")?).cloned().unwrap_or(Value::None)),
        (Value::Spark(s), _) => spark::get_item(py, s, key),
        (other, _) => Err(type_error(format!("'{}' object is not subscriptable", other.type_name()))),
    }
}

/// `del container[key]`.
pub(crate) fn delete_item(container: &Value, key: &Value) -> PyResult<()> {
    match container {
        Value::Dict(d) => d.borrow_mut().remove(key).map(|_| ()).ok_or_else(|| PyErr::new("KeyError", repr(key))),
        Value::List(l) => {
            let mut l = l.borrow_mut();
            let i = index(key, l.len(), "list")?;
            l.remove(i);
            Ok(())
        }
        other => Err(type_error(format!("'{}' object does not support item deletion", other.type_name()))),
    }
}
