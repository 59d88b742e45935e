//! The public API as the engine and the notebook interpreter use it: building, naming,
//! star expansion, evaluation context, errors, and robustness on arbitrary input.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int32Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Fields, Schema, TimestampMicrosecondType};
use arrow::record_batch::RecordBatch;
use streamlab_expr::types::{simple_string, timestamp_type};
use streamlab_expr::{
    expand_star, function_names, parse_data_type, parse_expression, resolve, EvalContext, Expr, Literal,
};
use streamlab_types::rng::Rng;
use streamlab_types::time::format_timestamp;

fn schema() -> Arc<Schema> {
    let st = DataType::Struct(Fields::from(vec![
        Field::new("a", DataType::Int32, true),
        Field::new("b", DataType::Utf8, true),
    ]));
    Arc::new(Schema::new(vec![
        Field::new("i", DataType::Int32, true),
        Field::new("l", DataType::Int64, false),
        Field::new("s", DataType::Utf8, true),
        Field::new("d", DataType::Float64, true),
        Field::new("st", st, true),
    ]))
}

fn batch() -> RecordBatch {
    let schema = schema();
    let st = arrow::array::StructArray::try_new(
        match schema.field(4).data_type() {
            DataType::Struct(f) => f.clone(),
            _ => unreachable!(),
        },
        vec![
            Arc::new(Int32Array::from(vec![Some(2), None, Some(4)])) as ArrayRef,
            Arc::new(StringArray::from(vec![Some("x"), Some("y"), None])) as ArrayRef,
        ],
        Some(vec![true, true, false].into()),
    )
    .unwrap();
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(Int32Array::from(vec![Some(1), None, Some(3)])),
            Arc::new(Int64Array::from(vec![10, 20, 30])),
            Arc::new(StringArray::from(vec![Some("abc"), None, Some("2015-02-23 13:03:51")])),
            Arc::new(Float64Array::from(vec![Some(1.5), Some(f64::NAN), None])),
            Arc::new(st),
        ],
    )
    .unwrap()
}

fn eval(e: &Expr) -> (String, DataType, bool, ArrayRef) {
    let b = batch();
    let p = resolve(e, &b.schema()).unwrap_or_else(|err| panic!("{:?}: {}", e, err));
    let out = p.evaluate(&b, &EvalContext { batch_timestamp_ms: 1_424_696_631_914 }).unwrap();
    (p.name().to_string(), p.data_type().clone(), p.nullable(), out)
}

fn texts(a: &ArrayRef) -> Vec<Option<String>> {
    let s = streamlab_expr::cast::cast_array(a, &DataType::Utf8).unwrap();
    let s = s.as_string::<i32>();
    (0..s.len()).map(|i| if s.is_null(i) { None } else { Some(s.value(i).to_string()) }).collect()
}

#[test]
fn resolved_expressions_cross_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<streamlab_expr::PhysicalExpr>();
    assert_send_sync::<Expr>();
}

#[test]
fn names_follow_spark() {
    let cases: Vec<(Expr, &str)> = vec![
        (Expr::col("I"), "I"),
        (Expr::col("i").add(Expr::lit(1)), "(i + 1)"),
        (Expr::col("i").cast(DataType::Int64), "i"),
        (Expr::col("i").add(Expr::lit(1)).cast(DataType::Utf8), "CAST((i + 1) AS STRING)"),
        (Expr::col("st.a"), "a"),
        (Expr::col("st.a").cast(DataType::Utf8), "CAST(st.a AS STRING)"),
        (Expr::col("st").get_field("b"), "st.b"),
        (Expr::col("i").alias("x").cast(DataType::Int64), "x"),
        (Expr::col("i").alias("x").add(Expr::lit(1)), "(i AS x + 1)"),
        (Expr::call("to_timestamp", vec![Expr::col("s")]), "to_timestamp(s)"),
        (Expr::call("current_timestamp", vec![]), "current_timestamp()"),
        (Expr::col("current_date"), "current_date()"),
        (Expr::call("unix_timestamp", vec![]), "unix_timestamp(current_timestamp(), yyyy-MM-dd HH:mm:ss)"),
        (parse_expression("i != 2").unwrap(), "(NOT (i = 2))"),
        (parse_expression("CASE WHEN i > 0 THEN 'p' ELSE 'n' END").unwrap(), "CASE WHEN (i > 0) THEN p ELSE n END"),
        (parse_expression("s AS `my col`").unwrap(), "my col"),
        (parse_expression("round(d)").unwrap(), "round(d, 0)"),
        (parse_expression("power(d, 2)").unwrap(), "POWER(d, 2)"),
        (parse_expression("pow(d, 2)").unwrap(), "pow(d, 2)"),
    ];
    for (e, want) in cases {
        assert_eq!(eval(&e).0, want, "{:?}", e);
    }
}

#[test]
fn names_with_special_characters_stay_bare_in_text() {
    // Spark 3.5: `my col` + 1 is named "(my col + 1)"; `a.b`.c inside upper() is "upper(a.b.c)".
    let st = DataType::Struct(Fields::from(vec![Field::new("c", DataType::Int32, true)]));
    let s = Schema::new(vec![Field::new("my col", DataType::Int32, true), Field::new("a.b", st, true)]);
    let name = |sql: &str| resolve(&parse_expression(sql).unwrap(), &s).unwrap().name().to_string();
    assert_eq!(name("`my col` + 1"), "(my col + 1)");
    assert_eq!(name("`my col`"), "my col");
    assert_eq!(name("`a.b`.c"), "c");
    assert_eq!(name("upper(`a.b`.c)"), "upper(a.b.c)");
    let e = Expr::col("`a.b`.c").add(Expr::lit(1));
    assert_eq!(resolve(&e, &s).unwrap().name(), "(a.b.c + 1)");
    let e = Expr::col("i").isin(vec![]);
    let (n, _, nullable, out) = eval(&e);
    assert_eq!((n.as_str(), nullable), ("(i IN ())", false));
    assert_eq!(texts(&out), vec![Some("false".into()); 3]);
}

#[test]
fn coercion_result_types() {
    let cases = [
        ("i + l", "bigint"),
        ("i / 2", "double"),
        ("l / i", "double"),
        ("i * 1.5", "decimal(13,1)"),
        ("i + 1.5D", "double"),
        ("s + 1", "double"),
        ("i div 2", "bigint"),
        ("coalesce(i, s)", "string"),
        ("greatest(i, l)", "bigint"),
        ("CASE WHEN i > 0 THEN 1 ELSE 2.5 END", "decimal(11,1)"),
        ("i IN ('1', 2)", "boolean"),
        ("floor(d)", "bigint"),
        ("abs(s)", "double"),
        ("split(s, ',')", "array<string>"),
        ("from_json(s, 'a INT')", "struct<a:int>"),
        ("struct(i, s AS z)", "struct<i:int,z:string>"),
        ("map('k', i)", "map<string,int>"),
        ("CAST(d AS TIMESTAMP)", "timestamp"),
    ];
    for (sql, want) in cases {
        let (_, t, _, _) = eval(&parse_expression(sql).unwrap());
        assert_eq!(simple_string(&t), want, "{}", sql);
    }
}

#[test]
fn values_and_three_valued_logic() {
    let (_, _, _, out) = eval(&parse_expression("i > 1 AND s IS NULL").unwrap());
    assert_eq!(texts(&out), vec![Some("false".into()), None, Some("false".into())]);
    let (_, _, _, out) = eval(&parse_expression("i > 1 OR true").unwrap());
    assert_eq!(texts(&out), vec![Some("true".into()); 3]);
    let (_, _, nullable, out) = eval(&parse_expression("i <=> NULL").unwrap());
    assert!(!nullable);
    assert_eq!(texts(&out), vec![Some("false".into()), Some("true".into()), Some("false".into())]);
    // NaN equals itself and is larger than any number in Spark
    let (_, _, _, out) = eval(&parse_expression("d = d AND d >= 1e308").unwrap());
    assert_eq!(texts(&out), vec![Some("false".into()), Some("true".into()), None]);
    let (_, _, _, out) = eval(&Expr::col("st.a"));
    assert_eq!(texts(&out), vec![Some("2".into()), None, None]);
}

#[test]
fn current_timestamp_is_the_batch_timestamp() {
    let (_, t, nullable, out) = eval(&Expr::call("current_timestamp", vec![]));
    assert_eq!(t, timestamp_type());
    assert!(!nullable);
    let ts = out.as_primitive::<TimestampMicrosecondType>();
    assert!((0..3).all(|i| ts.value(i) == 1_424_696_631_914_000));
    assert_eq!(format_timestamp(ts.value(0)), "2015-02-23 13:03:51.914");
    let (_, _, _, out) = eval(&Expr::call("current_date", vec![]));
    assert_eq!(texts(&out)[0].as_deref(), Some("2015-02-23"));
}

#[test]
fn star_expansion() {
    let s = schema();
    let out = expand_star(&[Expr::col("*"), Expr::col("st.*"), Expr::col("i").alias("j"), Expr::col("nope.*")], &s);
    let names: Vec<String> = out
        .iter()
        .map(|e| match e {
            Expr::Column(c) => c.clone(),
            Expr::Alias(_, n) => format!("AS {}", n),
            _ => "?".into(),
        })
        .collect();
    assert_eq!(names, vec!["i", "l", "s", "d", "st", "st.a", "st.b", "AS j", "nope.*"]);
    let err = resolve(&Expr::col("nope.*"), &s).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("CANNOT_RESOLVE_STAR_EXPAND"));
    // a star inside a function call expands into its arguments
    let (name, _, _, out) = eval(&parse_expression("concat_ws('-', st.*)").unwrap());
    assert_eq!(name, "concat_ws(-, st.a, st.b)");
    assert_eq!(texts(&out), vec![Some("2-x".into()), Some("y".into()), Some("".into())]);
    let err = resolve(&parse_expression("concat_ws('-', *)").unwrap(), &s).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"));
}

#[test]
fn introspection_for_the_engine() {
    let e = parse_expression("monotonically_increasing_id() + length(upper(s)) + LENGTH(t.x)").unwrap();
    assert_eq!(e.function_names(), vec!["monotonically_increasing_id", "length", "upper"]);
    assert_eq!(e.column_names(), vec!["s", "t.x"]);
    let names = function_names();
    for f in [
        "to_timestamp", "to_date", "from_unixtime", "unix_timestamp", "timestamp_seconds", "date_format",
        "current_timestamp", "current_date", "year", "month", "dayofmonth", "hour", "minute", "second", "from_json",
        "upper", "lower", "length", "concat", "concat_ws", "substring", "trim", "split", "abs", "round", "floor",
        "ceil", "sqrt", "pow", "greatest", "least", "coalesce", "monotonically_increasing_id",
    ] {
        assert!(names.contains(&f), "{} not registered", f);
    }
    let p = resolve(&parse_expression("s || 'x'").unwrap(), &schema()).unwrap();
    assert_eq!(p.input_columns(), vec![2]);
}

#[test]
fn errors_read_like_spark() {
    let s = schema();
    let err = resolve(&Expr::col("nope"), &s).unwrap_err();
    assert_eq!(
        err.to_string(),
        "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope` cannot be resolved. Did you mean one of the following? [`d`, `i`, `l`, `s`, `st`]."
    );
    assert_eq!(err.headline().split(':').next(), Some("AnalysisException"));
    let err = resolve(&Expr::col("x"), &Schema::empty()).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION"));
    let err = resolve(&parse_expression("nope(i)").unwrap(), &s).unwrap_err();
    assert_eq!(
        err.to_string(),
        "[UNRESOLVED_ROUTINE] Cannot resolve function `nope` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."
    );
    let err = resolve(&Expr::col("st.c"), &s).unwrap_err();
    assert_eq!(err.to_string(), "[FIELD_NOT_FOUND] No such struct field `c` in `a`, `b`.");
    let dup = Schema::new(vec![Field::new("a", DataType::Int32, true), Field::new("A", DataType::Int32, true)]);
    let err = resolve(&Expr::col("a"), &dup).unwrap_err();
    assert_eq!(err.to_string(), "[AMBIGUOUS_REFERENCE] Reference `a` is ambiguous, could be: [`a`, `a`].");
    let err = resolve(&Expr::col("a`b"), &s).unwrap_err();
    assert_eq!(err.to_string(), "Syntax error in attribute name: a`b.");
    let err = parse_expression("i +").unwrap_err();
    assert_eq!(err.kind, streamlab_types::ErrorKind::Parse);
    assert_eq!(
        err.to_string(),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 3)\n\n== SQL ==\ni +\n---^^^\n"
    );
    let err = parse_data_type("lng").unwrap_err();
    assert!(err.to_string().starts_with("[UNSUPPORTED_DATATYPE] Unsupported data type \"LNG\"."));
}

#[test]
fn from_json_modes() {
    let s = schema();
    let b = batch();
    let permissive = resolve(&parse_expression("from_json(s, 'a INT')").unwrap(), &s).unwrap();
    assert_eq!(permissive.name(), "from_json(s)");
    let out = permissive.evaluate(&b, &EvalContext::default()).unwrap();
    assert_eq!(texts(&out), vec![Some("{null}".into()), None, Some("{null}".into())]);
    let failfast = resolve(&parse_expression("from_json(s, 'a INT', map('mode', 'FAILFAST'))").unwrap(), &s).unwrap();
    let err = failfast.evaluate(&b, &EvalContext::default()).unwrap_err();
    assert!(err.to_string().contains("MALFORMED_RECORD_IN_PARSING"), "{}", err);
    // a type can be given directly, as PySpark's StructType
    let t = parse_data_type("struct<a:int>").unwrap();
    let e = Expr::call("from_json", vec![Expr::col("s"), Expr::lit(Literal::DataType(t))]);
    assert_eq!(simple_string(resolve(&e, &s).unwrap().data_type()), "struct<a:int>");
}

#[test]
fn deep_expressions_fail_cleanly() {
    let s = schema();
    let mut e = Expr::col("i");
    for _ in 0..2000 {
        e = e.add(Expr::lit(1));
    }
    assert!(resolve(&e, &s).is_err());
    let mut e = Expr::col("i");
    for _ in 0..150 {
        e = e.add(Expr::lit(1));
    }
    let (_, t, _, _) = eval(&e);
    assert_eq!(t, DataType::Int32);
}

/// A tiny deterministic generator of token soup: parsing, resolving and evaluating it must
/// never panic, whatever it is.
#[test]
fn arbitrary_text_never_panics() {
    let vocab = [
        "i", "l", "s", "d", "st", "st.a", "st.x", "nope", "1", "0", "-1", "2147483647", "1.5", "1e9", "1e400", "'a'",
        "'2015-02-23'", "NULL", "TRUE", "+", "-", "*", "/", "%", "div", "=", "<=>", "<", ">=", "!=", "AND", "OR", "NOT",
        "(", ")", ",", "[", "]", ".", "IS", "IN", "LIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "AS",
        "INT", "STRING", "TIMESTAMP", "DECIMAL(38,10)", "upper", "substring", "round", "floor", "to_timestamp",
        "from_unixtime", "date_format", "split", "regexp_extract", "greatest", "coalesce", "from_json", "'[a-'",
        "'yyyy'", "'a INT'", "struct", "array", "map", "lpad", "pmod", "`s`", "~", "||", "'%'", "-9223372036854775808L",
        "1Y", "99999999999999999999.5", "0.0", "x'0F'", "DATE", "element_at", "size", "abs", "date_add",
    ];
    let schema = schema();
    let b = batch();
    let ctx = EvalContext::default();
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for _ in 0..4000 {
        let len = 1 + rng.below(9);
        let text: Vec<&str> = (0..len).map(|_| rng.pick(&vocab)).collect();
        let text = text.join(" ");
        if let Ok(e) = parse_expression(&text) {
            parsed += 1;
            if let Ok(p) = resolve(&e, &schema) {
                let _ = p.evaluate(&b, &ctx);
            }
        }
    }
    assert!(parsed > 100, "only {} parsed", parsed);
    // templates with real structure, filled with random pieces
    let templates = ["{}({})", "{}({}, {})", "CAST({} AS {})", "{} {} {}", "{}[{}]", "CASE WHEN {} THEN {} END"];
    let mut resolved = 0;
    for _ in 0..4000 {
        let t = rng.pick(&templates);
        let mut text = String::new();
        for (k, piece) in t.split("{}").enumerate() {
            if k > 0 {
                text.push_str(rng.pick(&vocab));
            }
            text.push_str(piece);
        }
        if let Ok(e) = parse_expression(&text) {
            if let Ok(p) = resolve(&e, &schema) {
                resolved += 1;
                let _ = p.evaluate(&b, &ctx);
            }
        }
    }
    assert!(resolved > 50, "only {} resolved", resolved);
}
