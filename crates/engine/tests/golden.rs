//! Differential tests against real PySpark 3.5.9: `tests/golden/` holds what Spark wrote and
//! printed for the same queries (regenerate with `python3 tests/golden/generate.py`). StreamLab's
//! output is normalized the same way (README there) and must match it exactly.

mod common;

use common::golden::{copy_input, golden, Normalizer, TMP};
use common::{env_ticking as env, ACTIVITY_DDL};
use streamlab_engine::Trigger;
#[allow(unused_imports)]
use streamlab_storage::Storage;

/// Every path under `dir`, relative to TMP, directories with a trailing `/`, sorted.
fn tree(e: &common::Env, dir: &str, out: &mut Vec<String>) {
    for s in e.fs.list(dir).unwrap() {
        let rel = s.path.strip_prefix(&format!("{TMP}/")).unwrap().to_string();
        if s.is_dir {
            out.push(format!("{rel}/"));
            tree(e, &s.path, out);
        } else {
            out.push(rel);
        }
    }
}

#[test]
fn seed_pipeline_writes_what_spark_writes() {
    let e = env();
    copy_input(&e, "activity");
    let q = common::seed_pipeline_query(&e.spark, &format!("{TMP}/in"), &format!("{TMP}/cp"), &format!("{TMP}/out"), Trigger::AvailableNow);
    q.await_termination(None).unwrap();

    // Part files in batch order name <ID1>, <ID2>, … as in the golden files.
    let mut part_ids = Vec::new();
    let mut parts = Vec::new();
    for batch in 0..8 {
        let log = e.text(&format!("{TMP}/out/_spark_metadata/{batch}"));
        let entry: serde_json::Value = serde_json::from_str(log.lines().nth(1).unwrap()).unwrap();
        let uri = entry["path"].as_str().unwrap().to_string();
        part_ids.push(uri.split("part-00000-").nth(1).unwrap()[..36].to_string());
        let rows = e.spark.read().parquet(uri.strip_prefix("file://").unwrap()).unwrap().count().unwrap();
        parts.push((batch, uri, rows));
    }
    let mut norm = Normalizer::new(q.id(), q.run_id(), part_ids);

    let mut real = vec!["cp/".to_string()];
    tree(&e, &format!("{TMP}/cp"), &mut real);
    real.push("out/".into());
    tree(&e, &format!("{TMP}/out"), &mut real);
    let mut paths: Vec<(String, String)> = real.into_iter().map(|p| (norm.text(&p), p)).collect();
    paths.sort();
    let listing: Vec<&str> = paths.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(listing.join("\n"), golden("seed_parquet/tree.txt").trim_end());

    for (normalized, path) in &paths {
        let name = path.rsplit('/').next().unwrap();
        if path.ends_with('/') || path.ends_with(".parquet") {
            continue;
        }
        let ours = e.fs.read(&format!("{TMP}/{path}")).unwrap();
        if let Some(data_name) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".crc")) {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            let data = e.fs.read(&format!("{TMP}/{dir}/{data_name}")).unwrap();
            assert!(streamlab_checkpoint::crc::verify_checksum(&data, &ours), "{path}");
        } else {
            let text = String::from_utf8(ours).unwrap();
            assert_eq!(norm.log_file(&text), golden(&format!("seed_parquet/files/{normalized}")), "{path}");
        }
    }

    let parts_text: Vec<String> = parts.iter().map(|(b, uri, rows)| format!("{b} {} {rows}", norm.text(uri))).collect();
    assert_eq!(parts_text.join("\n"), golden("seed_parquet/parts.txt").trim_end());

    let progress: Vec<String> = q.recent_progress().iter().map(|p| norm.progress(&p.json())).collect();
    assert_eq!(progress.join("\n"), golden("seed_parquet/progress.txt").trim_end());

    let result = e.spark.read().parquet(&format!("{TMP}/out")).unwrap();
    let text = format!(
        "struct<{}>\ncount={}\n{}",
        result.schema_text().replace(": ", ":").replace(", ", ","),
        result.count().unwrap(),
        result.show_string(5, 20, false).unwrap()
    );
    assert_eq!(text.trim_end(), golden("seed_parquet/result.txt").trim_end());
}

#[test]
fn console_sink_prints_what_spark_prints() {
    let e = env();
    copy_input(&e, "activity");
    let q = e
        .spark
        .read_stream()
        .schema_ddl(ACTIVITY_DDL)
        .unwrap()
        .option("maxFilesPerTrigger", 1)
        .json(&format!("{TMP}/in"))
        .unwrap()
        .filter_sql("x > 0.05")
        .unwrap()
        .select_expr(&["Index", "gt", "x", "y", "z"])
        .unwrap()
        .write_stream()
        .unwrap()
        .format("console")
        .trigger(Trigger::AvailableNow)
        .start(None)
        .unwrap();
    q.await_termination(None).unwrap();
    assert_eq!(e.out.stdout(), golden("console/stdout.txt"));
    let mut norm = Normalizer::new(q.id(), q.run_id(), Vec::new());
    let progress: Vec<String> = q.recent_progress().iter().map(|p| norm.progress(&p.json())).collect();
    assert_eq!(progress.join("\n"), golden("console/progress.txt").trim_end());
}

fn bad_data(mode: &str, corrupt_column: bool) -> (common::Env, streamlab_engine::StreamingQuery) {
    let e = env();
    copy_input(&e, "activity-bad");
    let ddl = if corrupt_column { format!("{ACTIVITY_DDL}, _corrupt_record string") } else { ACTIVITY_DDL.to_string() };
    let q = e
        .spark
        .read_stream()
        .schema_ddl(&ddl)
        .unwrap()
        .option("mode", mode)
        .json(&format!("{TMP}/in"))
        .unwrap()
        .write_stream()
        .unwrap()
        .format("memory")
        .query_name("bad")
        .trigger(Trigger::AvailableNow)
        .start(None)
        .unwrap();
    (e, q)
}

fn show_all(e: &common::Env) -> String {
    let t = e.spark.table("bad").unwrap();
    format!("count={}\n{}", t.count().unwrap(), t.show_string(100, 0, false).unwrap())
}

#[test]
fn permissive_rows_match_spark() {
    let (e, q) = bad_data("PERMISSIVE", true);
    q.await_termination(None).unwrap();
    assert_eq!(show_all(&e).trim_end(), golden("bad_permissive/show.txt").trim_end());
    let mut norm = Normalizer::new(q.id(), q.run_id(), Vec::new());
    let progress: Vec<String> = q.recent_progress().iter().map(|p| norm.progress(&p.json())).collect();
    assert_eq!(progress.join("\n"), golden("bad_permissive/progress.txt").trim_end());
}

#[test]
fn dropmalformed_rows_match_spark() {
    let (e, q) = bad_data("DROPMALFORMED", false);
    q.await_termination(None).unwrap();
    assert_eq!(show_all(&e).trim_end(), golden("bad_dropmalformed/show.txt").trim_end());
}

#[test]
fn failfast_reports_the_same_partial_row_as_spark() {
    let (_e, q) = bad_data("FAILFAST", false);
    let err = q.await_termination(None).unwrap_err();
    let expected = golden("bad_failfast/query_exception.txt");
    let from = expected.find("[MALFORMED_RECORD_IN_PARSING").unwrap();
    let to = expected[from..].find(" \n").map_or(expected.len(), |i| from + i);
    let cause = err.cause.unwrap().to_string();
    assert_eq!(cause.trim_end(), expected[from..to].trim_end());
}
