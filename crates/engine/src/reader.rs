//! `spark.readStream` and `spark.read`: what a DataFrame reads, checked as Spark checks it
//! when the DataFrame is created.

use std::rc::Rc;
use std::sync::Arc;

use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use streamlab_checkpoint::{path_of_uri, FileStreamSinkLog};
use streamlab_io::{FileFormat, ReadOptions};
use streamlab_storage::{file_name, join, parent};
use streamlab_types::ddl::parse_schema;
use streamlab_types::{Result, SparkError};

use crate::dataframe::DataFrame;
use crate::delta::read::read_table;
use crate::delta::DeltaLog;
use crate::partition::{append_columns, infer_type, partition_values};
use crate::plan::LogicalPlan;
use crate::source::rate::rate_schema;
use crate::source::SourceSpec;
use crate::SparkSession;

/// Forces every field nullable (`spark.sql.streaming.fileSource.schema.forceNullable`).
fn nullable(schema: &Schema) -> SchemaRef {
    let fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
    Arc::new(Schema::new(fields))
}

/// What both readers record: format, schema and options.
#[derive(Debug, Clone)]
struct ReaderSettings {
    format: String,
    schema: Option<SchemaRef>,
    options: Vec<(String, String)>,
}

impl ReaderSettings {
    fn new() -> Self {
        ReaderSettings { format: "parquet".into(), schema: None, options: Vec::new() }
    }

    fn file_format(&self) -> Option<FileFormat> {
        FileFormat::from_name(&self.format)
    }
}

macro_rules! reader_builders {
    ($t:ty) => {
        impl $t {
            /// `format(name)`.
            pub fn format(mut self, name: &str) -> Self {
                self.settings.format = name.to_ascii_lowercase();
                self
            }

            /// `schema(StructType)`.
            pub fn schema(mut self, schema: SchemaRef) -> Self {
                self.settings.schema = Some(schema);
                self
            }

            /// `schema("a long, b string")`.
            pub fn schema_ddl(mut self, ddl: &str) -> Result<Self> {
                self.settings.schema = Some(Arc::new(parse_schema(ddl)?));
                Ok(self)
            }

            /// `option(key, value)`.
            pub fn option(mut self, key: &str, value: impl ToString) -> Self {
                self.settings.options.push((key.to_string(), value.to_string()));
                self
            }

            /// `json(path)`.
            pub fn json(self, path: &str) -> Result<DataFrame> {
                self.format("json").load(Some(path))
            }

            /// `csv(path)`.
            pub fn csv(self, path: &str) -> Result<DataFrame> {
                self.format("csv").load(Some(path))
            }

            /// `text(path)`.
            pub fn text(self, path: &str) -> Result<DataFrame> {
                self.format("text").load(Some(path))
            }

            /// `parquet(path)`.
            pub fn parquet(self, path: &str) -> Result<DataFrame> {
                self.format("parquet").load(Some(path))
            }
        }
    };
}

/// `spark.readStream`.
///
/// ```
/// use std::rc::Rc;
/// use std::sync::Arc;
/// use streamlab_engine::{SparkSession, clock::ManualClock, output::BufferedOutput};
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = Arc::new(MemoryStorage::new());
/// fs.mkdirs("/in").unwrap();
/// let spark = SparkSession::new(fs, Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
/// let df = spark.read_stream().schema_ddl("a long").unwrap().option("maxFilesPerTrigger", 1).json("/in").unwrap();
/// assert!(df.is_streaming());
/// let err = spark.read_stream().json("/in").unwrap_err();
/// assert!(err.to_string().starts_with("Schema must be specified when creating a streaming source DataFrame."));
/// ```
pub struct DataStreamReader {
    session: SparkSession,
    settings: ReaderSettings,
}

reader_builders!(DataStreamReader);

impl DataStreamReader {
    pub(crate) fn new(session: SparkSession) -> Self {
        DataStreamReader { session, settings: ReaderSettings::new() }
    }

    /// `load(path)`.
    pub fn load(self, path: Option<&str>) -> Result<DataFrame> {
        let s = &self.settings;
        let provider = self.session.source_provider(&s.format);
        let schema = match (s.format.as_str(), provider) {
            (_, Some(provider)) => provider.schema(&s.options, s.schema.as_ref())?,
            ("rate" | "rate-micro-batch", None) => {
                if s.schema.is_some() {
                    let provider = if s.format == "rate" { "RateStreamProvider" } else { "RatePerMicroBatchProvider" };
                    return Err(SparkError::analysis(format!("{provider} source does not support user-specified schema.")));
                }
                rate_schema()
            }
            ("delta", None) => {
                return Err(SparkError::unsupported(
                    "Reading a Delta table as a stream (spark.readStream.format(\"delta\")) is not supported by StreamLab. Read it as a batch instead: spark.read.format(\"delta\").load(path).",
                ))
            }
            ("kafka", None) => {
                return Err(SparkError::analysis(
                    "Failed to find data source: kafka. Please deploy the application as per the deployment section of Structured Streaming + Kafka Integration Guide.",
                ))
            }
            _ => self.file_schema(path)?,
        };
        let spec = SourceSpec {
            format: s.format.clone(),
            options: s.options.clone(),
            path: path.map(str::to_string),
            schema: schema.clone(),
            memory: None,
        };
        Ok(DataFrame::new(self.session, Rc::new(LogicalPlan::StreamSource { spec: Rc::new(spec), schema })))
    }

    /// The schema of a file stream, with Spark's checks at creation time.
    fn file_schema(&self, path: Option<&str>) -> Result<SchemaRef> {
        let s = &self.settings;
        let format = s.file_format().ok_or_else(|| crate::source::file::unknown_format(&s.format))?;
        let path = path.ok_or_else(|| SparkError::illegal_argument("'path' is not specified."))?;
        let storage = self.session.storage();
        let abs = storage.absolute(path);
        let dir = if crate::source::glob::is_glob(file_name(&abs)) { parent(&abs).to_string() } else { abs.clone() };
        if !storage.exists(&dir)? {
            return Err(SparkError::analysis(format!("Path does not exist: file:{abs}.")).with_class("PATH_NOT_FOUND"));
        }
        if let Some(fixed) = format.fixed_schema() {
            return Ok(fixed);
        }
        if let Some(schema) = &s.schema {
            return Ok(nullable(schema));
        }
        if !self.session.conf().get_bool("spark.sql.streaming.schemaInference").unwrap_or(false) {
            return Err(SparkError::illegal_argument(
                "Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.",
            ));
        }
        let files = read_all(&self.session, &dir)?;
        infer(format, &files, &s.options)
    }

}

/// Infers a schema from file contents, with Spark's error when there is nothing to infer from.
fn infer(format: FileFormat, files: &[Vec<u8>], options: &[(String, String)]) -> Result<SchemaRef> {
    if files.is_empty() {
        return Err(SparkError::analysis(format!(
            "Unable to infer schema for {}. It must be specified manually.",
            format.name().to_ascii_uppercase()
        ))
        .with_class("UNABLE_TO_INFER_SCHEMA"));
    }
    let (read_options, _) = ReadOptions::parse(options)?;
    let slices: Vec<&[u8]> = files.iter().map(|f| f.as_slice()).collect();
    Ok(nullable(&streamlab_io::infer_schema(format, &slices, &read_options)?))
}

/// The data files of a batch read of `path`: the file itself, the files a `_spark_metadata`
/// log lists, or the directory's visible files (names not starting with `_` or `.`).
fn data_files(session: &SparkSession, path: &str) -> Result<Vec<String>> {
    let storage = session.storage();
    let abs = storage.absolute(path);
    let Some(status) = storage.status(&abs)? else {
        return Err(SparkError::analysis(format!("Path does not exist: file:{abs}.")).with_class("PATH_NOT_FOUND"));
    };
    if !status.is_dir {
        return Ok(vec![abs]);
    }
    let sink_log = join(&abs, "_spark_metadata");
    if storage.exists(&sink_log)? {
        let files = FileStreamSinkLog::new(storage.clone(), &sink_log, 10).all_files()?;
        return files.into_iter().map(|f| path_of_uri(&f.path)).collect();
    }
    let mut out = Vec::new();
    let mut dirs = vec![abs];
    while let Some(dir) = dirs.pop() {
        for entry in storage.list(&dir)? {
            let name = entry.name();
            if name.starts_with('_') || name.starts_with('.') {
                continue;
            }
            if entry.is_dir {
                if name.contains('=') {
                    dirs.push(entry.path.clone());
                }
            } else {
                out.push(entry.path.clone());
            }
        }
    }
    out.sort();
    Ok(out)
}

fn read_all(session: &SparkSession, path: &str) -> Result<Vec<Vec<u8>>> {
    data_files(session, path)?.iter().map(|p| session.storage().read(p)).collect()
}

/// `spark.read`: static DataFrames, read when created.
pub struct DataFrameReader {
    session: SparkSession,
    settings: ReaderSettings,
}

reader_builders!(DataFrameReader);

impl DataFrameReader {
    pub(crate) fn new(session: SparkSession) -> Self {
        DataFrameReader { session, settings: ReaderSettings::new() }
    }

    /// `load(path)`.
    pub fn load(self, path: Option<&str>) -> Result<DataFrame> {
        let s = &self.settings;
        if s.format == "delta" {
            return self.load_delta(path);
        }
        let format = s.file_format().ok_or_else(|| crate::source::file::unknown_format(&s.format))?;
        let path = path.ok_or_else(|| SparkError::illegal_argument("'path' is not specified."))?;
        let base = self.session.storage().absolute(path);
        let paths = data_files(&self.session, path)?;
        let files: Vec<Vec<u8>> = paths.iter().map(|p| self.session.storage().read(p)).collect::<Result<_>>()?;
        let partitions: Vec<Vec<(String, String)>> = paths.iter().map(|p| partition_values(&base, p)).collect();
        let mut keys: Vec<String> = Vec::new();
        for (k, _) in partitions.iter().flatten() {
            if !keys.iter().any(|seen| seen.eq_ignore_ascii_case(k)) {
                keys.push(k.clone());
            }
        }
        let is_key = |name: &str| keys.iter().any(|k| k.eq_ignore_ascii_case(name));
        let full = match (format.fixed_schema(), &s.schema) {
            (Some(fixed), _) => fixed,
            (None, Some(schema)) => nullable(schema),
            (None, None) => infer(format, &files, &s.options)?,
        };
        let data_schema = Arc::new(Schema::new(
            full.fields().iter().filter(|f| !is_key(f.name())).map(|f| f.as_ref().clone()).collect::<Vec<_>>(),
        ));
        let partition_fields: Vec<Field> = keys
            .iter()
            .map(|k| match full.fields().iter().find(|f| f.name().eq_ignore_ascii_case(k)) {
                Some(f) => f.as_ref().clone(),
                None => {
                    let values = partitions.iter().flatten().filter(|(pk, _)| pk == k).map(|(_, v)| v.as_str());
                    Field::new(k, infer_type(values), true)
                }
            })
            .collect();
        let mut opts = vec![(
            "columnNameOfCorruptRecord".to_string(),
            self.session.conf().get("spark.sql.columnNameOfCorruptRecord").unwrap_or_default(),
        )];
        opts.extend(s.options.iter().cloned());
        let (read_options, _) = ReadOptions::parse(&opts)?;
        let mut batches: Vec<RecordBatch> = Vec::with_capacity(files.len());
        for (data, values) in files.iter().zip(&partitions) {
            let batch = streamlab_io::read_file(format, data, &data_schema, &read_options)?;
            let columns: Vec<(Field, Option<String>)> = partition_fields
                .iter()
                .map(|f| (f.clone(), values.iter().find(|(k, _)| k.eq_ignore_ascii_case(f.name())).map(|(_, v)| v.clone())))
                .collect();
            batches.push(append_columns(batch, &columns)?);
        }
        let mut fields: Vec<Field> = data_schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        fields.extend(partition_fields);
        let schema = Arc::new(Schema::new(fields));
        let batches = batches
            .into_iter()
            .map(|b| RecordBatch::try_new(schema.clone(), b.columns().to_vec()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(self.session.create_dataframe(schema, batches))
    }

    /// `format("delta").load(path)`: the latest snapshot of the Delta table at `path`.
    fn load_delta(&self, path: Option<&str>) -> Result<DataFrame> {
        if self.settings.schema.is_some() {
            return Err(SparkError::analysis("Delta does not support specifying the schema at read time.")
                .with_class("DELTA_UNSUPPORTED_SCHEMA_DURING_READ"));
        }
        let path = path.ok_or_else(|| SparkError::illegal_argument("'path' is not specified."))?;
        let log = DeltaLog::new(self.session.storage().clone(), path);
        let (schema, batches) = read_table(&log)?;
        Ok(self.session.create_dataframe(schema, batches))
    }

    /// `table(name)`.
    pub fn table(self, name: &str) -> Result<DataFrame> {
        self.session.table(name)
    }
}

