# Batch DataFrames and plain Python: schema types, show/printSchema/collect, aggregations,
# Row and value reprs, formatting, json, and errors caught by class.
import json
from pyspark.sql import SparkSession, Row
from pyspark.sql import functions as F
from pyspark.sql.functions import col, count
from pyspark.sql.types import StructType, StructField, StringType, LongType, DoubleType

spark = (SparkSession.builder
    .master("local[2]")
    .appName("batch")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.shuffle.partitions", "2")
    .config("spark.ui.enabled", "false")
    .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

schema = StructType([
    StructField("Arrival_Time", LongType(), True),
    StructField("Device", StringType(), True),
    StructField("gt", StringType(), True),
    StructField("x", DoubleType(), True),
])
print(schema)
print(schema.simpleString(), schema.fieldNames(), len(schema))
df = spark.read.schema(schema).json("data/activity")
print(df)
print(df.columns, df.isStreaming, df.dtypes[:2])
df.printSchema()
df.orderBy("Arrival_Time", "Device", "x").show(5)
df.orderBy(col("x").desc()).show(3, truncate=False)
print(df.count())
counts = (df.groupBy("gt")
    .agg(count("*").alias("n"), F.max("x").alias("max_x"), F.sum("Arrival_Time").alias("sum_t"))
    .orderBy("gt"))
counts.show()
for row in counts.collect():
    print(row.gt, row["n"], row[2])
first = df.orderBy("Arrival_Time", "Device", "x").first()
print(first)
print(first.asDict())
walk = df.filter((col("gt") == "walk") & (col("x") > 0)).select("Device", (col("x") * 2).alias("x2"))
print(walk)
print(walk.count(), df.where("gt IS NULL").count())
print(df.select(F.upper(col("Device")).alias("d")).distinct().orderBy("d").collect())
print(df.selectExpr("gt", "x > 0 AS positive").groupBy("positive").count().orderBy("positive").collect())
print(df.orderBy("Arrival_Time", "Device", "x").limit(2).take(1))
r = Row(name="ada", score=1.5, tags=["a", "b"], extra=None)
print(r, r.name, r["score"])
data = {"rows": [1, 2.5, None, True], "name": "é", "nested": {"a": []}}
print(json.dumps(data))
print(json.dumps(data, indent=2))
print("%s has %d rows (%.1f%%)" % ("walk", 3, 12.345))
print(f"{3.14159:.3f} {42:>5} {'x':<3}| {1e16} {0.1 + 0.2} {-0.0} {1/3}")
total = 0
for i, word in enumerate(["a", "bb", "ccc"]):
    if i == 1:
        continue
    total += len(word) * (i + 1)
print(total, sorted({"b": 2, "a": 1}.items()), [w.upper() for w in "x y z".split()])
try:
    df.writeStream
except Exception as e:
    print(type(e).__name__ + ": " + str(e))
try:
    {}["missing"]
except KeyError as e:
    print("KeyError", e)
try:
    1 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
