//! The applicant form, sheet names, labels and value kinds.

use super::*;

#[test]
fn clean_workbook_extracts_everything() {
    let x = extract(&clean(), &[2026]);
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    assert!(!x.has_errors());
    assert_eq!(x.year, Some(2026));
    assert_eq!(x.credit_code.as_deref(), Some("91500103MA5U7K2P39"));
    assert_eq!(
        x.applicant_name.as_deref(),
        Some("重庆渝算智能科技有限公司")
    );
    assert_eq!(x.fields.len(), 19);
    let revenue = x.field("上年度营业收入").unwrap();
    assert_eq!(revenue.value, Value::Money(dec("32005000")));
    assert_eq!(revenue.raw, "3200.5");
    assert_eq!(revenue.cell, "申报单位!B13");
    assert_eq!(x.value("上年末从业人员"), Some(&Value::Integer(85)));
    assert_eq!(
        x.value("成立日期").and_then(Value::as_date),
        NaiveDate::from_ymd_opt(2018, 5, 20)
    );
    assert_eq!(x.value("是否总部企业"), Some(&Value::Bool(false)));
    assert_eq!(x.value("信用承诺"), Some(&Value::Bool(true)));
    assert_eq!(x.value("申报年度"), Some(&Value::Year(2026)));
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(
        (p.clause, p.name.as_str(), p.sheet.as_str(), p.row),
        (Clause::C1, "渝中智算中心一期", "C1-算力供给", 2)
    );
    assert_eq!(p.fields.len(), 11);
    assert_eq!(p.value("是否自主投资"), Some(&Value::Bool(true)));
    assert_eq!(p.value("项目总投资"), Some(&Value::Money(dec("86000000"))));
    assert_eq!(p.value("算力规模"), Some(&Value::Number(dec("120"))));
    assert_eq!(p.value("服务企业数"), Some(&Value::Integer(36)));
    assert_eq!(
        p.value("项目类型"),
        Some(&Value::Text("先进算力基础设施".into()))
    );
    assert_eq!(p.field("投运日期").unwrap().cell, "C1-算力供给!I2");
    assert!(x.other_support.is_empty());
}

#[test]
fn json_shapes_follow_the_cli_contract() {
    let x = extract(&clean(), &[2026]);
    let f = x.field("上年度营业收入").unwrap();
    assert_eq!(f.value.display_json(), serde_json::json!("32005000.00"));
    assert_eq!(
        (f.raw.as_str(), f.cell.as_str()),
        ("3200.5", "申报单位!B13")
    );
    assert_eq!(
        x.value("上年末从业人员").unwrap().display_json(),
        serde_json::json!(85)
    );
    assert_eq!(
        x.value("成立日期").unwrap().display_json(),
        serde_json::json!("2018-05-20")
    );
    assert_eq!(
        x.value("信用承诺").unwrap().display_json(),
        serde_json::json!(true)
    );
    assert_eq!(
        x.value("申报年度").unwrap().display_json(),
        serde_json::json!(2026)
    );
    assert_eq!(
        x.projects[0].value("算力规模").unwrap().display_json(),
        serde_json::json!("120")
    );
    assert_eq!(
        Value::Money(dec("650000")).display_json(),
        serde_json::json!("650000.00")
    );
    assert_eq!(
        Value::Money(dec("0.5")).display_json(),
        serde_json::json!("0.50")
    );
    assert_eq!(
        serde_json::to_value(x.projects[0].clause).unwrap(),
        serde_json::json!("C1")
    );
    // Issues: severity in lower case, nulls for workbook-level fields.
    let mut rows = applicant_rows();
    rows.retain(|(l, _)| !l.starts_with("申报单位"));
    let g = Grid {
        format: "xlsx".into(),
        sheets: vec![],
    };
    let e = extract(&g, &[2026]);
    let j = serde_json::to_value(&e.issues[0]).unwrap();
    assert_eq!(j["severity"], "error");
    assert_eq!(j["sheet"], serde_json::Value::Null);
    assert_eq!(j["cell"], serde_json::Value::Null);
    // The whole extraction round-trips through JSON exactly (the store
    // keeps it as JSON).
    let s = serde_json::to_string(&x).unwrap();
    let back: Extraction = serde_json::from_str(&s).unwrap();
    assert_eq!(back.fields, x.fields);
    assert_eq!(back.projects, x.projects);
    assert_eq!(back.credit_code, x.credit_code);
    assert_eq!(
        back.value("上年度营业收入").and_then(Value::as_money),
        Some(dec("32005000"))
    );
    assert_eq!(
        back.value("成立日期").and_then(Value::as_date),
        NaiveDate::from_ymd_opt(2018, 5, 20)
    );
    assert_eq!(
        back.value("上年末从业人员").and_then(Value::as_integer),
        Some(85)
    );
    assert_eq!(back.value("申报年度").and_then(Value::as_year), Some(2026));
}

#[test]
fn credit_code_as_number_and_words_for_money_like_sample_06() {
    let mut rows = applicant_rows();
    set(&mut rows, "统一社会信用代码", n("915001000000000000"));
    set(&mut rows, "上年度营业收入", t("约三千万"));
    let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
    assert_eq!(errors_at(&x), ["申报单位!B3", "申报单位!B13"]);
    assert_eq!(x.warnings().count(), 0, "{:#?}", x.issues);
    let code = issue_for(&x, "统一社会信用代码");
    assert_eq!(code.found.as_deref(), Some("9.15001E+17"));
    assert_eq!(
        code.expected.as_deref(),
        Some("18 位统一社会信用代码（文本）")
    );
    assert!(code.message.contains("申报单位!B3"), "{}", code.message);
    assert!(code.message.contains("9.15001E+17"));
    assert!(code.message_en.contains("as a number"));
    let money = issue_for(&x, "上年度营业收入");
    assert_eq!(money.found.as_deref(), Some("约三千万"));
    assert!(money.expected.as_deref().unwrap().contains("万元"));
    assert!(money.message.contains("约三千万"));
    assert!(money.message_en.contains("expected"));
    assert_eq!(x.credit_code, None);
    assert_eq!(
        x.applicant_name.as_deref(),
        Some("重庆渝算智能科技有限公司")
    );
    assert!(x.field("统一社会信用代码").is_none());
    assert!(x.field("上年度营业收入").is_none());
    assert_eq!(x.fields.len(), 17);
    assert_eq!(x.projects.len(), 1, "the rest is kept");
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let mut rows = applicant_rows();
    set(&mut rows, "申报年度", n("2025"));
    set(&mut rows, "统一社会信用代码", t("91500103MA5U7K2P38"));
    set(&mut rows, "单位类型", t("民营企业"));
    set(&mut rows, "联系人", t("  "));
    set(&mut rows, "上年度纳税总额", t("-12"));
    rows.retain(|(l, _)| !l.starts_with("信用承诺"));
    let mut bad = c1_row();
    bad[1] = t("数据中心");
    bad[3] = t("约八千万");
    bad[4] = n("-3");
    bad[2] = t("");
    let x = extract(&workbook(&rows, &[c1_row(), bad]), &[2026]);
    let errs = errors_at(&x);
    for cell in [
        "申报单位!B1",
        "申报单位!B3",
        "申报单位!B4",
        "申报单位!B9",
        "申报单位!B14",
        "申报单位!",
        "C1-算力供给!B3",
        "C1-算力供给!C3",
        "C1-算力供给!D3",
        "C1-算力供给!E3",
    ] {
        assert!(
            errs.contains(&cell.to_string()),
            "{cell} missing from {errs:?}"
        );
    }
    assert_eq!(errs.len(), 10, "{:#?}", x.issues);
    let year = issue_for(&x, "申报年度");
    assert_eq!(
        (year.found.as_deref(), year.expected.as_deref()),
        (Some("2025"), Some("2026"))
    );
    assert_eq!(x.year, None);
    assert!(issue_for(&x, "统一社会信用代码")
        .expected
        .as_deref()
        .unwrap()
        .contains("校验位"));
    assert_eq!(x.credit_code, None);
    let choice = issue_for(&x, "单位类型");
    assert_eq!(choice.found.as_deref(), Some("民营企业"));
    assert!(choice.expected.as_deref().unwrap().contains("其他市场主体"));
    let missing_label = issue_for(&x, "信用承诺");
    assert_eq!(missing_label.cell, None);
    assert!(missing_label.message.contains("信用承诺"));
    let missing = issue_for(&x, "联系人");
    assert_eq!(missing.cell.as_deref(), Some("B9"));
    assert!(missing.message.contains("必填"));
    // The bad project is kept with its valid values only.
    assert_eq!(x.projects.len(), 2);
    let p = &x.projects[1];
    assert_eq!(p.row, 3);
    assert!(p.field("项目类型").is_none());
    assert!(p.field("建设地址").is_none());
    assert!(p.field("项目总投资").is_none());
    assert!(p.field("新增就业").is_none());
    assert_eq!(
        p.value("项目营业收入"),
        Some(&Value::Money(dec("32005000")))
    );
    assert_eq!(p.fields.len(), 7);
    assert!(x.has_errors());
}

#[test]
fn missing_sheets_name_the_sheets_found() {
    let g = Grid {
        format: "xlsx".into(),
        sheets: vec![
            sheet("Sheet1", vec![at("A1", t("x"))]),
            sheet("申报表", vec![]),
        ],
    };
    let x = extract(&g, &[2026]);
    let msgs: Vec<&str> = x.errors().map(|i| i.message.as_str()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].contains("缺少工作表「申报单位」"));
    assert!(msgs[0].contains("「Sheet1」、「申报表」"), "{}", msgs[0]);
    assert!(msgs[1].contains("条款工作表"));
    assert!(x
        .issues
        .iter()
        .all(|i| i.sheet.is_none() && i.cell.is_none()));
    // No other-support sheet: a warning only.
    let mut g = clean();
    g.sheets.retain(|s| s.name != "其他政策支持");
    let x = extract(&g, &[2026]);
    assert!(!x.has_errors());
    assert_eq!(x.warnings().count(), 1);
}

#[test]
fn area_code_outside_yuzhong_is_a_warning_beside_yuzhong_only() {
    let code = |area: &str| {
        let body = format!("91{area}MA5U7K2P3");
        format!(
            "{body}{}",
            reviewdesk_domain::uscc::check_char(&body).unwrap()
        )
    };
    let mut rows = applicant_rows();
    set(&mut rows, "统一社会信用代码", t(&code("500105")));
    let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
    assert!(!x.has_errors());
    let w: Vec<&Issue> = x.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].cell.as_deref(), Some("B3"));
    assert!(w[0].message.contains("500105"));
    assert_eq!(x.credit_code, Some(code("500105")));

    set(&mut rows, "统一社会信用代码", t(&code("500000")));
    assert!(extract(&workbook(&rows, &[c1_row()]), &[2026])
        .issues
        .is_empty());

    set(&mut rows, "统一社会信用代码", t(&code("500105")));
    set(&mut rows, "注册区县", t("江北区"));
    assert!(extract(&workbook(&rows, &[c1_row()]), &[2026])
        .issues
        .is_empty());
}

#[test]
fn sheet_names_with_prefixes_spaces_and_hidden_sheets() {
    let mut g = clean();
    for s in &mut g.sheets {
        match s.name.as_str() {
            "申报单位" => s.name = " 1.申报单位 ".into(),
            "C1-算力供给" => {
                s.name = "2、C1-算力供给".into();
                s.visible = false;
            }
            "C4-AI+应用" => s.name = "5.C4－AI＋应用".into(),
            "其他政策支持" => s.name = "07 其他政策支持".into(),
            _ => {}
        }
    }
    g.sheets
        .push(sheet("辅助数据", vec![at("A1", t("国家级"))]));
    let x = extract(&g, &[2026]);
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    assert_eq!(x.field("上年度营业收入").unwrap().cell, " 1.申报单位 !B13");
    assert_eq!(x.projects[0].sheet, "2、C1-算力供给");

    // Two sheets for the same table: an error, the first is read.
    let mut g = clean();
    let mut copy = g.sheets[1].clone();
    copy.name = "1.申报单位".into();
    g.sheets.push(copy);
    let x = extract(&g, &[2026]);
    assert_eq!(x.errors().count(), 1);
    assert!(x.issues[0].message.contains("「申报单位」、「1.申报单位」"));
    assert_eq!(x.credit_code.as_deref(), Some("91500103MA5U7K2P39"));
}

#[test]
fn labels_are_matched_loosely_and_rows_may_move() {
    let mut rows: Vec<(String, CellValue)> = applicant_rows()
        .into_iter()
        .map(|(l, v)| {
            let l = match l.as_str() {
                "单位名称*" => "＊单 位 名 称：".to_string(),
                "上年度营业收入（万元）*" => " 上年度营业收入(万元)* : ".to_string(),
                "上年末从业人员（人）*" => "上年末从业人员\n（人）＊".to_string(),
                "联系电话*" => "联系电话：".to_string(),
                _ => l,
            };
            (l, v)
        })
        .collect();
    rows.reverse();
    rows.insert(0, ("申报单位基本信息".into(), t("")));
    rows.insert(5, ("".into(), t("")));
    rows.insert(7, ("备注".into(), t("无")));
    let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    assert_eq!(x.fields.len(), 19);
    assert_eq!(
        x.applicant_name.as_deref(),
        Some("重庆渝算智能科技有限公司")
    );
    assert_eq!(
        x.value("上年度营业收入"),
        Some(&Value::Money(dec("32005000")))
    );
    assert_eq!(x.value("上年末从业人员"), Some(&Value::Integer(85)));
}

#[test]
fn typed_values_are_normalised() {
    let mut rows = applicant_rows();
    set(&mut rows, "上年度营业收入", t("１，２３４．５６万元"));
    set(&mut rows, "上年末从业人员", t(" 88 "));
    set(&mut rows, "成立日期", t("2019年3月8日"));
    set(&mut rows, "是否总部企业", CellValue::Bool(true));
    set(&mut rows, "联系电话", t("（023）6376 8001"));
    set(
        &mut rows,
        "统一社会信用代码",
        t(" ９１５００１０３ＭＡ５Ｕ７Ｋ２Ｐ３９\n"),
    );
    let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    let r = x.field("上年度营业收入").unwrap();
    assert_eq!(r.value.display_json(), "12345600.00");
    assert_eq!(r.raw, "１，２３４．５６万元");
    assert_eq!(x.value("上年末从业人员"), Some(&Value::Integer(88)));
    assert_eq!(x.field("上年末从业人员").unwrap().raw, " 88 ");
    assert_eq!(x.value("成立日期").unwrap().display_json(), "2019-03-08");
    assert_eq!(x.value("是否总部企业"), Some(&Value::Bool(true)));
    assert_eq!(
        x.value("联系电话"),
        Some(&Value::Text("023-63768001".into()))
    );
    assert_eq!(x.credit_code.as_deref(), Some("91500103MA5U7K2P39"));
}

#[test]
fn yuan_in_a_wan_column_is_converted_with_a_warning() {
    let mut rows = applicant_rows();
    set(&mut rows, "上年度纳税总额", t("1,200,000元"));
    let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
    assert!(!x.has_errors());
    let w: Vec<&Issue> = x.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(
        (w[0].cell.as_deref(), w[0].field.as_deref()),
        (Some("B14"), Some("上年度纳税总额"))
    );
    assert!(w[0].message.contains("120 万元"));
    assert_eq!(
        x.value("上年度纳税总额"),
        Some(&Value::Money(dec("1200000")))
    );
}
