//! A layout drawn: pages of printpdf operators (text shown with its codes,
//! rules, the seal), the fonts added to the pages' resources, streams
//! deflated, the size checked.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveTime;
use printpdf::{
    Color, DictItem, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfPage, PdfSaveOptions,
    Point, Polygon, PolygonRing, Pt, Rgb, WindingOrder,
};

use super::super::content::LetterContent;
use super::super::embed::EmbeddedFont;
use super::super::fonts::FontRole;
use super::super::fonts::FontUse;
use super::super::layout::{Ink, LetterLayout, Page, TextRun, MM_PER_PT, PAGE_H, PAGE_W};
use super::super::seal::{demo_seal, FillRule, PathOp};
use super::super::{LetterError, Result};
use super::face::{Face, FaceOutlines, SUBSET_CACHE};
use super::seal_image::image_seal_op;
use super::{LetterWriter, RenderedLetter};

impl LetterWriter {
    pub(super) fn render_layouts(
        &self,
        c: &LetterContent,
        title: &str,
        subject: &str,
        layouts: &[&LetterLayout],
        max_bytes: usize,
    ) -> Result<RenderedLetter> {
        let mut doc = new_document(c, title, subject);
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
        let mut fonts: BTreeMap<usize, Arc<EmbeddedFont>> = BTreeMap::new();
        for (fi, chars) in &chars_of {
            fonts.insert(*fi, self.subset(*fi, chars)?);
        }

        let seal_xobject = match (&self.seal_image, seal_used) {
            (Some(img), true) => Some(doc.add_xobject(&img.xobject)),
            _ => None,
        };
        let mut pages = Vec::new();
        for p in all_pages() {
            let ops = self.page_ops(p, &fonts, seal_xobject.as_ref())?;
            pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        }
        let n_pages = pages.len();
        let pdf = save(doc, pages, &fonts, max_bytes)?;
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

    /// Face `fi`'s subset for the characters `chars` of this letter: from
    /// the batch cut when it draws every character, else from the full
    /// face; kept for the next letters that draw the same characters.
    fn subset(
        &self,
        fi: usize,
        chars: &std::collections::BTreeSet<char>,
    ) -> Result<Arc<EmbeddedFont>> {
        let key = (fi, chars.iter().copied().collect::<Vec<char>>());
        if let Some(hit) = self.subsets.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(hit);
        }
        let face = &self.faces[fi];
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
        Ok(font)
    }

    /// One page's operators: the seal (image or drawn), the rules, the text.
    fn page_ops(
        &self,
        p: &Page,
        fonts: &BTreeMap<usize, Arc<EmbeddedFont>>,
        seal_xobject: Option<&printpdf::XObjectId>,
    ) -> Result<Vec<Op>> {
        let mut ops = Vec::new();
        if let Some(s) = &p.seal {
            match (&self.seal_image, seal_xobject) {
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
        Ok(ops)
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

/// A document with the letter's metadata; dated the letter's date, 00:00
/// Beijing time, so the output is reproducible.
fn new_document(c: &LetterContent, title: &str, subject: &str) -> PdfDocument {
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
    doc
}

/// The pages written with our fonts, streams deflated; refused when larger
/// than `max_bytes`.
fn save(
    mut doc: PdfDocument,
    pages: Vec<PdfPage>,
    fonts: &BTreeMap<usize, Arc<EmbeddedFont>>,
    max_bytes: usize,
) -> Result<Vec<u8>> {
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
    add_fonts(&mut lo, fonts)?;
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
    Ok(pdf)
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
        let Some(packed) = super::super::embed::deflate(&stream.content) else {
            continue;
        };
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}

pub(super) fn mm_pt(mm: f32) -> Pt {
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
