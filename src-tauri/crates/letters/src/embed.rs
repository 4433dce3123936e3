//! The letters' fonts embedded by us, not by printpdf's serializer.
//!
//! printpdf subsets a font itself when it writes a document, then reads the
//! subset's widths by decoding every glyph, and its CFF decoder re-parses the
//! whole CFF table for each glyph: half of a letter's instructions. Here the
//! subset is cut once per face and letter (`printpdf::subset_font`, the same
//! allsorts subsetter), the widths come from the advances the layout already
//! measured, and the dictionaries are the ones printpdf writes (Type0 /
//! Identity-H over a CIDFontType0 with a bare CFF program, or CIDFontType2
//! for TrueType faces; a /ToUnicode map for text extraction). The page
//! content shows text with the codes made here (`Tf`/`Tm`/`TJ`).

use std::collections::{BTreeMap, HashMap};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::ParsedFont;

use super::{LetterError, Result};

/// `/DW`: the default width of a code with no `/W` entry.
const DEFAULT_WIDTH: i64 = 1000;

/// One face's subset for one letter, ready to be written.
pub(super) struct EmbeddedFont {
    /// The name the page resources give it (`/F0` …).
    pub res: String,
    /// The code (CID) each character is shown with.
    codes: HashMap<char, u16>,
    /// `/BaseFont` with its subset tag.
    base_font: String,
    /// The font program (deflated when `packed`) and how it is labelled.
    program: Vec<u8>,
    packed: bool,
    /// The program's length before deflating (`/Length1` of TrueType).
    length1: usize,
    kind: ProgramKind,
    /// `/W` array entries: (code, width in 1/1000 em), ascending codes.
    widths: Vec<(u16, i64)>,
    to_unicode: String,
    descriptor: Descriptor,
}

enum ProgramKind {
    /// A bare CID-keyed CFF table (`/FontFile3 /Subtype /CIDFontType0C`).
    BareCff,
    /// A whole OpenType/CFF font (`/FontFile3 /Subtype /OpenType`).
    OpenType,
    /// TrueType outlines (`/FontFile2`).
    TrueType,
}

struct Descriptor {
    cap_height: i64,
    italic_angle: i64,
    flags: i64,
    stem_v: i64,
    bbox: [i64; 4],
}

impl EmbeddedFont {
    /// Cut `font` down to `glyphs` (character → glyph id in `font`, and the
    /// glyph's advance in font units).
    pub(super) fn subset(
        font: &ParsedFont,
        face_name: &str,
        res: String,
        glyphs: &BTreeMap<char, (u16, u16)>,
    ) -> Result<Self> {
        let mut ids: BTreeMap<u16, String> = BTreeMap::new();
        for (ch, (gid, _)) in glyphs {
            ids.entry(*gid).or_insert_with(|| ch.to_string());
        }
        let sub = printpdf::subset_font(font, &ids)
            .map_err(|e| LetterError::Pdf(format!("font subsetting failed: {e}")))?;
        // Identity-H codes: the subset's glyph ids, or for a CID-keyed CFF the
        // charset's CIDs (which viewers resolve the codes through)
        let cids = printpdf::font::cff_charset_gid_to_cid_map(&sub.bytes, 0);
        let code_of = |orig: u16| -> Option<u16> {
            let (new, _) = sub.glyph_mapping.get(&orig)?;
            Some(
                cids.as_ref()
                    .and_then(|m| m.get(new).copied())
                    .unwrap_or(*new),
            )
        };
        let upem = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let scale = 1000.0 / upem;
        let mut codes = HashMap::with_capacity(glyphs.len());
        let mut by_code: BTreeMap<u16, (i64, String)> = BTreeMap::new();
        for (ch, (gid, adv)) in glyphs {
            let code = code_of(*gid).ok_or_else(|| {
                LetterError::Pdf(format!("font subsetting lost the glyph of {ch:?}"))
            })?;
            codes.insert(*ch, code);
            // truncated, as printpdf writes /W
            let width = (f32::from(*adv) * scale) as i64;
            by_code
                .entry(code)
                .or_insert_with(|| (width, ch.to_string()));
        }
        let widths = by_code.iter().map(|(c, (w, _))| (*c, *w)).collect();
        let tag = subset_tag(face_name, &by_code);
        let name = font
            .font_name
            .clone()
            .unwrap_or_else(|| face_name.to_string());
        let to_unicode = printpdf::cmap::ToUnicodeCMap {
            mappings: by_code
                .iter()
                .map(|(c, (_, s))| (u32::from(*c), s.chars().map(|c| c as u32).collect()))
                .collect(),
        }
        .to_cmap_string(&tag);
        let (program, kind) = match printpdf::font::extract_cid_keyed_cff(&sub.bytes, 0) {
            Some(cff) => (cff, ProgramKind::BareCff),
            None if sub.bytes.starts_with(b"OTTO") => (sub.bytes, ProgramKind::OpenType),
            None => (sub.bytes, ProgramKind::TrueType),
        };
        // deflated here, so a subset kept for later letters is deflated once
        let length1 = program.len();
        let (program, packed) = match deflate(&program) {
            Some(z) => (z, true),
            None => (program, false),
        };
        Ok(EmbeddedFont {
            res,
            codes,
            base_font: format!("{tag}+{name}"),
            program,
            packed,
            length1,
            kind,
            widths,
            to_unicode,
            descriptor: Descriptor::of(font),
        })
    }

    /// The code `ch` is shown with (`None`: not in this subset).
    pub(super) fn code(&self, ch: char) -> Option<u16> {
        self.codes.get(&ch).copied()
    }

    /// Writes the font's objects into `doc`; returns the Type0 font's id.
    pub(super) fn write(&self, doc: &mut lopdf::Document) -> ObjectId {
        // Long on purpose: the font's five PDF objects (program stream,
        // descriptor, CID font, ToUnicode, Type0) written in one place, so
        // their cross-references can be read against ISO 32000 §9.7.
        let (file_key, sub_type, file_subtype) = match self.kind {
            ProgramKind::BareCff => ("FontFile3", "CIDFontType0", Some("CIDFontType0C")),
            ProgramKind::OpenType => ("FontFile3", "CIDFontType0", Some("OpenType")),
            ProgramKind::TrueType => ("FontFile2", "CIDFontType2", None),
        };
        let mut file_dict = Dictionary::new();
        match file_subtype {
            Some(s) => file_dict.set("Subtype", Object::Name(s.into())),
            None => file_dict.set("Length1", Object::Integer(self.length1 as i64)),
        }
        if self.packed {
            file_dict.set("Filter", Object::Name("FlateDecode".into()));
        }
        let file_id = doc.add_object(Stream::new(file_dict, self.program.clone()));
        let d = &self.descriptor;
        let name = || Object::Name(self.base_font.clone().into_bytes());
        let descriptor = Dictionary::from_iter(vec![
            ("Type", Object::Name("FontDescriptor".into())),
            ("FontName", name()),
            // the ideographic em box the layout uses, not the hhea metrics
            // (Noto CJK: 1160/-288, line gap included), with which
            // `pdftotext -bbox` reports every line 1.5 mm higher than drawn
            ("Ascent", Object::Integer(880)),
            ("Descent", Object::Integer(-120)),
            ("CapHeight", Object::Integer(d.cap_height)),
            ("ItalicAngle", Object::Integer(d.italic_angle)),
            ("Flags", Object::Integer(d.flags)),
            ("StemV", Object::Integer(d.stem_v)),
            (
                "FontBBox",
                Object::Array(d.bbox.iter().map(|v| Object::Integer(*v)).collect()),
            ),
            (file_key, Object::Reference(file_id)),
        ]);
        let descriptor_id = doc.add_object(descriptor);
        let mut w = Vec::new();
        let mut run: Vec<Object> = Vec::new();
        let mut run_start = 0u16;
        let mut last: Option<u16> = None;
        for (code, width) in &self.widths {
            if last.is_some_and(|l| l.checked_add(1) == Some(*code)) {
                run.push(Object::Integer(*width));
            } else {
                if !run.is_empty() {
                    w.push(Object::Integer(i64::from(run_start)));
                    w.push(Object::Array(std::mem::take(&mut run)));
                }
                run_start = *code;
                run.push(Object::Integer(*width));
            }
            last = Some(*code);
        }
        if !run.is_empty() {
            w.push(Object::Integer(i64::from(run_start)));
            w.push(Object::Array(run));
        }
        let mut cid_font = Dictionary::from_iter(vec![
            ("Type", Object::Name("Font".into())),
            ("BaseFont", name()),
            ("Subtype", Object::Name(sub_type.into())),
            (
                "CIDSystemInfo",
                Object::Dictionary(Dictionary::from_iter(vec![
                    (
                        "Registry",
                        Object::String("Adobe".into(), StringFormat::Literal),
                    ),
                    (
                        "Ordering",
                        Object::String("Identity".into(), StringFormat::Literal),
                    ),
                    ("Supplement", Object::Integer(0)),
                ])),
            ),
            ("W", Object::Array(w)),
            ("DW", Object::Integer(DEFAULT_WIDTH)),
            ("FontDescriptor", Object::Reference(descriptor_id)),
        ]);
        if matches!(self.kind, ProgramKind::TrueType) {
            cid_font.set("CIDToGIDMap", Object::Name("Identity".into()));
        }
        let to_unicode_id = doc.add_object(Stream::new(
            Dictionary::new(),
            self.to_unicode.as_bytes().to_vec(),
        ));
        doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name("Font".into())),
            ("Subtype", Object::Name("Type0".into())),
            ("BaseFont", name()),
            ("Encoding", Object::Name("Identity-H".into())),
            ("ToUnicode", Object::Reference(to_unicode_id)),
            (
                "DescendantFonts",
                Object::Array(vec![Object::Dictionary(cid_font)]),
            ),
        ]))
    }
}

impl Descriptor {
    /// The descriptor's metrics, worked out as printpdf does (1/1000 em).
    fn of(font: &ParsedFont) -> Self {
        let m = &font.pdf_font_metrics;
        let scale = if m.units_per_em == 0 {
            1.0
        } else {
            1000.0 / f32::from(m.units_per_em)
        };
        let s = |v: i16| (f32::from(v) * scale).round() as i64;
        let ascent = (font.font_metrics.ascent * scale).round() as i64;
        let cap_height = font
            .font_metrics
            .cap_height
            .map(|c| (c * scale).round() as i64)
            .unwrap_or(ascent);
        let italic_angle = if m.caret_slope_rise == 0 {
            0
        } else {
            (-f32::from(m.caret_slope_run)
                .atan2(f32::from(m.caret_slope_rise))
                .to_degrees())
            .round() as i64
        };
        // PDF 32000-1 Table 123: nonsymbolic, italic
        let flags = (1 << 5) | if italic_angle != 0 { 1 << 6 } else { 0 };
        let stem_v = if m.us_weight_class == 0 {
            80
        } else {
            50 + (f32::from(m.us_weight_class) / 65.0).powi(2).round() as i64
        };
        Descriptor {
            cap_height,
            italic_angle,
            flags,
            stem_v,
            bbox: [s(m.x_min), s(m.y_min), s(m.x_max), s(m.y_max)],
        }
    }
}

/// Six capitals naming a subset (ISO 32000-1 §9.6.4), from the face and the
/// codes it holds: the same letter gives the same bytes.
fn subset_tag(face: &str, codes: &BTreeMap<u16, (i64, String)>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(face.as_bytes());
    for c in codes.keys() {
        h.update(c.to_be_bytes());
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// zlib level of the letters' streams (font programs here, and every other
/// stream of a letter in `pdf.rs`). lopdf's own `compress` uses level 9,
/// whose long match chains cost a sixth of a letter's CPU for under 1 % of
/// its size (measured over the benchmark's letters: see the README).
pub(super) const STREAM_LEVEL: u32 = 6;

/// `data` deflated at [`STREAM_LEVEL`].
pub(super) fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::new(STREAM_LEVEL),
    );
    z.write_all(data).and_then(|()| z.finish()).ok()
}
