//! `Double.toString` / `Float.toString` against Spark's `cast(x as string)` (Java 17).
mod common;
use common::{load, Failures};
use streamlab_types::java::{double_to_string, float_to_string};

fn bits(hex: &str) -> u64 {
    u64::from_str_radix(hex, 16).unwrap_or(0)
}

#[test]
fn doubles_match_spark() {
    let cases = load("doubles.json");
    let mut f = Failures::default();
    for c in &cases {
        let v = f64::from_bits(bits(c["input"].as_str().unwrap_or("")));
        f.check(format!("{v:e}"), double_to_string(v), c["expected"].as_str().unwrap_or(""));
    }
    f.finish(cases.len());
}

#[test]
fn floats_match_spark() {
    let cases = load("floats.json");
    let mut f = Failures::default();
    for c in &cases {
        let v = f32::from_bits(bits(c["input"].as_str().unwrap_or("")) as u32);
        f.check(format!("{v:e}"), float_to_string(v), c["expected"].as_str().unwrap_or(""));
    }
    f.finish(cases.len());
}
