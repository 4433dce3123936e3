//! Names, labels and headers: sheet names compared loosely, a label split
//! from its unit, and the cell lookup of one sheet (through merged regions).

use std::collections::{BTreeSet, HashMap};

use super::MAX_MERGES;
use crate::grid::{CellValue, Merge, Sheet};
use crate::normalize;

/// Compare key for a sheet name: trimmed, full-width folded, a numeric
/// prefix ("1.", "1、", "01 ") removed, blanks and dashes dropped, upper case.
pub(super) fn sheet_key(name: &str) -> String {
    let s = normalize::fold_width(normalize::trim(name));
    let s = s.trim();
    let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if rest.len() != s.len() {
        rest.trim_start_matches(['.', '、', ')', '-', '_', ' ', ':', '．', '。'])
    } else {
        s
    };
    let rest = if rest.is_empty() { s } else { rest };
    rest.chars()
        .filter(|&c| !c.is_whitespace() && !matches!(c, '-' | '_' | '—' | '–' | '‐' | '－'))
        .collect::<String>()
        .to_uppercase()
}

/// Split a label or header into its key and the unit in brackets:
/// "上年度营业收入（万元）*：" → ("上年度营业收入", Some("万元")). Blanks
/// (including line breaks inside headers) are dropped; leading and trailing
/// `*`/`＊` and trailing colons are ignored.
pub(super) fn split_label(text: &str) -> (String, Option<String>) {
    // Called for every text cell of a table's first rows while the header
    // is looked for: one allocation for the folded text, then slices.
    let folded = normalize::fold_width_without_blanks(text);
    let mut s = folded.as_str();
    let mut unit: Option<String> = None;
    loop {
        let before = s.len();
        s = s.trim_start_matches('*').trim_end_matches(['*', ':', '※']);
        if s.ends_with(')') {
            if let Some(open) = s.rfind('(') {
                if unit.is_none() {
                    let u = s.get(open + 1..s.len() - 1).unwrap_or("");
                    let u = u.trim_start_matches("单位").trim_start_matches(':');
                    unit = Some(u.to_string());
                }
                s = s.get(..open).unwrap_or("");
            }
        }
        if s.len() == before {
            break;
        }
    }
    (s.to_string(), unit)
}

pub(super) fn unit_matches(found: &str, def: &str) -> bool {
    normalize::fold_width(found).eq_ignore_ascii_case(def)
}

/// Cell lookup for one sheet that does not depend on the order of cells.
pub(super) struct Cells<'a> {
    /// Merged regions considered (at most `MAX_MERGES`).
    pub(super) merges: &'a [Merge],
    map: HashMap<(u32, u32), &'a CellValue>,
    pub(super) rows: BTreeSet<u32>,
    pub(super) max_col: u32,
}

impl<'a> Cells<'a> {
    pub(super) fn new(sheet: &'a Sheet) -> Self {
        let mut map = HashMap::with_capacity(sheet.cells.len());
        let mut rows = BTreeSet::new();
        let mut max_col = 0;
        for c in &sheet.cells {
            map.entry((c.row, c.col)).or_insert(&c.value);
            rows.insert(c.row);
            max_col = max_col.max(c.col);
        }
        Cells {
            merges: sheet.merged.get(..MAX_MERGES).unwrap_or(&sheet.merged),
            map,
            rows,
            max_col,
        }
    }

    pub(super) fn get(&self, row: u32, col: u32) -> Option<&'a CellValue> {
        self.map.get(&(row, col)).copied()
    }

    /// A cell that is neither missing nor blank text.
    pub(super) fn filled(&self, row: u32, col: u32) -> Option<&'a CellValue> {
        self.get(row, col).filter(|v| !normalize::is_blank(v))
    }

    pub(super) fn merge_at(&self, row: u32, col: u32) -> Option<&'a Merge> {
        self.merges.iter().find(|m| {
            m.first_row <= row && row <= m.last_row && m.first_col <= col && col <= m.last_col
        })
    }

    /// The text shown at (row, col), looking through merged regions to
    /// their top-left cell (used for headers).
    pub(super) fn shown_text(&self, row: u32, col: u32) -> Option<&'a str> {
        let v = match self.get(row, col) {
            Some(v) => Some(v),
            None => self
                .merge_at(row, col)
                .and_then(|m| self.get(m.first_row, m.first_col)),
        }?;
        match v {
            CellValue::Text(s) => Some(s.as_str()),
            _ => None,
        }
    }
}
