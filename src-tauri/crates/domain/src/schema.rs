//! The application workbook's contract (spec/submission-workbook.md) as
//! static data: which sheets exist, which labels and column headers each
//! holds, their kinds, units, required flags and choice lists.
//!
//! The extractor reads workbooks against this data and the template writer
//! generates the blank workbook from the same data (`template_sheets()`), so
//! the two cannot drift apart.

use serde::{Deserialize, Serialize};

/// The policy clauses a project can be declared under. Serialised as
/// "C1", "C2a", "C2b", "C3", "C4".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Clause {
    /// 算力供给: computing-power supply.
    C1,
    /// 技术攻关: research tasks (funding received).
    C2a,
    /// 国产化算力: domestic computing honours and pilots.
    C2b,
    /// 算力消纳: computing-power consumption.
    C3,
    /// AI+应用: AI application scenarios.
    C4,
}

impl Clause {
    /// Every clause, in workbook order.
    pub const ALL: [Clause; 5] = [Clause::C1, Clause::C2a, Clause::C2b, Clause::C3, Clause::C4];

    /// The stable id: "C1", "C2a", "C2b", "C3", "C4".
    pub fn as_str(self) -> &'static str {
        match self {
            Clause::C1 => "C1",
            Clause::C2a => "C2a",
            Clause::C2b => "C2b",
            Clause::C3 => "C3",
            Clause::C4 => "C4",
        }
    }

    /// The clause's sheet name in the workbook, e.g. "C2-技术攻关".
    pub fn sheet_name(self) -> &'static str {
        match self {
            Clause::C1 => "C1-算力供给",
            Clause::C2a => "C2-技术攻关",
            Clause::C2b => "C2-国产化算力",
            Clause::C3 => "C3-算力消纳",
            Clause::C4 => "C4-AI+应用",
        }
    }

    /// Parse the stable id.
    pub fn from_id(id: &str) -> Option<Clause> {
        Clause::ALL.into_iter().find(|c| c.as_str() == id)
    }
}

impl std::fmt::Display for Clause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A four-digit year.
    Year,
    /// Free text, at most `max` characters.
    Text { max: usize },
    /// A unified social credit code (GB 32100-2015).
    Uscc,
    /// One of a fixed list.
    Choice(&'static [&'static str]),
    /// A date.
    Date,
    /// A mobile or landline number.
    Phone,
    /// An e-mail address.
    Email,
    /// 是/否.
    YesNo,
    /// Money, written in 万元, stored as exact yuan.
    MoneyWan,
    /// A whole number ≥ 0 (people, firms).
    Integer,
    /// A decimal quantity ≥ 0 that is not money (PFLOPS, 卡时).
    Number,
    /// A bank account number (8–30 digits).
    BankAccount,
}

/// One label of the applicant form or one column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// The key: the label without `*`, colon or bracketed unit, e.g.
    /// "上年度营业收入". Used as the field key everywhere downstream.
    pub key: &'static str,
    /// English name for the English interface.
    pub en: &'static str,
    /// The unit shown in brackets after the label ("万元", "人", "PFLOPS").
    pub unit: Option<&'static str>,
    pub kind: Kind,
    pub required: bool,
    /// A short filling hint for the template (comment or instructions).
    pub hint: &'static str,
}

impl FieldDef {
    /// The label as the applicant form shows it: "上年度营业收入（万元）*".
    pub fn form_label(&self) -> String {
        let mut s = self.key.to_string();
        if let Some(u) = self.unit {
            s.push_str(&format!("（{u}）"));
        }
        if self.required {
            s.push('*');
        }
        s
    }

    /// The column header as the tables show it: "项目总投资（万元） *".
    pub fn column_header(&self) -> String {
        let mut s = self.key.to_string();
        if let Some(u) = self.unit {
            s.push_str(&format!("（{u}）"));
        }
        if self.required {
            s.push_str(" *");
        }
        s
    }

    /// The choice list, when the kind is a choice.
    pub fn choices(&self) -> Option<&'static [&'static str]> {
        match self.kind {
            Kind::Choice(c) => Some(c),
            _ => None,
        }
    }
}

/// How a sheet is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Label in column A, value in column B, one row per field.
    Form,
    /// A header row, then one row per item.
    Table,
}

/// What a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetRole {
    /// 申报单位: the applicant.
    Applicant,
    /// A clause table: one project per row.
    Clause(Clause),
    /// 其他政策支持: other district support the projects received.
    OtherSupport,
}

/// One sheet of the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetDef {
    /// The sheet name in the template (and as matched in files).
    pub name: &'static str,
    pub en: &'static str,
    pub role: SheetRole,
    pub layout: Layout,
    /// A workbook without this sheet is an error.
    pub required: bool,
    pub fields: &'static [FieldDef],
}

impl SheetDef {
    /// The field with this key.
    pub fn field(&self, key: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// Field keys other parts of the engine refer to by name.
pub mod keys {
    pub const YEAR: &str = "申报年度";
    pub const APPLICANT_NAME: &str = "单位名称";
    pub const CREDIT_CODE: &str = "统一社会信用代码";
    pub const ORG_TYPE: &str = "单位类型";
    pub const DISTRICT: &str = "注册区县";
    pub const REVENUE: &str = "上年度营业收入";
    pub const TAX: &str = "上年度纳税总额";
    pub const EMPLOYEES: &str = "上年末从业人员";
    pub const PLEDGE: &str = "信用承诺";
    pub const NO_DISHONESTY: &str = "近三年无严重失信记录";
    pub const PROJECT_NAME: &str = "项目名称";
    pub const PROJECT_SUMMARY: &str = "项目简介";
    pub const POLICY_NAME: &str = "政策名称";
    pub const SUPPORT_AMOUNT: &str = "支持金额";
    pub const SUPPORT_YEAR: &str = "年度";
}

/// The district's value for 注册区县 that eligibility needs.
pub const YUZHONG: &str = "渝中区";

/// 单位类型 choices.
pub const ORG_TYPES: &[&str] = &[
    "企业",
    "高校",
    "科研机构",
    "政府机关",
    "事业单位",
    "国有企业",
    "其他市场主体",
];
/// C1 项目类型.
pub const C1_PROJECT_TYPES: &[&str] = &["先进算力基础设施", "算力调度平台", "算力运营平台"];
/// C2a 任务级别.
pub const C2A_LEVELS: &[&str] = &["国家级", "市级", "区级", "其他"];
/// C2b 级别.
pub const C2B_LEVELS: &[&str] = &["国家级", "省部级", "市级", "其他"];
/// C3 算力类型.
pub const C3_COMPUTE_TYPES: &[&str] = &["智算", "超算"];
/// C3 用途.
pub const C3_USES: &[&str] = &["人工智能研发", "大数据分析", "大模型开发"];
/// C4 所属领域: the district's "4311" industry groups (guide 2026).
pub const C4_DOMAINS: &[&str] = &[
    "金融服务",
    "科技创新服务",
    "专业服务",
    "现代物流",
    "商贸消费",
    "文化旅游",
    "大健康",
    "现代建筑业",
    "数字经济",
    "人工智能",
    "算力",
];

const NAME_MAX: usize = 100;
const SHORT_MAX: usize = 50;
const ADDRESS_MAX: usize = 200;
const LONG_MAX: usize = 2000;

const fn f(
    key: &'static str,
    en: &'static str,
    unit: Option<&'static str>,
    kind: Kind,
    required: bool,
    hint: &'static str,
) -> FieldDef {
    FieldDef {
        key,
        en,
        unit,
        kind,
        required,
        hint,
    }
}

const WAN: Option<&str> = Some("万元");
const PEOPLE: Option<&str> = Some("人");

/// 申报单位: the applicant form.
#[rustfmt::skip]
pub const APPLICANT_FIELDS: &[FieldDef] = &[
    f(keys::YEAR, "Application year", None, Kind::Year, true, "本轮申报年度，如 2026"),
    f(keys::APPLICANT_NAME, "Applicant name", None, Kind::Text { max: NAME_MAX }, true, "与营业执照一致"),
    f(keys::CREDIT_CODE, "Unified social credit code", None, Kind::Uscc, true, "18 位，请以文本格式填写"),
    f(keys::ORG_TYPE, "Organisation type", None, Kind::Choice(ORG_TYPES), true, "从下拉列表选择"),
    f("注册地址", "Registered address", None, Kind::Text { max: ADDRESS_MAX }, true, ""),
    f(keys::DISTRICT, "Registered district", None, Kind::Text { max: SHORT_MAX }, true, "如 渝中区"),
    f("成立日期", "Date of establishment", None, Kind::Date, false, "如 2018-05-20"),
    f("法定代表人", "Legal representative", None, Kind::Text { max: SHORT_MAX }, false, ""),
    f("联系人", "Contact person", None, Kind::Text { max: SHORT_MAX }, true, ""),
    f("联系电话", "Contact phone", None, Kind::Phone, true, "手机号或 023-xxxxxxxx"),
    f("电子邮箱", "E-mail", None, Kind::Email, false, ""),
    f("是否总部企业", "Headquarters enterprise", None, Kind::YesNo, false, "是/否"),
    f(keys::REVENUE, "Revenue last year", WAN, Kind::MoneyWan, true, "单位万元，最多 6 位小数"),
    f(keys::TAX, "Tax paid last year", WAN, Kind::MoneyWan, false, "单位万元，最多 6 位小数"),
    f(keys::EMPLOYEES, "Employees at last year end", PEOPLE, Kind::Integer, true, "整数"),
    f("开户银行", "Bank", None, Kind::Text { max: NAME_MAX }, false, ""),
    f("银行账号", "Bank account", None, Kind::BankAccount, false, "8–30 位数字，请以文本格式填写"),
    f(keys::PLEDGE, "Credit pledge (figures are true)", None, Kind::YesNo, true, "是/否：承诺所填数据真实"),
    f(keys::NO_DISHONESTY, "No serious dishonesty record in 3 years", None, Kind::YesNo, true, "是/否"),
];

#[rustfmt::skip]
const PROJECT_NAME: FieldDef = f(keys::PROJECT_NAME, "Project name", None, Kind::Text { max: NAME_MAX }, true, "");
#[rustfmt::skip]
const PROJECT_SUMMARY: FieldDef = f(keys::PROJECT_SUMMARY, "Project summary", None, Kind::Text { max: LONG_MAX }, false, "");

/// C1-算力供给.
#[rustfmt::skip]
pub const C1_FIELDS: &[FieldDef] = &[
    PROJECT_NAME,
    f("项目类型", "Project type", None, Kind::Choice(C1_PROJECT_TYPES), true, "从下拉列表选择"),
    f("建设地址", "Site address", None, Kind::Text { max: ADDRESS_MAX }, true, ""),
    f("项目总投资", "Total investment", WAN, Kind::MoneyWan, true, ""),
    f("新增就业", "New jobs", PEOPLE, Kind::Integer, true, ""),
    f("项目营业收入", "Project revenue", WAN, Kind::MoneyWan, true, ""),
    f("服务企业数", "Firms served", Some("家"), Kind::Integer, true, ""),
    f("算力规模", "Computing capacity", Some("PFLOPS"), Kind::Number, true, ""),
    f("投运日期", "Operation start date", None, Kind::Date, false, ""),
    f("是否自主投资", "Self-invested", None, Kind::YesNo, true, "是/否：项目由申报单位自主投资建设"),
    PROJECT_SUMMARY,
];

/// C2-技术攻关.
#[rustfmt::skip]
pub const C2A_FIELDS: &[FieldDef] = &[
    PROJECT_NAME,
    f("任务级别", "Task level", None, Kind::Choice(C2A_LEVELS), true, "从下拉列表选择"),
    f("立项文号", "Approval document number", None, Kind::Text { max: NAME_MAX }, true, ""),
    f("资助到账金额", "Funding received", WAN, Kind::MoneyWan, true, ""),
    f("到账日期", "Date received", None, Kind::Date, true, ""),
    PROJECT_SUMMARY,
];

/// C2-国产化算力.
#[rustfmt::skip]
pub const C2B_FIELDS: &[FieldDef] = &[
    PROJECT_NAME,
    f("荣誉或试点名称", "Honour or pilot", None, Kind::Text { max: NAME_MAX }, true, ""),
    f("级别", "Level", None, Kind::Choice(C2B_LEVELS), true, "从下拉列表选择"),
    f("认定文号", "Recognition document number", None, Kind::Text { max: NAME_MAX }, true, ""),
    f("国产化认证", "Domestic certification", None, Kind::Text { max: NAME_MAX }, false, ""),
    PROJECT_SUMMARY,
];

/// C3-算力消纳.
#[rustfmt::skip]
pub const C3_FIELDS: &[FieldDef] = &[
    PROJECT_NAME,
    f("算力服务平台", "Computing service platform", None, Kind::Text { max: NAME_MAX }, true, ""),
    f("算力类型", "Computing type", None, Kind::Choice(C3_COMPUTE_TYPES), true, "从下拉列表选择"),
    f("用途", "Use", None, Kind::Choice(C3_USES), true, "从下拉列表选择"),
    f("算力费用", "Computing cost", WAN, Kind::MoneyWan, true, ""),
    f("使用量", "Usage", Some("卡时"), Kind::Number, false, ""),
    f("项目总投资", "Total investment", WAN, Kind::MoneyWan, false, ""),
    f("新增就业", "New jobs", PEOPLE, Kind::Integer, false, ""),
    PROJECT_SUMMARY,
];

/// C4-AI+应用.
#[rustfmt::skip]
pub const C4_FIELDS: &[FieldDef] = &[
    PROJECT_NAME,
    f("应用场景名称", "Application scenario", None, Kind::Text { max: NAME_MAX }, true, ""),
    f("所属领域", "Industry group", None, Kind::Choice(C4_DOMAINS), true, "从下拉列表选择"),
    f("场景投资", "Scenario investment", WAN, Kind::MoneyWan, false, ""),
    f("引领作用说明", "Leading role", None, Kind::Text { max: LONG_MAX }, true, ""),
    PROJECT_SUMMARY,
];

/// 其他政策支持.
#[rustfmt::skip]
pub const OTHER_SUPPORT_FIELDS: &[FieldDef] = &[
    PROJECT_NAME,
    f(keys::POLICY_NAME, "Policy", None, Kind::Text { max: NAME_MAX }, true, ""),
    f(keys::SUPPORT_AMOUNT, "Support amount", WAN, Kind::MoneyWan, true, ""),
    f(keys::SUPPORT_YEAR, "Year", None, Kind::Year, true, "如 2025"),
];

const fn table(
    name: &'static str,
    en: &'static str,
    role: SheetRole,
    fields: &'static [FieldDef],
) -> SheetDef {
    SheetDef {
        name,
        en,
        role,
        layout: Layout::Table,
        required: false,
        fields,
    }
}

static SHEETS: [SheetDef; 7] = [
    SheetDef {
        name: "申报单位",
        en: "Applicant",
        role: SheetRole::Applicant,
        layout: Layout::Form,
        required: true,
        fields: APPLICANT_FIELDS,
    },
    table(
        "C1-算力供给",
        "C1 Computing supply",
        SheetRole::Clause(Clause::C1),
        C1_FIELDS,
    ),
    table(
        "C2-技术攻关",
        "C2 Research tasks",
        SheetRole::Clause(Clause::C2a),
        C2A_FIELDS,
    ),
    table(
        "C2-国产化算力",
        "C2 Domestic computing",
        SheetRole::Clause(Clause::C2b),
        C2B_FIELDS,
    ),
    table(
        "C3-算力消纳",
        "C3 Computing consumption",
        SheetRole::Clause(Clause::C3),
        C3_FIELDS,
    ),
    table(
        "C4-AI+应用",
        "C4 AI+ applications",
        SheetRole::Clause(Clause::C4),
        C4_FIELDS,
    ),
    table(
        "其他政策支持",
        "Other support",
        SheetRole::OtherSupport,
        OTHER_SUPPORT_FIELDS,
    ),
];

/// Every sheet of the workbook in template order: 申报单位, the five clause
/// tables, 其他政策支持. The template writer generates the blank workbook
/// from this; the extractor reads against it.
pub fn template_sheets() -> &'static [SheetDef] {
    &SHEETS
}

/// The applicant form (申报单位).
pub fn applicant_sheet() -> &'static SheetDef {
    &SHEETS[0]
}

/// The table of a clause.
pub fn clause_sheet(clause: Clause) -> &'static SheetDef {
    match clause {
        Clause::C1 => &SHEETS[1],
        Clause::C2a => &SHEETS[2],
        Clause::C2b => &SHEETS[3],
        Clause::C3 => &SHEETS[4],
        Clause::C4 => &SHEETS[5],
    }
}

/// The other-support table (其他政策支持).
pub fn other_support_sheet() -> &'static SheetDef {
    &SHEETS[6]
}

/// The sheet definition with this template name.
pub fn sheet_by_name(name: &str) -> Option<&'static SheetDef> {
    SHEETS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn sheets_are_consistent() {
        assert_eq!(template_sheets().len(), 7);
        assert_eq!(applicant_sheet().role, SheetRole::Applicant);
        assert_eq!(other_support_sheet().role, SheetRole::OtherSupport);
        for c in Clause::ALL {
            let s = clause_sheet(c);
            assert_eq!(s.role, SheetRole::Clause(c));
            assert_eq!(s.name, c.sheet_name());
            assert_eq!(sheet_by_name(c.sheet_name()), Some(s));
            assert_eq!(s.fields[0].key, keys::PROJECT_NAME);
            assert!(s.fields[0].required);
            assert!(s.field(keys::PROJECT_SUMMARY).is_some());
            assert_eq!(Clause::from_id(c.as_str()), Some(c));
        }
        for s in template_sheets() {
            let keys: HashSet<_> = s.fields.iter().map(|f| f.key).collect();
            assert_eq!(keys.len(), s.fields.len(), "duplicate key in {}", s.name);
        }
    }

    #[test]
    fn labels_render_as_in_the_spec() {
        let a = applicant_sheet();
        let labels: Vec<String> = a.fields.iter().map(|f| f.form_label()).collect();
        assert_eq!(labels[0], "申报年度*");
        assert_eq!(
            a.field(keys::REVENUE).unwrap().form_label(),
            "上年度营业收入（万元）*"
        );
        assert_eq!(
            a.field(keys::EMPLOYEES).unwrap().form_label(),
            "上年末从业人员（人）*"
        );
        assert_eq!(a.field("成立日期").unwrap().form_label(), "成立日期");
        assert_eq!(a.fields.last().unwrap().key, "近三年无严重失信记录");
        assert_eq!(a.fields.len(), 19);
        let c1 = clause_sheet(Clause::C1);
        assert_eq!(
            c1.field("算力规模").unwrap().column_header(),
            "算力规模（PFLOPS） *"
        );
        assert_eq!(c1.field("投运日期").unwrap().column_header(), "投运日期");
    }

    #[test]
    fn choice_lists_match_the_spec() {
        assert_eq!(
            clause_sheet(Clause::C4)
                .field("所属领域")
                .unwrap()
                .choices()
                .unwrap()
                .len(),
            11
        );
        assert_eq!(
            clause_sheet(Clause::C2a)
                .field("任务级别")
                .unwrap()
                .choices(),
            Some(C2A_LEVELS)
        );
        assert_eq!(
            applicant_sheet()
                .field(keys::ORG_TYPE)
                .unwrap()
                .choices()
                .unwrap()
                .len(),
            7
        );
    }

    #[test]
    fn clause_serialises_as_its_id() {
        assert_eq!(serde_json::to_string(&Clause::C2a).unwrap(), "\"C2a\"");
        assert_eq!(
            serde_json::from_str::<Clause>("\"C2b\"").unwrap(),
            Clause::C2b
        );
        assert_eq!(Clause::C4.sheet_name(), "C4-AI+应用");
        assert_eq!(Clause::C3.to_string(), "C3");
    }
}
