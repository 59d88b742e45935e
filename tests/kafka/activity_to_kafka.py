# Reads the activity records a test produced to topic "activity", parses them with from_json,
# and writes each row's activity label and JSON to topic "labels" (exactly once per row).
# Run by crates/cli/tests/kafka.rs under `streamlab run`, with KAFKA_BOOTSTRAP set.
import os

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, from_json, struct, to_json

spark = SparkSession.builder.getOrCreate()
bootstrap = os.environ["KAFKA_BOOTSTRAP"]
schema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"

raw = (
    spark.readStream.format("kafka")
    .option("kafka.bootstrap.servers", bootstrap)
    .option("subscribe", "activity")
    .option("startingOffsets", "earliest")
    .option("maxOffsetsPerTrigger", 5000)
    .load()
)
rows = raw.select(from_json(col("value").cast("string"), schema).alias("r")).select("r.*")
query = (
    rows.select(col("gt").alias("key"), to_json(struct("Index", "gt", "x")).alias("value"))
    .writeStream.format("kafka")
    .option("kafka.bootstrap.servers", bootstrap)
    .option("topic", "labels")
    .option("checkpointLocation", "checkpoint")
    .trigger(availableNow=True)
    .start()
)
query.awaitTermination()
print([p["numInputRows"] for p in query.recentProgress])
print(query.lastProgress["sources"][0]["endOffset"])
