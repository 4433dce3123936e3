//! `reviewdesk export`: the round's applications to .xlsx and .csv, read
//! back with calamine. An applicant named `=HYPERLINK(…)` stays inert text,
//! and every amount reads back exactly as `explain` computed it.

mod common;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use serde_json::Value;

const EVIL: &str = "=HYPERLINK(\"http://evil.example/\",\"点我领取补贴\")";
const EVIL_CODE: &str = "91500103MA5U7K2P39";

fn run(db: &Path, reviewer: &str, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reviewdesk"));
    common::act_as(&mut c, reviewer);
    c.env_remove("REVIEWDESK_DATA_DIR")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run reviewdesk")
}

fn stdout_json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples")
}

/// 01-supply-clean.xlsx with its 单位名称 (申报单位!B2) replaced by `name`.
fn workbook_named(name: &str) -> Vec<u8> {
    let bytes = std::fs::read(samples().join("01-supply-clean.xlsx")).expect("sample");
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let escaped = name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let entry = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read entry");
        if entry == "xl/worksheets/sheet2.xml" {
            let xml = String::from_utf8(data).expect("utf-8");
            let open = r#"<c r="B2" t="inlineStr"><is><t>"#;
            let start = xml.find(open).expect("B2") + open.len();
            let end = start + xml[start..].find("</t>").expect("end of B2");
            data = format!("{}{escaped}{}", &xml[..start], &xml[end..]).into_bytes();
        }
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zout.start_file(entry, opts).expect("start");
        zout.write_all(&data).expect("write");
    }
    zout.finish().expect("finish").into_inner()
}

#[test]
fn exports_keep_formulas_inert_and_amounts_exact() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.db");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    for e in std::fs::read_dir(samples()).expect("samples").flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".xlsx") && !name.starts_with("01-") {
            std::fs::copy(e.path(), inbox.join(&name)).expect("copy");
        }
    }
    std::fs::write(inbox.join("01-evil.xlsx"), workbook_named(EVIL)).expect("write evil");
    let o = run(&db, "张审核", &["import", inbox.to_str().expect("path")]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    assert!(run(&db, "张审核", &["score", "--round", "2026"])
        .status
        .success());
    assert!(run(&db, "张审核", &["decide", "propose", EVIL_CODE])
        .status
        .success());
    assert!(run(&db, "李审批", &["decide", "approve", EVIL_CODE])
        .status
        .success());

    // What explain says each applicant gets.
    let list = stdout_json(&run(&db, "x", &["list", "--json"]));
    let mut totals = std::collections::BTreeMap::new();
    for a in list["applications"].as_array().expect("apps") {
        let Some(code) = a["credit_code"].as_str() else {
            continue;
        };
        let ev = stdout_json(&run(&db, "x", &["explain", code, "--json"]));
        totals.insert(
            code.to_string(),
            ev["total_yuan"].as_str().map(str::to_string),
        );
    }
    assert!(
        totals.get(EVIL_CODE).cloned().flatten().is_some(),
        "the test applicant has an amount"
    );

    // xlsx
    let xlsx = dir.path().join("round.xlsx");
    let o = run(
        &db,
        "x",
        &[
            "export",
            "--round",
            "2026",
            "-o",
            xlsx.to_str().expect("p"),
            "--json",
        ],
    );
    let summary = stdout_json(&o);
    assert_eq!(summary["format"], "xlsx");
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(&xlsx).expect("read"))).expect("xlsx");
    let formulas = wb.worksheet_formula("申报汇总").expect("formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "the export holds a formula"
    );
    let range = wb.worksheet_range("申报汇总").expect("sheet");
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows[0][0], Data::String("统一社会信用代码".into()));
    let evil_row = rows
        .iter()
        .find(|r| r[0] == Data::String(EVIL_CODE.into()))
        .expect("evil row");
    assert_eq!(
        evil_row[1],
        Data::String(EVIL.into()),
        "the name is kept as text"
    );
    assert_eq!(evil_row[7], Data::String("approved".into()));
    let mut checked = 0;
    for r in &rows[1..] {
        let Data::String(code) = &r[0] else { continue };
        if let Some(Some(total)) = totals.get(code) {
            let Data::Float(v) = r[6] else {
                panic!("amount of {code} is not a number: {:?}", r[6])
            };
            assert_eq!(format!("{:.2}", v), *total, "{code}");
            // the shortest round-trip text is the amount itself
            assert_eq!(
                v.to_string().parse::<rust_decimal::Decimal>().ok(),
                total.parse::<rust_decimal::Decimal>().ok()
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked} amounts checked");
    let about = wb.worksheet_range("说明").expect("about");
    let head = stdout_json(&run(&db, "x", &["audit", "head", "--json"]));
    let head_cell = about.get((2, 1)).map(|d| d.to_string()).unwrap_or_default();
    assert!(
        head_cell.contains(head["hash"].as_str().expect("hash")),
        "{head_cell}"
    );

    // csv
    let csv = dir.path().join("round.csv");
    let o = run(&db, "x", &["export", "-o", csv.to_str().expect("p")]);
    assert!(o.status.success(), "{o:?}");
    let text = String::from_utf8(std::fs::read(&csv).expect("read")).expect("utf-8");
    assert!(text.starts_with('\u{FEFF}'));
    let evil_line = text
        .lines()
        .find(|l| l.starts_with(EVIL_CODE))
        .expect("evil line");
    let quoted = format!("\"'{}\"", EVIL.replace('"', "\"\""));
    assert!(evil_line.contains(&quoted), "{evil_line}");
    for (code, total) in &totals {
        if let (Some(total), Some(line)) =
            (total, text.lines().find(|l| l.starts_with(code.as_str())))
        {
            assert!(line.contains(&format!(",{total},")), "{line}");
        }
    }
    assert!(text
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| l.contains("audit head")));

    // anything but .xlsx or .csv is refused
    let o = run(
        &db,
        "x",
        &[
            "export",
            "-o",
            dir.path().join("x.txt").to_str().expect("p"),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
}
