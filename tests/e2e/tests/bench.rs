//! The page's measurements in headless Chromium, asserted for what they show (never for how
//! fast): the time to interactive (navigation start to the `streamlab-ready` mark), the seed
//! pipeline's throughput on the hidden benchmark page (`?bench=seed&copies=N`), and how long
//! each batch of the lesson's sample run held the page (the streams panel's timer runs).
//!
//! Run by `tests/e2e/run.sh` like the other page tests. With `STREAMLAB_BENCH_OUT` set to a
//! folder (`scripts/bench-web.sh` sets it) each test also writes its figures there as JSON, and
//! the measurements are repeated enough to give a median.

use std::time::Duration;

use thirtyfour::prelude::*;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Rows in the sample (`data/activity`).
const SAMPLE_ROWS: u64 = 16_006;
/// Files in the sample: one batch each in the lesson's query (`maxFilesPerTrigger` 1).
const SAMPLE_FILES: usize = 8;

fn env(name: &str) -> Result<String> {
    std::env::var(name).map_err(|_| format!("{name} is not set: run tests/e2e/run.sh").into())
}

/// Where the figures go when measuring for `bench/RESULTS.md`.
fn bench_out() -> Option<std::path::PathBuf> {
    std::env::var_os("STREAMLAB_BENCH_OUT").map(std::path::PathBuf::from)
}

fn write_figures(name: &str, figures: serde_json::Value) -> Result<()> {
    if let Some(dir) = bench_out() {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{name}.json")), figures.to_string())?;
    }
    Ok(())
}

/// A fresh Chromium (fresh profile, empty HTTP cache) at a laptop's 1366×768.
async fn browser() -> Result<WebDriver> {
    let flags: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(env("WASM_BINDGEN_TEST_WEBDRIVER_JSON")?)?)?;
    let chrome = &flags["goog:chromeOptions"];
    let mut caps = DesiredCapabilities::chrome();
    if let Some(binary) = chrome["binary"].as_str() {
        caps.set_binary(binary)?;
    }
    for arg in chrome["args"].as_array().into_iter().flatten().filter_map(|a| a.as_str()) {
        caps.add_arg(arg)?;
    }
    caps.add_arg("--window-size=1366,768")?;
    Ok(WebDriver::new(&env("STREAMLAB_WEBDRIVER_URL")?, caps).await?)
}

/// Polls `script` until it returns something other than `null`, for at most `limit`.
async fn poll(driver: &WebDriver, script: &str, limit: Duration, what: &str) -> Result<serde_json::Value> {
    let deadline = std::time::Instant::now() + limit;
    while std::time::Instant::now() < deadline {
        let value = driver.execute(script, vec![]).await?.json().clone();
        if !value.is_null() {
            return Ok(value);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!("timed out waiting for {what}").into())
}

/// Milliseconds from navigation start to the ready mark, once it is set.
async fn ready_ms(driver: &WebDriver) -> Result<f64> {
    let script = "const m = performance.getEntriesByName('streamlab-ready'); return m.length ? m[0].startTime : null;";
    let mark = poll(driver, script, Duration::from_secs(60), "the streamlab-ready mark").await?;
    mark.as_f64().ok_or_else(|| "the ready mark has no time".into())
}

#[tokio::test]
async fn the_page_marks_when_it_is_ready_for_the_student() -> Result<()> {
    let loads = if bench_out().is_some() { 3 } else { 1 };
    let mut times = Vec::new();
    for _ in 0..loads {
        let driver = browser().await?;
        driver.goto(&env("STREAMLAB_E2E_URL")?).await?;
        let ms = ready_ms(&driver).await?;
        let status = driver.find(By::Css(".sample-status")).await?.text().await?;
        assert!(status.contains("Loaded 8 sample files"), "{status}");
        assert!(!driver.find_all(By::Css("section.cell")).await?.is_empty(), "the notebook is shown when ready");
        times.push(ms);
        driver.quit().await?;
    }
    write_figures("time_to_interactive", serde_json::json!({ "time_to_interactive_ms": times }))
}

#[tokio::test]
async fn the_bench_page_runs_the_seed_pipeline_on_copies_of_the_sample() -> Result<()> {
    // Two copies keep the test run short; bench-web.sh asks for the recorded size.
    let copies: u64 = std::env::var("STREAMLAB_BENCH_COPIES").ok().and_then(|c| c.parse().ok()).unwrap_or(2);
    let driver = browser().await?;
    driver.goto(&format!("{}?bench=seed&copies={copies}", env("STREAMLAB_E2E_URL")?)).await?;
    let script = r#"
        const error = document.getElementById('bench-error');
        if (error) return { error: error.textContent };
        const out = document.getElementById('bench-result');
        return out ? Object.assign({}, out.dataset) : null;
    "#;
    let result = poll(&driver, script, Duration::from_secs(600), "the benchmark").await?;
    assert!(result.get("error").is_none(), "the benchmark failed: {result}");
    let number = |key: &str| result[key].as_str().and_then(|v| v.parse::<f64>().ok()).ok_or(format!("no {key} in {result}"));
    assert_eq!(number("copies")? as u64, copies);
    assert_eq!(number("files")? as u64, copies * SAMPLE_FILES as u64);
    assert_eq!(number("rows")? as u64, copies * SAMPLE_ROWS);
    let written: Vec<u64> = result["rowsWritten"].as_str().unwrap_or_default().split(',').filter_map(|n| n.parse().ok()).collect();
    assert_eq!(written, vec![copies * SAMPLE_ROWS; 5], "every run's Parquet output holds every row");
    let rate = number("rowsPerSec")?;
    assert!(rate > 0.0, "{result}");
    let seconds: Vec<f64> = result["seconds"].as_str().unwrap_or_default().split(',').filter_map(|n| n.parse().ok()).collect();
    driver.screenshot(&artifacts().join("09-bench-page.png")).await?;
    driver.quit().await?;
    write_figures(
        "seed_pipeline",
        serde_json::json!({ "copies": copies, "rows": copies * SAMPLE_ROWS, "seconds": seconds, "median_rows_per_sec": rate }),
    )
}

fn artifacts() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// One timer run as the streams panel lists it.
#[derive(Debug)]
struct TimerRun {
    batch: i64,
    engine: f64,
    update: f64,
    charts: f64,
}

impl TimerRun {
    fn from_json(value: &serde_json::Value) -> Option<TimerRun> {
        Some(TimerRun { batch: value["batch"].as_f64()? as i64, engine: value["engine"].as_f64()?, update: value["update"].as_f64()?, charts: value["charts"].as_f64()? })
    }
}

/// Runs the lesson's Parquet query (`stream_1p`: the sample, one file per 3-second trigger)
/// on a fresh page and returns the timer runs of its batches once all eight ran.
async fn sample_run(query: &str) -> Result<Vec<TimerRun>> {
    let driver = browser().await?;
    driver.goto(&format!("{}{query}", env("STREAMLAB_E2E_URL")?)).await?;
    ready_ms(&driver).await?;
    driver.find(By::Css("select[aria-label='Lesson language'] option[value='en']")).await?.click().await?;
    poll(&driver, "return document.querySelectorAll('section.cell')[1]?.textContent.includes('Reading a stream') || null;", Duration::from_secs(30), "the English lesson").await?;
    let cells = driver.find_all(By::Css("section.cell")).await?;
    for index in [0, 2, 3, 5, 12] {
        let cell = cells.get(index).ok_or(format!("no cell {index}"))?;
        cell.find(By::Css("button.run")).await?.click().await?;
        if let Ok(error) = cell.find(By::Css(".outputs .error")).await {
            return Err(format!("cell {index} failed: {}", error.text().await?).into());
        }
    }
    let script = format!(
        "const runs = [...document.querySelectorAll('.timer-runs li')].map(li => ({{ batch: Number(li.dataset.batch), engine: Number(li.dataset.engineMs), update: Number(li.dataset.updateMs), charts: Number(li.dataset.chartsMs) }}));
         return runs.filter(r => r.batch === {}).length ? runs : null;",
        SAMPLE_FILES - 1
    );
    let listed = poll(&driver, &script, Duration::from_secs(120), "the sample run's last batch").await?;
    let runs = listed.as_array().into_iter().flatten().map(TimerRun::from_json).collect::<Option<Vec<_>>>().ok_or(format!("unreadable timer runs: {listed}"))?;
    // The lesson's last code cell stops every stream.
    cells.get(21).ok_or("no cell 21")?.find(By::Css("button.run")).await?.click().await?;
    driver.quit().await?;
    Ok(runs)
}

#[tokio::test]
async fn each_batch_of_the_sample_run_is_timed_in_the_streams_panel() -> Result<()> {
    let measuring = bench_out().is_some();
    let mut figures = serde_json::Map::new();
    for (mode, query, loads) in [("warm", "", if measuring { 3 } else { 1 }), ("cold", "?warmup=off", if measuring { 1 } else { 0 })] {
        let mut per_load = Vec::new();
        for _ in 0..loads {
            let runs = sample_run(query).await?;
            let batches: Vec<i64> = runs.iter().map(|r| r.batch).collect();
            assert_eq!(batches, (0..SAMPLE_FILES as i64).collect::<Vec<_>>(), "one timer run per file, in order");
            assert!(runs.iter().all(|r| r.engine > 0.0 && r.update > 0.0 && r.charts > 0.0), "every batch redraws the charts: {runs:?}");
            per_load.push(runs.iter().map(|r| serde_json::json!({ "batch": r.batch, "engine_ms": r.engine, "update_ms": r.update, "charts_ms": r.charts })).collect::<Vec<_>>());
        }
        figures.insert(mode.to_string(), serde_json::json!(per_load));
    }
    write_figures("sample_batches", serde_json::Value::Object(figures))
}
