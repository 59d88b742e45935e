//! The scaled-up activity set: time-shifted copies of the eight sample files, generated
//! deterministically (never committed).

use std::fs;
use std::path::{Path, PathBuf};

/// How far each copy is shifted: the sample spans about 28 minutes, so 30-minute steps keep
/// copies apart in event time, as a longer recording would be.
const SHIFT_MS: i64 = 30 * 60 * 1000;

/// Shifts one JSON line of the sample by `copy` steps: `Arrival_Time` (ms) and `Creation_Time`
/// (ns) move forward, `Index` moves by a million per copy so it stays unique. The rest of the
/// line is kept byte for byte.
fn shift_line(line: &str, copy: i64) -> Option<String> {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    for (key, delta) in [
        ("\"Arrival_Time\":", copy * SHIFT_MS),
        ("\"Creation_Time\":", copy * SHIFT_MS * 1_000_000),
        ("\"Index\":", copy * 1_000_000),
    ] {
        let at = rest.find(key)? + key.len();
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '-'))?;
        let value: i64 = rest[..end].parse().ok()?;
        out.push_str(&(value + delta).to_string());
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

/// Writes `copies` × 8 files into `dir` (once; an existing complete set is reused) and returns
/// the number of rows. File `k·8+i` is copy `k` of sample file `i`, with ascending mtimes.
pub fn generate(sample: &Path, dir: &Path, copies: i64) -> std::io::Result<usize> {
    let marker = dir.join("_COMPLETE");
    let mut rows = 0;
    let inputs: Vec<PathBuf> = (0..8).map(|i| sample.join(format!("part-{i:05}.json"))).collect();
    let texts: Vec<String> = inputs.iter().map(fs::read_to_string).collect::<Result<_, _>>()?;
    let per_copy: usize = texts.iter().map(|t| t.lines().filter(|l| !l.is_empty()).count()).sum();
    if marker.exists() {
        return Ok(per_copy * copies as usize);
    }
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir)?;
    for copy in 0..copies {
        for (i, text) in texts.iter().enumerate() {
            let mut body = String::with_capacity(text.len() + 4096);
            for line in text.lines().filter(|l| !l.is_empty()) {
                let shifted = shift_line(line, copy)
                    .ok_or_else(|| std::io::Error::other(format!("unexpected sample line: {line}")))?;
                body.push_str(&shifted);
                body.push('\n');
                rows += 1;
            }
            let n = copy * 8 + i as i64;
            let path = dir.join(format!("part-{n:05}.json"));
            fs::write(&path, body)?;
            let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + n as u64);
            fs::File::options().write(true).open(&path)?.set_modified(mtime)?;
        }
    }
    fs::write(marker, b"")?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

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
