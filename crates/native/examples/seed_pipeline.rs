//! The lesson's seed pipeline on the real disk: the activity sample, one file per trigger, into
//! a Parquet sink; then reads the sink back. Run from the repository root:
//! `cargo run --release -p streamlab-native --example seed_pipeline`.

use streamlab_engine::Trigger;

const SCHEMA: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let spark = streamlab_native::local_session()?;
    let work = "target/seed-demo";
    spark.storage().delete(work)?;
    let df = spark
        .read_stream()
        .option("maxFilesPerTrigger", 1)
        .schema_ddl(SCHEMA)?
        .json("data/activity")?
        .with_column_renamed("Index", "User_ID")?
        .drop(&["_corrupt_record"])?;
    let query = df
        .write_stream()?
        .format("parquet")
        .option("checkpointLocation", format!("{work}/checkpoint"))
        .trigger(Trigger::AvailableNow)
        .start(Some(&format!("{work}/out")))?;
    query.await_termination(None)?;
    for p in query.recent_progress() {
        println!(
            "batch {} read {} rows in {} ms ({:.0} rows/s)",
            p.batch_id,
            p.num_input_rows,
            p.duration_ms.get("triggerExecution").copied().unwrap_or(0),
            p.processed_rows_per_second
        );
    }
    let out = spark.read().parquet(&format!("{work}/out"))?;
    println!("{} rows in the Parquet sink", out.count()?);
    print!("{}", out.show_string(5, 20, false)?);
    Ok(())
}
