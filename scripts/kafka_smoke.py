"""Checks the Kafka test harness: the broker at $STREAMLAB_KAFKA_BOOTSTRAP takes a topic, a
record and gives it back. Run by scripts/test.sh until real Kafka tests exist. Bounded: gives
up after 60 s."""

import os
import sys
import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

bootstrap = os.environ["STREAMLAB_KAFKA_BOOTSTRAP"]
topic = f"smoke-{uuid.uuid4().hex[:8]}"
deadline = time.monotonic() + 60

admin = AdminClient({"bootstrap.servers": bootstrap})
admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(timeout=30)

producer = Producer({"bootstrap.servers": bootstrap})
producer.produce(topic, key=b"k", value=b"hello streamlab")
if producer.flush(30) != 0:
    sys.exit("kafka smoke: the record was not delivered")

# assign(), not subscribe(): no consumer-group rebalance to wait for.
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": topic, "enable.auto.commit": False})
consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
try:
    while time.monotonic() < deadline:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            sys.exit(f"kafka smoke: {msg.error()}")
        assert (msg.key(), msg.value()) == (b"k", b"hello streamlab"), msg.value()
        print(f"kafka smoke: ok (topic {topic}, offset {msg.offset()}, broker {bootstrap})")
        break
    else:
        sys.exit("kafka smoke: no record came back within 60 s")
finally:
    consumer.close()
