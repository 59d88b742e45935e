//! The page's parts inside a real browser (wasm32, headless Chromium through
//! wasm-bindgen-test): the lesson's query through the kernel on the virtual file system, its
//! progress drawn on canvases, and the output components mounted in the document.

#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use streamlab_engine::clock::{Clock, ManualClock};
use streamlab_notebook::document::CellKind;
use streamlab_notebook::lessons::{lesson, LessonLanguage};
use streamlab_notebook::output::{CellError, CellOutput, TableOutput};
use streamlab_web::clock::PageClock;
use streamlab_web::components::outputs::Outputs;
use streamlab_web::lab::Lab;
use streamlab_web::metrics::BatchMetrics;
use streamlab_web::plots::{draw_durations, draw_rates, draw_rows, draw_watermark};
use streamlab_web::sample::write_sample;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Three of the sample's files (the small ones: a browser test should not take long).
fn small_sample() -> Vec<(String, Vec<u8>)> {
    vec![
        ("part-00002.json".into(), include_bytes!("../../../data/activity/part-00002.json").to_vec()),
        ("part-00003.json".into(), include_bytes!("../../../data/activity/part-00003.json").to_vec()),
        ("part-00004.json".into(), include_bytes!("../../../data/activity/part-00004.json").to_vec()),
    ]
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a browser document")
}

/// Runs the lesson's Parquet query over the small sample, one timer tick per batch, and
/// returns each batch's chart numbers.
fn lesson_batches() -> Vec<BatchMetrics> {
    let clock = Rc::new(ManualClock::new(1_700_000_001_000));
    let mut lab = Lab::new(clock.clone());
    write_sample(lab.storage().as_ref(), &small_sample()).expect("sample written");
    let nb = lesson(LessonLanguage::French).expect("lesson");
    for index in [0, 2, 3, 5, 12] {
        let cell = &nb.cells()[index];
        let out = lab.run(cell.kind, &cell.source);
        assert!(out.iter().all(|o| !matches!(o, CellOutput::Error(_))), "cell {index}: {out:?}");
    }
    let query = lab.session().streams().active().pop().expect("the query runs");
    for _ in 0..4 {
        let (delay, _) = lab.run_due_triggers();
        clock.advance(delay.expect("active"));
    }
    let batches: Vec<BatchMetrics> = query.recent_progress().iter().map(BatchMetrics::from_progress).collect();
    lab.stop_all();
    batches
}

#[wasm_bindgen_test]
fn the_lesson_query_runs_in_the_browser_one_file_per_batch() {
    let batches = lesson_batches();
    let with_data: Vec<i64> = batches.iter().filter(|b| b.input_rows > 0).map(|b| b.input_rows).collect();
    assert_eq!(with_data.len(), 3, "{batches:?}");
    assert_eq!(with_data.iter().sum::<i64>(), 3_003);
}

#[wasm_bindgen_test]
fn every_chart_draws_the_batches_on_a_canvas() {
    let batches = lesson_batches();
    for draw in [draw_rates, draw_durations, draw_rows, draw_watermark] {
        let canvas: web_sys::HtmlCanvasElement = document().create_element("canvas").expect("canvas").unchecked_into();
        canvas.set_width(440);
        canvas.set_height(250);
        let backend = CanvasBackend::with_canvas_object(canvas.clone()).expect("a 2D context");
        draw(&backend.into_drawing_area(), &batches).expect("drawn");
        let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok().flatten().expect("2d").unchecked_into();
        let pixels = context.get_image_data(0.0, 0.0, 440.0, 250.0).expect("pixels").data();
        let inked = pixels.chunks(4).filter(|p| p[0] < 200 || p[1] < 200 || p[2] < 200).count();
        assert!(inked > 2_000, "a chart with axes, labels and data inks the canvas ({inked} pixels)");
    }
}

#[wasm_bindgen_test]
fn outputs_show_tables_and_errors_with_their_line() {
    let host = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&host).expect("attached");
    let outputs = vec![
        CellOutput::Stdout("hello\n".into()),
        CellOutput::Table(TableOutput { columns: vec!["gt".into()], types: vec!["string".into()], rows: vec![vec!["walk".into()]], truncated: false }),
        CellOutput::Error(CellError { ename: "AnalysisException".into(), message: "[PATH_NOT_FOUND] Path does not exist: file:/x.".into(), location: Some((3, 1)) }),
    ];
    let element: web_sys::HtmlElement = host.clone().unchecked_into();
    let handle = leptos::mount::mount_to(element, move || view! { <Outputs outputs=Signal::stored(outputs.clone())/> });
    let html = host.inner_html();
    assert!(html.contains("<pre class=\"stdout\">hello\n</pre>"), "{html}");
    assert!(html.contains("<th scope=\"col\" title=\"string\">gt</th>"), "{html}");
    assert!(html.contains("<td>walk</td>"), "{html}");
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("AnalysisException at line 3, column 1"), "{text}");
    drop(handle);
}

#[wasm_bindgen_test]
fn the_page_clock_follows_the_browser_and_sleeps_by_jumping() {
    let clock = PageClock::browser();
    let wall = js_sys::Date::now() as i64;
    assert!((clock.now_ms() - wall).abs() < 1_000);
    clock.sleep_until(wall + 60_000);
    assert!(clock.now_ms() >= wall + 60_000, "a minute-long sleep jumps the clock instead of blocking the tab");
    assert!(clock.skipped_ms() > 0);
}

#[wasm_bindgen_test]
fn markdown_cells_render_in_the_lab() {
    let mut lab = Lab::new(Rc::new(ManualClock::new(0)));
    let out = lab.run(CellKind::Markdown, "# Titre");
    assert_eq!(out, [CellOutput::Html("<h1>Titre</h1>\n".into())]);
}

#[wasm_bindgen_test]
fn the_windowed_counts_chart_draws_a_windowed_querys_memory_table() {
    let mut lab = Lab::new(Rc::new(ManualClock::new(1_700_000_000_000)));
    write_sample(lab.storage().as_ref(), &small_sample()).expect("sample written");
    let code = format!("from pyspark.sql.functions import *\n{}{}\nq.processAllAvailable()", streamlab_web::tasks::STARTER, streamlab_web::tasks::CODE_TASKS[2].reference);
    let out = lab.run(CellKind::Code, &code);
    assert!(out.iter().all(|o| !matches!(o, CellOutput::Error(_))), "{out:?}");
    let batch = lab.session().table("answer").and_then(|df| df.collect()).expect("the memory table");
    let counts = streamlab_web::windows::window_counts(&batch).expect("windowed counts");
    assert_eq!(counts.counts.iter().map(|c| c.2).sum::<i64>(), 3_003, "every row of the three files is counted once");
    let canvas: web_sys::HtmlCanvasElement = document().create_element("canvas").expect("canvas").unchecked_into();
    canvas.set_width(440);
    canvas.set_height(250);
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).expect("a 2D context");
    streamlab_web::plots::draw_window_counts(&backend.into_drawing_area(), Some(&counts)).expect("drawn");
    let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok().flatten().expect("2d").unchecked_into();
    let pixels = context.get_image_data(0.0, 0.0, 440.0, 250.0).expect("pixels").data();
    let inked = pixels.chunks(4).filter(|p| p[0] < 200 || p[1] < 200 || p[2] < 200).count();
    assert!(inked > 2_000, "axes, labels and one line per gt ({inked} pixels)");
}

#[wasm_bindgen_test]
fn step_runs_one_batch_in_the_browser() {
    let mut lab = Lab::new(Rc::new(ManualClock::new(1_700_000_000_000)));
    write_sample(lab.storage().as_ref(), &small_sample()).expect("sample written");
    let code = format!(
        "{}q = spark.readStream.option('maxFilesPerTrigger', 1).schema(dataSchema).json('data/activity').groupBy('gt').count().writeStream.format('memory').queryName('c').outputMode('complete').trigger(processingTime='1 hour').start()",
        streamlab_web::tasks::STARTER
    );
    let out = lab.run(CellKind::Code, &code);
    assert!(out.iter().all(|o| !matches!(o, CellOutput::Error(_))), "{out:?}");
    let id = lab.session().streams().active().pop().expect("active").id().to_string();
    let first = lab.step(&id).expect("ran").expect("a batch");
    assert_eq!((first.batch_id, first.files_read.as_slice()), (0, ["/data/activity/part-00002.json".to_string()].as_slice()));
    let second = lab.step(&id).expect("ran").expect("a batch");
    assert_eq!(second.files_read, ["/data/activity/part-00003.json"]);
    assert!(second.offsets_text.contains("{\"logOffset\":1}"), "{}", second.offsets_text);
    assert!(second.state_rows.is_some_and(|n| n > 0));
    lab.stop_all();
}

#[wasm_bindgen_test]
fn the_seed_pipeline_writes_every_row_of_scaled_up_copies_in_the_browser() {
    let (files, rows) = streamlab_web::seed_bench::scaled_up(&small_sample(), 2).expect("copies");
    assert_eq!((files.len(), rows), (6, 6_006));
    let run = streamlab_web::seed_bench::run_seed_pipeline(&files, Rc::new(PageClock::browser()), streamlab_web::state::now_ms)
        .expect("the pipeline runs");
    assert_eq!((run.files, run.rows), (6, 6_006));
}

#[wasm_bindgen_test]
fn the_live_table_shows_the_first_rows_of_a_long_memory_table() {
    let mut lab = Lab::new(Rc::new(ManualClock::new(1_700_000_000_000)));
    write_sample(lab.storage().as_ref(), &small_sample()).expect("sample written");
    let code = format!(
        "{}q = spark.readStream.schema(dataSchema).json('data/activity').writeStream.format('memory').queryName('rows').start()\nq.processAllAvailable()",
        streamlab_web::tasks::STARTER
    );
    let out = lab.run(CellKind::Code, &code);
    assert!(out.iter().all(|o| !matches!(o, CellOutput::Error(_))), "{out:?}");
    let table = lab.table("rows").expect("the memory table");
    assert_eq!(table.rows.len(), streamlab_web::lab::LIVE_TABLE_ROWS);
    assert!(table.truncated, "3,003 rows, 200 shown");
    assert_eq!(table.columns.first().map(String::as_str), Some("Arrival_Time"));
    lab.stop_all();
}
