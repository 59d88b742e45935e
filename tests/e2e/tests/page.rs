//! The page as a student uses it, in headless Chromium: open it, let the sample load, run the
//! lesson's streaming cells, watch batches arrive in the streams panel and the charts, open
//! the query's Parquet output in the file browser, answer review questions, stop the streams,
//! and find everything again after a reload.
//!
//! `tests/e2e/run.sh` builds the page, serves it and starts ChromeDriver, then runs these with
//! `STREAMLAB_E2E_URL` (the page) and `STREAMLAB_WEBDRIVER_URL` (ChromeDriver) set.
//! Screenshots go to `tests/artifacts/`.

use std::path::PathBuf;
use std::time::Duration;

use thirtyfour::prelude::*;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// How long a step may take before the test fails (a batch every 3 s; first start compiles).
const WAIT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(200);

fn env(name: &str) -> Result<String> {
    std::env::var(name).map_err(|_| format!("{name} is not set: run tests/e2e/run.sh").into())
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// A fresh Chromium (fresh profile, so empty localStorage) with the repository's flags, on
/// the page, once the sample has loaded.
async fn open_page() -> Result<WebDriver> {
    let flags_file = env("WASM_BINDGEN_TEST_WEBDRIVER_JSON")?;
    let flags: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(flags_file)?)?;
    let chrome = &flags["goog:chromeOptions"];
    let mut caps = DesiredCapabilities::chrome();
    if let Some(binary) = chrome["binary"].as_str() {
        caps.set_binary(binary)?;
    }
    for arg in chrome["args"].as_array().into_iter().flatten().filter_map(|a| a.as_str()) {
        caps.add_arg(arg)?;
    }
    caps.add_arg("--window-size=1440,900")?;
    let driver = WebDriver::new(&env("STREAMLAB_WEBDRIVER_URL")?, caps).await?;
    driver.goto(&env("STREAMLAB_E2E_URL")?).await?;
    wait_text(&driver, ".sample-status", "Loaded 8 sample files").await?;
    Ok(driver)
}

/// Waits until the first element matching `css` contains `text`.
async fn wait_text(driver: &WebDriver, css: &str, text: &str) -> Result<WebElement> {
    let deadline = std::time::Instant::now() + WAIT;
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(element) = driver.find(By::Css(css)).await {
            last = element.text().await.unwrap_or_default();
            if last.contains(text) {
                return Ok(element);
            }
        }
        tokio::time::sleep(POLL).await;
    }
    Err(format!("{css} never showed {text:?}; last text: {last:?}").into())
}

/// The cells of the notebook, in order.
async fn cells(driver: &WebDriver) -> Result<Vec<WebElement>> {
    Ok(driver.find_all(By::Css("section.cell")).await?)
}

/// Runs cell `index` with its Run button and returns its outputs' text; fails on a cell error.
async fn run_cell(driver: &WebDriver, index: usize) -> Result<String> {
    let cell = cells(driver).await?.get(index).cloned().ok_or(format!("no cell {index}"))?;
    cell.find(By::Css("button.run")).await?.click().await?;
    let outputs = cell.find(By::Css(".outputs")).await?;
    if let Ok(error) = outputs.find(By::Css(".error")).await {
        return Err(format!("cell {index} failed: {}", error.text().await?).into());
    }
    Ok(outputs.text().await?)
}

async fn open_tab(driver: &WebDriver, title: &str) -> Result<()> {
    for tab in driver.find_all(By::Css("button.tab")).await? {
        if tab.text().await? == title {
            return Ok(tab.click().await?);
        }
    }
    Err(format!("no tab {title}").into())
}

async fn choose_english(driver: &WebDriver) -> Result<()> {
    driver.find(By::Css("select[aria-label='Lesson language'] option[value='en']")).await?.click().await?;
    wait_text(driver, "section.cell:nth-of-type(2) .markdown", "Reading a stream").await?;
    Ok(())
}

fn batches_reported(text: &str) -> usize {
    text.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn the_lesson_streams_the_sample_into_parquet_live_and_stops() -> Result<()> {
    let driver = open_page().await?;
    choose_english(&driver).await?;
    driver.screenshot(&artifacts().join("01-lesson.png")).await?;

    // The lesson's own cells: session, schema, readStream, transformation, the Parquet query.
    for index in [0, 2, 3, 5, 12] {
        run_cell(&driver, index).await?;
    }
    let stream = wait_text(&driver, ".stream-name", "stream_1p").await?;
    assert_eq!(stream.text().await?, "stream_1p");

    // Batches arrive on the page's timers (one file per 3-second trigger).
    let deadline = std::time::Instant::now() + WAIT;
    let mut reported = 0;
    while reported < 3 && std::time::Instant::now() < deadline {
        reported = batches_reported(&driver.find(By::Css(".batch-count")).await?.text().await?);
        tokio::time::sleep(POLL).await;
    }
    assert!(reported >= 3, "only {reported} batches reported");
    let progress = driver.find(By::Css(".progress-json")).await?.inner_html().await?;
    assert!(progress.contains("\"numInputRows\""), "{progress}");
    driver.screenshot(&artifacts().join("02-streams-and-charts.png")).await?;

    // spark.streams.active, as the lesson lists it, matches the panel.
    let listed = run_cell(&driver, 19).await?;
    assert!(listed.contains("stream_1p"), "{listed}");

    // The sink's Parquet files open as a table in the file browser.
    open_tab(&driver, "Files").await?;
    let parquet = wait_text(&driver, ".tree", ".parquet").await?;
    let mut opened = false;
    for file in parquet.find_all(By::Css("button.file-link")).await? {
        if file.text().await?.ends_with(".parquet") {
            file.click().await?;
            opened = true;
            break;
        }
    }
    assert!(opened, "no Parquet file listed");
    let header = wait_text(&driver, ".preview table.result thead", "User_ID").await?;
    assert!(header.text().await?.contains("Arrival_Time"));
    let commits = wait_text(&driver, ".tree", "commits").await?;
    assert!(commits.text().await?.contains("offsets"));
    driver.screenshot(&artifacts().join("03-files.png")).await?;

    // The lesson's last code cell stops every stream.
    open_tab(&driver, "Streams & charts").await?;
    run_cell(&driver, 21).await?;
    wait_text(&driver, ".streams", "No active stream").await?;
    driver.screenshot(&artifacts().join("04-stopped.png")).await?;
    driver.quit().await?;
    Ok(())
}

#[tokio::test]
async fn review_questions_explain_the_answer_and_keep_progress_across_reloads() -> Result<()> {
    let driver = open_page().await?;
    choose_english(&driver).await?;
    open_tab(&driver, "Questions").await?;
    // Choice ids are q<question>-c<answer>: the right answer to question i is answer i.
    driver.find(By::Css("#q0-c0")).await?.click().await?;
    let right = wait_text(&driver, "li.question[data-index='0'] .explanation", "Right.").await?;
    assert!(right.text().await?.contains("readStream"));
    let wrong_choice = driver.find_all(By::Css("li.question[data-index='1'] input[type=radio]")).await?;
    for choice in wrong_choice {
        if choice.attr("id").await?.as_deref() != Some("q1-c1") {
            choice.click().await?;
            break;
        }
    }
    wait_text(&driver, "li.question[data-index='1'] .explanation", "Not quite.").await?;
    wait_text(&driver, ".quiz .score", "1 / 6 right").await?;
    driver.screenshot(&artifacts().join("05-questions.png")).await?;

    driver.refresh().await?;
    wait_text(&driver, ".sample-status", "Loaded 8 sample files").await?;
    open_tab(&driver, "Questions").await?;
    wait_text(&driver, ".quiz .score", "1 / 6 right").await?;
    driver.quit().await?;
    Ok(())
}

#[tokio::test]
async fn an_added_cell_runs_errors_show_their_line_and_edits_survive_a_reload() -> Result<()> {
    let driver = open_page().await?;
    let before = cells(&driver).await?.len();
    driver.find(By::Css("button.add-end")).await?.click().await?;
    let all = cells(&driver).await?;
    assert_eq!(all.len(), before + 1);
    let editor = all[before].find(By::Css("textarea.code")).await?;
    editor.send_keys("n = spark.read.json('data/activity').count()\nprint(n)").await?;
    editor.send_keys(Key::Shift + Key::Enter).await?;
    let out = wait_text(&driver, "section.cell:last-of-type .outputs", "16006").await?;
    assert_eq!(out.text().await?.trim(), "16006");
    assert_eq!(all[before].find(By::Css(".gutter")).await?.text().await?, "1\n2");

    editor.send_keys("\nspark.read.json('no/such/dir')").await?;
    all[before].find(By::Css("button.run")).await?.click().await?;
    let error = wait_text(&driver, "section.cell:last-of-type .error", "PATH_NOT_FOUND").await?;
    assert!(error.text().await?.contains("line 3"), "{}", error.text().await?);
    driver.screenshot(&artifacts().join("06-cell-error.png")).await?;

    driver.refresh().await?;
    wait_text(&driver, ".sample-status", "Loaded 8 sample files").await?;
    let all = cells(&driver).await?;
    assert_eq!(all.len(), before + 1);
    let source = all[before].find(By::Css("textarea.code")).await?.prop("value").await?.unwrap_or_default();
    assert!(source.contains("no/such/dir"), "{source}");
    all[before].find(By::Css("button.delete")).await?.click().await?;
    assert_eq!(cells(&driver).await?.len(), before);
    driver.quit().await?;
    Ok(())
}
