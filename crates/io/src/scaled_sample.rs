//! Time-shifted copies of the activity sample, the benchmarks' scaled-up data set.
//!
//! Why here: the native benchmark (`crates/bench`, on disk) and the page's benchmark
//! (`crates/web`, in memory) must build the same copies to be comparable, and this is the
//! lowest crate both builds use.

/// How far each copy is shifted in event time: the sample spans about 28 minutes, so 30-minute
/// steps keep copies apart, as a longer recording would be.
pub const SHIFT_MS: i64 = 30 * 60 * 1000;

/// Shifts one JSON line of the sample by `copy` steps: `Arrival_Time` (ms) and
/// `Creation_Time` (ns) move forward, `Index` by a million per copy so it stays unique; the rest
/// is kept byte for byte. `None` when the line lacks one of the three fields.
///
/// ```
/// use streamlab_io::scaled_sample::shift_line;
/// let line = r#"{"Arrival_Time":1000,"Creation_Time":5,"Device":"d","Index":7,"gt":"sit"}"#;
/// assert_eq!(shift_line(line, 0).as_deref(), Some(line));
/// assert_eq!(
///     shift_line(line, 1).as_deref(),
///     Some(r#"{"Arrival_Time":1801000,"Creation_Time":1800000000005,"Device":"d","Index":1000007,"gt":"sit"}"#)
/// );
/// assert_eq!(shift_line("{}", 1), None);
/// ```
pub fn shift_line(line: &str, copy: i64) -> Option<String> {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    for (key, delta) in [
        ("\"Arrival_Time\":", copy * SHIFT_MS),
        ("\"Creation_Time\":", copy * SHIFT_MS * 1_000_000),
        ("\"Index\":", copy * 1_000_000),
    ] {
        let at = rest.find(key)? + key.len();
        out.push_str(rest.get(..at)?);
        rest = rest.get(at..)?;
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '-'))?;
        let value: i64 = rest.get(..end)?.parse().ok()?;
        out.push_str(&value.checked_add(delta)?.to_string());
        rest = rest.get(end..)?;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::shift_line;

    #[test]
    fn shifts_times_and_index_only() {
        let line = r#"{"Arrival_Time":1424696633909,"Creation_Time":1424696631914042029,"Device":"nexus4_1","Index":0,"Model":"nexus4","User":"a","gt":"stand","x":0.013748169,"y":-6.256103500000001E-4,"z":-0.023376465}"#;
        assert_eq!(shift_line(line, 0).unwrap(), line);
        let shifted = shift_line(line, 2).unwrap();
        assert_eq!(
            shifted,
            r#"{"Arrival_Time":1424700233909,"Creation_Time":1424700231914042029,"Device":"nexus4_1","Index":2000000,"Model":"nexus4","User":"a","gt":"stand","x":0.013748169,"y":-6.256103500000001E-4,"z":-0.023376465}"#
        );
        assert!(shift_line("{}", 1).is_none());
    }
}
