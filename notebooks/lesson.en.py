# Databricks notebook source
import os
from pyspark.sql import SparkSession
from delta import configure_spark_with_delta_pip
from pyspark.sql.functions import col, from_json, to_timestamp
from pyspark.sql.types import StructType, StructField, StringType, IntegerType, DoubleType

# Clear the environment variables that can break the driver's bind
for var in ["SPARK_LOCAL_IP", "SPARK_DRIVER_BIND_ADDRESS", "SPARK_DRIVER_HOST"]:
    os.environ.pop(var, None)

# Kafka packages for Spark (adjust the version if your pyspark is not 3.5.*)
EXTRA_PACKAGES = [
    "org.apache.spark:spark-sql-kafka-0-10_2.13:3.5.2",
]

builder = (
    SparkSession.builder
    .appName("SmartTech-Streaming-Silver")
    .master("local[*]")
    .config("spark.driver.bindAddress", "127.0.0.1")
    .config("spark.driver.host", "localhost")
    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
)

# Kafka is passed through extra_packages
spark = configure_spark_with_delta_pip(builder, extra_packages=EXTRA_PACKAGES).getOrCreate()
spark.sparkContext.setLogLevel("WARN") # keeps Spark's logs to the essentials by hiding INFO and DEBUG messages
# spark.sparkContext.setLogLevel("ALL")
# spark.sparkContext.setLogLevel("DEBUG")
# spark.sparkContext.setLogLevel("INFO")
# spark.sparkContext.setLogLevel("WARN")   # the most common
# spark.sparkContext.setLogLevel("ERROR")
# spark.sparkContext.setLogLevel("FATAL")
# spark.sparkContext.setLogLevel("OFF")

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> 1 - Reading a stream</h2>
# MAGIC
# MAGIC The `SparkSession.readStream` method returns a `DataStreamReader` used to configure the stream.
# MAGIC
# MAGIC There are a number of key points to configuring a `DataStreamReader`:
# MAGIC * The schema
# MAGIC * The type of stream: files, Kafka, TCP/IP, etc.
# MAGIC * Configuration specific to the type of stream
# MAGIC   * For files: the file type, the path to the files, the maximum number of files, etc.
# MAGIC   * For TCP/IP: the server address, the port number, etc.
# MAGIC   * For Kafka: the server address, the port, the topics, the partitions, etc.

# COMMAND ----------

dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"

# COMMAND ----------

dataPath = "data/activity"
initialDF = (spark
  .readStream                       # Returns a DataStreamReader
  .option("maxFilesPerTrigger", 1)  # Force processing of a single file per trigger
  .schema(dataSchema)               # Required for all streaming DataFrames
  .json(dataPath)                   # The stream's source directory and file type
)

# COMMAND ----------

# MAGIC %md
# MAGIC And with the initial `DataFrame`, we can apply a few transformations:

# COMMAND ----------

streamingDF = (initialDF
  .withColumnRenamed("Index", "User_ID")  # Rename a column
  .drop("_corrupt_record")                # Drop a column
)

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Writing a stream</h2>
# MAGIC
# MAGIC `DataFrame.writeStream` returns a `DataStreamWriter` used to configure the output of the stream.
# MAGIC
# MAGIC A few parameters for configuring the `DataStreamWriter`:
# MAGIC * Query name (optional) - a unique name among all the active queries in the associated SQLContext.
# MAGIC * Trigger (optional) - The default value is `ProcessingTime(0`) and it will run the query as fast as possible.
# MAGIC * Checkpoint directory (optional for pub/sub sinks)
# MAGIC * Output mode
# MAGIC * Output sink: File Sink , Kafka Sink, Memory Sink, Foreach Sink, ...
# MAGIC
# MAGIC Once the configuration is done, we can start the job with a call to `.start()`

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Windowing</h2>
# MAGIC
# MAGIC If we were using a static DataFrame to produce an aggregate count, we could use `groupBy()` and `count()`.
# MAGIC
# MAGIC In a streaming DataFrame, we accumulate counts within a sliding window, answering questions like "How many records are we receiving every second?"
# MAGIC
# MAGIC **Sliding windows**: The windows overlap, and a single event can be aggregated into several windows.
# MAGIC
# MAGIC **Tumbling windows**: The windows do not overlap, and a single event is aggregated into exactly one window.
# MAGIC
# MAGIC Illustration of sliding and tumbling windows: <a href="https://spark.apache.org/docs/latest/structured-streaming-programming-guide.html" target="_blank">Structured Streaming Programming Guide</a>

# COMMAND ----------

# MAGIC %md
# MAGIC ### Triggers
# MAGIC
# MAGIC The trigger specifies when the system should process the next set of data.
# MAGIC
# MAGIC | Trigger type                           | Example | Notes |
# MAGIC |----------------------------------------|-----------|-------------|
# MAGIC | Unspecified                            |  | _DEFAULT_ - The query will be executed as soon as the system has finished processing the previous query |
# MAGIC | Fixed-interval micro-batches           | `.trigger(Trigger.ProcessingTime("6 hours"))` | The query will be executed in micro-batches, kicked off at the intervals the user specifies |
# MAGIC | One-time micro-batch                   | `.trigger(Trigger.Once())` | The query will execute _only one_ micro-batch to process all the available data, then stop on its own |
# MAGIC | Continuous with fixed checkpoint interval | `.trigger(Trigger.Continuous("1 second"))` | The query will be executed in the low-latency continuous processing mode, <a href="http://spark.apache.org/docs/latest/structured-streaming-programming-guide.html#continuous-processing" target = "_blank">continuous processing mode</a>.
# MAGIC
# MAGIC In the example below, you will use a fixed interval of 3 seconds:
# MAGIC
# MAGIC `.trigger(Trigger.ProcessingTime("3 seconds"))`
# MAGIC
# MAGIC ### Checkpointing
# MAGIC
# MAGIC A <b>checkpoint</b> stores the current state of your streaming job to a reliable storage system such as Azure Blob Storage or HDFS. It does not store the state of your streaming job on the local file system of a node in your cluster.
# MAGIC
# MAGIC Together with write-ahead logs, a terminated stream can be restarted and it will continue where it left off.
# MAGIC
# MAGIC To enable this feature, you only need to specify the location of a checkpoint directory:
# MAGIC
# MAGIC `.option("checkpointLocation", checkpointPath)`

# COMMAND ----------

# MAGIC %md
# MAGIC Points to consider:
# MAGIC * If you do not have a checkpoint directory, when the streaming job stops, you lose all the state of your streaming job, and when it restarts, you start from scratch.
# MAGIC * For some sinks, you will get an error if you do not specify a checkpoint directory:<br/>
# MAGIC `analysisException: 'checkpointLocation must be specified either through option("checkpointLocation", ...)..`
# MAGIC * Also note that every streaming job must have its own checkpoint directory: no sharing.

# COMMAND ----------

# MAGIC %md
# MAGIC ### Output Modes
# MAGIC
# MAGIC | Mode   | Example | Notes |
# MAGIC |--------|---------|-------|
# MAGIC | **Complete** | `.outputMode("complete")` | The entire updated Result Table is written to the sink. The individual sink implementation decides how to handle writing the entire table. |
# MAGIC | **Append** | `.outputMode("append")`     | Only the new rows appended to the Result Table since the last trigger are written to the sink. |
# MAGIC | **Update** | `.outputMode("update")`     | Only the rows in the Result Table that were updated since the last trigger will be output to the sink. Since Spark 2.1.1 |
# MAGIC
# MAGIC In the example below, we write to a Parquet directory, which only supports the `append` mode:
# MAGIC
# MAGIC `dsw.outputMode("append")`

# COMMAND ----------

# MAGIC %md
# MAGIC ### Output Sinks
# MAGIC
# MAGIC `DataStreamWriter.format` accepts the following values, among others:
# MAGIC
# MAGIC | Output Sink | Example                                          | Notes |
# MAGIC | ----------- | ------------------------------------------------ | ----- |
# MAGIC | **File**    | `dsw.format("parquet")`, `dsw.format("csv")`...  | Dumps the Result Table to a file. Supports Parquet, json, csv, etc. |
# MAGIC | **Kafka**   | `dsw.format("kafka")`      | Writes the output to one or more topics in Kafka |
# MAGIC | **Console** | `dsw.format("console")`    | Prints the data to the console (useful for debugging) |
# MAGIC | **Memory**  | `dsw.format("memory")`     | Updates an in-memory table, which can be queried through Spark SQL or the DataFrame API |
# MAGIC | **foreach** | `dsw.foreach(writer: ForeachWriter)` | This is your "escape hatch", letting you write your own type of sink. |
# MAGIC | **Delta**   | `dsw.format("delta")`     | A proprietary sink |
# MAGIC
# MAGIC In the example below, we will append files to a Parquet directory and then to Delta, and specify its location with this call:
# MAGIC
# MAGIC `.format("parquet").start(outputPathDir)`
# MAGIC
# MAGIC `.format("delta").start("db.table")`
# MAGIC
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Streaming Example</h2>
# MAGIC
# MAGIC In the cell below, we write data from a streaming query to `outputPathDir`.
# MAGIC
# MAGIC Note:
# MAGIC
# MAGIC 1. We give the query a name through the call to `.queryName`
# MAGIC
# MAGIC 2. Spark starts running jobs once we call `.start`
# MAGIC
# MAGIC 3. The call to `.start` returns a `StreamingQuery` object

# COMMAND ----------

outputPathDir = "output/output.parquet" # Subdirectory for the streaming results
checkpointPath = "output/output.parquet.checkpoint"
# Define the streaming query
streamingQuery = (streamingDF
  .writeStream
  .queryName("stream_1p")
  .trigger(processingTime="3 seconds")            # trigger that runs a micro-batch every 3 seconds
  .format("parquet")                              # write in Parquet format
  .option("checkpointLocation", checkpointPath)   # checkpoint files
  .outputMode("append")                           # only new data will be written to the file
  .start(outputPathDir)                           # Starts the query and sends the results to the given directory
)

# COMMAND ----------

spark.sql("create database if not exists outputDelta;")

# COMMAND ----------

outputPathDir = "output/output.parquet" # Subdirectory for the streaming results
checkpointPath = "output/output.delta.checkpoint"


# Define the streaming query
streamingQuery = (streamingDF
  .writeStream
  .queryName("stream_2p")
  .trigger(processingTime="3 seconds")
  .format("delta")
  .option("checkpointLocation", checkpointPath)
  .outputMode("append")
  .toTable("outputDelta.table")
)

# COMMAND ----------

spark.sql("SELECT * FROM outputDelta.table").show(truncate=False)

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Full script</h2>

# COMMAND ----------

# The queries started above are still running: stop them first, since a query's name
# must be unique among the active queries.
for stream in spark.streams.active:
    stream.stop()

# Define the data schema
dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double"

# Read the data source
dataPath = "data/activity"
initialDF = (spark
  .readStream                       # Returns a DataStreamReader
  .option("maxFilesPerTrigger", 1)  # Force processing of a single file per trigger
  .schema(dataSchema)               # Required for all streaming DataFrames
  .json(dataPath)                   # The stream's source directory and file type
)

# A small transformation
streamingDF = (initialDF
  .withColumnRenamed("Index", "User_ID")  # Pick a "better" column name
  .drop("_corrupt_record")                # Drop a column we do not need
)


# Write the stream to files in Parquet format
outputPathDir = "output/output.parquet"
checkpointPath = "output/output.parquet.checkpoint"
# Define the streaming query
streamingQuery = (streamingDF
  .writeStream
  .queryName("stream_1p")
  .trigger(processingTime="3 seconds")
  .format("parquet")
  .option("checkpointLocation", checkpointPath)
  .outputMode("append")
  .start(outputPathDir)
)


# Write the stream to a Delta table
outputPathDir = "output/output.parquet" # Subdirectory where the streaming results will be saved in Parquet format
checkpointPath = "output/output.delta.checkpoint"    # Subdirectory for the checkpoint files
# Define the streaming query
streamingQuery = (streamingDF
  .writeStream
  .queryName("stream_2p")
  .trigger(processingTime="3 seconds")
  .format("delta")
  .option("checkpointLocation", checkpointPath)
  .outputMode("append")
  .toTable("outputDelta.table")
)

# COMMAND ----------

# MAGIC %md
# MAGIC List the active streams

# COMMAND ----------

for stream in spark.streams.active:      # Loop over all active streams
    print(" {} ({})".format(stream.name, stream.id))

# COMMAND ----------

# MAGIC %md
# MAGIC Stop the active streams

# COMMAND ----------

for stream in spark.streams.active:
  stream.stop()

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Summary</h2>
# MAGIC
# MAGIC We use `readStream` to read streaming input from a variety of sources and create a DataFrame.
# MAGIC
# MAGIC Nothing happens until we invoke `writeStream` or `display`.
# MAGIC
# MAGIC Using `writeStream`, we can write to a variety of output sinks. Using `display`, we draw live bar charts, graphs and other types of plots in the notebook.

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Review Questions</h2>
# MAGIC
# MAGIC **Q:** What do `readStream` and `writeStream` do?<br>
# MAGIC
# MAGIC
# MAGIC **Q:** What does `display` produce when it is applied to a DataFrame created with `readStream`?<br>
# MAGIC
# MAGIC **Q:** When you run a write stream command, what does the `outputMode("append")` option do?<br>
# MAGIC
# MAGIC **Q:** What happens if you do not specify `option("checkpointLocation", pointer-to-checkpoint directory)`?<br>
# MAGIC
# MAGIC
# MAGIC **Q:** How do you view the list of active streams?<br>
# MAGIC
# MAGIC
# MAGIC **Q:** How do you check whether `streamingQuery` is running (boolean output)?<br>

# COMMAND ----------

# MAGIC %md
# MAGIC

# COMMAND ----------

# MAGIC %md
# MAGIC

# COMMAND ----------

# MAGIC %md
# MAGIC

# COMMAND ----------

# MAGIC %md
# MAGIC

# COMMAND ----------

# MAGIC %md
# MAGIC <h2><img src="https://files.training.databricks.com/images/105/logo_spark_tiny.png"> Review Questions</h2>
# MAGIC
# MAGIC **Q:** What do `readStream` and `writeStream` do?<br>
# MAGIC **A:** `readStream` creates a streaming DataFrame.<br>`writeStream` sends the streaming data to an output sink.
# MAGIC
# MAGIC **Q:** What does `display` produce when it is applied to a DataFrame created with `readStream`?<br>
# MAGIC **A:** `display` sends the streaming data to a LIVE chart!
# MAGIC
# MAGIC **Q:** When you run a write stream command, what does the `outputMode("append")` option do?<br>
# MAGIC **A:** This option takes the following values, with these meanings:
# MAGIC * <b>append</b>: add only new records to the output sink
# MAGIC * <b>complete</b>: rewrite the full output - applicable to aggregation operations
# MAGIC * <b>update</b>: update changed records in place
# MAGIC
# MAGIC **Q:** What happens if you do not specify `option("checkpointLocation", pointer-to-checkpoint directory)`?<br>
# MAGIC **A:** When the streaming job stops, you lose all the state of your streaming job, and when it restarts, you start from scratch.
# MAGIC
# MAGIC **Q:** How do you view the list of active streams?<br>
# MAGIC **A:** Invoke `spark.streams.active`.
# MAGIC
# MAGIC **Q:** How do you check whether `streamingQuery` is running (boolean output)?<br>
# MAGIC **A:** Invoke `spark.streams.get(streamingQuery.id).isActive`.
