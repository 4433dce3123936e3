//! What the app holds while it runs: the store (locked until the reviewer
//! unlocks it, then open; or why it could not be opened) and the isolated
//! parser.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use reviewdesk_engine::error::ErrorBody;
use reviewdesk_engine::intake::worker::{ParserPool, WorkerCommand};
use reviewdesk_engine::people::Identity;
use reviewdesk_engine::register::batch::StoreAccess;
use reviewdesk_engine::store::{self, Actor, RecoveryKey, Secret, Store, Unlocked};
use reviewdesk_engine::{paths, EngineError};

use crate::error::IpcError;

/// The store as the app sees it.
enum Slot {
    /// Not unlocked yet (every start begins here).
    Locked,
    Open(Store),
}

/// What the reviewer must see after unlocking.
pub struct UnlockInfo {
    /// Shown once: a new store, or a plain store just encrypted.
    pub recovery_key: Option<RecoveryKey>,
    pub encrypted_now: bool,
    pub backups_encrypted: usize,
    /// `PRAGMA quick_check` ("ok" when healthy).
    pub quick_check: String,
    /// The store is on a removable drive.
    pub location_warning: Option<String>,
}

pub struct AppState {
    pub db_path: PathBuf,
    /// Set by `cancel_import`: the running import stops after the file it is
    /// on (nothing half-written: each file is its own savepoint).
    pub import_cancel: std::sync::atomic::AtomicBool,
    /// The person signed in with their certificate (like a UKey login):
    /// every act of this session is theirs and signed with their key.
    person: Mutex<Option<Arc<Identity>>>,
    store: Mutex<Slot>,
    pub parser: ParserPool,
}

fn interrupted() -> IpcError {
    IpcError::new(
        "internal",
        "数据库访问中断，请重启 / store access interrupted; restart the app",
    )
}

impl AppState {
    pub fn open() -> Result<AppState, String> {
        let cmd = WorkerCommand::current_exe().map_err(|e| e.to_string())?;
        Ok(AppState {
            db_path: paths::default_db_path(),
            import_cancel: std::sync::atomic::AtomicBool::new(false),
            person: Mutex::new(None),
            store: Mutex::new(Slot::Locked),
            parser: ParserPool::new(cmd),
        })
    }

    fn slot(&self) -> Result<MutexGuard<'_, Slot>, IpcError> {
        self.store.lock().map_err(|_| interrupted())
    }

    /// Whether the store is open.
    pub fn is_unlocked(&self) -> bool {
        self.slot().is_ok_and(|s| matches!(*s, Slot::Open(_)))
    }

    /// Unlock (or create, or encrypt) the store with `secret`, and run the
    /// quick check every start runs. A store that is already open stays as it
    /// is (`None`).
    pub fn unlock(&self, secret: &Secret) -> Result<Option<UnlockInfo>, IpcError> {
        let mut slot = self.slot()?;
        if matches!(*slot, Slot::Open(_)) {
            return Ok(None);
        }
        let Unlocked {
            store,
            recovery_key,
            encrypted_now,
            backups_encrypted,
            location_warning,
        } = store::unlock(&self.db_path, secret)?;
        let quick_check = store.quick_check()?;
        *slot = Slot::Open(store);
        Ok(Some(UnlockInfo {
            recovery_key,
            encrypted_now,
            backups_encrypted,
            quick_check,
            location_warning,
        }))
    }

    /// The person signed in, or `identity_required`.
    pub fn person(&self) -> Result<Arc<Identity>, IpcError> {
        self.person
            .lock()
            .map_err(|_| interrupted())?
            .clone()
            .ok_or_else(|| {
                IpcError::new(
                    "identity_required",
                    "请先用您的证书登录 / sign in with your certificate first",
                )
            })
    }

    /// The signed actor of the person signed in (every act's author).
    pub fn actor(&self) -> Result<Actor, IpcError> {
        Ok(self.person()?.actor())
    }

    /// The person signed in, if any (the header shows them).
    pub fn person_if_any(&self) -> Option<Arc<Identity>> {
        self.person.lock().ok().and_then(|p| p.clone())
    }

    /// Sign `who` in (replacing whoever was), or sign out with `None`.
    pub fn set_person(&self, who: Option<Identity>) -> Result<(), IpcError> {
        *self.person.lock().map_err(|_| interrupted())? = who.map(Arc::new);
        Ok(())
    }

    /// Run `f` with the store, or say that it is locked.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, EngineError>,
    ) -> Result<T, IpcError> {
        let mut guard = self.slot()?;
        match &mut *guard {
            Slot::Open(store) => f(store).map_err(IpcError::from),
            Slot::Locked => Err(IpcError::new(
                "store_locked_passphrase",
                "数据库尚未解锁：请先输入口令 / the store is locked: enter the passphrase first",
            )),
        }
    }

    /// Close the store (the app is quitting), after `last` ran with it.
    pub fn close(&self, last: impl FnOnce(&mut Store)) {
        if let Ok(mut slot) = self.store.lock() {
            if let Slot::Open(store) = &mut *slot {
                last(store);
            }
            *slot = Slot::Locked;
        }
    }
}

/// The batch (`register::batch`) takes the store one decision at a time,
/// so other commands get it in between.
impl StoreAccess for AppState {
    fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, EngineError>,
    ) -> Result<T, ErrorBody> {
        AppState::with_store(self, f).map_err(|e| ErrorBody {
            code: e.code,
            message: e.message,
        })
    }
}
