//! Spark SQL's data types, as the rest of StreamLab sees them on Arrow.
//!
//! * [`error`]: Spark-shaped errors as values.
//! * [`ddl`]: DDL schema strings (`"a long, b string"`) to Arrow schemas, and Spark's type names.
//! * [`interval`]: interval strings (`"10 minutes"`) and time strings (`"7d"`).
//! * [`rng`]: the deterministic generator the property tests share.
//! * [`java`]: Java's text for doubles and floats (`1.0E-4`), which Spark prints everywhere.
//! * [`time`]: timestamps as Spark parses and prints them (session time zone UTC).
//! * [`show`]: `DataFrame.show()` and `printSchema()` text.
//! * [`widen`]: lossless conversions between Arrow encodings of the same values.
//!
//! Spark types map to Arrow as: `bigint`→`Int64`, `int`→`Int32`, `smallint`→`Int16`,
//! `tinyint`→`Int8`, `double`→`Float64`, `float`→`Float32`, `string`→`Utf8`,
//! `boolean`→`Boolean`, `timestamp`→`Timestamp(Microsecond, Some("UTC"))`,
//! `timestamp_ntz`→`Timestamp(Microsecond, None)`, `date`→`Date32`, `binary`→`Binary`,
//! `decimal(p,s)`→`Decimal128(p,s)`, `array<T>`→`List` (item field `element`),
//! `map<K,V>`→`Map`, `struct<…>`→`Struct`. Every field is nullable unless said otherwise.
//! Less common types: `void`→`Null`, `interval`→`Interval(MonthDayNano)`, ANSI
//! `interval year [to month]`→`Interval(YearMonth)`, ANSI `interval day … second`→
//! `Duration(Microsecond)` (printed as `interval day to second` whatever the declared fields).
//! [`ddl::list_of`] and [`ddl::map_of`] build list/map types by these conventions.
//!
//! Behaviour follows Spark 3.5.9 on Java 17 and is checked against golden files generated with
//! real PySpark (`tests/golden/generate.py`). Known deviations are listed where they apply:
//! region time-zone ids and time-only strings in [`time::parse_timestamp`]; Spark's
//! `SparkUpgradeException` is reported as [`ErrorKind::Runtime`] with its
//! `INCONSISTENT_BEHAVIOR_CROSS_VERSION.*` error class ([`time::parse_pattern`]).

#![warn(missing_docs)]

pub mod ddl;
pub mod error;
pub mod interval;
pub mod java;
pub mod rng;
pub mod show;
pub mod time;
pub mod widen;

pub use error::{ErrorKind, Result, SparkError};
pub use interval::CalendarInterval;
