# A file stream into the memory sink (AvailableNow), its progress and status, foreachBatch
# with a def, processAllAvailable, spark.streams, and PySpark's trigger checks.
from pyspark.sql import SparkSession

spark = (SparkSession.builder
    .master("local[2]")
    .appName("streaming-memory")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.shuffle.partitions", "2")
    .config("spark.ui.enabled", "false")
    .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

DDL = ("Arrival_Time long, Creation_Time long, Device string, Index long, Model string, "
       "User string, gt string, x double, y double, z double")
stream = (spark.readStream
    .option("maxFilesPerTrigger", 1)
    .schema(DDL)
    .json("data/activity"))
print(stream.isStreaming, stream)
renamed = stream.withColumnRenamed("Index", "User_ID").drop("_corrupt_record")
query = (renamed.writeStream
    .format("memory")
    .queryName("activity")
    .trigger(availableNow=True)
    .outputMode("append")
    .start())
print(query.name)
query.awaitTermination()
print(query.isActive)
progress = query.lastProgress
print(progress["batchId"], progress["numInputRows"], progress["sources"][0]["numInputRows"], progress["sink"]["description"])
print(len(query.recentProgress), [p["numInputRows"] for p in query.recentProgress])
print(spark.table("activity").count())
spark.table("activity").groupBy("gt").count().orderBy("gt").show()
print(spark.streams.active)

seen = []
def record(batch_df, batch_id):
    seen.append((batch_id, batch_df.count()))

q2 = stream.writeStream.foreachBatch(record).trigger(availableNow=True).start()
q2.awaitTermination()
print(seen)

q3 = stream.select("gt").writeStream.format("memory").queryName("gts").start()
q3.processAllAvailable()
for s in spark.streams.active:
    print(" {} ({})".format(s.name, type(s.id).__name__))
q3.stop()
print(q3.isActive, spark.streams.active)
print(spark.table("gts").count())
for kw in [dict(processingTime=3), dict(), dict(once=False), dict(processingTime="")]:
    try:
        stream.writeStream.trigger(**kw)
    except Exception as e:
        print(type(e).__name__ + ": " + str(e))
