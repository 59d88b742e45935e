//! Notebooks for StreamLab: the cell model, notebook file formats, and the interpreter that
//! runs PySpark-subset Python, `%sql` and `%md` cells against the engine.
//!
//! Everything a cell produces is data ([`output::CellOutput`]), so the browser page and the
//! native CLI render the same results their own way.

pub mod output;
pub mod markdown;
pub mod document;
pub mod formats;
pub mod lessons;
pub mod python;
pub mod kernel;
