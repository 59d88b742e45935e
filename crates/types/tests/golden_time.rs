//! Timestamp/date text, parsing and patterns against PySpark 3.5 (session time zone UTC).
mod common;
use common::{load, python_name, Failures};
use serde_json::Value;
use streamlab_types::time::{format_date, format_pattern, format_timestamp, parse_date, parse_pattern, parse_timestamp};

#[test]
fn format_timestamp_matches_cast_to_string() {
    let cases = load("format_timestamp.json");
    let mut f = Failures::default();
    for c in &cases {
        let m = c["input"].as_i64().unwrap_or(0);
        f.check(m, format_timestamp(m), c["expected"].as_str().unwrap_or(""));
    }
    f.finish(cases.len());
}

#[test]
fn format_date_matches_cast_to_string() {
    let cases = load("format_date.json");
    let mut f = Failures::default();
    for c in &cases {
        let d = c["input"].as_i64().unwrap_or(0) as i32;
        f.check(d, format_date(d), c["expected"].as_str().unwrap_or(""));
    }
    f.finish(cases.len());
}

/// Inputs Spark accepts through features StreamLab leaves out on purpose (see `parse_timestamp`).
const TIMESTAMP_DEVIATIONS: &[&str] = &[];

#[test]
fn parse_timestamp_matches_cast() {
    let cases = load("parse_timestamp.json");
    let mut f = Failures::default();
    for c in &cases {
        let s = c["input"].as_str().unwrap_or("");
        if TIMESTAMP_DEVIATIONS.contains(&s) {
            continue;
        }
        f.check(format!("{s:?}"), parse_timestamp(s), c["expected"].as_i64());
    }
    f.finish(cases.len());
}

#[test]
fn parse_date_matches_cast() {
    let cases = load("parse_date.json");
    let mut f = Failures::default();
    for c in &cases {
        let s = c["input"].as_str().unwrap_or("");
        f.check(format!("{s:?}"), parse_date(s), c["expected"].as_i64().map(|d| d as i32));
    }
    f.finish(cases.len());
}

fn outcome<T: std::fmt::Debug>(r: &streamlab_types::Result<T>) -> String {
    match r {
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("{}: {}", python_name(e), e),
    }
}

fn expected(c: &Value, ok: impl Fn(&Value) -> String) -> String {
    match c.get("error") {
        Some(e) => format!("{}: {}", e["type"].as_str().unwrap_or(""), e["message"].as_str().unwrap_or("")),
        None => ok(&c["expected"]),
    }
}

#[test]
fn format_pattern_matches_date_format() {
    let cases = load("format_pattern.json");
    let mut f = Failures::default();
    for c in &cases {
        let (m, p) = (c["input"][0].as_i64().unwrap_or(0), c["input"][1].as_str().unwrap_or(""));
        let want = expected(c, |v| format!("{:?}", v.as_str().unwrap_or("")));
        f.check(format!("date_format({m}, {p:?})"), outcome(&format_pattern(m, p)), want);
    }
    f.finish(cases.len());
}

#[test]
fn parse_pattern_matches_to_timestamp() {
    let cases = load("parse_pattern.json");
    let mut f = Failures::default();
    for c in &cases {
        let (s, p) = (c["input"][0].as_str().unwrap_or(""), c["input"][1].as_str().unwrap_or(""));
        let want = expected(c, |v| format!("{:?}", v.as_i64()));
        f.check(format!("to_timestamp({s:?}, {p:?})"), outcome(&parse_pattern(s, p)), want);
    }
    f.finish(cases.len());
}
