//! Spark's file formats on Arrow: JSON lines, CSV, text and Parquet readers with Spark's parse modes, and the writers the file sink uses.
