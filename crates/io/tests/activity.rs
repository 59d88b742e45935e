//! The real activity data (16,006 rows) read exactly as Spark reads it, checked against
//! PySpark's counts, sums and rows; and the activity-bad corpus in every mode.

mod support;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{Float64Type, Int64Type};
use streamlab_io::{read_json, ParseMode, ReadOptions};
use streamlab_types::java::double_to_string;
use streamlab_types::ErrorKind;
use support::*;

const ACT: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";

#[test]
fn activity_files_match_spark() {
    let Some(dir) = shared_data() else {
        eprintln!("shared/data/activity not found: skipping");
        return;
    };
    let g = golden();
    let schema = ddl(ACT);
    let mut total = 0;
    for f in g["activity"].as_array().unwrap() {
        let name = f["file"].as_str().unwrap();
        let data = std::fs::read(dir.join("activity").join(name)).unwrap();
        let b = read_json(&data, &schema, &ReadOptions::default()).unwrap();
        assert_eq!(b.num_rows() as u64, f["count"].as_u64().unwrap(), "{name}");
        total += b.num_rows();
        for (col, key) in [(7, "sum_x"), (8, "sum_y"), (9, "sum_z")] {
            let a = b.column(col).as_primitive::<Float64Type>();
            assert_eq!(a.null_count(), 0);
            let s = a.values().iter().fold(0.0f64, |acc, v| acc + v);
            assert_eq!(double_to_string(s), f[key].as_str().unwrap(), "{name} {key}");
        }
        let idx = b.column(3).as_primitive::<Int64Type>();
        assert_eq!(idx.values().iter().sum::<i64>(), f["sum_index"].as_i64().unwrap());
        let ct = b.column(1).as_primitive::<Int64Type>();
        let sc = ct.values().iter().fold(0i64, |a, v| a.wrapping_add(*v));
        assert_eq!(sc.to_string(), f["sum_creation"].as_str().unwrap());
        let r = rows(&b);
        assert_eq!(r[..3].to_vec(), expected_rows(&f["head"]), "{name} head");
        assert_eq!(r[r.len() - 2..].to_vec(), expected_rows(&f["tail"]), "{name} tail");
    }
    assert_eq!(total, 16_006);
}

fn bad(schema: &str, mode: &str) -> streamlab_types::Result<arrow::record_batch::RecordBatch> {
    let data = std::fs::read(golden_path("data/activity-bad.json")).unwrap();
    let (o, _) = ReadOptions::parse(&[("mode".into(), mode.into())]).unwrap();
    read_json(&data, &ddl(schema), &o)
}

#[test]
fn activity_bad_permissive() {
    let b = bad(&format!("{ACT}, _corrupt_record string"), "PERMISSIVE").unwrap();
    assert_eq!(b.num_rows(), 39);
    let corrupt = b.column(10).as_string::<i32>();
    let bad_rows: Vec<usize> = (0..39).filter(|i| corrupt.is_valid(*i)).collect();
    // Lines 5, 10, 20, 25 (line 15 is empty, so rows after it shift by one).
    assert_eq!(bad_rows, vec![4, 9, 18, 23]);
    let x = b.column(7).as_primitive::<Float64Type>();
    let index = b.column(3).as_primitive::<Int64Type>();
    assert!(x.is_null(9) && index.value(9) == 66509, "type error keeps the other fields");
    assert!(index.is_null(23) && x.is_valid(23));
    assert!((0..10).all(|c| b.column(c).is_null(4) && b.column(c).is_null(18)), "unparseable: all null");
    assert!(corrupt.value(18).contains("nexus4\u{FFFD}1"));
    assert!(b.column(6).is_null(28), "missing gt is null, not corrupt");
    let without = bad(ACT, "PERMISSIVE").unwrap();
    assert_eq!(without.num_rows(), 39);
}

#[test]
fn activity_bad_drop_and_failfast() {
    assert_eq!(bad(ACT, "DROPMALFORMED").unwrap().num_rows(), 35);
    let e = bad(ACT, "FAILFAST").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Runtime);
    assert_eq!(e.error_class.as_deref(), Some("MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION"));
    assert_eq!(
        e.message,
        "Malformed records are detected in record parsing: [null,null,null,null,null,null,null,null,null,null].\nParse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'. "
    );
    let _ = ParseMode::FailFast;
}

/// Throughput of the JSON reader on the activity files (not a timed assertion). Run with
/// `cargo test -p streamlab-io --release --test activity -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_json_throughput() {
    let Some(dir) = shared_data() else { return };
    let files: Vec<Vec<u8>> =
        (0..8).map(|i| std::fs::read(dir.join("activity").join(format!("part-{i:05}.json"))).unwrap()).collect();
    let schema = ddl(ACT);
    let o = ReadOptions::default();
    let mut best = f64::MAX;
    let mut rows = 0;
    for _ in 0..20 {
        let (t, c) = (std::time::Instant::now(), cpu_ns());
        rows = 0;
        for f in &files {
            rows += read_json(f, &schema, &o).unwrap().num_rows();
        }
        // Thread CPU time when the OS gives it (other builds share this machine), else wall time.
        let secs = match (c, cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => t.elapsed().as_secs_f64(),
        };
        best = best.min(secs);
    }
    let bytes: usize = files.iter().map(|f| f.len()).sum();
    println!(
        "read_json: {rows} rows in {:.2} ms = {:.2} M rows/s, {:.0} MB/s (best of 20, one thread, CPU time)",
        best * 1e3,
        rows as f64 / best / 1e6,
        bytes as f64 / best / 1e6
    );
}

/// Nanoseconds this thread has run on a CPU (Linux `schedstat`), if available.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
