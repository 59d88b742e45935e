# A typo in a column name: the rows printed before the error, then Spark's AnalysisException.
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
df = spark.read.schema("Index long, gt string").json("data/activity")
print(df.count())
df.select("gtt").show()
print("not reached")
