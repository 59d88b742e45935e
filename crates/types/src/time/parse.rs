//! Spark's pattern-free timestamp and date parsers (`SparkDateTimeUtils.stringToTimestamp` /
//! `stringToDate`), the rules behind `CAST(s AS TIMESTAMP)` and `to_timestamp(s)`.

use super::civil::{days_from_civil, is_valid, micros_from_civil, Civil};
use super::zone::zone_offset_seconds;

/// `UTF8String.isWhitespaceOrISOControl` on one byte (non-ASCII bytes are never trimmed).
fn is_trim_byte(b: u8) -> bool {
    b <= b' ' || b == 0x7f
}

/// The trimmed `[start, end)` byte range of `bytes`.
fn trimmed(bytes: &[u8]) -> (usize, usize) {
    let mut start = 0;
    while start < bytes.len() && is_trim_byte(bytes[start]) {
        start += 1;
    }
    let mut end = bytes.len();
    while end > start && is_trim_byte(bytes[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// Parsed segments: year, month, day, hour, minute, second, micros; zone text; time-only flag.
struct Parsed {
    seg: [i64; 9],
    zone: Option<String>,
    just_time: bool,
}

fn valid_digits(segment: usize, digits: u32) -> bool {
    segment == 6
        || (segment == 0 && (4..=6).contains(&digits))
        || (segment == 7 && digits <= 2)
        || (segment != 0 && segment != 6 && segment != 7 && digits > 0 && digits <= 2)
}

/// `parseTimestampString`, step for step.
fn parse_timestamp_string(s: &str) -> Option<Parsed> {
    let bytes = s.as_bytes();
    let (mut j, end) = trimmed(bytes);
    if j == end {
        return None;
    }
    let mut seg = [1i64, 1, 1, 0, 0, 0, 0, 0, 0];
    let mut i = 0usize;
    let mut value: i64 = 0;
    let mut digits: u32 = 0;
    let mut digits_milli = 0u32;
    let mut just_time = false;
    let mut year_sign: Option<i64> = None;
    let mut zone: Option<String> = None;
    if bytes[j] == b'-' || bytes[j] == b'+' {
        year_sign = Some(if bytes[j] == b'-' { -1 } else { 1 });
        j += 1;
    }
    while j < end {
        let b = bytes[j];
        if !b.is_ascii_digit() {
            if j == 0 && b == b'T' {
                just_time = true;
                i += 3;
            } else if i < 2 {
                if b == b'-' {
                    if !valid_digits(i, digits) {
                        return None;
                    }
                    seg[i] = value;
                    value = 0;
                    digits = 0;
                    i += 1;
                } else if i == 0 && b == b':' && year_sign.is_none() {
                    just_time = true;
                    if !valid_digits(3, digits) {
                        return None;
                    }
                    seg[3] = value;
                    value = 0;
                    digits = 0;
                    i = 4;
                } else {
                    return None;
                }
            } else if i == 2 {
                if b == b' ' || b == b'T' {
                    if !valid_digits(i, digits) {
                        return None;
                    }
                    seg[i] = value;
                    value = 0;
                    digits = 0;
                    i += 1;
                } else {
                    return None;
                }
            } else if i == 3 || i == 4 {
                if b == b':' {
                    if !valid_digits(i, digits) {
                        return None;
                    }
                    seg[i] = value;
                    value = 0;
                    digits = 0;
                    i += 1;
                } else {
                    return None;
                }
            } else if i == 5 || i == 6 {
                if !valid_digits(i, digits) {
                    return None;
                }
                seg[i] = value;
                value = 0;
                digits = 0;
                i += 1;
                if !(b == b'.' && i == 6) {
                    zone = Some(String::from_utf8_lossy(bytes.get(j..end)?).into_owned());
                    j = end - 1;
                }
                if i == 6 && b != b'.' {
                    i += 1;
                }
            } else if i < seg.len() && (b == b':' || b == b' ') {
                if !valid_digits(i, digits) {
                    return None;
                }
                seg[i] = value;
                value = 0;
                digits = 0;
                i += 1;
            } else {
                return None;
            }
        } else {
            if i == 6 {
                digits_milli += 1;
            }
            if i != 6 || digits < 6 {
                // Java Int arithmetic wraps; segment digit limits keep this far from overflow
                // except for segments validated away later.
                value = value.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
            }
            digits += 1;
        }
        j += 1;
    }
    if i >= seg.len() || !valid_digits(i, digits) {
        return None;
    }
    seg[i] = value;
    while digits_milli < 6 {
        seg[6] *= 10;
        digits_milli += 1;
    }
    seg[0] *= year_sign.unwrap_or(1);
    Some(Parsed { seg, zone, just_time })
}

/// See [`crate::time::parse_timestamp`].
pub fn string_to_timestamp(s: &str) -> Option<i64> {
    let p = parse_timestamp_string(s)?;
    let offset = match &p.zone {
        Some(z) => zone_offset_seconds(z)?,
        None => 0,
    };
    if p.just_time {
        // Spark takes today's date in the zone; StreamLab has no clock here (wasm, determinism).
        return None;
    }
    let c = civil(&p.seg)?;
    let local = micros_from_civil(&c)?;
    local.checked_sub(i64::from(offset) * 1_000_000)
}

fn civil(seg: &[i64; 9]) -> Option<Civil> {
    let small = |v: i64| u32::try_from(v).ok();
    let c = Civil {
        year: seg[0],
        month: small(seg[1])?,
        day: small(seg[2])?,
        hour: small(seg[3])?,
        minute: small(seg[4])?,
        second: small(seg[5])?,
        micro: small(seg[6])?,
    };
    is_valid(&c).then_some(c)
}

/// See [`crate::time::parse_date`].
pub fn string_to_date(s: &str) -> Option<i32> {
    let bytes = s.as_bytes();
    let (mut j, end) = trimmed(bytes);
    if j == end {
        return None;
    }
    let valid = |segment: usize, digits: u32| {
        (segment == 0 && (4..=7).contains(&digits)) || (segment != 0 && digits > 0 && digits <= 2)
    };
    let mut seg = [1i64, 1, 1];
    let mut sign = 1i64;
    let mut i = 0usize;
    let mut value = 0i64;
    let mut digits = 0u32;
    if bytes[j] == b'-' || bytes[j] == b'+' {
        sign = if bytes[j] == b'-' { -1 } else { 1 };
        j += 1;
    }
    while j < end && i < 3 && !(bytes[j] == b' ' || bytes[j] == b'T') {
        let b = bytes[j];
        if i < 2 && b == b'-' {
            if !valid(i, digits) {
                return None;
            }
            seg[i] = value;
            value = 0;
            digits = 0;
            i += 1;
        } else if b.is_ascii_digit() {
            value = value.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
            digits += 1;
        } else {
            return None;
        }
        j += 1;
    }
    if !valid(i, digits) {
        return None;
    }
    if i < 2 && j < end {
        return None;
    }
    seg[i] = value;
    let year = sign * seg[0];
    let month = u32::try_from(seg[1]).ok()?;
    let day = u32::try_from(seg[2]).ok()?;
    let c = Civil { year, month, day, hour: 0, minute: 0, second: 0, micro: 0 };
    if !is_valid(&c) {
        return None;
    }
    i32::try_from(days_from_civil(year, month, day)).ok()
}
