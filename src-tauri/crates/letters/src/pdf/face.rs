//! One parsed face: glyph ids and advances cached per character, and the
//! face cut to the common repertoire for batches; its outlines for the
//! demo seal's lettering.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use azul_core::resources::GlyphOutlineOperation;
use printpdf::ParsedFont;

use super::super::embed::EmbeddedFont;
use super::super::seal::{Outlines, PathOp};

pub(super) struct Face {
    pub(super) font: ParsedFont,
    /// The face cut down to the common repertoire (GB 2312, ASCII,
    /// punctuation) for batches: subsetting each letter from ~7,000 glyphs
    /// instead of ~65,000 is what makes a batch fast. Letters using a
    /// character outside it take the full face.
    pub(super) common: std::sync::OnceLock<Option<CommonCut>>,
    /// Glyph id and advance (font units) of each character met so far.
    /// The faces' cmaps are format 12 tables that the font library scans
    /// from the start on every lookup (~100,000 instructions for a CJK
    /// face): without this, looking characters up was a quarter of a
    /// letter's CPU.
    pub(super) glyphs: std::sync::RwLock<HashMap<char, Option<(u16, u16)>>>,
    pub(super) upem: f32,
    pub(super) name: String,
}

/// Subsets kept by (face, the characters it draws).
pub(super) type SubsetCache = HashMap<(usize, Vec<char>), Arc<EmbeddedFont>>;

/// How many subsets a writer keeps (then it starts again): a few per kind
/// of letter, a few tens of KB each.
pub(super) const SUBSET_CACHE: usize = 64;

/// A face cut to the common repertoire, and the characters it draws.
pub(super) struct CommonCut {
    pub(super) font: ParsedFont,
    /// The cut's glyph of every character it maps (read from the cut's own
    /// cmap once, when it is made).
    pub(super) gids: HashMap<char, u16>,
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
    pub(super) fn new(font: ParsedFont, name: String) -> Self {
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
    pub(super) fn common(&self) -> Option<&CommonCut> {
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
    pub(super) fn glyph(&self, ch: char) -> Option<(u16, u16)> {
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

pub(super) struct FaceOutlines<'a>(pub(super) &'a Face);

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
