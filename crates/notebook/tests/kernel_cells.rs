//! The kernel's cell handling: magics, results, errors with locations, state across cells,
//! Spark's log lines, live output through the listener, background output, and the loop limit.

mod python_support;

use std::cell::RefCell;
use std::rc::Rc;

use python_support::{error, kernel, run_ok, stdout};
use streamlab_notebook::output::CellOutput;
use streamlab_notebook::python::Limits;

#[test]
fn variables_persist_and_the_last_expression_is_the_result() {
    let (mut k, _, _) = kernel();
    assert!(run_ok(&mut k, "a = 20\ndef twice(x):\n    return 2 * x").is_empty());
    assert_eq!(run_ok(&mut k, "twice(a) + 2"), vec![CellOutput::Result("42".into())]);
    assert!(run_ok(&mut k, "print(None) or None").iter().all(|o| !matches!(o, CellOutput::Result(_))));
    assert_eq!(run_ok(&mut k, "spark = __import_me = 1\n'done'").last(), Some(&CellOutput::Result("'done'".into())));
}

#[test]
fn magics_dispatch_on_the_first_line() {
    let (mut k, _, _) = kernel();
    assert_eq!(
        k.run_cell("%md\n# Title\ntext"),
        vec![CellOutput::Html(streamlab_notebook::markdown::render_markdown("# Title\ntext"))]
    );
    assert_eq!(run_ok(&mut k, "%python\nx = 3\nprint(x)"), vec![CellOutput::Stdout("3\n".into())]);
    let e = error(&k.run_cell("%python\nx = 1\ny = undefined_name"));
    assert_eq!(e.headline(), "NameError: name 'undefined_name' is not defined");
    assert_eq!(e.location, Some((3, 1)), "lines count the magic line");
    let e = error(&k.run_cell("%pip install pandas"));
    assert_eq!(e.ename, "NotImplementedError");
    let out = k.run_cell("%sql\nSELECT 1");
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(matches!(out[0], CellOutput::Table(_) | CellOutput::Error(_)));
}

#[test]
fn errors_stop_the_cell_keep_earlier_output_and_name_the_statement() {
    let (mut k, _, _) = kernel();
    let out = k.run_cell("print('before')\nfor i in range(3):\n    print(i)\n    if i == 1:\n        x = 1 / 0\nprint('never')");
    assert_eq!(stdout(&out), "before\n0\n1\n");
    let e = error(&out);
    assert_eq!(e.headline(), "ZeroDivisionError: division by zero");
    assert_eq!(e.location, Some((5, 9)));

    let e = error(&k.run_cell("x = 1\n\nclass Foo:\n    pass"));
    assert_eq!(e.headline(), "NotImplementedError: StreamLab does not support class definitions (line 3, column 1)");
    assert_eq!(e.location, Some((3, 1)));

    let e = error(&k.run_cell("x = (1,\ny = 2"));
    assert_eq!(e.ename, "SyntaxError");
    assert!(e.location.is_some());

    let e = error(&k.run_cell("import pandas"));
    assert_eq!(e.headline(), "ModuleNotFoundError: No module named 'pandas'");

    let e = error(&k.run_cell("df = spark_undefined.read"));
    assert_eq!(e.headline(), "NameError: name 'spark_undefined' is not defined");
}

#[test]
fn spark_errors_read_like_pyspark() {
    let (mut k, _, _) = kernel();
    run_ok(&mut k, "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\ndf = spark.read.json('/data/activity')");
    let e = error(&k.run_cell("df.select('Arival_Time')"));
    assert_eq!(e.ename, "AnalysisException");
    assert!(e.message.starts_with("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `Arival_Time` cannot be resolved."), "{}", e.message);
    assert_eq!(e.location, Some((1, 1)));
    let e = error(&k.run_cell("df.foo"));
    assert_eq!(e.headline(), "AttributeError: 'DataFrame' object has no attribute 'foo'");
    let e = error(&k.run_cell("spark.read.json('/nope')"));
    assert_eq!(e.headline(), "AnalysisException: [PATH_NOT_FOUND] Path does not exist: file:/nope.");
    let e = error(&k.run_cell("df.toPandas()"));
    assert_eq!(e.ename, "NotImplementedError");
}

#[test]
fn spark_log_lines_follow_set_log_level_and_use_log4j_layout() {
    let (mut k, _, _) = kernel();
    run_ok(&mut k, "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\ns = spark.readStream.schema('gt string').json('/data/activity')");
    let out = run_ok(&mut k, "q = s.writeStream.format('memory').queryName('t1').start()");
    let logs: Vec<&String> = out.iter().filter_map(|o| match o { CellOutput::Stderr(s) => Some(s), _ => None }).collect();
    assert_eq!(logs.len(), 1, "{out:?}");
    assert!(logs[0].starts_with("25/12/15 13:20:26 WARN ResolveWriteToStream: Temporary checkpoint location created which is deleted normally"), "{}", logs[0]);
    run_ok(&mut k, "q.stop()\nspark.sparkContext.setLogLevel('ERROR')");
    let out = run_ok(&mut k, "q = s.writeStream.format('memory').queryName('t2').start()\nq.stop()");
    assert!(out.iter().all(|o| !matches!(o, CellOutput::Stderr(_))), "{out:?}");
    let e = error(&k.run_cell("spark.sparkContext.setLogLevel('LOUD')"));
    assert_eq!(e.headline(), "IllegalArgumentException: Supplied level LOUD did not match one of: ALL,DEBUG,ERROR,FATAL,INFO,OFF,TRACE,WARN");
}

#[test]
fn the_listener_sees_console_batches_as_they_are_printed_and_background_output_is_kept() {
    let (k, _, clock) = kernel();
    let seen: Rc<RefCell<Vec<CellOutput>>> = Rc::default();
    let sink = seen.clone();
    let mut k = k.with_listener(Rc::new(move |o: &CellOutput| sink.borrow_mut().push(o.clone())));
    run_ok(&mut k, "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\nspark.sparkContext.setLogLevel('ERROR')");
    run_ok(&mut k, "s = spark.readStream.schema('gt string').option('maxFilesPerTrigger', 4).json('/data/activity')\nq = s.groupBy('gt').count().writeStream.format('console').outputMode('complete').trigger(processingTime='10 seconds').start()");
    // The first trigger is due at once: the host's timer runs it between cells.
    assert!(k.session().run_due_triggers().is_some());
    let background = k.drain_background_output();
    let text = stdout(&background);
    assert!(text.starts_with("-------------------------------------------\nBatch: 0\n"), "{text}");
    assert!(seen.borrow().iter().any(|o| matches!(o, CellOutput::Stdout(s) if s.contains("Batch: 0"))));
    clock.advance(10_000);
    let out = run_ok(&mut k, "q.processAllAvailable()\nq.stop()\nprint('stopped')");
    let text = stdout(&out);
    assert!(text.contains("Batch: 1\n") && text.ends_with("stopped\n"), "{text}");
    assert!(k.drain_background_output().is_empty());
}

#[test]
fn runaway_loops_end_with_a_clear_error() {
    let (k, _, _) = kernel();
    let mut k = k.with_limits(Limits { max_loop_iterations: 1000, ..Limits::default() });
    let e = error(&k.run_cell("n = 0\nwhile True:\n    n += 1"));
    assert_eq!(e.ename, "RuntimeError");
    assert!(e.message.contains("after 1000 loop iterations"), "{}", e.message);
    let e = error(&k.run_cell("while True:\n    try:\n        pass\n    except Exception:\n        pass"));
    assert!(e.message.contains("1000 loop iterations"), "the limit cannot be caught: {e:?}");
    assert_eq!(run_ok(&mut k, "n")[0], CellOutput::Result("1000".into()));
    let e = error(&k.run_cell("def f(x):\n    return f(x + 1)\nf(0)"));
    assert_eq!(e.headline(), "RecursionError: maximum recursion depth exceeded");

    let stop = Rc::new(RefCell::new(false));
    let flag = stop.clone();
    let (k2, _, _) = kernel();
    let mut k2 = k2.with_limits(Limits { interrupt: Some(Rc::new(move || *flag.borrow())), ..Limits::default() });
    run_ok(&mut k2, "for i in range(10):\n    pass");
    *stop.borrow_mut() = true;
    assert_eq!(error(&k2.run_cell("for i in range(10):\n    pass")).ename, "KeyboardInterrupt");
}

#[test]
fn os_environ_comes_from_the_host() {
    let (k, _, _) = kernel();
    let mut k = k.with_env(vec![("DATA_DIR".into(), "/data".into())]);
    let out = run_ok(&mut k, "import os\nprint(os.environ.get('DATA_DIR'), os.environ.get('NOPE', 'dflt'), os.getenv('NOPE'))\nos.environ.pop('DATA_DIR', None)\nprint('DATA_DIR' in os.environ)");
    assert_eq!(stdout(&out), "/data dflt None\nFalse\n");
    assert_eq!(error(&k.run_cell("os.environ['X']")).headline(), "KeyError: 'X'");
}
