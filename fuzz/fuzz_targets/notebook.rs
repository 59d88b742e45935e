//! Notebook files: any bytes under any supported name read as a notebook or give a format
//! error, and whatever reads back writes out again without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use streamlab_notebook::formats::{read_notebook, write_databricks, write_ipynb};

fuzz_target!(|data: &[u8]| {
    for name in ["lesson.ipynb", "lesson.py", "notebook"] {
        if let Ok(notebook) = read_notebook(name, data) {
            let _ = write_ipynb(&notebook);
            let _ = write_databricks(&notebook);
        }
    }
});
