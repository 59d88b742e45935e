//! Trigger timing on a manual clock: epoch-aligned processing-time boundaries, the falling
//! behind warning, Once and AvailableNow.

mod common;

#[allow(unused_imports)]
use streamlab_storage::Storage;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use common::{env, env_at, ACTIVITY_DDL};
use streamlab_engine::clock::Clock;
use streamlab_engine::output::{BufferedOutput, Level};
use streamlab_engine::{ErrorKind, SparkSession, Trigger};
use streamlab_storage::MemoryStorage;

fn activity_to_memory(e: &common::Env, trigger: Trigger) -> streamlab_engine::StreamingQuery {
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("maxFilesPerTrigger", 1).json("/data/activity").unwrap();
    df.write_stream().unwrap().format("memory").query_name("a").trigger(trigger).start(None).unwrap()
}

#[test]
fn processing_time_triggers_on_epoch_aligned_boundaries() {
    let e = env_at(12_345).with_activity(3);
    let q = activity_to_memory(&e, Trigger::processing_time("2 seconds").unwrap());
    e.spark.sleep(5_000);
    let stamps: Vec<String> = q.recent_progress().iter().map(|p| p.timestamp.clone()).collect();
    assert_eq!(stamps, ["1970-01-01T00:00:12.345Z", "1970-01-01T00:00:14.000Z", "1970-01-01T00:00:16.000Z"]);
    assert_eq!(e.spark.table("a").unwrap().count().unwrap(), 11_001);
    // Idle triggers run every 2 s but report at most every 10 s.
    e.spark.sleep(20_000);
    let idle: Vec<i64> = q.recent_progress().iter().skip(3).map(|p| p.batch_id).collect();
    assert!(!idle.is_empty() && idle.iter().all(|b| *b == 3), "{idle:?}");
    assert_eq!(q.status().message, "Waiting for next trigger");
    q.stop();
    assert_eq!(q.status().message, "Stopped");
}

/// A clock on which every reading costs `step` ms, so batches take time.
struct SlowClock {
    now: Cell<i64>,
    step: i64,
}

impl Clock for SlowClock {
    fn now_ms(&self) -> i64 {
        let t = self.now.get();
        self.now.set(t + self.step);
        t
    }
    fn sleep_until(&self, deadline: i64) {
        self.now.set(self.now.get().max(deadline));
    }
}

#[test]
fn slow_batches_log_the_falling_behind_warning() {
    let fs = Arc::new(MemoryStorage::new());
    fs.write("/in/1.txt", b"a").unwrap();
    let out = Rc::new(BufferedOutput::default());
    let spark = SparkSession::new(fs, Rc::new(SlowClock { now: Cell::new(0), step: 100 }), out.clone());
    let df = spark.read_stream().format("text").load(Some("/in")).unwrap();
    let q = df
        .write_stream()
        .unwrap()
        .format("memory")
        .query_name("s")
        .trigger(Trigger::processing_time("1 second").unwrap())
        .start(None)
        .unwrap();
    q.process_all_available().unwrap();
    let warnings = out.logs(Level::Warn);
    let behind: Vec<&String> = warnings.iter().filter(|w| w.starts_with("Current batch is falling behind.")).collect();
    assert!(!behind.is_empty(), "{warnings:?}");
    assert!(behind[0].starts_with("Current batch is falling behind. The trigger interval is 1000 milliseconds, but spent "));
    q.stop();
}

#[test]
fn available_now_respects_max_files_and_then_stops() {
    let e = env().with_activity(8);
    let q = activity_to_memory(&e, Trigger::AvailableNow);
    e.add_activity_file(0); // rewritten, already listed: not read twice
    assert!(q.await_termination(None).unwrap());
    assert_eq!(q.recent_progress().len(), 8);
    assert_eq!(e.spark.table("a").unwrap().count().unwrap(), 16_006);
}

#[test]
fn trigger_once_runs_one_batch_with_everything() {
    let e = env().with_activity(3);
    let q = activity_to_memory(&e, Trigger::Once);
    q.await_termination(None).unwrap();
    let progress = q.recent_progress();
    assert_eq!(progress.len(), 1);
    assert_eq!(progress[0].num_input_rows, 11_001);
}

#[test]
fn default_trigger_keeps_polling_until_stopped() {
    let e = env().with_activity(2);
    let q = activity_to_memory(&e, Trigger::default());
    q.process_all_available().unwrap();
    assert_eq!(e.spark.table("a").unwrap().count().unwrap(), 10_000);
    assert!(q.is_active());
    assert!(!q.await_termination(Some(1_000)).unwrap());
    e.add_activity_file(2);
    e.fs.set_modification_time("/data/activity/part-00002.json", 1_700_000_010_000).unwrap();
    q.process_all_available().unwrap();
    assert_eq!(e.spark.table("a").unwrap().count().unwrap(), 11_001);
    q.stop();
    assert!(q.await_termination(None).unwrap());
}

#[test]
fn continuous_trigger_errors_match_spark() {
    let e = env().with_activity(1);
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let err = df
        .write_stream()
        .unwrap()
        .format("console")
        .trigger(Trigger::continuous("1 second").unwrap())
        .start(None)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Analysis);
    assert_eq!(err.to_string(), "Continuous processing does not support StreamingRelation operations.");
}
