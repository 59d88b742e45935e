//! `spark.sql(text)` and `%sql` cells: any statement text gives a DataFrame or a Spark error,
//! never a panic. The session has a temp view and a database to resolve names against.
#![no_main]

use std::rc::Rc;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use streamlab_engine::clock::ManualClock;
use streamlab_engine::output::BufferedOutput;
use streamlab_engine::SparkSession;
use streamlab_storage::{MemoryStorage, Storage};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let storage = Arc::new(MemoryStorage::new());
    let _ = storage.write("/data/a.json", b"{\"gt\":\"bike\",\"x\":1.5,\"Index\":1}\n{\"gt\":\"sit\",\"x\":-2.0,\"Index\":2}\n");
    let spark = SparkSession::new(storage, Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
    if let Ok(df) = spark.read().schema_ddl("gt string, x double, Index long").and_then(|r| r.json("/data")) {
        df.create_or_replace_temp_view("events");
    }
    let _ = spark.create_database("db", true);
    if let Ok(df) = spark.sql(text) {
        // Running the plan must not panic either.
        let _ = df.collect();
    }
});
