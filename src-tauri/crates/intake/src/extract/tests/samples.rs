//! Any grid (proptest) and the sample workbooks against their expected JSON.

use super::*;

fn arb_cell() -> impl Strategy<Value = CellValue> {
    let labels: Vec<String> = schema::template_sheets()
        .iter()
        .flat_map(|s| {
            s.fields
                .iter()
                .flat_map(|f| [f.form_label(), f.column_header()])
        })
        .collect();
    prop_oneof![
        prop::sample::select(labels).prop_map(CellValue::Text),
        "\\PC{0,12}".prop_map(CellValue::Text),
        "[-0-9.e]{1,20}".prop_map(CellValue::Number),
        any::<bool>().prop_map(CellValue::Bool),
        "[0-9T:-]{0,20}".prop_map(CellValue::Date),
        Just(CellValue::Error("#N/A".into())),
    ]
}

fn arb_sheet() -> impl Strategy<Value = Sheet> {
    let mut names: Vec<String> = schema::template_sheets()
        .iter()
        .map(|s| s.name.to_string())
        .collect();
    names.extend([
        "1.申报单位".to_string(),
        "Sheet1".to_string(),
        "".to_string(),
    ]);
    (
        prop::sample::select(names),
        prop::collection::vec((0u32..12, 0u32..12, arb_cell()), 0..80),
        prop::collection::vec((0u32..12, 0u32..12, 0u32..4, 0u32..4), 0..4),
    )
        .prop_map(|(name, cells, merges)| {
            let mut s = sheet(&name, cells);
            s.cells.dedup_by_key(|c| (c.row, c.col));
            s.merged = merges
                .into_iter()
                .map(|(r, c, h, w)| Merge {
                    first_row: r,
                    first_col: c,
                    last_row: r + h,
                    last_col: c + w,
                })
                .collect();
            s
        })
}

proptest! {
    #[test]
    fn never_panics_on_any_grid(sheets in prop::collection::vec(arb_sheet(), 0..6)) {
        let x = extract(&Grid { format: "xlsx".into(), sheets }, &[2026]);
        let _ = serde_json::to_string(&x).unwrap();
    }
}

// -- The shipped sample workbooks, read by the real reader -------------

fn samples_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../assets/samples")
}

fn sample(name: &str) -> Extraction {
    let bytes = std::fs::read(samples_dir().join(name)).unwrap();
    let grid = crate::reader::read_bytes(&bytes).unwrap();
    extract(&grid, &[2026])
}

#[test]
fn samples_match_expected_json() {
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(samples_dir().join("expected.json")).unwrap())
            .unwrap();
    for (file, facts) in expected.as_object().unwrap() {
        let x = sample(file);
        let ok = facts["status"] == "ok";
        assert_eq!(!x.has_errors(), ok, "{file}: {:#?}", x.issues);
        if let Some(code) = facts.get("uscc").and_then(|c| c.as_str()) {
            assert_eq!(x.credit_code.as_deref(), Some(code), "{file}");
        }
        if let Some(clauses) = facts.get("clauses").and_then(|c| c.as_array()) {
            let want: BTreeSet<&str> = clauses.iter().filter_map(|c| c.as_str()).collect();
            let got: BTreeSet<&str> = x.projects.iter().map(|p| p.clause.as_str()).collect();
            assert_eq!(got, want, "{file}");
        }
        if let Some(values) = facts.get("values").and_then(|v| v.as_object()) {
            for (key, want) in values {
                let got = x.value(key).unwrap().display_json();
                assert_eq!(&got, want, "{file} {key}");
            }
        }
        if let Some(cells) = facts.get("error_cells").and_then(|c| c.as_array()) {
            let want: Vec<&str> = cells.iter().filter_map(|c| c.as_str()).collect();
            assert_eq!(errors_at(&x), want, "{file}");
        }
        if ok {
            assert_eq!(x.year, Some(2026), "{file}");
            assert!(x.issues.is_empty(), "{file}: {:#?}", x.issues);
        }
    }
}

#[test]
fn sample_01_supply() {
    let x = sample("01-supply-clean.xlsx");
    assert_eq!(
        x.value("上年度营业收入").unwrap().display_json(),
        "32005000.00"
    );
    assert_eq!(x.value("上年末从业人员"), Some(&Value::Integer(85)));
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(
        (p.clause, p.name.as_str(), p.row),
        (Clause::C1, "渝中智算中心一期", 2)
    );
    assert_eq!(p.fields.len(), 11);
    assert_eq!(p.value("是否自主投资"), Some(&Value::Bool(true)));
    assert_eq!(
        p.value("投运日期").and_then(Value::as_date),
        NaiveDate::from_ymd_opt(2025, 6, 30)
    );
    assert_eq!(
        x.value("成立日期").and_then(Value::as_date),
        NaiveDate::from_ymd_opt(2018, 5, 20)
    );
}

#[test]
fn sample_02_two_clauses_and_other_support() {
    let x = sample("02-rnd-two-clauses.xlsx");
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    let c2a: Vec<&Project> = x.projects_of(Clause::C2a).collect();
    assert_eq!(c2a.len(), 2);
    assert_eq!(
        c2a[0].value("资助到账金额"),
        Some(&Value::Money(dec("6500000")))
    );
    assert_eq!(
        c2a[1].value("资助到账金额"),
        Some(&Value::Money(dec("123456780")))
    );
    assert_eq!(
        c2a[0].value("到账日期").and_then(Value::as_date),
        NaiveDate::from_ymd_opt(2025, 4, 18)
    );
    assert_eq!(x.projects_of(Clause::C2b).count(), 1);
    assert_eq!(x.projects.len(), 3);
    assert_eq!(x.other_support.len(), 1);
    let s = &x.other_support[0];
    assert_eq!(s.project_name, "山城政务大模型训练平台");
    assert_eq!(s.value("支持金额"), Some(&Value::Money(dec("500000"))));
    assert_eq!(s.value("年度"), Some(&Value::Year(2025)));
    assert_eq!(
        x.value("联系电话"),
        Some(&Value::Text("023-63768001".into()))
    );
}

#[test]
fn sample_03_merged_header_and_08_ods() {
    for file in [
        "03-consume-merged-header.xlsx",
        "08-consume-libreoffice.ods",
    ] {
        let x = sample(file);
        assert!(x.issues.is_empty(), "{file}: {:#?}", x.issues);
        // the second project uses a platform not on the list: the demo's
        // refusal beside a supported project
        assert_eq!(x.projects.len(), 2, "{file}");
        assert_eq!(x.projects[1].name, "渝中政务大模型推理服务", "{file}");
        let p = &x.projects[0];
        assert_eq!(p.clause, Clause::C3);
        assert_eq!(p.name, "渝中政务大模型研发");
        assert_eq!(
            p.value("算力费用"),
            Some(&Value::Money(dec("4200000"))),
            "{file}"
        );
        assert_eq!(
            p.value("使用量"),
            Some(&Value::Number(dec("180000"))),
            "{file}"
        );
        assert_eq!(x.value("单位类型"), Some(&Value::Text("科研机构".into())));
    }
    let a = sample("03-consume-merged-header.xlsx");
    let b = sample("08-consume-libreoffice.ods");
    assert_eq!(values(&a), values(&b));
}

#[test]
fn sample_04_reordered() {
    let x = sample("04-aiplus-reordered.xlsx");
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(
        (p.clause, p.name.as_str(), p.sheet.as_str()),
        (Clause::C4, "AI+智慧物流调度", "5.C4-AI+应用")
    );
    assert_eq!(p.value("所属领域"), Some(&Value::Text("现代物流".into())));
    assert_eq!(p.value("场景投资"), Some(&Value::Money(dec("9000000"))));
    assert_eq!(x.field("上年度营业收入").unwrap().cell, "1.申报单位!B13");
}

#[test]
fn sample_05_imports_cleanly_outside_yuzhong() {
    let x = sample("05-not-yuzhong.xlsx");
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    assert_eq!(x.credit_code.as_deref(), Some("91500105MA5XR8N1XJ"));
    assert_eq!(x.value("注册区县"), Some(&Value::Text("江北区".into())));
}

#[test]
fn sample_06_errors_exactly_where_expected() {
    let x = sample("06-errors.xlsx");
    assert_eq!(errors_at(&x), ["申报单位!B3", "申报单位!B13"]);
    assert_eq!(x.warnings().count(), 0);
    let code = issue_for(&x, "统一社会信用代码");
    assert_eq!(code.found.as_deref(), Some("9.15001E+17"));
    assert_eq!(
        code.expected.as_deref(),
        Some("18 位统一社会信用代码（文本）")
    );
    assert_eq!(
        issue_for(&x, "上年度营业收入").found.as_deref(),
        Some("约三千万")
    );
    assert_eq!(x.credit_code, None);
    assert_eq!(
        x.applicant_name.as_deref(),
        Some("重庆渝算智能科技有限公司")
    );
}

/// Values by place, without raw text (which differs between formats).
fn values(x: &Extraction) -> Vec<(String, String, Value)> {
    let mut v: Vec<(String, String, Value)> = x
        .fields
        .iter()
        .map(|f| ("form".to_string(), f.key.clone(), f.value.clone()))
        .collect();
    for (i, p) in x.projects.iter().enumerate() {
        for f in &p.fields {
            v.push((format!("{}#{i}", p.clause), f.key.clone(), f.value.clone()));
        }
    }
    v
}

#[test]
fn sample_07_xls_reads_like_01() {
    let a = sample("01-supply-clean.xlsx");
    let b = sample("07-supply-legacy.xls");
    assert!(b.issues.is_empty(), "{:#?}", b.issues);
    assert_eq!(values(&a), values(&b));
    assert_eq!(b.credit_code, a.credit_code);
    assert_eq!(b.projects.len(), 1);
}
