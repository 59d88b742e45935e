#!/usr/bin/env python3
"""Generates aggregates.json: what real PySpark 3.5 gives for time windows and aggregate functions.

    python3 crates/expr/tests/golden/generate_aggregates.py

Sections (compared exactly by tests/aggregates.rs):
  * windows: event times (µs since the epoch) and window(...) arguments -> every window
    [start_us, end_us) Spark assigns to each row, in Spark's output order.
  * window_errors: window(...) arguments -> error class and message.
  * lesson: the rows of event_time.json (the lesson's activity data), event time
    CAST(Creation_Time / 1e9 AS TIMESTAMP), groupBy(window(et, '10 minutes'), gt).count().
  * aggregates: a small typed table with nulls, grouped by k and globally; per case the column
    name, type, nullability and the values (CAST(result AS STRING)) per group (sorted by k).
  * aggregate_errors: error class and message for misuse.
  * approx: approx_count_distinct over larger inputs (Spark's exact HLL++ estimates).
Session: local[1], spark.sql.session.timeZone=UTC, ANSI off.
"""
import json
import os
import re

from pyspark.sql import SparkSession, functions as F

HERE = os.path.dirname(os.path.abspath(__file__))

WINDOW_CASES = [
    ["10 minutes"], ["10 minutes", "5 minutes"], ["10 minutes", "10 minutes", "2 minutes"],
    ["10 minutes", "5 minutes", "-2 minutes"], ["10 minutes", "3 minutes"], ["10 minutes", "4 minutes", "1 minute"],
    ["1 week"], ["1 day 2 hours", "1 hour"], ["10 seconds"], ["1 second", "300 milliseconds", "-100 milliseconds"],
    ["interval 1 hour"], ["1 microsecond"], ["3 microseconds", "2 microseconds", "1 microsecond"],
]
MIN = 60_000_000
DAY0 = 1704067200_000_000  # 2024-01-01 00:00:00
TIMES = [DAY0 + 12 * 60 * MIN + 5 * MIN, DAY0 + 12 * 60 * MIN + 10 * MIN - 1, DAY0 + 12 * 60 * MIN + 10 * MIN,
         -1_000_000, -1, 0, 1, -600_000_000, 1424696631914042, 1703721600_000_000, None, 123456789012345,
         -123456789012345]

WINDOW_ERRORS = [
    ["10 minuts"], ["10"], ["1 month"], ["1 year"], ["5 minutes", "10 minutes"], ["0 minutes"], ["-10 minutes"],
    ["10 minutes", "0 seconds"], ["10 minutes", "-5 minutes"], ["10 minutes", "5 minutes", "5 minutes"],
    ["10 minutes", "5 minutes", "-6 minutes"], ["1 week 1 month"], ["10 minutes", "1 month"],
    ["10 minutes", "3 minutes", "abc"],
]

AGG_SCHEMA = "k string, i int, l bigint, d double, s string, t timestamp, dec decimal(5,2), b boolean, sh smallint, f float"
AGG_ROWS = [
    ("a", "1", "10", "1.5", "x", "2024-01-01 00:00:00", "1.25", "true", "3", "0.5"),
    ("a", None, "9223372036854775807", "NaN", "y", None, "-2.50", None, None, None),
    ("a", "3", "1", "-0.0", None, "2023-12-31 23:59:59.999999", None, "false", "-3", "NaN"),
    ("b", None, None, None, None, None, None, None, None, None),
    ("c", "-7", "-3", "2.25", "abc", "1970-01-01 00:00:00", "999.99", "true", "32767", "-1.5"),
    ("c", "-7", "5", "0.0", "Abc", "1969-12-31 23:59:59", "999.99", "false", "32767", "2.5"),
    ("c", "2147483647", "-9223372036854775808", "1e308", "", "2015-02-23 13:03:51.914", "0.01", "true", "1", "1.0"),
    ("c", "2147483647", "-1", "1e308", "abc", "2015-02-23 13:03:51.914", "-0.01", "true", "2", "1.0"),
]
# SQL aggregate expressions (parsed by parse_expression on the Rust side) ...
AGG_SQL = [
    "count(*)", "count(1)", "count(i)", "count(s)", "count(i, l)", "sum(i)", "sum(l)", "sum(d)", "sum(s)", "sum(dec)",
    "sum(sh)", "sum(f)", "avg(i)", "avg(l)", "avg(d)", "avg(dec)", "avg(t)", "avg(s)", "mean(i)", "min(i)", "max(i)",
    "min(d)", "max(d)", "min(s)", "max(s)", "min(t)", "max(t)", "min(dec)", "max(dec)", "min(b)", "max(b)", "min(f)",
    "max(f)", "first(i)", "last(i)", "first(i, true)", "last(i, true)", "first(s)", "last(t, true)",
    "approx_count_distinct(i)", "approx_count_distinct(s)", "approx_count_distinct(d)", "approx_count_distinct(t)",
    "approx_count_distinct(dec)", "approx_count_distinct(b)", "sum(i) AS total", "count(*) AS n", "sum(i + 1)",
    "max(l - 1)", "approx_count_distinct(l, 0.1)", "sum(NULL)",
]
# ... and Column-API cases, built by id on the Rust side
AGG_API = {
    "api_count_star": lambda: F.count("*"),
    "api_count_distinct": lambda: F.countDistinct("i"),
    "api_count_distinct2": lambda: F.countDistinct("i", "s"),
    "api_first_ignorenulls": lambda: F.first("i", True),
    "api_mean": lambda: F.mean("d"),
    "api_alias": lambda: F.max("s").alias("m"),
}
AGG_ERRORS = {
    "with_column_sum": lambda a: a.withColumn("x", F.sum("i")),
    "select_sum_and_column": lambda a: a.select(F.sum("i"), F.col("l")),
    "sum_boolean": lambda a: a.groupBy("k").agg(F.sum("b")),
    "avg_boolean": lambda a: a.groupBy("k").agg(F.avg("b")),
    "nested": lambda a: a.groupBy("k").agg(F.sum(F.max("i"))),
}
APPROX_N = [1, 10, 100, 300, 400, 500, 1000, 2000, 2600, 5000, 20000]


def error_record(e):
    text = str(e).strip()
    first = text.splitlines()[0] if text else ""
    m = re.match(r"^\[([A-Z_.]+)\] (.*)$", first)
    cls = type(e).__name__
    if not m:
        return {"exception": cls, "class": None, "message": re.sub(r";$", "", first)}
    return {"exception": cls, "class": m.group(1), "message": re.sub(r";$", "", m.group(2))}


def main():
    spark = (SparkSession.builder.master("local[1]").config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "1").config("spark.ui.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    out = {"spark": spark.version}

    # windows
    tdf = spark.createDataFrame([(i, t) for i, t in enumerate(TIMES)], "row int, us long") \
        .withColumn("t", F.expr("timestamp_micros(us)"))
    windows = []
    for args in WINDOW_CASES:
        w = tdf.select("row", F.window("t", *args).alias("w")) \
            .select("row", F.expr("unix_micros(w.start)").alias("s"), F.expr("unix_micros(w.end)").alias("e"))
        rows = [[r["row"], r["s"], r["e"]] for r in w.collect()]
        windows.append({"args": args, "windows": rows})
    out["window_times"] = TIMES
    out["windows"] = windows

    errs = []
    for args in WINDOW_ERRORS:
        try:
            tdf.select(F.window("t", *args)).schema
            errs.append({"args": args, "error": None})
        except Exception as e:  # noqa: BLE001
            errs.append({"args": args, "error": error_record(e)})
    for col in ["us", "row"]:
        try:
            tdf.select(F.window(col, "10 minutes")).schema
        except Exception as e:  # noqa: BLE001
            errs.append({"column": col, "args": ["10 minutes"], "error": error_record(e)})
    out["window_errors"] = errs
    f = tdf.select(F.window("t", "10 minutes")).schema.fields[0]
    out["window_field"] = {"name": f.name, "type": f.dataType.simpleString(), "nullable": f.nullable,
                           "metadata": f.metadata}

    # lesson: 10-minute windows per gt over the rows embedded in event_time.json
    ev = json.load(open(os.path.join(HERE, "event_time.json")))
    rows = ev["rows"]
    adf = spark.createDataFrame([tuple(r) for r in rows], ", ".join(
        f"c{i} string" for i in range(len(rows[0]))))
    adf = adf.select(F.col("c1").cast("long").alias("Creation_Time"), F.col("c6").alias("gt"))
    lesson = adf.withColumn("event_time", F.expr("CAST(Creation_Time / 1e9 AS TIMESTAMP)")) \
        .groupBy(F.window("event_time", "10 minutes"), "gt").count() \
        .select(F.expr("unix_micros(window.start)").alias("s"), F.expr("unix_micros(window.end)").alias("e"), "gt",
                "count").orderBy("s", "gt")
    out["lesson"] = [[r["s"], r["e"], r["gt"], r["count"]] for r in lesson.collect()]
    sliding = adf.withColumn("event_time", F.expr("CAST(Creation_Time / 1e9 AS TIMESTAMP)")) \
        .groupBy(F.window("event_time", "10 minutes", "5 minutes"), "gt").agg(F.count("*"), F.approx_count_distinct("Creation_Time")) \
        .select(F.expr("unix_micros(window.start)").alias("s"), "gt", "count(1)", "approx_count_distinct(Creation_Time)").orderBy("s", "gt")
    out["lesson_sliding"] = [[r[0], r[1], r[2], r[3]] for r in sliding.collect()]

    # aggregates
    a = spark.createDataFrame(AGG_ROWS, ", ".join(f"c{i} string" for i in range(10)))
    types = [x.strip().split(" ", 1) for x in re.split(r",(?![^(]*\))", AGG_SCHEMA)]
    a = a.select(*[F.col(f"c{i}").cast(t).alias(n) for i, (n, t) in enumerate(types)])
    cases = []

    def record(case_id, make):
        rec = {"id": case_id}
        try:
            g = a.groupBy("k").agg(make()).orderBy("k")
            fld = g.schema.fields[1]
            rec.update({"name": fld.name, "type": fld.dataType.simpleString(), "nullable": fld.nullable})
            rec["grouped"] = [r[1] for r in g.select("k", F.col(f"`{fld.name}`").cast("string")).collect()]
            gl = a.agg(make())
            rec["global"] = gl.select(F.col(f"`{fld.name}`").cast("string")).collect()[0][0]
        except Exception as e:  # noqa: BLE001
            rec["error"] = error_record(e)
        cases.append(rec)

    for sql in AGG_SQL:
        record(sql, lambda sql=sql: F.expr(sql))
    for cid, mk in AGG_API.items():
        record(cid, mk)
    out["agg_schema"] = AGG_SCHEMA
    out["agg_rows"] = AGG_ROWS
    out["aggregates"] = cases
    out["group_by_count_name"] = a.groupBy("k").count().columns[1]

    aerrs = []
    for cid, mk in AGG_ERRORS.items():
        try:
            mk(a).schema
            aerrs.append({"id": cid, "error": None})
        except Exception as e:  # noqa: BLE001
            aerrs.append({"id": cid, "error": error_record(e)})
    out["aggregate_errors"] = aerrs

    approx = []
    for n in APPROX_N:
        r = spark.range(n).select(
            F.approx_count_distinct("id").alias("l"),
            F.approx_count_distinct(F.col("id").cast("string")).alias("s"),
            F.approx_count_distinct((F.col("id") * 0.5).cast("double")).alias("d"),
            F.approx_count_distinct(F.col("id").cast("int"), 0.01).alias("i01")).collect()[0]
        approx.append({"n": n, "long": r["l"], "string": r["s"], "double": r["d"], "int_rsd_0.01": r["i01"]})
    out["approx"] = approx

    with open(os.path.join(HERE, "aggregates.json"), "w") as fh:
        json.dump(out, fh, indent=1, ensure_ascii=False)
    print("wrote aggregates.json:", len(windows), "window cases,", len(cases), "aggregate cases")


if __name__ == "__main__":
    main()
