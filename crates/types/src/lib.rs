//! Spark SQL's data types, as the rest of StreamLab sees them on Arrow.
//!
//! * [`error`]: Spark-shaped errors as values.
//! * [`ddl`]: DDL schema strings (`"a long, b string"`) to Arrow schemas, and Spark's type names.
//! * [`interval`]: interval strings (`"10 minutes"`) and time strings (`"7d"`).
//! * [`java`]: Java's text for doubles and floats (`1.0E-4`), which Spark prints everywhere.
//! * [`time`]: timestamps as Spark parses and prints them (session time zone UTC).
//! * [`show`]: `DataFrame.show()` and `printSchema()` text.
//!
//! Spark types map to Arrow as: `bigint`→`Int64`, `int`→`Int32`, `smallint`→`Int16`,
//! `tinyint`→`Int8`, `double`→`Float64`, `float`→`Float32`, `string`→`Utf8`,
//! `boolean`→`Boolean`, `timestamp`→`Timestamp(Microsecond, Some("UTC"))`,
//! `timestamp_ntz`→`Timestamp(Microsecond, None)`, `date`→`Date32`, `binary`→`Binary`,
//! `decimal(p,s)`→`Decimal128(p,s)`, `array<T>`→`List` (item field `element`),
//! `map<K,V>`→`Map`, `struct<…>`→`Struct`. Every field is nullable unless said otherwise.

pub mod error;

pub use error::{ErrorKind, Result, SparkError};
