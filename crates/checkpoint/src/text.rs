//! Reading log text as Spark reads it: UTF-8, lines as `BufferedReader.readLine` splits them,
//! a `v<N>` version line, and errors that name the file.

use streamlab_types::SparkError;

/// `Failed to read log file file:<path>. <reason>`: Spark's wrapper for a log it cannot parse
/// (`HDFSMetadataLog.applyFnToBatchByStream`), used here for every kind of corruption.
pub(crate) fn read_error(path: &str, reason: impl std::fmt::Display) -> SparkError {
    SparkError::illegal_state(format!("Failed to read log file file:{path}. {reason}"))
}

/// Decodes a log file; Spark reads logs as UTF-8 and fails on malformed input.
pub(crate) fn decode<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, SparkError> {
    std::str::from_utf8(bytes).map_err(|e| {
        read_error(path, format!("The file is not valid UTF-8 (bad byte at offset {}).", e.valid_up_to()))
    })
}

/// Splits `text` into lines like Java's `BufferedReader.readLine` (Scala's `getLines`): a line
/// ends at `\n`, `\r\n` or `\r`, and a terminator at the very end adds no empty last line.
pub(crate) fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&text[start..i]);
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push(&text[start..i]);
                i += if bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        out.push(&text[start..]);
    }
    out
}

/// `MetadataVersionUtil.validateVersion`: `v<N>` with `0 < N <= max`, else Spark's message.
pub(crate) fn validate_version(text: &str, max_supported: i32) -> Result<i32, String> {
    let malformed = || format!("Log file was malformed: failed to read correct log version from {text}.");
    let digits = text.strip_prefix('v').ok_or_else(malformed)?;
    let version: i32 = digits.parse().map_err(|_| malformed())?;
    if version <= 0 {
        return Err(malformed());
    }
    if version > max_supported {
        return Err(format!(
            "UnsupportedLogVersion: maximum supported log version is v{max_supported}, but encountered \
             v{version}. The log file was produced by a newer version of Spark and cannot be read by this \
             version. Please upgrade."
        ));
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_follow_read_line() {
        assert_eq!(lines(""), Vec::<&str>::new());
        assert_eq!(lines("v1"), vec!["v1"]);
        assert_eq!(lines("v1\n"), vec!["v1"]);
        assert_eq!(lines("v1\n\n"), vec!["v1", ""]);
        assert_eq!(lines("a\r\nb\rc\n"), vec!["a", "b", "c"]);
    }

    #[test]
    fn versions() {
        assert_eq!(validate_version("v1", 1), Ok(1));
        assert_eq!(validate_version("v+1", 1), Ok(1));
        assert!(validate_version("v2", 1).unwrap_err().starts_with("UnsupportedLogVersion: maximum supported log version is v1, but encountered v2."));
        assert_eq!(
            validate_version("xyz", 1).unwrap_err(),
            "Log file was malformed: failed to read correct log version from xyz."
        );
        for bad in ["", "v", "v0", "v-1", "v1 ", "v99999999999"] {
            assert!(validate_version(bad, 1).unwrap_err().starts_with("Log file was malformed"), "{bad}");
        }
    }

    #[test]
    fn utf8_errors_name_the_file() {
        let e = decode("/cp/offsets/0", b"v1\n\xff").unwrap_err();
        assert!(e.to_string().starts_with("Failed to read log file file:/cp/offsets/0. The file is not valid UTF-8"));
    }
}
