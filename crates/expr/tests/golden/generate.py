#!/usr/bin/env python3
"""Generates the golden files the expression tests compare against, by running real PySpark.

    python3 crates/expr/tests/golden/generate.py

Writes, next to this script:
  * expressions.json: a small typed table (scalar columns, given as Spark's CAST(x AS STRING)
    text), and for every case the column name, simpleString type, nullability and the values
    (CAST(result AS STRING), null as None) Spark 3.5 gives, or the error class and message.
  * event_time.json: rows of the lesson's activity data (the repository's data/activity, first
    rows of every file) with the lesson's event-time expressions evaluated by Spark, and an exact
    checksum of the event time over all rows.

Cases are SQL expression strings (selectExpr) or Column-API snippets (`api`, evaluated here with
pyspark.sql.functions as F; the Rust test builds the same expression by id).
Session: local[1], spark.sql.session.timeZone=UTC, ANSI off (the 3.5 default).
"""
import json
import math
import os
import re
import sys

from pyspark.sql import SparkSession, functions as F

HERE = os.path.dirname(os.path.abspath(__file__))
ACTIVITY = os.environ.get("ACTIVITY_DIR", os.path.normpath(os.path.join(HERE, "../../../../data/activity")))

SCHEMA = ("i int, l bigint, sh smallint, d double, f float, s string, b boolean, t timestamp, dt date, "
          "dec decimal(5,2), Creation_Time bigint, js string, n string")

ROWS = [
    ("1", "1099511627776", "3", "1.5", "1.25", "abc", "true", "2015-02-23 13:03:51.914", "2015-02-23", "12.34",
     "1424696631914042029", '{"a":1,"b":"x"}', "12"),
    ("-7", "-3", "-2", "-2.5", "-0.5", "  Hello World  ", "false", "1970-01-01 00:00:00", "1969-12-31", "-0.05",
     "1424698300124660000", "not json", "1.5"),
    (None,) * 13,
    ("2147483647", "9223372036854775807", "32767", "1.0E-4", "NaN", "2015-02-23 13:03:51", "true",
     "2015-02-23 13:03:51.000001", "2000-02-29", "999.99", "1424697002094840000", '{"a":"oops"}', " 7 "),
    ("0", "0", "0", "-0.0", "0.0", "", "false", "1969-12-31 23:59:59.999999", "1970-01-01", "0.00", "0",
     '{"b":null}', "t"),
]

SQL = [
    # columns and literals
    "i", "I", "cReAtion_time", "`s`", "1", "-1", "2147483648", "9223372036854775807L", "1Y", "1S", "1.5", "-1.5",
    "0.001", "1.50", "1e9", "1.5D", "1.5F", "1BD", "'x'", "\"dq\"", "'a' 'b'", "TRUE", "false", "NULL",
    "DATE '2020-01-01'", "TIMESTAMP '2020-01-01 10:11:12.5'", "X'0aff'",
    # arithmetic and coercion
    "i + 1", "i + l", "i + sh", "sh + sh", "i - d", "i * 2", "i / 2", "l / i", "i % 3", "-7 % 3", "d % 2", "i % 0",
    "i / 0", "d / 0", "i div 2", "l div 0", "i + 1.5", "l + 1.5", "1.5 * 2.25", "1 / 3.0", "dec + 1", "dec * dec",
    "dec / 3", "dec % 2", "dec + d", "i * 1.5D", "s + 1", "n + 1", "n * 2", "-i", "-s", "+i", "- 5", "-d", "-dec",
    "2147483647 + 1", "i + NULL", "NULL / 1", "f + d", "f * 2", "1 + 2 * 3", "(1 + 2) * 3", "i & 3", "i | 8",
    "i ^ 3", "~i", "Creation_Time / 1e9", "Creation_Time / 1000000000",
    # comparisons and logic
    "i = 1", "i == 1", "i != 1", "i <> 1", "i < 2", "i <= 1", "i > 0", "i >= 1", "i <=> NULL", "i <=> 1",
    "d = 1.5", "i = 1.5", "s = 'abc'", "s < 'b'", "n = 12", "n > 2", "s = 1", "t > '2015-01-01'",
    "t = '2015-02-23 13:03:51.914'", "dt = '2015-02-23'", "dt < t", "b = 1", "b = 0", "b = 2", "d = d", "f = f",
    "d > 0", "NOT b", "!b", "b AND i > 0", "b OR NULL", "b AND NULL", "NOT NULL", "i IS NULL", "i IS NOT NULL",
    "s IS NULL", "i IN (1, 2)", "i IN (1, NULL)", "i NOT IN (1, 2)", "i IN ('1', 2)", "s IN ('abc', 'x')",
    "i BETWEEN 0 AND 3", "i NOT BETWEEN 0 AND 3", "s LIKE 'a%'", "s LIKE '_bc'", "s NOT LIKE '%b%'",
    "s LIKE '%World%'", "s ILIKE '%hello%'", "s RLIKE '^a'", "s RLIKE 'W.*d'", "b IS TRUE", "b IS NOT FALSE",
    "i IS DISTINCT FROM 1",
    # casts
    "CAST(i AS BIGINT)", "cast(i as string)", "CAST(i + 1 AS STRING)", "cast(cast(i as int) as long)",
    "cast(d as int)", "cast(d as bigint)", "cast(d as timestamp)", "cast(f as timestamp)", "cast(l as timestamp)",
    "cast(i as timestamp)", "cast(t as bigint)", "cast(t as int)", "cast(t as double)", "cast(t as date)",
    "cast(t as string)", "cast(dt as timestamp)", "cast(dt as string)", "cast(s as int)", "cast(n as int)",
    "cast(n as bigint)", "cast(n as double)", "cast(n as boolean)", "cast(n as decimal(5,2))",
    "cast(s as timestamp)", "cast(s as date)", "cast(d as string)", "cast(f as string)", "cast(dec as string)",
    "cast(dec as int)", "cast(dec as double)", "cast(d as decimal(5,2))", "cast(i as decimal(3,1))",
    "cast(b as int)", "cast(b as string)", "cast(i as boolean)", "cast(d as boolean)", "cast(1e20 as int)",
    "cast(1e20 as bigint)", "cast(-1e20 as smallint)", "cast(l as int)", "cast(l as smallint)",
    "cast(d as float)", "cast(0.0000001 as string)", "cast(1e7 as string)", "cast(1e-4 as string)",
    "cast(123456789.123 as string)", "cast(b as timestamp)", "cast(i as date)", "cast(b as date)",
    "CAST(Creation_Time / 1e9 AS TIMESTAMP)", "cast(Creation_Time / 1000000000 as timestamp)",
    "cast(cast(Creation_Time / 1e9 as timestamp) as long)", "cast(array(i, 2) as string)",
    "cast(struct(i, s) as string)", "cast(map('k', i) as string)",
    # conditionals
    "CASE WHEN i > 0 THEN 'p' ELSE 'n' END", "CASE WHEN i > 0 THEN 'p' END", "CASE i WHEN 1 THEN 'one' ELSE 'other' END",
    "CASE WHEN b THEN 1 ELSE 'x' END", "CASE WHEN b THEN 1 ELSE 2.5 END", "CASE WHEN b THEN i ELSE l END",
    "coalesce(NULL, i)", "coalesce(i, 0)", "coalesce(i, s)", "coalesce(s, 'none')", "nvl(i, 2)", "ifnull(d, 0)",
    "if(b, 1, 2)", "nullif(i, 1)", "greatest(i, l)", "greatest(i, d, 0)", "least(i, d)", "least(NULL, 1)",
    "greatest(1, 2.5)", "greatest(s, 'b')",
    # math
    "abs(i)", "abs(d)", "abs(s)", "abs(dec)", "abs(-2147483648)", "round(d)", "round(d, 1)", "round(2.5D)",
    "round(-2.5D)", "round(i, -1)", "round(15, -1)", "round(dec, 1)", "round(dec)", "round(1.005, 2)",
    "bround(2.5D)", "bround(dec, 1)", "floor(d)", "ceil(d)", "ceiling(d)", "floor(dec)", "ceil(dec)", "floor(i)",
    "floor(1e20)", "floor(n)", "sqrt(d)", "sqrt(i)", "sqrt(s)", "pow(d, 2)", "power(i, 2)", "exp(i)", "ln(i)",
    "log(i)", "log(2, 8)", "log10(100)", "log2(8)", "signum(d)", "pmod(-7, 3)", "pmod(i, 3)", "pmod(d, 2)",
    "cbrt(27)", "degrees(1)", "sin(0)", "atan2(1, 1)", "isnan(d)", "isnan(f)", "nanvl(f, 0)", "e()", "pi()",
    # strings
    "upper(s)", "lower(s)", "upper(i)", "ucase(s)", "initcap(s)", "reverse(s)", "length(s)", "length(d)",
    "char_length(s)", "length(NULL)", "concat(s, '-', i)", "concat(i, b)", "concat(s, NULL)", "s || '!'",
    "concat_ws('-', s, s)", "concat_ws(',', 'a', NULL, 'b')", "concat_ws(',', s, n)", "concat_ws(NULL, 'a')",
    "substring(s, 1, 2)", "substring(s, 2)", "substr(s, 2)", "substring(s, -3)", "substring(s, 0, 2)",
    "substring(s, 3, -1)", "substring(s, -10, 3)", "left(s, 2)", "right(s, 2)", "trim(s)", "ltrim(s)", "rtrim(s)",
    "trim('x', 'xaxx')", "lpad(s, 6, '*')", "rpad(s, 6, '*')", "lpad(s, 2)", "repeat(s, 2)", "instr(s, 'b')",
    "instr(s, 'o')", "locate('o', s)", "locate('o', s, 8)", "replace(s, 'l', 'L')", "replace(s, 'b')",
    "translate(s, 'lo', 'xy')", "substring_index('a.b.c', '.', 2)", "substring_index('a.b.c', '.', -1)",
    "startswith(s, 'a')", "endswith(s, 'c')", "contains(s, 'World')", "ascii(s)", "split(s, 'b')",
    "split('a,b,,', ',')", "split('a1b2', '[0-9]', 2)", "split('abc', '')", "split(s, ' ')",
    "regexp_replace(s, 'l+', 'L')", "regexp_replace(s, '([a-z])', '<$1>')", "regexp_extract(s, '(W\\\\w+)', 1)",
    "regexp_extract(s, 'x(y)', 1)", "regexp_extract(s, '([a-z])([a-z])', 2)",
    # datetime
    "to_timestamp(s)", "to_timestamp('2020-01-01 10:00:00')", "to_timestamp(l)", "to_timestamp(d)",
    "to_timestamp(s, 'yyyy-MM-dd HH:mm:ss')", "to_timestamp('23/02/2015 13:03', 'dd/MM/yyyy HH:mm')",
    "to_timestamp(t)", "to_date(s)", "to_date(t)", "to_date('2015-02-23')", "to_date('23/02/2015', 'dd/MM/yyyy')",
    "from_unixtime(i)", "from_unixtime(l)", "from_unixtime(1424696631, 'yyyy/MM/dd HH:mm')", "unix_timestamp(t)",
    "unix_timestamp(s)", "unix_timestamp('2015-02-23', 'yyyy-MM-dd')", "unix_timestamp(dt)",
    "timestamp_seconds(i)", "timestamp_seconds(d)", "timestamp_seconds(Creation_Time / 1e9)",
    "timestamp_millis(i)", "timestamp_micros(l)", "unix_seconds(t)", "unix_millis(t)", "unix_micros(t)",
    "date_format(t, 'yyyy-MM-dd HH:mm:ss.SSS')", "date_format(t, 'HH:mm')", "date_format(dt, 'yyyy/MM/dd EEE')",
    "date_format(s, 'yyyy')", "year(t)", "year(dt)", "year(s)", "month(t)", "dayofmonth(t)", "day(dt)",
    "dayofweek(t)", "dayofyear(t)", "weekofyear(t)", "quarter(t)", "hour(t)", "minute(t)", "second(t)",
    "hour(s)", "hour(dt)", "date_add(t, 1)", "date_sub(dt, 1)", "dt + 1", "dt - 1", "datediff(t, '2015-01-01')",
    "add_months(dt, 1)", "last_day(dt)", "date_trunc('hour', t)", "date_trunc('MINUTE', t)",
    "date_trunc('month', t)", "trunc(dt, 'MM')", "trunc(dt, 'year')", "make_date(2020, 2, 30)", "date(t)",
    "timestamp(s)",
    # complex values and json
    "struct(i, s)", "struct(i, s AS z)", "struct(i + 1, s)", "named_struct('a', i, 'b', s)", "array(i, 2)",
    "array(i, d)", "array(s, i)", "map('k', i)", "array(i, 2)[0]", "array(i, 2)[5]", "map('k', i)['k']",
    "map('k', i)['z']", "struct(i, s).i", "struct(i, s)['s']", "size(array(i, 2))", "size(split(s, 'b'))",
    "array_contains(array(i, 2), 1)", "element_at(array(i, 2), -1)", "element_at(map('k', i), 'k')",
    "split(s, 'b')[0]", "from_json(js, 'a INT, b STRING')", "from_json(js, 'a INT, b STRING').a",
    "from_json(js, 'struct<a:int,b:string>')", "from_json(js, 'a STRING')", "from_json(js, 'a INT, _corrupt_record STRING')",
    "typeof(i)", "typeof(dec)", "to_json(struct(i, s, d, t, dt, dec, b))", "to_json(struct(*))",
    "to_json(from_json(js, 'a INT, b STRING'))", "to_json(named_struct('x', array(i, 2), 'm', map('k', s)))",
    # more coercion and edge cases
    "i + dec", "dec * 1.5", "dec / 0", "dec div 2", "dec * 1e30BD", "cast(999.99 as decimal(5,2)) * 100000000000000000000000000000000BD",
    "round(dec, -1)", "abs(sh)", "concat(s, dt)", "concat(t)", "i IN (1.5, 2)", "s BETWEEN 'a' AND 'c'",
    "struct(i, s).i + 1", "l * l", "sh + sh", "-l", "l + 1", "i * i", "f / 3", "d * 3", "0.1 + 0.2", "0.1D + 0.2D",
    "cast('2015-02-23T13:03:51Z' as timestamp)", "cast(' 2015-02-23 ' as date)", "cast('1e3' as int)",
    "cast('0x10' as int)", "cast(' 1.5e2 ' as double)", "cast('Infinity' as double)", "cast('-inf' as float)",
    "cast('1.999' as decimal(3,2))", "cast(n as tinyint)", "cast(s as boolean)", "date_format(t, 'EEEE')",
    "from_json('{\"a\":[1,2],\"b\":{\"c\":true}}', 'a ARRAY<INT>, b STRUCT<c: BOOLEAN>')",
    "from_json(js, 'b STRING, a DOUBLE')", "i > '0'", "d > '1'", "s > 0", "i = true", "b = 'true'",
    "coalesce(b, 1)", "if(i > 0, 'pos', NULL)", "nvl(NULL, NULL)", "concat_ws('-', split(s, 'b'))",
    "substring(s, i)", "length(concat(s, s))", "upper(concat(s, i))", "cast(cast(t as string) as timestamp) = t",
    "to_timestamp(cast(t as string))", "year(to_date(s))", "hour(to_timestamp(s))",
    # errors
    "nope", "Nope + 1", "nope(i)", "i + b", "b + b", "b AND 1", "1 AND 1", "NOT i", "-b", "year(i)", "upper()",
    "substring(s)", "greatest(i, s)", "CASE WHEN i THEN 1 END", "CASE WHEN b THEN 1 ELSE b END", "i > t",
    "cast(b as date)", "s.x", "i div d", "i +", "(i", "SELECT 1", "a b c", "'abc", "cast(i as lng)", "128Y",
    "1e400", "i = = 1", "CASE WHEN i THEN 1", "from_json(js, 'a lng')", "struct(i, s).c",
]

API = {
    "api_col_cast": lambda: F.col("i").cast("long"),
    "api_expr_cast": lambda: F.expr("i").cast("string"),
    "api_arith_cast": lambda: (F.col("i") + 1).cast("string"),
    "api_cast_cast": lambda: F.col("i").cast("int").cast("long"),
    "api_alias_cast": lambda: F.col("i").alias("x").cast("long"),
    "api_event_time": lambda: (F.col("Creation_Time") / 1e9).cast("timestamp"),
    "api_lit_int": lambda: F.lit(1),
    "api_lit_double": lambda: F.lit(1.5),
    "api_lit_str": lambda: F.lit("a"),
    "api_lit_none": lambda: F.lit(None),
    "api_lit_bool": lambda: F.lit(True),
    "api_lit_big": lambda: F.lit(2 ** 40),
    "api_plus": lambda: F.col("i") + 1,
    "api_rplus": lambda: 1 + F.col("i"),
    "api_div": lambda: F.col("i") / 2,
    "api_mod": lambda: F.col("i") % 2,
    "api_neg": lambda: -F.col("i"),
    "api_not": lambda: ~F.col("b"),
    "api_and": lambda: F.col("b") & (F.col("i") > 0),
    "api_or": lambda: F.col("b") | F.col("i").isNull(),
    "api_eq": lambda: F.col("i") == 1,
    "api_ne": lambda: F.col("i") != 1,
    "api_eq_null_safe": lambda: F.col("i").eqNullSafe(1),
    "api_isnull": lambda: F.col("i").isNull(),
    "api_isnotnull": lambda: F.col("i").isNotNull(),
    "api_isin": lambda: F.col("i").isin(1, 2),
    "api_between": lambda: F.col("i").between(0, 3),
    "api_like": lambda: F.col("s").like("a%"),
    "api_when": lambda: F.when(F.col("i") > 0, "p"),
    "api_when_otherwise": lambda: F.when(F.col("i") > 0, "p").when(F.col("i") < 0, "n").otherwise("z"),
    "api_coalesce": lambda: F.coalesce(F.col("i"), F.lit(0)),
    "api_to_timestamp": lambda: F.to_timestamp("s"),
    "api_to_timestamp_fmt": lambda: F.to_timestamp("s", "yyyy-MM-dd HH:mm:ss"),
    "api_to_date": lambda: F.to_date("t"),
    "api_from_unixtime": lambda: F.from_unixtime("i"),
    "api_unix_timestamp": lambda: F.unix_timestamp("t"),
    "api_timestamp_seconds": lambda: F.timestamp_seconds("i"),
    "api_date_format": lambda: F.date_format("t", "yyyy-MM-dd"),
    "api_year": lambda: F.year("t"),
    "api_hour": lambda: F.hour("t"),
    "api_from_json": lambda: F.from_json("js", "a INT, b STRING"),
    "api_from_json_field": lambda: F.from_json("js", "a INT, b STRING").getField("a"),
    "api_upper": lambda: F.upper("s"),
    "api_concat": lambda: F.concat("s", F.lit("-")),
    "api_concat_ws": lambda: F.concat_ws("-", "s", "s"),
    "api_substring": lambda: F.substring("s", 1, 2),
    "api_substr": lambda: F.col("s").substr(1, 2),
    "api_trim": lambda: F.trim("s"),
    "api_split": lambda: F.split("s", "b"),
    "api_length": lambda: F.length("s"),
    "api_abs": lambda: F.abs("i"),
    "api_round": lambda: F.round("d"),
    "api_round1": lambda: F.round("d", 1),
    "api_floor": lambda: F.floor("d"),
    "api_ceil": lambda: F.ceil("d"),
    "api_sqrt": lambda: F.sqrt("d"),
    "api_pow": lambda: F.pow("d", 2),
    "api_greatest": lambda: F.greatest("i", "l"),
    "api_least": lambda: F.least("i", "d"),
    "api_alias": lambda: F.col("i").alias("x"),
    "api_getfield": lambda: F.struct("i", "s").getField("i"),
    "api_getitem": lambda: F.split("s", "b").getItem(0),
    "api_struct": lambda: F.struct("i", "s"),
    "api_rlike": lambda: F.col("s").rlike("a.*"),
    "api_startswith": lambda: F.col("s").startswith("a"),
    "api_contains": lambda: F.col("s").contains("b"),
    "api_astype": lambda: F.col("i").astype("string"),
    "api_missing": lambda: F.col("nope"),
    "api_missing_nested": lambda: F.col("nopee.x"),
}


def error_record(e):
    text = str(e)
    cls = type(e).__name__
    if cls == "Py4JJavaError":
        lines = [l for l in text.splitlines() if "Exception" in l]
        text = lines[-1] if lines else text
        text = re.sub(r"^.*?Exception: ", "", text)
        cls = "SparkException"
    text = text.strip()
    # ParseException: keep the message through the "(line L, pos P)" marker.
    m = re.match(r"^\[([A-Z_.]+)\] (.*)$", text.splitlines()[0]) if text else None
    if not m:
        return {"exception": cls, "class": None, "message": text.splitlines()[0] if text else ""}
    message = m.group(2)
    # AnalysisException from SQL text: drop "; line 1 pos 0" and the plan that follow.
    message = re.sub(r";( line \d+ pos \d+)?;?$", "", message)
    return {"exception": cls, "class": m.group(1), "message": message}


def evaluate(df, make):
    try:
        out = make()
        field = out.schema.fields[0]
        values = [r[0] for r in out.toDF("c").select(F.col("c").cast("string")).collect()]
        return {"name": field.name, "type": field.dataType.simpleString(), "nullable": field.nullable,
                "values": values}
    except Exception as e:  # noqa: BLE001 - every failure is recorded as an expected error
        return {"error": error_record(e)}


def main():
    spark = (SparkSession.builder.master("local[1]")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("OFF")
    text_schema = ", ".join(f"{c.split()[0]} string" for c in SCHEMA.split(", "))
    raw = spark.createDataFrame(ROWS, text_schema)
    df = raw.selectExpr(*[f"CAST({c.split()[0]} AS {c.split()[1]}) AS {c.split()[0]}" for c in SCHEMA.split(", ")])
    df.cache()
    input_rows = [list(r) for r in df.select(*[F.col(c).cast("string") for c in df.columns]).collect()]

    cases = []
    for sql in SQL:
        rec = {"id": sql, "sql": sql}
        rec.update(evaluate(df, lambda: df.selectExpr(sql)))
        cases.append(rec)
    for key, make in API.items():
        rec = {"id": key, "api": key}
        rec.update(evaluate(df, lambda: df.select(make())))
        cases.append(rec)
    with open(os.path.join(HERE, "expressions.json"), "w") as fh:
        json.dump({"spark": spark.version, "schema": SCHEMA, "rows": input_rows, "cases": cases}, fh, indent=1,
                  ensure_ascii=False)
        fh.write("\n")

    # The lesson's event time on real activity rows: the first 40 rows of every file.
    files = sorted(f for f in os.listdir(ACTIVITY) if f.endswith(".json")) if os.path.isdir(ACTIVITY) else []
    if files:
        ddl = ("Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, "
               "gt string, x double, y double, z double")
        rows = []
        for name in files:
            part = spark.read.schema(ddl).json(os.path.join(ACTIVITY, name)).limit(40)
            rows.extend(part.collect())
        act = spark.createDataFrame(rows, ddl)
        exprs = ["CAST(Creation_Time / 1e9 AS TIMESTAMP)", "cast(Creation_Time/1000000000 as timestamp)",
                 "Creation_Time / 1e9", "timestamp_seconds(Creation_Time / 1e9)",
                 "cast(Arrival_Time / 1000 as timestamp)", "to_timestamp(from_unixtime(Arrival_Time / 1000))",
                 "date_format(CAST(Creation_Time / 1e9 AS TIMESTAMP), 'yyyy-MM-dd HH:mm:ss.SSS')",
                 "cast(cast(Creation_Time / 1e9 as timestamp) as long)", "Index AS User_ID", "upper(gt)",
                 "x * 1000", "round(sqrt(x * x + y * y + z * z), 4)", "gt = 'stand'"]
        out = {"spark": spark.version, "schema": ddl,
               "rows": [[None if v is None else str(v) if not isinstance(v, float) else repr(v) for v in r]
                        for r in act.select(*[F.col(c).cast("string") for c in act.columns]).collect()],
               "cases": []}
        for sql in exprs:
            rec = {"id": sql, "sql": sql}
            rec.update(evaluate(act, lambda: act.selectExpr(sql)))
            out["cases"].append(rec)
        # All rows of all files: an exact checksum of the event time, to compare without storing it.
        full = spark.read.schema(ddl).json(ACTIVITY).selectExpr("CAST(Creation_Time / 1e9 AS TIMESTAMP) AS t")
        agg = full.selectExpr("count(t) AS n", "sum(unix_micros(t)) AS total", "cast(min(t) as string) AS lo",
                              "cast(max(t) as string) AS hi").collect()[0]
        out["all_rows"] = {"expression": "CAST(Creation_Time / 1e9 AS TIMESTAMP)", "count": agg["n"],
                           "sum_unix_micros": str(agg["total"]), "min": agg["lo"], "max": agg["hi"]}
        with open(os.path.join(HERE, "event_time.json"), "w") as fh:
            json.dump(out, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
