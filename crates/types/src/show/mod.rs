//! `DataFrame.show()` and `printSchema()` text, exactly as Spark 3.5 prints it.

mod cell;
mod table;
mod tree;

use arrow::array::{Array, RecordBatch};
use arrow::datatypes::Schema;

/// `Dataset.showString(numRows, truncate, vertical)`: the text `show()` and the console sink
/// print, ending with `"\n"`.
///
/// Why: console-sink output is what students compare with Spark line by line.
///
/// `batch` may hold more rows than `num_rows`; then only `num_rows` are shown, followed by
/// `only showing top N rows` (`row` when N is 1). `truncate = 0` shows cells whole and
/// left-aligned; `truncate = n > 0` cuts cells longer than `n` to their first `n - 3` characters
/// plus `...` (just `n` characters when `n < 4`) and right-aligns them (Spark's default is 20).
/// Column names are never cut. Control characters (`\n`, `\t`, …) are shown escaped; widths count
/// East-Asian full-width characters as 2. `vertical = true` gives the `-RECORD 0---` layout
/// (`(0 rows)` when empty).
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Int64Array, StringArray, RecordBatch};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_types::show::show_string;
/// let schema = Schema::new(vec![Field::new("k", DataType::Utf8, true), Field::new("v", DataType::Int64, true)]);
/// let batch = RecordBatch::try_new(Arc::new(schema), vec![
///     Arc::new(StringArray::from(vec![Some("a"), Some("a very long string value"), None])),
///     Arc::new(Int64Array::from(vec![1, 2, 3])),
/// ]).unwrap();
/// assert_eq!(show_string(&batch, 20, 20, false), "\
/// +--------------------+---+
/// |                   k|  v|
/// +--------------------+---+
/// |                   a|  1|
/// |a very long strin...|  2|
/// |                NULL|  3|
/// +--------------------+---+
/// ");
/// assert_eq!(show_string(&batch, 1, 0, false), "+---+---+\n|k  |v  |\n+---+---+\n|a  |1  |\n+---+---+\nonly showing top 1 row\n");
/// ```
pub fn show_string(batch: &RecordBatch, num_rows: usize, truncate: usize, vertical: bool) -> String {
    let num_rows = num_rows.min(2_147_483_632 - 1);
    let header: Vec<String> = batch.schema().fields().iter().map(|f| table::escape_meta(f.name())).collect();
    let shown = batch.num_rows().min(num_rows);
    let rows: Vec<Vec<String>> = (0..shown)
        .map(|r| {
            batch
                .columns()
                .iter()
                .map(|c| table::truncate_cell(table::escape_meta(&cell::render(c.as_ref(), r)), truncate))
                .collect()
        })
        .collect();
    table::layout(&header, &rows, num_rows, batch.num_rows() > num_rows, truncate, vertical)
}

/// `show()`'s layout over cells already rendered to text (as [`cell_to_string`] renders them):
/// for hosts that keep a table as strings, such as a notebook's `display()` output.
///
/// `has_more` adds the `only showing top N rows` footer.
///
/// ```
/// use streamlab_types::show::show_rows;
/// let text = show_rows(&["k".to_string()], &[vec!["a".to_string()]], 20, false);
/// assert_eq!(text, "+---+\n|  k|\n+---+\n|  a|\n+---+\n");
/// // No columns (a DDL command's result): Spark's `++` and `||`.
/// assert_eq!(show_rows(&[], &[vec![]], 20, false), "++\n||\n++\n||\n++\n");
/// ```
pub fn show_rows(header: &[String], rows: &[Vec<String>], truncate: usize, has_more: bool) -> String {
    let header: Vec<String> = header.iter().map(|h| table::escape_meta(h)).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| table::truncate_cell(table::escape_meta(c), truncate)).collect())
        .collect();
    table::layout(&header, &rows, rows.len(), has_more, truncate, false)
}

/// One value as `show()` renders it before escaping and truncation (Spark's `ToPrettyString`):
/// `NULL`, Java doubles/floats (`1.0E-4`), timestamps (`2015-02-23 13:03:51.914`), dates,
/// plain decimals (`1.50`), binary as hex (`[AB CD]`), arrays `[1, NULL, 3]`, maps
/// `{a -> 1, b -> NULL}`, structs `{1, NULL, [NULL]}` (nested nulls print `NULL` in 3.5),
/// calendar intervals (`1 days 2 hours`).
///
/// Why: the console sink, `collect()`-style previews and error messages all need Spark's text.
///
/// ```
/// use arrow::array::{Float64Array, Int32Array, ListArray};
/// use arrow::datatypes::Int32Type;
/// use streamlab_types::show::cell_to_string;
/// let d = Float64Array::from(vec![Some(1.220703e-4), None]);
/// assert_eq!(cell_to_string(&d, 0), "1.220703E-4");
/// assert_eq!(cell_to_string(&d, 1), "NULL");
/// let l = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1), None, Some(3)])]);
/// assert_eq!(cell_to_string(&l, 0), "[1, NULL, 3]");
/// assert_eq!(cell_to_string(&Int32Array::from(vec![7]), 5), "NULL"); // out of range: no panic
/// ```
pub fn cell_to_string(array: &dyn Array, row: usize) -> String {
    cell::render(array, row)
}

/// `printSchema()` text (`StructType.treeString`): `root` then one ` |-- name: type (nullable =
/// true)` line per field, nested `element`/`key`/`value`/struct lines indented by `    |`.
///
/// Why: `printSchema()` is how students check a source schema.
///
/// ```
/// use streamlab_types::{ddl::parse_schema, show::tree_string};
/// let s = parse_schema("a long, b array<struct<c:int>>").unwrap();
/// assert_eq!(tree_string(&s), "\
/// root
///  |-- a: long (nullable = true)
///  |-- b: array (nullable = true)
///  |    |-- element: struct (containsNull = true)
///  |    |    |-- c: integer (nullable = true)
/// ");
/// ```
pub fn tree_string(schema: &Schema) -> String {
    tree::tree_string(schema)
}
