//! The bundled lesson runs cell by cell under `streamlab run`, in French and English, as
//! `.ipynb` and as Databricks source: every cell succeeds, both streams are listed, and the
//! Parquet sink and the Delta table hold committed data on disk.

mod common;

use common::{repo_root, streamlab_run, workdir_with_activity};

fn check_lesson(file: &str) {
    let work = workdir_with_activity();
    let (success, stdout, stderr) = streamlab_run(&repo_root().join("notebooks").join(file), work.path());
    assert!(success, "{file} failed:\n{stdout}\n{stderr}");
    // `for stream in spark.streams.active: print(" {} ({})".format(stream.name, stream.id))`.
    let listed: Vec<&str> = stdout.lines().filter(|l| l.starts_with(" stream_")).collect();
    assert_eq!(listed.len(), 2, "{stdout}");
    assert!(listed[0].starts_with(" stream_1p (") && listed[1].starts_with(" stream_2p ("), "{listed:?}");
    // `spark.sql("create database ...")` is the cell's value; the Delta table shows rows of the
    // first file (Spark starts a query's first batch at once, before the next cell).
    assert!(stdout.contains("|Arrival_Time |Creation_Time      |Device  |User_ID|"), "{stdout}");
    let out = work.path().join("output");
    assert!(out.join("output.parquet/_spark_metadata/0").is_file(), "the Parquet sink committed batch 0");
    assert!(out.join("output.parquet.checkpoint/commits/0").is_file());
    assert!(out.join("output.delta.checkpoint/commits/0").is_file());
    let delta_log = work.path().join("spark-warehouse/outputdelta.db/table/_delta_log");
    assert!(delta_log.join("00000000000000000001.json").is_file(), "the Delta table has batch 0's commit");
}

#[test]
fn the_english_lesson_runs_as_a_notebook_and_as_databricks_source() {
    check_lesson("lesson.en.ipynb");
    check_lesson("lesson.en.py");
}

#[test]
fn the_french_lesson_runs_as_a_notebook_and_as_databricks_source() {
    check_lesson("lesson.fr.ipynb");
    check_lesson("lesson.fr.py");
}
