#!/usr/bin/env python3
"""Which columns Spark 3.5 (parquet-mr) writes with a dictionary, for one real activity file.

Run from the repository root:  python3 crates/io/tests/golden/parquet_dictionaries.py
Writes parquet_dictionaries.txt next to this script: one `column dictionary|plain` line per
column of `data/activity/part-00000.json` read with the seed pipeline's schema and written as
Parquet by Spark. parquet-mr tries a dictionary for every column and falls back to PLAIN when
the first page is no smaller with it; StreamLab's writer makes the same choice up front.
"""
import glob
import os
import tempfile

import pyarrow.parquet as pq
from pyspark.sql import SparkSession

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..'))
SCHEMA = ('Arrival_Time long, Creation_Time long, Device string, Index long, Model string, '
          'User string, gt string, x double, y double, z double')

spark = (SparkSession.builder.master('local[1]')
         .config('spark.ui.enabled', 'false')
         .getOrCreate())
spark.sparkContext.setLogLevel('OFF')
out = tempfile.mkdtemp(prefix='streamlab-parquet-dict-')
(spark.read.schema(SCHEMA).json(os.path.join(ROOT, 'data', 'activity', 'part-00000.json'))
 .coalesce(1).write.mode('overwrite').parquet(out))
part = glob.glob(os.path.join(out, 'part-*.parquet'))[0]
group = pq.ParquetFile(part).metadata.row_group(0)
lines = []
for i in range(group.num_columns):
    column = group.column(i)
    lines.append(f"{column.path_in_schema} {'dictionary' if column.has_dictionary_page else 'plain'}")
with open(os.path.join(HERE, 'parquet_dictionaries.txt'), 'w') as f:
    f.write('\n'.join(lines) + '\n')
spark.stop()
