//! Zone ids inside timestamp strings (`Z`, `+01:00`, `UTC+1`, `EST`), as `java.time.ZoneId.of`
//! with `ZoneId.SHORT_IDS` reads them after Spark's `getZoneId` normalisation.
//!
//! Only fixed offsets are supported: StreamLab carries no time-zone database, so region ids such as
//! `Europe/Paris` or `PST` (a region alias) are rejected (`None`), where Spark would accept them.

/// Offset in seconds east of UTC of a zone id, as Spark's `getZoneId(id.trim)`; `None` if invalid
/// or a region id.
pub fn zone_offset_seconds(id: &str) -> Option<i32> {
    let id = java_trim(id);
    let id = normalise_single_digits(id);
    let id = match id.as_str() {
        "EST" => "-05:00".to_string(),
        "MST" => "-07:00".to_string(),
        "HST" => "-10:00".to_string(),
        _ => id,
    };
    if id.len() <= 1 || id.starts_with('+') || id.starts_with('-') {
        return zone_offset_of(&id);
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(rest) = id.strip_prefix(prefix) {
            if rest.is_empty() {
                return Some(0);
            }
            if rest.starts_with('+') || rest.starts_with('-') {
                return zone_offset_of(rest);
            }
            return None;
        }
    }
    // Region ids that are always UTC.
    match id.as_str() {
        "Etc/UTC" | "Etc/GMT" | "Etc/UCT" | "Etc/Universal" | "Etc/Zulu" | "UCT" | "Universal" | "Zulu"
        | "Etc/GMT0" | "Etc/GMT+0" | "Etc/GMT-0" | "Etc/Greenwich" | "GMT0" | "Greenwich" => Some(0),
        _ => None,
    }
}

/// Java's `String.trim`: strips chars `<= ' '` at both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// Spark's pre-3.0 compatibility rewrites: first `(+|-)(\d):` → `$10$2:`, then
/// `(+|-)(\d\d):(\d)$` → `$1$2:0$3`.
fn normalise_single_digits(id: &str) -> String {
    let b = id.as_bytes();
    let mut out = id.to_string();
    for i in 0..b.len() {
        if (b[i] == b'+' || b[i] == b'-')
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && b.get(i + 2) == Some(&b':')
        {
            out = format!("{}0{}", &id[..=i], &id[i + 1..]);
            break;
        }
    }
    let b = out.as_bytes();
    let n = b.len();
    if n >= 5
        && (b[n - 5] == b'+' || b[n - 5] == b'-')
        && b[n - 4].is_ascii_digit()
        && b[n - 3].is_ascii_digit()
        && b[n - 2] == b':'
        && b[n - 1].is_ascii_digit()
    {
        out = format!("{}0{}", &out[..n - 1], &out[n - 1..]);
    }
    out
}

/// `java.time.ZoneOffset.of`: `Z`, `±h`, `±hh`, `±hhmm`, `±hh:mm`, `±hhmmss`, `±hh:mm:ss`,
/// at most ±18:00.
fn zone_offset_of(id: &str) -> Option<i32> {
    if id == "Z" {
        return Some(0);
    }
    let b = id.as_bytes();
    let sign = match b.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return None,
    };
    let num = |i: usize| -> Option<i32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        if x.is_ascii_digit() && y.is_ascii_digit() {
            Some(i32::from(x - b'0') * 10 + i32::from(y - b'0'))
        } else {
            None
        }
    };
    let colon = |i: usize| b.get(i) == Some(&b':');
    let (h, m, s) = match b.len() {
        2 => {
            let d = *b.get(1)?;
            if !d.is_ascii_digit() {
                return None;
            }
            (i32::from(d - b'0'), 0, 0)
        }
        3 => (num(1)?, 0, 0),
        5 => (num(1)?, num(3)?, 0),
        6 if colon(3) => (num(1)?, num(4)?, 0),
        7 => (num(1)?, num(3)?, num(5)?),
        9 if colon(3) && colon(6) => (num(1)?, num(4)?, num(7)?),
        _ => return None,
    };
    if h > 18 || m > 59 || s > 59 {
        return None;
    }
    let total = h * 3600 + m * 60 + s;
    if total > 18 * 3600 {
        return None;
    }
    Some(sign * total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(zone_offset_seconds("Z"), Some(0));
        assert_eq!(zone_offset_seconds(" UTC"), Some(0));
        assert_eq!(zone_offset_seconds("utc"), None);
        assert_eq!(zone_offset_seconds("+01:00"), Some(3600));
        assert_eq!(zone_offset_seconds("+1:00"), Some(3600));
        assert_eq!(zone_offset_seconds("+01:0"), Some(3600));
        assert_eq!(zone_offset_seconds("+0100"), Some(3600));
        assert_eq!(zone_offset_seconds("+01"), Some(3600));
        assert_eq!(zone_offset_seconds("GMT+1"), Some(3600));
        assert_eq!(zone_offset_seconds("UT+01:30"), Some(5400));
        assert_eq!(zone_offset_seconds("EST"), Some(-18000));
        assert_eq!(zone_offset_seconds("+18:00"), Some(64800));
        assert_eq!(zone_offset_seconds("+19:00"), None);
        assert_eq!(zone_offset_seconds("+01:00:30"), Some(3630));
        assert_eq!(zone_offset_seconds("+013030"), Some(5430));
        assert_eq!(zone_offset_seconds("Z+1"), None);
        assert_eq!(zone_offset_seconds("é+1:"), None);
    }
}
