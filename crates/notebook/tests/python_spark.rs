//! The PySpark API over the engine: session and conf, readers, DataFrame and Column methods,
//! types, rows, display, writers and queries, on the real activity files.

mod python_support;

use python_support::{error, kernel, run_ok, stdout};
use streamlab_notebook::kernel::Kernel;
use streamlab_notebook::output::CellOutput;

const SETUP: &str = "from pyspark.sql import SparkSession, Row\nfrom pyspark.sql import functions as F\nfrom pyspark.sql.functions import col, lit, window, count\nfrom pyspark.sql.types import *\nspark = SparkSession.builder.appName('t').config('spark.sql.shuffle.partitions', 4).getOrCreate()\nspark.sparkContext.setLogLevel('ERROR')\nDDL = 'Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double'\ndf = spark.read.schema(DDL).json('/data/activity')\nstream = spark.readStream.schema(DDL).option('maxFilesPerTrigger', 2).json('/data/activity')";

fn setup() -> Kernel {
    let (mut k, _, _) = kernel();
    run_ok(&mut k, SETUP);
    k
}

fn result(k: &mut Kernel, source: &str) -> String {
    match run_ok(k, source).pop() {
        Some(CellOutput::Result(r)) => r,
        other => panic!("no result for {source}: {other:?}"),
    }
}

#[test]
fn session_conf_and_reprs() {
    let mut k = setup();
    assert_eq!(result(&mut k, "spark.conf.get('spark.sql.shuffle.partitions'), spark.version, spark.conf.get('nope', 'd')"), "('4', '3.5.9', 'd')");
    assert_eq!(result(&mut k, "spark"), "<pyspark.sql.session.SparkSession object at 0x7f0000000000>");
    assert_eq!(result(&mut k, "spark.sparkContext"), "<SparkContext master=local[*] appName=t>");
    let e = error(&k.run_cell("spark.conf.get('spark.foo.bar')"));
    assert_eq!(e.message, "[SQL_CONF_NOT_FOUND] The SQL config \"spark.foo.bar\" cannot be found. Please verify that the config exists.");
    run_ok(&mut k, "spark.conf.set('spark.sql.shuffle.partitions', 8)");
    assert_eq!(result(&mut k, "spark.conf.get('spark.sql.shuffle.partitions')"), "'8'");
    assert_eq!(result(&mut k, "df"), "DataFrame[Arrival_Time: bigint, Creation_Time: bigint, Device: string, Index: bigint, Model: string, User: string, gt: string, x: double, y: double, z: double]");
    assert_eq!(result(&mut k, "stream.isStreaming, df.isStreaming, spark.readStream"), "(True, False, <pyspark.sql.streaming.readwriter.DataStreamReader object at 0x7f0000000000>)");
    assert_eq!(result(&mut k, "df.groupBy('gt')"), "GroupedData[grouping expressions: [gt], value: [Arrival_Time: bigint, Creation_Time: bigint ... 8 more fields], type: GroupBy]");
}

#[test]
fn column_reprs_match_pyspark() {
    let mut k = setup();
    assert_eq!(result(&mut k, "col('a') + 1"), "Column<'(a + 1)'>");
    assert_eq!(result(&mut k, "(col('a') > 1) & ~col('b').isNull()"), "Column<'((a > 1) AND (NOT (b IS NULL)))'>");
    assert_eq!(result(&mut k, "F.count('*')"), "Column<'count(1)'>");
    assert_eq!(result(&mut k, "col('a').alias('b')"), "Column<'a AS b'>");
    assert_eq!(result(&mut k, "col('a').cast('string')"), "Column<'CAST(a AS STRING)'>");
    assert_eq!(result(&mut k, "col('a').desc()"), "Column<'a DESC NULLS LAST'>");
    assert_eq!(result(&mut k, "col('a').isin(1, 2)"), "Column<'(a IN (1, 2))'>");
    assert_eq!(result(&mut k, "df.x"), "Column<'x'>");
    assert_eq!(result(&mut k, "lit(1.5)"), "Column<'1.5'>");
    let e = error(&k.run_cell("if col('a') > 1:\n    pass"));
    assert_eq!(e.headline(), "PySparkValueError: [CANNOT_CONVERT_COLUMN_INTO_BOOL] Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions.");
}

#[test]
fn types_build_schemas_and_print_like_pyspark() {
    let mut k = setup();
    run_ok(&mut k, "s = StructType([StructField('a', LongType(), True), StructField('b', StringType(), False)]).add('ts', TimestampType())");
    assert_eq!(result(&mut k, "s"), "StructType([StructField('a', LongType(), True), StructField('b', StringType(), False), StructField('ts', TimestampType(), True)])");
    assert_eq!(result(&mut k, "s.simpleString(), s.fieldNames(), s['a'], s[1].name, 'ts' in s"), "('struct<a:bigint,b:string,ts:timestamp>', ['a', 'b', 'ts'], StructField('a', LongType(), True), 'b', True)");
    assert_eq!(result(&mut k, "ArrayType(StringType()), MapType(StringType(), DoubleType()), DecimalType(10, 2), IntegerType().simpleString()"), "(ArrayType(StringType(), True), MapType(StringType(), DoubleType(), True), DecimalType(10,2), 'int')");
    run_ok(&mut k, "small = spark.read.schema(StructType([StructField('gt', StringType()), StructField('x', DoubleType())])).json('/data/activity')");
    assert_eq!(result(&mut k, "small.schema"), "StructType([StructField('gt', StringType(), True), StructField('x', DoubleType(), True)])");
    assert_eq!(result(&mut k, "small.select(col('x').cast(IntegerType()).alias('i')).dtypes"), "[('i', 'int')]");
}

#[test]
fn dataframe_transformations_and_actions() {
    let mut k = setup();
    assert_eq!(result(&mut k, "df.select('gt', col('x') * 2).columns"), "['gt', '(x * 2)']");
    assert_eq!(result(&mut k, "df.selectExpr('upper(gt) AS g', 'x + 1').columns"), "['g', '(x + 1)']");
    assert_eq!(result(&mut k, "df.withColumn('x', col('x') + 1).withColumn('n', lit(1)).drop('y', 'z').columns[-3:]"), "['gt', 'x', 'n']");
    assert_eq!(result(&mut k, "df.filter(col('gt') == 'bike').count(), df.where(\"gt = 'bike'\").count(), df[df.gt == 'bike'].count()"), "(1001, 1001, 1001)");
    assert_eq!(result(&mut k, "df.select('gt').distinct().count(), df.dropDuplicates(['Device']).count()"), "(7, 1)");
    assert_eq!(result(&mut k, "df.filter(col('gt').isin('sit', 'walk') & col('x').between(0, 0.01)).count()"), "395");
    assert_eq!(result(&mut k, "df.groupBy('gt').agg({'x': 'max'}).orderBy('gt').first()"), "Row(gt='bike', max(x)=0.59310913)");
    assert_eq!(result(&mut k, "[r.gt for r in df.groupBy('gt').count().orderBy(col('count').desc(), 'gt').take(3)]"), "['stand', 'stairsup', 'bike']");
    assert_eq!(result(&mut k, "df.groupBy('gt').sum('Index').orderBy('gt').head(1)"), "[Row(gt='bike', sum(Index)=299799500)]");
    assert_eq!(result(&mut k, "df.orderBy('Arrival_Time', 'x', ascending=False).limit(1).collect()[0].Index"), "299998");
    let row = result(&mut k, "r = df.orderBy('Arrival_Time', 'Index').first()\nr");
    assert!(row.starts_with("Row(Arrival_Time=1424696633909, Creation_Time=1424696631914042029, Device='nexus4_1', Index=0"), "{row}");
    assert_eq!(result(&mut k, "r['gt'], r.x, r[0], len(r), r.asDict()['User']"), "('stand', 0.013748169, 1424696633909, 10, 'a')");
    let e = error(&k.run_cell("df['nope']"));
    assert!(e.headline().starts_with("AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope` cannot be resolved."));
    let e = error(&k.run_cell("df.select('gt').show()\ndf.withColumn('k', 1)"));
    assert_eq!(e.headline(), "PySparkTypeError: [NOT_COLUMN] Argument `col` should be a Column, got int.");
    assert_eq!(e.location, Some((2, 1)));
}

#[test]
fn show_print_schema_explain_and_temp_views() {
    let mut k = setup();
    let text = stdout(&run_ok(&mut k, "df.orderBy('Arrival_Time', 'Index').select('gt', 'x').show(2, truncate=False, vertical=True)"));
    assert_eq!(text, "-RECORD 0-------------------\n gt  | stand                \n x   | 0.013748169          \n-RECORD 1-------------------\n gt  | stand                \n x   | 0.014816283999999999 \nonly showing top 2 rows\n\n");
    let text = stdout(&run_ok(&mut k, "df.select('gt').printSchema()"));
    assert_eq!(text, "root\n |-- gt: string (nullable = true)\n\n");
    let text = stdout(&run_ok(&mut k, "df.select('gt').explain()"));
    assert!(text.starts_with("== Physical Plan ==\n"), "{text}");
    run_ok(&mut k, "df.createOrReplaceTempView('acts')");
    assert_eq!(result(&mut k, "spark.table('acts').count()"), "16006");
}

#[test]
fn create_dataframe_and_joins() {
    let mut k = setup();
    run_ok(&mut k, "labels = spark.createDataFrame([('bike', 'Bike'), ('sit', 'Sitting')], 'gt string, label string')\nrows = spark.createDataFrame([Row(a=1, b='x'), Row(a=2, b=None)])\nnamed = spark.createDataFrame([(1, 2.5)], ['n', 'f'])");
    assert_eq!(result(&mut k, "rows.collect(), named.dtypes"), "([Row(a=1, b='x'), Row(a=2, b=None)], [('n', 'bigint'), ('f', 'double')])");
    assert_eq!(result(&mut k, "df.join(labels, 'gt').groupBy('label').count().orderBy('label').collect()"), "[Row(label='Bike', count=1001), Row(label='Sitting', count=1001)]");
    assert_eq!(result(&mut k, "df.join(labels, on='gt', how='left').where(col('label').isNull()).count()"), "14004");
}

#[test]
fn display_shows_static_tables_and_starts_live_queries_for_streams() {
    let mut k = setup();
    let out = run_ok(&mut k, "display(df.groupBy('gt').count().orderBy('gt'))");
    let [CellOutput::Table(t)] = out.as_slice() else { panic!("{out:?}") };
    assert_eq!(t.columns, vec!["gt", "count"]);
    assert_eq!(t.types, vec!["string", "bigint"]);
    assert_eq!(t.rows[0], vec!["bike", "1001"]);
    assert_eq!(t.rows.len(), 7);
    assert!(!t.truncated);
    let out = run_ok(&mut k, "display(df)");
    let [CellOutput::Table(t)] = out.as_slice() else { panic!("{out:?}") };
    assert_eq!((t.rows.len(), t.truncated), (1000, true));

    let out = run_ok(&mut k, "display(stream.groupBy('gt').count())");
    let [CellOutput::LiveTable { query_id, table }] = out.as_slice() else { panic!("{out:?}") };
    assert_eq!(table, "display_query_1");
    let query = k.session().streams().get(query_id).expect("the display query is active");
    query.process_all_available().unwrap();
    assert_eq!(result(&mut k, "spark.table('display_query_1').orderBy('gt').first()"), "Row(gt='bike', count=1001)");
    query.stop();
}

#[test]
fn streaming_queries_through_python() {
    let mut k = setup();
    run_ok(&mut k, "batches = []\ndef each(batch_df, batch_id):\n    batches.append((batch_id, batch_df.count(), batch_df.isStreaming))\n\nq = stream.writeStream.foreachBatch(each).trigger(once=True).start()");
    assert_eq!(result(&mut k, "q.lastProgress, q.name, q.exception()"), "(None, None, None)");
    assert_eq!(result(&mut k, "q.awaitTermination(5)"), "True");
    assert_eq!(result(&mut k, "batches, q.isActive, q.status['message']"), "([(0, 16006, False)], False, 'Stopped')");
    assert_eq!(result(&mut k, "q"), "<pyspark.sql.streaming.query.StreamingQuery object at 0x7f0000000000>");

    let windowed = "events = stream.withColumn('ts', (col('Creation_Time') / 1e9).cast('timestamp')).withWatermark('ts', '1 minute')\nw = events.groupBy(window('ts', '10 minutes'), 'gt').agg(count('*').alias('n'))\nq2 = w.writeStream.format('memory').queryName('win').outputMode('complete').start()\nq2.processAllAvailable()\nq2.stop()";
    run_ok(&mut k, windowed);
    assert_eq!(result(&mut k, "sum(r.n for r in spark.table('win').collect())"), "16006");
    assert_eq!(result(&mut k, "spark.table('win').orderBy('window', 'gt').first().window"), "Row(start=datetime.datetime(2015, 2, 23, 13, 0), end=datetime.datetime(2015, 2, 23, 13, 10))");

    let e = error(&k.run_cell("def boom(df, i):\n    raise ValueError('bad batch')\nq3 = stream.writeStream.foreachBatch(boom).start()\nq3.awaitTermination()"));
    assert!(e.message.contains("bad batch"), "{e:?}");
    assert_eq!(e.location, Some((4, 1)));
    let e = error(&k.run_cell("stream.writeStream.trigger(continuous=1)"));
    assert_eq!(e.headline(), "PySparkValueError: [VALUE_NOT_NON_EMPTY_STR] Value for `continuous` must be a non empty string, got '1'.");
    let e = error(&k.run_cell("stream.writeStream.trigger(once='x')"));
    assert_eq!(e.headline(), "PySparkValueError: [VALUE_NOT_TRUE] Value for `once` must be True, got 'x'.");
    let e = error(&k.run_cell("stream.writeStream.format('memory').start()"));
    assert_eq!(e.headline(), "AnalysisException: queryName must be specified for memory sink.");
    let e = error(&k.run_cell("stream.count()"));
    assert_eq!(e.headline(), "AnalysisException: Queries with streaming sources must be executed with writeStream.start();");
}

