//! `add.path` is a URI reference relative to the table root (RFC 2396): characters outside the
//! URI path alphabet are percent-encoded on write and decoded on read.

/// Percent-encodes what a URI path may not hold as is (Hadoop's `Path.toUri`).
///
/// ```
/// use streamlab_engine::delta::paths::{decode, encode};
/// assert_eq!(encode("g=a b/part-0.parquet"), "g=a%20b/part-0.parquet");
/// assert_eq!(encode("k=x%2Fy"), "k=x%252Fy");
/// assert_eq!(decode("k=x%252Fy"), "k=x%2Fy");
/// ```
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        let plain = c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(c);
        if plain {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid escapes are kept as written).
pub fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
