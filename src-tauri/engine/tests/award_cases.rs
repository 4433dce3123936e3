//! Hand-calculated award cases against the shipped 2026 guide
//! (assets/guides/2026.toml).
//!
//! Long on purpose (about 1,500 lines): one hand-worked case per rule of
//! the guide, each with its arithmetic in a comment; a table of cases reads
//! best in one file.
//!
//! Every expectation below was computed by hand from the guide's numbers; the
//! arithmetic is written beside each case. The engine is only called to be
//! checked, never to produce an expectation.
//!
//! Guide numbers used throughout (2026):
//! - C1 tiers: ≥90 → 100%, ≥80 → 80%, ≥70 → 60%, ≥60 → 40% of 2,000,000;
//!   never above 10% of 项目总投资. Factors: 项目总投资 bands
//!   [0,1000万)6 [1000万,3000万)12 [3000万,5000万)18 [5000万,1亿)24 ≥1亿 30;
//!   新增就业 linear 0..50 → 0..15; 项目营业收入 linear 0..5000万 → 0..20;
//!   服务企业数 bands [0,10)3 [10,30)6 [30,50)9 [50,100)12 ≥100 15;
//!   算力规模 bands [0,50)4 [50,100)8 [100,300)12 [300,500)16 ≥500 20.
//! - C2a: 10% × 资助到账金额, cap 1,000,000; 任务级别 国家级/市级; 到账日期 in 2025.
//! - C2b: panel honour 40 + certification 30 + effect 30; ≥60 → 200,000 × score/100.
//! - C3: tiers as C1 of 1,000,000; never above 30% of 算力费用. Factors: 算力费用
//!   linear 0..500万 → 0..40; 上年度营业收入 bands [0,500万)4 [500万,2000万)8
//!   [2000万,5000万)12 [5000万,1亿)16 ≥1亿 20; 项目总投资 linear 0..2000万 →
//!   0..20; 新增就业 bands [0,5)4 [5,10)8 [10,20)12 [20,50)16 ≥50 20.
//! - C4: panel leading_role 40 + 场景投资 linear 0..1000万 → 0..30 + panel
//!   industry_fit 30; ≥80 → 500,000 × score/100.
//! - Scores rounded to 2 dp half-up; the final award rounded once to the fen,
//!   half-up; other support: top-up (award − other, never below 0).

use chrono::NaiveDate;
use reviewdesk_engine::guide::{builtin, content_hash, Guide, OtherSupport, PanelTrim};
use reviewdesk_engine::intake::extract::{
    Clause, Extraction, FieldValue, Issue, Project, Severity, SupportRow, Value,
};
use reviewdesk_engine::rules::evaluate::{
    evaluate, Certified, Evaluation, Inputs, LibraryEntry, ManagedList, OtherPolicyEntry, Overrule,
    PanelScore, PlatformEntry, ProjectResult, RoundLists, RuleCheck,
};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------
// Building inputs
// ---------------------------------------------------------------------------

fn d(s: &str) -> Decimal {
    match Decimal::from_str_exact(s) {
        Ok(x) => x,
        Err(e) => panic!("test literal {s}: {e}"),
    }
}

fn money(s: &str) -> Value {
    Value::Money(d(s))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn int(i: i64) -> Value {
    Value::Integer(i)
}

fn num(s: &str) -> Value {
    Value::Number(d(s))
}

fn date(y: i32, m: u32, day: u32) -> Value {
    match NaiveDate::from_ymd_opt(y, m, day) {
        Some(x) => Value::Date(x),
        None => panic!("bad date {y}-{m}-{day}"),
    }
}

fn fv(sheet: &str, key: &str, value: Value) -> FieldValue {
    FieldValue {
        key: key.to_string(),
        raw: String::new(),
        cell: format!("{sheet}!{key}"),
        value,
    }
}

fn project(clause: Clause, name: &str, fields: Vec<(&str, Value)>) -> Project {
    let sheet = clause.as_str().to_string();
    Project {
        clause,
        name: name.to_string(),
        row: 4,
        fields: fields.into_iter().map(|(k, v)| fv(&sheet, k, v)).collect(),
        sheet,
    }
}

/// C1 row: 项目总投资, 新增就业, 项目营业收入 (yuan), 服务企业数, 算力规模 (PFLOPS).
fn c1(name: &str, inv: &str, jobs: i64, rev: &str, firms: i64, pflops: &str) -> Project {
    c1_at(
        name,
        "重庆市渝中区化龙桥街道1号",
        inv,
        jobs,
        rev,
        firms,
        pflops,
    )
}

fn c1_at(
    name: &str,
    address: &str,
    inv: &str,
    jobs: i64,
    rev: &str,
    firms: i64,
    pflops: &str,
) -> Project {
    project(
        Clause::C1,
        name,
        vec![
            ("项目名称", text(name)),
            ("项目类型", text("先进算力基础设施")),
            ("建设地址", text(address)),
            ("项目总投资", money(inv)),
            ("新增就业", int(jobs)),
            ("项目营业收入", money(rev)),
            ("服务企业数", int(firms)),
            ("算力规模", num(pflops)),
            ("投运日期", date(2025, 6, 30)),
            ("是否自主投资", Value::Bool(true)),
        ],
    )
}

/// C2a row: 任务级别, 资助到账金额 (yuan), 到账日期.
fn c2a(name: &str, level: &str, amount: &str, received: Value) -> Project {
    project(
        Clause::C2a,
        name,
        vec![
            ("项目名称", text(name)),
            ("任务级别", text(level)),
            ("立项文号", text(&format!("渝科〔2025〕{name}号"))),
            ("资助到账金额", money(amount)),
            ("到账日期", received),
        ],
    )
}

/// C2b row: 级别.
fn c2b(name: &str, level: &str) -> Project {
    project(
        Clause::C2b,
        name,
        vec![
            ("项目名称", text(name)),
            ("荣誉或试点名称", text("国家算力试点")),
            ("级别", text(level)),
            ("认定文号", text(&format!("工信〔2025〕{name}号"))),
            ("国产化认证", text("信创产品适配认证")),
        ],
    )
}

/// C3 row: 算力服务平台, 算力费用, 项目总投资 (yuan), 新增就业.
fn c3(name: &str, platform: &str, spend: &str, inv: &str, jobs: i64) -> Project {
    project(
        Clause::C3,
        name,
        vec![
            ("项目名称", text(name)),
            ("算力服务平台", text(platform)),
            ("算力类型", text("智算")),
            ("用途", text("大模型开发")),
            ("算力费用", money(spend)),
            ("项目总投资", money(inv)),
            ("新增就业", int(jobs)),
        ],
    )
}

/// C4 row: 所属领域, optional 场景投资 (yuan).
fn c4(name: &str, domain: &str, scenario: Option<&str>) -> Project {
    let mut fields = vec![
        ("项目名称", text(name)),
        ("应用场景名称", text(name)),
        ("所属领域", text(domain)),
        ("引领作用说明", text("全市首个")),
    ];
    if let Some(s) = scenario {
        fields.push(("场景投资", money(s)));
    }
    project(Clause::C4, name, fields)
}

const PLATFORM: &str = "渝中区公共算力服务平台";

struct Case {
    guide: Guide,
    hash: String,
    ex: Extraction,
    certified: Vec<Certified>,
    panel: Vec<PanelScore>,
    earlier_c1: Vec<String>,
    overrules: Vec<Overrule>,
    /// The receipt date (受理日期); None: not recorded.
    received: Option<NaiveDate>,
    /// The round's imported managed lists.
    lists: RoundLists,
}

impl Case {
    /// An applicant of type `kind` in 渝中区 with both pledges 是 and
    /// 上年度营业收入 100,000,000 yuan.
    fn new(kind: &str) -> Self {
        let (text_, guide) = match builtin(2026) {
            Some(x) => x,
            None => panic!("no built-in 2026 guide"),
        };
        let s = "申报单位";
        Case {
            hash: content_hash(text_),
            guide,
            ex: Extraction {
                year: Some(2026),
                credit_code: Some("91500103MA5U000000".into()),
                applicant_name: Some("重庆测试科技有限公司".into()),
                fields: vec![
                    fv(s, "申报年度", Value::Year(2026)),
                    fv(s, "单位名称", text("重庆测试科技有限公司")),
                    fv(s, "单位类型", text(kind)),
                    fv(s, "注册区县", text("渝中区")),
                    fv(s, "上年度营业收入", money("100000000")),
                    fv(s, "上年末从业人员", int(120)),
                    fv(s, "信用承诺", Value::Bool(true)),
                    fv(s, "近三年无严重失信记录", Value::Bool(true)),
                ],
                projects: vec![],
                other_support: vec![],
                issues: vec![],
            },
            certified: vec![],
            panel: vec![],
            earlier_c1: vec![],
            overrules: vec![],
            received: None,
            lists: RoundLists::default(),
        }
    }

    fn set(mut self, key: &str, value: Value) -> Self {
        match self.ex.fields.iter_mut().find(|f| f.key == key) {
            Some(f) => f.value = value,
            None => self.ex.fields.push(fv("申报单位", key, value)),
        }
        self
    }

    fn with(mut self, p: Project) -> Self {
        self.ex.projects.push(p);
        self
    }

    fn other(self, project_name: &str, amount: &str) -> Self {
        self.other_of(project_name, amount, 2025)
    }

    /// A row of other support of 年度 `year`.
    fn other_of(mut self, project_name: &str, amount: &str, year: i32) -> Self {
        let s = "其他政策支持";
        self.ex.other_support.push(SupportRow {
            project_name: project_name.to_string(),
            sheet: s.into(),
            row: 4 + self.ex.other_support.len() as u32,
            fields: vec![
                fv(s, "项目名称", text(project_name)),
                fv(s, "政策名称", text("渝中区软件和信息服务业政策")),
                fv(s, "支持金额", money(amount)),
                fv(s, "年度", Value::Year(year)),
            ],
        });
        self
    }

    /// One panel factor's points, one reviewer per entry.
    fn panel(mut self, clause: Clause, project: &str, factor: &str, points: &[&str]) -> Self {
        for (i, p) in points.iter().enumerate() {
            self.panel.push(PanelScore {
                clause,
                project: project.to_string(),
                factor: factor.to_string(),
                reviewer: format!("专家{}", i + 1),
                points: d(p),
            });
        }
        self
    }

    /// C2b panel: honour, certification, effect (one reviewer each).
    fn c2b_scores(self, project: &str, honour: &str, cert: &str, effect: &str) -> Self {
        self.panel(Clause::C2b, project, "honour", &[honour])
            .panel(Clause::C2b, project, "certification", &[cert])
            .panel(Clause::C2b, project, "effect", &[effect])
    }

    /// C4 panel: leading_role, industry_fit (one reviewer each).
    fn c4_scores(self, project: &str, leading: &str, fit: &str) -> Self {
        self.panel(Clause::C4, project, "leading_role", &[leading])
            .panel(Clause::C4, project, "industry_fit", &[fit])
    }

    fn certify(
        mut self,
        clause: Option<Clause>,
        project: Option<&str>,
        field: &str,
        v: &str,
    ) -> Self {
        self.certified.push(Certified {
            clause,
            project: project.map(str::to_string),
            field: field.to_string(),
            value: d(v),
            reason: "按到账凭证核定".into(),
            by: "评审员甲".into(),
        });
        self
    }

    /// Received (受理日期) on this day.
    fn received(mut self, y: i32, m: u32, day: u32) -> Self {
        self.received = NaiveDate::from_ymd_opt(y, m, day);
        assert!(self.received.is_some(), "bad date {y}-{m}-{day}");
        self
    }

    /// A reviewer's written overrule of a failed rule.
    fn overrule(mut self, clause: Clause, project: &str, rule: &str) -> Self {
        self.overrules.push(Overrule {
            clause,
            project: project.to_string(),
            rule: rule.to_string(),
            reason: "经核实材料，予以认可".into(),
            by: "评审员甲".into(),
        });
        self
    }

    /// A project's field changed (or added; `None` removes it).
    fn field(mut self, clause: Clause, project: &str, key: &str, value: Option<Value>) -> Self {
        let Some(p) = self
            .ex
            .projects
            .iter_mut()
            .find(|p| p.clause == clause && p.name == project)
        else {
            panic!("no {clause:?} project {project}");
        };
        p.fields.retain(|f| f.key != key);
        if let Some(v) = value {
            let sheet = p.sheet.clone();
            p.fields.push(fv(&sheet, key, v));
        }
        self
    }

    fn earlier(mut self, name: &str) -> Self {
        self.earlier_c1.push(name.to_string());
        self
    }

    fn other_support_policy(mut self, p: OtherSupport) -> Self {
        self.guide.highest_only.other_support = p;
        self
    }

    fn run(&self) -> Evaluation {
        evaluate(&Inputs {
            guide: &self.guide,
            guide_hash: &self.hash,
            extraction: &self.ex,
            certified: &self.certified,
            panel: &self.panel,
            overrules: &self.overrules,
            earlier_c1: &self.earlier_c1,
            received: self.received,
            lists: &self.lists,
        })
    }
}

/// What one project must come out as.
struct Want {
    clause: Clause,
    name: &'static str,
    eligible: bool,
    /// Rounded total score; None for unscored (C2a), ineligible or pending.
    score: Option<&'static str>,
    /// Final award to the fen; None while pending.
    award: Option<&'static str>,
    superseded_by: Option<Clause>,
}

fn ok(
    clause: Clause,
    name: &'static str,
    score: Option<&'static str>,
    award: &'static str,
) -> Want {
    Want {
        clause,
        name,
        eligible: true,
        score,
        award: Some(award),
        superseded_by: None,
    }
}

fn refused(clause: Clause, name: &'static str) -> Want {
    Want {
        clause,
        name,
        eligible: false,
        score: None,
        award: Some("0"),
        superseded_by: None,
    }
}

fn result<'a>(ev: &'a Evaluation, clause: Clause, name: &str) -> &'a ProjectResult {
    match ev
        .projects
        .iter()
        .find(|r| r.clause == clause && r.name == name)
    {
        Some(r) => r,
        None => panic!("no result for {clause:?} {name}: {ev:#?}"),
    }
}

/// Checks every wanted project and the applicant's total (None = pending).
fn check(case: &Case, wants: &[Want], total: Option<&str>) -> Evaluation {
    let ev = case.run();
    assert_eq!(ev.projects.len(), wants.len(), "{ev:#?}");
    for w in wants {
        let r = result(&ev, w.clause, w.name);
        let ctx = format!("{:?} {}: {:#?}", w.clause, w.name, r);
        assert_eq!(r.eligible, w.eligible, "eligible, {ctx}");
        assert_eq!(r.score, w.score.map(d), "score, {ctx}");
        assert_eq!(r.award_yuan, w.award.map(d), "award, {ctx}");
        if let Some(a) = r.award_yuan {
            assert!(a.scale() <= 2, "award not rounded to the fen, {ctx}");
        }
        assert_eq!(r.superseded_by, w.superseded_by, "superseded_by, {ctx}");
    }
    assert_eq!(ev.total_yuan, total.map(d), "total: {ev:#?}");
    assert_eq!(ev.round, 2026);
    ev
}

fn computed(ev: &Evaluation, clause: Clause, name: &str) -> Option<Decimal> {
    result(ev, clause, name).computed_yuan
}

// ---------------------------------------------------------------------------
// C1 — tiers of 2,000,000, never above 10% of 项目总投资
// ---------------------------------------------------------------------------

#[test]
fn c1_score_exactly_90_gets_the_full_cap() {
    // 项目总投资 100,000,000 ≥ 1亿 → 30; 新增就业 50 = full → 15;
    // 项目营业收入 25,000,000 → 20 × 25,000,000 / 50,000,000 = 10;
    // 服务企业数 100 → 15; 算力规模 500 → 20. Score 30+15+10+15+20 = 90.
    // ≥90 → 100% × 2,000,000 = 2,000,000; 10% × 100,000,000 = 10,000,000 does not bite.
    let case = Case::new("企业").with(c1("智算中心", "100000000", 50, "25000000", 100, "500"));
    let w = [ok(Clause::C1, "智算中心", Some("90"), "2000000.00")];
    check(&case, &w, Some("2000000"));
}

#[test]
fn c1_score_89_99_falls_to_80_percent() {
    // As above but 项目营业收入 24,975,000 → 20 × 24,975,000 / 50,000,000 = 9.99.
    // Score 30+15+9.99+15+20 = 89.99 → 80% × 2,000,000 = 1,600,000.
    let case = Case::new("企业").with(c1("智算中心", "100000000", 50, "24975000", 100, "500"));
    let w = [ok(Clause::C1, "智算中心", Some("89.99"), "1600000")];
    check(&case, &w, Some("1600000"));
}

#[test]
fn c1_score_exactly_80_with_revenue_at_the_linear_floor() {
    // 项目营业收入 0 = floor → 0 points. 30+15+0+15+20 = 80 → 80% × 2,000,000
    // = 1,600,000; limit 10,000,000 does not bite.
    let case = Case::new("企业").with(c1("智算中心", "100000000", 50, "0", 100, "500"));
    let w = [ok(Clause::C1, "智算中心", Some("80"), "1600000")];
    check(&case, &w, Some("1600000"));
}

#[test]
fn c1_score_79_99_falls_to_60_percent() {
    // 项目总投资 50,000,000 = at_least of [5000万,1亿) → 24; jobs 50 → 15;
    // revenue 14,975,000 → 20 × 14,975,000 / 50,000,000 = 5.99; firms 100 → 15;
    // 500 PFLOPS → 20. 24+15+5.99+15+20 = 79.99 → 60% × 2,000,000 = 1,200,000;
    // limit 10% × 50,000,000 = 5,000,000.
    let case = Case::new("企业").with(c1("智算中心", "50000000", 50, "14975000", 100, "500"));
    let w = [ok(Clause::C1, "智算中心", Some("79.99"), "1200000")];
    check(&case, &w, Some("1200000"));
}

#[test]
fn c1_score_exactly_70() {
    // 24 (5000万) + 15 + 0 + 15 + 16 (300 PFLOPS = at_least of [300,500)) = 70
    // → 60% × 2,000,000 = 1,200,000.
    let case = Case::new("企业").with(c1("智算中心", "50000000", 50, "0", 100, "300"));
    let w = [ok(Clause::C1, "智算中心", Some("70"), "1200000")];
    check(&case, &w, Some("1200000"));
}

#[test]
fn c1_score_69_99_falls_to_40_percent() {
    // 24 + 15 + revenue 9,975,000 → 3.99 + 15 + 100 PFLOPS → 12 = 69.99
    // → 40% × 2,000,000 = 800,000.
    let case = Case::new("企业").with(c1("智算中心", "50000000", 50, "9975000", 100, "100"));
    let w = [ok(Clause::C1, "智算中心", Some("69.99"), "800000")];
    check(&case, &w, Some("800000"));
}

#[test]
fn c1_score_exactly_60_is_the_pass_mark() {
    // 30,000,000 = at_least of [3000万,5000万) → 18; 15; 0; 15; 12 = 60
    // → 40% × 2,000,000 = 800,000; limit 10% × 30,000,000 = 3,000,000.
    let case = Case::new("企业").with(c1("智算中心", "30000000", 50, "0", 100, "100"));
    let w = [ok(Clause::C1, "智算中心", Some("60"), "800000")];
    check(&case, &w, Some("800000"));
}

#[test]
fn c1_score_59_99_gets_nothing() {
    // 18 + 15 + revenue 7,475,000 → 2.99 + firms 50 → 12 + 12 = 59.99 < 60 → 0.
    let case = Case::new("企业").with(c1("智算中心", "30000000", 50, "7475000", 50, "100"));
    let w = [ok(Clause::C1, "智算中心", Some("59.99"), "0")];
    let ev = check(&case, &w, Some("0"));
    assert_eq!(computed(&ev, Clause::C1, "智算中心"), Some(d("0")));
}

#[test]
fn c1_factor_points_round_half_up_to_reach_60() {
    // revenue 14,987,500 → 20 × 14,987,500 / 50,000,000 = 5.995 → 6.00 (half-up).
    // 18 (3000万) + 15 + 6 + 9 (30 firms) + 12 (100 PFLOPS) = 60 → 40% = 800,000.
    let case = Case::new("企业").with(c1("智算中心", "30000000", 50, "14987500", 30, "100"));
    let w = [ok(Clause::C1, "智算中心", Some("60"), "800000")];
    check(&case, &w, Some("800000"));
}

#[test]
fn c1_ten_percent_limit_bites_and_rounds_once_at_the_end() {
    // 项目总投资 9,999,999.99 (just below 1000万) → 6; jobs 50 → 15;
    // revenue 50,000,000 = full → 20; firms 100 → 15; 500 PFLOPS → 20. Score 76
    // → 60% × 2,000,000 = 1,200,000; limit 10% × 9,999,999.99 = 999,999.999
    // bites; rounded once to the fen — down, because half-up would pay
    // 1,000,000.00, above the limit: 999,999.99.
    let case = Case::new("企业").with(c1("智算中心", "9999999.99", 50, "50000000", 100, "500"));
    let w = [ok(Clause::C1, "智算中心", Some("76"), "999999.99")];
    let ev = check(&case, &w, Some("999999.99"));
    assert_eq!(computed(&ev, Clause::C1, "智算中心"), Some(d("999999.999")));
}

#[test]
fn c1_investment_exactly_on_the_band_edge_and_limit() {
    // 项目总投资 10,000,000 = at_least of [1000万,3000万) → 12; 15; 20; 15; 20
    // = 82 → 80% × 2,000,000 = 1,600,000; limit 10% × 10,000,000 = 1,000,000 bites.
    let case = Case::new("企业").with(c1("智算中心", "10000000", 50, "50000000", 100, "500"));
    let w = [ok(Clause::C1, "智算中心", Some("82"), "1000000")];
    check(&case, &w, Some("1000000"));
}

#[test]
fn c1_band_edges_at_least_of_the_second_bands() {
    // 1亿 → 30; 7 jobs → 15 × 7 / 50 = 2.1; revenue 50,000,001 > full → 20;
    // 10 firms = at_least → 6; 50 PFLOPS = at_least → 8. 30+2.1+20+6+8 = 66.1
    // → 40% × 2,000,000 = 800,000.
    let case = Case::new("企业").with(c1("智算中心", "100000000", 7, "50000001", 10, "50"));
    let w = [ok(Clause::C1, "智算中心", Some("66.1"), "800000")];
    check(&case, &w, Some("800000"));
}

#[test]
fn c1_band_edges_just_below_fall_to_the_first_bands() {
    // 9 firms → 3; 49.999 PFLOPS → 4. 30+2.1+20+3+4 = 59.1 < 60 → 0.
    let case = Case::new("企业").with(c1("智算中心", "100000000", 7, "50000001", 9, "49.999"));
    let w = [ok(Clause::C1, "智算中心", Some("59.1"), "0")];
    check(&case, &w, Some("0"));
}

#[test]
fn c1_linear_above_full_is_capped_at_the_weight() {
    // jobs 51 > 50 → 15; revenue 12,345,678 → 20 × 12,345,678 / 50,000,000
    // = 4.9382712 → 4.94; 1亿 → 30; 30 firms → 9; 100 PFLOPS → 12.
    // 30+15+4.94+9+12 = 70.94 → 60% × 2,000,000 = 1,200,000.
    let case = Case::new("企业").with(c1("智算中心", "100000000", 51, "12345678", 30, "100"));
    let w = [ok(Clause::C1, "智算中心", Some("70.94"), "1200000")];
    check(&case, &w, Some("1200000"));
}

#[test]
fn c1_certified_investment_replaces_the_declared_one() {
    // Declared 项目总投资 100,000,000 (would score 100 → 2,000,000); certified
    // 8,000,000 → band [0,1000万) → 6. 6+15+20+15+20 = 76 → 60% = 1,200,000;
    // limit 10% × 8,000,000 (certified) = 800,000 bites.
    let case = Case::new("企业")
        .with(c1("智算中心", "100000000", 50, "50000000", 100, "500"))
        .certify(Some(Clause::C1), Some("智算中心"), "项目总投资", "8000000");
    let w = [ok(Clause::C1, "智算中心", Some("76"), "800000")];
    let ev = check(&case, &w, Some("800000"));
    let r = result(&ev, Clause::C1, "智算中心");
    let inv = r.factors.iter().find(|f| f.id == "investment");
    assert!(inv.is_some_and(|f| f.certified && f.points == Some(d("6"))));
}

#[test]
fn c1_site_outside_the_district_is_ineligible() {
    let case = Case::new("企业").with(c1_at(
        "智算中心",
        "重庆市江北区观音桥1号",
        "100000000",
        50,
        "50000000",
        100,
        "500",
    ));
    check(&case, &[refused(Clause::C1, "智算中心")], Some("0"));
}

#[test]
fn c1_is_one_time_only() {
    // Supported under C1 in an earlier round → ineligible.
    let case = Case::new("企业")
        .with(c1("智算中心", "100000000", 50, "50000000", 100, "500"))
        .earlier("智算中心");
    check(&case, &[refused(Clause::C1, "智算中心")], Some("0"));
}

#[test]
fn c1_is_closed_to_a_university() {
    // C1 applicant types: 企业, 国有企业.
    let case = Case::new("高校").with(c1("智算中心", "100000000", 50, "50000000", 100, "500"));
    check(&case, &[refused(Clause::C1, "智算中心")], Some("0"));
}

#[test]
fn state_owned_enterprise_may_apply_under_c1() {
    // 国有企业, score 100 → 2,000,000 (= cap C1).
    let case = Case::new("国有企业").with(c1("智算中心", "100000000", 50, "50000000", 100, "500"));
    check(
        &case,
        &[ok(Clause::C1, "智算中心", Some("100"), "2000000")],
        Some("2000000"),
    );
}

// ---------------------------------------------------------------------------
// Common eligibility
// ---------------------------------------------------------------------------

#[test]
fn registered_outside_yuzhong_is_ineligible() {
    let case = Case::new("企业").set("注册区县", text("江北区")).with(c2a(
        "攻关一",
        "国家级",
        "5000000",
        date(2025, 6, 1),
    ));
    check(&case, &[refused(Clause::C2a, "攻关一")], Some("0"));
}

#[test]
fn credit_pledge_no_is_ineligible() {
    let case = Case::new("企业")
        .set("信用承诺", Value::Bool(false))
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)));
    check(&case, &[refused(Clause::C2a, "攻关一")], Some("0"));
}

#[test]
fn dishonesty_record_is_ineligible() {
    let case = Case::new("企业")
        .set("近三年无严重失信记录", Value::Bool(false))
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)));
    check(&case, &[refused(Clause::C2a, "攻关一")], Some("0"));
}

// ---------------------------------------------------------------------------
// C2a — 10% of funds received, cap 1,000,000
// ---------------------------------------------------------------------------

#[test]
fn c2a_ten_percent_of_funds_received() {
    // 10% × 5,000,000 = 500,000.
    let case = Case::new("企业").with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)));
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "500000")],
        Some("500000"),
    );
}

#[test]
fn c2a_exactly_at_the_cap() {
    // 10% × 10,000,000 = 1,000,000 = cap.
    let case = Case::new("企业").with(c2a("攻关一", "市级", "10000000", date(2025, 6, 1)));
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "1000000")],
        Some("1000000"),
    );
}

#[test]
fn c2a_above_the_cap() {
    // 10% × 12,000,000 = 1,200,000 > 1,000,000 → 1,000,000.
    let case = Case::new("企业").with(c2a("攻关一", "国家级", "12000000", date(2025, 6, 1)));
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "1000000")],
        Some("1000000"),
    );
}

#[test]
fn c2a_fraction_of_a_fen_rounds_half_up() {
    // 10% × 1,234.565 = 123.4565 → 123.46.
    let case = Case::new("企业").with(c2a("攻关一", "国家级", "1234.565", date(2025, 6, 1)));
    let ev = check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "123.46")],
        Some("123.46"),
    );
    assert_eq!(computed(&ev, Clause::C2a, "攻关一"), Some(d("123.4565")));
}

#[test]
fn c2a_exact_midpoint_rounds_up_not_to_even() {
    // 10% × 1,234.45 = 123.445 → half-up 123.45 (half-even would give 123.44).
    let case = Case::new("企业").with(c2a("攻关一", "国家级", "1234.45", date(2025, 6, 1)));
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "123.45")],
        Some("123.45"),
    );
}

#[test]
fn c2a_district_level_task_is_ineligible() {
    let case = Case::new("企业").with(c2a("攻关一", "区级", "5000000", date(2025, 6, 1)));
    check(&case, &[refused(Clause::C2a, "攻关一")], Some("0"));
}

#[test]
fn c2a_received_on_2024_12_31_is_outside_the_data_year() {
    let case = Case::new("企业").with(c2a("攻关一", "国家级", "5000000", date(2024, 12, 31)));
    check(&case, &[refused(Clause::C2a, "攻关一")], Some("0"));
}

#[test]
fn c2a_received_on_2026_01_01_is_outside_the_data_year() {
    let case = Case::new("企业").with(c2a("攻关一", "国家级", "5000000", date(2026, 1, 1)));
    check(&case, &[refused(Clause::C2a, "攻关一")], Some("0"));
}

#[test]
fn c2a_first_and_last_day_of_2025_are_inside() {
    // 10% × 100,000 = 10,000 and 10% × 250,000.10 = 25,000.01; total 35,000.01.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "100000", date(2025, 1, 1)))
        .with(c2a("攻关二", "市级", "250000.10", date(2025, 12, 31)));
    let w = [
        ok(Clause::C2a, "攻关一", None, "10000"),
        ok(Clause::C2a, "攻关二", None, "25000.01"),
    ];
    check(&case, &w, Some("35000.01"));
}

#[test]
fn c2a_certified_amount_replaces_the_declared_one() {
    // Declared 3,000,000 (→ 300,000); certified 2,500,000 → 10% = 250,000.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "3000000", date(2025, 6, 1)))
        .certify(Some(Clause::C2a), Some("攻关一"), "资助到账金额", "2500000");
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "250000")],
        Some("250000"),
    );
}

// ---------------------------------------------------------------------------
// C2b — panel score, ≥ 60: 200,000 × score / 100
// ---------------------------------------------------------------------------

#[test]
fn c2b_score_exactly_60_passes() {
    // 24 + 18 + 18 = 60 → 200,000 × 60 / 100 = 120,000.
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .c2b_scores("信创集群", "24", "18", "18");
    check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("60"), "120000")],
        Some("120000"),
    );
}

#[test]
fn c2b_score_59_99_gets_nothing() {
    // 24 + 18 + 17.99 = 59.99 < 60 → 0.
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .c2b_scores("信创集群", "24", "18", "17.99");
    check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("59.99"), "0")],
        Some("0"),
    );
}

#[test]
fn c2b_full_score_is_the_cap() {
    // 40 + 30 + 30 = 100 → 200,000 × 100 / 100 = 200,000 (cap C2b).
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .c2b_scores("信创集群", "40", "30", "30");
    check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("100"), "200000")],
        Some("200000"),
    );
}

#[test]
fn c2b_panel_mean_of_three_rounded_to_two_places() {
    // honour (30+35+40)/3 = 35; certification (20+20+21)/3 = 20.333… → 20.33;
    // effect 25 from all three. Score 35 + 20.33 + 25 = 80.33 → 200,000 ×
    // 80.33 / 100 = 160,660. (Same by reviewers' totals: 75, 80, 86 → 241/3
    // = 80.333… → 80.33.)
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .panel(Clause::C2b, "信创集群", "honour", &["30", "35", "40"])
        .panel(
            Clause::C2b,
            "信创集群",
            "certification",
            &["20", "20", "21"],
        )
        .panel(Clause::C2b, "信创集群", "effect", &["25", "25", "25"]);
    check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("80.33"), "160660")],
        Some("160660"),
    );
}

#[test]
fn c2b_panel_of_five_drops_highest_and_lowest() {
    // honour 10,30,32,34,40 → drop 10 and 40 → (30+32+34)/3 = 32;
    // certification 0,30,30,30,30 → drop 0 and one 30 → 30; effect
    // 20,22,24,26,28 → (22+24+26)/3 = 24. Score 32+30+24 = 86 → 200,000 × 86 /
    // 100 = 172,000. Reviewer 1 is lowest and reviewer 5 highest on every
    // factor, so dropping by reviewers' totals (30, 82, 86, 90, 98 → drop 30
    // and 98 → 258/3 = 86) gives the same score.
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .panel(
            Clause::C2b,
            "信创集群",
            "honour",
            &["10", "30", "32", "34", "40"],
        )
        .panel(
            Clause::C2b,
            "信创集群",
            "certification",
            &["0", "30", "30", "30", "30"],
        )
        .panel(
            Clause::C2b,
            "信创集群",
            "effect",
            &["20", "22", "24", "26", "28"],
        );
    check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("86"), "172000")],
        Some("172000"),
    );
}

#[test]
fn c2b_panel_of_four_keeps_every_score() {
    // honour (10+30+32+40)/4 = 28 (no drop below 5 scores); 30; 30 (four each).
    // Score 88 → 200,000 × 88 / 100 = 176,000.
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .panel(Clause::C2b, "信创集群", "honour", &["10", "30", "32", "40"])
        .panel(
            Clause::C2b,
            "信创集群",
            "certification",
            &["30", "30", "30", "30"],
        )
        .panel(Clause::C2b, "信创集群", "effect", &["30", "30", "30", "30"]);
    check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("88"), "176000")],
        Some("176000"),
    );
}

#[test]
fn c2b_pending_panel_score_leaves_the_award_null() {
    // effect not yet scored → score, computed and award None; total None.
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .panel(Clause::C2b, "信创集群", "honour", &["40"])
        .panel(Clause::C2b, "信创集群", "certification", &["30"]);
    let w = [Want {
        clause: Clause::C2b,
        name: "信创集群",
        eligible: true,
        score: None,
        award: None,
        superseded_by: None,
    }];
    let ev = check(&case, &w, None);
    assert_eq!(computed(&ev, Clause::C2b, "信创集群"), None);
}

#[test]
fn c2b_provincial_level_is_ineligible() {
    // C2b needs 级别 国家级.
    let case = Case::new("企业")
        .with(c2b("信创集群", "省部级"))
        .c2b_scores("信创集群", "40", "30", "30");
    check(&case, &[refused(Clause::C2b, "信创集群")], Some("0"));
}

// ---------------------------------------------------------------------------
// C3 — tiers of 1,000,000, never above 30% of 算力费用
// ---------------------------------------------------------------------------

#[test]
fn c3_full_score_is_the_cap() {
    // spend 5,000,000 = full → 40; revenue 1亿 → 20; investment 20,000,000 =
    // full → 20; jobs 50 → 20. Score 100 → 1,000,000; 30% × 5,000,000 =
    // 1,500,000 does not bite.
    let case = Case::new("企业").with(c3("模型训练", PLATFORM, "5000000", "20000000", 50));
    check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("100"), "1000000")],
        Some("1000000"),
    );
}

#[test]
fn c3_score_exactly_90_capped() {
    // spend 3,750,000 → 40 × 3,750,000 / 5,000,000 = 30; 20; 20; 20 = 90
    // → 100% × 1,000,000; limit 30% × 3,750,000 = 1,125,000 does not bite.
    let case = Case::new("企业").with(c3("模型训练", PLATFORM, "3750000", "20000000", 50));
    check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("90"), "1000000")],
        Some("1000000"),
    );
}

#[test]
fn c3_thirty_percent_limit_bites() {
    // spend 1,500,000 → 12; 20; 20; 20 = 72 → 60% × 1,000,000 = 600,000;
    // limit 30% × 1,500,000 = 450,000 bites.
    let case = Case::new("企业").with(c3("模型训练", PLATFORM, "1500000", "20000000", 50));
    check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("72"), "450000")],
        Some("450000"),
    );
}

#[test]
fn c3_certified_spend_drives_score_and_limit() {
    // Declared spend 5,000,000 (→ 100 points, 1,000,000); certified 1,000,000
    // → 8; 20; 20; 20 = 68 → 40% × 1,000,000 = 400,000; limit 30% ×
    // 1,000,000 = 300,000 bites.
    let case = Case::new("企业")
        .with(c3("模型训练", PLATFORM, "5000000", "20000000", 50))
        .certify(Some(Clause::C3), Some("模型训练"), "算力费用", "1000000");
    check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("68"), "300000")],
        Some("300000"),
    );
}

#[test]
fn c3_university_with_revenue_on_band_edge() {
    // 高校 may apply under C3. revenue 5,000,000 = at_least of [500万,2000万) → 8;
    // spend 5,000,000 → 40; investment 20,000,000 → 20; 20 jobs = at_least of
    // [20,50) → 16. 84 → 80% × 1,000,000 = 800,000; limit 1,500,000.
    let case = Case::new("高校")
        .set("上年度营业收入", money("5000000"))
        .with(c3("模型训练", PLATFORM, "5000000", "20000000", 20));
    check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("84"), "800000")],
        Some("800000"),
    );
}

#[test]
fn c3_certified_applicant_revenue_just_below_band_edge() {
    // Declared 上年度营业收入 1亿 (→ 20); certified (applicant level)
    // 4,999,999.99 → 4. spend 40; investment 20; 19 jobs → [10,20) → 12.
    // 40+4+20+12 = 76 → 60% × 1,000,000 = 600,000; limit 1,500,000.
    let case = Case::new("科研机构")
        .with(c3("模型训练", PLATFORM, "5000000", "20000000", 19))
        .certify(None, None, "上年度营业收入", "4999999.99");
    check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("76"), "600000")],
        Some("600000"),
    );
}

#[test]
fn c3_linear_investment_between_floor_and_full() {
    // investment 7,777,777 → 20 × 7,777,777 / 20,000,000 = 7.777777 → 7.78;
    // spend 2,500,000 → 20; revenue 1亿 → 20; 4 jobs → 4.
    // 20+20+7.78+4 = 51.78 < 60 → 0.
    let case = Case::new("企业").with(c3("模型训练", PLATFORM, "2500000", "7777777", 4));
    check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("51.78"), "0")],
        Some("0"),
    );
}

#[test]
fn c3_uncertified_platform_is_ineligible() {
    let case = Case::new("企业").with(c3("模型训练", "某商业云平台", "5000000", "20000000", 50));
    check(&case, &[refused(Clause::C3, "模型训练")], Some("0"));
}

// ---------------------------------------------------------------------------
// C4 — ≥ 80: 500,000 × score / 100
// ---------------------------------------------------------------------------

#[test]
fn c4_full_score_is_the_cap() {
    // 40 + 场景投资 10,000,000 = full → 30 + 30 = 100 → 500,000.
    let case = Case::new("企业")
        .with(c4("智慧医疗", "大健康", Some("10000000")))
        .c4_scores("智慧医疗", "40", "30");
    check(
        &case,
        &[ok(Clause::C4, "智慧医疗", Some("100"), "500000")],
        Some("500000"),
    );
}

#[test]
fn c4_score_exactly_80_passes() {
    // 35 + 场景投资 6,000,000 → 30 × 6,000,000 / 10,000,000 = 18 + 27 = 80
    // → 500,000 × 80 / 100 = 400,000.
    let case = Case::new("企业")
        .with(c4("智慧医疗", "大健康", Some("6000000")))
        .c4_scores("智慧医疗", "35", "27");
    check(
        &case,
        &[ok(Clause::C4, "智慧医疗", Some("80"), "400000")],
        Some("400000"),
    );
}

#[test]
fn c4_score_79_99_gets_nothing() {
    // 35 + 18 + 26.99 = 79.99 < 80 → 0.
    let case = Case::new("企业")
        .with(c4("智慧医疗", "大健康", Some("6000000")))
        .c4_scores("智慧医疗", "35", "26.99");
    check(
        &case,
        &[ok(Clause::C4, "智慧医疗", Some("79.99"), "0")],
        Some("0"),
    );
}

#[test]
fn c4_government_body_with_missing_scenario_investment() {
    // 政府机关 may apply under C4. 场景投资 not filled → 0 points.
    // 40 + 0 + 30 = 70 < 80 → 0.
    let case = Case::new("政府机关")
        .with(c4("智慧政务", "数字经济", None))
        .c4_scores("智慧政务", "40", "30");
    check(
        &case,
        &[ok(Clause::C4, "智慧政务", Some("70"), "0")],
        Some("0"),
    );
}

#[test]
fn c4_public_institution_proportional_award() {
    // 事业单位. 场景投资 3,400,000 → 30 × 3,400,000 / 10,000,000 = 10.2;
    // 40 + 10.2 + 30 = 80.2 → 500,000 × 80.2 / 100 = 401,000.
    let case = Case::new("事业单位")
        .with(c4("智慧文旅", "文化旅游", Some("3400000")))
        .c4_scores("智慧文旅", "40", "30");
    check(
        &case,
        &[ok(Clause::C4, "智慧文旅", Some("80.2"), "401000")],
        Some("401000"),
    );
}

#[test]
fn c4_domain_outside_the_industry_groups_is_ineligible() {
    let case = Case::new("企业")
        .with(c4("智慧楼盘", "房地产", Some("10000000")))
        .c4_scores("智慧楼盘", "40", "30");
    check(&case, &[refused(Clause::C4, "智慧楼盘")], Some("0"));
}

// ---------------------------------------------------------------------------
// 就高不重复 inside the policy
// ---------------------------------------------------------------------------

fn superseded(clause: Clause, name: &'static str, score: Option<&'static str>, by: Clause) -> Want {
    Want {
        clause,
        name,
        eligible: true,
        score,
        award: Some("0"),
        superseded_by: Some(by),
    }
}

#[test]
fn highest_only_c2b_beats_c2a() {
    // C2a 10% × 1,500,000 = 150,000; C2b 35 + 27.5 + 25 = 87.5 → 200,000 ×
    // 87.5 / 100 = 175,000. Same project → C2b 175,000, C2a superseded (0).
    let case = Case::new("企业")
        .with(c2a("国产智算集群", "国家级", "1500000", date(2025, 6, 1)))
        .with(c2b("国产智算集群", "国家级"))
        .c2b_scores("国产智算集群", "35", "27.5", "25");
    let w = [
        superseded(Clause::C2a, "国产智算集群", None, Clause::C2b),
        ok(Clause::C2b, "国产智算集群", Some("87.5"), "175000"),
    ];
    let ev = check(&case, &w, Some("175000"));
    assert_eq!(
        computed(&ev, Clause::C2a, "国产智算集群"),
        Some(d("150000"))
    );
}

#[test]
fn highest_only_tie_keeps_exactly_one() {
    // C2a 10% × 1,600,000 = 160,000; C2b 32 + 24 + 24 = 80 → 160,000. A tie:
    // the project gets 160,000 once. (The spec does not say which clause wins a
    // tie; the engine keeps the first declared, C2a.)
    let case = Case::new("企业")
        .with(c2a("国产智算集群", "国家级", "1600000", date(2025, 6, 1)))
        .with(c2b("国产智算集群", "国家级"))
        .c2b_scores("国产智算集群", "32", "24", "24");
    let w = [
        ok(Clause::C2a, "国产智算集群", None, "160000"),
        superseded(Clause::C2b, "国产智算集群", Some("80"), Clause::C2a),
    ];
    check(&case, &w, Some("160000"));
}

#[test]
fn highest_only_matches_names_after_folding() {
    // "算力平台Ａ" (full-width Ａ) and "算力平台A" are the same project.
    // C2a 10% × 2,000,000 = 200,000; C2b 24+18+18 = 60 → 120,000 → C2a wins.
    let case = Case::new("企业")
        .with(c2a("算力平台Ａ", "国家级", "2000000", date(2025, 6, 1)))
        .with(c2b("算力平台A", "国家级"))
        .c2b_scores("算力平台A", "24", "18", "18");
    let w = [
        ok(Clause::C2a, "算力平台Ａ", None, "200000"),
        superseded(Clause::C2b, "算力平台A", Some("60"), Clause::C2a),
    ];
    check(&case, &w, Some("200000"));
}

#[test]
fn highest_only_pending_that_cannot_win_is_superseded() {
    // C2a 10% × 3,000,000 = 300,000; C2b pending, but at most 200,000 (cap)
    // → C2b superseded now; total 300,000.
    let case = Case::new("企业")
        .with(c2a("国产智算集群", "国家级", "3000000", date(2025, 6, 1)))
        .with(c2b("国产智算集群", "国家级"))
        .panel(Clause::C2b, "国产智算集群", "honour", &["40"]);
    let w = [
        ok(Clause::C2a, "国产智算集群", None, "300000"),
        superseded(Clause::C2b, "国产智算集群", None, Clause::C2a),
    ];
    check(&case, &w, Some("300000"));
}

#[test]
fn highest_only_pending_that_could_win_leaves_both_null() {
    // C2a 150,000; C2b pending could reach 200,000 > 150,000 → both pending.
    let case = Case::new("企业")
        .with(c2a("国产智算集群", "国家级", "1500000", date(2025, 6, 1)))
        .with(c2b("国产智算集群", "国家级"))
        .panel(Clause::C2b, "国产智算集群", "honour", &["40"]);
    let pending = |clause| Want {
        clause,
        name: "国产智算集群",
        eligible: true,
        score: None,
        award: None,
        superseded_by: None,
    };
    let ev = check(&case, &[pending(Clause::C2a), pending(Clause::C2b)], None);
    assert_eq!(
        computed(&ev, Clause::C2a, "国产智算集群"),
        Some(d("150000"))
    );
}

#[test]
fn highest_only_ignores_an_ineligible_clause() {
    // C2a 区级 is ineligible (0, not superseded); C2b 87.5 → 175,000.
    let case = Case::new("企业")
        .with(c2a("国产智算集群", "区级", "5000000", date(2025, 6, 1)))
        .with(c2b("国产智算集群", "国家级"))
        .c2b_scores("国产智算集群", "35", "27.5", "25");
    let w = [
        refused(Clause::C2a, "国产智算集群"),
        ok(Clause::C2b, "国产智算集群", Some("87.5"), "175000"),
    ];
    check(&case, &w, Some("175000"));
}

#[test]
fn highest_only_c1_beats_c3_for_the_same_project() {
    // C1: 1亿 30 + 15 + 20 + 15 + 20 = 100 → 2,000,000 (limit 10,000,000).
    // C3: spend 5,000,000 → 40 + 20 + 20 + 20 = 100 → 1,000,000.
    // C1 wins; C3 superseded.
    let case = Case::new("企业")
        .with(c1("智算中心", "100000000", 50, "50000000", 100, "500"))
        .with(c3("智算中心", PLATFORM, "5000000", "20000000", 50));
    let w = [
        ok(Clause::C1, "智算中心", Some("100"), "2000000"),
        superseded(Clause::C3, "智算中心", Some("100"), Clause::C1),
    ];
    check(&case, &w, Some("2000000"));
}

#[test]
fn different_projects_are_both_supported() {
    // No per-applicant cap: C2a 500,000 + C4 400,000 (35+18+27 = 80) = 900,000.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .with(c4("智慧医疗", "大健康", Some("6000000")))
        .c4_scores("智慧医疗", "35", "27");
    let w = [
        ok(Clause::C2a, "攻关一", None, "500000"),
        ok(Clause::C4, "智慧医疗", Some("80"), "400000"),
    ];
    check(&case, &w, Some("900000"));
}

// ---------------------------------------------------------------------------
// Other Yuzhong support
// ---------------------------------------------------------------------------

#[test]
fn top_up_deducts_other_support() {
    // 500,000 − 200,000 = 300,000.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other("攻关一", "200000");
    let ev = check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "300000")],
        Some("300000"),
    );
    assert_eq!(computed(&ev, Clause::C2a, "攻关一"), Some(d("500000")));
}

#[test]
fn top_up_never_goes_below_zero() {
    // 500,000 − 600,000 < 0 → 0.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other("攻关一", "600000");
    check(&case, &[ok(Clause::C2a, "攻关一", None, "0")], Some("0"));
}

#[test]
fn top_up_sums_several_rows_to_the_fen() {
    // 500,000 − (100,000 + 50,000.50) = 349,999.50.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other("攻关一", "100000")
        .other("攻关一", "50000.50");
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "349999.50")],
        Some("349999.50"),
    );
}

#[test]
fn top_up_ignores_support_for_another_project() {
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other("别的项目", "200000");
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "500000")],
        Some("500000"),
    );
}

#[test]
fn top_up_applies_to_the_highest_clause_only() {
    // C2a 150,000 superseded by C2b 175,000; other 100,000 → 175,000 −
    // 100,000 = 75,000.
    let case = Case::new("企业")
        .with(c2a("国产智算集群", "国家级", "1500000", date(2025, 6, 1)))
        .with(c2b("国产智算集群", "国家级"))
        .c2b_scores("国产智算集群", "35", "27.5", "25")
        .other("国产智算集群", "100000");
    let w = [
        superseded(Clause::C2a, "国产智算集群", None, Clause::C2b),
        ok(Clause::C2b, "国产智算集群", Some("87.5"), "75000"),
    ];
    check(&case, &w, Some("75000"));
}

#[test]
fn top_up_then_round_once() {
    // 10% × 1,234.565 = 123.4565; − 23.40 = 100.0565 → 100.06.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "1234.565", date(2025, 6, 1)))
        .other("攻关一", "23.40");
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "100.06")],
        Some("100.06"),
    );
}

#[test]
fn zero_if_other_higher_keeps_the_full_award_when_other_is_lower() {
    // Policy alternative: other 200,000 < 500,000 → the full 500,000.
    let case = Case::new("企业")
        .other_support_policy(OtherSupport::ZeroIfOtherHigher)
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other("攻关一", "200000");
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "500000")],
        Some("500000"),
    );
}

#[test]
fn zero_if_other_higher_gives_nothing_on_equal() {
    // other 500,000 ≥ 500,000 → 0.
    let case = Case::new("企业")
        .other_support_policy(OtherSupport::ZeroIfOtherHigher)
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other("攻关一", "500000");
    check(&case, &[ok(Clause::C2a, "攻关一", None, "0")], Some("0"));
}

#[test]
fn zero_if_other_higher_gives_nothing_when_other_is_higher() {
    // other 500,000.01 > 500,000 → 0.
    let case = Case::new("企业")
        .other_support_policy(OtherSupport::ZeroIfOtherHigher)
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other("攻关一", "500000.01");
    check(&case, &[ok(Clause::C2a, "攻关一", None, "0")], Some("0"));
}

#[test]
fn highest_only_positive_c3_beats_c1_below_the_pass_mark() {
    // C1: 18 + 15 + 2.99 + 12 + 12 = 59.99 → 0 (eligible, below 60).
    // C3: spend 1,500,000 → 12 + 20 + 20 + 20 = 72 → 60% × 1,000,000 = 600,000,
    // limit 30% × 1,500,000 = 450,000. C3 wins; C1 superseded.
    let case = Case::new("企业")
        .with(c1("智算中心", "30000000", 50, "7475000", 50, "100"))
        .with(c3("智算中心", PLATFORM, "1500000", "20000000", 50));
    let w = [
        superseded(Clause::C1, "智算中心", Some("59.99"), Clause::C3),
        ok(Clause::C3, "智算中心", Some("72"), "450000"),
    ];
    check(&case, &w, Some("450000"));
}

/// Two reviewers on C2b: 专家1 40/30/30 (total 100), 专家2 30/30/30 (total 90).
fn close_panel() -> Case {
    Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .panel(Clause::C2b, "信创集群", "honour", &["40", "30"])
        .panel(Clause::C2b, "信创集群", "certification", &["30", "30"])
        .panel(Clause::C2b, "信创集群", "effect", &["30", "30"])
}

#[test]
fn c2b_two_reviewers_mean() {
    // honour (40+30)/2 = 35; 30; 30 → 95 → 200,000 × 95 / 100 = 190,000.
    check(
        &close_panel(),
        &[ok(Clause::C2b, "信创集群", Some("95"), "190000")],
        Some("190000"),
    );
}

#[test]
fn c2b_close_totals_are_not_a_disagreement() {
    // Guide [panel] disagreement_threshold = 20 on the spread of the reviewers'
    // totals: 100 − 90 = 10 ≤ 20 → nobody is asked to look again; no factor's
    // points differ by more than 20 either (honour 40 − 30 = 10).
    let ev = close_panel().run();
    let r = result(&ev, Clause::C2b, "信创集群");
    assert!(r.factors.iter().all(|f| !f.disagreement), "{r:#?}");
    assert!(!r.disagreement, "{r:#?}");
    let totals: Vec<(&str, Decimal)> = r
        .panel_totals
        .iter()
        .map(|t| (t.reviewer.as_str(), t.total))
        .collect();
    assert_eq!(totals, vec![("专家1", d("100")), ("专家2", d("90"))]);
    assert!(ev.flags.iter().all(|f| f.code != "panel_disagreement"));
}

#[test]
fn c2b_far_apart_totals_are_a_disagreement() {
    // 专家1 40/30/30 = 100, 专家2 30/20/20 = 70: spread 30 > 20 → flagged on
    // the total (no single factor differs by more than 20).
    // Score 35 + 25 + 25 = 85 → 200,000 × 85 / 100 = 170,000.
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .panel(Clause::C2b, "信创集群", "honour", &["40", "30"])
        .panel(Clause::C2b, "信创集群", "certification", &["30", "20"])
        .panel(Clause::C2b, "信创集群", "effect", &["30", "20"]);
    let ev = check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("85"), "170000")],
        Some("170000"),
    );
    let r = result(&ev, Clause::C2b, "信创集群");
    assert!(r.disagreement, "{r:#?}");
    assert!(r.factors.iter().all(|f| !f.disagreement), "{r:#?}");
    assert!(
        r.lines.iter().any(|l| l.label == "专家总分分歧"
            && l.value.contains("30")
            && l.value_en.contains("more than 20")),
        "{r:#?}"
    );
    assert!(ev.flags.iter().any(|f| f.code == "panel_disagreement"));
}

#[test]
fn c2b_totals_agree_but_a_factor_is_far_apart() {
    // 专家1 honour 40, certification 5, effect 25 = 70; 专家2 honour 15,
    // certification 30, effect 25 = 70. Totals agree (spread 0), but honour
    // differs by 25 > 20 and certification by 25 > 20: both factors flagged,
    // the total not. Score 27.5 + 17.5 + 25 = 70 → 200,000 × 70 / 100 = 140,000.
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .panel(Clause::C2b, "信创集群", "honour", &["40", "15"])
        .panel(Clause::C2b, "信创集群", "certification", &["5", "30"])
        .panel(Clause::C2b, "信创集群", "effect", &["25", "25"]);
    let ev = check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("70"), "140000")],
        Some("140000"),
    );
    let r = result(&ev, Clause::C2b, "信创集群");
    assert!(!r.disagreement, "{r:#?}");
    let flagged: Vec<&str> = r
        .factors
        .iter()
        .filter(|f| f.disagreement)
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(flagged, vec!["honour", "certification"]);
}

#[test]
fn c4_reviewer_totals_include_the_automatic_points() {
    // 场景投资 6,000,000 → 18 automatic points. 专家1 35 + 27 → 80,
    // 专家2 20 + 10 → 48: spread 32 > 20 → flagged. A third reviewer who
    // scored only leading_role has no total. Score: leading (35+20+30)/3 =
    // 28.33…→ 28.33; fit (27+10)/2 = 18.5; 28.33 + 18 + 18.5 = 64.83 < 80 → 0.
    let case = Case::new("企业")
        .with(c4("智慧医疗", "大健康", Some("6000000")))
        .panel(Clause::C4, "智慧医疗", "leading_role", &["35", "20", "30"])
        .panel(Clause::C4, "智慧医疗", "industry_fit", &["27", "10"]);
    let ev = check(
        &case,
        &[ok(Clause::C4, "智慧医疗", Some("64.83"), "0")],
        Some("0"),
    );
    let r = result(&ev, Clause::C4, "智慧医疗");
    let totals: Vec<(&str, Decimal)> = r
        .panel_totals
        .iter()
        .map(|t| (t.reviewer.as_str(), t.total))
        .collect();
    assert_eq!(totals, vec![("专家1", d("80")), ("专家2", d("48"))]);
    assert!(r.disagreement, "{r:#?}");
}

#[test]
fn every_reason_and_line_has_english() {
    // Eligibility reasons and explanation lines carry an English variant
    // beside the Chinese (the app switches language); no English text keeps
    // a Chinese unit or the Chinese rule wording.
    let case = Case::new("企业")
        .with(c2a("国产智算集群", "区级", "5000000", date(2025, 6, 1)))
        .with(c2a("攻关一", "国家级", "1234.565", date(2025, 6, 1)))
        .with(c2b("攻关一", "国家级"))
        .c2b_scores("攻关一", "35", "27.5", "25")
        .with(c1("智算中心", "30000000", 50, "7475000", 50, "100"))
        .other("攻关一", "23.40");
    let ev = case.run();
    for p in &ev.projects {
        for c in &p.eligibility {
            assert!(!c.rule_en.is_empty() && !c.reason_en.is_empty(), "{c:#?}");
            assert!(
                !c.rule_en.contains('为') && !c.reason_en.contains("未填写"),
                "{c:#?}"
            );
        }
        for l in &p.lines {
            assert!(!l.label_en.is_empty() && !l.value_en.is_empty(), "{l:#?}");
            assert!(
                !l.value_en.contains('元') && !l.value_en.contains('分'),
                "{l:#?}"
            );
            assert!(!l.label_en.contains("权重"), "{l:#?}");
        }
    }
    let r = result(&ev, Clause::C2a, "国产智算集群");
    let failed = r.eligibility.iter().find(|c| !c.pass);
    assert_eq!(
        failed.map(|c| (c.rule_en.as_str(), c.reason_en.as_str())),
        Some(("Task level is 国家级 or 市级", "Task level: 区级"))
    );
    assert!(
        r.lines.iter().any(|l| l.label_en == "Eligibility not met"
            && l.value_en == "Task level is 国家级 or 市级 (Task level: 区级)"),
        "{r:#?}"
    );
}

// ---------------------------------------------------------------------------
// Second round (issue 15 items 9–12): 逾期申报, the district's spellings,
// other support by year and near names, the fields the policy needs
// ---------------------------------------------------------------------------

/// One rule of a project's eligibility, by id.
fn rule<'a>(ev: &'a Evaluation, clause: Clause, name: &str, id: &str) -> &'a RuleCheck {
    let r = result(ev, clause, name);
    match r.eligibility.iter().find(|c| c.id == id) {
        Some(c) => c,
        None => panic!("no rule {id} for {clause:?} {name}: {r:#?}"),
    }
}

/// The C1 project of the score-100 case: 30 + 15 + 20 + 15 + 20 = 100
/// → 100% × 2,000,000 = 2,000,000 (10% × 100,000,000 does not bite).
fn c1_full() -> Project {
    c1("智算中心", "100000000", 50, "50000000", 100, "500")
}

#[test]
fn received_after_the_window_closes_is_filed_late() {
    // window_close 2026-04-30 (inclusive); received 2026-05-06 → 逾期申报.
    let case = Case::new("企业").with(c1_full()).received(2026, 5, 6);
    let ev = check(&case, &[refused(Clause::C1, "智算中心")], Some("0"));
    let late = rule(&ev, Clause::C1, "智算中心", "late_filing");
    assert!(!late.pass, "{late:#?}");
    assert!(late.rule.contains("逾期申报"), "{late:#?}");
    assert!(
        late.reason.contains("2026年5月6日") && late.reason.contains("2026年4月30日"),
        "{late:#?}"
    );
    assert!(
        late.reason_en.contains("2026-05-06") && late.reason_en.contains("2026-04-30"),
        "{late:#?}"
    );
}

#[test]
fn received_on_the_closing_day_is_in_time() {
    // 2026-04-30 = window_close, inclusive → eligible, 2,000,000.
    let case = Case::new("企业").with(c1_full()).received(2026, 4, 30);
    let ev = check(
        &case,
        &[ok(Clause::C1, "智算中心", Some("100"), "2000000")],
        Some("2000000"),
    );
    assert!(rule(&ev, Clause::C1, "智算中心", "late_filing").pass);
}

#[test]
fn a_late_filing_overruled_with_a_reason_is_eligible() {
    // Posted in time (the postmark), received late: the reviewer overrules.
    let case = Case::new("企业")
        .with(c1_full())
        .received(2026, 5, 6)
        .overrule(Clause::C1, "智算中心", "late_filing");
    let ev = check(
        &case,
        &[ok(Clause::C1, "智算中心", Some("100"), "2000000")],
        Some("2000000"),
    );
    let late = rule(&ev, Clause::C1, "智算中心", "late_filing");
    assert!(!late.pass && late.overruled.is_some(), "{late:#?}");
}

#[test]
fn a_receipt_not_recorded_is_said_and_does_not_fail() {
    let case = Case::new("企业").with(c1_full());
    let ev = check(
        &case,
        &[ok(Clause::C1, "智算中心", Some("100"), "2000000")],
        Some("2000000"),
    );
    let late = rule(&ev, Clause::C1, "智算中心", "late_filing");
    assert!(late.pass, "{late:#?}");
    assert!(late.reason.contains("未记录受理日期"), "{late:#?}");
    assert!(
        late.reason_en.contains("no receipt date recorded"),
        "{late:#?}"
    );
}

#[test]
fn yuzhong_written_other_ways_is_the_same_district() {
    // 10% × 5,000,000 = 500,000 for each spelling of 渝中区.
    for spelling in ["重庆市渝中区", "渝中", "重庆渝中区", "重庆市 渝中区"] {
        let case = Case::new("企业").set("注册区县", text(spelling)).with(c2a(
            "攻关一",
            "国家级",
            "5000000",
            date(2025, 6, 1),
        ));
        let ev = check(
            &case,
            &[ok(Clause::C2a, "攻关一", None, "500000")],
            Some("500000"),
        );
        let district = rule(&ev, Clause::C2a, "攻关一", "district");
        assert!(district.pass, "{spelling}: {district:#?}");
        assert!(
            district.reason.contains("即渝中区") && district.reason_en.contains("that is 渝中区"),
            "{spelling}: the explanation says it was normalised: {district:#?}"
        );
    }
}

#[test]
fn another_district_written_in_full_still_fails() {
    for spelling in ["重庆市江北区", "江北", "渝北区"] {
        let case = Case::new("企业").set("注册区县", text(spelling)).with(c2a(
            "攻关一",
            "国家级",
            "5000000",
            date(2025, 6, 1),
        ));
        let ev = check(&case, &[refused(Clause::C2a, "攻关一")], Some("0"));
        assert!(!rule(&ev, Clause::C2a, "攻关一", "district").pass);
    }
}

#[test]
fn other_support_of_a_year_not_counted_is_listed_not_deducted() {
    // counted_support_years 2025, 2026. Rows: 2023 200,000 (not counted),
    // 2026 150,000 (counted). 500,000 − 150,000 = 350,000.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other_of("攻关一", "200000", 2023)
        .other_of("攻关一", "150000", 2026);
    let ev = check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "350000")],
        Some("350000"),
    );
    let r = result(&ev, Clause::C2a, "攻关一");
    let listed = r
        .lines
        .iter()
        .find(|l| l.label.starts_with("未计入的其他政策支持"));
    let listed = listed.unwrap_or_else(|| panic!("no line for the uncounted row: {r:#?}"));
    assert!(listed.label.contains("2025、2026"), "{listed:#?}");
    assert!(
        listed.value.contains("2023年度") && listed.value.replace(',', "").contains("200000.00"),
        "{listed:#?}"
    );
    assert!(listed.value_en.contains("(2023, "), "{listed:#?}");
}

#[test]
fn counted_support_years_come_from_the_guide() {
    // counted_support_years = [2023]: the 2023 row (200,000) counts, the
    // 2025 row (150,000) does not. 500,000 − 200,000 = 300,000.
    let mut case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other_of("攻关一", "200000", 2023)
        .other_of("攻关一", "150000", 2025);
    case.guide.round.counted_support_years = vec![2023];
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "300000")],
        Some("300000"),
    );
}

#[test]
fn other_support_matches_names_after_folding() {
    // "攻关一 " with a full-width space and a trailing blank is 攻关一:
    // 500,000 − 200,000 = 300,000.
    let case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other("\u{3000}攻关一 ", "200000");
    check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "300000")],
        Some("300000"),
    );
}

#[test]
fn other_support_with_a_near_name_is_flagged_not_deducted() {
    // "渝中智算中心二期" is one character from the project "渝中智算中心一期":
    // not the same project (no deduction: 500,000), flagged to the reviewer.
    // "智慧医疗平台" is far from it: no flag.
    let case = Case::new("企业")
        .with(c2a(
            "渝中智算中心一期",
            "国家级",
            "5000000",
            date(2025, 6, 1),
        ))
        .other("渝中智算中心二期", "200000")
        .other("智慧医疗平台", "100000");
    let ev = check(
        &case,
        &[ok(Clause::C2a, "渝中智算中心一期", None, "500000")],
        Some("500000"),
    );
    let near: Vec<_> = ev
        .flags
        .iter()
        .filter(|f| f.code == "other_support_near_match")
        .collect();
    assert_eq!(near.len(), 1, "{:#?}", ev.flags);
    assert!(
        near[0].message.contains("渝中智算中心二期")
            && near[0].message.contains("渝中智算中心一期"),
        "{near:#?}"
    );
    assert!(near[0].message_en.contains("please check"), "{near:#?}");
}

#[test]
fn c2b_without_the_domestic_certification_is_ineligible() {
    // 2026: 国产化认证 required (clauses.C2b.eligibility.required_fields).
    let case = Case::new("企业")
        .with(c2b("信创集群", "国家级"))
        .field(Clause::C2b, "信创集群", "国产化认证", None)
        .c2b_scores("信创集群", "40", "30", "30");
    let ev = check(&case, &[refused(Clause::C2b, "信创集群")], Some("0"));
    let r = rule(&ev, Clause::C2b, "信创集群", "required.国产化认证");
    assert!(!r.pass && r.reason == "未填写国产化认证", "{r:#?}");
}

#[test]
fn c1_not_self_invested_is_ineligible() {
    let case = Case::new("企业").with(c1_full()).field(
        Clause::C1,
        "智算中心",
        "是否自主投资",
        Some(Value::Bool(false)),
    );
    let ev = check(&case, &[refused(Clause::C1, "智算中心")], Some("0"));
    let r = rule(&ev, Clause::C1, "智算中心", "C1.conditions[2]");
    assert_eq!(r.reason, "是否自主投资为否", "{r:#?}");
}

#[test]
fn c1_from_an_older_template_must_be_confirmed_by_a_reviewer() {
    // No 是否自主投资 column: the importer warned; the rule fails (never a
    // silent pass) until a reviewer overrules it with a reason.
    let older = |case: Case| {
        let mut case = case.field(Clause::C1, "智算中心", "是否自主投资", None);
        case.ex.issues.push(Issue {
            severity: Severity::Warning,
            sheet: Some("C1".into()),
            cell: None,
            field: Some("是否自主投资".into()),
            found: None,
            expected: Some("是否自主投资 *".into()),
            message: "工作表「C1」缺少「是否自主投资 *」列（按旧版模板填报）".into(),
            message_en: "Sheet C1 lacks the column".into(),
        });
        case
    };
    let case = older(Case::new("企业").with(c1_full()));
    let ev = check(&case, &[refused(Clause::C1, "智算中心")], Some("0"));
    let r = rule(&ev, Clause::C1, "智算中心", "C1.conditions[2]");
    assert!(
        !r.pass && r.reason.contains("旧版模板") && r.reason.contains("评审人核实"),
        "{r:#?}"
    );
    assert!(r.reason_en.contains("older template"), "{r:#?}");
    let confirmed = older(Case::new("企业").with(c1_full())).overrule(
        Clause::C1,
        "智算中心",
        "C1.conditions[2]",
    );
    check(
        &confirmed,
        &[ok(Clause::C1, "智算中心", Some("100"), "2000000")],
        Some("2000000"),
    );
}

#[test]
fn c1_in_operation_by_the_end_of_the_data_year() {
    // 投运日期 2024-12-31 (before 2025) and 2025-12-31 pass: 2,000,000;
    // 2026-01-01 is after the data year, and a missing date fails.
    for (day, pass) in [
        (date(2024, 12, 31), true),
        (date(2025, 12, 31), true),
        (date(2026, 1, 1), false),
    ] {
        let case = Case::new("企业").with(c1_full()).field(
            Clause::C1,
            "智算中心",
            "投运日期",
            Some(day.clone()),
        );
        let want = if pass {
            ok(Clause::C1, "智算中心", Some("100"), "2000000")
        } else {
            refused(Clause::C1, "智算中心")
        };
        let total = if pass { "2000000" } else { "0" };
        let ev = check(&case, &[want], Some(total));
        let r = rule(&ev, Clause::C1, "智算中心", "C1.conditions[3]");
        assert_eq!(r.rule, "投运日期在2025年或之前", "{r:#?}");
        assert_eq!(r.pass, pass, "{day:?}: {r:#?}");
    }
    let case = Case::new("企业")
        .with(c1_full())
        .field(Clause::C1, "智算中心", "投运日期", None);
    let ev = check(&case, &[refused(Clause::C1, "智算中心")], Some("0"));
    let r = rule(&ev, Clause::C1, "智算中心", "C1.conditions[3]");
    assert_eq!(r.reason, "未填写投运日期", "{r:#?}");
}

#[test]
fn c4_library_required_fails_while_the_library_is_not_available() {
    // 2026: library_required = false → the full-score case gets 500,000.
    let case = Case::new("企业")
        .with(c4("智慧医疗", "大健康", Some("10000000")))
        .c4_scores("智慧医疗", "40", "30");
    let ev = check(
        &case,
        &[ok(Clause::C4, "智慧医疗", Some("100"), "500000")],
        Some("500000"),
    );
    assert!(result(&ev, Clause::C4, "智慧医疗")
        .eligibility
        .iter()
        .all(|c| c.id != "ai_library"));
    // true: the library is not yet kept → fails, saying so.
    let mut case = case;
    if let Some(c4) = case.guide.clauses.get_mut(&Clause::C4) {
        c4.library_required = true;
    }
    let ev = check(&case, &[refused(Clause::C4, "智慧医疗")], Some("0"));
    let r = rule(&ev, Clause::C4, "智慧医疗", "ai_library");
    assert!(!r.pass && r.reason.contains("尚未建立"), "{r:#?}");
    assert!(r.reason_en.contains("not yet available"), "{r:#?}");
}

// ---------------------------------------------------------------------------
// Rounding never breaks a cap or limit, the applicant cap, panel trimming
// and grouped amounts in the lines (issue 15 items 5, 6, 7)
// ---------------------------------------------------------------------------

impl Case {
    fn applicant_cap(mut self, cap: &str) -> Self {
        self.guide.round.applicant_cap = Some(d(cap));
        self
    }

    fn trim(mut self, t: PanelTrim) -> Self {
        self.guide.panel.trim = t;
        self
    }
}

/// An eligible project whose award waits for panel scores.
fn pending(clause: Clause, name: &'static str) -> Want {
    Want {
        award: None,
        ..ok(clause, name, None, "0")
    }
}

/// The (label, value) of every line of a project.
fn lines_of(ev: &Evaluation, clause: Clause, name: &str) -> Vec<(String, String)> {
    result(ev, clause, name)
        .lines
        .iter()
        .map(|l| (l.label.clone(), l.value.clone()))
        .collect()
}

#[test]
fn c3_thirty_percent_limit_of_a_fraction_of_a_fen_rounds_down() {
    // spend 1,666,666.65 → 40 × 1,666,666.65 / 5,000,000 = 13.333… → 13.33;
    // revenue 1亿 → 20; investment 20,000,000 → 20; jobs 50 → 20. Score 73.33
    // → 60% × 1,000,000 = 600,000; limit 30% × 1,666,666.65 = 499,999.995
    // bites. Half-up would pay 500,000.00, above the limit: 499,999.99.
    let case = Case::new("企业").with(c3("模型训练", PLATFORM, "1666666.65", "20000000", 50));
    let ev = check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("73.33"), "499999.99")],
        Some("499999.99"),
    );
    let lines = lines_of(&ev, Clause::C3, "模型训练");
    // The limit is shown exactly, never rounded up past itself.
    assert!(
        lines.contains(&("不超过算力费用的 30%".into(), "499,999.995 元".into())),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|(l, v)| l.starts_with("取整（舍去到分")
            && l.contains("不超过")
            && v == "499,999.99 元"),
        "{lines:#?}"
    );
}

#[test]
fn top_up_after_a_binding_limit_rounds_down_too() {
    // As c1_ten_percent_limit_bites…: computed 999,999.999 (the 10% limit);
    // other support 100,000 → 899,999.999. Half-up would make 900,000.00,
    // so the project would end with 1,000,000.00 in all, above its limit:
    // 899,999.99.
    let case = Case::new("企业")
        .with(c1("智算中心", "9999999.99", 50, "50000000", 100, "500"))
        .other("智算中心", "100000");
    check(
        &case,
        &[ok(Clause::C1, "智算中心", Some("76"), "899999.99")],
        Some("899999.99"),
    );
}

/// C1 2,000,000 (score 90), C3 1,000,000 (score 100) and C2a 10% ×
/// 3,333,333.30 = 333,333.33: together 3,333,333.33.
fn three_awards() -> Case {
    Case::new("企业")
        .with(c1("智算中心", "100000000", 50, "25000000", 100, "500"))
        .with(c3("模型训练", PLATFORM, "5000000", "20000000", 50))
        .with(c2a("攻关一", "国家级", "3333333.30", date(2025, 6, 1)))
}

/// [`three_awards`] under an applicant cap: the C1, C3 and C2a awards must
/// come out as `awards` and total the cap (or the awards when it does not bind).
fn three_awards_capped(cap: &'static str, awards: [&'static str; 3]) -> Evaluation {
    let case = three_awards().applicant_cap(cap);
    let total: Decimal = awards.iter().map(|a| d(a)).sum();
    check(
        &case,
        &[
            ok(Clause::C1, "智算中心", Some("90"), awards[0]),
            ok(Clause::C3, "模型训练", Some("100"), awards[1]),
            ok(Clause::C2a, "攻关一", None, awards[2]),
        ],
        Some(&total.to_string()),
    )
}

#[test]
fn applicant_cap_reduces_in_proportion_by_largest_remainder() {
    // Cap 3,000,000 < 3,333,333.33. In fen: B = 300,000,000, T = 333,333,333.
    // C1 200,000,000 × B / T = 180,000,000.18 → 180,000,000 (rem 0.18 T);
    // C3 100,000,000 × B / T = 90,000,000.09 → 90,000,000 (rem 0.09 T);
    // C2a 33,333,333 × B / T = 29,999,999.73 → 29,999,999 (rem 0.73 T).
    // 299,999,999 fen, 1 fen left → the largest remainder, C2a.
    // 1,800,000.00 + 900,000.00 + 300,000.00 = 3,000,000.00, the cap.
    let ev = three_awards_capped("3000000", ["1800000", "900000", "300000"]);
    assert_eq!(computed(&ev, Clause::C1, "智算中心"), Some(d("2000000")));
    let lines = lines_of(&ev, Clause::C2a, "攻关一");
    let cap = lines
        .iter()
        .position(|(l, _)| l.starts_with("申报单位扶持上限"))
        .unwrap_or_else(|| panic!("no cap line: {lines:#?}"));
    assert!(
        lines[cap].0.contains("3,000,000.00 元")
            && lines[cap].0.contains("3,333,333.33 元")
            && lines[cap].0.contains("333,333.33 元"),
        "{lines:#?}"
    );
    assert_eq!(lines[cap].1, "300,000.00 元");
    // The award line comes last, after the cap.
    assert_eq!(
        lines.last(),
        Some(&("扶持金额".to_string(), "300,000.00 元".to_string()))
    );
    let en = &result(&ev, Clause::C2a, "攻关一").lines[cap];
    assert!(
        en.label_en
            .starts_with("Applicant cap of 3,000,000.00 yuan"),
        "{en:#?}"
    );
    assert_eq!(en.value_en, "300,000.00 yuan");

    // A cap of 3,333,333.33, the total exactly, does not bind: nothing
    // reduced, no cap line.
    let ev = three_awards_capped("3333333.33", ["2000000", "1000000", "333333.33"]);
    for p in &ev.projects {
        assert!(
            !p.lines
                .iter()
                .any(|l| l.label.starts_with("申报单位扶持上限")),
            "{p:#?}"
        );
    }
}

#[test]
fn applicant_cap_applies_after_top_up() {
    // C1 2,000,000 − other support 500,000 = 1,500,000; C3 1,000,000;
    // total 2,500,000 > cap 2,000,000 → 1,500,000 × 2/2.5 = 1,200,000 and
    // 1,000,000 × 2/2.5 = 800,000 (no remainders). Capping before the top-up
    // would give 1,333,333.33 − 500,000 = 833,333.33 and 666,666.67 instead.
    let case = Case::new("企业")
        .with(c1("智算中心", "100000000", 50, "25000000", 100, "500"))
        .with(c3("模型训练", PLATFORM, "5000000", "20000000", 50))
        .other("智算中心", "500000")
        .applicant_cap("2000000");
    check(
        &case,
        &[
            ok(Clause::C1, "智算中心", Some("90"), "1200000"),
            ok(Clause::C3, "模型训练", Some("100"), "800000"),
        ],
        Some("2000000"),
    );
}

#[test]
fn applicant_cap_waits_while_a_project_awaits_the_panel() {
    // C1 2,000,000 is known, C2b awaits its panel: nothing is reduced yet
    // (the total is unknown), and the C1 project says a reduction will come.
    let case = Case::new("企业")
        .with(c1("智算中心", "100000000", 50, "25000000", 100, "500"))
        .with(c2b("信创集群", "国家级"))
        .applicant_cap("1000000");
    let w = [
        ok(Clause::C1, "智算中心", Some("90"), "2000000"),
        pending(Clause::C2b, "信创集群"),
    ];
    let ev = check(&case, &w, None);
    let lines = lines_of(&ev, Clause::C1, "智算中心");
    assert!(
        lines
            .iter()
            .any(|(l, v)| l == "申报单位扶持上限 1,000,000.00 元" && v.contains("按比例核减")),
        "{lines:#?}"
    );
}

/// Five reviewers of a C2b project whose totals and factor points rank
/// differently: honour / certification / effect (totals):
/// 专家1 40 10 10 (60, lowest), 专家2 20 30 30 (80), 专家3 30 20 20 (70),
/// 专家4 35 25 25 (85, highest), 专家5 10 28 28 (66).
fn five_reviewers() -> Case {
    let sheets = [
        ("honour", ["40", "20", "30", "35", "10"]),
        ("certification", ["10", "30", "20", "25", "28"]),
        ("effect", ["10", "30", "20", "25", "28"]),
    ];
    let mut case = Case::new("企业").with(c2b("信创集群", "国家级"));
    for (factor, points) in sheets {
        case = case.panel(Clause::C2b, "信创集群", factor, &points);
    }
    case
}

#[test]
fn c2b_panel_of_five_drops_the_highest_and_lowest_totals_by_default() {
    // per_total (the 2026 guide): drop 专家1 (60) and 专家4 (85); 专家2, 3, 5
    // remain: honour (20+30+10)/3 = 20; certification (30+20+28)/3 = 26;
    // effect 26. Score 72 → 200,000 × 72 / 100 = 144,000.
    let case = five_reviewers();
    assert_eq!(case.guide.panel.trim, PanelTrim::PerTotal);
    let ev = check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("72"), "144000")],
        Some("144000"),
    );
    let lines = lines_of(&ev, Clause::C2b, "信创集群");
    assert!(
        lines.iter().any(|(l, v)| l == "去掉总分最高和最低的专家"
            && v.contains("专家4（总分 85）")
            && v.contains("专家1（总分 60）")
            && v.contains("其余 3 位")),
        "{lines:#?}"
    );
}

#[test]
fn c2b_panel_of_five_per_factor_drops_each_factors_extremes() {
    // per_factor: honour 10,20,30,35,40 → (20+30+35)/3 = 28.333… → 28.33;
    // certification 10,20,25,28,30 → (20+25+28)/3 = 24.333… → 24.33;
    // effect the same 24.33. Score 76.99 → 200,000 × 76.99 / 100 = 153,980.
    let case = five_reviewers().trim(PanelTrim::PerFactor);
    let ev = check(
        &case,
        &[ok(Clause::C2b, "信创集群", Some("76.99"), "153980")],
        Some("153980"),
    );
    let lines = lines_of(&ev, Clause::C2b, "信创集群");
    assert!(
        !lines.iter().any(|(l, _)| l == "去掉总分最高和最低的专家"),
        "{lines:#?}"
    );
}

#[test]
fn amounts_in_the_lines_are_grouped_with_their_unit() {
    // C1 score 80 (revenue 0): tier 80% of the cap 2,000,000 = 1,600,000;
    // 项目总投资 100,000,000 shown as a money value.
    let case = Case::new("企业").with(c1("智算中心", "100000000", 50, "0", 100, "500"));
    let ev = check(
        &case,
        &[ok(Clause::C1, "智算中心", Some("80"), "1600000")],
        Some("1600000"),
    );
    let r = result(&ev, Clause::C1, "智算中心");
    let tier = r
        .lines
        .iter()
        .find(|l| l.label.starts_with("档次"))
        .unwrap_or_else(|| panic!("no tier line: {r:#?}"));
    assert_eq!(tier.label, "档次：上限 2,000,000.00 元 × 80%");
    assert_eq!(tier.value, "1,600,000.00 元");
    assert_eq!(tier.label_en, "Tier: cap 2,000,000.00 yuan × 80%");
    assert_eq!(tier.value_en, "1,600,000.00 yuan");
    assert!(
        r.lines
            .iter()
            .any(|l| l.value.starts_with("100,000,000.00 元 → ")
                && l.value_en.starts_with("100,000,000.00 yuan → ")),
        "{r:#?}"
    );
    // C2a: base, rate and cap lines.
    let case = Case::new("企业").with(c2a("攻关一", "国家级", "12000000", date(2025, 6, 1)));
    let ev = case.run();
    let lines = lines_of(&ev, Clause::C2a, "攻关一");
    for want in [
        ("资助到账金额", "12,000,000.00 元"),
        ("× 10%", "1,200,000.00 元"),
        ("不超过上限 1,000,000.00 元", "1,000,000.00 元"),
        ("扶持金额", "1,000,000.00 元"),
    ] {
        assert!(
            lines.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} in {lines:#?}"
        );
    }
    // The JSON amount fields keep the plain form.
    let json = serde_json::to_value(&ev).unwrap_or_default();
    assert_eq!(json["projects"][0]["award_yuan"], "1000000.00");
}

// ---------------------------------------------------------------------------
// The round's imported managed lists (issue 16): platforms (C3) and the AI+
// scenario library (C4)
// ---------------------------------------------------------------------------

fn managed<T>(file: &str, entries: Vec<T>) -> ManagedList<T> {
    ManagedList {
        file: file.into(),
        hash: "ab".repeat(32),
        entries,
    }
}

/// The first failed rule of a project.
fn first_failed(ev: &Evaluation, clause: Clause, name: &str) -> RuleCheck {
    result(ev, clause, name)
        .eligibility
        .iter()
        .find(|c| !c.pass)
        .cloned()
        .unwrap_or_else(|| panic!("a failed rule: {ev:#?}"))
}

#[test]
fn c3_an_imported_platform_list_replaces_the_guides() {
    // the guide's list does not name 某商业云平台; the imported one does
    let mut case = Case::new("企业")
        .with(c3("模型训练", "某商业云平台", "5000000", "20000000", 50))
        .with(c3("推理服务", PLATFORM, "5000000", "20000000", 50));
    case.lists.platforms = Some(managed(
        "认定平台.xlsx",
        vec![PlatformEntry {
            name: "某商业云平台".into(),
            number: Some("渝中数发〔2026〕1号".into()),
            ..PlatformEntry::default()
        }],
    ));
    // the same project scores 100 → 1,000,000; the guide's platform, not on
    // the imported list, is refused
    let ev = check(
        &case,
        &[
            ok(Clause::C3, "模型训练", Some("100"), "1000000"),
            refused(Clause::C3, "推理服务"),
        ],
        Some("1000000"),
    );
    let r = first_failed(&ev, Clause::C3, "推理服务");
    assert!(
        r.rule.contains("认定平台.xlsx sha256:abababababab"),
        "{r:#?}"
    );
}

#[test]
fn c4_library_required_reads_the_imported_library() {
    // full score 100 → 500,000 when the project is in the library (names
    // folded: a full-width space and letters match)
    let mut case = Case::new("企业")
        .with(c4("智慧医疗", "大健康", Some("10000000")))
        .c4_scores("智慧医疗", "40", "30")
        .with(c4("智慧物流", "大健康", Some("10000000")))
        .c4_scores("智慧物流", "40", "30");
    if let Some(c4) = case.guide.clauses.get_mut(&Clause::C4) {
        c4.library_required = true;
    }
    case.lists.aiplus = Some(managed(
        "场景库.xlsx",
        vec![LibraryEntry {
            project: " 智慧医疗 ".into(),
            owner: "重庆测试科技有限公司".into(),
        }],
    ));
    let ev = check(
        &case,
        &[
            ok(Clause::C4, "智慧医疗", Some("100"), "500000"),
            refused(Clause::C4, "智慧物流"),
        ],
        Some("500000"),
    );
    let r = rule(&ev, Clause::C4, "智慧物流", "ai_library");
    assert!(
        !r.pass && r.reason.contains("不在场景库（场景库.xlsx"),
        "{r:#?}"
    );
}

#[test]
fn c3_a_platform_whose_certification_lapsed_before_the_usage_period_fails() {
    // the 2026 round's data year is 2025: a certification that ended on
    // 2024-12-31 had lapsed before the platform was used
    let platform = |until: &str| PlatformEntry {
        name: "某商业云平台".into(),
        until: Some(until.into()),
        ..PlatformEntry::default()
    };
    let mut case =
        Case::new("企业").with(c3("模型训练", "某商业云平台", "5000000", "20000000", 50));
    case.lists.platforms = Some(managed("认定平台.xlsx", vec![platform("2024-12-31")]));
    let ev = check(&case, &[refused(Clause::C3, "模型训练")], Some("0"));
    let r = first_failed(&ev, Clause::C3, "模型训练");
    assert!(
        r.reason.contains("有效期至2024年12月31日") && r.reason.contains("已失效"),
        "{r:#?}"
    );
    assert!(r.reason_en.contains("lapsed"), "{r:#?}");
    // valid into the data year: supported
    case.lists.platforms = Some(managed("认定平台.xlsx", vec![platform("2025-01-01")]));
    check(
        &case,
        &[ok(Clause::C3, "模型训练", Some("100"), "1000000")],
        Some("1000000"),
    );
}

/// The evaluation's flags with `code`.
fn flags_of<'a>(
    ev: &'a Evaluation,
    code: &str,
) -> Vec<&'a reviewdesk_engine::rules::evaluate::Flag> {
    ev.flags.iter().filter(|f| f.code == code).collect()
}

#[test]
fn other_policy_ledger_support_not_declared_is_flagged_and_the_award_unchanged() {
    // declared: 渝中区软件和信息服务业政策 2025 200,000 → 500,000 − 200,000 =
    // 300,000. The imported ledger has that row (declared: no flag), the same
    // policy in 2024 (not declared: flagged), and another applicant's row.
    let mut case = Case::new("企业")
        .with(c2a("攻关一", "国家级", "5000000", date(2025, 6, 1)))
        .other_of("攻关一", "200000", 2025);
    let row = |code: &str, year: i32, wan: &str, row: u32| OtherPolicyEntry {
        credit_code: code.into(),
        project: "攻关一".into(),
        policy: "渝中区软件和信息服务业政策".into(),
        amount_wan: d(wan),
        year,
        row,
    };
    case.lists.other_policy = Some(managed(
        "软信台账.xlsx",
        vec![
            row("91500103MA5U000000", 2025, "20", 2),
            row("91500103MA5U000000", 2024, "30", 3),
            row("91500000MA5U0000XN", 2024, "30", 4),
        ],
    ));
    let ev = check(
        &case,
        &[ok(Clause::C2a, "攻关一", None, "300000")],
        Some("300000"),
    );
    let flags = flags_of(&ev, "undeclared_other_support");
    assert_eq!(flags.len(), 1, "{:#?}", ev.flags);
    assert!(
        flags[0].message.contains("第 3 行")
            && flags[0].message.contains("2024年度")
            && flags[0].message.contains("300,000.00"),
        "{:#?}",
        flags[0]
    );
    assert!(
        flags[0].message_en.contains("not declared"),
        "{:#?}",
        flags[0]
    );
}
