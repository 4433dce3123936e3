//! Each check of the loader, one broken guide at a time.
//!
//! Long on purpose: one broken guide per check of the loader.

use super::*;

#[test]
fn weights_must_sum_to_100() {
    one_problem(
        &[(
            "weight = \"15\"\nsource = \"新增就业\"",
            "weight = \"10\"\nsource = \"新增就业\"",
        )],
        "clauses.C1.factors",
        "weights sum to 95, expected 100",
    );
}

#[test]
fn overlapping_bands() {
    one_problem(
        &[(
            "{ at_least = \"10000000\",  below = \"30000000\",  points = \"12\" }",
            "{ at_least = \"9000000\",  below = \"30000000\",  points = \"12\" }",
        )],
        "clauses.C1.factors[0].bands[1]",
        "overlaps",
    );
}

#[test]
fn gap_between_bands() {
    one_problem(
        &[(
            "{ at_least = \"10000000\",  below = \"30000000\",  points = \"12\" }",
            "{ at_least = \"11000000\",  below = \"30000000\",  points = \"12\" }",
        )],
        "clauses.C1.factors[0].bands[1]",
        "gap",
    );
}

#[test]
fn unsorted_bands() {
    one_problem(
        &[(
            "{ at_least = \"30\",  below = \"50\",  points = \"9\" }",
            "{ at_least = \"5\",  below = \"50\",  points = \"9\" }",
        )],
        "clauses.C1.factors[3].bands[2]",
        "low to high",
    );
}

#[test]
fn open_band_not_last() {
    let found = problems(&edited(&[(
        "{ at_least = \"0\",   below = \"50\",  points = \"4\" }",
        "{ at_least = \"0\",  points = \"4\" }",
    )]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "clauses.C1.factors[4].bands[0]");
    assert!(found[0].message.contains("only the last band"));
}

#[test]
fn band_points_above_weight() {
    one_problem(
        &[(
            "{ at_least = \"500\",                points = \"20\" }",
            "{ at_least = \"500\",                points = \"25\" }",
        )],
        "clauses.C1.factors[4].bands[4].points",
        "at most 20",
    );
}

#[test]
fn cap_not_a_number() {
    one_problem(
        &[("cap = \"2000000\"   #", "cap = \"两百万\"   #")],
        "clauses.C1.award.cap",
        "is not a number",
    );
    one_problem(
        &[("cap = \"2000000\"   #", "cap = \"2,000,000\"   #")],
        "clauses.C1.award.cap",
        "is not a number",
    );
    one_problem(
        &[("cap = \"2000000\"   #", "cap = true   #")],
        "clauses.C1.award.cap",
        "found 布尔值 boolean",
    );
    one_problem(
        &[("cap = \"2000000\"   #", "cap = \"0\"   #")],
        "clauses.C1.award.cap",
        "greater than 0",
    );
}

#[test]
fn floats_are_refused_integers_accepted() {
    one_problem(
        &[(
            "{ min_score = \"80\", share = \"0.8\" }",
            "{ min_score = \"80\", share = 0.8 }",
        )],
        "clauses.C1.award.tiers[1].share",
        "in quotes",
    );
    // A bare integer is exact, and accepted.
    let text = edited(&[("cap = \"2000000\"   #", "cap = 2000000   #")]);
    assert_eq!(load_guide(&text), Ok(shipped()));
}

#[test]
fn unknown_clause() {
    let text = format!("{BUILTIN_2026}\n[clauses.C5]\narticle = \"第五条\"\nname = \"其他\"\n");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "clauses.C5");
    assert!(found[0].message.contains("unknown clause"));
}

#[test]
fn tier_share_outside_0_1() {
    one_problem(
        &[(
            "{ min_score = \"90\", share = \"1\" }",
            "{ min_score = \"90\", share = \"1.2\" }",
        )],
        "clauses.C1.award.tiers[0].share",
        "at most 1",
    );
    one_problem(
        &[(
            "{ min_score = \"90\", share = \"1\" }",
            "{ min_score = \"90\", share = \"-0.1\" }",
        )],
        "clauses.C1.award.tiers[0].share",
        "at least 0",
    );
}

#[test]
fn tiers_out_of_order() {
    one_problem(
        &[(
            "{ min_score = \"70\", share = \"0.6\" }",
            "{ min_score = \"85\", share = \"0.6\" }",
        )],
        "clauses.C1.award.tiers[2]",
        "highest score down",
    );
    one_problem(
        &[(
            "{ min_score = \"70\", share = \"0.6\" }",
            "{ min_score = \"70\", share = \"0.9\" }",
        )],
        "clauses.C1.award.tiers[2].share",
        "lower tier",
    );
}

#[test]
fn unknown_field_names() {
    one_problem(
        &[("source = \"项目总投资\"", "source = \"项目总额\"")],
        "clauses.C1.factors[0].source",
        "unknown field \"项目总额\"",
    );
    // A field of another clause is unknown here.
    one_problem(
        &[("source = \"项目总投资\"", "source = \"算力费用\"")],
        "clauses.C1.factors[0].source",
        "unknown field",
    );
    // A text field cannot be scored.
    one_problem(
        &[("source = \"项目总投资\"", "source = \"建设地址\"")],
        "clauses.C1.factors[0].source",
        "not a numeric field",
    );
    one_problem(
        &[(
            "{ field = \"项目总投资\", share = \"0.1\" }",
            "{ field = \"总投资\", share = \"0.1\" }",
        )],
        "clauses.C1.award.limits[0].field",
        "unknown field",
    );
    one_problem(
        &[("base = \"资助到账金额\"", "base = \"到账日期\"")],
        "clauses.C2a.award.base",
        "not a money field",
    );
    one_problem(
        &[(
            "{ test = \"in_data_year\", field = \"到账日期\" }",
            "{ test = \"in_data_year\", field = \"立项文号\" }",
        )],
        "clauses.C2a.eligibility.conditions[1].field",
        "not a date field",
    );
    one_problem(
        &[(
            "{ test = \"equals\", field = \"信用承诺\", value = \"是\" }",
            "{ test = \"equals\", field = \"建设地址\", value = \"是\" }",
        )],
        "eligibility.conditions[0].field",
        "unknown field",
    );
}

#[test]
fn required_fields() {
    let text = edited(&[(
        "{ test = \"on_list\", field = \"算力服务平台\", list = \"certified_platforms\" },\n]",
        "{ test = \"on_list\", field = \"算力服务平台\", list = \"certified_platforms\" },\n]\nrequired_fields = [\"项目总投资\", \"新增就业\"]",
    )]);
    let g = load_guide(&text);
    assert_eq!(
        g.map(|g| g.clauses[&Clause::C3].eligibility.required_fields.clone()),
        Ok(vec!["项目总投资".to_string(), "新增就业".to_string()])
    );
    one_problem(
        &[(
            "{ test = \"on_list\", field = \"算力服务平台\", list = \"certified_platforms\" },\n]",
            "{ test = \"on_list\", field = \"算力服务平台\", list = \"certified_platforms\" },\n]\nrequired_fields = [\"项目营业收入\"]",
        )],
        "clauses.C3.eligibility.required_fields[0]",
        "unknown field",
    );
}

#[test]
fn condition_values_must_be_choices() {
    one_problem(
        &[(
            "values = [\"国家级\", \"市级\"]",
            "values = [\"国家级\", \"省级\"]",
        )],
        "clauses.C2a.eligibility.conditions[0].values[1]",
        "not a choice",
    );
    one_problem(
        &[(
            "{ test = \"equals\", field = \"信用承诺\", value = \"是\" }",
            "{ test = \"equals\", field = \"信用承诺\", value = \"yes\" }",
        )],
        "eligibility.conditions[0].value",
        "not a choice",
    );
    one_problem(
        &[("{ test = \"one_time\" },", "{ test = \"once\" },")],
        "clauses.C1.eligibility.conditions[1].test",
        "unknown test",
    );
    one_problem(
        &[(
            "{ test = \"one_time\" },",
            "{ test = \"one_time\", field = \"建设地址\" },",
        )],
        "clauses.C1.eligibility.conditions[1].field",
        "unknown key",
    );
    one_problem(
        &[(
            "list = \"certified_platforms\" },",
            "list = \"platforms\" },",
        )],
        "clauses.C3.eligibility.conditions[0].list",
        "unknown value",
    );
    one_problem(
        &[(
            "applicant_types = [\"企业\", \"国有企业\"]",
            "applicant_types = [\"企业\", \"公司\"]",
        )],
        "clauses.C1.eligibility.applicant_types[1]",
        "not an applicant type",
    );
}

#[test]
fn missing_wording_blocks() {
    let remedy_line = BUILTIN_2026
        .lines()
        .find(|l| l.starts_with("remedy = "))
        .unwrap_or("remedy = ");
    one_problem(
        &[(remedy_line, "")],
        "wording.remedy",
        "missing required key",
    );
    one_problem(
        &[("contact_phone = \"023-63768099\"", "")],
        "wording.contact_phone",
        "missing",
    );
    one_problem(
        &[(
            "policy_name = \"《渝中区促进算力经济高质量发展若干政策（试行）》\"",
            "policy_name = \"渝中区促进算力经济高质量发展若干政策（试行）\"",
        )],
        "wording.policy_name",
        "《》",
    );
    one_problem(
        &[(
            "向重庆市渝中区人民政府申请行政复议",
            "向上级机关申请行政复议",
        )],
        "wording.remedy",
        "重庆市渝中区人民政府",
    );
    one_problem(
        &[(
            "signatory = \"重庆市渝中区大数据应用发展管理局\"",
            "signatory = \"\"",
        )],
        "wording.signatory",
        "must not be empty",
    );
    one_problem(
        &[(
            "doc_number_prefix = \"渝中大数据发\"",
            "doc_number_prefix = \"渝中大数据发〔2026〕\"",
        )],
        "wording.doc_number_prefix",
        "prefix only",
    );
}

#[test]
fn unknown_keys_refused() {
    one_problem(
        &[("year = 2026 ", "year = 2026\ncolour = \"red\" ")],
        "round.colour",
        "unknown key",
    );
    one_problem(
        &[("format = 1\n", "format = 1\nedition = 2\n")],
        "edition",
        "unknown key",
    );
    // A misspelt key is unknown, and the key it should have been is missing.
    let found = problems(&edited(&[(
        "id = \"jobs\"\nname = \"就业贡献\"\nname_en = \"New jobs\"\nweight = \"15\"",
        "id = \"jobs\"\nname = \"就业贡献\"\nname_en = \"New jobs\"\nwieght = \"15\"",
    )]));
    let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "clauses.C1.factors[1].wieght",
            "clauses.C1.factors[1].weight"
        ],
        "{found:#?}"
    );
}

#[test]
fn round_checks() {
    one_problem(
        &[("data_year = 2025", "data_year = 2024")],
        "round.data_year",
        "year before the round",
    );
    one_problem(
        &[("window_close = 2026-04-30", "window_close = 2026-02-01")],
        "round.window_close",
        "closes",
    );
    one_problem(
        &[("window_open = 2026-03-01", "window_open = \"2026-02-30\"")],
        "round.window_open",
        "expected a date",
    );
    one_problem(
        &[("# budget = \"10000000\"", "budget = \"-5\"")],
        "round.budget",
        "greater than 0",
    );
    let with_budget = edited(&[("# budget = \"10000000\"", "budget = \"10000000\"")]);
    let g = load_guide(&with_budget);
    assert_eq!(g.map(|g| g.round.budget), Ok(Some(d("10000000"))));
}

#[test]
fn budget_and_pro_rata() {
    one_problem(
        &[("# budget = \"10000000\"", "budget = \"10000000.005\"")],
        "round.budget",
        "whole fen",
    );
    one_problem(
        &[("budget_overrun = \"flag\"", "budget_overrun = \"pro_rata\"")],
        "round.budget_overrun",
        "needs a budget",
    );
    one_problem(
        &[("budget_overrun = \"flag\"", "budget_overrun = \"prorata\"")],
        "round.budget_overrun",
        "pro_rata",
    );
    let g = load_guide(&edited(&[
        ("# budget = \"10000000\"", "budget = \"10000000.50\""),
        ("budget_overrun = \"flag\"", "budget_overrun = \"pro_rata\""),
    ]));
    assert_eq!(
        g.map(|g| (g.round.budget, g.round.budget_overrun)),
        Ok((Some(d("10000000.50")), BudgetOverrun::ProRata))
    );
}

#[test]
fn factor_english_names() {
    let g = load_guide(BUILTIN_2026);
    let names = g.map(|g| {
        g.clauses[&Clause::C1].factors[0]
            .name_en
            .clone()
            .unwrap_or_default()
    });
    assert_eq!(names.as_deref(), Ok("Investment scale"));
    one_problem(
        &[(
            "name_en = \"New jobs\"\nweight = \"15\"",
            "name_en = \"\"\nweight = \"15\"",
        )],
        "clauses.C1.factors[1].name_en",
        "must not be empty",
    );
}

#[test]
fn factor_rule_shape() {
    one_problem(
        &[(
            "weight = \"30\"\nsource = \"panel\"",
            "weight = \"30\"\nsource = \"panel\"\nlinear = { floor = \"0\", full = \"10\" }",
        )],
        "clauses.C2b.factors[1]",
        "panel factor",
    );
    one_problem(
        &[("linear = { floor = \"0\", full = \"50\" }\n", "")],
        "clauses.C1.factors[1]",
        "exactly one of linear or bands",
    );
    one_problem(
        &[(
            "linear = { floor = \"0\", full = \"50\" }",
            "linear = { floor = \"50\", full = \"50\" }",
        )],
        "clauses.C1.factors[1].linear.full",
        "greater than floor",
    );
}

#[test]
fn other_enums_and_settings() {
    one_problem(
        &[("other_support = \"top_up\"", "other_support = \"stack\"")],
        "highest_only.other_support",
        "zero_if_other_higher",
    );
    one_problem(
        &[("unit = \"0.01\"", "unit = \"0.05\"")],
        "rounding.unit",
        "0.01",
    );
    one_problem(
        &[("method = \"mean\"", "method = \"median\"")],
        "panel.drop_high_low_from",
        "mean",
    );
    one_problem(
        &[("dp = 2", "dp = 9")],
        "score_rounding.dp",
        "between 0 and 6",
    );
    let zero_if = edited(&[(
        "other_support = \"top_up\"",
        "other_support = \"zero_if_other_higher\"",
    )]);
    assert_eq!(
        load_guide(&zero_if).map(|g| g.highest_only.other_support),
        Ok(OtherSupport::ZeroIfOtherHigher)
    );
}

#[test]
fn lists() {
    one_problem(
        &[(
            "\"西部数据交易中心算力服务平台\",",
            "\"渝中区公共算力服务平台\",",
        )],
        "certified_platforms[2]",
        "duplicate",
    );
    one_problem(
        &[(
            "members = [\"数字经济\", \"人工智能\", \"算力\"]",
            "members = [\"数字经济\", \"金融服务\", \"算力\"]",
        )],
        "industry_groups[3].members[1]",
        "already in group",
    );
}

#[test]
fn rate_clause_has_no_factors_and_scored_clause_needs_them() {
    let text = format!(
        "{BUILTIN_2026}\n[[clauses.C2a.factors]]\nid = \"x\"\nname = \"x\"\nweight = \"100\"\nsource = \"panel\"\n"
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "clauses.C2a.factors");
}

#[test]
fn every_problem_in_one_pass() {
    // Three faults in different parts of the file: three problems.
    let found = problems(&edited(&[
        (
            "weight = \"15\"\nsource = \"新增就业\"",
            "weight = \"10\"\nsource = \"新增就业\"",
        ),
        ("cap = \"1000000\"   #", "cap = \"一百万\"   #"),
        ("contact_phone = \"023-63768099\"", ""),
    ]));
    let paths: BTreeSet<&str> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(
        paths,
        BTreeSet::from([
            "clauses.C1.factors",
            "clauses.C3.award.cap",
            "wording.contact_phone"
        ])
    );
    // Faults that hide nothing from each other: five more at once.
    let found = problems(&edited(&[
        ("year = 2026 ", "year = 2026\ncolour = \"red\" "),
        ("data_year = 2025", "data_year = 2020"),
        (
            "{ min_score = \"90\", share = \"1\" }",
            "{ min_score = \"90\", share = \"1.2\" }",
        ),
        ("source = \"项目总投资\"", "source = \"项目总额\""),
        ("mode = \"half_up\"", "mode = \"up\""),
    ]));
    assert_eq!(found.len(), 5, "{found:#?}");
}

#[test]
fn syntax_error_names_the_line() {
    let text = edited(&[("title = ", "title == ")]);
    let line = text
        .lines()
        .position(|l| l.starts_with("title == "))
        .map_or(0, |i| i + 1);
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "");
    assert!(
        found[0].message.contains(&format!("line {line},")),
        "{}",
        found[0].message
    );
    let found = problems("");
    assert!(found
        .iter()
        .any(|p| p.path == "round" && p.message.contains("missing")));
}

#[test]
fn windows_editors_files_load() {
    // Saved by Notepad: CRLF line ends and a byte-order mark.
    let crlf = BUILTIN_2026.replace('\n', "\r\n");
    assert_eq!(load_guide(&crlf), Ok(shipped()));
    let bom = format!("\u{feff}{BUILTIN_2026}");
    assert_eq!(load_guide(&bom), Ok(shipped()));
    // The version is still the hash of the exact bytes.
    assert_ne!(content_hash(&bom), content_hash(BUILTIN_2026));
}

#[test]
fn problems_become_an_engine_error() {
    let found = problems(&edited(&[("data_year = 2025", "data_year = 2020")]));
    let err = problems_error(&found);
    assert_eq!(err.code(), "guide_invalid");
    assert!(err.to_string().contains("round.data_year: "));
}

#[test]
fn field_catalogue() {
    assert_eq!(
        find_field(Some(Clause::C3), "上年度营业收入").map(|(s, d)| (s, d.kind)),
        Some((FieldScope::Applicant, Kind::MoneyWan))
    );
    assert_eq!(
        find_field(Some(Clause::C3), "算力费用").map(|(s, _)| s),
        Some(FieldScope::Project)
    );
    assert_eq!(find_field(Some(Clause::C1), "算力费用"), None);
    assert_eq!(find_field(None, "项目总投资"), None);
}

#[test]
fn panel_trim_and_min_scores() {
    // An unknown trim is a problem at its key, never a silent default.
    one_problem(
        &[("trim = \"per_total\"", "trim = \"median\"")],
        "panel.trim",
        "per_factor",
    );
    one_problem(
        &[("min_scores = 3", "min_scores = 0")],
        "panel.min_scores",
        "between 1 and 100",
    );
    let per_factor = edited(&[("trim = \"per_total\"", "trim = \"per_factor\"")]);
    assert_eq!(
        load_guide(&per_factor).map(|g| g.panel.trim),
        Ok(PanelTrim::PerFactor)
    );
    // Left out: trim by totals, no minimum.
    let older = edited(&[("trim = \"per_total\"\n", ""), ("min_scores = 3\n", "")]);
    assert_eq!(
        load_guide(&older).map(|g| (g.panel.trim, g.panel.min_scores)),
        Ok((PanelTrim::PerTotal, None))
    );
}

#[test]
fn panel_independent_scoring() {
    // The 2026 guide says false; left out it is false; anything but a boolean is a problem at its key.
    assert_eq!(
        load_guide(&edited(&[])).map(|g| g.panel.independent),
        Ok(false)
    );
    let older = edited(&[("independent = false\n", "")]);
    assert_eq!(load_guide(&older).map(|g| g.panel.independent), Ok(false));
    let on = edited(&[("independent = false", "independent = true")]);
    assert_eq!(load_guide(&on).map(|g| g.panel.independent), Ok(true));
    one_problem(
        &[("independent = false", "independent = \"yes\"")],
        "panel.independent",
        "true or false",
    );
}

#[test]
fn applicant_cap_is_whole_fen() {
    one_problem(
        &[(
            "# applicant_cap = \"3000000\"",
            "applicant_cap = \"3000000.001\"",
        )],
        "round.applicant_cap",
        "whole fen",
    );
    let capped = edited(&[(
        "# applicant_cap = \"3000000\"",
        "applicant_cap = \"3000000\"",
    )]);
    assert_eq!(
        load_guide(&capped).map(|g| g.round.applicant_cap),
        Ok(Some(Decimal::from(3_000_000)))
    );
}

// ---------------------------------------------------------------------------
// Settings of the second round: counted support years, the AI+ library, the
// "in or before the data year" condition (issue 15 items 11, 12)
// ---------------------------------------------------------------------------

#[test]
fn counted_support_years_default_to_the_data_year_and_the_round_year() {
    assert_eq!(shipped().round.counted_support_years, vec![2025, 2026]);
    let text = edited(&[("counted_support_years = [2025, 2026]\n", "")]);
    let g = load_guide(&text).map_err(|p| format!("{p:#?}"));
    assert_eq!(
        g.map(|g| g.round.counted_support_years),
        Ok(vec![2025, 2026])
    );
    let text = edited(&[(
        "counted_support_years = [2025, 2026]",
        "counted_support_years = [2024, 2025, 2026]",
    )]);
    let g = load_guide(&text).map_err(|p| format!("{p:#?}"));
    assert_eq!(
        g.map(|g| g.round.counted_support_years),
        Ok(vec![2024, 2025, 2026])
    );
}

#[test]
fn counted_support_years_bad_values_are_guide_problems() {
    one_problem(
        &[(
            "counted_support_years = [2025, 2026]",
            "counted_support_years = [2025, \"2026\"]",
        )],
        "round.counted_support_years[1]",
        "expected a whole number",
    );
    one_problem(
        &[(
            "counted_support_years = [2025, 2026]",
            "counted_support_years = [2025, 2025]",
        )],
        "round.counted_support_years[1]",
        "duplicate year 2025",
    );
    one_problem(
        &[(
            "counted_support_years = [2025, 2026]",
            "counted_support_years = []",
        )],
        "round.counted_support_years",
        "at least one year",
    );
    one_problem(
        &[(
            "counted_support_years = [2025, 2026]",
            "counted_support_years = \"2025\"",
        )],
        "round.counted_support_years",
        "an array of years",
    );
}

#[test]
fn library_required_is_a_c4_setting_false_in_2026() {
    let g = shipped();
    assert_eq!(
        g.clauses.get(&Clause::C4).map(|c| c.library_required),
        Some(false)
    );
    let text = edited(&[("library_required = false", "library_required = true")]);
    let g = load_guide(&text).map_err(|p| format!("{p:#?}"));
    assert_eq!(
        g.map(|g| g.clauses.get(&Clause::C4).map(|c| c.library_required)),
        Ok(Some(true))
    );
    one_problem(
        &[("library_required = false", "library_required = \"no\"")],
        "clauses.C4.library_required",
        "expected true or false",
    );
    one_problem(
        &[(
            "[clauses.C1]\narticle = \"第一条\"",
            "[clauses.C1]\nlibrary_required = false\narticle = \"第一条\"",
        )],
        "clauses.C1.library_required",
        "unknown key",
    );
}

#[test]
fn c1_checks_self_investment_and_operation_date_c2b_the_certification() {
    let g = shipped();
    let c1 = g
        .clauses
        .get(&Clause::C1)
        .map(|c| c.eligibility.conditions.clone());
    let c1 = c1.unwrap_or_default();
    assert!(c1.contains(&Condition::Equals {
        field: "是否自主投资".into(),
        value: "是".into()
    }));
    assert!(c1.contains(&Condition::ByDataYear {
        field: "投运日期".into()
    }));
    assert_eq!(
        g.clauses
            .get(&Clause::C2b)
            .map(|c| c.eligibility.required_fields.clone()),
        Some(vec!["国产化认证".to_string()])
    );
    // by_data_year reads a date field, like in_data_year
    one_problem(
        &[(
            "{ test = \"by_data_year\", field = \"投运日期\" }",
            "{ test = \"by_data_year\", field = \"建设地址\" }",
        )],
        "clauses.C1.eligibility.conditions[3].field",
        "not a date field",
    );
}
