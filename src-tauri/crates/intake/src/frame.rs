//! The parser worker's answer on the wire: `Result<Grid, ReadError>` in a
//! compact, length-prefixed binary form. Worker and host are always the same
//! binary, so the layout needs no version; it replaced a JSON frame whose
//! encoding and decoding cost about a tenth of the worker's time and a
//! seventh of the host's per file.
//!
//! Layout (integers little-endian; `str` = `u32` byte length + UTF-8):
//! ```text
//! u8 0 (Ok)  str format, u32 sheets, each:
//!              str name, u8 visible, u32 cells, each: u32 row, u32 col,
//!                u8 kind (0 text, 1 number, 2 bool, 3 date, 4 error),
//!                then str (or u8 for bool);
//!              u32 merges, each: u32 first_row, first_col, last_row, last_col
//! u8 1 (Err) u8 kind (0 not_spreadsheet, 1 encrypted, 2 damaged,
//!              3 too_large, 4 timeout, 5 parser_crashed), str detail for 0, 2, 3
//! ```
//! Decoding checks every length against the bytes left and every string's
//! UTF-8; a frame that does not decode exactly is `None` (the caller reports
//! the file as having crashed the parser), never a panic.

use super::grid::{Cell, CellValue, Grid, Merge, Sheet};
use super::reader::ReadError;

/// Encode a worker's answer.
pub fn encode(result: &Result<Grid, ReadError>) -> Vec<u8> {
    let mut out = Vec::new();
    match result {
        Ok(grid) => {
            let cells: usize = grid.sheets.iter().map(|s| s.cells.len()).sum();
            out.reserve(64 + cells * 24);
            out.push(0);
            put_str(&mut out, &grid.format);
            put_len(&mut out, grid.sheets.len());
            for sheet in &grid.sheets {
                put_str(&mut out, &sheet.name);
                out.push(u8::from(sheet.visible));
                put_len(&mut out, sheet.cells.len());
                for c in &sheet.cells {
                    put_u32(&mut out, c.row);
                    put_u32(&mut out, c.col);
                    match &c.value {
                        CellValue::Text(s) => tagged(&mut out, 0, s),
                        CellValue::Number(s) => tagged(&mut out, 1, s),
                        CellValue::Bool(b) => {
                            out.push(2);
                            out.push(u8::from(*b));
                        }
                        CellValue::Date(s) => tagged(&mut out, 3, s),
                        CellValue::Error(s) => tagged(&mut out, 4, s),
                    }
                }
                put_len(&mut out, sheet.merged.len());
                for m in &sheet.merged {
                    for v in [m.first_row, m.first_col, m.last_row, m.last_col] {
                        put_u32(&mut out, v);
                    }
                }
            }
        }
        Err(e) => {
            out.push(1);
            match e {
                ReadError::NotSpreadsheet(d) => tagged(&mut out, 0, d),
                ReadError::Encrypted => out.push(1),
                ReadError::Damaged(d) => tagged(&mut out, 2, d),
                ReadError::TooLarge(d) => tagged(&mut out, 3, d),
                ReadError::Timeout => out.push(4),
                ReadError::ParserCrashed => out.push(5),
            }
        }
    }
    out
}

/// Decode a worker's answer; `None` if the frame is malformed in any way.
pub fn decode(bytes: &[u8]) -> Option<Result<Grid, ReadError>> {
    let mut r = Reader { bytes };
    let result = match r.u8()? {
        0 => {
            let format = r.string()?;
            // Every sheet and cell takes at least 10 bytes on the wire, so no
            // count can make us reserve more than the frame's own size.
            let n = r.count(10)?;
            let mut sheets = Vec::with_capacity(n);
            for _ in 0..n {
                let name = r.string()?;
                let visible = r.bool()?;
                let nc = r.count(10)?;
                let mut cells = Vec::with_capacity(nc);
                for _ in 0..nc {
                    let row = r.u32()?;
                    let col = r.u32()?;
                    let value = match r.u8()? {
                        0 => CellValue::Text(r.string()?),
                        1 => CellValue::Number(r.string()?),
                        2 => CellValue::Bool(r.bool()?),
                        3 => CellValue::Date(r.string()?),
                        4 => CellValue::Error(r.string()?),
                        _ => return None,
                    };
                    cells.push(Cell { row, col, value });
                }
                let nm = r.count(16)?;
                let mut merged = Vec::with_capacity(nm);
                for _ in 0..nm {
                    merged.push(Merge {
                        first_row: r.u32()?,
                        first_col: r.u32()?,
                        last_row: r.u32()?,
                        last_col: r.u32()?,
                    });
                }
                sheets.push(Sheet {
                    name,
                    visible,
                    cells,
                    merged,
                });
            }
            Ok(Grid { format, sheets })
        }
        1 => Err(match r.u8()? {
            0 => ReadError::NotSpreadsheet(r.string()?),
            1 => ReadError::Encrypted,
            2 => ReadError::Damaged(r.string()?),
            3 => ReadError::TooLarge(r.string()?),
            4 => ReadError::Timeout,
            5 => ReadError::ParserCrashed,
            _ => return None,
        }),
        _ => return None,
    };
    // Trailing bytes mean the two sides disagree: not a frame we trust.
    r.bytes.is_empty().then_some(result)
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Counts and lengths are u32 on the wire. A grid never comes near that
/// (the reader stops at `limits::MAX_CELLS`, files at 50 MB); saturating
/// keeps `encode` total, and such a frame then fails to decode.
fn put_len(out: &mut Vec<u8>, n: usize) {
    put_u32(out, u32::try_from(n).unwrap_or(u32::MAX));
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn tagged(out: &mut Vec<u8>, tag: u8, s: &str) {
    out.push(tag);
    put_str(out, s);
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn u32(&mut self) -> Option<u32> {
        let b: [u8; 4] = self.take(4)?.try_into().ok()?;
        Some(u32::from_le_bytes(b))
    }

    /// A count of items of at least `min_size` bytes each, checked against
    /// the bytes left.
    fn count(&mut self, min_size: usize) -> Option<usize> {
        let n = usize::try_from(self.u32()?).ok()?;
        (n.checked_mul(min_size)? <= self.bytes.len()).then_some(n)
    }

    fn string(&mut self) -> Option<String> {
        let n = usize::try_from(self.u32()?).ok()?;
        let b = self.take(n)?;
        std::str::from_utf8(b).ok().map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: u32, col: u32, value: CellValue) -> Cell {
        Cell { row, col, value }
    }

    fn grid() -> Grid {
        Grid {
            format: "xlsx".into(),
            sheets: vec![
                Sheet {
                    name: "申报单位".into(),
                    visible: true,
                    cells: vec![
                        cell(0, 0, CellValue::Text("单位名称（全称）*".into())),
                        cell(3, 1, CellValue::Number("120.35".into())),
                        cell(4, 1, CellValue::Bool(true)),
                        cell(5, 2, CellValue::Date("2018-05-20".into())),
                        cell(6, 16383, CellValue::Error("#N/A".into())),
                        cell(1_048_575, 3, CellValue::Text(String::new())),
                    ],
                    merged: vec![Merge {
                        first_row: 1,
                        first_col: 0,
                        last_row: 2,
                        last_col: 0,
                    }],
                },
                Sheet {
                    name: "隐藏".into(),
                    visible: false,
                    cells: vec![],
                    merged: vec![],
                },
            ],
        }
    }

    #[test]
    fn grids_and_every_error_round_trip() {
        let answers = [
            Ok(grid()),
            Ok(Grid::default()),
            Err(ReadError::NotSpreadsheet("PDF 文档 / a PDF".into())),
            Err(ReadError::Encrypted),
            Err(ReadError::Damaged("zip: bad".into())),
            Err(ReadError::TooLarge("60 MB > 50 MB".into())),
            Err(ReadError::Timeout),
            Err(ReadError::ParserCrashed),
        ];
        for a in answers {
            assert_eq!(decode(&encode(&a)), Some(a));
        }
    }

    #[test]
    fn a_damaged_frame_is_refused_never_a_panic() {
        let good = encode(&Ok(grid()));
        // Every truncation, and a trailing byte.
        for n in 0..good.len() {
            assert_eq!(decode(&good[..n]), None, "truncated at {n}");
        }
        let mut long = good.clone();
        long.push(0);
        assert_eq!(decode(&long), None);
        // Every single byte flipped: refused or some other grid, no panic.
        for i in 0..good.len() {
            let mut b = good.clone();
            b[i] ^= 0xFF;
            let _ = decode(&b);
        }
        // A huge declared count is refused before anything is reserved.
        let mut huge = vec![0u8];
        huge.extend_from_slice(&4u32.to_le_bytes());
        huge.extend_from_slice(b"xlsx");
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge), None);
        // Invalid UTF-8 in a string.
        let mut bad = vec![1u8, 0];
        bad.extend_from_slice(&2u32.to_le_bytes());
        bad.extend_from_slice(&[0xC3, 0x28]);
        assert_eq!(decode(&bad), None);
    }
}
