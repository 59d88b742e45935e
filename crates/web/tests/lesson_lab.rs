//! The lesson as the page runs it: its cells through the [`Lab`] (kernel + virtual files),
//! triggers on a timer loop, on the real sample.

#![cfg(not(target_arch = "wasm32"))] // reads the sample from the disk

mod common;

use std::rc::Rc;

use common::sample;
use streamlab_engine::clock::ManualClock;
use streamlab_notebook::document::CellKind;
use streamlab_notebook::lessons::{lesson, LessonLanguage};
use streamlab_notebook::output::CellOutput;
use streamlab_storage::Storage;
use streamlab_web::lab::Lab;
use streamlab_web::sample::write_sample;

fn errors(outputs: &[CellOutput]) -> Vec<String> {
    outputs.iter().filter_map(|o| if let CellOutput::Error(e) = o { Some(e.headline()) } else { None }).collect()
}

#[test]
fn the_lessons_parquet_query_runs_batch_by_batch_on_timer_ticks_and_stops() {
    let clock = Rc::new(ManualClock::new(1_700_000_001_000));
    let mut lab = Lab::new(clock.clone());
    write_sample(lab.storage().as_ref(), &sample()).unwrap();
    let nb = lesson(LessonLanguage::English).unwrap();
    for index in [0, 2, 3, 5, 12] {
        let cell = &nb.cells()[index];
        let out = lab.run(cell.kind, &cell.source);
        assert!(errors(&out).is_empty(), "cell {index}: {:?}", errors(&out));
    }
    let active = lab.session().streams().active();
    assert_eq!(active.iter().map(|q| q.name().unwrap_or("")).collect::<Vec<_>>(), ["stream_1p"]);

    // The page's timer: run what is due, wait the delay returned, again.
    let mut ticks = 0;
    while lab.session().streams().active()[0].last_progress().is_none_or(|p| p.batch_id < 7) && ticks < 20 {
        let (delay, printed) = lab.run_due_triggers();
        assert!(printed.iter().all(|o| !matches!(o, CellOutput::Error(_))), "{printed:?}");
        clock.advance(delay.expect("the query is active"));
        ticks += 1;
    }
    assert!(ticks <= 10, "eight files need about eight ticks, took {ticks}");
    let rows = lab.run(CellKind::Code, "print(spark.read.parquet('output/output.parquet').count())");
    assert_eq!(rows, [CellOutput::Stdout("16006\n".into())]);

    let listed = lab.run(nb.cells()[19].kind, &nb.cells()[19].source);
    let id = lab.session().streams().active()[0].id().to_string();
    assert_eq!(listed, [CellOutput::Stdout(format!(" stream_1p ({id})\n"))]);
    let stopped = lab.run(nb.cells()[21].kind, &nb.cells()[21].source);
    assert!(errors(&stopped).is_empty(), "{stopped:?}");
    assert!(lab.session().streams().active().is_empty());
    assert_eq!(lab.run_due_triggers().0, None, "no timer once every stream stopped");
}

#[test]
fn markdown_renders_and_the_live_table_follows_display() {
    let clock = Rc::new(ManualClock::new(1_700_000_001_000));
    let mut lab = Lab::new(clock.clone());
    write_sample(lab.storage().as_ref(), &sample()).unwrap();
    assert_eq!(lab.run(CellKind::Markdown, "**Q:**"), [CellOutput::Html("<p><strong>Q:</strong></p>\n".into())]);

    let out = lab.run(CellKind::Code, "df = spark.readStream.schema('gt string, User string').json('data/activity')\ndisplay(df.groupBy('gt').count())");
    let Some(CellOutput::LiveTable { table, .. }) = out.iter().find(|o| matches!(o, CellOutput::LiveTable { .. })) else {
        panic!("display of a streaming DataFrame gives a live table: {out:?}")
    };
    for _ in 0..5 {
        let (delay, _) = lab.run_due_triggers();
        clock.advance(delay.unwrap_or(0));
    }
    let counts = lab.table(table).unwrap();
    assert_eq!(counts.columns, ["gt", "count"]);
    let total: i64 = counts.rows.iter().filter_map(|r| r[1].parse::<i64>().ok()).sum();
    assert_eq!(total, 16_006);
    assert_eq!(lab.stop_all(), 1);
}

#[test]
fn a_batch_crashed_before_its_commit_is_replayed_without_losing_or_duplicating_rows() {
    let clock = Rc::new(ManualClock::new(1_700_000_001_000));
    let mut lab = Lab::new(clock.clone());
    write_sample(lab.storage().as_ref(), &sample()).unwrap();
    let nb = lesson(LessonLanguage::English).unwrap();
    for index in [0, 2, 3, 5, 12] {
        assert!(errors(&lab.run(nb.cells()[index].kind, &nb.cells()[index].source)).is_empty());
    }
    let tick = |lab: &mut Lab| {
        let (delay, _) = lab.run_due_triggers();
        clock.advance(delay.unwrap_or(3_000));
    };
    tick(&mut lab);
    tick(&mut lab);
    lab.crash_next_batch();
    tick(&mut lab);
    assert!(lab.session().streams().active().is_empty(), "the crash killed the query");
    let cp = "output/output.parquet.checkpoint";
    let logged = |dir: &str| -> Vec<String> {
        lab.storage().list_file_names(&format!("{cp}/{dir}")).unwrap().into_iter().filter(|n| !n.starts_with('.')).collect()
    };
    assert_eq!((logged("offsets"), logged("commits")), (vec!["0".into(), "1".into(), "2".into()], vec!["0".into(), "1".into()]), "the dead batch logged its offsets but not its commit");

    // Re-running the query's cell restarts it from the checkpoint.
    assert!(errors(&lab.run(nb.cells()[12].kind, &nb.cells()[12].source)).is_empty());
    for _ in 0..10 {
        tick(&mut lab);
    }
    let rows = lab.run(CellKind::Code, "print(spark.read.parquet('output/output.parquet').count())");
    assert_eq!(rows, [CellOutput::Stdout("16006\n".into())]);
    lab.stop_all();
}
