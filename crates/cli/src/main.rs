//! `streamlab`: the native companion of the StreamLab page.
//!
//! A thin binary over the library crates: `run` executes a PySpark script or notebook with the
//! same engine and interpreter as the browser, on the real disk and clock; `serve` serves the
//! built web app on 127.0.0.1. Errors are values until here, where they become a message on
//! stderr and a non-zero exit code.

mod render;
mod run;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Run PySpark Structured Streaming notebooks with StreamLab's engine, or serve its web app.
#[derive(Debug, Parser)]
#[command(name = "streamlab", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a PySpark script (.py), a Jupyter notebook (.ipynb) or a Databricks source notebook
    /// (.py with "# Databricks notebook source") on the local file system, printing what
    /// PySpark would print. Relative paths are relative to the working directory.
    Run {
        /// The script or notebook to run.
        file: PathBuf,
        /// Hide the live progress line (it is shown only when stderr is a terminal).
        #[arg(long)]
        quiet: bool,
    },
    /// Serve the built web app on 127.0.0.1 (build it first with ./scripts/serve.sh, which
    /// builds and serves in one step).
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Folder holding the built app (index.html, the wasm module, the sample data).
        #[arg(long, default_value = "dist")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { file, quiet } => run::run(&file, !quiet),
        Command::Serve { port, dir } => {
            serve::serve(&dir, port, |url| eprintln!("StreamLab is served at {url} (Ctrl-C stops it)")).map(|()| true)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("streamlab: {message}");
            ExitCode::from(2)
        }
    }
}
