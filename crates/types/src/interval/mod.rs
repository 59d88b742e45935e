//! Interval strings (`"10 minutes"`) and time strings (`"7d"`), parsed exactly as Spark does.
//!
//! `window(col, "10 minutes")`, `withWatermark(col, "10 seconds")` and `trigger(processingTime=…)`
//! take interval strings ([`parse_interval`]); file-source options such as `maxFileAge` take Java
//! time strings ([`parse_time_string_ms`]).

mod calendar;
mod time_string;

pub use calendar::{parse_interval, CalendarInterval};
pub use time_string::parse_time_string_ms;
