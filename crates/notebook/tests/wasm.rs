//! The notebook kernel inside a real browser (wasm32, headless Chromium through
//! wasm-bindgen-test): a streaming cell on the bundled activity files, on virtual time.

#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::clock::ManualClock;
use streamlab_notebook::kernel::Kernel;
use streamlab_notebook::output::CellOutput;
use streamlab_storage::{MemoryStorage, Storage};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ACTIVITY: [&[u8]; 8] = [
    include_bytes!("../../../data/activity/part-00000.json"),
    include_bytes!("../../../data/activity/part-00001.json"),
    include_bytes!("../../../data/activity/part-00002.json"),
    include_bytes!("../../../data/activity/part-00003.json"),
    include_bytes!("../../../data/activity/part-00004.json"),
    include_bytes!("../../../data/activity/part-00005.json"),
    include_bytes!("../../../data/activity/part-00006.json"),
    include_bytes!("../../../data/activity/part-00007.json"),
];

fn stdout(outputs: &[CellOutput]) -> String {
    outputs
        .iter()
        .filter_map(|o| match o {
            CellOutput::Stdout(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
fn a_streaming_cell_runs_in_the_browser() {
    let fs = Arc::new(MemoryStorage::new());
    for (i, bytes) in ACTIVITY.iter().enumerate() {
        fs.write(&format!("/data/activity/part-{i:05}.json"), bytes).unwrap();
    }
    let mut kernel = Kernel::new(fs, Rc::new(ManualClock::new(1_765_804_826_000)));
    let cell = r#"from pyspark.sql import SparkSession
from pyspark.sql.functions import col
spark = SparkSession.builder.appName("wasm").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
stream = (spark.readStream
  .option("maxFilesPerTrigger", 1)
  .schema("Arrival_Time long, Device string, Index long, gt string, x double")
  .json("/data/activity"))
query = (stream.withColumnRenamed("Index", "User_ID")
  .writeStream.format("memory").queryName("acts")
  .trigger(processingTime="3 seconds").start())
import time
time.sleep(30)
query.stop()
print(spark.table("acts").count(), len(query.recentProgress) >= 8)
spark.table("acts").groupBy("gt").count().orderBy("gt").show(2)
"#;
    let outputs = kernel.run_cell(cell);
    assert!(!matches!(outputs.last(), Some(CellOutput::Error(_))), "{outputs:?}");
    assert_eq!(
        stdout(&outputs),
        "16006 True\n+----+-----+\n|  gt|count|\n+----+-----+\n|bike| 1001|\n|null| 1001|\n+----+-----+\nonly showing top 2 rows\n\n"
    );
    let error = kernel.run_cell("while True:\n    pass\n").pop();
    assert!(matches!(error, Some(CellOutput::Error(e)) if e.ename == "RuntimeError"));
}

/// The page's Unicode name table keeps the commonly named blocks (vendor/unicode_names2's
/// build script): those names resolve, computed CJK names too, and a name outside them fails
/// as an unknown name does in Python, in the cell's output.
#[wasm_bindgen_test]
fn unicode_name_escapes_resolve_the_kept_blocks_in_the_browser() {
    let mut kernel = Kernel::new(Arc::new(MemoryStorage::new()), Rc::new(ManualClock::new(0)));
    let outputs = kernel.run_cell("print('\\N{DEGREE SIGN}', '\\N{euro sign}', '\\N{SNAKE}', '\\N{CJK UNIFIED IDEOGRAPH-4E00}', '\\N{NO-BREAK SPACE}' == '\\xa0')");
    assert_eq!(stdout(&outputs), "° € 🐍 一 True\n");
    let error = kernel.run_cell("print('\\N{TIBETAN LETTER KA}')").pop();
    assert!(matches!(error, Some(CellOutput::Error(ref e)) if e.ename == "SyntaxError"), "{error:?}");
}
