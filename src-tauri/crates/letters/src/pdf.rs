//! Renders a laid-out letter to PDF: printpdf draws the pages, and
//! `embed.rs` subsets and embeds the fonts (with printpdf's `text_layout`
//! subsetter: a CJK font embedded whole is 20–40 MB).
//!
//! A [`LetterWriter`] parses the fonts once and is reused for a batch; it is
//! `Sync`, so a batch can render on several threads.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use azul_core::resources::GlyphOutlineOperation;
use chrono::NaiveTime;
use printpdf::{
    Color, DictItem, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, WindingOrder,
};
use serde::{Deserialize, Serialize};

use super::content::LetterContent;
use super::embed::EmbeddedFont;
use super::fonts::{pick_sc_face, FontChoice, FontPolicy, FontRole, FontUse};
use super::layout::{
    compose, Ink, LayoutOptions, LetterLayout, Measure, TextRun, MM_PER_PT, PAGE_H, PAGE_W,
};
use super::seal::{demo_seal, FillRule, Outlines, PathOp};
use super::{LetterError, Result};

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

struct Face {
    font: ParsedFont,
    /// The face cut down to the common repertoire (GB 2312, ASCII,
    /// punctuation) for batches: subsetting each letter from ~7,000 glyphs
    /// instead of ~65,000 is what makes a batch fast. Letters using a
    /// character outside it take the full face.
    common: std::sync::OnceLock<Option<CommonCut>>,
    /// Glyph id and advance (font units) of each character met so far.
    /// The faces' cmaps are format 12 tables that the font library scans
    /// from the start on every lookup (~100,000 instructions for a CJK
    /// face): without this, looking characters up was a quarter of a
    /// letter's CPU.
    glyphs: std::sync::RwLock<HashMap<char, Option<(u16, u16)>>>,
    upem: f32,
    name: String,
}

/// Subsets kept by (face, the characters it draws).
type SubsetCache = HashMap<(usize, Vec<char>), Arc<EmbeddedFont>>;

/// How many subsets a writer keeps (then it starts again): a few per kind
/// of letter, a few tens of KB each.
const SUBSET_CACHE: usize = 64;

/// A face cut to the common repertoire, and the characters it draws.
struct CommonCut {
    font: ParsedFont,
    /// The cut's glyph of every character it maps (read from the cut's own
    /// cmap once, when it is made).
    gids: HashMap<char, u16>,
}

/// The characters of GB 2312 (symbols and both levels of hanzi), ASCII and
/// the general punctuation block.
fn common_repertoire() -> Vec<char> {
    let mut out: Vec<char> = (0x20u32..0x7f)
        .chain(0x2000..0x2070)
        .chain(0x3000..0x3040)
        .chain(0xff00..0xff70)
        .filter_map(char::from_u32)
        .collect();
    let mut bytes = Vec::with_capacity(2 * 94 * 87);
    for hi in 0xa1u8..=0xf7 {
        for lo in 0xa1u8..=0xfe {
            bytes.push(hi);
            bytes.push(lo);
        }
    }
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    out.extend(text.chars().filter(|c| *c != '\u{fffd}'));
    out.sort_unstable();
    out.dedup();
    out
}

impl Face {
    fn new(font: ParsedFont, name: String) -> Self {
        let upem = f32::from(font.font_metrics.units_per_em.max(1));
        Face {
            font,
            common: std::sync::OnceLock::new(),
            glyphs: std::sync::RwLock::new(HashMap::new()),
            upem,
            name,
        }
    }

    /// The pre-subset face, made on first use (`None` if it cannot be made:
    /// letters then use the full face).
    fn common(&self) -> Option<&CommonCut> {
        self.common
            .get_or_init(|| {
                let mut ids = BTreeMap::new();
                let mut seen = Vec::new();
                for ch in common_repertoire() {
                    let g = self.font.lookup_glyph_index(ch as u32);
                    // the lookups are paid for here: keep them
                    seen.push((ch, g.map(|g| (g, self.font.get_horizontal_advance(g)))));
                    if let Some(g) = g {
                        ids.entry(g).or_insert_with(|| ch.to_string());
                    }
                }
                if let Ok(mut cache) = self.glyphs.write() {
                    cache.extend(seen.iter().copied());
                }
                let sub = printpdf::subset_font(&self.font, &ids).ok()?;
                let font = ParsedFont::from_bytes(&sub.bytes, 0, &mut Vec::new())?;
                let gids = seen
                    .iter()
                    .filter(|(_, g)| g.is_some())
                    .filter_map(|(ch, _)| Some((*ch, font.lookup_glyph_index(*ch as u32)?)))
                    .collect();
                Some(CommonCut { font, gids })
            })
            .as_ref()
    }

    /// Glyph id and advance of `ch` in the full face (`None`: no glyph).
    fn glyph(&self, ch: char) -> Option<(u16, u16)> {
        if let Some(hit) = self.glyphs.read().ok().and_then(|c| c.get(&ch).copied()) {
            return hit;
        }
        let found = self
            .font
            .lookup_glyph_index(ch as u32)
            .map(|g| (g, self.font.get_horizontal_advance(g)));
        if let Ok(mut cache) = self.glyphs.write() {
            cache.insert(ch, found);
        }
        found
    }
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

    fn render_layouts(
        &self,
        c: &LetterContent,
        title: &str,
        subject: &str,
        layouts: &[&LetterLayout],
        max_bytes: usize,
    ) -> Result<RenderedLetter> {
        let mut doc = PdfDocument::new(title);
        // the letter's date, 00:00 Beijing time: reproducible output
        let ts = c.date.and_time(NaiveTime::MIN).and_utc().timestamp() - 8 * 3600;
        if let Ok(d) = printpdf::OffsetDateTime::from_unix_timestamp(ts) {
            doc.metadata.info.creation_date = d;
            doc.metadata.info.modification_date = d;
            doc.metadata.info.metadata_date = d;
        }
        doc.metadata.info.author = c.issuer.clone();
        doc.metadata.info.subject = subject.to_string();
        doc.metadata.info.creator = "ReviewDesk".into();
        doc.metadata.info.producer = "ReviewDesk (printpdf)".into();

        let mut used_roles = std::collections::BTreeSet::new();
        let all_pages = || layouts.iter().flat_map(|l| l.pages.iter());
        for p in all_pages() {
            for r in &p.runs {
                used_roles.insert(r.role);
            }
        }
        let seal_used = all_pages().any(|p| p.seal.is_some());
        if seal_used {
            used_roles.insert(FontRole::Heading);
        }
        // the characters each face draws (the demo seal is drawn as outlines)
        let mut chars_of: BTreeMap<usize, std::collections::BTreeSet<char>> = BTreeMap::new();
        for p in all_pages() {
            for r in &p.runs {
                if let Some(&fi) = self.role_face.get(&r.role) {
                    chars_of
                        .entry(fi)
                        .or_default()
                        .extend(r.glyphs.iter().map(|g| g.ch));
                }
            }
        }
        // each face's subset for this letter: from the batch cut when it
        // draws every character, else from the full face
        let mut fonts: BTreeMap<usize, Arc<EmbeddedFont>> = BTreeMap::new();
        for (fi, chars) in &chars_of {
            let key = (*fi, chars.iter().copied().collect::<Vec<char>>());
            if let Some(hit) = self.subsets.lock().ok().and_then(|c| c.get(&key).cloned()) {
                fonts.insert(*fi, hit);
                continue;
            }
            let face = &self.faces[*fi];
            let mut glyphs = BTreeMap::new();
            for ch in chars {
                let (gid, adv) = face.glyph(*ch).ok_or_else(|| LetterError::MissingGlyph {
                    ch: *ch,
                    code: *ch as u32,
                    font: face.name.clone(),
                })?;
                glyphs.insert(*ch, (gid, adv));
            }
            // only a batch writer cuts its faces (about a second)
            let cut = if self.batch { face.common() } else { None };
            let in_cut: Option<BTreeMap<char, (u16, u16)>> = cut.and_then(|cut| {
                glyphs
                    .iter()
                    .map(|(ch, (_, adv))| cut.gids.get(ch).map(|g| (*ch, (*g, *adv))))
                    .collect()
            });
            let font = match (cut, &in_cut) {
                (Some(cut), Some(g)) => {
                    EmbeddedFont::subset(&cut.font, &face.name, format!("F{fi}"), g)?
                }
                _ => EmbeddedFont::subset(&face.font, &face.name, format!("F{fi}"), &glyphs)?,
            };
            let font = Arc::new(font);
            if let Ok(mut cache) = self.subsets.lock() {
                if cache.len() >= SUBSET_CACHE {
                    cache.clear();
                }
                cache.insert(key, Arc::clone(&font));
            }
            fonts.insert(*fi, font);
        }

        let seal_xobject = match (&self.seal_image, seal_used) {
            (Some(img), true) => Some(doc.add_xobject(&img.xobject)),
            _ => None,
        };
        let mut pages = Vec::new();
        for p in all_pages() {
            let mut ops = Vec::new();
            if let Some(s) = &p.seal {
                match (&self.seal_image, &seal_xobject) {
                    (Some(img), Some(id)) => ops.push(image_seal_op(id.clone(), img, s)),
                    _ => ops.extend(self.seal_ops(s.cx, s.cy, s.diameter)?),
                }
            }
            for rule in &p.rules {
                ops.push(Op::SetOutlineColor { col: ink(rule.ink) });
                ops.push(Op::SetOutlineThickness {
                    pt: Pt(rule.width_pt),
                });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![lp(rule.x1, rule.y, false), lp(rule.x2, rule.y, false)],
                        is_closed: false,
                    },
                });
            }
            ops.push(Op::StartTextSection);
            for run in &p.runs {
                let fi = self.role_face.get(&run.role).copied().unwrap_or(0);
                let Some(font) = fonts.get(&fi) else {
                    continue;
                };
                ops.extend(self.text_ops(run, font, &self.faces[fi])?);
            }
            ops.push(Op::EndTextSection);
            pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        }
        let n_pages = pages.len();
        let mut warnings = Vec::new();
        let opts = PdfSaveOptions {
            // streams are compressed below, at our level
            optimize: false,
            // printpdf embeds no font here: embed.rs does
            subset_fonts: false,
            // `secure` drops raw operators, and the text is shown with them
            secure: false,
            image_optimization: None,
        };
        let mut lo = doc
            .with_pages(pages)
            .to_lopdf_document(&opts, &mut warnings);
        add_fonts(&mut lo, &fonts)?;
        compress_streams(&mut lo);
        let mut pdf = Vec::with_capacity(128 * 1024);
        lo.save_to(&mut pdf)
            .map_err(|e| LetterError::Pdf(format!("PDF not written: {e}")))?;
        if pdf.len() > max_bytes {
            return Err(LetterError::TooLarge {
                bytes: pdf.len(),
                limit: max_bytes,
            });
        }
        let mut fonts: Vec<FontUse> = self
            .uses
            .iter()
            .filter(|u| used_roles.contains(&u.role))
            .cloned()
            .collect();
        fonts.sort_by_key(|u| u.role);
        Ok(RenderedLetter {
            pdf,
            pages: n_pages,
            fonts,
        })
    }

    fn text_ops(&self, run: &TextRun, font: &EmbeddedFont, face: &Face) -> Result<Vec<Op>> {
        let size_mm = run.size_pt * MM_PER_PT;
        let mut items: Vec<DictItem> = Vec::new();
        let mut seg: Vec<u8> = Vec::new();
        for (i, g) in run.glyphs.iter().enumerate() {
            let code = font.code(g.ch).ok_or_else(|| LetterError::MissingGlyph {
                ch: g.ch,
                code: g.ch as u32,
                font: face.name.clone(),
            })?;
            seg.extend_from_slice(&code.to_be_bytes());
            if let Some(next) = run.glyphs.get(i + 1) {
                let adv = self.adv(face, g.ch)? * size_mm;
                let gap = next.x - (g.x + adv);
                if gap.abs() > 0.001 {
                    items.push(hex(std::mem::take(&mut seg)));
                    // TJ numbers: thousandths of an em, positive moves left
                    items.push(DictItem::Real(-gap / size_mm * 1000.0));
                }
            }
        }
        if !seg.is_empty() {
            items.push(hex(seg));
        }
        let x0 = run.glyphs.first().map(|g| g.x).unwrap_or(0.0);
        let raw = |key: &str, value: Vec<DictItem>| Op::Unknown {
            key: key.into(),
            value,
        };
        Ok(vec![
            Op::SetFillColor { col: ink(run.ink) },
            raw(
                "Tf",
                vec![
                    DictItem::Name(font.res.clone().into_bytes()),
                    DictItem::Real(run.size_pt),
                ],
            ),
            raw(
                "Tm",
                [
                    1.0,
                    0.0,
                    0.0,
                    1.0,
                    mm_pt(x0).0,
                    mm_pt(PAGE_H - run.baseline()).0,
                ]
                .into_iter()
                .map(DictItem::Real)
                .collect(),
            ),
            raw("TJ", vec![DictItem::Array(items)]),
        ])
    }

    fn adv(&self, face: &Face, ch: char) -> Result<f32> {
        let (_, adv) = face.glyph(ch).ok_or_else(|| LetterError::MissingGlyph {
            ch,
            code: ch as u32,
            font: face.name.clone(),
        })?;
        Ok(f32::from(adv) / face.upem)
    }

    fn seal_ops(&self, cx: f32, cy: f32, d: f32) -> Result<Vec<Op>> {
        let face = self.face(FontRole::Heading)?;
        let shapes = demo_seal(d, &FaceOutlines(face));
        let mut ops = vec![
            Op::SaveGraphicsState,
            Op::SetFillColor { col: ink(Ink::Red) },
        ];
        for s in shapes {
            let mut rings: Vec<PolygonRing> = Vec::new();
            let mut cur: Vec<LinePoint> = Vec::new();
            // seal space: mm from the centre, y up → page mm from top-left
            let p = |x: f32, y: f32, bez: bool| lp(cx + x, cy - y, bez);
            for op in s.ops {
                match op {
                    PathOp::Move(x, y) => {
                        if cur.len() > 1 {
                            rings.push(PolygonRing {
                                points: std::mem::take(&mut cur),
                            });
                        }
                        cur.clear();
                        cur.push(p(x, y, false));
                    }
                    PathOp::Line(x, y) => cur.push(p(x, y, false)),
                    PathOp::Cubic(x1, y1, x2, y2, x3, y3) => {
                        cur.push(p(x1, y1, true));
                        cur.push(p(x2, y2, true));
                        cur.push(p(x3, y3, false));
                    }
                    PathOp::Close => {
                        if cur.len() > 1 {
                            rings.push(PolygonRing {
                                points: std::mem::take(&mut cur),
                            });
                        }
                    }
                }
            }
            if cur.len() > 1 {
                rings.push(PolygonRing { points: cur });
            }
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings,
                    mode: PaintMode::Fill,
                    winding_order: match s.rule {
                        FillRule::NonZero => WindingOrder::NonZero,
                        FillRule::EvenOdd => WindingOrder::EvenOdd,
                    },
                },
            });
        }
        ops.push(Op::RestoreGraphicsState);
        Ok(ops)
    }
}

impl Measure for LetterWriter {
    fn advance_em(&self, role: FontRole, ch: char) -> Result<f32> {
        let face = self.face(role)?;
        self.adv(face, ch)
    }
}

struct FaceOutlines<'a>(&'a Face);

impl Outlines for FaceOutlines<'_> {
    fn glyph(&self, ch: char) -> Option<(Vec<PathOp>, f32)> {
        let f = &self.0.font;
        let (gid, _) = self.0.glyph(ch)?;
        let g = f.get_or_decode_glyph(gid)?;
        let s = 1.0 / self.0.upem;
        let mut ops = Vec::new();
        let mut last = (0.0f32, 0.0f32);
        for contour in &g.outline {
            for op in contour.operations.as_ref() {
                match op {
                    GlyphOutlineOperation::MoveTo(m) => {
                        last = (f32::from(m.x) * s, f32::from(m.y) * s);
                        ops.push(PathOp::Move(last.0, last.1));
                    }
                    GlyphOutlineOperation::LineTo(l) => {
                        last = (f32::from(l.x) * s, f32::from(l.y) * s);
                        ops.push(PathOp::Line(last.0, last.1));
                    }
                    GlyphOutlineOperation::QuadraticCurveTo(q) => {
                        let (cx, cy) = (f32::from(q.ctrl_1_x) * s, f32::from(q.ctrl_1_y) * s);
                        let (ex, ey) = (f32::from(q.end_x) * s, f32::from(q.end_y) * s);
                        // quadratic → cubic
                        ops.push(PathOp::Cubic(
                            last.0 + 2.0 / 3.0 * (cx - last.0),
                            last.1 + 2.0 / 3.0 * (cy - last.1),
                            ex + 2.0 / 3.0 * (cx - ex),
                            ey + 2.0 / 3.0 * (cy - ey),
                            ex,
                            ey,
                        ));
                        last = (ex, ey);
                    }
                    GlyphOutlineOperation::CubicCurveTo(c) => {
                        let e = (f32::from(c.end_x) * s, f32::from(c.end_y) * s);
                        ops.push(PathOp::Cubic(
                            f32::from(c.ctrl_1_x) * s,
                            f32::from(c.ctrl_1_y) * s,
                            f32::from(c.ctrl_2_x) * s,
                            f32::from(c.ctrl_2_y) * s,
                            e.0,
                            e.1,
                        ));
                        last = e;
                    }
                    GlyphOutlineOperation::ClosePath => ops.push(PathOp::Close),
                }
            }
        }
        Some((ops, f32::from(g.horz_advance) * s))
    }
}

/// Largest seal image accepted (either side, pixels) and file size.
pub const SEAL_MAX_PX: u32 = 2000;
pub const SEAL_MAX_BYTES: usize = 2 * 1024 * 1024;

/// Decode a seal PNG to 8-bit RGBA (transparent background kept).
pub fn decode_seal_png(png: &[u8]) -> Result<printpdf::RawImage> {
    let bad = |why: String| {
        LetterError::Content(format!(
            "印章图像无效：{why} / the seal image is not usable: {why}"
        ))
    };
    if png.len() > SEAL_MAX_BYTES {
        return Err(bad(format!("文件超过 {} MB", SEAL_MAX_BYTES / 1024 / 1024)));
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| bad(format!("不是 PNG 图像（{e}）")))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if w == 0 || h == 0 || w > SEAL_MAX_PX || h > SEAL_MAX_PX {
        return Err(bad(format!("{w}×{h} 像素，应在 1–{SEAL_MAX_PX} 之间")));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| bad("图像过大".into()))?;
    let mut buf = vec![0u8; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| bad(format!("无法解码（{e}）")))?;
    buf.truncate(info.buffer_size());
    let px = (w as usize) * (h as usize);
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|c| [c[0], c[1], c[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|c| [c[0], c[0], c[0], c[1]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return Err(bad("调色板图像未能展开".into())),
    };
    if rgba.len() != px * 4 {
        return Err(bad("像素数据不完整".into()));
    }
    Ok(printpdf::RawImage {
        pixels: printpdf::RawImageData::U8(rgba),
        width: w as usize,
        height: h as usize,
        data_format: printpdf::RawImageFormat::RGBA8,
        tag: Vec::new(),
    })
}

/// The seal image as a PDF image XObject (colour, and its alpha as a soft
/// mask), deflated once for the writer: printpdf deflates a `RawImage`
/// again for every letter, which for a 600 × 600 seal cost more than the
/// rest of the letter.
struct SealImage {
    xobject: printpdf::xobject::ExternalXObject,
    width: usize,
    height: usize,
}

impl SealImage {
    fn new(img: &printpdf::RawImage) -> Result<Self> {
        use printpdf::xobject::{ExternalStream, ExternalXObject};
        let printpdf::RawImageData::U8(rgba) = &img.pixels else {
            return Err(LetterError::Content(
                "印章图像格式 / seal image format".into(),
            ));
        };
        let px = img.width * img.height;
        if img.data_format != printpdf::RawImageFormat::RGBA8 || rgba.len() != px * 4 {
            return Err(LetterError::Content(
                "印章图像格式 / seal image format".into(),
            ));
        }
        let mut colour = Vec::with_capacity(px * 3);
        let mut alpha = Vec::with_capacity(px);
        for p in rgba.chunks_exact(4) {
            colour.extend_from_slice(&p[..3]);
            alpha.push(p[3]);
        }
        // once per writer, so the smallest output is worth level 9
        let deflate = |data: &[u8]| -> Result<Vec<u8>> {
            use std::io::Write;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            z.write_all(data)
                .and_then(|()| z.finish())
                .map_err(|e| LetterError::Pdf(format!("seal image not compressed: {e}")))
        };
        let dict = |colour_space: &str| -> BTreeMap<String, DictItem> {
            [
                ("Type", DictItem::Name(b"XObject".to_vec())),
                ("Subtype", DictItem::Name(b"Image".to_vec())),
                ("Width", DictItem::Int(img.width as i64)),
                ("Height", DictItem::Int(img.height as i64)),
                ("BitsPerComponent", DictItem::Int(8)),
                (
                    "ColorSpace",
                    DictItem::Name(colour_space.as_bytes().to_vec()),
                ),
                ("Filter", DictItem::Name(b"FlateDecode".to_vec())),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
        };
        let mask = ExternalStream {
            dict: dict("DeviceGray"),
            content: deflate(&alpha)?,
            compress: false,
        };
        let mut image_dict = dict("DeviceRGB");
        image_dict.insert("SMask".into(), DictItem::Stream { stream: mask });
        Ok(SealImage {
            xobject: ExternalXObject {
                stream: ExternalStream {
                    dict: image_dict,
                    content: deflate(&colour)?,
                    compress: false,
                },
                width: Some(printpdf::Px(img.width)),
                height: Some(printpdf::Px(img.height)),
                dpi: None,
            },
            width: img.width,
            height: img.height,
        })
    }
}

/// Place the seal image centred on the seal's position, `diameter` wide.
fn image_seal_op(id: printpdf::XObjectId, img: &SealImage, s: &super::layout::SealPlacement) -> Op {
    let d = s.diameter;
    // dpi so that the image's width is exactly the seal's diameter
    let dpi = img.width as f32 / (d / 25.4);
    let height_mm = img.height as f32 / dpi * 25.4;
    Op::UseXobject {
        id,
        transform: printpdf::XObjectTransform {
            translate_x: Some(mm_pt(s.cx - d / 2.0)),
            translate_y: Some(mm_pt(PAGE_H - s.cy - height_mm / 2.0)),
            rotate: None,
            scale_x: None,
            scale_y: None,
            dpi: Some(dpi),
            no_auto_scale: false,
        },
    }
}

/// A hex string operand (the codes a `TJ` shows).
fn hex(bytes: Vec<u8>) -> DictItem {
    DictItem::String {
        data: bytes,
        literal: false,
    }
}

/// Writes the letter's fonts and names them in the pages' font resources
/// (printpdf gives every page the same, here empty, /Font dictionary).
fn add_fonts(doc: &mut lopdf::Document, fonts: &BTreeMap<usize, Arc<EmbeddedFont>>) -> Result<()> {
    let bad = |what: &str| LetterError::Pdf(format!("page resources: {what}"));
    let page_ids: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
    let mut dicts = Vec::new();
    for id in page_ids {
        let res = match doc.get_dictionary(id).and_then(|p| p.get(b"Resources")) {
            Ok(lopdf::Object::Reference(r)) => *r,
            _ => return Err(bad("no /Resources reference")),
        };
        match doc.get_dictionary(res).and_then(|r| r.get(b"Font")) {
            Ok(lopdf::Object::Reference(f)) => dicts.push(*f),
            _ => return Err(bad("no /Font reference")),
        }
    }
    dicts.sort_unstable();
    dicts.dedup();
    let refs: Vec<(String, lopdf::ObjectId)> = fonts
        .values()
        .map(|f| (f.res.clone(), f.write(doc)))
        .collect();
    for d in dicts {
        let dict = doc
            .get_object_mut(d)
            .and_then(lopdf::Object::as_dict_mut)
            .map_err(|_| bad("/Font is not a dictionary"))?;
        for (name, id) in &refs {
            dict.set(name.as_bytes(), lopdf::Object::Reference(*id));
        }
    }
    Ok(())
}

/// Deflates every stream that is not compressed yet (what
/// `lopdf::Document::compress` does, at [`STREAM_LEVEL`](super::embed::STREAM_LEVEL)).
fn compress_streams(doc: &mut lopdf::Document) {
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let Some(packed) = super::embed::deflate(&stream.content) else {
            continue;
        };
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}

fn mm_pt(mm: f32) -> Pt {
    Pt(mm / MM_PER_PT)
}

/// A point given in mm from the page's top-left corner.
fn lp(x: f32, y_from_top: f32, bezier: bool) -> LinePoint {
    LinePoint {
        p: Point {
            x: mm_pt(x),
            y: mm_pt(PAGE_H - y_from_top),
        },
        bezier,
    }
}

fn ink(i: Ink) -> Color {
    match i {
        Ink::Black => Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
        // GB/T 9704 §5.2: red ink Y80% M80% ≈ this in RGB
        Ink::Red => Color::Rgb(Rgb::new(0.9, 0.1, 0.1, None)),
        Ink::Grey => Color::Rgb(Rgb::new(0.45, 0.45, 0.45, None)),
    }
}
