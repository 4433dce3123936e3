//! The memory floor of a Tauri 2 window on this machine: one window of the
//! app's size with a tiny local page, and the web view set up exactly as the
//! app's (`src/webview.rs`, included as it is: Skia on the CPU, the
//! document-viewer cache model, no page cache, no WebGL). Nothing else: no
//! store, no commands, no plugins. `scripts/bench-window-memory.sh` builds
//! it, starts it and the real app under Xvfb, and prints the PSS of each
//! process tree side by side.

#[path = "../src/webview.rs"]
mod webview;

const PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>floor</title></head>\
<body style=\"font-family:sans-serif\"><h1>评审工作台 floor</h1><p>A minimal Tauri 2 window.</p></body></html>";

fn main() {
    webview::choose_rendering();
    tauri::Builder::default()
        .register_uri_scheme_protocol("floor", |_ctx, _request| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(PAGE.as_bytes().to_vec())
                .expect("a static response")
        })
        .setup(|app| {
            let url = "floor://localhost/".parse().expect("a static URL");
            let window = tauri::WebviewWindowBuilder::new(
                app.handle(),
                "main",
                tauri::WebviewUrl::CustomProtocol(url),
            )
            .title("floor")
            .inner_size(1280.0, 800.0)
            .build()?;
            webview::tune(&window);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the minimal window runs");
}
