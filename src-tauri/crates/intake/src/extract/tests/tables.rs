//! Tables: units, headers, rows, totals, other support, caps.

use super::*;

#[test]
fn a_unit_changed_in_a_label_or_header_is_an_error() {
    let mut rows = applicant_rows();
    rows.iter_mut()
        .find(|(l, _)| l.starts_with("上年度营业收入"))
        .unwrap()
        .0 = "上年度营业收入（元）*".into();
    let x = extract(&workbook(&rows, &[c1_row()]), &[2026]);
    assert_eq!(errors_at(&x), ["申报单位!A13"]);
    assert!(x.field("上年度营业收入").is_none());

    let mut g = clean();
    set_cell(&mut g, "C1-算力供给", 0, 3, t("项目总投资（元）*"));
    let x = extract(&g, &[2026]);
    assert_eq!(errors_at(&x), ["C1-算力供给!D1"]);
    assert!(x.projects[0].field("项目总投资").is_none());
    assert_eq!(x.projects[0].fields.len(), 10);
}

#[test]
fn merged_two_row_headers_below_a_title_like_sample_03() {
    let c3 = schema::clause_sheet(Clause::C3);
    let mut cells = vec![
        at("A1", t("C3-算力消纳 项目明细表")),
        at("A2", t("项目名称 *")),
        at("B2", t("项目信息")),
    ];
    let h = headers(c3);
    for (i, h) in h.iter().enumerate().skip(1) {
        cells.push((2, i as u32, t(h)));
    }
    let row = [
        t("渝中政务大模型研发"),
        t("渝中区公共算力服务平台"),
        t("智算"),
        t("大模型开发"),
        n("420"),
        n("180000"),
        n("1500"),
        n("20"),
        t("使用公共智算平台训练行业大模型。"),
    ];
    for (i, v) in row.iter().enumerate() {
        cells.push((3, i as u32, v.clone()));
    }
    let mut s = sheet(c3.name, cells);
    s.merged = vec![merge("A1:I1"), merge("B2:I2"), merge("A2:A3")];
    let mut g = workbook(&applicant_rows(), &[]);
    *g.sheets.iter_mut().find(|s| s.name == c3.name).unwrap() = s;
    let x = extract(&g, &[2026]);
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    assert_eq!(x.projects.len(), 1);
    let p = &x.projects[0];
    assert_eq!(
        (p.clause, p.name.as_str(), p.row),
        (Clause::C3, "渝中政务大模型研发", 4)
    );
    assert_eq!(p.fields.len(), 9);
    assert_eq!(p.value("算力费用"), Some(&Value::Money(dec("4200000"))));
    assert_eq!(p.value("使用量"), Some(&Value::Number(dec("180000"))));
    assert_eq!(p.field("算力费用").unwrap().cell, "C3-算力消纳!E4");
}

#[test]
fn reordered_columns_like_sample_04() {
    let c4 = schema::clause_sheet(Clause::C4);
    let s = table(
        "5.C4-AI+应用",
        0,
        &[
            "引领作用说明 *",
            "应用场景名称 *",
            "项目名称 *",
            "所属领域 *",
            "项目简介",
            "场景投资（万元）",
        ],
        &[vec![
            t("覆盖区内三百家商户，可复制推广。"),
            t("朝天门商贸物流智能调度"),
            t("AI+智慧物流调度"),
            t("现代物流"),
            t("AI+物流标杆场景。"),
            n("900"),
        ]],
    );
    let mut g = workbook(&applicant_rows(), &[]);
    *g.sheets.iter_mut().find(|s| s.name == c4.name).unwrap() = s;
    let x = extract(&g, &[2026]);
    assert!(x.issues.is_empty(), "{:#?}", x.issues);
    let p = x.projects_of(Clause::C4).next().unwrap();
    assert_eq!(p.name, "AI+智慧物流调度");
    assert_eq!(p.value("所属领域"), Some(&Value::Text("现代物流".into())));
    assert_eq!(p.value("场景投资"), Some(&Value::Money(dec("9000000"))));
    assert_eq!(p.field("所属领域").unwrap().cell, "5.C4-AI+应用!D2");
    // A domain outside the list is an error.
    let mut g2 = g.clone();
    set_cell(&mut g2, "5.C4-AI+应用", 1, 3, t("智慧物流"));
    let x = extract(&g2, &[2026]);
    assert_eq!(errors_at(&x), ["5.C4-AI+应用!D2"]);
}

#[test]
fn empty_rows_totals_and_notes_are_skipped() {
    let mut second = c1_row();
    second[0] = t("渝中智算中心二期");
    let blank: Vec<CellValue> = vec![t(" "), t(""), t("\n")];
    let mut total = vec![t("合计"), t(""), t(""), n("17200")];
    total.resize(4, t(""));
    let note = vec![t("注：金额单位为万元。")];
    let x = extract(
        &workbook(&applicant_rows(), &[c1_row(), blank, second, total, note]),
        &[2026],
    );
    assert!(!x.has_errors(), "{:#?}", x.issues);
    assert_eq!(x.projects.len(), 2);
    assert_eq!(x.projects[1].row, 4);
    let w: Vec<&str> = x.warnings().map(|i| i.cell.as_deref().unwrap()).collect();
    assert_eq!(w, ["A5", "A6"]);
}

#[test]
fn empty_tables_are_fine_but_a_missing_column_is_not() {
    // Header only, or an emptied sheet: no projects, no issue.
    let mut g = clean();
    let c2 = g
        .sheets
        .iter_mut()
        .find(|s| s.name == "C2-技术攻关")
        .unwrap();
    c2.cells.clear();
    let x = extract(&g, &[2026]);
    assert!(x.issues.is_empty(), "{:#?}", x.issues);

    // A required column removed: an error once there are rows.
    let mut g = clean();
    let c1 = g
        .sheets
        .iter_mut()
        .find(|s| s.name == "C1-算力供给")
        .unwrap();
    c1.cells.retain(|c| c.col != 6);
    let x = extract(&g, &[2026]);
    let e: Vec<&Issue> = x.errors().collect();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        (e[0].field.as_deref(), e[0].cell.as_deref()),
        (Some("服务企业数"), None)
    );
    // …but not when the table has no rows.
    let mut g = workbook(&applicant_rows(), &[]);
    let c1 = g
        .sheets
        .iter_mut()
        .find(|s| s.name == "C1-算力供给")
        .unwrap();
    c1.cells.retain(|c| c.col != 6);
    let x = extract(&g, &[2026]);
    assert!(!x.has_errors());
    assert_eq!(x.warnings().count(), 1, "no project anywhere");

    // Content without any header: an error.
    let mut g = clean();
    let c2 = g
        .sheets
        .iter_mut()
        .find(|s| s.name == "C2-技术攻关")
        .unwrap();
    *c2 = sheet(
        "C2-技术攻关",
        vec![at("A1", t("随便写的")), at("B2", n("5"))],
    );
    let x = extract(&g, &[2026]);
    assert_eq!(errors_at(&x), ["C2-技术攻关!"]);
}

/// The 其他政策支持 sheet of `g` replaced by a table of `rows`.
fn with_support<'a>(g: &'a mut Grid, rows: &[Vec<CellValue>]) -> &'a mut Sheet {
    let s = g
        .sheets
        .iter_mut()
        .find(|s| s.name == "其他政策支持")
        .unwrap();
    *s = table(
        "其他政策支持",
        0,
        &["项目名称 *", "政策名称 *", "支持金额（万元） *", "年度 *"],
        rows,
    );
    s
}

#[test]
fn other_support_rows_and_merged_project_names() {
    let mut g = clean();
    let s = with_support(
        &mut g,
        &[
            vec![t("渝中智算中心一期"), t("软信十条"), n("50"), n("2025")],
            vec![t(""), t("楼宇经济政策"), t("12.5万元"), t("2024年")],
            vec![t("别的项目"), t("软信十条"), n("1"), n("2025")],
        ],
    );
    s.merged = vec![merge("A2:A3")];
    let x = extract(&g, &[2026]);
    assert!(!x.has_errors(), "{:#?}", x.issues);
    assert_eq!(x.other_support.len(), 3);
    let r = &x.other_support[1];
    assert_eq!((r.project_name.as_str(), r.row), ("渝中智算中心一期", 3));
    assert_eq!(r.value("支持金额"), Some(&Value::Money(dec("125000"))));
    assert_eq!(r.value("年度"), Some(&Value::Year(2024)));
    assert_eq!(r.field("项目名称").unwrap().cell, "其他政策支持!A2");
    // Support for a project that is declared nowhere: a warning.
    let w: Vec<&Issue> = x.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].cell.as_deref(), Some("A4"));
}

#[test]
fn duplicate_project_names_are_flagged() {
    let x = extract(&workbook(&applicant_rows(), &[c1_row(), c1_row()]), &[2026]);
    assert!(!x.has_errors());
    let w: Vec<&Issue> = x.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].cell.as_deref(), Some("A3"));
    assert_eq!(x.projects.len(), 2);
}

#[test]
fn accepted_years() {
    let x = extract(&clean(), &[]);
    assert_eq!(x.year, Some(2026));
    assert!(x.issues.is_empty());
    let x = extract(&clean(), &[2025, 2027]);
    assert_eq!(x.year, None);
    assert_eq!(
        issue_for(&x, "申报年度").expected.as_deref(),
        Some("2025 / 2027")
    );
}

#[test]
fn issues_are_capped() {
    let rows: Vec<Vec<CellValue>> = (0..600)
        .map(|_| vec![t("x"), t("坏"), t(""), t("坏")])
        .collect();
    let x = extract(&workbook(&applicant_rows(), &rows), &[2026]);
    assert_eq!(x.issues.len(), MAX_ISSUES + 1);
    assert!(x.issues.last().unwrap().message.contains("未列出"));
}

#[test]
fn too_many_merged_regions_is_an_error_not_a_hang() {
    let mut g = clean();
    let c1 = g
        .sheets
        .iter_mut()
        .find(|s| s.name == "C1-算力供给")
        .unwrap();
    c1.merged = (0..100_000u32)
        .map(|i| Merge {
            first_row: 10 + i,
            first_col: 0,
            last_row: 10 + i,
            last_col: 1,
        })
        .collect();
    let x = extract(&g, &[2026]);
    assert_eq!(errors_at(&x), ["C1-算力供给!"]);
    assert_eq!(x.projects.len(), 1);
}

#[test]
fn sheet_keys_and_labels() {
    assert_eq!(sheet_key(" 1.申报单位 "), "申报单位");
    assert_eq!(sheet_key("1、申报单位"), "申报单位");
    assert_eq!(sheet_key("01 申报单位"), "申报单位");
    assert_eq!(sheet_key("5.C4-AI+应用"), sheet_key("C4-AI+应用"));
    assert_eq!(sheet_key("c4－ai＋应用"), sheet_key("C4-AI+应用"));
    assert_ne!(sheet_key("C2-技术攻关"), sheet_key("C2-国产化算力"));
    assert_eq!(sheet_key("2026"), "2026");
    assert_eq!(
        split_label("上年度营业收入（万元）*"),
        ("上年度营业收入".into(), Some("万元".into()))
    );
    assert_eq!(
        split_label("*上年度营业收入 (单位：万元)："),
        ("上年度营业收入".into(), Some("万元".into()))
    );
    assert_eq!(split_label("项目名称 *"), ("项目名称".into(), None));
    assert_eq!(
        split_label("算力规模\n（PFLOPS） *"),
        ("算力规模".into(), Some("PFLOPS".into()))
    );
    assert_eq!(split_label("*"), ("".into(), None));
}

#[test]
fn a_workbook_from_an_older_template_without_self_investment_is_warned() {
    // The template before 2026's second round had no 是否自主投资 column:
    // the workbook is read (no error), with a warning naming the column and
    // saying a reviewer must confirm it; the project has no value for it.
    let col = schema::clause_sheet(Clause::C1)
        .fields
        .iter()
        .position(|f| f.key == "是否自主投资")
        .unwrap() as u32;
    // sample 01's workbook with some of its C1 cells dropped
    let without = |drop: &dyn Fn(u32, u32) -> bool| {
        let mut g = clean();
        for s in g.sheets.iter_mut().filter(|s| s.name == "C1-算力供给") {
            s.cells.retain(|c| !drop(c.row, c.col));
        }
        extract(&g, &[2026])
    };
    let x = without(&|_, c| c == col);
    assert!(!x.has_errors(), "{:#?}", x.issues);
    let w: Vec<&Issue> = x.warnings().collect();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(
        (
            w[0].sheet.as_deref(),
            w[0].field.as_deref(),
            w[0].cell.as_deref()
        ),
        (Some("C1-算力供给"), Some("是否自主投资"), None)
    );
    assert!(w[0].message.contains("旧版模板") && w[0].message.contains("评审人核实"));
    assert!(w[0].message_en.contains("older template"));
    assert_eq!(x.projects[0].field("是否自主投资"), None);
    // An empty cell in the column is still a missing required value.
    let x = without(&|r, c| c == col && r == 1);
    assert_eq!(errors_at(&x).len(), 1, "{:#?}", x.issues);
}

#[test]
fn other_support_names_a_declared_project_after_folding() {
    // The project is "AI算力中心一期"; the support row types it with
    // full-width letters: the same project (as the evaluation deducts it),
    // so no "not declared" warning. Another name still gets one.
    let mut project = c1_row();
    project[0] = t("AI算力中心一期");
    let mut g = workbook(&applicant_rows(), &[project]);
    with_support(
        &mut g,
        &[
            vec![t("ＡＩ算力中心一期"), t("软信十条"), n("50"), n("2025")],
            vec![t("别的项目"), t("软信十条"), n("1"), n("2025")],
        ],
    );
    let x = extract(&g, &[2026]);
    assert!(!x.has_errors(), "{:#?}", x.issues);
    let w: Vec<&Issue> = x.warnings().collect();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].cell.as_deref(), Some("A3"));
}
