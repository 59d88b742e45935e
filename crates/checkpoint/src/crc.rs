//! Hadoop's `.crc` side files (`ChecksumFileSystem`), which Spark leaves next to every log file.
//!
//! Format: the magic `crc\0`, a big-endian `i32` bytes-per-checksum (512), then one big-endian
//! CRC-32 (the zlib polynomial) per 512-byte chunk of the data. An empty file's checksum file is
//! the 8-byte header alone. Checked against `.crc` files written by Spark 3.5.9 on the local file
//! system (Hadoop 3.3.4).

use streamlab_storage::{file_name, join, parent, Storage};
use streamlab_types::Result;

/// Bytes covered by one CRC in Hadoop's default checksum file (`file.bytes-per-checksum`).
///
/// ```
/// use streamlab_checkpoint::crc::{checksum_file, BYTES_PER_CHECKSUM};
/// // One 4-byte CRC per started chunk, after the 8-byte header.
/// assert_eq!(checksum_file(&vec![0; BYTES_PER_CHECKSUM + 1]).len(), 8 + 2 * 4);
/// ```
pub const BYTES_PER_CHECKSUM: usize = 512;

/// The content of the `.crc` side file Hadoop writes for `data`.
///
/// Spark never reads these back for the logs (a hand-edited log with a stale `.crc` still loads,
/// as observed with 3.5.9), but writing them keeps a StreamLab checkpoint file-for-file identical
/// to Spark's, so students can diff the two trees.
///
/// ```
/// use streamlab_checkpoint::crc::checksum_file;
/// // Spark 3.5.9 wrote this `.0.crc` beside `commits/0` = "v1\n{\"nextBatchWatermarkMs\":0}".
/// let crc = checksum_file(b"v1\n{\"nextBatchWatermarkMs\":0}");
/// assert_eq!(crc, [b'c', b'r', b'c', 0, 0, 0, 2, 0, 0xf3, 0x2a, 0xbf, 0xdd]);
/// assert_eq!(checksum_file(b"").len(), 8);
/// ```
pub fn checksum_file(data: &[u8]) -> Vec<u8> {
    let chunks = data.len().div_ceil(BYTES_PER_CHECKSUM);
    let mut out = Vec::with_capacity(8 + 4 * chunks);
    out.extend_from_slice(b"crc\0");
    out.extend_from_slice(&(BYTES_PER_CHECKSUM as i32).to_be_bytes());
    for chunk in data.chunks(BYTES_PER_CHECKSUM) {
        out.extend_from_slice(&crc32fast::hash(chunk).to_be_bytes());
    }
    out
}

/// Whether `crc` is the Hadoop checksum file of `data`, whatever its bytes-per-checksum.
///
/// Useful to check a tree written by Spark (or by StreamLab) for hand edits; the logs
/// themselves never verify checksums, as Spark does not.
///
/// ```
/// use streamlab_checkpoint::crc::{checksum_file, verify_checksum};
/// assert!(verify_checksum(b"v1", &checksum_file(b"v1")));
/// assert!(!verify_checksum(b"v2", &checksum_file(b"v1")));
/// assert!(!verify_checksum(b"v1", b"garbage"));
/// ```
pub fn verify_checksum(data: &[u8], crc: &[u8]) -> bool {
    if crc.len() < 8 || &crc[..4] != b"crc\0" {
        return false;
    }
    let per = i32::from_be_bytes([crc[4], crc[5], crc[6], crc[7]]);
    if per <= 0 {
        return false;
    }
    let sums = &crc[8..];
    let chunks: Vec<&[u8]> = data.chunks(per as usize).collect();
    if sums.len() != 4 * chunks.len() {
        return false;
    }
    chunks.iter().zip(sums.chunks(4)).all(|(chunk, sum)| crc32fast::hash(chunk).to_be_bytes() == sum)
}

/// The side file's path: `.<name>.crc` in the same directory.
///
/// ```
/// use streamlab_checkpoint::crc::crc_path;
/// assert_eq!(crc_path("/cp/offsets/0"), "/cp/offsets/.0.crc");
/// ```
pub fn crc_path(path: &str) -> String {
    join(parent(path), &format!(".{}.crc", file_name(path)))
}

/// Writes the `.crc` side file of `path`, whose content is `data`, as Hadoop's
/// `ChecksumFileSystem` does for every file it creates (the file sink's part files too).
///
/// ```
/// use streamlab_checkpoint::write_checksum_file;
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = MemoryStorage::new();
/// fs.write("/out/part-00000.json", b"{}").unwrap();
/// write_checksum_file(&fs, "/out/part-00000.json", b"{}").unwrap();
/// assert!(fs.exists("/out/.part-00000.json.crc").unwrap());
/// ```
pub fn write_checksum_file(storage: &dyn Storage, path: &str, data: &[u8]) -> Result<()> {
    storage.write(&crc_path(&storage.absolute(path)), &checksum_file(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_of_512_bytes() {
        let data = vec![7u8; 1025];
        let crc = checksum_file(&data);
        assert_eq!(crc.len(), 8 + 3 * 4);
        assert_eq!(&crc[8..12], &crc32fast::hash(&data[..512]).to_be_bytes());
        assert_eq!(&crc[16..20], &crc32fast::hash(&data[1024..]).to_be_bytes());
        assert!(verify_checksum(&data, &crc));
    }

    #[test]
    fn verify_rejects_bad_headers() {
        let mut crc = checksum_file(b"abc");
        crc[6] = 0;
        assert!(!verify_checksum(b"abc", &crc));
        assert!(!verify_checksum(b"abc", b"crc\0\0\0\x02\0"));
    }
}
