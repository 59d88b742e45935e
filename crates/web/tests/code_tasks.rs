//! The review code tasks checked on the real sample (`data/activity`, 16,006 rows): every
//! reference answer is right, and typical mistakes are told apart.

#![cfg(not(target_arch = "wasm32"))] // reads the sample from the disk

mod common;

use common::sample;
use streamlab_web::tasks::{check, run_for_table, Verdict, CODE_TASKS};

#[test]
fn every_reference_answer_is_right_and_its_table_holds_the_sample() {
    let sample = sample();
    for task in &CODE_TASKS {
        assert_eq!(check(task, task.reference, &sample), Verdict::Right, "{}", task.id);
    }
    let counts = run_for_table(CODE_TASKS[0].reference, &sample).unwrap_or_else(|e| panic!("{}", e.headline()));
    let total: i64 = counts.rows.iter().map(|r| r[1].parse::<i64>().unwrap_or(0)).sum();
    assert_eq!(total, 16_006);
    assert!(counts.rows.contains(&vec!["stand".to_string(), "10000".to_string()]), "{:?}", counts.rows);
    let walks = run_for_table(CODE_TASKS[1].reference, &sample).unwrap_or_else(|e| panic!("{}", e.headline()));
    assert_eq!(walks.rows.len(), 1_001);
    let windows = run_for_table(CODE_TASKS[2].reference, &sample).unwrap_or_else(|e| panic!("{}", e.headline()));
    assert_eq!(windows.columns, ["window", "gt", "count"]);
    let total: i64 = windows.rows.iter().map(|r| r[2].parse::<i64>().unwrap_or(0)).sum();
    assert_eq!(total, 16_006);
}

#[test]
fn wrong_answers_are_wrong_for_the_reason_shown() {
    let sample = sample();
    let windowed = &CODE_TASKS[2];
    // Five-minute windows instead of ten: same columns, more rows or other values.
    let five = windowed.reference.replace("10 minutes", "5 minutes");
    assert!(matches!(check(windowed, &five, &sample), Verdict::Wrong(_)), "five-minute windows");
    // No window at all: the columns differ.
    let no_window = "q = spark.readStream.schema(dataSchema).json('data/activity').groupBy('gt').count().writeStream.format('memory').queryName('answer').outputMode('complete').start()";
    match check(windowed, no_window, &sample) {
        Verdict::Wrong(why) => assert!(why.contains("columns [gt, count]"), "{why}"),
        other => panic!("{other:?}"),
    }
    // Append mode on an aggregation without watermark is Spark's AnalysisException.
    let append = CODE_TASKS[0].reference.replace("complete", "append");
    match check(&CODE_TASKS[0], &append, &sample) {
        Verdict::Failed(error) => assert_eq!(error.ename, "AnalysisException", "{}", error.message),
        other => panic!("{other:?}"),
    }
    // A query under another name leaves no table `answer`.
    let elsewhere = CODE_TASKS[1].reference.replace("queryName(\"answer\")", "queryName(\"walks\")");
    assert!(matches!(check(&CODE_TASKS[1], &elsewhere, &sample), Verdict::Failed(_)));
}
