//! Datetime patterns (`yyyy-MM-dd HH:mm:ss`) as Spark 3.5 applies them through
//! `java.time.format.DateTimeFormatter`, including Spark's extra checks and its
//! `SparkUpgradeException`s (default `spark.sql.legacy.timeParserPolicy=EXCEPTION`).

mod compile;
mod format;
mod legacy;
mod parse;

use crate::error::{ErrorKind, Result, SparkError};

/// The `IllegalArgumentException` or `SparkUpgradeException` Spark raises for a bad pattern.
fn pattern_error(pattern: &str, java_message: String) -> SparkError {
    if compile::legacy_accepts(pattern) {
        SparkError::new(
            ErrorKind::Runtime,
            format!(
                "You may get a different result due to the upgrading to Spark >= 3.0:\nFail to recognize {} pattern in the DateTimeFormatter. 1) You can set \"spark.sql.legacy.timeParserPolicy\" to \"LEGACY\" to restore the behavior before Spark 3.0. 2) You can form a valid datetime pattern with the guide from 'https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html'.",
                sql_quote(pattern)
            ),
        )
        .with_class("INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION")
    } else {
        SparkError::illegal_argument(java_message)
    }
}

/// Spark's `toSQLValue` for a string: single quotes, `\\` and `'` escaped.
fn sql_quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Checks a pattern once, e.g. when planning a query: the error `format_pattern` (`parsing =
/// false`) or `parse_pattern` (`parsing = true`) would return for it.
///
/// Why: Spark rejects some letters only for parsing (`E`, `F`, `q`, `Q`).
///
/// ```
/// use streamlab_types::time::validate_pattern;
/// assert!(validate_pattern("yyyy-MM-dd", true).is_ok());
/// assert_eq!(validate_pattern("I", false).unwrap_err().to_string(), "Unknown pattern letter: I");
/// ```
pub fn validate_pattern(pattern: &str, parsing: bool) -> Result<()> {
    compile::compile(pattern, parsing).map(|_| ()).map_err(|m| pattern_error(pattern, m))
}

/// Formats a timestamp (UTC) with a Java datetime pattern, as `date_format(ts, fmt)` and
/// `from_unixtime(secs, fmt)` (default `yyyy-MM-dd HH:mm:ss`) do.
///
/// Why: students format window bounds and event times with these functions.
///
/// Errors: an invalid pattern gives Spark's `IllegalArgumentException` text (`Unknown pattern
/// letter: I`, `Too many pattern letters: X`, `All week-based patterns are unsupported since Spark
/// 3.0, detected: Y, …`) or, when the pre-3.0 formatter would have accepted it, the
/// `SparkUpgradeException` `[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION] …`
/// (kind [`ErrorKind::Runtime`]).
///
/// ```
/// use streamlab_types::time::format_pattern;
/// let ts = 1_424_696_631_914_123; // 2015-02-23 13:03:51.914123 UTC
/// assert_eq!(format_pattern(ts, "yyyy-MM-dd HH:mm:ss").unwrap(), "2015-02-23 13:03:51");
/// assert_eq!(format_pattern(ts, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX").unwrap(), "2015-02-23T13:03:51.914Z");
/// assert_eq!(format_pattern(ts, "EEEE d MMM, h a").unwrap(), "Monday 23 Feb, 1 PM");
/// assert!(format_pattern(ts, "YYYY").is_err());
/// ```
pub fn format_pattern(micros: i64, pattern: &str) -> Result<String> {
    let items = compile::compile(pattern, false).map_err(|m| pattern_error(pattern, m))?;
    Ok(format::format_items(micros, &items))
}

/// Parses text with a Java datetime pattern into a timestamp (UTC micros), as
/// `to_timestamp(s, fmt)` / `unix_timestamp(s, fmt)` do. Missing fields default to
/// 1970-01-01 00:00:00; a zone in the text (`XXX`, `Z`, `z`, `VV`, `O`) shifts the result.
///
/// Why: event times in student data often need a format (`dd/MM/yyyy HH:mm`).
///
/// Returns `Ok(None)` (Spark's `null`) for text that does not match. Errors: an invalid pattern
/// (as [`format_pattern`]; `E`, `F`, `q`, `Q` are also invalid for parsing), and — as Spark 3.5
/// does by default — text the new parser rejects but Spark's pre-3.0 parser would accept
/// (`"2015-2-3"` with `yyyy-MM-dd`): `SparkUpgradeException`
/// `[INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER] …` (kind
/// [`ErrorKind::Runtime`]).
///
/// ```
/// use streamlab_types::time::parse_pattern;
/// assert_eq!(parse_pattern("23/02/2015 13:03", "dd/MM/yyyy HH:mm").unwrap(), Some(1_424_696_580_000_000));
/// assert_eq!(parse_pattern("2015-02-23T14:03:51+01:00", "yyyy-MM-dd'T'HH:mm:ssXXX").unwrap(), Some(1_424_696_631_000_000));
/// assert_eq!(parse_pattern("2015-02-30", "yyyy-MM-dd").unwrap(), None);
/// assert!(parse_pattern("2015-2-23", "yyyy-MM-dd").is_err()); // SparkUpgradeException
/// ```
pub fn parse_pattern(s: &str, pattern: &str) -> Result<Option<i64>> {
    let items = compile::compile(pattern, true).map_err(|m| pattern_error(pattern, m))?;
    match parse::parse_items(s, &items) {
        Some(v) => Ok(Some(v)),
        None if legacy::legacy_parses(s, pattern) => Err(SparkError::new(
            ErrorKind::Runtime,
            format!(
                "You may get a different result due to the upgrading to Spark >= 3.0:\nFail to parse '{s}' in the new parser. You can set \"spark.sql.legacy.timeParserPolicy\" to \"LEGACY\" to restore the behavior before Spark 3.0, or set to \"CORRECTED\" and treat it as an invalid datetime string."
            ),
        )
        .with_class("INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER")),
        None => Ok(None),
    }
}
