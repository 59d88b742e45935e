# An aggregation into the console sink in complete mode, sorted, two AvailableNow batches.
from pyspark.sql import SparkSession
from pyspark.sql.functions import col

spark = (SparkSession.builder
    .master("local[2]")
    .appName("streaming-console")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.shuffle.partitions", "2")
    .config("spark.ui.enabled", "false")
    .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

stream = (spark.readStream
    .schema("Arrival_Time long, Device string, gt string, x double")
    .option("maxFilesPerTrigger", 4)
    .json("data/activity"))
counts = stream.where(col("gt").isNotNull()).groupBy("gt").count().orderBy(col("count").desc(), "gt")
query = (counts.writeStream
    .format("console")
    .outputMode("complete")
    .trigger(availableNow=True)
    .start())
query.awaitTermination()
print("batches:", [p["batchId"] for p in query.recentProgress])
