// The command table (src/commands/list.rs), shared with the app's own code.
include!("src/commands/list.rs");

/// The command names of the table, as the app manifest wants them.
macro_rules! command_names {
    ($($module:ident :: $name:ident ($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty;)*) => {
        &[$(stringify!($name)),*]
    };
}

fn main() {
    println!("cargo:rerun-if-changed=src/commands/list.rs");
    // Declaring the app's commands makes each one need an explicit permission,
    // so capabilities/default.json is the complete list of what the web view
    // may call.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(app_commands!(command_names))),
    )
    .expect("failed to run tauri-build");
}
