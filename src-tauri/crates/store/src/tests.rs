//! The store: locks, changes with their audit entries, backups, restore,
//! checks, encryption at rest.

use super::*;
use crate::location::network_filesystem;

#[test]
fn a_second_open_gets_the_clear_locked_message() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("store.db");
    let _first = Store::open(&p).expect("first open");
    match Store::open(&p) {
        Err(EngineError::StoreLocked { .. }) => {}
        Err(other) => panic!("expected StoreLocked, got {other}"),
        Ok(_) => panic!("second open must fail"),
    }
}

#[test]
fn lock_is_released_when_the_store_closes() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("store.db");
    drop(Store::open(&p).expect("first"));
    Store::open(&p).expect("reopen after close");
}

#[test]
fn a_failed_change_leaves_no_audit_entry() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = Store::open(&dir.path().join("s.db")).expect("open");
    let before = s.verify_audit().expect("verify").entries;
    let r: Result<()> = s.change(&Actor::new("t"), "test", "x", |tx| {
        tx.execute("INSERT INTO meta(key, value) VALUES ('k', 'v')", [])?;
        Err(EngineError::Invalid("boom".into()))
    });
    assert!(r.is_err());
    assert_eq!(s.verify_audit().expect("verify").entries, before);
    let n: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM meta WHERE key='k'", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 0, "the change rolled back with its audit entry");
}

#[test]
fn restore_drill_brings_back_every_row_and_the_audit_chain() {
    let dir = tempfile::tempdir().expect("tmp");
    let live = dir.path().join("live.db");
    let backups = dir.path().join("backups");
    let (backup, head) = {
        let mut s = Store::open(&live).expect("open");
        for i in 0..3 {
            s.change(&Actor::new("a"), "note", &format!("n{i}"), |tx| {
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES (?1, 'v')",
                    [format!("k{i}")],
                )?;
                Ok(((), serde_json::json!({})))
            })
            .expect("change");
        }
        let b = s
            .backup_generation(&backups, &Actor::new("a"), 3)
            .expect("backup");
        (b, s.verify_audit().expect("verify").head)
    };
    // Damage the live store.
    std::fs::write(&live, b"garbage").expect("damage");
    let _ = std::fs::remove_file(live.with_extension("db-wal"));
    restore(&backup, &live, None).expect("restore");
    let s = Store::open(&live).expect("reopen");
    let n: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM meta WHERE key LIKE 'k%'", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(n, 3);
    let r = s.verify_audit().expect("verify");
    assert!(r.ok);
    assert_restored_from(s.conn(), &head);
}

/// The chain is the backup's, entry for entry, and then the restore itself.
fn assert_restored_from(conn: &rusqlite::Connection, backup_head: &str) {
    let last = crate::audit::history(conn, "store")
        .expect("history")
        .pop()
        .expect("the restore's entry");
    assert_eq!(last.action, "store.restore");
    assert_eq!(last.prev_hash, backup_head, "it extends the backup's chain");
    assert_eq!(crate::audit::head(conn).expect("head").hash, last.hash);
}

#[test]
fn a_missing_backup_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("tmp");
    let live = dir.path().join("live.db");
    drop(Store::open(&live).expect("open"));
    let before = std::fs::read(&live).expect("read");
    let missing = dir.path().join("no-such-backup.db");
    let err = restore(&missing, &live, None).expect_err("refused");
    assert_eq!(err.code(), "io");
    assert!(
        !missing.exists(),
        "restore must not create the backup it looks for"
    );
    assert_eq!(std::fs::read(&live).expect("read"), before);
}

#[test]
fn a_damaged_backup_is_refused_and_the_live_store_is_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let live = dir.path().join("live.db");
    drop(Store::open(&live).expect("open"));
    let before = std::fs::read(&live).expect("read");
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, vec![7u8; 4096]).expect("write");
    assert!(restore(&bad, &live, None).is_err());
    assert_eq!(std::fs::read(&live).expect("read"), before);
}

#[test]
fn not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("junk.db");
    std::fs::write(&p, vec![0x42u8; 8192]).expect("write");
    let err = Store::open(&p).err().expect("must fail");
    assert!(err.to_string().contains("不是评审工作台的数据库"), "{err}");
}

#[test]
fn the_full_check_runs_weekly_and_leaves_its_verdict_in_the_audit_trail() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = Store::open(&dir.path().join("s.db")).expect("open");
    assert!(s.full_check_due(7).expect("due"), "never run: due");
    let r = s.run_full_check(&Actor::new("评审工作台")).expect("check");
    assert!(r.ok, "{r:?}");
    assert!(!s.full_check_due(7).expect("due"), "just ran");
    assert!(s.full_check_due(0).expect("due"));
    let n: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'store.check'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(n, 1);
}

#[test]
fn network_shares_are_named_and_local_disks_pass() {
    assert_eq!(network_filesystem(0x6969), Some("NFS"));
    assert_eq!(network_filesystem(0xFF53_4D42), Some("CIFS"));
    assert_eq!(network_filesystem(0xEF53), None, "ext4");
    assert_eq!(network_filesystem(0x0102_1994), None, "tmpfs");
    let dir = tempfile::tempdir().expect("tmp");
    assert!(check_location(&dir.path().join("a/b/reviewdesk.db"))
        .expect("local")
        .is_none());
    let w = check_location(Path::new("/media/usb/reviewdesk.db")).expect("removable");
    assert!(w.is_some_and(|w| w.contains("可移动磁盘")));
}

const MARK: &str = "重庆渝算智能科技有限公司|91500103MA5U7K2P39|6500000.00";

fn cheap() {
    std::env::set_var(crypt::TEST_KDF_ENV, "1");
}

fn note(s: &mut Store, key: &str) {
    s.change(&Actor::new("a"), "note", key, |tx| {
        tx.execute("INSERT INTO meta(key, value) VALUES (?1, ?2)", [key, MARK])?;
        Ok(((), serde_json::json!({ "mark": MARK })))
    })
    .expect("change");
}

/// Every byte of every file under `dir`, searched for the marker and for
/// a plain SQLite header.
/// What a stolen folder shows: plaintext, a plain SQLite file, and (on
/// Unix) any file that is not 0600 or folder that is not 0700.
fn leaks(dir: &Path) -> Vec<String> {
    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
    }
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            #[cfg(unix)]
            {
                let want = if p.is_dir() { 0o700 } else { 0o600 };
                if mode(&p) != want {
                    found.push(format!("{} is {:o}", p.display(), mode(&p)));
                }
            }
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).expect("read");
            for needle in ["重庆渝算", "91500103MA5U7K2P39", "6500000.00"] {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(format!("{} contains {needle}", p.display()));
                }
            }
            if bytes.starts_with(crypt::SQLITE_HEADER) {
                found.push(format!("{} is a plain SQLite file", p.display()));
            }
        }
    }
    found
}

#[test]
fn a_stolen_data_folder_reveals_nothing_and_the_passphrase_or_recovery_key_opens_it() {
    cheap();
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("reviewdesk.db");
    assert_eq!(crypt::inspect(&db).expect("inspect"), StoreKind::Missing);
    let recovery = {
        let mut u = unlock(&db, &Secret::passphrase("correct horse")).expect("create");
        assert!(u.store.is_encrypted());
        for i in 0..20 {
            note(&mut u.store, &format!("k{i}"));
        }
        u.store
            .backup_generation(&backups_dir(&db), &Actor::new("a"), 3)
            .expect("backup");
        // Look while the store is open too: the WAL is on disk now.
        assert_eq!(leaks(dir.path()), Vec::<String>::new());
        u.recovery_key.expect("a new store shows its recovery key")
    };
    assert_eq!(leaks(dir.path()), Vec::<String>::new());
    assert_eq!(crypt::inspect(&db).expect("inspect"), StoreKind::Encrypted);
    let err = Store::open(&db).err().expect("no key, no store");
    assert_eq!(err.code(), "passphrase_required");
    let err = unlock(&db, &Secret::passphrase("wrong horse")).expect_err("wrong");
    assert_eq!(err.code(), "wrong_passphrase");
    let u = unlock(&db, &Secret::recovery_key(recovery.as_str())).expect("recovery key");
    assert!(u.recovery_key.is_none());
    let n: i64 = u
        .store
        .conn()
        .query_row("SELECT count(*) FROM meta WHERE value = ?1", [MARK], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(n, 20);
    let report = u.store.check().expect("check");
    assert!(
        report.ok && report.encrypted && report.cipher_problems == 0,
        "{report:?}"
    );
}

#[test]
fn a_plain_store_is_encrypted_on_first_unlock_with_its_backups_and_nothing_lost() {
    cheap();
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("reviewdesk.db");
    let head = {
        let mut s = Store::open(&db).expect("plain");
        note(&mut s, "before");
        s.backup_generation(&backups_dir(&db), &Actor::new("a"), 5)
            .expect("plain backup");
        note(&mut s, "after");
        s.verify_audit().expect("audit").head
    };
    assert!(
        !leaks(dir.path()).is_empty(),
        "the plain store shows the marker"
    );
    assert_eq!(crypt::inspect(&db).expect("inspect"), StoreKind::Plain);
    let u = unlock(&db, &Secret::passphrase("correct horse")).expect("migrate");
    assert!(u.encrypted_now && u.recovery_key.is_some());
    assert_eq!(
        u.backups_encrypted, 1,
        "the plain backup was encrypted in place"
    );
    let r = u.store.verify_audit().expect("audit");
    assert!(r.ok);
    assert_eq!(r.head, head, "every audit entry carried over");
    drop(u);
    assert_eq!(leaks(dir.path()), Vec::<String>::new());
    // Every backup (the plain one now encrypted, and the one taken before
    // the swap) restores with the passphrase.
    let gens: Vec<PathBuf> = std::fs::read_dir(backups_dir(&db))
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    assert_eq!(gens.len(), 2, "{gens:?}");
    for g in gens {
        restore(&g, &db, Some(&Secret::passphrase("correct horse"))).expect("restore");
    }
}

#[test]
fn an_interrupted_encryption_leaves_the_plain_store_usable() {
    cheap();
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("reviewdesk.db");
    drop(Store::open(&db).expect("plain"));
    // As if killed after writing the new key file, before the swap.
    std::fs::write(sibling(&key_path(&db), ".new"), b"{}").expect("write");
    std::fs::write(sibling(&db, ".encrypting"), b"partial").expect("write");
    assert_eq!(crypt::inspect(&db).expect("inspect"), StoreKind::Plain);
    assert!(!sibling(&db, ".encrypting").exists());
    let u = unlock(&db, &Secret::passphrase("correct horse")).expect("migrate");
    assert!(u.encrypted_now);
}

#[test]
fn restore_drill_on_an_encrypted_store_even_with_the_key_file_lost() {
    cheap();
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("reviewdesk.db");
    let secret = Secret::passphrase("correct horse");
    let (backup, head) = {
        let mut u = unlock(&db, &secret).expect("create");
        note(&mut u.store, "one");
        let b = u
            .store
            .backup_generation(&backups_dir(&db), &Actor::new("a"), 3)
            .expect("backup");
        (b, u.store.verify_audit().expect("audit").head)
    };
    std::fs::remove_file(&db).expect("lose the store");
    std::fs::remove_file(key_path(&db)).expect("and its key file");
    let err = restore(&backup, &db, Some(&Secret::passphrase("wrong horse")));
    assert_eq!(err.err().map(|e| e.code()), Some("wrong_passphrase"));
    restore(&backup, &db, Some(&secret)).expect("restore");
    let u = unlock(&db, &secret).expect("unlock restored");
    let r = u.store.verify_audit().expect("audit");
    assert!(r.ok);
    assert_restored_from(u.store.conn(), &head);
}

#[test]
fn a_new_passphrase_opens_the_backups_too() {
    cheap();
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("reviewdesk.db");
    let old = Secret::passphrase("correct horse");
    let backup = {
        let mut u = unlock(&db, &old).expect("create");
        note(&mut u.store, "one");
        u.store
            .backup_generation(&backups_dir(&db), &Actor::new("a"), 3)
            .expect("backup")
    };
    let n = crate::crypt::change_passphrase_with_backups(&db, &old, "battery staple horse")
        .expect("change");
    assert_eq!(n, 1, "the backup's key file is re-wrapped too");
    let backup_key = crate::sibling(&backup, ".key");
    let new = Secret::passphrase("battery staple horse");
    assert!(crate::crypt::unwrap_key(&backup_key, &new).is_ok());
    assert!(
        crate::crypt::unwrap_key(&backup_key, &old).is_err(),
        "the old one no longer opens it"
    );
    // and the backup restores with the passphrase in use
    std::fs::remove_file(&db).expect("lose the store");
    std::fs::remove_file(key_path(&db)).expect("and its key file");
    restore(&backup, &db, Some(&new)).expect("restore with the new passphrase");
}

/// A key that "signs" by hashing (the store only needs bytes back).
struct TestKey;
impl ActSigner for TestKey {
    fn fingerprint(&self) -> String {
        "fp-admin".into()
    }
    fn sign(&self, m: &[u8]) -> std::result::Result<Vec<u8>, String> {
        use sha2::Digest;
        Ok(sha2::Sha256::digest(m).to_vec())
    }
    fn certificate_der(&self) -> Vec<u8> {
        b"admin".to_vec()
    }
}

/// Number `seq` of 2026 issued in `s`, as the register records it.
fn issue(s: &mut Store, seq: i64) {
    s.change(
        &Actor::new("a"),
        "letter.issue",
        &format!("2026-{seq}"),
        |tx| {
            let hash = put_blob(tx, format!("letter {seq}").as_bytes())?;
            tx.execute(
                "INSERT INTO register(year, seq, number, kind, letter_hash, signer, issued_at)
             VALUES (2026, ?1, ?2, 'approval', ?3, 'a', '2026-12-02')",
                rusqlite::params![seq, format!("〔2026〕{seq}号"), hash],
            )?;
            Ok(((), serde_json::json!({})))
        },
    )
    .expect("issue");
}

/// A restore killed right after the restored store took the live one's
/// name (as the crash soak found it): the restored store must already hold
/// the live store's register floor and the restore's signed entry, so the
/// next number is above every number issued. Plain, and encrypted with the
/// live key file lost (the key file must be back beside it too).
#[test]
fn a_restore_killed_right_after_its_swap_leaves_the_floor_and_its_entry() {
    use rusqlite::OptionalExtension;
    cheap();
    for encrypted in [false, true] {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("reviewdesk.db");
        let secret = Secret::passphrase("correct horse");
        let open = || {
            if encrypted {
                unlock(&db, &secret).expect("unlock").store
            } else {
                Store::open(&db).expect("open")
            }
        };
        let backup = {
            let mut s = open();
            let b = s
                .backup_generation(&backups_dir(&db), &Actor::new("a"), 3)
                .expect("backup");
            issue(&mut s, 1);
            issue(&mut s, 2);
            b
        };
        if encrypted {
            std::fs::remove_file(key_path(&db)).expect("lose the key file");
        }
        let admin = Actor::signed("管理员", std::sync::Arc::new(TestKey));
        backups::KILL_AFTER_SWAP.with(|k| k.set(true));
        let killed = restore_checked(
            &backup,
            &db,
            Some(&secret),
            Some("a reason"),
            &admin,
            &|_: &rusqlite::Connection| Ok(()),
        );
        backups::KILL_AFTER_SWAP.with(|k| k.set(false));
        assert!(killed.is_err(), "the hook stops the restore");
        assert!(!sibling(&db, ".restoring").exists(), "the swap happened");
        let s = open();
        assert!(s.check().expect("check").ok);
        let floor: Option<String> = s
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = 'register_floor:2026'",
                [],
                |r| r.get(0),
            )
            .optional()
            .expect("floor");
        assert_eq!(floor.as_deref(), Some("2"), "encrypted: {encrypted}");
        let last = crate::audit::history(s.conn(), "store")
            .expect("history")
            .pop()
            .expect("an entry");
        assert_eq!(last.action, "store.restore", "encrypted: {encrypted}");
        assert_eq!(last.actor_fp.as_deref(), Some("fp-admin"));
    }
}
