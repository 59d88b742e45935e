//! Interval strings (`IntervalUtils.stringToInterval`) and Java time strings against Spark 3.5.
mod common;
use common::{load, python_name, Failures};
use streamlab_types::interval::{parse_interval, parse_time_string_ms};

#[test]
fn intervals_match_spark() {
    let cases = load("intervals.json");
    let mut f = Failures::default();
    for c in &cases {
        let s = c["input"].as_str().unwrap_or("");
        let got = match parse_interval(s) {
            Ok(i) => format!("{} {} {} {}", i.months, i.days, i.microseconds, i),
            Err(e) => format!("{}: {}", python_name(&e), e),
        };
        let want = match c.get("error") {
            Some(e) => format!("{}: {}", e["type"].as_str().unwrap_or(""), e["message"].as_str().unwrap_or("")),
            None => {
                let v = &c["expected"];
                format!("{} {} {} {}", v[0], v[1], v[2], v[3].as_str().unwrap_or(""))
            }
        };
        f.check(format!("{s:?}"), got, want);
    }
    f.finish(cases.len());
}

#[test]
fn time_strings_match_java() {
    let cases = load("time_strings.json");
    let mut f = Failures::default();
    for c in &cases {
        let s = c["input"].as_str().unwrap_or("");
        let got = match parse_time_string_ms(s) {
            Ok(v) => v.to_string(),
            Err(e) => format!("{}: {}", python_name(&e), e),
        };
        let want = match c.get("error") {
            Some(e) => format!("{}: {}", e["type"].as_str().unwrap_or(""), e["message"].as_str().unwrap_or("")),
            None => c["expected"].to_string(),
        };
        f.check(format!("{s:?}"), got, want);
    }
    f.finish(cases.len());
}
