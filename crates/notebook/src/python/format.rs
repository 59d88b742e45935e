//! String formatting as Python does it: format specs (`{:>8.2f}`), `str.format`, f-string
//! pieces and `%`-formatting.

use super::error::{type_error, value_error, PyErr, PyResult};
use super::repr::{float_repr, repr, to_str};
use super::value::Value;

/// A parsed format spec: `[[fill]align][sign][0][width][,][.precision][type]`.
#[derive(Debug, Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alternate: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    kind: Option<char>,
}

fn parse_spec(spec: &str) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if chars.first().is_some_and(|c| is_align(*c)) {
        s.align = chars.first().copied();
        i = 1;
    }
    if let Some(c @ ('+' | '-' | ' ')) = chars.get(i).copied() {
        s.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        s.alternate = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    let start = i;
    while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    s.width = chars[start..i].iter().collect::<String>().parse().unwrap_or(0);
    if let Some(c @ (',' | '_')) = chars.get(i).copied() {
        s.grouping = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let start = i;
        while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if start == i {
            return Err(value_error("Format specifier missing precision"));
        }
        s.precision = chars[start..i].iter().collect::<String>().parse().ok();
    }
    if let Some(c) = chars.get(i) {
        s.kind = Some(*c);
        i += 1;
    }
    if i != chars.len() {
        return Err(value_error("Invalid format specifier"));
    }
    Ok(s)
}

fn group(digits: &str, sep: char) -> String {
    let (int, frac) = match digits.find('.') {
        Some(p) => (&digits[..p], &digits[p..]),
        None => (digits, ""),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out + frac
}

/// Scientific notation with Python's exponent (`1.50e+03`).
fn sci(f: f64, precision: usize, upper: bool) -> String {
    let s = format!("{:.*e}", precision, f);
    let (m, e) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let out = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    if upper { out.to_uppercase() } else { out }
}

/// The `g` presentation: significant digits, trailing zeros removed unless `alternate`.
fn general(f: f64, precision: usize, alternate: bool) -> String {
    let p = precision.max(1);
    if f == 0.0 {
        return if alternate { format!("{:.*}", p - 1, 0.0) } else { "0".into() };
    }
    let exp: i32 = {
        let s = format!("{:.*e}", p - 1, f);
        s.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0)
    };
    let strip = |s: String| {
        if alternate || !s.contains('.') {
            s
        } else {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    };
    if exp >= -4 && exp < p as i32 {
        strip(format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, f))
    } else {
        let s = sci(f, p - 1, false);
        let (m, e) = s.split_once('e').unwrap_or((s.as_str(), ""));
        format!("{}e{e}", strip(m.to_string()))
    }
}

fn format_float(f: f64, s: &Spec) -> PyResult<String> {
    if f.is_nan() || f.is_infinite() {
        return Ok(float_repr(f));
    }
    let body = match s.kind {
        Some('f' | 'F') => format!("{:.*}", s.precision.unwrap_or(6), f.abs()),
        Some('e') => sci(f.abs(), s.precision.unwrap_or(6), false),
        Some('E') => sci(f.abs(), s.precision.unwrap_or(6), true),
        Some('g' | 'G') => general(f.abs(), s.precision.unwrap_or(6), s.alternate),
        Some('%') => format!("{:.*}%", s.precision.unwrap_or(6), f.abs() * 100.0),
        None => match s.precision {
            Some(p) => general(f.abs(), p, s.alternate),
            None => float_repr(f.abs()),
        },
        Some(k) => return Err(value_error(format!("Unknown format code '{k}' for object of type 'float'"))),
    };
    let body = match s.grouping {
        Some(sep) => group(&body, sep),
        None => body,
    };
    Ok(signed(f.is_sign_negative() && f != 0.0, body, s))
}

fn signed(negative: bool, body: String, s: &Spec) -> String {
    let sign = if negative {
        "-"
    } else {
        match s.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    };
    format!("{sign}{body}")
}

fn format_int(i: i64, s: &Spec) -> PyResult<String> {
    let body = match s.kind {
        None | Some('d') | Some('n') => i.unsigned_abs().to_string(),
        Some('x') => format!("{:x}", i.unsigned_abs()),
        Some('X') => format!("{:X}", i.unsigned_abs()),
        Some('o') => format!("{:o}", i.unsigned_abs()),
        Some('b') => format!("{:b}", i.unsigned_abs()),
        Some('f' | 'F' | 'e' | 'E' | 'g' | 'G' | '%') => return format_float(i as f64, s),
        Some(k) => return Err(value_error(format!("Unknown format code '{k}' for object of type 'int'"))),
    };
    let body = match s.grouping {
        Some(sep) => group(&body, sep),
        None => body,
    };
    Ok(signed(i < 0, body, s))
}

fn pad(text: String, s: &Spec, numeric: bool) -> String {
    let len = text.chars().count();
    if len >= s.width {
        return text;
    }
    let n = s.width - len;
    let zero_pad = s.zero && s.align.is_none() && numeric;
    let fill = s.fill.unwrap_or(if zero_pad { '0' } else { ' ' });
    let align = s.align.unwrap_or(if zero_pad { '=' } else if numeric { '>' } else { '<' });
    let fills = |k: usize| fill.to_string().repeat(k);
    match align {
        '<' => text + &fills(n),
        '^' => format!("{}{text}{}", fills(n / 2), fills(n - n / 2)),
        '=' => {
            let (sign, rest) = match text.chars().next() {
                Some(c @ ('-' | '+' | ' ')) => (c.to_string(), text[1..].to_string()),
                _ => (String::new(), text),
            };
            format!("{sign}{}{rest}", fills(n))
        }
        _ => fills(n) + &text,
    }
}

/// `format(value, spec)`, the work behind `{:spec}` and f-strings.
///
/// ```
/// use streamlab_notebook::python::{format::format_value, Value};
/// assert_eq!(format_value(&Value::Float(3.14159), ".2f").unwrap(), "3.14");
/// assert_eq!(format_value(&Value::Int(1234567), ",").unwrap(), "1,234,567");
/// assert_eq!(format_value(&Value::str("ab"), ">4").unwrap(), "  ab");
/// ```
pub fn format_value(value: &Value, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(to_str(value));
    }
    let s = parse_spec(spec)?;
    let (text, numeric) = match value {
        Value::Bool(_) | Value::Int(_) if s.kind != Some('s') => {
            (format_int(value.as_int().unwrap_or(0), &s)?, true)
        }
        Value::Float(f) => (format_float(*f, &s)?, true),
        Value::Str(text) => {
            if s.kind.is_some_and(|k| k != 's') {
                return Err(value_error(format!(
                    "Unknown format code '{}' for object of type 'str'",
                    s.kind.unwrap_or('s')
                )));
            }
            let t: String = match s.precision {
                Some(p) => text.chars().take(p).collect(),
                None => text.to_string(),
            };
            (t, false)
        }
        other => {
            if s.kind.is_some() || s.precision.is_some() {
                return Err(type_error(format!("unsupported format string passed to {}.__format__", other.type_name())));
            }
            (to_str(other), false)
        }
    };
    Ok(pad(text, &s, numeric))
}

/// A conversion flag (`!r`, `!s`) applied before formatting.
pub fn convert(value: &Value, conversion: Option<char>) -> Value {
    match conversion {
        Some('r') | Some('a') => Value::str(repr(value)),
        Some('s') => Value::str(to_str(value)),
        _ => value.clone(),
    }
}

/// One replacement field of `str.format`: how to get its value.
pub enum FieldRef<'a> {
    /// `{}` or `{0}`.
    Index(usize),
    /// `{name}`.
    Name(&'a str),
}

/// `template.format(...)`: literal text and fields, with `lookup` producing each field's value
/// (it handles positional indexes, keywords and `.attr` chains).
///
/// ```
/// use streamlab_notebook::python::{format::{format_template, FieldRef}, Value};
/// let out = format_template(" {} ({})", &mut |f, _| Ok(match f { FieldRef::Index(0) => Value::str("q"), _ => Value::Int(7) })).unwrap();
/// assert_eq!(out, " q (7)");
/// ```
pub fn format_template(
    template: &str,
    lookup: &mut dyn FnMut(FieldRef<'_>, &[&str]) -> PyResult<Value>,
) -> PyResult<String> {
    let mut out = String::new();
    let mut auto = 0usize;
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err(value_error("Single '}' encountered in format string"));
        }
        let Some(end) = tail.find('}') else {
            return Err(value_error("Single '{' encountered in format string"));
        };
        let field = &tail[1..end];
        rest = &tail[end + 1..];
        let (field, spec) = field.split_once(':').unwrap_or((field, ""));
        let (field, conversion) = match field.split_once('!') {
            Some((f, c)) => (f, c.chars().next()),
            None => (field, None),
        };
        let mut parts = field.split('.');
        let head = parts.next().unwrap_or("");
        let attrs: Vec<&str> = parts.collect();
        let reference = if head.is_empty() {
            auto += 1;
            FieldRef::Index(auto - 1)
        } else if let Ok(n) = head.parse::<usize>() {
            FieldRef::Index(n)
        } else {
            FieldRef::Name(head)
        };
        let value = lookup(reference, &attrs)?;
        out.push_str(&format_value(&convert(&value, conversion), spec)?);
    }
    out.push_str(rest);
    Ok(out)
}

/// `template % values`: `%s`, `%r`, `%d`, `%i`, `%f`, `%e`, `%g`, `%x`, `%%`, with flags,
/// width and precision, positional (a tuple) or by name (a dict).
///
/// ```
/// use streamlab_notebook::python::{format::percent_format, Value};
/// let out = percent_format("%s has %d rows (%.1f%%)", &Value::tuple(vec![Value::str("t"), Value::Int(3), Value::Float(12.34)])).unwrap();
/// assert_eq!(out, "t has 3 rows (12.3%)");
/// ```
pub fn percent_format(template: &str, values: &Value) -> PyResult<String> {
    let positional: Vec<Value> = match values {
        Value::Tuple(t) => t.as_ref().clone(),
        Value::Dict(_) => Vec::new(),
        other => vec![other.clone()],
    };
    let mut next = 0usize;
    let mut out = String::new();
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    let not_enough = || type_error("not enough arguments for format string");
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut key = None;
        if chars.get(i) == Some(&'(') {
            let start = i + 1;
            while i < chars.len() && chars[i] != ')' {
                i += 1;
            }
            key = Some(chars[start.min(i)..i].iter().collect::<String>());
            i += 1;
        }
        let mut flags = String::new();
        while let Some(f @ ('-' | '+' | ' ' | '0' | '#')) = chars.get(i).copied() {
            flags.push(f);
            i += 1;
        }
        let start = i;
        while chars.get(i).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
            i += 1;
        }
        let width_precision: String = chars[start..i].iter().collect();
        let Some(kind) = chars.get(i).copied() else {
            return Err(value_error("incomplete format"));
        };
        i += 1;
        if kind == '%' {
            out.push('%');
            continue;
        }
        let value = match (&key, values) {
            (Some(k), Value::Dict(d)) => d.borrow().get(&Value::str(k)).ok_or_else(|| PyErr::new("KeyError", repr(&Value::str(k))))?,
            (Some(_), _) => return Err(type_error("format requires a mapping")),
            (None, _) => {
                let v = positional.get(next).cloned().ok_or_else(not_enough)?;
                next += 1;
                v
            }
        };
        let align = if flags.contains('-') { "<" } else { ">" };
        let zero = if flags.contains('0') && !flags.contains('-') { "0" } else { "" };
        let sign = if flags.contains('+') { "+" } else if flags.contains(' ') { " " } else { "" };
        let spec_kind = match kind {
            's' => {
                let text = to_str(&value);
                out.push_str(&format_value(&Value::str(text), &format!("{align}{width_precision}"))?);
                continue;
            }
            'r' | 'a' => {
                out.push_str(&format_value(&Value::str(repr(&value)), &format!("{align}{width_precision}"))?);
                continue;
            }
            'd' | 'i' | 'u' => {
                let n = match &value {
                    Value::Float(f) => Value::Int(f.trunc() as i64),
                    Value::Int(_) | Value::Bool(_) => value.clone(),
                    other => {
                        return Err(type_error(format!("%{kind} format: a real number is required, not {}", other.type_name())))
                    }
                };
                let left = if flags.contains('-') { "<" } else { "" };
                out.push_str(&format_value(&n, &format!("{left}{sign}{zero}{width_precision}d"))?);
                continue;
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' => kind,
            other => return Err(value_error(format!("unsupported format character '{other}'"))),
        };
        let value = if matches!(spec_kind, 'x' | 'X' | 'o') {
            value
        } else {
            Value::Float(value.as_f64().ok_or_else(|| type_error(format!("must be real number, not {}", value.type_name())))?)
        };
        let align = if flags.contains('-') { "<" } else { "" };
        out.push_str(&format_value(&value, &format!("{align}{sign}{zero}{width_precision}{spec_kind}"))?);
    }
    if next < positional.len() && !matches!(values, Value::Dict(_)) {
        return Err(type_error("not all arguments converted during string formatting"));
    }
    Ok(out)
}
