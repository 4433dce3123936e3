//! The app's IPC commands, one file per area, and the window set-up.

mod exchange;
mod guide;
mod intake;
mod letter_check;
mod letters;
mod operations;
mod overview;
mod people;
mod review;
mod store;
mod system;

use tauri::Manager;

use crate::error::IpcError;
use crate::state::AppState;

/// Run engine work off the UI thread.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::new("internal", e.to_string()))?
}

// The command table: `app_commands!` (see list.rs).
include!("list.rs");

/// `COMMAND_ARGS` from the table: each command's argument keys.
macro_rules! command_args {
    ($($module:ident :: $name:ident ($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty;)*) => {
        &[$((stringify!($name), &[$(stringify!($arg)),*])),*]
    };
}

/// The invoke handler from the table: every command registered.
macro_rules! command_handler {
    ($($module:ident :: $name:ident ($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty;)*) => {
        tauri::generate_handler![$($module::$name),*]
    };
}

/// The arguments each command accepts, as the web view sends them
/// (camelCase). A call carrying any other key is refused before the command
/// runs: a typo or a smuggled field never passes silently.
pub(crate) const COMMAND_ARGS: &[(&str, &[&str])] = app_commands!(command_args);

// After the table: the generator expands it too.
#[cfg(test)]
mod ipc_types;

/// Why a call's arguments are refused (unknown command or unknown keys).
pub(crate) fn refused_args(command: &str, payload: &tauri::ipc::InvokeBody) -> Option<String> {
    let Some((_, allowed)) = COMMAND_ARGS.iter().find(|(c, _)| *c == command) else {
        return Some(format!("未知的命令 {command} / unknown command {command}"));
    };
    let tauri::ipc::InvokeBody::Json(value) = payload else {
        return Some(format!("{command}：参数格式无效 / invalid arguments"));
    };
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::Object(map) => {
            let unknown: Vec<&str> = map
                .keys()
                .map(String::as_str)
                .filter(|k| !allowed.contains(k))
                .collect();
            (!unknown.is_empty()).then(|| {
                format!(
                    "{command} 不接受参数 {} / {command} does not take {}",
                    unknown.join("、"),
                    unknown.join(", ")
                )
            })
        }
        _ => Some(format!("{command}：参数格式无效 / invalid arguments")),
    }
}

/// The app's own pages: `tauri://localhost` (Linux, macOS) or
/// `http(s)://tauri.localhost` (Windows).
pub(crate) fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// Build and run the app.
pub fn run() -> Result<(), String> {
    let state = AppState::open()?;
    // letters opened by sessions that crashed or were killed
    letters::sweep_sessions();
    // the app's data folder is its owner's alone (0700; an older install or
    // a script may have made it with the umask's mode)
    let data_dir = reviewdesk_engine::paths::data_dir();
    if let Err(e) = reviewdesk_engine::store::private_dir(&data_dir) {
        eprintln!("{e}");
    }
    let handler: Box<dyn Fn(tauri::ipc::Invoke) -> bool + Send + Sync> =
        Box::new(app_commands!(command_handler));
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            // The main window is made here rather than from the config alone,
            // so it gets a navigation guard: the web view may show the app's
            // own pages and nothing else (a link or script aiming at a
            // remote URL is refused).
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|w| w.label == "main")
                .cloned()
                .ok_or("tauri.conf.json has no main window")?;
            tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .on_navigation(|url| {
                    let ok = is_app_url(url);
                    if !ok {
                        eprintln!("已阻止打开外部地址 / navigation refused: {url}");
                    }
                    ok
                })
                .build()
                .map(|window| {
                    // opened at the size it was closed at, never larger than the screen
                    let db = app.state::<AppState>().db_path.clone();
                    let size = |w: Option<f64>, h: Option<f64>, dw: f64, dh: f64| {
                        crate::window_size::Size {
                            width: w.unwrap_or(dw),
                            height: h.unwrap_or(dh),
                        }
                    };
                    crate::window_size::open_fitted(
                        &window,
                        &db,
                        size(Some(config.width), Some(config.height), 1280.0, 800.0),
                        size(config.min_width, config.min_height, 960.0, 600.0),
                    );
                    crate::webview::tune(&window)
                })?;
            Ok(())
        })
        .manage(state)
        .invoke_handler(move |invoke| {
            if let Some(why) = refused_args(invoke.message.command(), invoke.message.payload()) {
                invoke.resolver.reject(IpcError::new("invalid", why));
                return true;
            }
            handler(invoke)
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { .. } = event {
                crate::window_size::remember(window, &window.state::<AppState>().db_path);
            }
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                // Signed letters (PDF) are verified; everything else is imported.
                let (pdfs, workbooks): (Vec<_>, Vec<_>) =
                    paths.iter().cloned().partition(|p| letters::is_letter(p));
                if !pdfs.is_empty() {
                    letters::verify_dropped(window.app_handle().clone(), pdfs);
                }
                if !workbooks.is_empty() {
                    intake::import_dropped(window.app_handle().clone(), workbooks);
                }
            }
        })
        .build(tauri::generate_context!())
        .map_err(|e| e.to_string())?
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // the letters opened or printed this session leave with it
                letters::end_session();
                // An automatic backup when the app closes (only when the store
                // was unlocked; a locked store has nothing new to keep).
                let state = app.state::<AppState>();
                let dir = reviewdesk_engine::store::backups_dir(&state.db_path);
                state.close(|s| {
                    let actor =
                        reviewdesk_engine::store::Actor::new("评审工作台（关闭时自动备份）");
                    if let Err(e) = s.backup_generation(&dir, &actor, store::KEEP_BACKUPS) {
                        eprintln!("关闭时自动备份失败 / backup on close failed: {e}");
                    }
                });
            }
        });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_app_url;

    #[test]
    fn unknown_argument_keys_and_commands_are_refused() {
        use tauri::ipc::InvokeBody;
        let json = |v: serde_json::Value| InvokeBody::Json(v);
        assert_eq!(
            super::refused_args("open_letter", &json(serde_json::json!({ "number": "1号" }))),
            None
        );
        assert_eq!(
            super::refused_args("app_info", &json(serde_json::Value::Null)),
            None
        );
        let extra = super::refused_args(
            "open_letter",
            &json(serde_json::json!({ "number": "1号", "path": "/etc/passwd" })),
        );
        assert!(extra.is_some_and(|m| m.contains("path")));
        assert!(super::refused_args("rm_rf", &json(serde_json::json!({}))).is_some());
        assert!(super::refused_args("open_letter", &InvokeBody::Raw(vec![1, 2])).is_some());
    }

    #[test]
    fn only_the_apps_own_pages_may_load() {
        let ok = |s: &str| is_app_url(&tauri::Url::parse(s).expect("url"));
        assert!(ok("tauri://localhost/"));
        assert!(ok("tauri://localhost/index.html#letters"));
        assert!(ok("http://tauri.localhost/"));
        assert!(!ok("https://example.com/"));
        assert!(!ok("http://localhost:8080/"));
        assert!(!ok("tauri://evil.example/"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("http://tauri.localhost.evil.example/"));
    }
}
