//! Review tasks that are checked by running them: the student writes a streaming query into
//! the memory table `answer`; the page runs it and the reference query on the sample, each in
//! a fresh session, and compares the two tables row for row (order aside).
//!
//! Running both queries — rather than matching the code's text — accepts every correct
//! spelling (`groupBy("gt")` or `groupBy(col("gt"))`, SQL or DataFrame API) and explains a
//! wrong answer by what the table holds.

use std::rc::Rc;

use streamlab_engine::clock::ManualClock;
use streamlab_notebook::document::CellKind;
use streamlab_notebook::output::{CellError, CellOutput, TableOutput};

use crate::lab::Lab;
use crate::sample::write_sample;
use crate::table::batch_table;

/// The memory table every task writes to.
pub const ANSWER_TABLE: &str = "answer";

/// What every task starts from: the lesson's schema, already typed.
pub const STARTER: &str = "dataSchema = \"Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double\"\n";

/// One code task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeTask {
    /// A stable id (progress is saved under it).
    pub id: &'static str,
    /// The lesson section it practises.
    pub section: &'static str,
    /// What to write, as markdown.
    pub prompt: &'static str,
    /// The reference answer (run to get the expected table, and shown after answering).
    pub reference: &'static str,
    /// Why the reference is written so, shown after answering.
    pub explanation: &'static str,
}

/// The tasks, in lesson order.
pub const CODE_TASKS: [CodeTask; 3] = [
    CodeTask {
        id: "count-per-gt",
        section: "Reading a stream",
        prompt: "Read `data/activity` as a stream with `dataSchema`, count the rows per `gt` (activity), and write the counts to the memory table `answer` in **complete** mode (`queryName(\"answer\")`).",
        reference: "counts = spark.readStream.schema(dataSchema).json(\"data/activity\").groupBy(\"gt\").count()\nq = counts.writeStream.format(\"memory\").queryName(\"answer\").outputMode(\"complete\").start()\n",
        explanation: "An aggregation without a watermark can only be written in **complete** (or update) mode: every trigger rewrites the whole result table, so the memory table always holds one row per `gt`.",
    },
    CodeTask {
        id: "walk-rows",
        section: "Writing a stream",
        prompt: "Keep only the rows whose `gt` is `walk`, with two columns: `Index` renamed `User_ID`, then `gt`. Write them to the memory table `answer` in **append** mode.",
        reference: "walks = spark.readStream.schema(dataSchema).json(\"data/activity\").where(\"gt = 'walk'\").select(col(\"Index\").alias(\"User_ID\"), \"gt\")\nq = walks.writeStream.format(\"memory\").queryName(\"answer\").outputMode(\"append\").start()\n",
        explanation: "Filters and projections are stateless: each row is emitted once, in the batch that read it, which is exactly what **append** mode writes.",
    },
    CodeTask {
        id: "windowed-counts",
        section: "Windowing",
        prompt: "Count the rows per `gt` in **10-minute tumbling windows** of event time, where the event time is `Creation_Time` (nanoseconds) divided by `1e9` and cast to `timestamp`. Write the counts to the memory table `answer` in complete mode.",
        reference: "events = spark.readStream.schema(dataSchema).json(\"data/activity\").withColumn(\"event_time\", (col(\"Creation_Time\") / 1e9).cast(\"timestamp\"))\nwindowed = events.groupBy(window(\"event_time\", \"10 minutes\"), \"gt\").count()\nq = windowed.writeStream.format(\"memory\").queryName(\"answer\").outputMode(\"complete\").start()\n",
        explanation: "`window(event_time, \"10 minutes\")` puts each row in exactly one 10-minute bucket (a tumbling window); grouping by the window **and** `gt` gives one count per activity per window.",
    },
];

/// The imports every task's code runs after, so the student needs none of them.
const IMPORTS: &str = "from pyspark.sql.functions import *\n";

/// How a check went.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The student's table equals the reference's.
    Right,
    /// The query ran, but its table differs; the text says how.
    Wrong(String),
    /// The code failed (or started no query writing `answer`).
    Failed(CellError),
}

/// Runs `code` (after [`STARTER`] and the functions import) on a fresh session over `sample`
/// (`(file name, bytes)` of `data/activity`), drains every query, and returns table `answer`
/// with all its rows, sorted.
pub fn run_for_table(code: &str, sample: &[(String, Vec<u8>)]) -> Result<TableOutput, CellError> {
    let mut lab = Lab::new(Rc::new(ManualClock::new(1_700_000_000_000)));
    write_sample(lab.storage().as_ref(), sample).map_err(|e| CellError::from_spark(&e, None))?;
    let program = format!("{IMPORTS}{STARTER}{code}\nfor _q in spark.streams.active:\n    _q.processAllAvailable()\n");
    let outputs = lab.run(CellKind::Code, &program);
    if let Some(CellOutput::Error(error)) = outputs.into_iter().find(|o| matches!(o, CellOutput::Error(_))) {
        return Err(error);
    }
    let batch = lab.session().table(ANSWER_TABLE).and_then(|df| df.collect()).map_err(|e| CellError::from_spark(&e, None))?;
    lab.stop_all();
    let mut table = batch_table(&batch, usize::MAX);
    table.rows.sort();
    Ok(table)
}

/// Checks the student's `answer` to `task` against the reference, both run on `sample`.
///
/// ```
/// use streamlab_web::tasks::{check, Verdict, CODE_TASKS};
/// let sample = vec![("a.json".to_string(), b"{\"gt\":\"walk\",\"Index\":1}\n{\"gt\":\"sit\",\"Index\":2}\n".to_vec())];
/// let task = &CODE_TASKS[0];
/// assert_eq!(check(task, task.reference, &sample), Verdict::Right);
/// let wrong = "q = spark.readStream.schema(dataSchema).json('data/activity').writeStream.format('memory').queryName('answer').start()";
/// assert!(matches!(check(task, wrong, &sample), Verdict::Wrong(_)));
/// ```
pub fn check(task: &CodeTask, answer: &str, sample: &[(String, Vec<u8>)]) -> Verdict {
    let got = match run_for_table(answer, sample) {
        Ok(table) => table,
        Err(error) => return Verdict::Failed(error),
    };
    let expected = match run_for_table(task.reference, sample) {
        Ok(table) => table,
        Err(error) => return Verdict::Failed(error),
    };
    match compare(&got, &expected) {
        None => Verdict::Right,
        Some(why) => Verdict::Wrong(why),
    }
}

/// Why `got` is not `expected`, or `None` when they hold the same rows.
fn compare(got: &TableOutput, expected: &TableOutput) -> Option<String> {
    if got.columns != expected.columns {
        return Some(format!("Your table has the columns [{}]; the expected one has [{}].", got.columns.join(", "), expected.columns.join(", ")));
    }
    if got.rows.len() != expected.rows.len() {
        return Some(format!("Your table has {} rows; the expected one has {}.", got.rows.len(), expected.rows.len()));
    }
    let differing = got.rows.iter().zip(&expected.rows).position(|(a, b)| a != b)?;
    Some(format!(
        "Same columns and number of rows, but the values differ: for example your row [{}] where the expected table has [{}].",
        got.rows[differing].join(", "),
        expected.rows[differing].join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comparison_says_what_differs() {
        let table = |cols: &[&str], rows: &[&[&str]]| TableOutput {
            columns: cols.iter().map(|c| c.to_string()).collect(),
            types: vec!["string".into(); cols.len()],
            rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect(),
            truncated: false,
        };
        let expected = table(&["gt", "count"], &[&["sit", "2"], &["walk", "1"]]);
        assert_eq!(compare(&expected, &expected), None);
        let why = compare(&table(&["gt"], &[&["sit"]]), &expected).unwrap_or_default();
        assert_eq!(why, "Your table has the columns [gt]; the expected one has [gt, count].");
        let why = compare(&table(&["gt", "count"], &[&["sit", "2"]]), &expected).unwrap_or_default();
        assert_eq!(why, "Your table has 1 rows; the expected one has 2.");
        let why = compare(&table(&["gt", "count"], &[&["sit", "2"], &["walk", "3"]]), &expected).unwrap_or_default();
        assert!(why.contains("[walk, 3] where the expected table has [walk, 1]"), "{why}");
    }
}
