//! Strings: case, length, concatenation, substrings, trimming, padding, search, `LIKE`, regular
//! expressions (`rlike`, `regexp_replace`, `regexp_extract`, `split`).
//!
//! Positions and lengths count characters (code points) like Spark's `UTF8String`. Regular
//! expressions use Rust's `regex` syntax, which matches Java's for everyday patterns (no
//! look-around or back-references).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Int32Array, ListBuilder, StringArray, StringBuilder};
use arrow::datatypes::{DataType, Int32Type};
use regex::Regex;
use streamlab_types::{Result, SparkError};

use super::{arg, def, make, Call, FunctionDef};
use crate::cast::strings;
use crate::literal::Literal;
use crate::physical::PhysicalExpr;
use crate::resolve::coercion::{coerce_arg, Expected};
use crate::types;

pub(crate) const FUNCTIONS: &[FunctionDef] = &[
    def("upper", case_fn),
    def("ucase", case_fn),
    def("lower", case_fn),
    def("lcase", case_fn),
    def("initcap", case_fn),
    def("reverse", case_fn),
    def("length", length),
    def("char_length", length),
    def("character_length", length),
    def("len", length),
    def("octet_length", length),
    def("ascii", length),
    def("concat", concat),
    def("concat_ws", concat_ws),
    def("substring", substring),
    def("substr", substring),
    def("left", left_right),
    def("right", left_right),
    def("trim", trim),
    def("ltrim", trim),
    def("rtrim", trim),
    def("lpad", pad),
    def("rpad", pad),
    def("repeat", repeat),
    def("instr", instr),
    def("locate", locate),
    def("position", locate),
    def("replace", replace),
    def("translate", translate),
    def("substring_index", substring_index),
    def("startswith", starts_ends_contains),
    def("endswith", starts_ends_contains),
    def("contains", starts_ends_contains),
    def("like", resolve_like),
    def("ilike", resolve_like),
    def("rlike", rlike),
    def("regexp", rlike),
    def("regexp_like", rlike),
    def("regexp_replace", regexp_replace),
    def("regexp_extract", regexp_extract),
    def("split", split),
];

const S: Expected = Expected::Type(DataType::Utf8);
const I: Expected = Expected::Type(DataType::Int32);

fn nullable_any(args: &[PhysicalExpr]) -> bool {
    args.iter().any(|a| a.nullable)
}

/// Row-wise `f` over string columns (`cols` all strings, same length); null in → null out.
fn map_rows<T>(cols: &[&StringArray], rows: usize, mut f: impl FnMut(&[&str]) -> Option<T>) -> Vec<Option<T>> {
    let mut out = Vec::with_capacity(rows);
    let mut vals: Vec<&str> = Vec::with_capacity(cols.len());
    for i in 0..rows {
        vals.clear();
        let mut null = false;
        for c in cols {
            if c.is_null(i) {
                null = true;
                break;
            }
            vals.push(c.value(i));
        }
        out.push(if null { None } else { f(&vals) });
    }
    out
}

fn string_args(a: &[ArrayRef]) -> Result<Vec<&StringArray>> {
    a.iter().map(strings).collect()
}

fn ints(a: &ArrayRef) -> Result<&arrow::array::PrimitiveArray<Int32Type>> {
    a.as_primitive_opt::<Int32Type>().ok_or_else(|| SparkError::runtime("expected an int column"))
}

fn char_slice(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end.saturating_sub(start)).collect()
}

fn case_fn(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let name = call.name.clone();
    let args = call.coerce(&[S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, move |a, _, rows| {
        let cols = string_args(a)?;
        let out: StringArray = map_rows(&cols, rows, |v| {
            let s = v[0];
            Some(match name.as_str() {
                "upper" | "ucase" => s.to_uppercase(),
                "lower" | "lcase" => s.to_lowercase(),
                "reverse" => s.chars().rev().collect(),
                _ => initcap(s),
            })
        })
        .into_iter()
        .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

/// `initcap`: lower-case everything, then upper-case the first letter after each space.
fn initcap(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.to_lowercase().chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c == ' ';
    }
    out
}

fn length(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1])?;
    let sql = call.sql();
    let name = call.name.clone();
    let args = call.coerce(&[S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Int32, nullable, args, move |a, _, rows| {
        let cols = string_args(a)?;
        let out: Int32Array = map_rows(&cols, rows, |v| {
            let s = v[0];
            Some(match name.as_str() {
                "octet_length" => s.len() as i32,
                "ascii" => s.chars().next().map(|c| c as i32).unwrap_or(0),
                _ => s.chars().count() as i32,
            })
        })
        .into_iter()
        .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn concat(call: Call) -> Result<PhysicalExpr> {
    let sql = call.sql();
    let args = call.coerce(&[S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let cols = string_args(a)?;
        let out: StringArray = map_rows(&cols, rows, |v| Some(v.concat())).into_iter().collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn concat_ws(call: Call) -> Result<PhysicalExpr> {
    call.at_least(1)?;
    let sql = call.sql();
    let mut args = Vec::new();
    for (i, a) in call.args.into_iter().enumerate() {
        let is_list = matches!(&a.data_type, DataType::List(f) if types::is_string(f.data_type()));
        args.push(if i > 0 && is_list { a } else { coerce_arg(a, &S, i + 1, &sql)? });
    }
    let nullable = args.first().is_some_and(|a| a.nullable);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let sep = strings(arg(a, 0)?)?;
        let mut b = StringBuilder::new();
        for i in 0..rows {
            if sep.is_null(i) {
                b.append_null();
                continue;
            }
            let mut parts: Vec<String> = Vec::new();
            for c in a.iter().skip(1) {
                if c.is_null(i) {
                    continue;
                }
                match c.data_type() {
                    DataType::List(_) => {
                        let l = c.as_list::<i32>().value(i);
                        let s = strings(&l)?;
                        parts.extend(s.iter().flatten().map(|x| x.to_string()));
                    }
                    _ => parts.push(strings(c)?.value(i).to_string()),
                }
            }
            b.append_value(parts.join(sep.value(i)));
        }
        Ok(Arc::new(b.finish()) as ArrayRef)
    }))
}

/// `UTF8String.substringSQL`: 1-based `pos` (0 is 1, negative counts from the end), `len` chars.
pub(crate) fn substring_sql(s: &str, pos: i32, len: i32) -> String {
    let n = s.chars().count() as i64;
    let (pos, len) = (i64::from(pos), i64::from(len));
    let start = if pos > 0 {
        pos - 1
    } else if pos < 0 {
        n + pos
    } else {
        0
    };
    let end = (start + len).clamp(i64::from(i32::MIN), i64::from(i32::MAX));
    let start = start.max(0);
    if start >= end {
        return String::new();
    }
    char_slice(s, start as usize, end.min(n).max(0) as usize)
}

fn substring(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2, 3])?;
    let mut call = call;
    if call.args.len() == 2 {
        call.args.push(PhysicalExpr::from_literal(Literal::Int(i32::MAX)));
    }
    let sql = call.sql();
    let args = call.coerce(&[S, I, I], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let p = ints(arg(a, 1)?)?;
        let l = ints(arg(a, 2)?)?;
        let out: StringArray = (0..rows)
            .map(|i| {
                if s.is_null(i) || p.is_null(i) || l.is_null(i) {
                    None
                } else {
                    Some(substring_sql(s.value(i), p.value(i), l.value(i)))
                }
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn left_right(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let right = call.name == "right";
    let args = call.coerce(&[S, I], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, move |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let l = ints(arg(a, 1)?)?;
        let out: StringArray = (0..rows)
            .map(|i| {
                if s.is_null(i) || l.is_null(i) {
                    return None;
                }
                let (v, n) = (s.value(i), l.value(i));
                Some(if right {
                    if n <= 0 {
                        String::new()
                    } else {
                        substring_sql(v, -n, i32::MAX)
                    }
                } else {
                    substring_sql(v, 1, n)
                })
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn trim(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[1, 2])?;
    let name = call.name.clone();
    let sql = if call.args.len() == 2 {
        let side = match name.as_str() {
            "ltrim" => "LEADING",
            "rtrim" => "TRAILING",
            _ => "BOTH",
        };
        format!("TRIM({} {} FROM {})", side, call.args[0].sql, call.args[1].sql)
    } else {
        call.sql()
    };
    let two_args = call.args.len() == 2;
    let args = call.coerce(&[S, S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, move |a, _, rows| {
        let cols = string_args(a)?;
        let out: StringArray = map_rows(&cols, rows, |v| {
            let (chars, s): (Vec<char>, &str) = if two_args { (v[0].chars().collect(), v[1]) } else { (vec![' '], v[0]) };
            let m = |c: char| chars.contains(&c);
            Some(match name.as_str() {
                "ltrim" => s.trim_start_matches(m).to_string(),
                "rtrim" => s.trim_end_matches(m).to_string(),
                _ => s.trim_matches(m).to_string(),
            })
        })
        .into_iter()
        .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn pad(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2, 3])?;
    let mut call = call;
    if call.args.len() == 2 {
        call.args.push(PhysicalExpr::from_literal(Literal::String(" ".into())));
    }
    let left = call.name == "lpad";
    let sql = call.sql();
    let args = call.coerce(&[S, I, S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, move |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let l = ints(arg(a, 1)?)?;
        let p = strings(arg(a, 2)?)?;
        let out: StringArray = (0..rows)
            .map(|i| {
                if s.is_null(i) || l.is_null(i) || p.is_null(i) {
                    return None;
                }
                let (v, len, padding) = (s.value(i), l.value(i), p.value(i));
                let n = v.chars().count() as i64;
                let spaces = i64::from(len) - n;
                if spaces <= 0 || padding.is_empty() {
                    return Some(char_slice(v, 0, len.max(0) as usize));
                }
                if spaces > (1 << 28) {
                    return None;
                }
                let fill: String = padding.chars().cycle().take(spaces as usize).collect();
                Some(if left { format!("{}{}", fill, v) } else { format!("{}{}", v, fill) })
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn repeat(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let args = call.coerce(&[S, I], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let n = ints(arg(a, 1)?)?;
        let out: StringArray = (0..rows)
            .map(|i| {
                if s.is_null(i) || n.is_null(i) {
                    return None;
                }
                let times = n.value(i).max(0) as usize;
                // guard against absurd allocations
                if s.value(i).len().saturating_mul(times) > (1 << 28) {
                    return None;
                }
                Some(s.value(i).repeat(times))
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

/// 1-based char position of `needle` in `hay` at or after char `from` (0-based), 0 when absent.
fn char_index(hay: &str, needle: &str, from: usize) -> i32 {
    let byte_from = match hay.char_indices().nth(from) {
        Some((b, _)) => b,
        None => {
            return if needle.is_empty() && from == hay.chars().count() { from as i32 + 1 } else { 0 };
        }
    };
    match hay[byte_from..].find(needle) {
        Some(b) => (hay[..byte_from + b].chars().count() + 1) as i32,
        None => 0,
    }
}

fn instr(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let args = call.coerce(&[S, S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Int32, nullable, args, |a, _, rows| {
        let cols = string_args(a)?;
        let out: Int32Array = map_rows(&cols, rows, |v| Some(char_index(v[0], v[1], 0))).into_iter().collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn locate(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2, 3])?;
    let mut call = call;
    if call.args.len() == 2 {
        call.args.push(PhysicalExpr::from_literal(Literal::Int(1)));
    }
    let sql = call.sql_as("locate");
    let args = call.coerce(&[S, S, I], &sql)?;
    let nullable = nullable_any(&args[..2]);
    Ok(make(sql, DataType::Int32, nullable, args, |a, _, rows| {
        let sub = strings(arg(a, 0)?)?;
        let s = strings(arg(a, 1)?)?;
        let p = ints(arg(a, 2)?)?;
        let out: Int32Array = (0..rows)
            .map(|i| {
                if p.is_null(i) {
                    return Some(0);
                }
                if sub.is_null(i) || s.is_null(i) {
                    return None;
                }
                let start = p.value(i);
                if start < 1 {
                    return Some(0);
                }
                Some(char_index(s.value(i), sub.value(i), (start - 1) as usize))
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn replace(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2, 3])?;
    let mut call = call;
    if call.args.len() == 2 {
        call.args.push(PhysicalExpr::from_literal(Literal::String(String::new())));
    }
    let sql = call.sql();
    let args = call.coerce(&[S, S, S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let cols = string_args(a)?;
        let out: StringArray = map_rows(&cols, rows, |v| {
            Some(if v[1].is_empty() { v[0].to_string() } else { v[0].replace(v[1], v[2]) })
        })
        .into_iter()
        .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn translate(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[3])?;
    let sql = call.sql();
    let args = call.coerce(&[S, S, S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let cols = string_args(a)?;
        let out: StringArray = map_rows(&cols, rows, |v| {
            let from: Vec<char> = v[1].chars().collect();
            let to: Vec<char> = v[2].chars().collect();
            Some(
                v[0].chars()
                    .filter_map(|c| match from.iter().position(|f| *f == c) {
                        Some(i) => to.get(i).copied(),
                        None => Some(c),
                    })
                    .collect::<String>(),
            )
        })
        .into_iter()
        .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn substring_index(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[3])?;
    let sql = call.sql();
    let args = call.coerce(&[S, S, I], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let d = strings(arg(a, 1)?)?;
        let c = ints(arg(a, 2)?)?;
        let out: StringArray = (0..rows)
            .map(|i| {
                if s.is_null(i) || d.is_null(i) || c.is_null(i) {
                    return None;
                }
                let (v, delim, count) = (s.value(i), d.value(i), c.value(i));
                if delim.is_empty() || count == 0 {
                    return Some(String::new());
                }
                let parts: Vec<&str> = v.split(delim).collect();
                let n = count.unsigned_abs() as usize;
                Some(if count > 0 {
                    parts.iter().take(n).copied().collect::<Vec<_>>().join(delim)
                } else {
                    let skip = parts.len().saturating_sub(n);
                    parts[skip..].join(delim)
                })
            })
            .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

fn starts_ends_contains(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = call.sql();
    let name = call.name.clone();
    let args = call.coerce(&[S, S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Boolean, nullable, args, move |a, _, rows| {
        let cols = string_args(a)?;
        let out: BooleanArray = map_rows(&cols, rows, |v| {
            Some(match name.as_str() {
                "startswith" => v[0].starts_with(v[1]),
                "endswith" => v[0].ends_with(v[1]),
                _ => v[0].contains(v[1]),
            })
        })
        .into_iter()
        .collect();
        Ok(Arc::new(out) as ArrayRef)
    }))
}

/// Spark's `escapeLikeRegex`: `%` → `.*`, `_` → `.`, escape char protects `%`, `_` and itself.
pub(crate) fn like_to_regex(pattern: &str, escape: char) -> Result<String> {
    let mut out = String::from("(?s)^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == escape {
            match chars.next() {
                Some(n) if n == '_' || n == '%' || n == escape => out.push_str(&regex::escape(&n.to_string())),
                Some(n) => {
                    return Err(SparkError::analysis(format!(
                        "The pattern '{}' is invalid, the escape character is not allowed to precede '{}'.",
                        pattern, n
                    ))
                    .with_class("INVALID_FORMAT.ESC_IN_THE_MIDDLE"))
                }
                None => {
                    return Err(SparkError::analysis(format!(
                        "The pattern '{}' is invalid, it is not allowed to end with the escape character.",
                        pattern
                    ))
                    .with_class("INVALID_FORMAT.ESC_AT_THE_END"))
                }
            }
        } else if c == '%' {
            out.push_str(".*");
        } else if c == '_' {
            out.push('.');
        } else {
            out.push_str(&regex::escape(&c.to_string()));
        }
    }
    out.push('$');
    Ok(out)
}

/// A small cache so a constant pattern compiles once per batch.
struct RegexCache {
    last: Option<(String, Regex)>,
}

impl RegexCache {
    fn get(&mut self, pattern: &str, make: impl Fn(&str) -> Result<String>) -> Result<&Regex> {
        let fresh = !matches!(&self.last, Some((p, _)) if p == pattern);
        if fresh {
            let src = make(pattern)?;
            let re = Regex::new(&src).map_err(|e| regex_error(pattern, &e.to_string()))?;
            self.last = Some((pattern.to_string(), re));
        }
        match &self.last {
            Some((_, re)) => Ok(re),
            None => Err(SparkError::runtime("regex cache")),
        }
    }
}

fn regex_error(pattern: &str, detail: &str) -> SparkError {
    SparkError::runtime(format!(
        "The value of parameter(s) `regexp` in `regexp` is invalid: '{}'. {}",
        pattern,
        detail.lines().last().unwrap_or("")
    ))
    .with_class("INVALID_PARAMETER_VALUE.PATTERN")
}

/// Resolves `str LIKE pattern [ESCAPE c]` and `ilike`.
pub(crate) fn resolve_like(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2, 3])?;
    let ilike = call.name == "ilike";
    let sql = if ilike {
        format!("ilike({}, {})", call.args[0].sql, call.args[1].sql)
    } else {
        format!("{} LIKE {}", call.args[0].sql, call.args[1].sql)
    };
    let escape = match call.args.get(2) {
        None => '\\',
        Some(e) => {
            let s = e.literal().and_then(|l| l.as_str()).unwrap_or("\\").to_string();
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(SparkError::analysis(format!("Invalid escape string: '{}'. The escape string must contain only one character.", s))
                        .with_class("INVALID_ESCAPE_CHAR"))
                }
            }
        }
    };
    let mut args = call.args;
    args.truncate(2);
    let args = Call { name: "like".into(), args }.coerce(&[S, S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Boolean, nullable, args, move |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let p = strings(arg(a, 1)?)?;
        let mut cache = RegexCache { last: None };
        let mut out = arrow::array::BooleanBuilder::with_capacity(rows);
        for i in 0..rows {
            if s.is_null(i) || p.is_null(i) {
                out.append_null();
                continue;
            }
            let re = cache.get(p.value(i), |pat| {
                let r = like_to_regex(pat, escape)?;
                Ok(if ilike { format!("(?i){}", r) } else { r })
            })?;
            out.append_value(re.is_match(s.value(i)));
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }))
}

fn rlike(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2])?;
    let sql = if call.name == "regexp_like" { call.sql() } else { call.sql_as(&call.name.to_uppercase()) };
    let args = call.coerce(&[S, S], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Boolean, nullable, args, |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let p = strings(arg(a, 1)?)?;
        let mut cache = RegexCache { last: None };
        let mut out = arrow::array::BooleanBuilder::with_capacity(rows);
        for i in 0..rows {
            if s.is_null(i) || p.is_null(i) {
                out.append_null();
                continue;
            }
            let re = cache.get(p.value(i), |x| Ok(x.to_string()))?;
            out.append_value(re.is_match(s.value(i)));
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }))
}

/// Java replacement text (`$1`, `\$`) to the regex crate's (`${1}`, `$$`).
fn java_replacement(rep: &str) -> String {
    let mut out = String::new();
    let mut chars = rep.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    if n == '$' {
                        out.push_str("$$");
                    } else {
                        out.push(n);
                    }
                }
            }
            '$' => {
                let mut num = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    num.push(*d);
                    chars.next();
                }
                if num.is_empty() {
                    out.push_str("$$");
                } else {
                    out.push_str(&format!("${{{}}}", num));
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn regexp_replace(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[3, 4])?;
    let mut call = call;
    if call.args.len() == 3 {
        call.args.push(PhysicalExpr::from_literal(Literal::Int(1)));
    }
    let sql = call.sql();
    let args = call.coerce(&[S, S, S, I], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let p = strings(arg(a, 1)?)?;
        let r = strings(arg(a, 2)?)?;
        let pos = ints(arg(a, 3)?)?;
        let mut cache = RegexCache { last: None };
        let mut out = StringBuilder::new();
        for i in 0..rows {
            if s.is_null(i) || p.is_null(i) || r.is_null(i) || pos.is_null(i) {
                out.append_null();
                continue;
            }
            let re = cache.get(p.value(i), |x| Ok(x.to_string()))?;
            let v = s.value(i);
            let skip = (pos.value(i).max(1) - 1) as usize;
            let split = v.char_indices().nth(skip).map(|(b, _)| b).unwrap_or(v.len());
            let rep = java_replacement(r.value(i));
            let tail = re.replace_all(&v[split..], rep.as_str());
            out.append_value(format!("{}{}", &v[..split], tail));
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }))
}

fn regexp_extract(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2, 3])?;
    let mut call = call;
    if call.args.len() == 2 {
        call.args.push(PhysicalExpr::from_literal(Literal::Int(1)));
    }
    let sql = call.sql();
    let args = call.coerce(&[S, S, I], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, DataType::Utf8, nullable, args, |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let p = strings(arg(a, 1)?)?;
        let g = ints(arg(a, 2)?)?;
        let mut cache = RegexCache { last: None };
        let mut out = StringBuilder::new();
        for i in 0..rows {
            if s.is_null(i) || p.is_null(i) || g.is_null(i) {
                out.append_null();
                continue;
            }
            let re = cache.get(p.value(i), |x| Ok(x.to_string()))?;
            let group = g.value(i);
            let groups = re.captures_len() as i32 - 1;
            if group < 0 || group > groups {
                return Err(SparkError::runtime(format!(
                    "The value of parameter(s) `idx` in `regexp_extract` is invalid: Expects group index between 0 and {}, but got {}.",
                    groups, group
                ))
                .with_class("INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX"));
            }
            let v = match re.captures(s.value(i)) {
                Some(c) => c.get(group as usize).map(|m| m.as_str().to_string()).unwrap_or_default(),
                None => String::new(),
            };
            out.append_value(v);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }))
}

/// Java's `String.split(regex, limit)` as Spark's `split` uses it (empty regex splits chars).
pub(crate) fn java_split(s: &str, re: &Regex, limit: i32) -> Vec<String> {
    if re.as_str().is_empty() {
        let chars: Vec<String> = s.chars().map(|c| c.to_string()).collect();
        if limit > 0 && chars.len() > limit as usize {
            let mut head: Vec<String> = chars[..limit as usize - 1].to_vec();
            head.push(chars[limit as usize - 1..].concat());
            return head;
        }
        return if chars.is_empty() { vec![String::new()] } else { chars };
    }
    let mut out: Vec<String> = Vec::new();
    let mut last = 0usize;
    for m in re.find_iter(s) {
        if limit > 0 && out.len() as i32 == limit - 1 {
            break;
        }
        if m.end() == 0 {
            // a zero-width match at the start never yields a leading empty string
            continue;
        }
        if m.start() == 0 && m.end() == 0 {
            continue;
        }
        out.push(s[last..m.start()].to_string());
        last = m.end();
    }
    out.push(s[last..].to_string());
    if limit == 0 {
        while out.len() > 1 && out.last().is_some_and(|x| x.is_empty()) {
            out.pop();
        }
    }
    out
}

fn split(call: Call) -> Result<PhysicalExpr> {
    call.arity(&[2, 3])?;
    let mut call = call;
    if call.args.len() == 2 {
        call.args.push(PhysicalExpr::from_literal(Literal::Int(-1)));
    }
    let sql = call.sql();
    let args = call.coerce(&[S, S, I], &sql)?;
    let nullable = nullable_any(&args);
    Ok(make(sql, types::array_type(DataType::Utf8), nullable, args, |a, _, rows| {
        let s = strings(arg(a, 0)?)?;
        let p = strings(arg(a, 1)?)?;
        let l = ints(arg(a, 2)?)?;
        let mut cache = RegexCache { last: None };
        let mut b = ListBuilder::new(StringBuilder::new()).with_field(arrow::datatypes::Field::new("element", DataType::Utf8, true));
        for i in 0..rows {
            if s.is_null(i) || p.is_null(i) || l.is_null(i) {
                b.append_null();
                continue;
            }
            let re = cache.get(p.value(i), |x| Ok(x.to_string()))?;
            let limit = l.value(i);
            // Spark: limit <= 0 means no limit, trailing empty strings kept
            let parts = java_split(s.value(i), re, if limit <= 0 { -1 } else { limit });
            for part in parts {
                b.values().append_value(part);
            }
            b.append(true);
        }
        Ok(Arc::new(b.finish()) as ArrayRef)
    }))
}
