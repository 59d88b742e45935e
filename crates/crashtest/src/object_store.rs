//! delta-rs' object store for `file://` tables, dying at the chosen write.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use deltalake::logstore::object_store::path::Path;
use deltalake::logstore::object_store::{
    self, CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore, PutMultipartOptions,
    PutOptions, PutPayload, PutResult, RenameOptions, Result,
};
use deltalake::logstore::{object_store_factories, ObjectStoreFactory, ObjectStoreRef, StorageConfig};
use deltalake::{DeltaResult, DeltaTableError};
use futures::stream::BoxStream;

use crate::kill::{die, KillSwitch, When};

/// An object store forwarding to `inner` that kills the process at the switch's write: a
/// data file (`put_multipart`, which dies before it starts) or a commit (`put`).
#[derive(Debug)]
struct KillingObjectStore {
    inner: Arc<dyn ObjectStore>,
    switch: Arc<KillSwitch>,
}

impl fmt::Display for KillingObjectStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Killing({})", self.inner)
    }
}

#[async_trait]
impl ObjectStore for KillingObjectStore {
    async fn put_opts(&self, location: &Path, payload: PutPayload, opts: PutOptions) -> Result<PutResult> {
        match self.switch.on_write(location.as_ref()) {
            None => self.inner.put_opts(location, payload, opts).await,
            Some(When::Before | When::Torn) => die(),
            Some(When::After) => {
                self.inner.put_opts(location, payload, opts).await?;
                die()
            }
        }
    }

    async fn put_multipart_opts(&self, location: &Path, opts: PutMultipartOptions) -> Result<Box<dyn MultipartUpload>> {
        if self.switch.on_write(location.as_ref()).is_some() {
            die()
        }
        self.inner.put_multipart_opts(location, opts).await
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        self.inner.get_opts(location, options).await
    }

    fn delete_stream(&self, locations: BoxStream<'static, Result<Path>>) -> BoxStream<'static, Result<Path>> {
        self.inner.delete_stream(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        self.inner.list(prefix)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
        self.inner.copy_opts(from, to, options).await
    }

    async fn rename_opts(&self, from: &Path, to: &Path, options: RenameOptions) -> Result<()> {
        match self.switch.on_write(to.as_ref()) {
            None => self.inner.rename_opts(from, to, options).await,
            Some(When::Before | When::Torn) => die(),
            Some(When::After) => {
                self.inner.rename_opts(from, to, options).await?;
                die()
            }
        }
    }
}

/// Builds the local file system store delta-rs would, wrapped in the killing store.
struct KillingFactory {
    switch: Arc<KillSwitch>,
}

impl ObjectStoreFactory for KillingFactory {
    fn parse_url_opts(&self, url: &url::Url, config: &StorageConfig) -> DeltaResult<(ObjectStoreRef, Path)> {
        let (store, path) = object_store::parse_url_opts(url, &config.raw).map_err(DeltaTableError::from)?;
        let store: Arc<dyn ObjectStore> = Arc::from(store);
        Ok((Arc::new(KillingObjectStore { inner: store, switch: self.switch.clone() }), path))
    }
}

/// Makes every `file://` Delta table this process opens afterwards go through a store that
/// dies at `switch`'s write (delta-rs keeps one global registry of stores by URL scheme).
pub fn install_killing_object_store(switch: Arc<KillSwitch>) {
    if let Ok(scheme) = url::Url::parse("file://") {
        object_store_factories().insert(scheme, Arc::new(KillingFactory { switch }));
    }
}
