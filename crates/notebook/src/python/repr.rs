//! `repr()` and `str()` exactly as CPython and PySpark print them: float shortest round-trip
//! text, quote choice for strings, `Row(a=1)`, `datetime.datetime(...)`, PySpark's object
//! reprs.

use streamlab_types::time::civil::{civil_from_days, civil_from_micros};

use super::value::Value;

/// `repr(value)`.
///
/// ```
/// use streamlab_notebook::python::{repr::repr, Value};
/// assert_eq!(repr(&Value::list(vec![Value::str("it's"), Value::Float(1e16), Value::None])), "[\"it's\", 1e+16, None]");
/// ```
pub fn repr(value: &Value) -> String {
    match value {
        Value::None => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s),
        Value::List(l) => format!("[{}]", join_reprs(&l.borrow())),
        Value::Tuple(t) if t.len() == 1 => format!("({},)", join_reprs(t)),
        Value::Tuple(t) => format!("({})", join_reprs(t)),
        Value::Dict(d) => {
            let d = d.borrow();
            let items: Vec<String> = d.entries().iter().map(|(k, v)| format!("{}: {}", repr(k), repr(v))).collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Function(f) => format!("<function {} at {}>", f.name, super::spark::FAKE_ADDRESS),
        Value::Builtin(b) if super::builtins::is_class(b.name) => format!("<class '{}'>", b.name),
        Value::Builtin(b) => format!("<built-in function {}>", b.name),
        Value::Method(m) => format!("<bound method {} of {}>", m.name, repr(&m.receiver)),
        Value::Module(m) => format!("<module '{}'>", m.name),
        Value::Datetime(us) => {
            let c = civil_from_micros(*us);
            let mut s = format!("datetime.datetime({}, {}, {}, {}, {}", c.year, c.month, c.day, c.hour, c.minute);
            if c.second != 0 || c.micro != 0 {
                s.push_str(&format!(", {}", c.second));
            }
            if c.micro != 0 {
                s.push_str(&format!(", {}", c.micro));
            }
            s + ")"
        }
        Value::Date(d) => {
            let (y, m, day) = civil_from_days(i64::from(*d));
            format!("datetime.date({y}, {m}, {day})")
        }
        Value::Decimal(d) => format!("Decimal('{d}')"),
        Value::Row(r) if r.names.is_empty() => format!("<Row({})>", join_reprs(&r.values)),
        Value::Row(r) => {
            let fields: Vec<String> = r.names.iter().zip(&r.values).map(|(n, v)| format!("{n}={}", repr(v))).collect();
            format!("Row({})", fields.join(", "))
        }
        Value::Slice(s) => format!("slice({}, {}, {})", repr(&s[0]), repr(&s[1]), repr(&s[2])),
        Value::Exception(e) => format!("{}({})", e.kind.exception_name(), str_repr(&e.to_string())),
        Value::Spark(s) => s.repr(),
    }
}

/// `str(value)`: strings themselves, dates in ISO form, everything else as `repr`.
///
/// ```
/// use streamlab_notebook::python::{repr::to_str, Value};
/// assert_eq!(to_str(&Value::str("a")), "a");
/// assert_eq!(to_str(&Value::Datetime(1_424_696_631_914_042)), "2015-02-23 13:03:51.914042");
/// ```
pub fn to_str(value: &Value) -> String {
    match value {
        Value::Str(s) => s.to_string(),
        Value::Datetime(us) => {
            let c = civil_from_micros(*us);
            let mut s = format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
            if c.micro != 0 {
                s.push_str(&format!(".{:06}", c.micro));
            }
            s
        }
        Value::Date(d) => {
            let (y, m, day) = civil_from_days(i64::from(*d));
            format!("{y:04}-{m:02}-{day:02}")
        }
        Value::Decimal(d) => d.to_string(),
        Value::Exception(e) => e.to_string(),
        Value::Spark(s) => s.str(),
        other => repr(other),
    }
}

fn join_reprs(values: &[Value]) -> String {
    values.iter().map(repr).collect::<Vec<_>>().join(", ")
}

/// A string literal as Python writes it: single quotes unless the text has `'` and no `"`.
///
/// ```
/// use streamlab_notebook::python::repr::str_repr;
/// assert_eq!(str_repr("a\nb"), "'a\\nb'");
/// assert_eq!(str_repr("it's"), "\"it's\"");
/// ```
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `repr(float)`: the shortest text that round-trips, fixed notation for exponents
/// from -4 to 15, else `1e+16` style.
///
/// ```
/// use streamlab_notebook::python::repr::float_repr;
/// assert_eq!(float_repr(0.1), "0.1");
/// assert_eq!(float_repr(100.0), "100.0");
/// assert_eq!(float_repr(1.5e-5), "1.5e-05");
/// assert_eq!(float_repr(-0.0006256103500000001), "-0.0006256103500000001");
/// ```
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0.0");
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let body = if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                format!("{digits}{}.0", "0".repeat(int_len - digits.len()))
            } else {
                format!("{}.{}", &digits[..int_len], &digits[int_len..])
            }
        } else {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() { first.to_string() } else { format!("{first}.{rest}") };
        format!("{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    };
    format!("{sign}{body}")
}
