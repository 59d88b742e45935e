//! `spark.sql` never panics, whatever the text: deterministic random token soups, the golden
//! statements cut short and mutated, and nesting at and past the parser's limits. Every input
//! gives a DataFrame or a `SparkError`.
//!
//! The cases run on a thread with a 2 MiB stack (a debug build's test thread; the browser's
//! is smaller but runs optimized code), so unbounded recursion would show as a crash here.

mod common;

use std::path::PathBuf;

use serde_json::Value;
use streamlab_engine::SparkSession;
use streamlab_types::rng::Rng;

use common::env;

/// Tokens the parser cares about, and some it does not know.
const TOKENS: &[&str] = &[
    "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "WITH", "AS", "JOIN", "LEFT", "SEMI", "ON",
    "USING", "AND", "OR", "NOT", "IS", "NULL", "IN", "BETWEEN", "LIKE", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST",
    "DISTINCT", "UNION", "CREATE", "TEMP", "VIEW", "DROP", "TABLE", "SHOW", "DESCRIBE", "USE", "INTERVAL", "DATE", "OVER",
    "count", "window", "upper", "t", "gt", "x", "Index", "lab", "events", "e", "1", "2L", "1.5", "1e3", "10BD", "'a'",
    "'b\\'c'", "\"d\"", "`q`", "(", ")", "(", ")", ",", ".", "*", "+", "-", "/", "%", "||", "=", "<=>", "!=", "<", ">=", "[",
    "]", ";", "->", "=>", "!", "~", "&", "|", "^", ":", "--", "/*", "*/", "é", "'", "`", "\"", "DIV", "ARRAY<", ">",
];

/// The golden statements (real Spark answered each), as seeds for cutting and mutating.
fn golden_sql() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/sql/cases.json");
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    golden["cases"].as_array().unwrap().iter().map(|c| c["sql"].as_str().unwrap().to_string()).collect()
}

fn soup(r: &mut Rng) -> String {
    let n = 1 + r.below(25);
    (0..n).map(|_| r.pick(TOKENS)).collect::<Vec<_>>().join(if r.below(4) == 0 { "" } else { " " })
}

/// `seed` cut at a random character, or with tokens replaced, inserted or removed.
fn mutate(r: &mut Rng, seed: &str) -> String {
    let chars: Vec<char> = seed.chars().collect();
    if r.below(3) == 0 {
        return chars[..r.below(chars.len() + 1)].iter().collect();
    }
    let mut words: Vec<String> = seed.split(' ').map(String::from).collect();
    for _ in 0..=r.below(3) {
        let at = r.below(words.len() + 1);
        match r.below(3) {
            0 if at < words.len() => words[at] = r.pick(TOKENS).to_string(),
            1 => words.insert(at, r.pick(TOKENS).to_string()),
            _ if at < words.len() => {
                words.remove(at);
            }
            _ => {}
        }
    }
    words.join(" ")
}

/// Statements at the edge of each nesting limit and past it.
fn deep() -> Vec<String> {
    let mut out = Vec::new();
    for n in [48, 60, 500] {
        out.push(format!("SELECT {}1{}", "(".repeat(n), ")".repeat(n)));
        out.push(format!("SELECT {}gt{} FROM t", "upper(".repeat(n), ")".repeat(n)));
        out.push(format!("SELECT {}true", "NOT ".repeat(n)));
        out.push(format!("SELECT {}1", "- ".repeat(n)));
        out.push(format!("SELECT {}1{}", "CASE WHEN true THEN ".repeat(n), " END".repeat(n)));
        out.push(format!("SELECT * FROM {}t{}", "(SELECT * FROM ".repeat(n), ")".repeat(n)));
        out.push(format!("SELECT x{} FROM t", "[0]".repeat(n * 3)));
    }
    for n in [199, 999, 5000] {
        out.push(format!("SELECT {} FROM t", vec!["x"; n].join(" + ")));
        out.push(format!("SELECT * FROM t WHERE {}", vec!["x > 0"; n].join(" AND ")));
    }
    out.push(format!("SELECT {} FROM t", "(x + ".repeat(40) + "x" + &" + x)".repeat(40)));
    out
}

fn session() -> SparkSession {
    let env = env().with_activity(1).with_activity_view();
    let spark = env.spark;
    spark.sql("CREATE TEMPORARY VIEW t AS SELECT * FROM activity LIMIT 5").unwrap();
    spark.create_database("lab", false).unwrap();
    spark.register_file_table("lab.events", "json", "/data/activity").unwrap();
    spark
}

fn run_all(cases: Vec<String>) -> usize {
    let spark = session();
    let mut ok = 0;
    for sql in &cases {
        if let Ok(df) = spark.sql(sql) {
            ok += 1;
            if !df.is_streaming() {
                let _ = df.show_string(5, 20, false);
            }
        }
    }
    ok
}

fn on_small_stack(cases: Vec<String>) -> usize {
    std::thread::Builder::new().stack_size(2 << 20).spawn(move || run_all(cases)).unwrap().join().unwrap()
}

#[test]
fn random_and_mutated_statements_never_panic() {
    let mut r = Rng::new(0x5EED);
    let seeds = golden_sql();
    let mut cases: Vec<String> = (0..3000).map(|_| soup(&mut r)).collect();
    for _ in 0..3000 {
        let seed = &seeds[r.below(seeds.len())];
        cases.push(mutate(&mut r, seed));
    }
    let total = cases.len();
    let ok = on_small_stack(cases);
    // The mutations keep enough statements valid that the lowering runs on many of them.
    assert!(ok > 100 && ok < total, "{ok} of {total} statements ran");
}

#[test]
fn nesting_at_and_past_the_limits_never_panics() {
    let cases = deep();
    let total = cases.len();
    let ok = on_small_stack(cases);
    // Within the limits: 48 parentheses, calls, NOTs, signs, CASEs and subqueries, 199 terms
    // and the 40-deep sum (144 subscripts of a double column are an analysis error).
    assert_eq!(ok, 9, "{ok} of {total} statements ran");
}
