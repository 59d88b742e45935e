//! What one micro-batch did, in the terms a student looks for in the checkpoint: the input
//! files it read, the `offsets/N` entry it wrote, the rows kept in the state store and the
//! rows it emitted.
//!
//! Hosts that step a query by hand (the page's Step button,
//! [`StreamingQuery::run_next_trigger`](super::StreamingQuery::run_next_trigger)) show this
//! report beside the files; it is read from the same logs a restart reads, so what the student
//! sees is what Spark would replay.

/// One finished micro-batch, as the Step button shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MicroBatchReport {
    /// The batch id (`N` of `offsets/N` and `commits/N`).
    pub batch_id: i64,
    /// The path of the offset log entry written before the batch ran (`<checkpoint>/offsets/N`).
    pub offsets_path: String,
    /// That entry's text, exactly as written (`v1`, the batch metadata, one offset per source).
    pub offsets_text: String,
    /// The input files the batch read, as paths, in the order the file source logged them
    /// (empty for sources that do not read files: memory, rate).
    pub files_read: Vec<String>,
    /// Rows the sources produced for the batch (`numInputRows`).
    pub input_rows: i64,
    /// Rows the sink reported writing (`sink.numOutputRows`; -1 when the sink cannot tell).
    pub output_rows: i64,
    /// Rows in the state store after the batch, for stateful queries (aggregation,
    /// `dropDuplicates`); `None` for stateless ones.
    pub state_rows: Option<i64>,
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;
    use std::sync::Arc;

    use streamlab_expr::Expr;
    use streamlab_storage::{MemoryStorage, Storage};
    use streamlab_types::ErrorKind;

    use crate::clock::ManualClock;
    use crate::output::BufferedOutput;
    use crate::query::StreamingQuery;
    use crate::{SparkSession, Trigger};

    /// Two real sample files (the smallest of `data/activity`) as a file stream.
    fn activity_session() -> (Arc<MemoryStorage>, SparkSession) {
        let fs = Arc::new(MemoryStorage::new());
        for name in ["part-00002.json", "part-00003.json"] {
            let bytes = std::fs::read(format!("{}/../../data/activity/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default();
            assert!(!bytes.is_empty(), "data/activity/{name} is missing");
            fs.write(&format!("/data/activity/{name}"), &bytes).unwrap_or_else(|e| panic!("{e}"));
        }
        let spark = SparkSession::new(fs.clone(), Rc::new(ManualClock::new(1_000)), Rc::new(BufferedOutput::default()));
        (fs, spark)
    }

    fn lines(fs: &MemoryStorage, path: &str) -> i64 {
        let bytes = fs.read(path).unwrap_or_else(|e| panic!("{e}"));
        bytes.split(|b| *b == b'\n').filter(|line| !line.is_empty()).count() as i64
    }

    fn start_counts(spark: &SparkSession) -> StreamingQuery {
        let df = spark
            .read_stream()
            .option("maxFilesPerTrigger", 1)
            .schema_ddl("Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double")
            .and_then(|r| r.json("/data/activity"))
            .and_then(|df| df.group_by(vec![Expr::col("gt")]).count())
            .unwrap_or_else(|e| panic!("{e}"));
        df.write_stream()
            .and_then(|w| w.format("memory").query_name("counts").output_mode("complete"))
            .and_then(|w| w.option("checkpointLocation", "/cp/counts").trigger(Trigger::ProcessingTime(3_600_000)).start(None))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn each_step_reads_one_file_logs_its_offsets_and_reports_the_state() {
        let (fs, spark) = activity_session();
        let query = start_counts(&spark);
        assert_eq!(query.checkpoint_location(), "/cp/counts");
        let first = query.run_next_trigger().unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no batch ran"));
        assert_eq!(first.batch_id, 0);
        assert_eq!(first.files_read, ["/data/activity/part-00002.json"]);
        assert_eq!(first.input_rows, lines(&fs, "/data/activity/part-00002.json"));
        assert_eq!(first.offsets_path, "/cp/counts/offsets/0");
        assert_eq!(first.offsets_text, String::from_utf8_lossy(&fs.read("/cp/counts/offsets/0").unwrap_or_default()));
        assert!(first.offsets_text.ends_with("{\"logOffset\":0}"), "{}", first.offsets_text);
        let groups = spark.table("counts").and_then(|df| df.count()).unwrap_or_else(|e| panic!("{e}")) as i64;
        assert_eq!(first.state_rows, Some(groups));
        assert_eq!(first.output_rows, groups);

        let second = query.run_next_trigger().unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no batch ran"));
        assert_eq!(second.batch_id, 1);
        assert_eq!(second.files_read, ["/data/activity/part-00003.json"]);
        assert_eq!(second.input_rows, lines(&fs, "/data/activity/part-00003.json"));
        assert!(fs.status("/cp/counts/commits/1").unwrap_or_default().is_some());
        assert_eq!(query.last_batch(), Some(second));

        assert_eq!(query.run_next_trigger().unwrap_or_else(|e| panic!("{e}")), None, "both files are read");
        query.stop();
        let stopped = query.run_next_trigger().unwrap_err();
        assert_eq!(stopped.kind, ErrorKind::IllegalState);
        assert_eq!(stopped.to_string(), "Query counts is not active");
    }

    #[test]
    fn a_stateless_query_has_no_state_rows() {
        let (_fs, spark) = activity_session();
        let df = spark.read_stream().schema_ddl("gt string").and_then(|r| r.json("/data/activity")).unwrap_or_else(|e| panic!("{e}"));
        let query = df
            .write_stream()
            .and_then(|w| w.format("memory").query_name("raw").trigger(Trigger::ProcessingTime(3_600_000)).start(None))
            .unwrap_or_else(|e| panic!("{e}"));
        let report = query.run_next_trigger().unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no batch ran"));
        assert_eq!(report.state_rows, None);
        assert_eq!(report.files_read.len(), 2, "no maxFilesPerTrigger: both files in one batch");
        assert_eq!(report.output_rows, report.input_rows);
        assert!(report.offsets_path.starts_with(query.checkpoint_location()));
    }

    #[test]
    fn a_failing_batch_is_the_query_error_and_ends_the_query() {
        let (fs, spark) = activity_session();
        fs.write("/data/bad/a.json", b"{\"gt\": \"walk\"}\n{not json\n").unwrap_or_else(|e| panic!("{e}"));
        let df = spark
            .read_stream()
            .option("mode", "FAILFAST")
            .schema_ddl("gt string")
            .and_then(|r| r.json("/data/bad"))
            .unwrap_or_else(|e| panic!("{e}"));
        let query = df
            .write_stream()
            .and_then(|w| w.format("memory").query_name("bad").trigger(Trigger::ProcessingTime(3_600_000)).start(None))
            .unwrap_or_else(|e| panic!("{e}"));
        let error = query.run_next_trigger().unwrap_err();
        assert_eq!(error.kind, ErrorKind::StreamingQuery);
        assert_eq!(error.error_class.as_deref(), Some("STREAM_FAILED"));
        assert!(!query.is_active());
        assert!(spark.streams().active().is_empty());
        assert_eq!(query.last_batch(), None, "the batch never finished");
    }
}
