#!/usr/bin/env python3
"""Golden files for StreamLab's differential tests, produced by real Spark (PySpark 3.5.9).

Runs the lesson's seed pipeline and a few companions with `local[2]`, session time zone UTC, on
a temp copy of the activity data whose i-th file (name order) gets mtime 1700000000 + i seconds,
and writes normalized results under tests/golden/<scenario>/. See tests/golden/README.md for
the scenarios, the files and the normalization.

    python3 tests/golden/generate.py              # every scenario
    python3 tests/golden/generate.py seed_parquet # some of them

Each scenario runs in a fresh Python + JVM process (so stage and task numbers in messages do
not depend on what ran before, and the console sink's stdout can be captured). The script is
deterministic and idempotent: it replaces exactly the directories of the scenarios it runs.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("STREAMLAB_DATA", "/work/shared/data")
DDL = ("Arrival_Time long, Creation_Time long, Device string, Index long, Model string, "
       "User string, gt string, x double, y double, z double")
BASE_MTIME = 1700000000
SCENARIOS = ["seed_parquet", "memory_once", "console", "bad_permissive", "bad_dropmalformed",
             "bad_failfast", "windowed_complete", "windowed_update", "windowed_append",
             "sliding_complete", "dedup"]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# --------------------------------------------------------------------------------------------
# Normalization (documented in README.md)

class Normalizer:
    """Replaces run-specific text by placeholders; see README.md, "Normalization"."""

    def __init__(self, tmp):
        self.paths = [(os.path.join(tmp, "cp"), "<CP>"), (os.path.join(tmp, "out"), "<OUT>"),
                      (os.path.join(tmp, "in"), "<IN>"), (tmp, "<TMP>")]
        self.ids = {}
        hosts = {socket.gethostname(), socket.getfqdn()}
        try:
            hosts.add(socket.gethostbyname(socket.gethostname()))
        except OSError:
            pass
        self.hosts = sorted((h for h in hosts if h and h not in ("localhost",)), key=len, reverse=True)

    def name_id(self, uuid, placeholder):
        self.ids.setdefault(uuid, placeholder)

    def _id(self, m):
        u = m.group(0)
        if u not in self.ids:
            self.ids[u] = "<ID%d>" % (1 + sum(1 for v in self.ids.values() if v.startswith("<ID")))
        return self.ids[u]

    def text(self, s):
        for path, ph in self.paths:
            s = s.replace(path, ph)
        s = re.sub(r"/tmp/temporary-" + UUID.pattern, "<TEMP_CP>", s)
        s = UUID.sub(self._id, s)
        for h in self.hosts:
            s = s.replace(h, "<HOST>")
        s = re.sub(r"ConsoleTable\$@[0-9a-f]+", "ConsoleTable$@<HASH>", s)
        return re.sub(r"\([^()\s]+ executor driver\)", "(<HOST> executor driver)", s)

    def exception(self, s):
        """An exception's text without JVM stack frames (which only Spark's code base has)."""
        s = s.split("\n\nJVM stacktrace:")[0]
        kept = [line for line in s.split("\n")
                if not re.match(r"\tat \S", line) and not re.match(r"\t\.\.\. \d+ more", line)]
        return self.text("\n".join(kept))

    def offsets(self, s):
        return re.sub(r'"batchTimestampMs":\d+', '"batchTimestampMs":<TS>', self.text(s))

    def sink_log(self, s):
        s = re.sub(r'"modificationTime":\d+', '"modificationTime":<TS>', self.text(s))
        return re.sub(r'"size":\d+', '"size":<SIZE>', s)

    def progress(self, s):
        s = self.text(s)
        s = re.sub(r'"timestamp":"[^"]*"', '"timestamp":"<TS>"', s)
        s = re.sub(r'"(inputRowsPerSecond|processedRowsPerSecond)":[-0-9.EeNaInfity]+', r'"\1":<RATE>', s)
        s = re.sub(r'"durationMs":\{[^}]*\}',
                   lambda m: re.sub(r'":\d+', '":<MS>', m.group(0)), s)
        # stateOperators: timings and sizes (the row counts and partition numbers are kept)
        s = re.sub(r'"(memoryUsedBytes|allUpdatesTimeMs|allRemovalsTimeMs|commitTimeMs)":-?\d+',
                   r'"\1":<N>', s)
        return re.sub(r'"customMetrics":\{[^}]*\}',
                      lambda m: re.sub(r'":-?\d+', '":<N>', m.group(0)), s)


# --------------------------------------------------------------------------------------------
# Helpers running inside a scenario process

def spark_session(extra_conf=None):
    from pyspark.sql import SparkSession
    builder = (SparkSession.builder.master("local[2]").appName("streamlab-golden")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false"))
    for key, value in (extra_conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def copy_input(src_dir, tmp):
    """Copies the data files to <tmp>/in, the i-th (name order) with mtime 1700000000 + i s."""
    dest = os.path.join(tmp, "in")
    os.makedirs(dest)
    for i, name in enumerate(sorted(os.listdir(src_dir))):
        shutil.copy(os.path.join(src_dir, name), os.path.join(dest, name))
        os.utime(os.path.join(dest, name), (BASE_MTIME + i, BASE_MTIME + i))
    return dest


def write(out_dir, rel, text):
    path = os.path.join(out_dir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def show_string(df, n=20, truncate=20):
    """DataFrame.show()'s text, exactly as Spark prints it."""
    return df._jdf.showString(n, truncate, False)


def progress_lines(norm, query):
    return "".join(norm.progress(p.json()) + "\n" for p in query._jsq.recentProgress())


def tree(root, rel_roots):
    """Sorted listing of everything under root/<rel_root> (directories end with '/')."""
    out = []
    for rel_root in rel_roots:
        for d, dirs, files in os.walk(os.path.join(root, rel_root)):
            rel_d = os.path.relpath(d, root)
            out.append(rel_d + "/")
            out.extend(os.path.join(rel_d, f) for f in files)
    return out


def rows_jsonl(df):
    return "".join(json.dumps(r.asDict(), ensure_ascii=False) + "\n" for r in df.collect())


def seed_stream(spark, in_dir, max_files=True):
    reader = spark.readStream.schema(DDL)
    if max_files:
        reader = reader.option("maxFilesPerTrigger", 1)
    return reader.json(in_dir).withColumnRenamed("Index", "User_ID").drop("_corrupt_record")


# --------------------------------------------------------------------------------------------
# Scenarios (each runs in its own process; writes into out_dir)

def seed_parquet(spark, tmp, out_dir):
    """(a) The lesson's seed pipeline: one file per trigger, parquet file sink, availableNow."""
    in_dir = copy_input(os.path.join(DATA, "activity"), tmp)
    cp, out = os.path.join(tmp, "cp"), os.path.join(tmp, "out")
    q = (seed_stream(spark, in_dir).writeStream.format("parquet")
         .option("checkpointLocation", cp).trigger(availableNow=True).start(out))
    q.awaitTermination()
    norm = Normalizer(tmp)
    norm.name_id(q.id, "<QUERY_ID>")
    norm.name_id(q.runId, "<RUN_ID>")
    # Part files get <ID1>, <ID2>, … in batch order.
    meta = os.path.join(out, "_spark_metadata")
    batch_files = []
    for name in sorted((n for n in os.listdir(meta) if not n.startswith(".")),
                       key=lambda n: int(n.split(".")[0])):
        for line in read_text(os.path.join(meta, name)).split("\n")[1:]:
            path = json.loads(line)["path"]
            batch_files.append((int(name.split(".")[0]), path))
            for u in UUID.findall(path):
                norm.text(u)
    listing = tree(tmp, ["cp", "out"])
    write(out_dir, "tree.txt", "".join(p + "\n" for p in sorted(norm.text(p) for p in listing)))
    for rel in listing:
        name = os.path.basename(rel)
        if rel.endswith("/") or name.startswith(".") or name.endswith(".parquet"):
            continue
        text = read_text(os.path.join(tmp, rel))
        if rel.startswith("cp/offsets/"):
            text = norm.offsets(text)
        elif rel.startswith("out/_spark_metadata/"):
            text = norm.sink_log(text)
        else:
            text = norm.text(text)
        write(out_dir, os.path.join("files", rel), text)
    parts = []
    for batch, path in batch_files:
        n = spark.read.parquet(path).count()
        parts.append("%d %s %d\n" % (batch, norm.text(path), n))
    write(out_dir, "parts.txt", "".join(parts))
    result = spark.read.parquet(out)
    write(out_dir, "result.txt",
          result.schema.simpleString() + "\n" + "count=%d\n" % result.count()
          + show_string(result.orderBy("User_ID"), 5))
    write(out_dir, "progress.txt", progress_lines(norm, q))


def memory_once(spark, tmp, out_dir):
    """(b) The same query into a memory sink with Trigger.Once, then SQL on the table."""
    in_dir = copy_input(os.path.join(DATA, "activity"), tmp)
    q = (seed_stream(spark, in_dir).writeStream.format("memory").queryName("activity")
         .trigger(once=True).start())
    q.awaitTermination()
    norm = Normalizer(tmp)
    norm.name_id(q.id, "<QUERY_ID>")
    norm.name_id(q.runId, "<RUN_ID>")
    sql = ["select count(*) from activity",
           "select gt, count(*) as n from activity group by gt order by gt",
           "select * from activity order by User_ID limit 5"]
    out = []
    for s in sql:
        out.append("> " + s + "\n" + show_string(spark.sql(s)))
    write(out_dir, "sql.txt", "\n".join(out))
    write(out_dir, "progress.txt", progress_lines(norm, q))


def console(spark, tmp, out_dir):
    """(c) A filter/select query to the console sink, one file per trigger (stdout captured by
    the parent process)."""
    in_dir = copy_input(os.path.join(DATA, "activity"), tmp)
    df = (spark.readStream.schema(DDL).option("maxFilesPerTrigger", 1).json(in_dir)
          .where("x > 0.05").select("Index", "gt", "x", "y", "z"))
    sys.stdout.flush()
    q = df.writeStream.format("console").trigger(availableNow=True).start()
    q.awaitTermination()
    norm = Normalizer(tmp)
    norm.name_id(q.id, "<QUERY_ID>")
    norm.name_id(q.runId, "<RUN_ID>")
    write(out_dir, "progress.txt", progress_lines(norm, q))


def bad_records(mode, with_corrupt_column):
    def run(spark, tmp, out_dir):
        in_dir = copy_input(os.path.join(DATA, "activity-bad"), tmp)
        schema = DDL + (", _corrupt_record string" if with_corrupt_column else "")
        df = spark.readStream.schema(schema).option("mode", mode).json(in_dir)
        q = df.writeStream.format("memory").queryName("bad").trigger(availableNow=True).start()
        norm = Normalizer(tmp)
        norm.name_id(q.id, "<QUERY_ID>")
        norm.name_id(q.runId, "<RUN_ID>")
        try:
            q.awaitTermination()
        except Exception as e:  # FAILFAST: the StreamingQueryException PySpark raises
            write(out_dir, "exception.txt", "%s\n%s\n" % (type(e).__name__, norm.exception(str(e))))
            write(out_dir, "query_exception.txt", norm.exception(str(q.exception())) + "\n")
        table = spark.sql("select * from bad")
        write(out_dir, "rows.jsonl", rows_jsonl(table))
        write(out_dir, "show.txt", "count=%d\n" % table.count() + show_string(table, 100, 0))
        write(out_dir, "progress.txt", progress_lines(norm, q))
    return run


# --------------------------------------------------------------------------------------------
# Stateful scenarios: activity data with an event-time column, foreachBatch sink recording
# every batch's rows (collected once per batch, sorted in Python: a Spark sort would run the
# stateful plan a second time for its range-partition sampling)

def activity_events(spark, tmp):
    in_dir = copy_input(os.path.join(DATA, "activity"), tmp)
    from pyspark.sql.functions import expr
    return (spark.readStream.schema(DDL).option("maxFilesPerTrigger", 1).json(in_dir)
            .withColumn("event_time", expr("CAST(Creation_Time / 1e9 AS TIMESTAMP)")))


def run_batches(spark, tmp, out_dir, df, mode, trigger, project, line):
    """Runs df into foreachBatch with outputMode `mode`; writes batches.txt (per batch id, a
    line `batch <id>` then `line(row)` for every row of `project(batch_df)`, sorted), schema.txt
    and progress.txt."""
    blocks = []

    def record(batch_df, batch_id):
        rows = sorted(line(r) for r in project(batch_df).collect())
        blocks.append("batch %d\n" % batch_id + "".join(r + "\n" for r in rows))

    q = (df.writeStream.outputMode(mode).foreachBatch(record)
         .option("checkpointLocation", os.path.join(tmp, "cp")).trigger(**trigger).start())
    q.awaitTermination()
    norm = Normalizer(tmp)
    norm.name_id(q.id, "<QUERY_ID>")
    norm.name_id(q.runId, "<RUN_ID>")
    write(out_dir, "schema.txt", df.schema.simpleString() + "\n")
    write(out_dir, "batches.txt", "".join(blocks))
    write(out_dir, "progress.txt", progress_lines(norm, q))


TS_FMT = "yyyy-MM-dd HH:mm:ss"


def window_project(extra):
    """window.start/end as `yyyy-MM-dd HH:mm:ss` (session time zone UTC), then `extra` columns."""
    def project(df):
        from pyspark.sql.functions import col, date_format
        return df.select(date_format(col("window.start"), TS_FMT).alias("s"),
                         date_format(col("window.end"), TS_FMT).alias("e"), *extra)
    return project


def windowed_counts(mode, minutes, watermark):
    """groupBy(window(event_time, <minutes>), gt).count(), one file per trigger, availableNow."""
    def run(spark, tmp, out_dir):
        from pyspark.sql.functions import window
        df = activity_events(spark, tmp)
        if watermark:
            df = df.withWatermark("event_time", "1 minute")
        df = df.groupBy(window("event_time", "%d minutes" % minutes), "gt").count()
        run_batches(spark, tmp, out_dir, df, mode, {"availableNow": True},
                    window_project(["gt", "count"]),
                    lambda r: "%s %s %s %d" % (r.s, r.e, r.gt, r["count"]))
    return run


def sliding_complete(spark, tmp, out_dir):
    """Sliding 10 min / 5 min windows with count, avg, max; complete mode, Trigger.Once."""
    from pyspark.sql.functions import avg, count, max as max_, window
    df = (activity_events(spark, tmp)
          .groupBy(window("event_time", "10 minutes", "5 minutes"))
          .agg(count("*").alias("n"), avg("x").alias("avg_x"), max_("Index").alias("max_index")))
    run_batches(spark, tmp, out_dir, df, "complete", {"once": True},
                window_project(["n", "avg_x", "max_index"]),
                lambda r: "%s %s %d %r %d" % (r.s, r.e, r.n, r.avg_x, r.max_index))


def dedup(spark, tmp, out_dir):
    """dropDuplicates(["gt"]) without watermark, append mode, one file per trigger."""
    df = activity_events(spark, tmp).dropDuplicates(["gt"])
    run_batches(spark, tmp, out_dir, df, "append", {"availableNow": True},
                lambda d: d.select("gt", "Index"), lambda r: "%s %d" % (r.gt, r.Index))


RUNNERS = {
    "seed_parquet": seed_parquet,
    "memory_once": memory_once,
    "console": console,
    "bad_permissive": bad_records("PERMISSIVE", True),
    "bad_dropmalformed": bad_records("DROPMALFORMED", False),
    "bad_failfast": bad_records("FAILFAST", False),
    "windowed_complete": windowed_counts("complete", 10, watermark=False),
    "windowed_update": windowed_counts("update", 5, watermark=True),
    "windowed_append": windowed_counts("append", 5, watermark=True),
    "sliding_complete": sliding_complete,
    "dedup": dedup,
}


# The stateful scenarios write 200 state-store delta files per batch (default shuffle
# partitions). Without the native Hadoop library, FileContext's rename forks `readlink` for each
# of them, which doubles the run time (~50 s instead of ~25 s per scenario); the FileSystem-based
# checkpoint file manager writes the same files without those forks. Nothing recorded depends on
# it (no checkpoint listing is kept for these scenarios).
STATEFUL_CONF = {"spark.sql.streaming.checkpointFileManagerClass":
                 "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager"}
STATEFUL = {"windowed_complete", "windowed_update", "windowed_append", "sliding_complete", "dedup"}


def child(name, tmp, out_dir):
    spark = spark_session(STATEFUL_CONF if name in STATEFUL else None)
    try:
        RUNNERS[name](spark, tmp, out_dir)
    finally:
        spark.stop()


# --------------------------------------------------------------------------------------------
# Driver

def split_console(stdout):
    """The console sink's batches: each block starts with a dashed line and 'Batch: N'."""
    blocks = re.split(r"(?m)^(?=-------------------------------------------\nBatch: \d+\n)", stdout)
    return [b for b in blocks if b.startswith("-------")]


def run_scenario(name):
    tmp = tempfile.mkdtemp(prefix="streamlab-golden-")
    staging = tempfile.mkdtemp(prefix="streamlab-golden-out-")
    try:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", name, tmp, staging],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-5000:])
            raise SystemExit("scenario %s failed" % name)
        if name == "console":
            stdout = proc.stdout.decode("utf-8")
            blocks = split_console(stdout)
            write(staging, "stdout.txt", "".join(blocks))
            write(staging, "stdout_first_two_batches.txt", "".join(blocks[:2]))
        dest = os.path.join(HERE, name)
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(staging, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)


def main(argv):
    if len(argv) == 5 and argv[1] == "--child":
        child(argv[2], argv[3], argv[4])
        return
    names = argv[1:] or SCENARIOS
    for n in names:
        if n not in RUNNERS:
            raise SystemExit("unknown scenario %s (known: %s)" % (n, ", ".join(SCENARIOS)))
    for n in names:
        print("generating", n, flush=True)
        run_scenario(n)


if __name__ == "__main__":
    main(sys.argv)
