//! The bundled sample stream: the eight HHAR activity files of `data/activity`, packed into
//! `web/activity.pack` ([`streamlab_io::json_pack`], 40% of their gzipped size), copied
//! beside the page by Trunk (`copy-file`) and fetched and unpacked at start-up, so the lesson
//! runs with no upload.
//!
//! They are not compiled into the WebAssembly: fetched, they cost nothing until the page is
//! interactive and stay out of the engine's download. They are written one after another, in
//! name order, so their modification times (which the file source orders by) follow their
//! names, as on the disk they came from.

use streamlab_storage::Storage;
use streamlab_types::Result;

/// Where the lesson reads the sample (its paths are relative to the virtual root).
pub const SAMPLE_DIR: &str = "data/activity";

/// Where the page serves the packed files from, relative to the page (Trunk's `copy-file`).
pub const SAMPLE_PACK_URL: &str = "activity.pack";

/// Writes sample files (`(name, content)`, in order) into `storage` under [`SAMPLE_DIR`],
/// replacing files of the same names, and returns how many it wrote.
///
/// ```
/// use streamlab_storage::{MemoryStorage, Storage};
/// use streamlab_web::sample::{write_sample, SAMPLE_DIR};
/// let fs = MemoryStorage::new();
/// let files = vec![("a.json".to_string(), b"{}".to_vec()), ("b.json".to_string(), b"{}".to_vec())];
/// assert_eq!(write_sample(&fs, &files).unwrap(), 2);
/// let listing = fs.list(SAMPLE_DIR).unwrap();
/// assert!(listing[0].modification_time_ms < listing[1].modification_time_ms);
/// ```
pub fn write_sample(storage: &dyn Storage, files: &[(String, Vec<u8>)]) -> Result<usize> {
    for (name, bytes) in files {
        storage.write(&format!("{SAMPLE_DIR}/{name}"), bytes)?;
    }
    Ok(files.len())
}

/// Fetches the sample files from the page's server, in order.
pub async fn fetch_sample() -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let packed = crate::download::fetch_bytes(SAMPLE_PACK_URL).await?;
    streamlab_io::json_pack::unpack(&packed).map_err(|e| e.headline())
}
