//! The micro-batch engine: Structured Streaming queries from sources to sinks, as Spark 3.5 runs them. Pure: storage and clock are traits.
