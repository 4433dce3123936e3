//! The round's blank application workbook (申报表), generated from the
//! workbook contract in [`schema`](reviewdesk_domain::schema) so the template and the
//! importer cannot drift apart.
//!
//! Sheets: 填表说明 (instructions), 申报单位 (label/value form), one table per
//! clause and 其他政策支持. Every choice field has a dropdown, every field an
//! input hint; codes, account and document numbers are text cells ("@") so
//! Excel cannot turn them into numbers; header rows are frozen.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

use reviewdesk_domain::schema::{self, keys, FieldDef, Kind, Layout, SheetDef};
use reviewdesk_domain::DomainError;

/// Name of the instructions sheet (ignored by the importer).
pub const INSTRUCTIONS_SHEET: &str = "填表说明";

/// Table rows prepared with formats and validations below the header.
pub const TABLE_ROWS: u32 = 500;

/// Excel's limits for a data validation's input title and message.
const INPUT_TITLE_MAX: usize = 32;
const INPUT_MESSAGE_MAX: usize = 255;

/// The round's blank workbook as `.xlsx` bytes.
pub fn write_template(year: i32) -> Result<Vec<u8>, DomainError> {
    let mut wb = template_workbook(year)?;
    wb.save_to_buffer().map_err(xlsx_err)
}

/// The round's blank workbook, not yet saved: callers (tests, the import
/// benchmark) may write values into it before `save_to_buffer()`.
pub fn template_workbook(year: i32) -> Result<Workbook, DomainError> {
    build(year).map_err(xlsx_err)
}

/// The 0-based row of an applicant-form field's input cell (column B) in
/// the template; tables put field *i* of the schema in column *i* under a
/// header in row 0.
pub fn form_row(key: &str) -> Option<u32> {
    schema::applicant_sheet()
        .fields
        .iter()
        .position(|f| f.key == key)
        .map(|i| i as u32 + 1)
}

fn xlsx_err(e: XlsxError) -> DomainError {
    DomainError::Invalid(format!(
        "无法生成申报表模板：{e} / Cannot write the workbook template: {e}"
    ))
}

/// Display width of a label in Excel column units: CJK and full-width
/// characters take two.
fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 })
        .sum()
}

/// Whether a field's cells must be text ("@") so Excel keeps them as typed:
/// credit codes (18 chars, often all digits but the last), bank accounts,
/// phone numbers (leading 0 of 023), document numbers and all other text.
fn is_text_cell(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Text { .. } | Kind::Uscc | Kind::BankAccount | Kind::Phone | Kind::Email
    )
}

/// A field's kind described for the applicant, in Chinese.
fn kind_hint(f: &FieldDef) -> String {
    let base = match f.kind {
        Kind::Year => "四位年份，如 2026".to_string(),
        Kind::Text { max } => format!("文本，不超过 {max} 字"),
        Kind::Uscc => "18 位统一社会信用代码（文本格式，勿转成数字）".to_string(),
        Kind::Choice(c) => format!("从下拉列表选择：{}", c.join("、")),
        Kind::Date => "日期，如 2025-03-01".to_string(),
        Kind::Phone => "手机号（11 位）或固定电话 023-xxxxxxxx".to_string(),
        Kind::Email => "电子邮箱".to_string(),
        Kind::YesNo => "从下拉列表选择：是 / 否".to_string(),
        Kind::MoneyWan => "金额，单位万元，≥ 0，最多 6 位小数".to_string(),
        Kind::Integer => "整数，≥ 0".to_string(),
        Kind::Number => "数值，≥ 0".to_string(),
        Kind::BankAccount => "8–30 位数字（文本格式）".to_string(),
    };
    let mut s = String::new();
    if f.required {
        s.push_str("必填。");
    }
    s.push_str(&base);
    if !f.hint.is_empty() && !base.contains(f.hint) && !f.hint.starts_with("从下拉列表选择")
    {
        s.push('；');
        s.push_str(f.hint);
    }
    s
}

/// Truncate to at most `max` UTF-16 units (Excel's limits count those).
fn clip(s: &str, max: usize) -> String {
    let mut n = 0;
    let mut out = String::new();
    for c in s.chars() {
        n += c.len_utf16();
        if n > max {
            break;
        }
        out.push(c);
    }
    out
}

/// The data validation of one field: a dropdown for choices, a range check
/// for numbers (a warning, so "120万元" can still be typed: the importer
/// understands it), an input hint for everything.
fn validation(f: &FieldDef, label: &str) -> Result<DataValidation, XlsxError> {
    let dv = match f.kind {
        Kind::Choice(c) => DataValidation::new()
            .allow_list_strings(c)?
            .set_error_title("请从下拉列表选择")?
            .set_error_message(clip(
                &format!("「{}」只能填写：{}", f.key, c.join("、")),
                INPUT_MESSAGE_MAX,
            ))?,
        Kind::YesNo => DataValidation::new()
            .allow_list_strings(&["是", "否"])?
            .set_error_title("请从下拉列表选择")?
            .set_error_message(format!("「{}」只能填写：是 / 否", f.key))?,
        Kind::MoneyWan | Kind::Number => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("请填写不小于 0 的数值")?
            .set_error_message(clip(
                &format!("「{label}」应为不小于 0 的数值。"),
                INPUT_MESSAGE_MAX,
            ))?,
        Kind::Integer => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("请填写不小于 0 的整数")?
            .set_error_message(clip(
                &format!("「{label}」应为不小于 0 的整数。"),
                INPUT_MESSAGE_MAX,
            ))?,
        Kind::Uscc => DataValidation::new()
            .allow_text_length(DataValidationRule::EqualTo(18))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("统一社会信用代码应为 18 位")?
            .set_error_message("统一社会信用代码应为 18 位字母或数字，请核对营业执照。")?,
        _ => DataValidation::new().allow_any_value(),
    };
    dv.set_input_title(clip(label, INPUT_TITLE_MAX))?
        .set_input_message(clip(&kind_hint(f), INPUT_MESSAGE_MAX))
}

struct Formats {
    header: Format,
    header_required: Format,
    label: Format,
    label_required: Format,
    hint: Format,
    title: Format,
    body: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_background_color(Color::RGB(0xDDEBF7));
        let label = Format::new()
            .set_bold()
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_background_color(Color::RGB(0xF2F2F2));
        Formats {
            header_required: header.clone().set_font_color(Color::RGB(0xC00000)),
            header,
            label_required: label.clone().set_font_color(Color::RGB(0xC00000)),
            label,
            hint: Format::new()
                .set_font_color(Color::RGB(0x7F7F7F))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            title: Format::new().set_bold().set_font_size(14),
            body: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// The input cell format of a field.
fn input_format(kind: Kind) -> Format {
    let f = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_unlocked();
    if is_text_cell(kind) {
        f.set_num_format("@")
    } else if kind == Kind::Date {
        f.set_num_format("yyyy-mm-dd")
    } else {
        f
    }
}

fn build(year: i32) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let fm = Formats::new();
    instructions(wb.add_worksheet(), year, &fm)?;
    for def in schema::template_sheets() {
        let ws = wb.add_worksheet();
        ws.set_name(def.name)?;
        match def.layout {
            Layout::Form => form_sheet(ws, def, year, &fm)?,
            Layout::Table => table_sheet(ws, def, &fm)?,
        }
    }
    Ok(wb)
}

fn instructions(ws: &mut Worksheet, year: i32, fm: &Formats) -> Result<(), XlsxError> {
    ws.set_name(INSTRUCTIONS_SHEET)?;
    ws.set_column_width(0, 110)?;
    ws.write_string_with_format(
        0,
        0,
        format!("{year} 年度渝中区算力产业政策申报表 · 填表说明"),
        &fm.title,
    )?;
    let clauses: Vec<String> = schema::Clause::ALL
        .iter()
        .map(|c| format!("「{}」", c.sheet_name()))
        .collect();
    let lines = [
        "一、填写内容".to_string(),
        format!("1. 「申报单位」：填写申报单位基本信息，A 列为项目名称，请在 B 列填写；「{}」已预填为 {year}，请勿修改。", keys::YEAR),
        format!("2. {}：按申报的政策条款，每个项目填一行；未申报的条款请保持空白，不要删除工作表。", clauses.join("、")),
        "3. 「其他政策支持」：填写上述项目已获得或已批准的渝中区其他政策支持（不含国家级、市级资金），没有则留空。".to_string(),
        "二、填写规则".to_string(),
        "1. 标有 * 的为必填项（表头为红色），缺少必填项的申报表将退回补正。".to_string(),
        "2. 金额单位均为万元，可填写最多 6 位小数（如 120.35 万元）；请勿填写“元”为单位的数字。".to_string(),
        "3. 统一社会信用代码（18 位）、银行账号、立项文号、认定文号等单元格已设为文本格式，请直接输入或粘贴为文本，切勿转换为数字（否则会变成 9.15E+17 之类的科学计数法）。".to_string(),
        "4. 日期请填写为 2025-03-01 格式（也可填写 2025年3月1日）。".to_string(),
        "5. 有下拉箭头的单元格请从下拉列表中选择；选中单元格时会显示填写提示。".to_string(),
        "6. 请勿修改工作表名称和表头文字；可以插入行，列的顺序可以调整。".to_string(),
        "三、提交".to_string(),
        "1. 一个申报单位填写一个工作簿，可包含多个项目；请保存为 .xlsx 格式提交。".to_string(),
        "2. 所填数据须真实准确，并在「申报单位」中作出信用承诺。".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 2, 0, line, &fm.body)?;
    }
    ws.set_active(true);
    Ok(())
}

fn form_sheet(
    ws: &mut Worksheet,
    def: &SheetDef,
    year: i32,
    fm: &Formats,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "填报项目", &fm.header)?;
    ws.write_string_with_format(0, 1, "填写内容", &fm.header)?;
    ws.write_string_with_format(0, 2, "填写说明", &fm.header)?;
    let mut label_width: f64 = display_width("填报项目");
    for (i, f) in def.fields.iter().enumerate() {
        let row = i as u32 + 1;
        let label = f.form_label();
        label_width = label_width.max(display_width(&label));
        let lf = if f.required {
            &fm.label_required
        } else {
            &fm.label
        };
        ws.write_string_with_format(row, 0, &label, lf)?;
        let input = input_format(f.kind);
        if f.key == keys::YEAR {
            ws.write_number_with_format(row, 1, year, &input)?;
        } else {
            ws.write_blank(row, 1, &input)?;
        }
        ws.write_string_with_format(row, 2, kind_hint(f), &fm.hint)?;
        ws.add_data_validation(row, 1, row, 1, &validation(f, &label)?)?;
        ws.set_row_height(row, 20)?;
    }
    ws.set_column_width(0, label_width + 4.0)?;
    ws.set_column_width(1, 44)?;
    ws.set_column_width(2, 60)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn table_sheet(ws: &mut Worksheet, def: &SheetDef, fm: &Formats) -> Result<(), XlsxError> {
    for (i, f) in def.fields.iter().enumerate() {
        let col = i as u16;
        let header = f.column_header();
        let hf = if f.required {
            &fm.header_required
        } else {
            &fm.header
        };
        ws.write_string_with_format(0, col, &header, hf)?;
        let width = match f.kind {
            Kind::Text { max } if max > 200 => 40.0,
            Kind::Text { .. } | Kind::Uscc => display_width(&header).max(24.0),
            _ => display_width(&header).max(12.0),
        };
        ws.set_column_width(col, width + 2.0)?;
        // The whole column: rows inserted later keep the format.
        ws.set_column_format(col, &input_format(f.kind))?;
        ws.add_data_validation(1, col, TABLE_ROWS, col, &validation(f, &header)?)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;
    use crate::grid::CellValue;
    use crate::reader::read_bytes;
    use reviewdesk_domain::schema::{Clause, SheetRole};

    fn valid_code() -> String {
        let body = "91500103MA5U7K2P3";
        format!(
            "{body}{}",
            reviewdesk_domain::uscc::check_char(body).unwrap()
        )
    }

    #[test]
    fn blank_template_reads_back_with_every_sheet_and_label() {
        let bytes = write_template(2026).unwrap();
        let grid = read_bytes(&bytes).unwrap();
        let names: Vec<&str> = grid.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names[0], INSTRUCTIONS_SHEET);
        for def in schema::template_sheets() {
            assert!(names.contains(&def.name), "missing sheet {}", def.name);
        }
        // Every label and header of the contract is in the file.
        for def in schema::template_sheets() {
            let sheet = grid.sheets.iter().find(|s| s.name == def.name).unwrap();
            let texts: Vec<&str> = sheet
                .cells
                .iter()
                .filter_map(|c| match &c.value {
                    CellValue::Text(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect();
            for f in def.fields {
                let want = match def.layout {
                    Layout::Form => f.form_label(),
                    Layout::Table => f.column_header(),
                };
                assert!(texts.contains(&want.as_str()), "{}: {want}", def.name);
            }
        }
        let ex = extract(&grid, &[2026]);
        assert_eq!(ex.year, Some(2026));
        // Only the applicant's missing required values; no sheet or header
        // or label not found.
        let required_empty: Vec<&str> = schema::applicant_sheet()
            .fields
            .iter()
            .filter(|f| f.required && f.key != keys::YEAR)
            .map(|f| f.key)
            .collect();
        // A blank workbook declares no project: one workbook-level warning.
        let warnings: Vec<_> = ex.warnings().collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].sheet, None);
        assert!(warnings[0].message.contains("未填写项目"), "{warnings:?}");
        for i in ex.errors() {
            assert_eq!(i.sheet.as_deref(), Some("申报单位"), "{i:?}");
            assert!(!i.message.contains("找不到"), "{i:?}");
            assert!(
                required_empty.contains(&i.field.as_deref().unwrap_or("")),
                "{i:?}"
            );
        }
        assert_eq!(
            ex.errors().count(),
            required_empty.len(),
            "{:#?}",
            ex.issues
        );
        assert!(ex.projects.is_empty());
    }

    /// Fill every field of the template (one project per clause, one other
    /// support row) with valid values.
    fn fill(wb: &mut Workbook) {
        let code = valid_code();
        let ws = wb.worksheet_from_name("申报单位").unwrap();
        let values: &[(&str, &str)] = &[
            (keys::APPLICANT_NAME, "重庆渝中算力科技有限公司"),
            (keys::CREDIT_CODE, &code),
            (keys::ORG_TYPE, "企业"),
            ("注册地址", "重庆市渝中区解放碑街道民族路 188 号"),
            (keys::DISTRICT, "渝中区"),
            ("成立日期", "2018-05-20"),
            ("法定代表人", "张三"),
            ("联系人", "李四"),
            ("联系电话", "023-63891234"),
            ("电子邮箱", "lisi@example.com"),
            ("是否总部企业", "否"),
            ("开户银行", "中国银行重庆渝中支行"),
            ("银行账号", "6217 0000 1234 5678"),
            (keys::PLEDGE, "是"),
            (keys::NO_DISHONESTY, "是"),
        ];
        let row_of = |key: &str| form_row(key).unwrap();
        for (k, v) in values {
            ws.write_string(row_of(k), 1, *v).unwrap();
        }
        ws.write_number(row_of(keys::REVENUE), 1, 3205.5).unwrap();
        ws.write_number(row_of(keys::TAX), 1, 120.35).unwrap();
        ws.write_number(row_of(keys::EMPLOYEES), 1, 86).unwrap();

        for def in schema::template_sheets() {
            if def.layout != Layout::Table {
                continue;
            }
            let ws = wb.worksheet_from_name(def.name).unwrap();
            for (col, f) in def.fields.iter().enumerate() {
                let col = col as u16;
                match f.kind {
                    Kind::Choice(c) => ws.write_string(1, col, c[0]),
                    Kind::MoneyWan => ws.write_number(1, col, 500.25),
                    Kind::Integer => ws.write_number(1, col, 12),
                    Kind::Number => ws.write_number(1, col, 35.5),
                    Kind::Year => ws.write_number(1, col, 2025),
                    Kind::Date => ws.write_string(1, col, "2025-03-01"),
                    Kind::YesNo => ws.write_string(1, col, "是"),
                    _ => ws.write_string(1, col, format!("{}示例", f.key)),
                }
                .unwrap();
            }
            if def.role == SheetRole::OtherSupport {
                // The support row names a declared project.
                let name = format!("{}示例", keys::PROJECT_NAME);
                ws.write_string(1, 0, name).unwrap();
            }
        }
    }

    #[test]
    fn filled_template_imports_with_no_issues() {
        let mut wb = template_workbook(2026).unwrap();
        fill(&mut wb);
        let bytes = wb.save_to_buffer().unwrap();
        let grid = read_bytes(&bytes).unwrap();
        let ex = extract(&grid, &[2026]);
        assert!(ex.issues.is_empty(), "{:#?}", ex.issues);
        assert_eq!(ex.credit_code.as_deref(), Some(valid_code().as_str()));
        assert_eq!(
            ex.applicant_name.as_deref(),
            Some("重庆渝中算力科技有限公司")
        );
        for c in Clause::ALL {
            assert_eq!(ex.projects_of(c).count(), 1, "{c}");
        }
        assert_eq!(ex.other_support.len(), 1);
        assert_eq!(
            ex.value(keys::REVENUE).and_then(|v| v.as_money()),
            Some(rust_decimal::Decimal::new(32_055_000, 0))
        );
        assert_eq!(
            ex.value(keys::TAX).and_then(|v| v.as_money()),
            Some(rust_decimal::Decimal::new(1_203_500, 0))
        );
    }

    #[test]
    fn template_is_stable_for_other_years() {
        let grid = read_bytes(&write_template(2027).unwrap()).unwrap();
        let ex = extract(&grid, &[2027]);
        assert_eq!(ex.year, Some(2027));
    }

    #[test]
    fn labels_fit_their_columns() {
        assert_eq!(display_width("项目总投资（万元） *"), 20.0);
        assert_eq!(clip("一二三", 2), "一二");
        for def in schema::template_sheets() {
            for f in def.fields {
                assert!(kind_hint(f).encode_utf16().count() <= INPUT_MESSAGE_MAX);
                if let Some(c) = f.choices() {
                    assert!(c.join(",").encode_utf16().count() <= 255);
                }
            }
        }
    }
}
