//! StreamLab's browser page: the lesson notebook on the engine compiled to WebAssembly, with
//! live charts of each micro-batch, the active streams, the virtual file system and the
//! lesson's review questions.
//!
//! The modules without a `components` prefix are plain Rust (tested natively); the
//! `components` are Leptos views, one per concern, tested in headless Chromium.

pub mod clock;
pub mod crash;
pub mod files;
pub mod local_store;
pub mod metrics;
pub mod questions;
pub mod sample;
pub mod table;
pub mod tasks;
pub mod windows;
pub mod frame_budget;
pub mod seed_bench;
pub mod url_params;
pub mod download;
pub mod lab;
pub mod lesson_html;
pub mod plots;
pub mod state;
pub mod components;

use components::bench_page::BenchPage;

/// Mounts the page on `<body>` (the binary's `main`): the lesson, or with `?bench=seed` the
/// benchmark page (`scripts/bench-web.sh`).
pub fn start() {
    console_error_panic_hook_install();
    if url_params::page_param("bench").as_deref() == Some("seed") {
        let copies = components::bench_page::copies_from(url_params::page_param("copies").as_deref());
        leptos::mount::mount_to_body(move || leptos::view! { <BenchPage copies/> });
    } else {
        leptos::mount::mount_to_body(components::app::App);
    }
}

/// Sends panics to the browser console instead of an opaque `unreachable` trap.
fn console_error_panic_hook_install() {
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
}
