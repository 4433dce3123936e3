//! The plain, serialisable picture of a workbook that the parser worker
//! hands back: sheets, their cells with typed values, merged regions and the
//! date system. Everything after this step works on `Grid`, never on calamine.

use serde::{Deserialize, Serialize};

/// One workbook as read from its bytes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Grid {
    /// Container format found by sniffing the bytes ("xlsx", "xls", "xlsb", "ods").
    pub format: String,
    pub sheets: Vec<Sheet>,
}

/// One worksheet.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Sheet {
    /// The sheet name exactly as stored in the file.
    pub name: String,
    /// false for hidden and very hidden sheets.
    pub visible: bool,
    /// Non-empty cells in row-major order.
    pub cells: Vec<Cell>,
    /// Merged regions; the value sits in the top-left cell only.
    pub merged: Vec<Merge>,
}

/// A non-empty cell. `row` and `col` are 0-based (A1 = row 0, col 0).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    pub value: CellValue,
}

/// A merged region, inclusive, 0-based.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// A cell's value as the file stores it. Numbers are kept as their shortest
/// round-trip decimal text (`format!("{}", f64)`), never as a float, so money
/// can be built from them exactly.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "t", content = "v")]
pub enum CellValue {
    /// Text as typed.
    Text(String),
    /// A number's shortest round-trip text as Rust's `{}` prints an f64:
    /// "120.35", "2026", and no exponent (9.15001E+17 arrives as
    /// "915001000000000000").
    Number(String),
    Bool(bool),
    /// A real date (a number with a date format), as ISO "YYYY-MM-DD"
    /// (time of day, if any, after a 'T'). The 1900/1904 system is already applied.
    Date(String),
    /// An error value such as "#N/A" or "#DIV/0!".
    Error(String),
}

impl CellValue {
    /// The text a reviewer would see for this value (used as `raw`).
    pub fn raw_text(&self) -> String {
        match self {
            CellValue::Text(s)
            | CellValue::Number(s)
            | CellValue::Date(s)
            | CellValue::Error(s) => s.clone(),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        }
    }
}

impl Sheet {
    /// The value at (row, col), if the cell is not empty.
    pub fn get(&self, row: u32, col: u32) -> Option<&CellValue> {
        self.cells
            .binary_search_by(|c| (c.row, c.col).cmp(&(row, col)))
            .ok()
            .map(|i| &self.cells[i].value)
    }

    /// The merged region containing (row, col), if any.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merged.iter().find(|m| {
            row >= m.first_row && row <= m.last_row && col >= m.first_col && col <= m.last_col
        })
    }

    /// Last used row (0-based), or None for an empty sheet.
    pub fn max_row(&self) -> Option<u32> {
        self.cells.iter().map(|c| c.row).max()
    }
}

/// "A1"-style reference for 0-based (row, col).
pub fn cell_ref(row: u32, col: u32) -> String {
    // Called for every value read: one allocation, no formatting machinery.
    let mut letters = [0u8; 8];
    let mut start = letters.len();
    let mut c = u64::from(col) + 1;
    while c > 0 && start > 0 {
        start -= 1;
        letters[start] = b'A' + ((c - 1) % 26) as u8;
        c = (c - 1) / 26;
    }
    let mut digits = [0u8; 20];
    let mut end = digits.len();
    let mut r = u64::from(row) + 1;
    while r > 0 && end > 0 {
        end -= 1;
        digits[end] = b'0' + (r % 10) as u8;
        r /= 10;
    }
    let mut out = String::with_capacity(letters.len() - start + digits.len() - end);
    out.extend(
        letters[start..]
            .iter()
            .chain(&digits[end..])
            .map(|&b| char::from(b)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_follow_excel_lettering() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(2, 1), "B3");
        assert_eq!(cell_ref(6, 25), "Z7");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(1048575, 16383), "XFD1048576");
        assert_eq!(cell_ref(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }
}
