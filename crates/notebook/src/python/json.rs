//! The `json` module: `dumps` with Python's separators and indentation, `loads`, and
//! conversion of engine JSON (progress reports) to Python values.

use std::rc::Rc;

use super::args::Args;
use super::error::{type_error, value_error, PyResult};
use super::repr::float_repr;
use super::value::{Dict, Value};
use super::Interpreter;

/// A JSON value as Python's `json.loads` returns it (objects keep their key order).
///
/// ```
/// use streamlab_notebook::python::{json::json_to_value, repr::repr};
/// let v = json_to_value(&serde_json::json!({"a": [1, 2.5, null, true]}));
/// assert_eq!(repr(&v), "{'a': [1, 2.5, None, True]}");
/// ```
pub fn json_to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(json_to_value).collect()),
        serde_json::Value::Object(o) => {
            let mut d = Dict::new();
            for (k, v) in o {
                d.insert(Value::str(k), json_to_value(v));
            }
            Value::Dict(Rc::new(std::cell::RefCell::new(d)))
        }
    }
}

fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Dumper {
    indent: Option<String>,
    sort_keys: bool,
}

impl Dumper {
    fn write(&self, v: &Value, level: usize, out: &mut String) -> PyResult<()> {
        match v {
            Value::None => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) if f.is_nan() => out.push_str("NaN"),
            Value::Float(f) if f.is_infinite() => out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" }),
            Value::Float(f) => out.push_str(&float_repr(*f)),
            Value::Str(s) => quote(s, out),
            Value::List(l) => self.sequence(&l.borrow(), level, out)?,
            Value::Tuple(t) => self.sequence(t, level, out)?,
            Value::Row(r) => self.sequence(&r.values, level, out)?,
            Value::Dict(d) => {
                let d = d.borrow();
                let mut entries: Vec<(String, &Value)> = Vec::with_capacity(d.len());
                for (k, v) in d.entries() {
                    let key = match k {
                        Value::Str(s) => s.to_string(),
                        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::None => {
                            let mut s = String::new();
                            self.write(k, level, &mut s)?;
                            s
                        }
                        other => {
                            return Err(type_error(format!(
                                "keys must be str, int, float, bool or None, not {}",
                                other.type_name()
                            )))
                        }
                    };
                    entries.push((key, v));
                }
                if self.sort_keys {
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                }
                if entries.is_empty() {
                    out.push_str("{}");
                    return Ok(());
                }
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    self.separator(i, level + 1, out);
                    quote(k, out);
                    out.push_str(": ");
                    self.write(v, level + 1, out)?;
                }
                self.close(level, out);
                out.push('}');
            }
            other => {
                return Err(type_error(format!("Object of type {} is not JSON serializable", other.type_name())))
            }
        }
        Ok(())
    }

    fn sequence(&self, items: &[Value], level: usize, out: &mut String) -> PyResult<()> {
        if items.is_empty() {
            out.push_str("[]");
            return Ok(());
        }
        out.push('[');
        for (i, v) in items.iter().enumerate() {
            self.separator(i, level + 1, out);
            self.write(v, level + 1, out)?;
        }
        self.close(level, out);
        out.push(']');
        Ok(())
    }

    fn separator(&self, i: usize, level: usize, out: &mut String) {
        match &self.indent {
            Some(unit) => {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                out.push_str(&unit.repeat(level));
            }
            None if i > 0 => out.push_str(", "),
            None => {}
        }
    }

    fn close(&self, level: usize, out: &mut String) {
        if let Some(unit) = &self.indent {
            out.push('\n');
            out.push_str(&unit.repeat(level));
        }
    }
}

/// `json.dumps(obj, indent=None, sort_keys=False)`.
pub(crate) fn dumps(_py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let obj = args.required("dumps", 0, "obj")?;
    let indent = match args.keyword("indent") {
        None | Some(Value::None) => None,
        Some(Value::Int(n)) => Some(" ".repeat(usize::try_from(n).unwrap_or(0))),
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(other) => return Err(type_error(format!("indent must be an int or a str, not {}", other.type_name()))),
    };
    let sort_keys = args.keyword("sort_keys").is_some_and(|v| v.truthy());
    args.keyword("default");
    args.keyword("ensure_ascii");
    args.finish("dumps", 1)?;
    let mut out = String::new();
    Dumper { indent, sort_keys }.write(&obj, 0, &mut out)?;
    Ok(Value::str(out))
}

/// `json.loads(text)`.
pub(crate) fn loads(_py: &Interpreter, mut args: Args) -> PyResult<Value> {
    let text = args.required("loads", 0, "s")?;
    let Value::Str(text) = text else {
        return Err(type_error(format!("the JSON object must be str, bytes or bytearray, not {}", text.type_name())));
    };
    let parsed: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| value_error(format!("JSONDecodeError: {e}")))?;
    Ok(json_to_value(&parsed))
}
