//! Base64 as Jackson's `getBinaryValue` reads it and Spark's JSON writer prints `binary` values.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn sextet(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes standard padded base64, ignoring whitespace; `None` when malformed.
///
/// ```
/// assert_eq!(streamlab_io::base64::decode(b"aGVsbG8="), Some(b"hello".to_vec()));
/// assert_eq!(streamlab_io::base64::decode(b"!!"), None);
/// ```
pub fn decode(input: &[u8]) -> Option<Vec<u8>> {
    let chars: Vec<u8> = input.iter().copied().filter(|c| *c > b' ').collect();
    if !chars.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let n = chars.len() / 4;
    for (i, q) in chars.chunks(4).enumerate() {
        let last = i + 1 == n;
        let pad = q.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut acc: u32 = 0;
        for &c in q.iter().take(4 - pad) {
            acc = (acc << 6) | sextet(c)?;
        }
        acc <<= 6 * pad as u32;
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(bytes.get(..3 - pad)?);
    }
    Some(out)
}

/// Encodes standard padded base64 (Jackson `writeBinary` with `MIME_NO_LINEFEEDS`).
///
/// ```
/// assert_eq!(streamlab_io::base64::encode(b"hello"), "aGVsbG8=");
/// ```
pub fn encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk.first().copied().unwrap_or(0), chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let acc = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((acc >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
