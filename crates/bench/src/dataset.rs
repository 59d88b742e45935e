//! The scaled-up activity set: time-shifted copies of the eight sample files, generated
//! deterministically (never committed).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use streamlab_io::scaled_sample::shift_line;

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
    let mut written = Vec::new();
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
            let mut file = fs::File::create(&path)?;
            file.write_all(body.as_bytes())?;
            file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + n as u64))?;
            written.push(path);
        }
    }
    // On the disk before anything is timed: left to the kernel, the writeback of these 244 MiB
    // would run during the first pipeline runs and be counted as theirs.
    for path in written {
        fs::File::open(path)?.sync_all()?;
    }
    fs::write(marker, b"")?;
    Ok(rows)
}
