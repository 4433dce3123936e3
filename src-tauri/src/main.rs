//! ReviewDesk desktop workstation: a thin Tauri shell over the review engine.
//! The window's commands live in `commands/`; they parse arguments, call the
//! engine and map errors — no business logic here.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;
mod state;
mod webview;
mod window_size;

fn main() {
    // The same binary doubles as the isolated workbook parser.
    reviewdesk_engine::intake::worker::maybe_run_worker();
    // Before any thread starts: how WebKit draws (see webview.rs).
    webview::choose_rendering();
    if let Err(e) = commands::run() {
        eprintln!("评审工作台无法启动 / ReviewDesk could not start: {e}");
        std::process::exit(2);
    }
}
