#!/usr/bin/env python3
"""Generates cases.json and streaming.json: what real PySpark 3.5 answers to the SQL statements
StreamLab's spark.sql must run alike (crates/engine/tests/sql_golden.rs compares them).

    $STREAMLAB_PYTHON crates/engine/tests/golden/sql/generate.py

Session: local[1], spark.sql.session.timeZone=UTC, a temp warehouse. Set-up, mirrored by the Rust
test: temp view `activity` = the 8 files of data/activity read as JSON with the lesson's DDL;
temp view `models` = two rows (Model, Maker); database `lab` with table `lab.events`, the same
files as a JSON data source table (schema inferred).

cases.json: the statements of CASES, run in order in one session. Each result records either the
columns (name, simpleString type, nullable) and `show(100, truncate=20)` text, or the error:
exception class name, error class (None for Spark's legacy ones) and message. Spark ends the
message of an analysis error raised by SQL with `;\\n<analyzed plan>`, whose expression ids
(`id#12`) StreamLab does not have: the message is cut before that `;\\n`.
`ordered` false means the test compares the data rows as a set (no ORDER BY).

streaming.json: the lesson's pattern on a stream of data/activity: a temp view of the stream,
spark.sql aggregations written to a memory sink in complete mode with availableNow, then the
sink's table read back with spark.sql.
"""
import json
import os
import shutil
import tempfile

from pyspark.sql import SparkSession
from pyspark.errors import PySparkException

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", "..", "data", "activity"))
DDL = ("Arrival_Time long, Creation_Time long, Device string, Index long, Model string, "
       "User string, gt string, x double, y double, z double")
MODELS = [("nexus4", "LG"), ("s3", "Samsung")]

# (sql, ordered): ordered is False where Spark's row order is not defined by the query.
CASES = [
    ("SELECT gt, count(*) FROM activity GROUP BY gt ORDER BY gt", True),
    ("SELECT gt, count(*), count(1), sum(Index), avg(Index), min(x), max(z), min(Arrival_Time) FROM activity GROUP BY gt", False),
    ("SELECT User, gt, count(*) AS n FROM activity WHERE x > 0 GROUP BY User, gt HAVING count(*) > 300 ORDER BY n DESC, gt", True),
    ("SELECT a.gt AS activity, count(*) n FROM activity a GROUP BY a.gt HAVING n > 2000 ORDER BY activity", True),
    ("select GT, upper(gt), count(*) from activity group by gt order by 1", True),
    ("SELECT Device, Index, Index + 1, upper(gt) AS g, CAST(Creation_Time / 1e9 AS TIMESTAMP) AS t FROM activity WHERE Index < 3 AND `User` = 'a' ORDER BY Device, Index LIMIT 5", True),
    ("SELECT DISTINCT User FROM activity ORDER BY User DESC", True),
    ("SELECT * FROM activity ORDER BY Arrival_Time DESC, Creation_Time DESC LIMIT 3", True),
    ("SELECT t.* FROM (SELECT gt, User FROM activity WHERE Index = 0) t ORDER BY 1, 2", True),
    ("SELECT count(*) + 1 AS total, max(x) * 2, min(gt), count(DISTINCT gt) FROM activity", True),
    ("SELECT gt FROM activity GROUP BY gt ORDER BY count(*) DESC NULLS LAST LIMIT 2", True),
    ("SELECT User, gt FROM activity GROUP BY 1, 2 ORDER BY 1, 2", True),
    ("SELECT x FROM activity WHERE gt = 'bike' ORDER BY y, x LIMIT 3", True),
    ("SELECT gt, window(CAST(Creation_Time / 1e9 AS TIMESTAMP), '10 minutes') AS w, count(*) FROM activity "
     "GROUP BY gt, window(CAST(Creation_Time / 1e9 AS TIMESTAMP), '10 minutes') ORDER BY w.start, gt", True),
    ("WITH per_model AS (SELECT Model, count(*) AS n FROM activity GROUP BY Model) "
     "SELECT m.Model, m.Maker, p.n FROM per_model p JOIN models m ON p.Model = m.Model", True),
    ("SELECT * FROM (SELECT Model, count(*) n FROM activity GROUP BY Model) p LEFT JOIN models USING (Model)", True),
    ("SELECT * FROM (SELECT Model, count(*) n FROM activity GROUP BY Model) p RIGHT JOIN models m ON p.Model = m.Model ORDER BY m.Model", True),
    ("SELECT * FROM (SELECT Model, count(*) n FROM activity GROUP BY Model) p FULL OUTER JOIN models USING (Model) ORDER BY Model", True),
    ("SELECT m.*, a.gt FROM models m JOIN activity a ON a.Model = m.Model AND a.Index = 0 ORDER BY a.gt, a.Device", True),
    ("SELECT a.Index, b.gt FROM (SELECT Index, gt FROM activity WHERE Index < 2) a "
     "JOIN (SELECT Index, gt FROM activity WHERE Index < 2) b ON a.Index = b.Index ORDER BY a.Index, b.gt", True),
    ("SELECT *, upper(Maker) AS m FROM models m LEFT JOIN (SELECT DISTINCT Model, User FROM activity) a ON m.Model = a.Model ORDER BY m.Model", True),
    ("SELECT gt FROM activity WHERE Index < 2 ORDER BY Arrival_Time DESC, gt NULLS FIRST LIMIT 3", True),
    ("SELECT gt, max(x) AS m FROM activity GROUP BY gt ORDER BY gt NULLS LAST", True),
    ("SELECT count(*) AS n, count(gt) FROM activity WHERE gt IS NULL OR x IS NOT NULL AND NOT gt = 'walk'", True),
    ("SELECT 1, 1L, 2Y, 3S, 1.5, 1.5D, 1e3, -2, 'it\\'s', \"dq\", true, NULL, DATE '2024-01-01', 7 DIV 2, 2 || 'x'", True),
    ("SELECT CASE WHEN x > 0 THEN 'up' ELSE 'down' END AS dir, count(*) FROM activity GROUP BY 1 ORDER BY dir", True),
    ("SELECT gt, count(*) FROM activity WHERE gt IN ('sit', 'stand') AND User BETWEEN 'a' AND 'b' AND Device LIKE 'nexus%' GROUP BY gt ORDER BY gt", True),
    ("SELECT count(*) FROM lab.events", True),
    ("SELECT gt, count(*) AS n FROM lab.events WHERE Model = 'nexus4' GROUP BY gt ORDER BY gt", True),
    ("CREATE OR REPLACE TEMPORARY VIEW standing AS SELECT * FROM activity WHERE gt = 'stand'", True),
    ("SELECT count(*) FROM standing", True),
    ("create database if not exists outputDelta;", True),
    ("SHOW DATABASES", True),
    ("SHOW SCHEMAS", True),
    ("SHOW TABLES", True),
    ("SHOW TABLES IN lab", True),
    ("DESCRIBE activity", True),
    ("DESCRIBE TABLE lab.events", True),
    ("DESC standing", True),
    ("SET spark.sql.shuffle.partitions=5", True),
    ("SET spark.sql.shuffle.partitions", True),
    ("SET streamlab.nope", True),
    ("DROP VIEW standing", True),
    ("DROP VIEW IF EXISTS standing", True),
    ("DROP TABLE IF EXISTS nope", True),
    ("DROP DATABASE outputDelta", True),
    # errors
    ("SELECT nope FROM activity", True),
    ("SELECT x + nope\nFROM activity", True),
    ("SELECT * FROM nope", True),
    ("SELECT * FROM lab.nope", True),
    ("selec * from activity", True),
    ("SELECT 1; SELECT 2", True),
    ("SELECT (1 + 2", True),
    ("SELECT 'abc", True),
    ("SELECT gt, x FROM activity GROUP BY gt", True),
    ("SELECT Model FROM activity a JOIN models m ON a.Model = m.Model", True),
    ("SELECT Model FROM activity GROUP BY 5", True),
    ("UPDATE activity SET x = 1", True),
    ("MERGE INTO activity USING models ON activity.Model = models.Model WHEN MATCHED THEN DELETE", True),
    ("CREATE TEMP VIEW activity AS SELECT 1", True),
    ("DROP VIEW nope", True),
    ("DROP TABLE nope", True),
    ("DROP DATABASE lab", True),
    ("CREATE DATABASE lab", True),
    ("DROP DATABASE default", True),
    ("SHOW TABLES IN nope", True),
    ("DESCRIBE nope", True),
    ("USE nope", True),
    # lexical and syntax rules of StreamLab's own SQL parser, checked against Spark's
    ("SELECT 'a' 'b', \"x\" 'y', TIMESTAMP_LTZ '2024-01-01 10:00:00'", True),
    ("SELECT /* a /* nested */ comment */ 1 -- trailing", True),
    ("USE DATABASE default", True),
    ("SELECT 1 2 3", True),
    ("SELECT x y z FROM activity", True),
    ("SELECT DATE '2024-02-30'", True),
    ("SELECT CAST(Index AS nope) FROM activity", True),
    ("SELECT 1 /* unterminated", True),
    ("SELECT gt FROM activity GROUP BY -1", True),
    ("SELECT \"a\" AS \"b\"", True),
    ("SELECT * FROM activity a JOIN models m USING (a.Model)", True),
    ("SELECT 1 :: INT", True),
    ("SELECT 1 -> 2", True),
]

STREAMING = [
    ("SELECT gt, count(*) FROM events GROUP BY gt", "gt_counts", "SELECT * FROM gt_counts ORDER BY gt"),
    ("SELECT window(ts, '10 minutes') AS w, gt, count(*) AS n "
     "FROM (SELECT CAST(Creation_Time / 1e9 AS TIMESTAMP) AS ts, gt FROM events WHERE Model = 'nexus4') "
     "GROUP BY window(ts, '10 minutes'), gt", "windowed",
     "SELECT w.start, w.end, gt, n FROM windowed ORDER BY w.start, gt LIMIT 12"),
]


def columns(df):
    return [[f.name, f.dataType.simpleString(), f.nullable] for f in df.schema.fields]


def error(e):
    message = str(e).lstrip("\n")
    if ";\n" in message:
        message = message[:message.index(";\n")]
    cls = e.getErrorClass() if isinstance(e, PySparkException) else None
    if cls is not None and cls.startswith("_LEGACY"):
        cls = None
    return {"exception": type(e).__name__, "class": cls, "message": message}


def run(spark, sql, ordered):
    out = {"sql": sql, "ordered": ordered}
    try:
        df = spark.sql(sql)
        out["columns"] = columns(df)
        out["show"] = df._jdf.showString(100, 20, False)
    except PySparkException as e:
        out["error"] = error(e)
    return out


def main():
    warehouse = tempfile.mkdtemp(prefix="streamlab-sql-golden-")
    spark = (SparkSession.builder.master("local[1]")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.warehouse.dir", warehouse)
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        spark.read.schema(DDL).json(DATA).createOrReplaceTempView("activity")
        spark.createDataFrame(MODELS, "Model string, Maker string").createOrReplaceTempView("models")
        spark.sql("CREATE DATABASE lab")
        spark.sql(f"CREATE TABLE lab.events USING json LOCATION '{DATA}'")
        cases = [run(spark, sql, ordered) for sql, ordered in CASES]
        with open(os.path.join(HERE, "cases.json"), "w") as f:
            json.dump({"spark": spark.version, "cases": cases}, f, indent=1)
            f.write("\n")

        stream = spark.readStream.schema(DDL).json(DATA)
        stream.createOrReplaceTempView("events")
        results = []
        for sql, name, read_back in STREAMING:
            df = spark.sql(sql)
            entry = {"sql": sql, "query_name": name, "is_streaming": df.isStreaming, "columns": columns(df)}
            q = df.writeStream.format("memory").queryName(name).outputMode("complete").trigger(availableNow=True).start()
            q.awaitTermination()
            entry["read_back"] = read_back
            entry["show"] = spark.sql(read_back)._jdf.showString(100, 20, False)
            results.append(entry)
        with open(os.path.join(HERE, "streaming.json"), "w") as f:
            json.dump({"spark": spark.version, "queries": results}, f, indent=1)
            f.write("\n")
    finally:
        spark.stop()
        shutil.rmtree(warehouse, ignore_errors=True)


if __name__ == "__main__":
    main()
