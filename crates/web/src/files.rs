//! The virtual file system as the file browser sees it: a flat, indented listing of folders
//! and files, and a preview of one file.
//!
//! Students learn what a streaming query leaves on disk (`offsets/`, `commits/`, `sources/`,
//! `_spark_metadata/`, Parquet parts), so the browser shows every file, hidden ones included,
//! and opens logs as text and Parquet files as tables.

use streamlab_notebook::output::TableOutput;
use streamlab_storage::{FileStatus, Storage};
use streamlab_types::Result;

use crate::table::batch_table;

/// Rows of a Parquet file the preview shows.
pub const PREVIEW_ROWS: usize = 100;
/// Characters of a text file the preview shows.
pub const PREVIEW_CHARS: usize = 20_000;

/// One line of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file's absolute path.
    pub path: String,
    /// The last path component.
    pub name: String,
    /// How many folders deep it is under the root listed.
    pub depth: usize,
    /// Whether it is a folder.
    pub is_dir: bool,
    /// Size in bytes (0 for folders).
    pub len: u64,
}

/// Everything under `root`, depth first, folders before the files beside them, each sorted by
/// name. A missing root lists as empty.
///
/// ```
/// use streamlab_storage::{MemoryStorage, Storage};
/// use streamlab_web::files::list_tree;
/// let fs = MemoryStorage::new();
/// fs.write("/out/cp/offsets/0", b"v1").unwrap();
/// fs.write("/out/part-0.parquet", b"PAR1").unwrap();
/// let names: Vec<(usize, String)> = list_tree(&fs, "/").unwrap().into_iter().map(|e| (e.depth, e.name)).collect();
/// assert_eq!(names, [(0, "out".into()), (1, "cp".into()), (2, "offsets".into()), (3, "0".into()), (1, "part-0.parquet".into())]);
/// ```
pub fn list_tree(storage: &dyn Storage, root: &str) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    if storage.status(root)?.is_some_and(|s| s.is_dir) {
        walk(storage, root, 0, &mut entries)?;
    }
    Ok(entries)
}

fn walk(storage: &dyn Storage, dir: &str, depth: usize, out: &mut Vec<Entry>) -> Result<()> {
    let (dirs, files): (Vec<FileStatus>, Vec<FileStatus>) = storage.list(dir)?.into_iter().partition(|s| s.is_dir);
    for status in dirs {
        out.push(entry(&status, depth));
        walk(storage, &status.path, depth + 1, out)?;
    }
    out.extend(files.iter().map(|status| entry(status, depth)));
    Ok(())
}

fn entry(status: &FileStatus, depth: usize) -> Entry {
    Entry { path: status.path.clone(), name: status.name().to_string(), depth, is_dir: status.is_dir, len: status.len }
}

/// What the browser shows for one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Preview {
    /// A text file (checkpoint logs, JSON, CSV), cut at [`PREVIEW_CHARS`] characters.
    Text { text: String, cut: bool },
    /// A Parquet file's first [`PREVIEW_ROWS`] rows.
    Table(TableOutput),
    /// Anything else: only its size.
    Binary { len: usize },
}

/// The preview of file `path`: Parquet files (by their `PAR1` magic) as a table, UTF-8 files as
/// text, others by size. A Parquet file that does not decode is an error, shown as such.
///
/// ```
/// use streamlab_storage::{MemoryStorage, Storage};
/// use streamlab_web::files::{preview, Preview};
/// let fs = MemoryStorage::new();
/// fs.write("/cp/commits/0", b"v1\n{\"nextBatchWatermarkMs\":0}").unwrap();
/// assert_eq!(preview(&fs, "/cp/commits/0").unwrap(), Preview::Text { text: "v1\n{\"nextBatchWatermarkMs\":0}".into(), cut: false });
/// fs.write("/x.bin", &[0xff, 0xfe]).unwrap();
/// assert_eq!(preview(&fs, "/x.bin").unwrap(), Preview::Binary { len: 2 });
/// ```
pub fn preview(storage: &dyn Storage, path: &str) -> Result<Preview> {
    let bytes = storage.read(path)?;
    if bytes.starts_with(b"PAR1") {
        let schema = std::sync::Arc::new(streamlab_io::parquet::infer_parquet(&bytes)?);
        let batch = streamlab_io::parquet::read_parquet(&bytes, &schema)?;
        return Ok(Preview::Table(batch_table(&batch, PREVIEW_ROWS)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let cut = text.chars().count() > PREVIEW_CHARS;
            let text = if cut { text.chars().take(PREVIEW_CHARS).collect() } else { text };
            Ok(Preview::Text { text, cut })
        }
        Err(e) => Ok(Preview::Binary { len: e.as_bytes().len() }),
    }
}

/// Where an uploaded file goes: `folder/name`, with the name stripped of any folders the
/// browser sent (a dropped file's name is just its name, but never trust it).
///
/// ```
/// use streamlab_web::files::upload_path;
/// assert_eq!(upload_path("data/uploads", "../../etc/a.json"), "data/uploads/a.json");
/// assert_eq!(upload_path("data/uploads/", "b.csv"), "data/uploads/b.csv");
/// ```
pub fn upload_path(folder: &str, name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    format!("{}/{}", folder.trim_end_matches('/'), base)
}

/// Whether the page accepts a file of this name as stream input (JSON lines, CSV, Parquet).
///
/// ```
/// use streamlab_web::files::is_uploadable;
/// assert!(is_uploadable("a.JSON") && is_uploadable("b.csv") && is_uploadable("c.parquet"));
/// assert!(!is_uploadable("d.exe"));
/// ```
pub fn is_uploadable(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".json", ".jsonl", ".csv", ".parquet", ".txt"].iter().any(|ext| lower.ends_with(ext))
}
