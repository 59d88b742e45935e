//! Parquet and the other writers round-trip through the readers; Parquet files are also read
//! back by pyarrow when Python is available.

mod support;

use std::process::Command;

use streamlab_io::{read_file, read_parquet, write_file, FileFormat, ReadOptions};
use support::*;

const SCHEMA: &str = "i int, l long, s string, d double, f float, b boolean, ts timestamp, dt date, m decimal(10,2), arr array<long>, st struct<n:long,t:string>, mp map<string,long>";
const INPUT: &str = concat!(
    "{\"i\":1,\"l\":1424696631914042029,\"s\":\"a,\\\"b\\\"\\n\",\"d\":1.220703E-4,\"f\":0.1,\"b\":true,\"ts\":\"2015-02-23T13:03:51.914Z\",\"dt\":\"2015-02-23\",\"m\":1.5,\"arr\":[1,null],\"st\":{\"n\":1,\"t\":\"x\"},\"mp\":{\"k\":1}}\n",
    "{\"s\":\"\",\"d\":\"NaN\",\"arr\":[],\"st\":{\"t\":null}}\n",
    "{}\n",
);

fn input() -> arrow::record_batch::RecordBatch {
    read_file(FileFormat::Json, INPUT.as_bytes(), &ddl(SCHEMA), &ReadOptions::default()).unwrap()
}

#[test]
fn parquet_round_trip() {
    let b = input();
    let bytes = write_file(FileFormat::Parquet, &[b.clone()], &b.schema()).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    let back = read_parquet(&bytes, &b.schema()).unwrap();
    assert_eq!(rows(&back), rows(&b));
}

#[test]
fn json_and_csv_round_trip() {
    let b = input();
    let json = write_file(FileFormat::Json, &[b.clone()], &b.schema()).unwrap();
    let back = read_file(FileFormat::Json, &json, &b.schema(), &ReadOptions::default()).unwrap();
    assert_eq!(rows(&back), rows(&b));
    let flat = ddl("i int, l long, s string, d double, b boolean, ts timestamp, dt date, m decimal(10,2)");
    let fb = read_file(FileFormat::Json, INPUT.as_bytes(), &flat, &ReadOptions::default()).unwrap();
    let csv = write_file(FileFormat::Csv, &[fb.clone()], &flat).unwrap();
    let back = read_file(FileFormat::Csv, &csv, &flat, &ReadOptions::default()).unwrap();
    let (mut want, got) = (rows(&fb), rows(&back));
    // CSV cannot tell an empty string from null (Spark reads `""` back as null too).
    want[1][2] = None;
    // Spark's CSV writer trims surrounding whitespace (ignoreTrailingWhiteSpace in write).
    want[0][2] = Some("a,\"b\"".to_string());
    assert_eq!(got, want);
}

#[test]
fn text_round_trip() {
    let s = FileFormat::Text.fixed_schema().unwrap();
    let b = read_file(FileFormat::Text, b"a\n\nb c\n", &s, &ReadOptions::default()).unwrap();
    let out = write_file(FileFormat::Text, &[b.clone()], &s).unwrap();
    assert_eq!(out, b"a\n\nb c\n");
}

#[test]
fn pyarrow_reads_our_parquet() {
    let ok = Command::new("python3").args(["-c", "import pyarrow.parquet"]).status().map(|s| s.success()).unwrap_or(false);
    if !ok {
        eprintln!("pyarrow not available: skipping");
        return;
    }
    let b = input();
    let bytes = write_file(FileFormat::Parquet, &[b.clone()], &b.schema()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("part-00000.snappy.parquet");
    std::fs::write(&path, bytes).unwrap();
    let script = r#"
import sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
md = pq.ParquetFile(sys.argv[1]).metadata
print(md.row_group(0).column(0).compression)
print(t.schema.field('ts').type)
r = t.to_pylist()
print(r[0]['l'], r[0]['s'].encode('unicode_escape').decode(), r[0]['d'], r[0]['ts'].isoformat(), r[0]['dt'], r[0]['m'], r[0]['arr'], r[0]['st'], r[0]['mp'])
print(t.num_rows, r[2]['i'])
"#;
    let out = Command::new("python3").args(["-c", script]).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "SNAPPY");
    assert_eq!(lines[1], "timestamp[us, tz=UTC]");
    assert_eq!(
        lines[2],
        "1424696631914042029 a,\"b\"\\n 0.0001220703 2015-02-23T13:03:51.914000+00:00 2015-02-23 1.50 [1, None] {'n': 1, 't': 'x'} [('k', 1)]"
    );
    assert_eq!(lines[3], "3 None");
}

/// Writes a Parquet file for a manual check with Spark:
/// `STREAMLAB_PARQUET_OUT=/tmp/x.parquet cargo test -p streamlab-io --test parquet -- write_for_spark`.
#[test]
fn write_for_spark() {
    if let Ok(p) = std::env::var("STREAMLAB_PARQUET_OUT") {
        let b = input();
        std::fs::write(p, write_file(FileFormat::Parquet, &[b.clone()], &b.schema()).unwrap()).unwrap();
    }
}
