//! Timestamps and dates as Spark 3.5 prints and parses them, with the session time zone fixed to
//! UTC.
//!
//! Spark stores a `timestamp` as microseconds since 1970-01-01T00:00:00Z and a `date` as days since
//! 1970-01-01, both in the proleptic Gregorian calendar (`java.time`). Everything here works on
//! those integers over their whole range, so no input can panic.

pub mod civil;
mod parse;
pub mod pattern;
mod zone;

use civil::{civil_from_days, civil_from_micros};

pub use pattern::{format_pattern, parse_pattern, validate_pattern};

/// Appends a year the way `java.time`'s ISO formatter does: 4 digits zero-padded, a `+` sign
/// above 9999, a `-` sign below 0 (`+10000`, `-0001`).
fn push_iso_year(out: &mut String, year: i64) {
    if year > 9999 {
        out.push('+');
        out.push_str(&year.to_string());
    } else if year < 0 {
        out.push('-');
        out.push_str(&format!("{:04}", year.unsigned_abs()));
    } else {
        out.push_str(&format!("{:04}", year));
    }
}

/// The text of a `timestamp` in `show()` and `CAST(ts AS STRING)`:
/// `yyyy-MM-dd HH:mm:ss[.fraction]`, the fraction without trailing zeros (none when zero).
///
/// Why: every timestamp a student sees in console output goes through this.
///
/// ```
/// use streamlab_types::time::format_timestamp;
/// assert_eq!(format_timestamp(1_424_696_631_914_000), "2015-02-23 13:03:51.914");
/// assert_eq!(format_timestamp(0), "1970-01-01 00:00:00");
/// assert_eq!(format_timestamp(-1), "1969-12-31 23:59:59.999999");
/// assert_eq!(format_timestamp(i64::MAX), "+294247-01-10 04:00:54.775807");
/// ```
pub fn format_timestamp(micros: i64) -> String {
    let c = civil_from_micros(micros);
    let mut out = String::with_capacity(26);
    push_iso_year(&mut out, c.year);
    out.push_str(&format!("-{:02}-{:02} {:02}:{:02}:{:02}", c.month, c.day, c.hour, c.minute, c.second));
    if c.micro != 0 {
        let frac = format!("{:06}", c.micro);
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out
}

/// The text of a `date` (days since the epoch) in `show()` and casts: `yyyy-MM-dd`.
///
/// Why: `date` columns (e.g. `to_date(ts)`) print this way.
///
/// ```
/// use streamlab_types::time::format_date;
/// assert_eq!(format_date(16_489), "2015-02-23");
/// assert_eq!(format_date(-719_893), "-0001-01-01");
/// ```
pub fn format_date(days: i32) -> String {
    let (year, month, day) = civil_from_days(i64::from(days));
    let mut out = String::with_capacity(10);
    push_iso_year(&mut out, year);
    out.push_str(&format!("-{:02}-{:02}", month, day));
    out
}

/// ISO-8601 UTC text with exactly three fraction digits, `2026-11-24T05:07:48.948Z`, as in the
/// `timestamp` field of streaming progress JSON (`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`).
///
/// Why: `lastProgress`/`recentProgress` and the checkpoint print wall-clock times this way.
/// Years are year-of-era zero-padded to 4 digits, without sign, as `SimpleDateFormat` prints them
/// (but always in the proleptic Gregorian calendar).
///
/// ```
/// use streamlab_types::time::format_iso8601_millis;
/// assert_eq!(format_iso8601_millis(1_795_496_868_948), "2026-11-24T05:07:48.948Z");
/// assert_eq!(format_iso8601_millis(0), "1970-01-01T00:00:00.000Z");
/// ```
pub fn format_iso8601_millis(ms: i64) -> String {
    let micros = i128::from(ms) * 1000;
    let micros = i64::try_from(micros).unwrap_or(if ms < 0 { i64::MIN } else { i64::MAX });
    let c = civil_from_micros(micros);
    let year = if c.year <= 0 { 1 - c.year } else { c.year };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.micro / 1000
    )
}

/// Spark's `stringToTimestamp` in the UTC session zone: the parser behind
/// `CAST(s AS TIMESTAMP)` and `to_timestamp(s)` without a format. `None` (Spark's `null`) when the
/// text is not a timestamp.
///
/// Accepts `[+-]yyyy[-[m]m[-[d]d]]`, then ` ` or `T`, `[h]h[:[m]m[:[s]s[.ffffff…]]]` (fraction
/// digits beyond 6 are dropped) and an optional zone: `Z`, `±hh:mm` (and `±h:mm`, `±hhmm`, `±hh`),
/// `UTC`/`GMT`/`UT` with or without an offset, `EST`/`MST`/`HST`. Surrounding whitespace and
/// control characters are ignored.
///
/// Deviations: region zone ids (`Europe/Paris`, `PST`) and time-only strings (`12:00:00`, which
/// Spark puts on today's date) give `None`.
///
/// ```
/// use streamlab_types::time::parse_timestamp;
/// assert_eq!(parse_timestamp("2015-02-23T13:03:51.914Z"), Some(1_424_696_631_914_000));
/// assert_eq!(parse_timestamp("2015-02-23 14:03:51.914+01:00"), Some(1_424_696_631_914_000));
/// assert_eq!(parse_timestamp("2015-02-23"), Some(1_424_649_600_000_000));
/// assert_eq!(parse_timestamp("2015-02-30"), None);
/// ```
pub fn parse_timestamp(s: &str) -> Option<i64> {
    parse::string_to_timestamp(s)
}

/// Spark's `stringToDate`: the parser behind `CAST(s AS DATE)` and `to_date(s)` without a format.
/// Returns days since the epoch, `None` when the text is not a date.
///
/// Accepts `[+-]yyyy[-[m]m[-[d]d]]` optionally followed by ` ` or `T` and anything.
///
/// ```
/// use streamlab_types::time::parse_date;
/// assert_eq!(parse_date("2015-02-23"), Some(16_489));
/// assert_eq!(parse_date("2015-02-23T13:03:51 whatever"), Some(16_489));
/// assert_eq!(parse_date("2015-2"), Some(16_467));
/// assert_eq!(parse_date("2015/02/23"), None);
/// ```
pub fn parse_date(s: &str) -> Option<i32> {
    parse::string_to_date(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_extremes() {
        assert_eq!(format_timestamp(-62_135_596_800_000_001), "0000-12-31 23:59:59.999999");
        assert_eq!(format_timestamp(-62_198_755_200_000_000), "-0001-01-01 00:00:00");
        assert_eq!(format_timestamp(253_402_300_800_000_000), "+10000-01-01 00:00:00");
        assert_eq!(format_timestamp(i64::MIN), "-290308-12-21 19:59:05.224192");
        assert_eq!(format_timestamp(100_000), "1970-01-01 00:00:00.1");
        assert_eq!(format_date(i32::MIN), format_date(i32::MIN));
        assert_eq!(format_iso8601_millis(i64::MIN).len(), format_iso8601_millis(i64::MIN).len());
    }

    #[test]
    fn parse_examples() {
        assert_eq!(parse_timestamp(" 2015-2-3 1:2:3 "), Some(1_422_925_323_000_000));
        assert_eq!(parse_timestamp("2015-02-23T"), None);
        assert_eq!(parse_timestamp("2015-02-23 13:03:51.Z"), Some(1_424_696_631_000_000));
        assert_eq!(parse_timestamp("2015-02-23 13:03:51.1234567"), Some(1_424_696_631_123_456));
        assert_eq!(parse_timestamp("12345-01-01"), Some(327_403_382_400_000_000));
        assert_eq!(parse_timestamp("1234567-01-01"), None);
        assert_eq!(parse_timestamp("2015-02-23 24:00:00"), None);
        assert_eq!(parse_timestamp(""), None);
        assert_eq!(parse_date("1234567-01-01").map(format_date).as_deref(), Some("+1234567-01-01"));
        assert_eq!(parse_date("2015-02-23T"), Some(16_489));
    }
}
