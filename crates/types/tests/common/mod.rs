//! Shared helpers for the golden tests: load the JSON files written by `golden/generate.py`.
#![allow(dead_code)]

use serde_json::Value;
use streamlab_types::{ErrorKind, SparkError};

/// The cases of one golden file.
pub fn load(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match serde_json::from_str(&text) {
        Ok(Value::Array(cases)) => cases,
        other => panic!("{path}: not a JSON array: {other:?}"),
    }
}

/// The PySpark exception class name a StreamLab error kind stands for in these tests.
pub fn python_name(e: &SparkError) -> &'static str {
    match e.kind {
        ErrorKind::Parse => "ParseException",
        ErrorKind::Analysis => "AnalysisException",
        ErrorKind::IllegalArgument => "IllegalArgumentException",
        ErrorKind::Arithmetic => "ArithmeticException",
        ErrorKind::NumberFormat => "NumberFormatException",
        ErrorKind::Runtime if e.error_class.as_deref().is_some_and(|c| c.starts_with("INCONSISTENT_BEHAVIOR")) => {
            "SparkUpgradeException"
        }
        other => other.exception_name(),
    }
}

/// Collects mismatches and fails once with all of them (easier to read than the first one only).
#[derive(Default)]
pub struct Failures(pub Vec<String>);

impl Failures {
    pub fn check(&mut self, what: impl std::fmt::Display, got: impl std::fmt::Debug, want: impl std::fmt::Debug) {
        let (g, w) = (format!("{got:?}"), format!("{want:?}"));
        if g != w {
            self.0.push(format!("{what}\n   got: {g}\n  want: {w}"));
        }
    }

    pub fn finish(self, total: usize) {
        if !self.0.is_empty() {
            panic!("{} of {total} golden cases differ:\n{}", self.0.len(), self.0.join("\n"));
        }
    }
}
