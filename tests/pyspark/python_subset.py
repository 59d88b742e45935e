# The Python a lesson uses around Spark: variables, f-strings, format, loops, dicts, lists.
import os
import json
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("python-subset").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")

for var in ["SPARK_LOCAL_IP", "STREAMLAB_SURELY_UNSET"]:
    os.environ.pop(var, None)

files = ["a.json", "b.json", "c.json"]
sizes = {"a.json": 3, "b.json": 1}
total = 0
for i, name in enumerate(files):
    size = sizes.get(name, 0)
    total += size
    if size > 2:
        print(f"{i}: {name} is big ({size})")
    elif size == 0:
        print("{}: {} is empty".format(i, name))
    else:
        print("%d: %s has %d row" % (i, name, size))
print(total, len(files), sorted(sizes), list(range(3)))
print(json.dumps({"rows": total, "files": files}))
print({"k": [1, 2.5, None, True, "s"]}, (1,), ("x", 2))
print("-".join(name.upper().replace(".JSON", "") for name in files))
print(spark.conf.get("spark.sql.shuffle.partitions"))
spark.conf.set("spark.sql.shuffle.partitions", "4")
print(spark.conf.get("spark.sql.shuffle.partitions"))
print(spark.version[:3])
