//! How the web view is set up for a forms-and-tables workstation rather than
//! a browser: less memory, same pixels.
//!
//! Measured with `tests/e2e/bench_app.py` on this machine (Xvfb, Mesa's
//! software GL): drawing with Skia on the CPU instead of through GL cut the
//! web process's anonymous memory from 90 MB to 57 MB and the time to the
//! queue from 0.97 s to 0.52 s; GL here is llvmpipe, i.e. the CPU anyway, with
//! GL buffers on top. The cache model for a single local document drops
//! WebKit's page and resource caches, which an app that never navigates does
//! not use.

/// Draw with Skia on the CPU unless the user chose otherwise
/// (`WEBKIT_SKIA_ENABLE_CPU_RENDERING=0` brings GPU drawing back).
/// Called first thing in `main`, before any thread exists.
pub fn choose_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_SKIA_ENABLE_CPU_RENDERING").is_none() {
        std::env::set_var("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1");
    }
}

/// The main window's web view: one local document, no page cache, no WebGL.
pub fn tune(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let tuned = window.with_webview(|platform| {
            use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
            let view = platform.inner();
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_enable_page_cache(false);
                settings.set_enable_webgl(false);
            }
        });
        if let Err(e) = tuned {
            // Not fatal: the app works with WebKit's defaults, only heavier.
            eprintln!("网页视图设置未能应用 / web view settings not applied: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
