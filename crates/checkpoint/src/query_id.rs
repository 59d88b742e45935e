//! `<checkpoint>/metadata`: the query id that ties a checkpoint to one query (`StreamMetadata`).

use serde::Deserialize;
use streamlab_storage::{join, Storage};
use streamlab_types::{Result, SparkError};

use crate::json::quote;
use crate::store::create_file;

/// The id of the query owning `checkpoint_dir`: read from `<cp>/metadata`, or, on the first
/// start, made by `new_id()` and written there as `{"id":"<uuid>"}` (no version line, no
/// newline, with its `.metadata.crc`).
///
/// Spark keeps `StreamingQuery.id` stable across restarts this way (the run id changes each
/// start). The id generator is a parameter because the engine, not this crate, owns randomness
/// (uuid v4 on native, the browser's crypto on wasm).
///
/// ```
/// use streamlab_checkpoint::load_or_create_query_id;
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = MemoryStorage::new();
/// let id = load_or_create_query_id(&fs, "/cp", || "15e6c1b4-16e0-44ce-8da6-c2b313765547".into()).unwrap();
/// assert_eq!(fs.read("/cp/metadata").unwrap(), br#"{"id":"15e6c1b4-16e0-44ce-8da6-c2b313765547"}"#);
/// // Later starts keep the id.
/// assert_eq!(load_or_create_query_id(&fs, "/cp", || unreachable!()).unwrap(), id);
/// ```
pub fn load_or_create_query_id(
    storage: &dyn Storage,
    checkpoint_dir: &str,
    new_id: impl FnOnce() -> String,
) -> Result<String> {
    let path = join(&storage.absolute(checkpoint_dir), "metadata");
    if let Some(id) = read_query_id(storage, &path)? {
        return Ok(id);
    }
    let id = new_id();
    if create_file(storage, &path, format!("{{\"id\":{}}}", quote(&id)).as_bytes())? {
        return Ok(id);
    }
    // Someone else wrote it between our read and our write: theirs wins, as with Hadoop's rename.
    read_query_id(storage, &path)?.ok_or_else(|| SparkError::io(format!("Error writing stream metadata to file:{path}")))
}

fn read_query_id(storage: &dyn Storage, path: &str) -> Result<Option<String>> {
    match storage.status(path)? {
        None => return Ok(None),
        Some(s) if s.is_dir => {
            return Err(SparkError::io(format!("Error reading stream metadata from file:{path}: it is a directory")))
        }
        Some(_) => {}
    }
    let bytes = storage.read(path)?;
    #[derive(Deserialize)]
    struct Wire {
        id: String,
    }
    let w: Wire = serde_json::from_slice(&bytes)
        .map_err(|e| SparkError::illegal_state(format!("Error reading stream metadata from file:{path}: {e}")))?;
    Ok(Some(w.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamlab_storage::MemoryStorage;

    #[test]
    fn corrupt_metadata_is_an_error() {
        let fs = MemoryStorage::new();
        for bad in [&b""[..], b"{\"id\":", b"{}", b"{\"id\":5}", b"\xff"] {
            fs.write("/cp/metadata", bad).unwrap();
            let e = load_or_create_query_id(&fs, "/cp", || "x".into()).unwrap_err();
            assert!(e.to_string().starts_with("Error reading stream metadata from file:/cp/metadata"), "{e}");
        }
        fs.delete("/cp/metadata").unwrap();
        fs.mkdirs("/cp/metadata").unwrap();
        assert!(load_or_create_query_id(&fs, "/cp", || "x".into()).is_err());
    }

    #[test]
    fn writes_checksum_and_escapes() {
        let fs = MemoryStorage::new();
        assert_eq!(load_or_create_query_id(&fs, "cp", || "a\"b".into()).unwrap(), "a\"b");
        assert_eq!(fs.read("/cp/metadata").unwrap(), br#"{"id":"a\"b"}"#);
        assert!(fs.exists("/cp/.metadata.crc").unwrap());
        assert_eq!(load_or_create_query_id(&fs, "/cp", || "other".into()).unwrap(), "a\"b");
    }
}
