# Batch reads of the activity sample: schema, grouping, ordering, show() layouts, collect().
from pyspark.sql import SparkSession
from pyspark.sql.functions import col, count, avg, max as max_, round as round_

spark = SparkSession.builder.appName("batch-queries").master("local[2]").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")

dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"
df = spark.read.schema(dataSchema).json("data/activity")
df.printSchema()
print(df.count())
print(df.columns)

perActivity = (df
  .groupBy("gt")
  .agg(count("*").alias("n"), round_(avg("x"), 4).alias("avg_x"), max_("Index").alias("max_index"))
  .orderBy(col("n").desc(), "gt")
)
perActivity.show()
perActivity.show(3, truncate=False)

for row in perActivity.limit(2).collect():
    print(row.gt, row["n"], row)

first = df.orderBy("Arrival_Time", "Index").select("Device", "Model", "gt").first()
print(first)
print(df.select("User").distinct().count())
df.filter((col("gt") == "bike") & (col("x") > 0.5)).select("Index", "x").orderBy("Index").show(5)
df.where("z < -1.0").selectExpr("Index", "round(z, 2) AS z2").orderBy("Index").show(4, truncate=5)
print(perActivity)
spark.stop()
