//! The engine's storage, dying at the chosen write.

use std::sync::Arc;

use streamlab_storage::{FileStatus, Storage};
use streamlab_types::Result;

use crate::kill::{die, KillSwitch, When};

/// A [`Storage`] that forwards to `inner` and kills the process at the switch's write.
///
/// Logs are written atomically (a `.name.tmp` file renamed into place); their rename is the
/// write that counts, so `Before` leaves only the temp file and `After` the complete log.
#[derive(Debug)]
pub struct KillingStorage {
    inner: Arc<dyn Storage>,
    switch: Arc<KillSwitch>,
}

impl KillingStorage {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Storage>, switch: Arc<KillSwitch>) -> KillingStorage {
        KillingStorage { inner, switch }
    }
}

/// Whether `path` is the temp file of an atomic write (`.<name>.tmp`).
fn is_temp(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with('.') && name.ends_with(".tmp")
}

impl Storage for KillingStorage {
    fn absolute(&self, path: &str) -> String {
        self.inner.absolute(path)
    }

    fn list(&self, dir: &str) -> Result<Vec<FileStatus>> {
        self.inner.list(dir)
    }

    fn status(&self, path: &str) -> Result<Option<FileStatus>> {
        self.inner.status(path)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        self.inner.read(path)
    }

    fn write(&self, path: &str, data: &[u8]) -> Result<()> {
        let abs = self.inner.absolute(path);
        match (!is_temp(&abs)).then(|| self.switch.on_write(&abs)).flatten() {
            None => self.inner.write(path, data),
            Some(When::Before) => die(),
            Some(When::Torn) => {
                self.inner.write(path, &data[..data.len() / 2])?;
                die()
            }
            Some(When::After) => {
                self.inner.write(path, data)?;
                die()
            }
        }
    }

    fn rename(&self, from: &str, to: &str) -> Result<()> {
        match self.switch.on_write(&self.inner.absolute(to)) {
            None => self.inner.rename(from, to),
            Some(When::Before | When::Torn) => die(),
            Some(When::After) => {
                self.inner.rename(from, to)?;
                die()
            }
        }
    }

    fn delete(&self, path: &str) -> Result<()> {
        self.inner.delete(path)
    }

    fn mkdirs(&self, path: &str) -> Result<()> {
        self.inner.mkdirs(path)
    }

    fn set_modification_time(&self, path: &str, time_ms: i64) -> Result<()> {
        self.inner.set_modification_time(path, time_ms)
    }
}
