//! The seed lesson's code cells, unchanged except for the data path, end to end on the real
//! activity files: builder with Delta, schema string, readStream, rename/drop, a parquet
//! stream on a 3-second trigger, listing and stopping the active streams; then the parquet
//! sink's rows are read back.

mod python_support;

use python_support::{kernel, run_ok, stdout};
use streamlab_notebook::output::CellOutput;
use streamlab_storage::Storage;

const BUILDER_CELL: &str = r#"import os
from pyspark.sql import SparkSession
from delta import configure_spark_with_delta_pip
from pyspark.sql.functions import col, from_json, to_timestamp
from pyspark.sql.types import StructType, StructField, StringType, IntegerType, DoubleType

# Netoyage des variables d'env qui peuvent casser le bind du driver
for var in ["SPARK_LOCAL_IP", "SPARK_DRIVER_BIND_ADDRESS", "SPARK_DRIVER_HOST"]:
    os.environ.pop(var, None)

# Packages Kafka pour Spark (adapter la version si ton pyspark n'est pas 3.5.*)
EXTRA_PACKAGES = [
    "org.apache.spark:spark-sql-kafka-0-10_2.13:3.5.2",
]

builder = (
    SparkSession.builder
    .appName("SmartTech-Streaming-Silver")
    .master("local[*]")
    .config("spark.driver.bindAddress", "127.0.0.1")
    .config("spark.driver.host", "localhost")
    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
)

# on passe Kafka via extra_packages
spark = configure_spark_with_delta_pip(builder, extra_packages=EXTRA_PACKAGES).getOrCreate()
spark.sparkContext.setLogLevel("WARN") # permet de limiter les logs Spark à l’essentiel, en masquant les messages INFO et DEBUG
# spark.sparkContext.setLogLevel("ALL")
"#;

const SCHEMA_CELL: &str = r#"dataSchema = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double""#;

const STREAM_CELL: &str = r#"# Lecture source de données
dataPath = "/databricks-datasets/definitive-guide/data/activity-data"
initialDF = (spark
  .readStream                       # Renvoie DataStreamReader
  .option("maxFilesPerTrigger", 1)  # Forcer le traitement d'un seul fichier par déclencheur
  .schema(dataSchema)               # Requis pour tous les DataFrames en streaming
  .json(dataPath)                   # Le répertoire source du flux et le type de fichier
)

# Petite transformation
streamingDF = (initialDF
  .withColumnRenamed("Index", "User_ID")  # Choisir un nom de colonne "meilleur"
  .drop("_corrupt_record")                # Supprimer une colonne inutile
)

# Ecriture du streaming dans un fichier au format Parquet
outputPathDir = "/mnt/tmp/output.parquet" 
checkpointPath = "/mnt/tmp/output.parquet.checkpoint"  
# Définition de la requête de streaming
streamingQuery = (streamingDF                     
  .writeStream                                    
  .queryName("stream_1p")                       
  .trigger(processingTime="3 seconds")            
  .format("parquet")                            
  .option("checkpointLocation", checkpointPath)   
  .outputMode("append")                           
  .start(outputPathDir)                           
)
"#;

const LIST_CELL: &str = r#"for stream in spark.streams.active:      # Loop over all active streams
    print(" {} ({})".format(stream.name, stream.id))
"#;

const STOP_CELL: &str = "for stream in spark.streams.active:\n  stream.stop()\n";

#[test]
fn seed_lesson_runs_end_to_end() {
    let (mut k, fs, _clock) = kernel();
    for entry in fs.list("/data/activity").unwrap() {
        let bytes = fs.read(&entry.path).unwrap();
        fs.write(&format!("/databricks-datasets/definitive-guide/data/activity-data/{}", entry.name()), &bytes).unwrap();
    }
    assert!(run_ok(&mut k, BUILDER_CELL).is_empty());
    assert_eq!(k.session().conf_get("spark.sql.extensions").unwrap(), "io.delta.sql.DeltaSparkSessionExtension");
    assert!(run_ok(&mut k, SCHEMA_CELL).is_empty());
    run_ok(&mut k, STREAM_CELL);
    assert_eq!(run_ok(&mut k, "streamingDF.columns")[0], CellOutput::Result(
        "['Arrival_Time', 'Creation_Time', 'Device', 'User_ID', 'Model', 'User', 'gt', 'x', 'y', 'z']".into()
    ));

    let listed = stdout(&run_ok(&mut k, LIST_CELL));
    let id = run_ok(&mut k, "streamingQuery.id");
    let CellOutput::Result(id) = &id[0] else { panic!("{id:?}") };
    assert_eq!(listed, format!(" stream_1p ({})\n", id.trim_matches('\'')));

    // Eight files, one per 3-second trigger: 30 virtual seconds process them all.
    run_ok(&mut k, "import time\ntime.sleep(30)\nprint(streamingQuery.lastProgress['batchId'], streamingQuery.isActive)");
    assert_eq!(stdout(&k.run_cell("print(len(streamingQuery.recentProgress) >= 8)")), "True\n");
    assert!(run_ok(&mut k, STOP_CELL).is_empty());
    assert_eq!(run_ok(&mut k, "spark.streams.active")[0], CellOutput::Result("[]".into()));

    let files: Vec<String> = fs.list("/mnt/tmp/output.parquet").unwrap().into_iter().map(|e| e.name().to_string()).collect();
    assert!(files.iter().any(|f| f.ends_with(".parquet")), "{files:?}");
    assert!(fs.exists("/mnt/tmp/output.parquet.checkpoint/commits/7").unwrap());
    let out = run_ok(&mut k, "back = spark.read.parquet(outputPathDir)\nprint(back.count())\nback.groupBy('gt').count().orderBy('gt').show()");
    let text = stdout(&out);
    assert!(text.starts_with("16006\n"), "{text}");
    assert!(text.contains("|     stand|10000|"), "{text}");
    assert!(text.contains("|stairsdown|  523|"), "{text}");
}
