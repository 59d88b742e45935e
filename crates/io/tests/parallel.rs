//! Large JSON-lines files are parsed in two halves on native builds: rows must keep file order
//! and FAILFAST must still report the first malformed record.

use std::sync::Arc;

use arrow::array::{Array, Int64Array};
use streamlab_io::{read_json, ReadOptions};
use streamlab_types::ddl::parse_schema;

fn lines(n: usize, bad: &[usize]) -> Vec<u8> {
    let mut out = String::new();
    for i in 0..n {
        if bad.contains(&i) {
            out.push_str(&format!("{{\"n\":{i},\"s\":\"x\",\"k\":\"not a number\"}}\n"));
        } else {
            out.push_str(&format!("{{\"n\":{i},\"s\":\"row number {i} with some padding text\"}}\n"));
        }
    }
    out.into_bytes()
}

fn options(mode: &str) -> ReadOptions {
    ReadOptions::parse(&[("mode".to_string(), mode.to_string())]).unwrap().0
}

#[test]
fn rows_keep_file_order_across_halves() {
    let data = lines(20_000, &[]);
    assert!(data.len() > 512 * 1024);
    let schema = Arc::new(parse_schema("n long, s string, k long").unwrap());
    let batch = read_json(&data, &schema, &options("PERMISSIVE")).unwrap();
    let n = batch.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
    assert_eq!(n.len(), 20_000);
    assert!((0..n.len()).all(|i| n.value(i) == i as i64));
}

#[test]
fn failfast_reports_the_first_bad_record_in_file_order() {
    let schema = Arc::new(parse_schema("n long, s string, k long").unwrap());
    let only_second_half = read_json(&lines(20_000, &[15_000]), &schema, &options("FAILFAST")).unwrap_err();
    assert!(only_second_half.message.contains("[15000,x,null]"), "{}", only_second_half.message);
    let both = read_json(&lines(20_000, &[17_000, 3]), &schema, &options("FAILFAST")).unwrap_err();
    assert!(both.message.contains("[3,x,null]"), "{}", both.message);
    let dropped = read_json(&lines(20_000, &[3, 17_000]), &schema, &options("DROPMALFORMED")).unwrap();
    assert_eq!(dropped.num_rows(), 19_998);
}
