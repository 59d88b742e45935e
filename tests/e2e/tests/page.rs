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
    wait_text(&driver, ".quiz .score", "1 / 11 right").await?;
    driver.screenshot(&artifacts().join("05-questions.png")).await?;

    driver.refresh().await?;
    wait_text(&driver, ".sample-status", "Loaded 8 sample files").await?;
    open_tab(&driver, "Questions").await?;
    wait_text(&driver, ".quiz .score", "1 / 11 right").await?;
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

/// Non-white pixels of the canvas labelled `label` (0 when it is blank).
async fn inked_pixels(driver: &WebDriver, label: &str) -> Result<u64> {
    let script = r#"
        const canvas = document.querySelector(`canvas[aria-label="${arguments[0]}"]`);
        if (!canvas) return -1;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) inked++;
        return inked;
    "#;
    let value = driver.execute(script, vec![serde_json::Value::String(label.to_string())]).await?;
    Ok(value.json().as_i64().filter(|n| *n >= 0).ok_or(format!("no canvas {label}"))? as u64)
}

/// A windowed count on an hourly trigger: its first batch runs at start, the next ones only
/// when the student presses Step.
const WINDOWED_QUERY: &str = "from pyspark.sql.functions import col, window\nschema = 'Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double'\nevents = spark.readStream.option('maxFilesPerTrigger', 1).schema(schema).json('data/activity').withColumn('event_time', (col('Creation_Time') / 1e9).cast('timestamp'))\nq = events.groupBy(window('event_time', '10 minutes'), 'gt').count().writeStream.format('memory').queryName('windowed').outputMode('complete').trigger(processingTime='1 hour').start()";

#[tokio::test]
async fn step_runs_one_batch_and_shows_its_files_offsets_and_rows_and_charts_draw() -> Result<()> {
    let driver = open_page().await?;
    driver.find(By::Css("button.add-end")).await?.click().await?;
    let all = cells(&driver).await?;
    let cell = all.last().ok_or("no cell")?;
    // The editor takes typed text; newlines as typed keys.
    let editor = cell.find(By::Css("textarea.code")).await?;
    for (i, line) in WINDOWED_QUERY.split('\n').enumerate() {
        if i > 0 {
            editor.send_keys("\n").await?;
        }
        editor.send_keys(line).await?;
    }
    cell.find(By::Css("button.run")).await?.click().await?;
    wait_text(&driver, ".stream-name", "windowed").await?;
    wait_text(&driver, ".batch-count", "1 batches reported").await?;

    driver.find(By::Css("button.step")).await?.click().await?;
    let report = wait_text(&driver, ".step-report", "Step of windowed").await?;
    let text = report.text().await?;
    assert!(text.contains("/data/activity/part-00001.json"), "{text}");
    let offsets = driver.find(By::Css(".step-report .offsets-path")).await?.text().await?;
    assert!(offsets.ends_with("/offsets/1"), "{offsets}");
    let offsets_text = driver.find(By::Css(".step-report .offsets-text")).await?.text().await?;
    assert!(offsets_text.starts_with("v1") && offsets_text.contains("{\"logOffset\":1}"), "{offsets_text}");
    let state_rows: i64 = driver.find(By::Css(".step-report .state-rows")).await?.text().await?.parse()?;
    let emitted: i64 = driver.find(By::Css(".step-report .rows-emitted")).await?.text().await?.parse()?;
    assert!(state_rows > 0 && emitted == state_rows, "complete mode emits every state row: {state_rows} vs {emitted}");
    let read: i64 = driver.find(By::Css(".step-report .rows-read")).await?.text().await?.parse()?;
    assert!(read > 0, "{read}");
    wait_text(&driver, ".batch-count", "2 batches reported").await?;
    tokio::time::sleep(Duration::from_millis(500)).await; // one animation frame for the charts
    for chart in ["Input rate vs processing rate", "Batch duration by phase", "Rows in and out per batch", "Watermark vs event time", "Windowed counts per key"] {
        let inked = inked_pixels(&driver, chart).await?;
        assert!(inked > 2_000, "{chart}: {inked} inked pixels");
    }
    driver.screenshot(&artifacts().join("07-step-and-charts.png")).await?;
    driver.quit().await?;
    Ok(())
}

#[tokio::test]
async fn a_code_task_is_checked_by_running_it_right_and_wrong() -> Result<()> {
    let driver = open_page().await?;
    open_tab(&driver, "Questions").await?;
    let task = driver.find(By::Css("li.task[data-task='count-per-gt']")).await?;
    let answer = task.find(By::Css("textarea.task-answer")).await?;
    answer.send_keys("q = spark.readStream.schema(dataSchema).json('data/activity').groupBy('Device').count().writeStream.format('memory').queryName('answer').outputMode('complete').start()").await?;
    task.find(By::Css("button.check")).await?.click().await?;
    // Grouped by the wrong column: the verdict names the columns.
    let wrong = wait_text(&driver, "li.task[data-task='count-per-gt'] .verdict", "Not quite.").await?;
    assert!(wrong.text().await?.contains("columns [Device, count]"), "{}", wrong.text().await?);
    answer.clear().await?;
    answer.send_keys("q = spark.readStream.schema(dataSchema).json('data/activity').groupBy('gt').count().writeStream.format('memory').queryName('answer').outputMode('complete').start()").await?;
    task.find(By::Css("button.check")).await?.click().await?;
    wait_text(&driver, "li.task[data-task='count-per-gt'] .verdict", "Right").await?;
    wait_text(&driver, ".tasks-score", "1 / 3 solved").await?;
    driver.screenshot(&artifacts().join("08-code-task.png")).await?;
    driver.refresh().await?;
    wait_text(&driver, ".sample-status", "Loaded 8 sample files").await?;
    open_tab(&driver, "Questions").await?;
    wait_text(&driver, ".tasks-score", "1 / 3 solved").await?;
    driver.quit().await?;
    Ok(())
}

/// What has the keyboard focus: its tag, class, accessible label and outline style.
async fn focused(driver: &WebDriver) -> Result<serde_json::Value> {
    let script = r#"
        const e = document.activeElement;
        return { tag: e.tagName.toLowerCase(), id: e.id, class: e.className, label: e.getAttribute('aria-label') || e.textContent.trim(),
                 outline: getComputedStyle(e).outlineStyle, cell: e.closest('section.cell')?.id || null };
    "#;
    Ok(driver.execute(script, vec![]).await?.json().clone())
}

/// Presses one key on whatever has the focus, as a keyboard user does.
async fn press(driver: &WebDriver, key: Key) -> Result<()> {
    Ok(driver.action_chain().send_keys(key).perform().await?)
}

/// Types `keys` into the focused element, modifiers held down to the end (Shift+Enter).
async fn type_in_focused(driver: &WebDriver, keys: impl Into<TypingData>) -> Result<()> {
    Ok(driver.active_element().await?.send_keys(keys).await?)
}

#[tokio::test]
async fn the_keyboard_alone_reaches_the_notebook_runs_cells_and_switches_panels() -> Result<()> {
    let driver = open_page().await?;
    driver.set_window_rect(0, 0, 1366, 768).await?;
    // The first Tab reaches the skip link; Enter jumps to the notebook, the next Tab to the
    // first cell's Run button.
    press(&driver, Key::Tab).await?;
    assert_eq!(focused(&driver).await?["label"], "Skip to the notebook");
    press(&driver, Key::Enter).await?;
    assert_eq!(focused(&driver).await?["id"], "notebook");
    press(&driver, Key::Tab).await?;
    let first = focused(&driver).await?;
    assert_eq!(first["label"], "Run cell 1", "{first}");
    assert_eq!(first["outline"], "solid", "the focus is visible: {first}");

    // Two new cells, added with Enter on the "+ Add a code cell" button (reached with Tab from
    // the last cell's controls would take dozens of presses: focus it, then use the keyboard).
    let before = cells(&driver).await?.len();
    let add = driver.find(By::Css("button.add-end")).await?;
    driver.execute("arguments[0].focus()", vec![add.to_json()?]).await?;
    press(&driver, Key::Enter).await?;
    press(&driver, Key::Enter).await?;
    let all = cells(&driver).await?;
    assert_eq!(all.len(), before + 2);

    // Shift+Enter runs the cell and moves to the next cell's editor; Ctrl+Enter runs in place.
    let first_new = all[before].find(By::Css("textarea.code")).await?;
    first_new.click().await?;
    type_in_focused(&driver, "print(spark.read.json('data/activity').count())").await?;
    type_in_focused(&driver, Key::Shift + Key::Enter).await?;
    let out = wait_text(&driver, &format!("section.cell:nth-of-type({}) .outputs", before + 1), "16006").await?;
    assert_eq!(out.text().await?.trim(), "16006");
    let now = focused(&driver).await?;
    assert_eq!(now["tag"], "textarea", "{now}");
    assert_eq!(now["cell"].as_str(), all[before + 1].attr("id").await?.as_deref(), "Shift+Enter moved to the next cell");
    type_in_focused(&driver, "print(spark.read.json('data/activity').select('gt').distinct().count())").await?;
    type_in_focused(&driver, Key::Control + Key::Enter).await?;
    let out = wait_text(&driver, "section.cell:last-of-type .outputs", "7").await?;
    assert_eq!(out.text().await?.trim(), "7");
    let now = focused(&driver).await?;
    assert_eq!(now["cell"].as_str(), all[before + 1].attr("id").await?.as_deref(), "Ctrl+Enter stays in the cell");
    assert!(all[before + 1].find(By::Css(".count")).await?.text().await?.starts_with('['));

    // The side panel's tabs: arrows move between them (WAI-ARIA tabs) and show their panel.
    let streams_tab = driver.find(By::Css("#tab-streams")).await?;
    driver.execute("arguments[0].focus()", vec![streams_tab.to_json()?]).await?;
    press(&driver, Key::Right).await?;
    let tab = focused(&driver).await?;
    assert_eq!(tab["id"], "tab-files", "{tab}");
    assert_eq!(tab["outline"], "solid", "{tab}");
    assert_eq!(driver.find(By::Css("#tab-files")).await?.attr("aria-selected").await?.as_deref(), Some("true"));
    assert!(driver.find(By::Css("#panel-files")).await?.is_displayed().await?);
    press(&driver, Key::End).await?;
    assert_eq!(focused(&driver).await?["id"], "tab-console");
    press(&driver, Key::Right).await?;
    assert_eq!(focused(&driver).await?["id"], "tab-streams", "the arrows wrap around");

    // Every control has a name a screen reader can say, and the page has its landmarks.
    let unnamed = driver
        .execute(
            r#"
        const name = e => (e.getAttribute('aria-label') || (e.labels && [...e.labels].map(l => l.textContent).join(' ')) || e.textContent || e.title || '').trim();
        return [...document.querySelectorAll('button, select, input, textarea, a[href], [role=tab]')]
            .filter(e => !name(e)).map(e => e.outerHTML.slice(0, 120));
    "#,
            vec![],
        )
        .await?;
    assert_eq!(unnamed.json(), &serde_json::json!([]), "controls without an accessible name");
    for landmark in ["header.toolbar", "main#notebook", "aside.side"] {
        driver.find(By::Css(landmark)).await?;
    }
    // At 1366×768 nothing overflows sideways.
    let overflow = driver.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await?;
    assert!(overflow.json().as_i64().unwrap_or(1) <= 0, "the page scrolls sideways by {overflow:?}");
    driver.screenshot(&artifacts().join("10-keyboard-1366x768.png")).await?;
    driver.quit().await?;
    Ok(())
}
