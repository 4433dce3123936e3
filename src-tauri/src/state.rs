//! What the app holds while it runs: the open store (or why it could not be
//! opened) and the isolated parser.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use reviewdesk_engine::intake::worker::{ParserPool, WorkerCommand};
use reviewdesk_engine::store::Store;
use reviewdesk_engine::{paths, EngineError};

use crate::error::IpcError;

pub struct AppState {
    pub db_path: PathBuf,
    store: Mutex<Result<Store, IpcError>>,
    pub parser: ParserPool,
}

impl AppState {
    pub fn open() -> Result<AppState, String> {
        let db_path = paths::default_db_path();
        let store = Store::open(&db_path).map_err(IpcError::from);
        let cmd = WorkerCommand::current_exe().map_err(|e| e.to_string())?;
        Ok(AppState {
            db_path,
            store: Mutex::new(store),
            parser: ParserPool::new(cmd),
        })
    }

    /// Run `f` with the store, or return why the store is unavailable.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, EngineError>,
    ) -> Result<T, IpcError> {
        let mut guard: MutexGuard<'_, _> = self.store.lock().map_err(|_| {
            IpcError::new(
                "internal",
                "数据库访问中断，请重启 / store access interrupted; restart the app",
            )
        })?;
        match guard.as_mut() {
            Ok(store) => f(store).map_err(IpcError::from),
            Err(e) => Err(e.clone()),
        }
    }
}
