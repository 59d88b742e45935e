"""Writes offset_order.jsonl: Kafka source offsets as Spark 3.5 serializes them.

Spark's JsonUtils.partitionOffsets inserts the sorted topic-partitions into a Scala 2.12
mutable.HashMap[String, mutable.HashMap[Int, Long]] and writes it with json4s
(Serialization.formats(NoTypeHints)). PySpark's JVM has both libraries (the Kafka connector jar
itself is not bundled), so this script runs exactly that code path through py4j.

Run: source scripts/env.sh && $STREAMLAB_PYTHON crates/kafka/tests/golden/generate_offset_order.py
"""

import json
import pathlib

from pyspark.sql import SparkSession

CASES = (
    [{"t": {p: p * 10 + 1 for p in range(n)}} for n in range(1, 41)]
    + [
        {"activity": {0: 16006}},
        {"a": {0: 1}, "b": {0: 2}, "events": {0: 5}, "topic1": {0: 7}},
        {"t1": {0: 3, 1: 4}, "t2": {0: 5, 1: 6, 2: 7}},
        {"topic-a": {p: p for p in range(5)}, "topic-b": {p: 100 + p for p in range(3)}},
        {f"topic{i}": {0: i} for i in range(20)},
        {"logs": {0: -2, 1: -1}},
        {"été": {0: 1}, "t": {0: 2}},
    ]
)


def main():
    spark = SparkSession.builder.master("local[1]").getOrCreate()
    jvm = spark._jvm
    formats = jvm.org.json4s.jackson.Serialization.formats(getattr(getattr(jvm.org.json4s, "NoTypeHints$"), "MODULE$"))
    out = pathlib.Path(__file__).with_name("offset_order.jsonl")
    lines = []
    for case in CASES:
        # Exactly JsonUtils.partitionOffsets: sorted (topic, partition) pairs, inserted in order.
        result = jvm.scala.collection.mutable.HashMap()
        pairs = sorted((t, p, o) for t, parts in case.items() for p, o in parts.items())
        for topic, partition, offset in pairs:
            found = result.get(topic)
            parts = found.get() if found.isDefined() else jvm.scala.collection.mutable.HashMap()
            parts.put(jvm.java.lang.Integer.valueOf(partition), jvm.java.lang.Long.valueOf(offset))
            result.put(topic, parts)
        text = jvm.org.json4s.jackson.Serialization.write(result, formats)
        lines.append(json.dumps({"offsets": [[t, p, o] for t, p, o in pairs], "json": text}, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spark.stop()


if __name__ == "__main__":
    main()
