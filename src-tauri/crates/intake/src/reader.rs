//! Bytes → [`Grid`]: sniff the container by its bytes (never the file
//! extension), run pre-flight checks on zip containers, then read every sheet
//! with calamine. This runs inside the isolated parser worker (see
//! `worker.rs`): calamine can abort the whole process on hostile files, so
//! nothing here may be trusted to return.

use std::io::{Cursor, Read};

use calamine::{Data, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};
use serde::{Deserialize, Serialize};

use super::grid::{Cell, CellValue, Grid, Merge, Sheet};

/// Limits applied before and while reading one workbook.
pub mod limits {
    /// Largest workbook file accepted (bytes).
    pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
    /// Most zip entries in an xlsx/ods container.
    pub const MAX_ZIP_ENTRIES: usize = 5_000;
    /// Largest total decompressed size of a zip container (bytes).
    pub const MAX_UNZIPPED_BYTES: u64 = 200 * 1024 * 1024;
    /// Largest decompression ratio of any single zip entry.
    pub const MAX_RATIO: u64 = 200;
    /// Most non-empty cells read from one workbook.
    pub const MAX_CELLS: usize = 2_000_000;
}

/// Why a file could not be read at all. Each is one clear reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ReadError {
    /// Not a spreadsheet container we know (CSV, HTML, PDF, random bytes…).
    NotSpreadsheet(String),
    /// Password-protected or encrypted.
    Encrypted,
    /// A spreadsheet container that is corrupt or truncated.
    Damaged(String),
    /// Over a size, entry-count or decompression limit.
    TooLarge(String),
    /// The parser did not finish in time.
    Timeout,
    /// The parser process died (crash or out of memory) on this file.
    ParserCrashed,
}

impl ReadError {
    /// Stable code, used in JSON output and by the UI.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::NotSpreadsheet(_) => "not_spreadsheet",
            ReadError::Encrypted => "encrypted",
            ReadError::Damaged(_) => "damaged",
            ReadError::TooLarge(_) => "too_large",
            ReadError::Timeout => "timeout",
            ReadError::ParserCrashed => "parser_crashed",
        }
    }

    /// Chinese message for the reviewer.
    pub fn message_zh(&self) -> String {
        match self {
            ReadError::NotSpreadsheet(d) => {
                format!("不是电子表格文件（{d}）。请提交 .xlsx、.xls、.xlsb 或 .ods 格式的申报表。")
            }
            ReadError::Encrypted => {
                "文件已加密或设置了打开密码，无法读取。请申报单位去除密码后重新提交。".into()
            }
            ReadError::Damaged(d) => {
                format!("文件已损坏或不完整，无法读取（{d}）。请申报单位重新保存后提交。")
            }
            ReadError::TooLarge(d) => format!("文件过大，超出读取限制（{d}）。"),
            ReadError::Timeout => "读取超时：文件结构异常，已停止读取。".into(),
            ReadError::ParserCrashed => {
                "文件结构异常（读取时超出内存或崩溃），已隔离处理，未影响其他文件。".into()
            }
        }
    }

    /// English message.
    pub fn message_en(&self) -> String {
        match self {
            ReadError::NotSpreadsheet(d) => format!("Not a spreadsheet ({d}). Submit .xlsx, .xls, .xlsb or .ods."),
            ReadError::Encrypted => "The file is encrypted or password-protected and cannot be read.".into(),
            ReadError::Damaged(d) => format!("The file is damaged or truncated ({d})."),
            ReadError::TooLarge(d) => format!("The file is too large to read ({d})."),
            ReadError::Timeout => "Reading timed out: the file's structure is abnormal.".into(),
            ReadError::ParserCrashed => "The file made the isolated parser fail (memory or crash); other files are unaffected.".into(),
        }
    }
}

/// The container formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decide the format from the bytes alone, with pre-flight checks on zips.
pub fn sniff(bytes: &[u8]) -> Result<Format, ReadError> {
    sniff_checked(bytes).map(|(format, _)| format)
}

/// What the zip pre-flight saw while it decompressed every entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    /// Some entry might declare merged cells: it holds the bytes
    /// `mergeCell`, or NUL bytes (UTF-16/32 text, where the tag would not
    /// show as those bytes). When false, no sheet can have a `<mergeCells>`
    /// element, and reading them again is skipped.
    may_merge: bool,
}

/// [`sniff`], and what the pre-flight saw (non-zip formats: assume the worst).
fn sniff_checked(bytes: &[u8]) -> Result<(Format, Seen), ReadError> {
    let unseen = Seen { may_merge: true };
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(format!(
            "{} MB > {} MB",
            bytes.len() / (1024 * 1024),
            limits::MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    if bytes.starts_with(&CFB_MAGIC) {
        // An OLE compound file: legacy .xls, or an encrypted OOXML package
        // (whose streams are named EncryptionInfo / EncryptedPackage).
        if contains_utf16(bytes, "EncryptionInfo") || contains_utf16(bytes, "EncryptedPackage") {
            return Err(ReadError::Encrypted);
        }
        return Ok((Format::Xls, unseen));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    let what = if bytes.is_empty() {
        "空文件 / empty file"
    } else if head.contains("<html") || head.contains("<!doctype") || head.contains("<table") {
        "HTML 网页 / an HTML page"
    } else if head.starts_with("%pdf") {
        "PDF 文档 / a PDF"
    } else if head.contains("<?xml") {
        "XML 文件（可能是 Excel 2003 XML）/ XML (perhaps Excel 2003 XML)"
    } else if bytes.iter().take(512).all(|b| b.is_ascii() || *b >= 0x80) && head.contains(',') {
        "文本或 CSV / text or CSV"
    } else {
        "无法识别的格式 / unknown format"
    };
    Err(ReadError::NotSpreadsheet(what.to_string()))
}

/// The checks that need no parsing at all (size, magic bytes, encryption
/// marker): safe to run in the host process before handing bytes to a worker.
pub fn sniff_quick(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.len() > limits::MAX_FILE_BYTES {
        return sniff(bytes).map(|_| ());
    }
    if bytes.starts_with(&CFB_MAGIC)
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
    {
        return Ok(());
    }
    sniff(bytes).map(|_| ())
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pat: Vec<u8> = needle
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(pat.len()).any(|w| w == pat.as_slice())
}

/// Which spreadsheet a zip holds, by its entries' names.
fn zip_format(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    names: &[String],
) -> Result<Format, ReadError> {
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("content.xml") && is_ods_mimetype(zip) {
        Ok(Format::Ods)
    } else if has("word/document.xml") {
        Err(ReadError::NotSpreadsheet(
            "Word 文档 / a Word document".into(),
        ))
    } else if names.iter().any(|n| n.starts_with("xl/")) {
        Err(ReadError::Damaged(
            "缺少 xl/workbook.xml / missing xl/workbook.xml".into(),
        ))
    } else {
        Err(ReadError::NotSpreadsheet(
            "ZIP 压缩包 / a zip archive".into(),
        ))
    }
}

fn sniff_zip(bytes: &[u8]) -> Result<(Format, Seen), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Damaged(format!("zip: {e}")))?;
    if zip.len() > limits::MAX_ZIP_ENTRIES {
        return Err(ReadError::TooLarge(format!(
            "{} 个压缩条目 / zip entries",
            zip.len()
        )));
    }
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|c| c.to_string()))
        .collect::<Result<_, _>>()
        .map_err(|e| ReadError::Damaged(format!("zip: {e}")))?;
    let format = zip_format(&mut zip, &names)?;
    // Real decompressed size, entry by entry, with a hard cap: the sizes
    // declared in the central directory can lie.
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    const TAG: &[u8] = b"mergeCell";
    let tag = memchr::memmem::Finder::new(TAG);
    let mut may_merge = false;
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("ncrypt") => {
                return Err(ReadError::Encrypted)
            }
            Err(e) => return Err(ReadError::Damaged(format!("zip: {e}"))),
        };
        let compressed = entry.compressed_size().max(1);
        let mut real: u64 = 0;
        // The tail of the previous chunk, so a tag split across two reads is found.
        let mut carry = 0usize;
        loop {
            let n = entry
                .read(&mut buf[carry..])
                .map_err(|e| ReadError::Damaged(format!("zip: {e}")))?;
            if n == 0 {
                break;
            }
            if !may_merge {
                let end = carry + n;
                may_merge = tag.find(&buf[..end]).is_some()
                    || memchr::memchr(0, &buf[carry..end]).is_some();
                let keep = (TAG.len() - 1).min(end);
                buf.copy_within(end - keep..end, 0);
                carry = keep;
            }
            real += n as u64;
            total += n as u64;
            if total > limits::MAX_UNZIPPED_BYTES {
                return Err(ReadError::TooLarge(format!(
                    "解压后超过 {} MB / over {} MB unzipped",
                    limits::MAX_UNZIPPED_BYTES / (1024 * 1024),
                    limits::MAX_UNZIPPED_BYTES / (1024 * 1024)
                )));
            }
            if real > 1024 * 1024 && real / compressed > limits::MAX_RATIO {
                return Err(ReadError::TooLarge(
                    "压缩比异常（疑似压缩炸弹）/ suspicious compression ratio (zip bomb)".into(),
                ));
            }
        }
    }
    Ok((format, Seen { may_merge }))
}

fn is_ods_mimetype(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(mut f) = zip.by_name("mimetype") else {
        return false;
    };
    let mut s = String::new();
    let _ = f.by_ref().take(200).read_to_string(&mut s);
    s.contains("opendocument.spreadsheet")
}

/// Read a workbook from its bytes into a [`Grid`], in this process.
/// Call it only inside the parser worker (or in tests on trusted files).
pub fn read_bytes(bytes: &[u8]) -> Result<Grid, ReadError> {
    let (format, seen) = sniff_checked(bytes)?;
    let cursor = Cursor::new(bytes);
    let sheets = match format {
        Format::Xlsx => {
            let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(cursor).map_err(map_xlsx)?;
            // Reading merges parses the whole sheet a second time
            // (a quarter of the worker's time); no entry holds the tag:
            // there are none.
            let merges = |wb: &mut Xlsx<_>, name: &str| {
                if seen.may_merge {
                    wb.merge_cells_by_sheet_name(name).unwrap_or_default()
                } else {
                    Vec::new()
                }
            };
            read_sheets(&mut wb, merges, map_xlsx)?
        }
        Format::Xlsb => {
            let mut wb: Xlsb<_> = calamine::open_workbook_from_rs(cursor)
                .map_err(|e: calamine::XlsbError| classify(&e.to_string()))?;
            read_sheets(&mut wb, |_, _| Vec::new(), |e| classify(&e.to_string()))?
        }
        Format::Xls => {
            let mut wb: Xls<_> = calamine::open_workbook_from_rs(cursor)
                .map_err(|e: calamine::XlsError| classify(&e.to_string()))?;
            let merges = |wb: &mut Xls<_>, name: &str| {
                wb.merge_cells_by_sheet_name(name).unwrap_or_default()
            };
            read_sheets(&mut wb, merges, |e| classify(&e.to_string()))?
        }
        Format::Ods => {
            let mut wb: Ods<_> = calamine::open_workbook_from_rs(cursor)
                .map_err(|e: calamine::OdsError| classify(&e.to_string()))?;
            read_sheets(&mut wb, |_, _| Vec::new(), |e| classify(&e.to_string()))?
        }
    };
    Ok(Grid {
        format: format.as_str().to_string(),
        sheets,
    })
}

/// Every sheet of `wb` in order, with the merged regions `merges` finds for a
/// sheet (none for the formats whose merges are not read).
fn read_sheets<RS, W>(
    wb: &mut W,
    mut merges: impl FnMut(&mut W, &str) -> Vec<calamine::Dimensions>,
    map_err: impl Fn(W::Error) -> ReadError,
) -> Result<Vec<Sheet>, ReadError>
where
    RS: std::io::Read + std::io::Seek,
    W: Reader<RS>,
{
    let metas = wb.sheets_metadata().to_vec();
    let mut out = Vec::new();
    for m in metas {
        let range = wb.worksheet_range(&m.name).map_err(&map_err)?;
        let merged = merges(wb, &m.name);
        out.push(build_sheet(&m.name, m.visible, &range, &merged)?);
    }
    Ok(out)
}

fn map_xlsx(e: calamine::XlsxError) -> ReadError {
    classify(&e.to_string())
}

fn classify(msg: &str) -> ReadError {
    let lower = msg.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        ReadError::Encrypted
    } else {
        let mut m = msg.to_string();
        m.truncate(200);
        ReadError::Damaged(m)
    }
}

fn build_sheet(
    name: &str,
    visible: SheetVisible,
    range: &calamine::Range<Data>,
    merged: &[calamine::Dimensions],
) -> Result<Sheet, ReadError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (r, c, d) in range.used_cells() {
        if let Some(value) = convert(d) {
            if cells.len() >= limits::MAX_CELLS {
                return Err(ReadError::TooLarge(format!(
                    "超过 {} 个单元格 / over {} cells",
                    limits::MAX_CELLS,
                    limits::MAX_CELLS
                )));
            }
            cells.push(Cell {
                row: r0 + r as u32,
                col: c0 + c as u32,
                value,
            });
        }
    }
    cells.sort_by_key(|c| (c.row, c.col));
    Ok(Sheet {
        name: name.to_string(),
        visible: visible == SheetVisible::Visible,
        cells,
        merged: merged
            .iter()
            .map(|d| Merge {
                first_row: d.start.0,
                first_col: d.start.1,
                last_row: d.end.0,
                last_col: d.end.1,
            })
            .collect(),
    })
}

fn convert(d: &Data) -> Option<CellValue> {
    Some(match d {
        Data::Empty => return None,
        Data::String(s) => {
            if s.is_empty() {
                return None;
            }
            CellValue::Text(s.clone())
        }
        Data::Int(i) => CellValue::Number(i.to_string()),
        Data::Float(f) => {
            if f.is_finite() {
                // Shortest round-trip text: the exact decimal the user typed.
                CellValue::Number(format!("{f}"))
            } else {
                CellValue::Error("#NUM!".into())
            }
        }
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                match dt.as_datetime() {
                    Some(ndt) => CellValue::Date(iso(ndt)),
                    None => CellValue::Error("#DATE!".into()),
                }
            } else {
                CellValue::Number(format!("{}", dt.as_f64()))
            }
        }
        Data::DateTimeIso(s) => {
            CellValue::Date(s.strip_suffix("T00:00:00").unwrap_or(s).to_string())
        }
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(format!("{e}")),
    })
}

fn iso(ndt: chrono::NaiveDateTime) -> String {
    if ndt.time() == chrono::NaiveTime::MIN {
        ndt.date().format("%Y-%m-%d").to_string()
    } else {
        ndt.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../assets/samples/");
        std::fs::read(format!("{p}{name}")).expect("sample present")
    }

    #[test]
    fn sniffs_every_sample_by_its_bytes() {
        assert_eq!(sniff(&sample("01-supply-clean.xlsx")), Ok(Format::Xlsx));
        assert_eq!(sniff(&sample("07-supply-legacy.xls")), Ok(Format::Xls));
        assert_eq!(
            sniff(&sample("08-consume-libreoffice.ods")),
            Ok(Format::Ods)
        );
    }

    #[test]
    fn rejects_non_spreadsheets_with_one_reason() {
        assert!(matches!(sniff(b""), Err(ReadError::NotSpreadsheet(_))));
        assert!(matches!(
            sniff(b"name,amount\nfoo,1\n"),
            Err(ReadError::NotSpreadsheet(_))
        ));
        assert!(matches!(
            sniff(b"%PDF-1.7 ..."),
            Err(ReadError::NotSpreadsheet(_))
        ));
        // A truncated zip is damaged, not "unknown".
        let mut b = sample("01-supply-clean.xlsx");
        b.truncate(b.len() / 2);
        assert!(matches!(sniff(&b), Err(ReadError::Damaged(_))));
    }

    #[test]
    fn reads_values_dates_and_numbers_as_text() {
        let g = read_bytes(&sample("01-supply-clean.xlsx")).expect("reads");
        let s = g
            .sheets
            .iter()
            .find(|s| s.name == "申报单位")
            .expect("sheet");
        assert_eq!(s.get(12, 1), Some(&CellValue::Number("3200.5".into())));
        assert_eq!(s.get(6, 1), Some(&CellValue::Date("2018-05-20".into())));
        assert_eq!(
            s.get(2, 1),
            Some(&CellValue::Text("91500103MA5U7K2P39".into()))
        );
    }

    /// A zip with `xl/workbook.xml` and one stored entry of `body`.
    fn zip_with(body: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in [("xl/workbook.xml", &b"<workbook/>"[..]), ("xl/x.xml", body)] {
            w.start_file(name, stored).expect("entry");
            w.write_all(data).expect("write");
        }
        w.finish().expect("zip").into_inner()
    }

    #[test]
    fn the_preflight_notices_any_merged_cell_tag() {
        let may_merge = |b: &[u8]| sniff_checked(&zip_with(b)).map(|(_, s)| s.may_merge);
        assert_eq!(may_merge(b"<sheetData/>"), Ok(false));
        assert_eq!(may_merge(b"<mergeCells count=\"1\">"), Ok(true));
        // Split across two 64 KiB reads.
        let mut split = vec![b' '; 64 * 1024 - 4];
        split.extend_from_slice(b"<x:mergeCell ref=\"A1:B2\"/>");
        assert_eq!(may_merge(&split), Ok(true));
        // UTF-16 text could hide the tag: assume merges.
        assert_eq!(
            may_merge(
                "<a/>"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<_>>()
                    .as_slice()
            ),
            Ok(true)
        );
        // The real thing: a template without merges, a sample with them.
        let blank = crate::template::write_template(2026).expect("template");
        assert_eq!(sniff_checked(&blank).map(|(_, s)| s.may_merge), Ok(false));
        let merged = sample("03-consume-merged-header.xlsx");
        assert_eq!(sniff_checked(&merged).map(|(_, s)| s.may_merge), Ok(true));
    }

    #[test]
    fn keeps_merged_regions() {
        let g = read_bytes(&sample("03-consume-merged-header.xlsx")).expect("reads");
        let s = g
            .sheets
            .iter()
            .find(|s| s.name == "C3-算力消纳")
            .expect("sheet");
        assert!(s.merge_at(2, 0).is_some(), "A2:A3 merged");
    }

    #[test]
    fn legacy_and_ods_read_like_xlsx() {
        for f in ["07-supply-legacy.xls", "08-consume-libreoffice.ods"] {
            let g = read_bytes(&sample(f)).expect("reads");
            assert!(g.sheets.iter().any(|s| s.name.contains("申报单位")), "{f}");
        }
    }
}
