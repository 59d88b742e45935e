//! Spark's checkpoint logs, byte for byte: metadata, offsets, commits, file source and file sink logs, with Hadoop .crc side files.
