//! Which fonts a letter uses, found once per batch.
//!
//! GB/T 9704 names 小标宋 for the title, 仿宋 for the body, 黑体 and 楷体 for
//! the first two heading levels and 宋体 for page numbers. A bureau's PC has
//! the official fonts (仿宋_GB2312 / FangSong, 方正小标宋, SimSun, SimHei,
//! KaiTi); when they are present they are used. Otherwise the free fallbacks
//! are Noto Serif CJK SC (body, title in Bold, page numbers), Noto Sans CJK SC
//! (黑体) and LXGW WenKai (楷体) — no free 仿宋 covers GB2312.
//!
//! Fonts are looked up by file name in the usual font folders (and
//! `REVIEWDESK_FONT_DIR`), not through fontconfig, so the result is the same
//! on a headless CI machine. [`FontPolicy::NotoOnly`] pins the fallback set
//! so tests and reproducible output do not depend on what is installed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{LetterError, Result};

/// What a font is used for on the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FontRole {
    /// 标题 and the letterhead: 小标宋.
    Title,
    /// 正文: 仿宋.
    Body,
    /// 一级标题: 黑体.
    Heading,
    /// 二级标题: 楷体.
    Kai,
    /// 页码: 宋体.
    PageNumber,
}

impl FontRole {
    /// All roles, in a fixed order.
    pub const ALL: [FontRole; 5] = [
        FontRole::Title,
        FontRole::Body,
        FontRole::Heading,
        FontRole::Kai,
        FontRole::PageNumber,
    ];

    /// The style GB/T 9704 asks for.
    pub fn style(self) -> &'static str {
        match self {
            FontRole::Title => "小标宋",
            FontRole::Body => "仿宋",
            FontRole::Heading => "黑体",
            FontRole::Kai => "楷体",
            FontRole::PageNumber => "宋体",
        }
    }
}

impl std::fmt::Display for FontRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}（{}）", self, self.style())
    }
}

/// Which fonts may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FontPolicy {
    /// The bureau's official fonts when installed, else the free fallbacks.
    PreferOfficial,
    /// Only the Noto CJK SC fallbacks (tests, reproducible output).
    NotoOnly,
}

/// One candidate font file.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Family name as recorded on the letter.
    family: &'static str,
    /// File names to look for (case-insensitive).
    files: &'static [&'static str],
    /// Face index inside a collection; `None` = find the SC face by name.
    index: Option<usize>,
    official: bool,
}

const FANGSONG: Candidate = Candidate {
    family: "仿宋_GB2312 / FangSong",
    files: &[
        "FangSong_GB2312.ttf",
        "仿宋_GB2312.ttf",
        "fs_GB2312.ttf",
        "simfang.ttf",
        "FangSong.ttf",
        "仿宋.ttf",
    ],
    index: Some(0),
    official: true,
};
const XIAOBIAOSONG: Candidate = Candidate {
    family: "方正小标宋简体",
    files: &[
        "FZXBSJW.TTF",
        "方正小标宋简体.ttf",
        "FZXiaoBiaoSong-B05S.ttf",
        "方正小标宋_GBK.ttf",
        "FZXBSK.TTF",
    ],
    index: Some(0),
    official: true,
};
const SIMSUN: Candidate = Candidate {
    family: "SimSun 宋体",
    files: &["simsun.ttc", "SimSun.ttf", "simsun.ttf"],
    index: Some(0),
    official: true,
};
const SIMHEI: Candidate = Candidate {
    family: "SimHei 黑体",
    files: &["simhei.ttf", "SimHei.ttf"],
    index: Some(0),
    official: true,
};
const KAITI: Candidate = Candidate {
    family: "KaiTi 楷体",
    files: &[
        "KaiTi_GB2312.ttf",
        "楷体_GB2312.ttf",
        "simkai.ttf",
        "KaiTi.ttf",
    ],
    index: Some(0),
    official: true,
};
const NOTO_SERIF: Candidate = Candidate {
    family: "Noto Serif CJK SC",
    files: &[
        "NotoSerifCJK-Regular.ttc",
        "NotoSerifCJKsc-Regular.otf",
        "NotoSerifSC-Regular.otf",
    ],
    index: None,
    official: false,
};
const NOTO_SERIF_BOLD: Candidate = Candidate {
    family: "Noto Serif CJK SC Bold",
    files: &[
        "NotoSerifCJK-Bold.ttc",
        "NotoSerifCJKsc-Bold.otf",
        "NotoSerifSC-Bold.otf",
    ],
    index: None,
    official: false,
};
const NOTO_SANS: Candidate = Candidate {
    family: "Noto Sans CJK SC",
    files: &[
        "NotoSansCJK-Regular.ttc",
        "NotoSansCJKsc-Regular.otf",
        "NotoSansSC-Regular.otf",
    ],
    index: None,
    official: false,
};
const WENKAI: Candidate = Candidate {
    family: "LXGW WenKai",
    files: &["LXGWWenKai-Regular.ttf", "LXGWWenKaiGB-Regular.ttf"],
    index: Some(0),
    official: false,
};

fn candidates(role: FontRole, policy: FontPolicy) -> Vec<Candidate> {
    let official: &[Candidate] = match role {
        FontRole::Title => &[XIAOBIAOSONG, SIMSUN],
        FontRole::Body => &[FANGSONG],
        FontRole::Heading => &[SIMHEI],
        FontRole::Kai => &[KAITI],
        FontRole::PageNumber => &[SIMSUN],
    };
    let free: &[Candidate] = match (role, policy) {
        (FontRole::Title, _) => &[NOTO_SERIF_BOLD, NOTO_SERIF],
        (FontRole::Body, _) | (FontRole::PageNumber, _) => &[NOTO_SERIF],
        (FontRole::Heading, _) => &[NOTO_SANS, NOTO_SERIF],
        (FontRole::Kai, FontPolicy::PreferOfficial) => &[WENKAI, NOTO_SERIF],
        (FontRole::Kai, FontPolicy::NotoOnly) => &[NOTO_SERIF],
    };
    match policy {
        FontPolicy::PreferOfficial => official.iter().chain(free).copied().collect(),
        FontPolicy::NotoOnly => free.to_vec(),
    }
}

/// The font chosen for a role, as recorded with the letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FontUse {
    pub role: FontRole,
    /// Family as we name it (e.g. "Noto Serif CJK SC").
    pub family: String,
    /// The face's own name from the font file, when it has one.
    pub face_name: Option<String>,
    pub path: PathBuf,
    /// Face index inside a collection (.ttc).
    pub index: usize,
    /// Whether this is one of the bureau's official fonts.
    pub official: bool,
}

/// Where a font file for each role is, before parsing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FontChoice {
    pub uses: Vec<FontUse>,
}

/// Folders searched for fonts, in order.
pub fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("REVIEWDESK_FONT_DIR") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(home) = dirs::home_dir() {
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    for d in [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
        "C:\\Windows\\Fonts",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// Lower-cased file name → first path found, walking `dirs` (depth ≤ 4).
fn index_files(dirs: &[PathBuf]) -> BTreeMap<String, PathBuf> {
    let mut map = BTreeMap::new();
    fn walk(dir: &Path, depth: u32, map: &mut BTreeMap<String, PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if depth < 4 {
                    walk(&p, depth + 1, map);
                }
            } else if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
                map.entry(name.to_lowercase()).or_insert(p);
            }
        }
    }
    for d in dirs {
        walk(d, 0, &mut map);
    }
    map
}

impl FontChoice {
    /// Finds a font for every role in the usual folders.
    pub fn discover(policy: FontPolicy) -> Result<FontChoice> {
        Self::discover_in(policy, &font_dirs())
    }

    /// Finds a font for every role in `dirs`.
    pub fn discover_in(policy: FontPolicy, dirs: &[PathBuf]) -> Result<FontChoice> {
        let files = index_files(dirs);
        let mut uses = Vec::new();
        for role in FontRole::ALL {
            let found = candidates(role, policy).into_iter().find_map(|c| {
                c.files
                    .iter()
                    .find_map(|f| files.get(&f.to_lowercase()))
                    .map(|p| (c, p.clone()))
            });
            let Some((c, path)) = found else {
                let wanted: Vec<&str> = candidates(role, policy)
                    .iter()
                    .flat_map(|c| c.files.iter().copied())
                    .collect();
                return Err(LetterError::FontMissing {
                    role: role.to_string(),
                    detail: format!(
                        "在 {dirs:?} 中未找到 {wanted:?}（Debian：apt-get install fonts-noto-cjk）"
                    ),
                });
            };
            uses.push(FontUse {
                role,
                family: c.family.to_string(),
                face_name: None,
                path,
                // resolved when parsed (SC face of a collection)
                index: c.index.unwrap_or(usize::MAX),
                official: c.official,
            });
        }
        Ok(FontChoice { uses })
    }

    /// The font chosen for `role`.
    pub fn get(&self, role: FontRole) -> Option<&FontUse> {
        self.uses.iter().find(|u| u.role == role)
    }
}

/// Collections hold several faces; Noto CJK .ttc files hold JP, KR, SC, TC
/// and HK. The SC face is index 2 in Debian's fonts-noto-cjk, but the order
/// is checked by name, not assumed.
pub fn pick_sc_face(bytes: &[u8]) -> usize {
    let faces = collection_face_count(bytes);
    if faces <= 1 {
        return 0;
    }
    (0..faces)
        .find(|&i| face_name(bytes, i).is_some_and(|n| n.contains(" SC")))
        .unwrap_or(2.min(faces - 1))
}

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_be_bytes([s[0], s[1]]))
}
fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Number of faces in a TrueType/OpenType collection (1 for a plain font).
pub fn collection_face_count(bytes: &[u8]) -> usize {
    if bytes.get(0..4) == Some(b"ttcf") {
        be_u32(bytes, 8).map(|n| n as usize).unwrap_or(0)
    } else {
        1
    }
}

/// The full name (name id 4, or the family, id 1) of face `index`, read
/// straight from the `name` table, without parsing the whole face.
pub fn face_name(bytes: &[u8], index: usize) -> Option<String> {
    let offset = if bytes.get(0..4) == Some(b"ttcf") {
        be_u32(bytes, 12 + 4 * index)? as usize
    } else {
        0
    };
    let num_tables = be_u16(bytes, offset + 4)? as usize;
    let mut name_off = None;
    for t in 0..num_tables {
        let rec = offset + 12 + 16 * t;
        if bytes.get(rec..rec + 4)? == b"name" {
            name_off = Some(be_u32(bytes, rec + 8)? as usize);
        }
    }
    let base = name_off?;
    let count = be_u16(bytes, base + 2)? as usize;
    let strings = base + be_u16(bytes, base + 4)? as usize;
    let mut best: Option<(u16, String)> = None;
    for r in 0..count {
        let rec = base + 6 + 12 * r;
        let platform = be_u16(bytes, rec)?;
        let name_id = be_u16(bytes, rec + 6)?;
        let len = be_u16(bytes, rec + 8)? as usize;
        let off = be_u16(bytes, rec + 10)? as usize;
        if platform != 3 || !(name_id == 4 || name_id == 1) {
            continue;
        }
        let raw = bytes.get(strings + off..strings + off + len)?;
        let units: Vec<u16> = raw
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        let s = String::from_utf16_lossy(&units);
        // prefer the full name (4) in English (language 0x409)
        let lang = be_u16(bytes, rec + 4)?;
        let rank = if name_id == 4 { 2 } else { 0 } + u16::from(lang == 0x409);
        if best.as_ref().is_none_or(|(b, _)| rank > *b) {
            best = Some((rank, s));
        }
    }
    best.map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noto_sc_face_is_found_by_name() {
        let p = Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
        let Ok(bytes) = std::fs::read(p) else {
            eprintln!(
                "SKIP: {} not installed (apt-get install fonts-noto-cjk)",
                p.display()
            );
            return;
        };
        let idx = pick_sc_face(&bytes);
        let name = face_name(&bytes, idx).unwrap();
        assert!(name.contains("SC"), "{name}");
        assert_eq!(idx, 2, "Debian's Noto Serif CJK: face 2 is SC ({name})");
    }

    #[test]
    fn missing_fonts_say_what_to_install() {
        let err = FontChoice::discover_in(FontPolicy::NotoOnly, &[PathBuf::from("/nonexistent")])
            .unwrap_err();
        assert!(err.to_string().contains("fonts-noto-cjk"), "{err}");
    }
}
