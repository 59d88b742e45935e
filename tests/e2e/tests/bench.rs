//! The page's time to interactive in headless Chromium: from navigation start to the
//! `streamlab-ready` performance mark (the notebook shown and the sample loaded).
//!
//! Run by `tests/e2e/run.sh` like the other page tests; with `STREAMLAB_BENCH_OUT` set
//! (`scripts/bench-web.sh` sets it) the measurements are also written there as JSON.

use std::time::Duration;

use thirtyfour::prelude::*;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Page loads measured (the first one warms Chromium's caches of the process, not the page's:
/// every load is a fresh profile with an empty HTTP cache).
const LOADS: usize = 3;

fn env(name: &str) -> Result<String> {
    std::env::var(name).map_err(|_| format!("{name} is not set: run tests/e2e/run.sh").into())
}

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

/// Milliseconds from navigation start to the ready mark, once it is set.
async fn ready_ms(driver: &WebDriver) -> Result<f64> {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let mark = driver.execute("const m = performance.getEntriesByName('streamlab-ready'); return m.length ? m[0].startTime : null;", vec![]).await?;
        if let Some(ms) = mark.json().as_f64() {
            return Ok(ms);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the page never set the streamlab-ready mark".into())
}

#[tokio::test]
async fn the_page_marks_when_it_is_ready_for_the_student() -> Result<()> {
    let mut times = Vec::new();
    for _ in 0..LOADS {
        let driver = browser().await?;
        driver.goto(&env("STREAMLAB_E2E_URL")?).await?;
        let ms = ready_ms(&driver).await?;
        let status = driver.find(By::Css(".sample-status")).await?.text().await?;
        assert!(status.contains("Loaded 8 sample files"), "{status}");
        assert!(!driver.find_all(By::Css("section.cell")).await?.is_empty(), "the notebook is shown when ready");
        times.push(ms);
        driver.quit().await?;
    }
    if let Ok(path) = std::env::var("STREAMLAB_BENCH_OUT") {
        std::fs::write(path, serde_json::json!({ "time_to_interactive_ms": times }).to_string())?;
    }
    Ok(())
}
