//! A restore as a person's act: the backup replaces the store only for an
//! administrator (on a store with a roster, in the live store's roster and
//! in the backup's), and the restore's audit entry, written into the
//! restored copy before it replaces the store, is signed by that person.

use std::path::Path;

use super::roster::{check_actor, Role};
use super::Identity;
use crate::error::Result;
use crate::store::{self, CheckReport, Secret};

/// Restores `backup` over the store at `live` as `who` (see
/// [`store::restore_checked`] for the checks of the backup and the
/// register); `rollback_reason` is the administrator's reason for a backup
/// older than letters already issued.
pub fn restore(
    backup: &Path,
    live: &Path,
    secret: Option<&Secret>,
    rollback_reason: Option<&str>,
    who: &Identity,
) -> Result<CheckReport> {
    let actor = who.actor();
    store::restore_checked(backup, live, secret, rollback_reason, &actor, &|conn| {
        check_actor(conn, &actor, Role::Admin)
    })
}
