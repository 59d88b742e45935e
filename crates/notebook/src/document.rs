//! The notebook document: an ordered list of cells with ids that survive edits, plus the
//! notebook's metadata.
//!
//! The browser page adds, deletes, edits and reorders cells while queries started by earlier
//! cells keep writing to them, so a cell is addressed by its [`CellId`], never by its position.
//! Ids are unique within a notebook and never reused by it; the file readers keep the ids they
//! find (Jupyter's nbformat 4.5 `id`) and give fresh ones to cells without a usable id.

use serde_json::{Map, Value};

use crate::output::CellOutput;

/// What a cell holds, which decides how it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellKind {
    /// PySpark-subset Python.
    Code,
    /// Markdown, rendered to sanitized HTML ([`crate::markdown::render_markdown`]).
    Markdown,
    /// A `%sql` cell: one SQL statement run with `spark.sql`. The source excludes the magic line.
    Sql,
}

/// Splits a code cell's leading magic off its source: `%md` / `%md-sandbox` make a markdown
/// cell, `%sql` / `%%sql` a SQL cell, with the text after the magic as the cell's source.
/// Anything else (including other magics such as `%fs`) stays a code cell, unchanged.
///
/// Both Jupyter (`%%sql`, Databricks' exported `.ipynb`) and Databricks source files (`# MAGIC
/// %md`) mark markdown and SQL cells this way, so the readers and the page's editor share it.
///
/// ```
/// use streamlab_notebook::document::{split_magic, CellKind};
/// assert_eq!(split_magic("%sql\nSELECT 1"), (CellKind::Sql, "SELECT 1".to_string()));
/// assert_eq!(split_magic("%md Liste flux actifs"), (CellKind::Markdown, "Liste flux actifs".to_string()));
/// assert_eq!(split_magic("%fs ls"), (CellKind::Code, "%fs ls".to_string()));
/// assert_eq!(split_magic("x = 1"), (CellKind::Code, "x = 1".to_string()));
/// ```
pub fn split_magic(source: &str) -> (CellKind, String) {
    let (first, rest) = match source.split_once('\n') {
        Some((first, rest)) => (first, Some(rest)),
        None => (source, None),
    };
    let first_trimmed = first.trim_end();
    let magics = [
        ("%md-sandbox", CellKind::Markdown),
        ("%md", CellKind::Markdown),
        ("%%sql", CellKind::Sql),
        ("%sql", CellKind::Sql),
    ];
    for (magic, kind) in magics {
        let Some(after) = first_trimmed.strip_prefix(magic) else { continue };
        let inline = if after.is_empty() {
            None
        } else if let Some(text) = after.strip_prefix([' ', '\t']) {
            Some(text.trim_start())
        } else {
            // `%mdx` or `%sqlite` is another magic, not this one.
            continue;
        };
        let body = match (inline, rest) {
            (Some(text), Some(rest)) => format!("{text}\n{rest}"),
            (Some(text), None) => text.to_string(),
            (None, Some(rest)) => rest.to_string(),
            (None, None) => String::new(),
        };
        return (kind, body);
    }
    (CellKind::Code, source.to_string())
}

/// A cell's identity, stable across edits, moves and saves.
///
/// Ids follow nbformat 4.5's rule (1 to 64 characters from `a-zA-Z0-9-_`) so they can be saved
/// in `.ipynb` files as they are.
///
/// ```
/// use streamlab_notebook::document::CellId;
/// assert!(CellId::parse("cell-3").is_some());
/// assert!(CellId::parse("no spaces").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellId(String);

impl CellId {
    /// The id if `text` is a valid nbformat cell id, else `None`.
    pub fn parse(text: &str) -> Option<CellId> {
        let valid = (1..=64).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        valid.then(|| CellId(text.to_string()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CellId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One cell: its kind, source and the outputs of its last run.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    id: CellId,
    /// How the cell runs.
    pub kind: CellKind,
    /// The text the user wrote (for SQL cells, without the `%sql` line).
    pub source: String,
    /// What the last run produced, in order.
    pub outputs: Vec<CellOutput>,
    /// Jupyter's `In [n]` counter of the last run, if the cell ran.
    pub execution_count: Option<u32>,
    /// Databricks' cell title (`# DBTITLE 1,...`), shown above the cell.
    pub title: Option<String>,
}

impl Cell {
    /// The cell's id.
    pub fn id(&self) -> &CellId {
        &self.id
    }
}

/// Notebook-level metadata: what the page shows about the notebook, plus whatever else the file
/// carried, kept so saving does not lose it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NotebookMetadata {
    /// The notebook's title (nbformat's `metadata.title`; a Databricks file's name).
    pub title: Option<String>,
    /// The human language of the text, as a language tag (`fr`, `en`).
    pub language: Option<String>,
    /// Other `.ipynb` metadata (`kernelspec`, `language_info`, tool-specific keys), as read.
    pub extra: Map<String, Value>,
}

/// A notebook: metadata and cells in display order.
///
/// ```
/// use streamlab_notebook::document::{CellKind, Notebook, NotebookMetadata};
/// let mut nb = Notebook::new(NotebookMetadata::default());
/// let intro = nb.push_cell(CellKind::Markdown, "# Streaming");
/// let code = nb.push_cell(CellKind::Code, "spark.streams.active");
/// nb.move_cell(&code, 0);
/// assert_eq!(nb.position(&intro), Some(1));
/// nb.remove_cell(&code);
/// let again = nb.push_cell(CellKind::Code, "");
/// assert_ne!(again, code); // ids are never reused
/// ```
#[derive(Debug, Clone, Default)]
pub struct Notebook {
    /// Title, language and the file's other metadata.
    pub metadata: NotebookMetadata,
    cells: Vec<Cell>,
    next_id: u64,
}

/// Two notebooks are equal when their metadata and cells are: the id counter is bookkeeping.
impl PartialEq for Notebook {
    fn eq(&self, other: &Self) -> bool {
        self.metadata == other.metadata && self.cells == other.cells
    }
}

impl Notebook {
    /// An empty notebook.
    pub fn new(metadata: NotebookMetadata) -> Self {
        Notebook { metadata, cells: Vec::new(), next_id: 1 }
    }

    /// The cells in display order.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The cell with `id`.
    pub fn cell(&self, id: &CellId) -> Option<&Cell> {
        self.cells.iter().find(|c| &c.id == id)
    }

    /// The cell with `id`, to edit its source, kind or outputs.
    pub fn cell_mut(&mut self, id: &CellId) -> Option<&mut Cell> {
        self.cells.iter_mut().find(|c| &c.id == id)
    }

    /// Where the cell with `id` is shown (0-based).
    pub fn position(&self, id: &CellId) -> Option<usize> {
        self.cells.iter().position(|c| &c.id == id)
    }

    /// Appends a cell and returns its new id.
    pub fn push_cell(&mut self, kind: CellKind, source: impl Into<String>) -> CellId {
        self.insert_cell(self.cells.len(), kind, source)
    }

    /// Inserts a cell before position `index` (at the end if `index` is past it) and returns its
    /// new id.
    pub fn insert_cell(&mut self, index: usize, kind: CellKind, source: impl Into<String>) -> CellId {
        let id = self.fresh_id();
        let cell = Cell { id: id.clone(), kind, source: source.into(), outputs: Vec::new(), execution_count: None, title: None };
        self.cells.insert(index.min(self.cells.len()), cell);
        id
    }

    /// Removes the cell with `id` and returns it.
    pub fn remove_cell(&mut self, id: &CellId) -> Option<Cell> {
        let index = self.position(id)?;
        Some(self.cells.remove(index))
    }

    /// Moves the cell with `id` to position `index` (the end if past it); false if no such cell.
    pub fn move_cell(&mut self, id: &CellId, index: usize) -> bool {
        let Some(from) = self.position(id) else { return false };
        let cell = self.cells.remove(from);
        self.cells.insert(index.min(self.cells.len()), cell);
        true
    }

    /// Forgets every cell's outputs and execution count, as Jupyter's "Clear All Outputs".
    pub fn clear_outputs(&mut self) {
        for cell in &mut self.cells {
            cell.outputs.clear();
            cell.execution_count = None;
        }
    }

    /// A notebook of cells read from a file, each with the id the file gave it. A cell keeps its
    /// id when that id is valid and no earlier cell has it; the others get fresh ids, so the
    /// ids a file already had never move to another cell.
    pub(crate) fn from_read_cells(metadata: NotebookMetadata, read: Vec<(Option<String>, Cell)>) -> Self {
        let mut kept: Vec<Option<CellId>> = Vec::with_capacity(read.len());
        let mut seen = std::collections::HashSet::new();
        for (wanted, _) in &read {
            let id = wanted.as_deref().and_then(CellId::parse).filter(|id| seen.insert(id.clone()));
            kept.push(id);
        }
        let mut notebook = Notebook::new(metadata);
        notebook.cells = read
            .into_iter()
            .zip(kept)
            .map(|((_, cell), id)| Cell { id: id.unwrap_or(CellId(String::new())), ..cell })
            .collect();
        let missing: Vec<usize> = (0..notebook.cells.len()).filter(|&i| notebook.cells[i].id.0.is_empty()).collect();
        for index in missing {
            let id = notebook.fresh_id();
            if let Some(cell) = notebook.cells.get_mut(index) {
                cell.id = id;
            }
        }
        notebook
    }

    /// A new id: `cell-N` with N past every id this notebook has handed out or read.
    fn fresh_id(&mut self) -> CellId {
        loop {
            let candidate = CellId(format!("cell-{}", self.next_id));
            self.next_id += 1;
            if self.cell(&candidate).is_none() {
                return candidate;
            }
        }
    }
}

/// A cell read from a file, before [`Notebook::from_read_cells`] gives it its id.
pub(crate) fn unnumbered_cell(kind: CellKind, source: String) -> Cell {
    Cell { id: CellId(String::new()), kind, source, outputs: Vec::new(), execution_count: None, title: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_with_their_cells_through_inserts_moves_and_deletes() {
        let mut nb = Notebook::new(NotebookMetadata::default());
        let a = nb.push_cell(CellKind::Code, "a");
        let b = nb.push_cell(CellKind::Code, "b");
        let c = nb.insert_cell(0, CellKind::Markdown, "c");
        assert_eq!(nb.cells().iter().map(|c| c.source.as_str()).collect::<Vec<_>>(), ["c", "a", "b"]);
        assert!(nb.move_cell(&c, 99));
        assert_eq!(nb.position(&c), Some(2));
        if let Some(cell) = nb.cell_mut(&a) {
            cell.source.push('!');
        }
        assert_eq!(nb.cell(&a).map(|cell| cell.source.as_str()), Some("a!"));
        assert_eq!(nb.remove_cell(&b).map(|cell| cell.source), Some("b".to_string()));
        assert!(!nb.move_cell(&b, 0));
        assert!(nb.remove_cell(&b).is_none());
        let d = nb.push_cell(CellKind::Sql, "SELECT 1");
        assert!(![&a, &b, &c].contains(&&d));
    }

    #[test]
    fn read_cells_keep_valid_unique_ids_and_others_get_fresh_ones() {
        let read = [(None, "none"), (Some("cell-2"), "x"), (Some("cell-2"), "dup"), (Some("bad id!"), "bad"), (Some("cell-1"), "one")];
        let read = read.into_iter().map(|(id, src)| (id.map(String::from), unnumbered_cell(CellKind::Code, src.into()))).collect();
        let mut nb = Notebook::from_read_cells(NotebookMetadata::default(), read);
        let ids: Vec<&str> = nb.cells().iter().map(|c| c.id().as_str()).collect();
        assert_eq!(ids, ["cell-3", "cell-2", "cell-4", "cell-5", "cell-1"]);
        assert_eq!(nb.push_cell(CellKind::Code, "").as_str(), "cell-6");
    }

    #[test]
    fn cell_ids_follow_the_nbformat_pattern() {
        assert!(CellId::parse("").is_none());
        assert!(CellId::parse(&"a".repeat(65)).is_none());
        assert!(CellId::parse(&"a".repeat(64)).is_some());
        assert!(CellId::parse("é").is_none());
        assert!(CellId::parse("a_B-9").is_some());
    }

    #[test]
    fn magics_split_only_on_whole_words() {
        assert_eq!(split_magic("%md"), (CellKind::Markdown, String::new()));
        assert_eq!(split_magic("%md-sandbox\n<b>x</b>"), (CellKind::Markdown, "<b>x</b>".into()));
        assert_eq!(split_magic("%%sql\nSELECT 1\n"), (CellKind::Sql, "SELECT 1\n".into()));
        assert_eq!(split_magic("%sql SELECT 1"), (CellKind::Sql, "SELECT 1".into()));
        assert_eq!(split_magic("%sqlite"), (CellKind::Code, "%sqlite".into()));
        assert_eq!(split_magic("%mdx\nx"), (CellKind::Code, "%mdx\nx".into()));
        assert_eq!(split_magic(" %md"), (CellKind::Code, " %md".into()));
        assert_eq!(split_magic(""), (CellKind::Code, String::new()));
    }
}
