//! The letter preview: the engine's content and the writer's own layout,
//! mapped to runs, rules and the seal the window draws.

use reviewdesk_engine::letters::layout::{Ink, RunKind};
use reviewdesk_engine::letters::{FontRole, LetterWriter, RenderOptions};
use reviewdesk_engine::register::issue::{self, LetterPreview};
use serde::Serialize;
use tauri::{AppHandle, Manager};

use super::super::blocking;
use super::{today, writer};
use crate::error::letter_err;
use crate::error::IpcError;
use crate::state::AppState;

// ---- preview ------------------------------------------------------------

/// One line of text on a previewed page: glyph x positions (mm from the
/// left edge), the baseline (mm from the top), size and style, exactly as
/// the PDF places them.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewRun {
    text: String,
    xs: Vec<f32>,
    baseline: f32,
    size_pt: f32,
    #[cfg_attr(
        test,
        ts(type = "\"title\" | \"body\" | \"heading\" | \"kai\" | \"page_number\"")
    )]
    role: &'static str,
    #[cfg_attr(test, ts(type = "\"black\" | \"red\" | \"grey\""))]
    ink: &'static str,
    #[cfg_attr(
        test,
        ts(
            type = "\"flag\" | \"number\" | \"title\" | \"addressee\" | \"body\" | \"signature\" | \"date\" | \"contact\" | \"page_number\" | \"audit\""
        )
    )]
    kind: &'static str,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewRule {
    x1: f32,
    x2: f32,
    y: f32,
    width_pt: f32,
    #[cfg_attr(test, ts(type = "\"black\" | \"red\" | \"grey\""))]
    ink: &'static str,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewSeal {
    cx: f32,
    cy: f32,
    diameter: f32,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewPage {
    runs: Vec<PreviewRun>,
    rules: Vec<PreviewRule>,
    seal: Option<PreviewSeal>,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewLetter {
    #[serde(flatten)]
    letter: LetterPreview,
    width_mm: f32,
    height_mm: f32,
    pages: Vec<PreviewPage>,
}

fn ink(i: Ink) -> &'static str {
    match i {
        Ink::Black => "black",
        Ink::Red => "red",
        Ink::Grey => "grey",
    }
}

fn role(r: FontRole) -> &'static str {
    match r {
        FontRole::Title => "title",
        FontRole::Body => "body",
        FontRole::Heading => "heading",
        FontRole::Kai => "kai",
        FontRole::PageNumber => "page_number",
    }
}

fn kind(k: RunKind) -> &'static str {
    match k {
        RunKind::Flag => "flag",
        RunKind::Number => "number",
        RunKind::Title => "title",
        RunKind::Addressee => "addressee",
        RunKind::Body => "body",
        RunKind::Signature => "signature",
        RunKind::Date => "date",
        RunKind::Contact => "contact",
        RunKind::PageNumber => "page_number",
        RunKind::Audit => "audit",
    }
}

/// The letters a proposed or approved decision would produce, laid out by
/// the letter writer (same line breaks and positions as the signed PDF).
#[tauri::command]
pub async fn preview_letters(
    app: AppHandle,
    credit_code: String,
) -> Result<Vec<PreviewLetter>, IpcError> {
    blocking(move || {
        let letters = app
            .state::<AppState>()
            .with_store(|s| issue::preview_decision(s, &credit_code, today()))?;
        let w = writer(&app)?;
        letters
            .into_iter()
            .map(|letter| laid_out(&w, letter))
            .collect()
    })
    .await
}

/// The correction notice (补正告知书) a workbook that needs correction
/// would get, laid out like the signed PDF.
#[tauri::command]
pub async fn preview_correction_notice(
    app: AppHandle,
    submission_id: i64,
) -> Result<Vec<PreviewLetter>, IpcError> {
    blocking(move || {
        let letter = app
            .state::<AppState>()
            .with_store(|s| issue::preview_correction(s, submission_id, today()))?;
        let w = writer(&app)?;
        Ok(vec![laid_out(&w, letter)?])
    })
    .await
}

/// A letter laid out by the letter writer: same line breaks and positions
/// as the signed PDF.
fn laid_out(w: &LetterWriter, letter: LetterPreview) -> Result<PreviewLetter, IpcError> {
    let layout = w
        .layout(&letter.content, RenderOptions::default())
        .map_err(letter_err)?;
    let pages = layout
        .pages
        .iter()
        .map(|p| PreviewPage {
            runs: p
                .runs
                .iter()
                .map(|r| PreviewRun {
                    text: r.text(),
                    xs: r.glyphs.iter().map(|g| g.x).collect(),
                    baseline: r.baseline(),
                    size_pt: r.size_pt,
                    role: role(r.role),
                    ink: ink(r.ink),
                    kind: kind(r.kind),
                })
                .collect(),
            rules: p
                .rules
                .iter()
                .map(|r| PreviewRule {
                    x1: r.x1,
                    x2: r.x2,
                    y: r.y,
                    width_pt: r.width_pt,
                    ink: ink(r.ink),
                })
                .collect(),
            seal: p.seal.map(|s| PreviewSeal {
                cx: s.cx,
                cy: s.cy,
                diameter: s.diameter,
            }),
        })
        .collect();
    Ok(PreviewLetter {
        letter,
        width_mm: reviewdesk_engine::letters::layout::PAGE_W,
        height_mm: reviewdesk_engine::letters::layout::PAGE_H,
        pages,
    })
}
