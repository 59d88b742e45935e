//! `format("delta")` for streaming writes, registered on a native session.

use streamlab_engine::connector::{SinkContext, SinkProvider};
use streamlab_engine::sink::{OutputMode, Sink};
use streamlab_types::{Result, SparkError};

use crate::sink::DeltaLakeSink;
use crate::table::resolve_partition_columns;

/// Creates a [`DeltaLakeSink`] for each query writing `format("delta")`.
///
/// Why a provider: the engine stays pure (it runs in the browser); native hosts register this
/// one on their session so the same scripts write with delta-rs.
///
/// ```
/// use streamlab_engine::connector::SinkProvider;
/// let provider: &dyn SinkProvider = &streamlab_delta::DeltaSinkProvider;
/// # let _ = provider;
/// ```
pub struct DeltaSinkProvider;

impl DeltaSinkProvider {
    fn path(ctx: &SinkContext<'_>) -> Result<String> {
        let path = ctx
            .options
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case("path"))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| SparkError::illegal_argument("'path' is not specified."))?;
        Ok(ctx.session.storage().absolute(&path))
    }
}

impl SinkProvider for DeltaSinkProvider {
    fn validate(&self, ctx: &SinkContext<'_>) -> Result<()> {
        if ctx.output_mode == OutputMode::Update {
            // delta-spark's DeltaDataSource.createSink text (its class name, no final period).
            return Err(SparkError::analysis(
                "Data source org.apache.spark.sql.delta.sources.DeltaDataSource does not support Update output mode",
            )
            .with_class("DELTA_UNSUPPORTED_OUTPUT_MODE"));
        }
        resolve_partition_columns(&ctx.schema, ctx.partition_by)?;
        Self::path(ctx).map(|_| ())
    }

    fn create(&self, ctx: &SinkContext<'_>, query_id: &str) -> Result<Box<dyn Sink>> {
        let sink = DeltaLakeSink::new(&Self::path(ctx)?, query_id, ctx.partition_by.to_vec(), ctx.session.output().clone(), ctx.session.clock().clone())?;
        Ok(Box::new(sink))
    }
}
