"""The Kafka sink and source against Python's confluent-kafka, on the hook's broker
($STREAMLAB_KAFKA_BOOTSTRAP): Python produces three JSON records, `streamlab run` copies them
to another topic with a key, and Python reads them back. Prints `N passed, N failed`."""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

ROOT = pathlib.Path(__file__).resolve().parents[2]
bootstrap = os.environ["STREAMLAB_KAFKA_BOOTSTRAP"]
suffix = uuid.uuid4().hex[:8]
source, target = f"py-in-{suffix}", f"py-out-{suffix}"

admin = AdminClient({"bootstrap.servers": bootstrap})
for name in (source, target):
    admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1)])[name].result(timeout=30)

rows = [{"user": "a", "n": 1}, {"user": "b", "n": 2}, {"user": "c", "n": 3}]
producer = Producer({"bootstrap.servers": bootstrap})
for row in rows:
    producer.produce(source, value=json.dumps(row).encode())
assert producer.flush(30) == 0, "records not delivered"

script = f"""
from pyspark.sql import SparkSession
from pyspark.sql.functions import col, from_json
spark = SparkSession.builder.getOrCreate()
df = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", "{bootstrap}")
      .option("subscribe", "{source}").option("startingOffsets", "earliest").load())
rows = df.select(from_json(col("value").cast("string"), "user string, n int").alias("r")).select("r.*")
q = (rows.selectExpr("user AS key", "CAST(n * 10 AS STRING) AS value")
     .writeStream.format("kafka").option("kafka.bootstrap.servers", "{bootstrap}").option("topic", "{target}")
     .option("checkpointLocation", "cp").trigger(availableNow=True).start())
q.awaitTermination()
print(q.lastProgress["numInputRows"])
"""
binary = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug" / "streamlab"
with tempfile.TemporaryDirectory() as work:
    path = pathlib.Path(work) / "copy.py"
    path.write_text(script)
    run = subprocess.run([str(binary), "run", str(path)], cwd=work, capture_output=True, text=True, timeout=300)

consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": target, "enable.auto.commit": False, "enable.partition.eof": True})
consumer.assign([TopicPartition(target, 0, OFFSET_BEGINNING)])
got, deadline = [], time.monotonic() + 60
while time.monotonic() < deadline:
    msg = consumer.poll(1.0)
    if msg is None:
        continue
    if msg.error():
        if msg.error().code() == KafkaError._PARTITION_EOF:
            break
        continue
    got.append((msg.key().decode(), msg.value().decode(), dict(msg.headers() or [])))
consumer.close()

checks = {
    "streamlab run succeeded": run.returncode == 0 and run.stdout == "3\n",
    "records copied with keys": [(k, v) for k, v, _ in got] == [("a", "10"), ("b", "20"), ("c", "30")],
    "records tagged for exactly-once": all(h.get("streamlab.batchId") == b"0" for _, _, h in got),
}
for name, ok in checks.items():
    print(("ok   " if ok else "FAIL ") + name)
if not checks["streamlab run succeeded"]:
    print(run.stdout, run.stderr, file=sys.stderr)
failed = sum(not ok for ok in checks.values())
print(f"kafka-python: {len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
