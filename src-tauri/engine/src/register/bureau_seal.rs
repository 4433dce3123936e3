//! The bureau's seal image, configured once per workstation store: kept
//! content-addressed in the store (`blobs`), named in `meta` as
//! `bureau_seal`, every change audited. Signed letters draw it where the seal
//! goes; without one they draw the clearly marked demo seal (测试样章). Copies
//! for printing leave any seal out.

use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::store::{get_blob, put_blob, Actor, Store};

/// What is configured.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SealInfo {
    pub sha256: String,
    pub width: usize,
    pub height: usize,
    pub bytes: usize,
}

/// Check `png` is a usable seal image, keep it and make it the bureau's seal
/// (an administrator's act on a store with a roster).
pub fn set(store: &mut Store, actor: &Actor, png: &[u8]) -> Result<SealInfo> {
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Admin)?;
    let img = crate::letters::pdf::decode_seal_png(png).map_err(crate::letter_error)?;
    let (width, height) = (img.width, img.height);
    store.change(actor, "seal.set", "bureau_seal", |tx| {
        let sha256 = put_blob(tx, png)?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('bureau_seal', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [&sha256],
        )?;
        let info = SealInfo {
            sha256: sha256.clone(),
            width,
            height,
            bytes: png.len(),
        };
        Ok((
            info,
            serde_json::json!({ "sha256": sha256, "width": width, "height": height }),
        ))
    })
}

/// The configured seal's PNG bytes and hash, if any.
pub fn get(store: &Store) -> Result<Option<(String, Vec<u8>)>> {
    let hash: Option<String> = store
        .conn()
        .query_row(
            "SELECT value FROM meta WHERE key = 'bureau_seal'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(hash) = hash else { return Ok(None) };
    let bytes = get_blob(store.conn(), &hash)?.ok_or_else(|| {
        EngineError::Store(format!("印章图像 {hash} 不在库中 / seal image missing"))
    })?;
    Ok(Some((hash, bytes)))
}

/// What is configured, for the settings screen.
pub fn info(store: &Store) -> Result<Option<SealInfo>> {
    let Some((sha256, png)) = get(store)? else {
        return Ok(None);
    };
    let img = crate::letters::pdf::decode_seal_png(&png)
        .map_err(|e| EngineError::Store(e.to_string()))?;
    Ok(Some(SealInfo {
        sha256,
        width: img.width,
        height: img.height,
        bytes: png.len(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::demo::sample_approval;
    use crate::letters::{FontPolicy, LetterWriter, RenderOptions};

    /// A 240 px red ring on transparent ground, as a bureau's scan would be.
    fn ring_png() -> Vec<u8> {
        let n = 240u32;
        let mut px = Vec::with_capacity((n * n * 4) as usize);
        for y in 0..n {
            for x in 0..n {
                let (dx, dy) = (x as f32 - 119.5, y as f32 - 119.5);
                let r = (dx * dx + dy * dy).sqrt();
                let on = (100.0..116.0).contains(&r) || r < 20.0;
                px.extend_from_slice(if on {
                    &[200, 20, 20, 255]
                } else {
                    &[0, 0, 0, 0]
                });
            }
        }
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, n, n);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header().expect("header");
            w.write_image_data(&px).expect("data");
        }
        out
    }

    /// The seal image is the administrator's: on a store with a roster a
    /// reviewer is refused and nothing is kept.
    #[test]
    fn only_an_administrator_sets_the_seal_image() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut store = Store::open(&dir.path().join("s.db")).expect("open");
        let people = dir.path().join("people");
        let bureau =
            crate::people::training::set_up(&mut store, &people, "pw-1234").expect("set up");
        let open = |i: usize| {
            crate::people::Identity::open(&bureau.people[i].file, "pw-1234").expect("person")
        };
        let err = set(&mut store, &open(1).actor(), &ring_png()).expect_err("a reviewer");
        assert_eq!(err.code(), "not_allowed");
        assert!(get(&store).expect("get").is_none());
        set(&mut store, &open(0).actor(), &ring_png()).expect("the administrator");
        assert!(get(&store).expect("get").is_some());
    }

    #[test]
    fn the_configured_seal_is_kept_audited_and_drawn_on_letters() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut store = Store::open(&dir.path().join("s.db")).expect("open");
        assert!(info(&store).expect("info").is_none());
        let bad = set(&mut store, &Actor::new("王管理"), b"not a png").expect_err("refused");
        assert!(bad.to_string().contains("印章图像无效"), "{bad}");
        let png = ring_png();
        let i = set(&mut store, &Actor::new("王管理"), &png).expect("set");
        assert_eq!((i.width, i.height), (240, 240));
        let (hash, bytes) = get(&store).expect("get").expect("configured");
        assert_eq!((hash, bytes), (i.sha256.clone(), png.clone()));
        let n: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM audit WHERE action = 'seal.set'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 1);

        let Ok(writer) = LetterWriter::new(FontPolicy::NotoOnly) else {
            return; // no fonts on this machine: the letters tests say so
        };
        let writer = writer.with_seal_png(&png).expect("seal");
        let c = sample_approval(7, "100000.00").expect("content");
        let with = writer.render(&c, RenderOptions::default()).expect("render");
        let without = writer
            .render(&c, RenderOptions { seal: false })
            .expect("render");
        let images = |pdf: &[u8]| -> Option<usize> {
            let f = dir.path().join("letter.pdf");
            std::fs::write(&f, pdf).expect("write");
            let out = std::process::Command::new("pdfimages")
                .arg("-list")
                .arg(&f)
                .output()
                .ok()?;
            // two header lines, then one line per image
            Some(String::from_utf8_lossy(&out.stdout).lines().skip(2).count())
        };
        let Some(n) = images(&with.pdf) else {
            assert!(
                std::env::var_os("REVIEWDESK_REQUIRE_TOOLS").is_none(),
                "pdfimages is required (REVIEWDESK_REQUIRE_TOOLS is set)"
            );
            return;
        };
        std::fs::write("/tmp/seal-letter.pdf", &with.pdf).ok();
        assert!(n >= 1, "the seal image is in the signed letter");
        assert_eq!(
            images(&without.pdf),
            Some(0),
            "copies for a wet seal carry no image"
        );
    }
}
