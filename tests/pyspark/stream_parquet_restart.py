# The lesson's Parquet sink with a checkpoint: stop after two files, restart, read it all back.
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("parquet-restart").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")

dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"

def start(trigger_files):
    df = (spark.readStream
      .option("maxFilesPerTrigger", trigger_files)
      .schema(dataSchema)
      .json("data/activity")
      .withColumnRenamed("Index", "User_ID")
      .drop("_corrupt_record"))
    return (df.writeStream
      .format("parquet")
      .option("checkpointLocation", "output/activity.checkpoint")
      .outputMode("append")
      .trigger(once=True)
      .start("output/activity.parquet"))

first = start(2)
first.awaitTermination()
print(first.lastProgress["numInputRows"] > 0, first.lastProgress["batchId"])
second = start(100)
second.awaitTermination()
print(second.lastProgress["batchId"], second.id == first.id, second.runId == first.runId)
result = spark.read.parquet("output/activity.parquet")
print(result.count(), result.select("User_ID").distinct().count())
result.groupBy("gt").count().orderBy("gt").show()
