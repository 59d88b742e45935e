//! Windows and aggregates against real PySpark 3.5 output recorded by
//! `tests/golden/generate_aggregates.py`, plus incremental-merge and state round-trip properties.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Int64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, TimestampMicrosecondType};
use arrow::record_batch::RecordBatch;
use serde_json::Value;
use streamlab_expr::aggregate::{
    decode_state, encode_state, literals_to_array, resolve_aggregate, AggregateExpr, AggregateFunction,
};
use streamlab_expr::cast::cast_array;
use streamlab_expr::types::{simple_string, timestamp_type};
use streamlab_expr::window::{assign_windows, resolve_window, window_field, window_spec, window_starts};
use streamlab_expr::{parse_expression, parse_schema, resolve, EvalContext, Expr, Literal};
use streamlab_types::rng::Rng;
use streamlab_types::SparkError;

fn golden() -> Value {
    serde_json::from_str(include_str!("golden/aggregates.json")).expect("golden json")
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|x| x.as_str().expect("str").to_string()).collect()
}

fn window_args(args: &[String], time: Expr) -> Vec<Expr> {
    let mut v = vec![time];
    v.extend(args.iter().map(|a| Expr::lit(a.as_str())));
    v
}

fn check_error(err: &SparkError, want: &Value, what: &str) {
    assert_eq!(err.error_class.as_deref(), want["class"].as_str(), "class of {what}: {err}");
    assert_eq!(err.message, want["message"].as_str().unwrap(), "message of {what}");
}

#[test]
fn window_assignments_match_spark() {
    let g = golden();
    let times: Vec<Option<i64>> = g["window_times"].as_array().unwrap().iter().map(|t| t.as_i64()).collect();
    let arr = TimestampMicrosecondArray::from(times.clone()).with_timezone("UTC");
    for case in g["windows"].as_array().unwrap() {
        let args = strs(&case["args"]);
        let spec = window_spec(&window_args(&args, Expr::col("t"))).unwrap();
        let want: Vec<(u32, i64, i64)> = case["windows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r[0].as_u64().unwrap() as u32, r[1].as_i64().unwrap(), r[2].as_i64().unwrap()))
            .collect();
        // scalar formula
        let mut got = Vec::new();
        for (i, t) in times.iter().enumerate() {
            if let Some(t) = t {
                for s in window_starts(*t, &spec) {
                    got.push((i as u32, s, s + spec.window_us));
                }
            }
        }
        assert_eq!(got, want, "window{args:?}");
        // vectorized
        let (rows, win) = assign_windows(&arr, &spec);
        let starts = win.column(0).as_primitive::<TimestampMicrosecondType>();
        let ends = win.column(1).as_primitive::<TimestampMicrosecondType>();
        let got2: Vec<(u32, i64, i64)> =
            (0..rows.len()).map(|i| (rows.value(i), starts.value(i), ends.value(i))).collect();
        assert_eq!(got2, want, "assign_windows{args:?}");
        assert_eq!(win.data_type(), &streamlab_expr::window::window_type());
    }
}

#[test]
fn window_errors_match_spark() {
    let g = golden();
    let schema = Schema::new(vec![
        Field::new("row", DataType::Int32, true),
        Field::new("us", DataType::Int64, true),
        Field::new("t", timestamp_type(), true),
    ]);
    for case in g["window_errors"].as_array().unwrap() {
        let args = strs(&case["args"]);
        let col = case["column"].as_str().unwrap_or("t");
        let call = window_args(&args, Expr::col(col));
        let r = resolve_window(&call, &schema);
        match &case["error"] {
            Value::Null => assert!(r.is_ok(), "window{args:?} should resolve"),
            want => {
                let err = r.err().unwrap_or_else(|| panic!("window({col}, {args:?}) should fail"));
                check_error(&err, want, &format!("window({col}, {args:?})"));
                if col == "t" {
                    check_error(&window_spec(&call).unwrap_err(), want, "window_spec");
                }
            }
        }
    }
    let f = &g["window_field"];
    let mine = window_field("window");
    assert_eq!(mine.name(), f["name"].as_str().unwrap());
    assert_eq!(simple_string(mine.data_type()), f["type"].as_str().unwrap());
    assert_eq!(mine.is_nullable(), f["nullable"].as_bool().unwrap());
    assert_eq!(mine.metadata().get("spark.timeWindow").map(String::as_str), Some("true"));
}

/// The lesson's rows (from event_time.json): Creation_Time and gt.
fn lesson_batch() -> RecordBatch {
    let ev: Value = serde_json::from_str(include_str!("golden/event_time.json")).unwrap();
    let rows = ev["rows"].as_array().unwrap();
    let ct: Int64Array = rows.iter().map(|r| r[1].as_str().and_then(|s| s.parse::<i64>().ok())).collect();
    let gt: StringArray = rows.iter().map(|r| r[6].as_str().map(str::to_string)).collect();
    let schema = Schema::new(vec![Field::new("Creation_Time", DataType::Int64, true), Field::new("gt", DataType::Utf8, true)]);
    RecordBatch::try_new(Arc::new(schema), vec![Arc::new(ct), Arc::new(gt)]).unwrap()
}

#[test]
fn lesson_window_counts_match_spark() {
    let g = golden();
    let batch = lesson_batch();
    let schema = batch.schema();
    let et = resolve(&parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap(), &schema).unwrap();
    let times = et.evaluate(&batch, &EvalContext::default()).unwrap();
    let times = times.as_primitive::<TimestampMicrosecondType>();
    let gt = batch.column(1).as_string::<i32>();
    for (args, key) in [(vec!["10 minutes"], "lesson"), (vec!["10 minutes", "5 minutes"], "lesson_sliding")] {
        let args: Vec<String> = args.into_iter().map(str::to_string).collect();
        let spec = window_spec(&window_args(&args, Expr::col("event_time"))).unwrap();
        let (rows, win) = assign_windows(times, &spec);
        let starts = win.column(0).as_primitive::<TimestampMicrosecondType>();
        let count = resolve_aggregate(&parse_expression("count(*)").unwrap(), &schema).unwrap();
        let approx = resolve_aggregate(&parse_expression("approx_count_distinct(Creation_Time)").unwrap(), &schema).unwrap();
        let cvals = count.evaluate_args(&batch, &EvalContext::default()).unwrap();
        let avals = approx.evaluate_args(&batch, &EvalContext::default()).unwrap();
        let mut groups: BTreeMap<(i64, String), Vec<u32>> = BTreeMap::new();
        for i in 0..rows.len() {
            let r = rows.value(i);
            let k = if gt.is_null(r as usize) { "\u{0}".to_string() } else { gt.value(r as usize).to_string() };
            groups.entry((starts.value(i), k)).or_default().push(r);
        }
        let mut got: Vec<Value> = Vec::new();
        for ((s, k), rs) in &groups {
            let mut c = count.new_accumulator();
            c.update(&cvals, rs).unwrap();
            let Literal::Long(n) = c.evaluate().unwrap() else { panic!() };
            if key == "lesson" {
                got.push(serde_json::json!([s, s + spec.window_us, k, n]));
            } else {
                let mut a = approx.new_accumulator();
                a.update(&avals, rs).unwrap();
                let Literal::Long(d) = a.evaluate().unwrap() else { panic!() };
                got.push(serde_json::json!([s, k, n, d]));
            }
        }
        assert_eq!(Value::Array(got), g[key], "{key}");
    }
}

/// The small typed table, each column cast from its text the way Spark's CAST does.
fn agg_table(g: &Value) -> RecordBatch {
    let fields = parse_schema(g["agg_schema"].as_str().unwrap()).unwrap();
    let rows = g["agg_rows"].as_array().unwrap();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for (c, f) in fields.iter().enumerate() {
        let text: StringArray = rows.iter().map(|r| r[c].as_str().map(str::to_string)).collect();
        let arr: ArrayRef = Arc::new(text);
        cols.push(cast_array(&arr, f.data_type()).unwrap());
    }
    let schema = Schema::new(fields.iter().map(|f| f.as_ref().clone()).collect::<Vec<_>>());
    RecordBatch::try_new(Arc::new(schema), cols).unwrap()
}

fn api_case(id: &str) -> Option<Expr> {
    let c = Expr::col;
    Some(match id {
        "api_count_star" => Expr::call("count", vec![c("*")]),
        "api_count_distinct" => Expr::call("countDistinct", vec![c("i")]),
        "api_count_distinct2" => Expr::call("count_distinct", vec![c("i"), c("s")]),
        "api_first_ignorenulls" => Expr::call("first", vec![c("i"), Expr::lit(true)]),
        "api_mean" => Expr::call("avg", vec![c("d")]),
        "api_alias" => Expr::call("max", vec![c("s")]).alias("m"),
        _ => return None,
    })
}

fn case_expr(id: &str) -> Expr {
    api_case(id).unwrap_or_else(|| parse_expression(id).unwrap_or_else(|e| panic!("{id}: {e}")))
}

/// `CAST(result AS STRING)` of one accumulator's result.
fn as_text(agg: &AggregateExpr, v: Literal) -> Option<String> {
    let arr = literals_to_array(&[v], agg.data_type()).unwrap();
    let s = cast_array(&arr, &DataType::Utf8).unwrap();
    let s = s.as_string::<i32>();
    if s.is_null(0) {
        None
    } else {
        Some(s.value(0).to_string())
    }
}

/// Rows of each group (groups sorted by k), in input order.
fn groups(batch: &RecordBatch) -> Vec<Vec<u32>> {
    let k = batch.column(0).as_string::<i32>();
    let mut m: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for i in 0..batch.num_rows() {
        m.entry(k.value(i).to_string()).or_default().push(i as u32);
    }
    m.into_values().collect()
}

/// Splits `rows` into random consecutive micro-batches, aggregates each in a fresh accumulator,
/// checkpoints the running state through bytes after every batch, and merges.
fn incremental(agg: &AggregateExpr, values: &[ArrayRef], rows: &[u32], rng: &mut Rng) -> Literal {
    let mut state = encode_state(&agg.new_accumulator().state()).unwrap();
    let mut i = 0;
    while i < rows.len() {
        let n = 1 + (rng.next_u64() % 3) as usize;
        let end = (i + n).min(rows.len());
        let mut part = agg.new_accumulator();
        part.update(values, &rows[i..end]).unwrap();
        let mut running = agg.accumulator_from_state(&decode_state(&state).unwrap()).unwrap();
        running.merge(part.as_ref()).unwrap();
        state = encode_state(&running.state()).unwrap();
        i = end;
    }
    agg.accumulator_from_state(&decode_state(&state).unwrap()).unwrap().evaluate().unwrap()
}

#[test]
fn aggregates_match_spark() {
    let g = golden();
    let batch = agg_table(&g);
    let schema = batch.schema();
    let ctx = EvalContext::default();
    let groups = groups(&batch);
    let all: Vec<u32> = (0..batch.num_rows() as u32).collect();
    let mut rng = Rng::new(0x9e3779b97f4a7c15);
    for case in g["aggregates"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let agg = resolve_aggregate(&case_expr(id), &schema).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(agg.name(), case["name"].as_str().unwrap(), "name of {id}");
        assert_eq!(simple_string(agg.data_type()), case["type"].as_str().unwrap(), "type of {id}");
        assert_eq!(agg.nullable(), case["nullable"].as_bool().unwrap(), "nullability of {id}");
        let values = agg.evaluate_args(&batch, &ctx).unwrap();
        // Floating-point sums depend on how rows are grouped (in Spark too, across partitions);
        // every other aggregate must be exactly split-invariant.
        let exact = !(agg.data_type() == &DataType::Float64
            && matches!(agg.function(), AggregateFunction::Sum | AggregateFunction::Avg));
        let want: Vec<Option<String>> =
            case["grouped"].as_array().unwrap().iter().map(|v| v.as_str().map(str::to_string)).collect();
        let mut got = Vec::new();
        for rows in &groups {
            let mut acc = agg.new_accumulator();
            acc.update(&values, rows).unwrap();
            let one_pass = acc.evaluate().unwrap();
            got.push(as_text(&agg, one_pass.clone()));
            for _ in 0..if exact { 5 } else { 0 } {
                let inc = incremental(&agg, &values, rows, &mut rng);
                assert_eq!(as_text(&agg, inc), as_text(&agg, one_pass.clone()), "incremental {id}");
            }
        }
        assert_eq!(got, want, "grouped values of {id}");
        let mut acc = agg.new_accumulator();
        acc.update(&values, &all).unwrap();
        assert_eq!(as_text(&agg, acc.evaluate().unwrap()), case["global"].as_str().map(str::to_string), "global {id}");
        for _ in 0..if exact { 5 } else { 0 } {
            let inc = incremental(&agg, &values, &all, &mut rng);
            assert_eq!(as_text(&agg, inc), case["global"].as_str().map(str::to_string), "incremental global {id}");
        }
    }
    assert_eq!(g["group_by_count_name"], "count");
}

#[test]
fn aggregate_errors_match_spark() {
    let g = golden();
    let batch = agg_table(&g);
    let schema = batch.schema();
    for case in g["aggregate_errors"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let err = match id {
            "with_column_sum" | "select_sum_and_column" => {
                resolve(&Expr::call("sum", vec![Expr::col("i")]), &schema).unwrap_err()
            }
            "sum_boolean" => resolve_aggregate(&Expr::call("sum", vec![Expr::col("b")]), &schema).unwrap_err(),
            "avg_boolean" => resolve_aggregate(&Expr::call("avg", vec![Expr::col("b")]), &schema).unwrap_err(),
            "nested" => resolve_aggregate(
                &Expr::call("sum", vec![Expr::call("max", vec![Expr::col("i")])]),
                &schema,
            )
            .unwrap_err(),
            other => panic!("unknown case {other}"),
        };
        check_error(&err, &case["error"], id);
    }
}

#[test]
fn approx_count_distinct_matches_spark_estimates() {
    let g = golden();
    let schema = Schema::new(vec![
        Field::new("l", DataType::Int64, false),
        Field::new("s", DataType::Utf8, false),
        Field::new("d", DataType::Float64, false),
        Field::new("i", DataType::Int32, false),
    ]);
    for case in g["approx"].as_array().unwrap() {
        let n = case["n"].as_i64().unwrap();
        let l: Int64Array = (0..n).collect();
        let s: StringArray = (0..n).map(|x| Some(x.to_string())).collect();
        let d: arrow::array::Float64Array = (0..n).map(|x| x as f64 * 0.5).collect();
        let i: arrow::array::Int32Array = (0..n).map(|x| x as i32).collect();
        let batch = RecordBatch::try_new(
            Arc::new(schema.clone()),
            vec![Arc::new(l), Arc::new(s), Arc::new(d), Arc::new(i)],
        )
        .unwrap();
        let rows: Vec<u32> = (0..n as u32).collect();
        for (expr, key) in [
            ("approx_count_distinct(l)", "long"),
            ("approx_count_distinct(s)", "string"),
            ("approx_count_distinct(d)", "double"),
            ("approx_count_distinct(i, 0.01)", "int_rsd_0.01"),
        ] {
            let agg = resolve_aggregate(&parse_expression(expr).unwrap(), &schema).unwrap();
            let values = agg.evaluate_args(&batch, &EvalContext::default()).unwrap();
            let mut acc = agg.new_accumulator();
            acc.update(&values, &rows).unwrap();
            assert_eq!(acc.evaluate().unwrap(), Literal::Long(case[key].as_i64().unwrap()), "{expr} over {n}");
        }
    }
}

#[test]
fn no_panic_on_hostile_input() {
    let schema = Schema::new(vec![Field::new("x", DataType::Int64, true)]);
    let agg = resolve_aggregate(&Expr::call("sum", vec![Expr::col("x")]), &schema).unwrap();
    let mut acc = agg.new_accumulator();
    let values: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(vec![1]))];
    assert!(acc.update(&values, &[5]).is_err());
    assert!(acc.update(&[], &[0]).is_err());
    assert!(agg.accumulator_from_state(&[Literal::Long(1), Literal::Long(2)]).is_err());
    for bytes in [&b""[..], b"SLA1", b"SLA1\xff\xff\xff\xff", b"SLA1\x01\x00\x00\x00\x09\xff\xff\xff\xff"] {
        assert!(decode_state(bytes).is_err());
    }
    // extreme windows never panic
    let spec = streamlab_expr::window::WindowSpec { time_column: Expr::col("t"), window_us: i64::MAX, slide_us: i64::MAX / 2, start_us: 0 };
    for t in [i64::MIN, -1, 0, i64::MAX] {
        let _ = window_starts(t, &spec);
    }
    assert!(window_spec(&[Expr::col("t"), Expr::lit("1 day"), Expr::lit("1 microsecond")]).is_err());
    assert!(window_spec(&[Expr::col("t")]).is_err());
    assert!(window_spec(&[Expr::col("t"), Expr::lit(5)]).is_err());
}
