//! The page's Leptos components, one per concern.

pub mod app;
pub mod bench_page;
pub mod cell;
pub mod charts;
pub mod editor;
pub mod file_browser;
pub mod notebook;
pub mod outputs;
pub mod quiz;
pub mod streams;
pub mod tasks;
pub mod toolbar;
