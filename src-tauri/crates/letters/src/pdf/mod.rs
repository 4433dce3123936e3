//! Renders a laid-out letter to PDF: printpdf draws the pages, and
//! `embed.rs` subsets and embeds the fonts (with printpdf's `text_layout`
//! subsetter: a CJK font embedded whole is 20–40 MB).
//!
//! A [`LetterWriter`] parses the fonts once and is reused for a batch; it is
//! `Sync`, so a batch can render on several threads.
//!
//! `face` holds a parsed face (glyph lookups cached, the common cut for
//! batches), `draw` turns a layout into pages and operators, `seal_image`
//! decodes and places the bureau's seal image.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use printpdf::ParsedFont;
use serde::{Deserialize, Serialize};

use super::content::LetterContent;
use super::fonts::{pick_sc_face, FontChoice, FontPolicy, FontRole, FontUse};
use super::layout::{compose, LayoutOptions, LetterLayout, Measure};
use super::{LetterError, Result};

mod draw;
mod face;
mod seal_image;

use face::{Face, SubsetCache};
use seal_image::SealImage;
pub use seal_image::{decode_seal_png, SEAL_MAX_BYTES, SEAL_MAX_PX};

/// A letter larger than this is refused: it means a font went in whole.
pub const MAX_LETTER_BYTES: usize = 300 * 1024;

/// How to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderOptions {
    /// Draw the (demo) seal. Off for printing to be wet-sealed.
    pub seal: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { seal: true }
    }
}

/// A rendered (unsigned) letter.
#[derive(Debug, Clone)]
pub struct RenderedLetter {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// The fonts actually used on this letter.
    pub fonts: Vec<FontUse>,
}

/// Owns the parsed fonts of a batch and renders letters with them.
pub struct LetterWriter {
    /// Batch mode: embed subsets cut from the faces' common repertoire.
    batch: bool,
    /// The bureau's seal image, drawn instead of the demo seal.
    seal_image: Option<Arc<SealImage>>,
    /// The last letters' font subsets by face and characters: the fixed
    /// wording (the headings' face; the title's when the addressees'
    /// names share their characters) is cut and deflated once.
    subsets: std::sync::Mutex<SubsetCache>,
    faces: Vec<Arc<Face>>,
    role_face: BTreeMap<FontRole, usize>,
    uses: Vec<FontUse>,
}

impl std::fmt::Debug for LetterWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LetterWriter")
            .field("fonts", &self.uses)
            .finish()
    }
}

impl LetterWriter {
    /// Finds and parses the fonts (once for a whole batch).
    pub fn new(policy: FontPolicy) -> Result<Self> {
        Self::from_choice(FontChoice::discover(policy)?)
    }

    /// Parses the fonts of `choice`; a file used for several roles is
    /// parsed once.
    pub fn from_choice(choice: FontChoice) -> Result<Self> {
        let mut faces: Vec<Arc<Face>> = Vec::new();
        let mut by_key: BTreeMap<(std::path::PathBuf, usize), usize> = BTreeMap::new();
        let mut role_face = BTreeMap::new();
        let mut uses = Vec::new();
        let mut bytes_cache: BTreeMap<std::path::PathBuf, Vec<u8>> = BTreeMap::new();
        for mut u in choice.uses {
            if !bytes_cache.contains_key(&u.path) {
                let b = std::fs::read(&u.path).map_err(|e| LetterError::FontLoad {
                    path: u.path.display().to_string(),
                    reason: e.to_string(),
                })?;
                bytes_cache.insert(u.path.clone(), b);
            }
            let bytes = bytes_cache.get(&u.path).map(Vec::as_slice).unwrap_or(&[]);
            if u.index == usize::MAX {
                u.index = pick_sc_face(bytes);
            }
            u.face_name = super::fonts::face_name(bytes, u.index);
            let key = (u.path.clone(), u.index);
            let idx =
                match by_key.get(&key) {
                    Some(i) => *i,
                    None => {
                        let mut warnings = Vec::new();
                        let font = ParsedFont::from_bytes(bytes, u.index, &mut warnings)
                            .ok_or_else(|| LetterError::FontLoad {
                                path: u.path.display().to_string(),
                                reason: format!("face {} does not parse: {warnings:?}", u.index),
                            })?;
                        faces.push(Arc::new(Face::new(
                            font,
                            u.face_name.clone().unwrap_or_else(|| u.family.clone()),
                        )));
                        by_key.insert(key, faces.len() - 1);
                        faces.len() - 1
                    }
                };
            role_face.insert(u.role, idx);
            uses.push(u);
        }
        Ok(LetterWriter {
            batch: false,
            seal_image: None,
            subsets: std::sync::Mutex::new(HashMap::new()),
            faces,
            role_face,
            uses,
        })
    }

    /// Prepare for many letters: cut each face down to the common repertoire
    /// once (about a second), so every letter after it subsets from a small
    /// font. A letter with a rarer character still gets the full face.
    pub fn for_batch(mut self) -> Self {
        self.batch = true;
        for f in &self.faces {
            let _ = f.common();
        }
        self
    }

    /// Draw `png` (the bureau's seal, configured once) where the seal goes,
    /// instead of the demo seal (测试样章). Copies for printing still leave
    /// it out.
    pub fn with_seal_png(mut self, png: &[u8]) -> Result<Self> {
        self.seal_image = Some(Arc::new(SealImage::new(&decode_seal_png(png)?)?));
        Ok(self)
    }

    /// Whether letters carry a configured seal image (else the demo seal).
    pub fn has_seal_image(&self) -> bool {
        self.seal_image.is_some()
    }

    /// The fonts chosen for each role.
    pub fn fonts_used(&self) -> &[FontUse] {
        &self.uses
    }

    fn face(&self, role: FontRole) -> Result<&Face> {
        self.role_face
            .get(&role)
            .and_then(|i| self.faces.get(*i))
            .map(|f| f.as_ref())
            .ok_or_else(|| LetterError::FontMissing {
                role: role.to_string(),
                detail: "not loaded".into(),
            })
    }

    /// Lays a letter out without rendering it (for previews and tests).
    pub fn layout(&self, c: &LetterContent, opts: RenderOptions) -> Result<LetterLayout> {
        compose(c, self, LayoutOptions { seal: opts.seal })
    }

    /// Lays out and renders a letter. Fails when the PDF would exceed
    /// [`MAX_LETTER_BYTES`].
    pub fn render(&self, c: &LetterContent, opts: RenderOptions) -> Result<RenderedLetter> {
        let layout = self.layout(c, opts)?;
        self.render_layout(c, &layout)
    }

    /// Renders an already composed layout.
    pub fn render_layout(
        &self,
        c: &LetterContent,
        layout: &LetterLayout,
    ) -> Result<RenderedLetter> {
        self.render_layouts(c, &c.title, &c.number, &[layout], MAX_LETTER_BYTES)
    }

    /// Several letters in one PDF, one after the other, each with its own
    /// page numbers: a batch to print in one go. With `seal: false` in
    /// `opts` the copies are for a wet seal.
    pub fn render_batch(
        &self,
        letters: &[LetterContent],
        opts: RenderOptions,
    ) -> Result<RenderedLetter> {
        let first = letters
            .first()
            .ok_or_else(|| LetterError::Content("没有要打印的决定书 / nothing to print".into()))?;
        let layouts = letters
            .iter()
            .map(|c| self.layout(c, opts))
            .collect::<Result<Vec<_>>>()?;
        let refs: Vec<&LetterLayout> = layouts.iter().collect();
        let title = format!(
            "决定书打印 {} 份 / {} letters to print",
            letters.len(),
            letters.len()
        );
        let numbers = letters
            .iter()
            .map(|c| c.number.as_str())
            .collect::<Vec<_>>()
            .join("，");
        self.render_layouts(
            first,
            &title,
            &numbers,
            &refs,
            MAX_LETTER_BYTES.saturating_mul(letters.len()),
        )
    }

    fn adv(&self, face: &Face, ch: char) -> Result<f32> {
        let (_, adv) = face.glyph(ch).ok_or_else(|| LetterError::MissingGlyph {
            ch,
            code: ch as u32,
            font: face.name.clone(),
        })?;
        Ok(f32::from(adv) / face.upem)
    }
}

impl Measure for LetterWriter {
    fn advance_em(&self, role: FontRole, ch: char) -> Result<f32> {
        let face = self.face(role)?;
        self.adv(face, ch)
    }
}
