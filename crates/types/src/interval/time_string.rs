//! Java time strings (`JavaUtils.timeStringAsMs`).

use crate::error::{ErrorKind, Result, SparkError};

const TIME_ERROR: &str = "Time must be specified as seconds (s), milliseconds (ms), microseconds (us), minutes (m or min), hour (h), or day (d). E.g. 50s, 100ms, or 250us.";

/// Parses a Java time string to milliseconds exactly as `JavaUtils.timeStringAsMs`: an optional
/// `-`, digits, and an optional suffix `us`, `ms`, `s`, `m`/`min`, `h`, `d` (no suffix = ms);
/// case-insensitive, surrounding spaces ignored, microseconds truncated, overflow saturated.
///
/// Why: options such as the file source's `maxFileAge` ("7d") are time strings, not intervals.
///
/// Errors are `NumberFormatException`s with Java's two-line text.
///
/// ```
/// use streamlab_types::interval::parse_time_string_ms;
/// assert_eq!(parse_time_string_ms("7d").unwrap(), 604_800_000);
/// assert_eq!(parse_time_string_ms("2min").unwrap(), 120_000);
/// assert_eq!(parse_time_string_ms("100").unwrap(), 100);
/// assert!(parse_time_string_ms("1.5h").unwrap_err().to_string().ends_with("Failed to parse time string: 1.5h"));
/// ```
pub fn parse_time_string_ms(s: &str) -> Result<i64> {
    let fail = |detail: String| SparkError::new(ErrorKind::NumberFormat, format!("{TIME_ERROR}\n{detail}"));
    let lower = s.to_lowercase();
    let lower = lower.trim_matches(|c: char| c <= ' ');
    let b = lower.as_bytes();
    let digits_start = usize::from(b.first() == Some(&b'-'));
    let digits_end = digits_start + b[digits_start..].iter().take_while(|c| c.is_ascii_digit()).count();
    let suffix = &lower[digits_end..];
    if digits_end == digits_start || !suffix.bytes().all(|c| c.is_ascii_lowercase()) {
        return Err(fail(format!("Failed to parse time string: {s}")));
    }
    let number = &lower[..digits_end];
    let value: i64 = number.parse().map_err(|_| fail(format!("For input string: \"{number}\"")))?;
    let micros_per_unit: i128 = match suffix {
        "" | "ms" => 1000,
        "us" => 1,
        "s" => 1_000_000,
        "m" | "min" => 60_000_000,
        "h" => 3_600_000_000,
        "d" => 86_400_000_000,
        other => return Err(fail(format!("Invalid suffix: \"{other}\""))),
    };
    // TimeUnit.convert: truncates toward zero and saturates at the long range.
    let ms = i128::from(value) * micros_per_unit / 1000;
    Ok(ms.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_rules() {
        assert_eq!(parse_time_string_ms("5us").ok(), Some(0));
        assert_eq!(parse_time_string_ms("-1s").ok(), Some(-1000));
        assert_eq!(parse_time_string_ms("5000000000000000000d").ok(), Some(i64::MAX));
        assert!(parse_time_string_ms(" 5 s").is_err());
        assert_eq!(
            parse_time_string_ms("3ns").unwrap_err().message,
            format!("{TIME_ERROR}\nInvalid suffix: \"ns\"")
        );
    }
}
