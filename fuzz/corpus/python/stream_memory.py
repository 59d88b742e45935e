# The lesson's stream into a memory sink, one file per trigger, then queried with SQL.
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("stream-memory").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")

dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"
initialDF = (spark
  .readStream
  .option("maxFilesPerTrigger", 1)
  .schema(dataSchema)
  .json("data/activity")
)
print(initialDF.isStreaming)
streamingDF = (initialDF
  .withColumnRenamed("Index", "User_ID")
  .drop("_corrupt_record")
)
streamingDF.printSchema()

query = (streamingDF
  .writeStream
  .queryName("activity")
  .format("memory")
  .outputMode("append")
  .trigger(availableNow=True)
  .start()
)
print(query.name, query.isActive in (True, False))
query.awaitTermination()
print(query.isActive)
print(len(query.recentProgress))
print([p["numInputRows"] for p in query.recentProgress])
print(query.lastProgress["sources"][0]["endOffset"]["logOffset"])
spark.sql("SELECT gt, count(*) AS n FROM activity GROUP BY gt ORDER BY gt").show()
print(spark.table("activity").count())
print(len(spark.streams.active))
