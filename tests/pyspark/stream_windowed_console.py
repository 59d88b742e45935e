# Windowed counts in complete mode on the console sink, ordered so every batch prints the same.
from pyspark.sql import SparkSession
from pyspark.sql.functions import col, window

spark = SparkSession.builder.appName("windowed-console").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
spark.conf.set("spark.sql.shuffle.partitions", "2")

dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"
events = (spark.readStream
  .schema(dataSchema)
  .option("maxFilesPerTrigger", 4)
  .json("data/activity")
  .withColumn("event_time", (col("Creation_Time") / 1000000000).cast("timestamp"))
)
counts = (events
  .groupBy(window(col("event_time"), "10 minutes"), col("gt"))
  .count()
  .orderBy("window", "gt")
)
query = (counts.writeStream
  .format("console")
  .outputMode("complete")
  .option("truncate", False)
  .option("numRows", 5)
  .trigger(availableNow=True)
  .start()
)
query.awaitTermination()
print(query.lastProgress["batchId"], query.lastProgress["numInputRows"])
