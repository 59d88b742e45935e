//! Proleptic Gregorian calendar arithmetic on plain integers.
//!
//! Why: `java.time` (which Spark 3 uses) works in the proleptic Gregorian calendar over the whole
//! range of a microsecond `i64` (years −290308 … +294247), wider than chrono supports; these
//! helpers cover every value without overflow, for formatting, parsing and date arithmetic.

/// Microseconds per second (`MICROS_PER_SECOND`).
pub const MICROS_PER_SECOND: i64 = 1_000_000;
/// Microseconds per day (`MICROS_PER_DAY`).
pub const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

/// A UTC date-time split into fields.
///
/// ```
/// use streamlab_types::time::civil::{civil_from_micros, Civil};
/// let c = civil_from_micros(1_424_696_631_914_000);
/// assert_eq!((c.year, c.month, c.day, c.hour, c.minute, c.second, c.micro), (2015, 2, 23, 13, 3, 51, 914_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Proleptic year (0 = 1 BC, -1 = 2 BC).
    pub year: i64,
    /// Month, 1–12.
    pub month: u32,
    /// Day of month, 1–31.
    pub day: u32,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
    /// Second, 0–59.
    pub second: u32,
    /// Microsecond of the second, 0–999999.
    pub micro: u32,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
///
/// ```
/// use streamlab_types::time::civil::days_from_civil;
/// assert_eq!(days_from_civil(2015, 2, 23), 16_489);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// ```
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01
/// (valid for |days| up to about 10^15).
///
/// ```
/// use streamlab_types::time::civil::civil_from_days;
/// assert_eq!(civil_from_days(16_489), (2015, 2, 23));
/// ```
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Whether `year` is a leap year (proleptic Gregorian rules).
///
/// ```
/// use streamlab_types::time::civil::is_leap;
/// assert!(is_leap(2000) && is_leap(2016) && !is_leap(1900));
/// ```
pub fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Days in `month` of `year` (0 for an invalid month).
///
/// ```
/// use streamlab_types::time::civil::days_in_month;
/// assert_eq!((days_in_month(2016, 2), days_in_month(2015, 2), days_in_month(2015, 13)), (29, 28, 0));
/// ```
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Splits microseconds since the epoch (UTC) into fields; total over `i64`.
///
/// ```
/// use streamlab_types::time::civil::civil_from_micros;
/// assert_eq!(civil_from_micros(-1).year, 1969);
/// assert_eq!(civil_from_micros(i64::MAX).year, 294_247);
/// ```
pub fn civil_from_micros(micros: i64) -> Civil {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let rest = micros.rem_euclid(MICROS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let secs = rest / MICROS_PER_SECOND;
    Civil {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        minute: (secs / 60 % 60) as u32,
        second: (secs % 60) as u32,
        micro: (rest % MICROS_PER_SECOND) as u32,
    }
}

/// Microseconds since the epoch of valid fields, `None` when out of the `i64` range.
///
/// ```
/// use streamlab_types::time::civil::{civil_from_micros, micros_from_civil};
/// assert_eq!(micros_from_civil(&civil_from_micros(123_456_789)), Some(123_456_789));
/// ```
pub fn micros_from_civil(c: &Civil) -> Option<i64> {
    let days = days_from_civil(c.year, c.month, c.day);
    let secs = i64::from(c.hour) * 3600 + i64::from(c.minute) * 60 + i64::from(c.second);
    let total = i128::from(days) * i128::from(MICROS_PER_DAY)
        + i128::from(secs * MICROS_PER_SECOND)
        + i128::from(c.micro);
    i64::try_from(total).ok()
}

/// Whether the fields name a real date and time of day (no 24:00, no February 30).
///
/// ```
/// use streamlab_types::time::civil::{civil_from_micros, is_valid, Civil};
/// let mut c = civil_from_micros(0);
/// assert!(is_valid(&c));
/// c.day = 32;
/// assert!(!is_valid(&c));
/// ```
pub fn is_valid(c: &Civil) -> bool {
    (1..=12).contains(&c.month)
        && c.day >= 1
        && c.day <= days_in_month(c.year, c.month)
        && c.hour < 24
        && c.minute < 60
        && c.second < 60
        && c.micro < 1_000_000
}

/// Day of week, 1 = Monday … 7 = Sunday (ISO), of a day count since the epoch.
///
/// ```
/// use streamlab_types::time::civil::day_of_week;
/// assert_eq!(day_of_week(0), 4); // 1970-01-01 was a Thursday
/// ```
pub fn day_of_week(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (4).
    ((days + 3).rem_euclid(7) + 1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        for d in [-1_000_000_000i64, -719_468, -1, 0, 1, 59, 365, 11_016, 2_932_896, 1_000_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(16_489), (2015, 2, 23));
        assert_eq!(day_of_week(0), 4);
        assert_eq!(day_of_week(16_489), 1);
    }

    #[test]
    fn extreme_micros_do_not_overflow() {
        let c = civil_from_micros(i64::MAX);
        assert_eq!((c.year, c.month, c.day), (294_247, 1, 10));
        let c = civil_from_micros(i64::MIN);
        assert_eq!((c.year, c.month, c.day, c.hour), (-290_308, 12, 21, 19));
        assert_eq!(micros_from_civil(&civil_from_micros(i64::MIN)), Some(i64::MIN));
        assert_eq!(micros_from_civil(&civil_from_micros(i64::MAX)), Some(i64::MAX));
    }
}
