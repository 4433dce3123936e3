//! The wording of the explanation lines: every figure an evaluation shows,
//! in Chinese and English, built here and nowhere else.

use rust_decimal::Decimal;

use reviewdesk_domain::money::{format_yuan_grouped, RoundingMode};

use super::{FactorScore, Guide, Line, ReviewerTotal};

/// A line with a value in each language.
pub(super) fn line2(
    label: impl Into<String>,
    label_en: impl Into<String>,
    value: impl Into<String>,
    value_en: impl Into<String>,
) -> Line {
    Line {
        label: label.into(),
        value: value.into(),
        label_en: label_en.into(),
        value_en: value_en.into(),
    }
}

/// An amount in yuan as shown: ("1,000.00 元", "1,000.00 yuan"), digits
/// grouped by thousands. Every amount in a line is written this way. An
/// amount finer than the fen (a limit such as 10% × 9,999,999.99 =
/// 999,999.999, before the final rounding) keeps every digit, so a line
/// never shows a limit higher than it is.
pub(super) fn yuan2(d: Decimal) -> (String, String) {
    let f = grouped(d);
    (format!("{f} 元"), format!("{f} yuan"))
}

/// `d` grouped by thousands with two decimals, or more when it has more.
fn grouped(d: Decimal) -> String {
    let n = d.normalize();
    if n.scale() <= 2 {
        return format_yuan_grouped(n);
    }
    let abs = n.abs();
    let whole = abs.trunc();
    let int = format_yuan_grouped(whole);
    let int = int.strip_suffix(".00").unwrap_or(&int);
    let frac = (abs - whole).to_string();
    let frac = frac.strip_prefix('0').unwrap_or(&frac);
    let sign = if n.is_sign_negative() { "-" } else { "" };
    format!("{sign}{int}{frac}")
}

/// A line whose value is an amount (grouped, with its unit in each language).
pub(super) fn amount_line(
    label: impl Into<String>,
    label_en: impl Into<String>,
    amount: Decimal,
) -> Line {
    let (zh, en) = yuan2(amount);
    line2(label, label_en, zh, en)
}

/// The final award line: 扶持金额 / Award.
pub(super) fn award_line(amount: Decimal) -> Line {
    amount_line("扶持金额", "Award", amount)
}

/// A line under 就高不重复 / Highest only.
pub(super) fn highest_only_line(zh: impl Into<String>, en: impl Into<String>) -> Line {
    line2("就高不重复", "Highest only", zh, en)
}

/// A shown factor value in English ("1,000.00 元" → "1,000.00 yuan").
fn shown_en(v: &str) -> String {
    match v.strip_suffix(" 元") {
        Some(n) => format!("{n} yuan"),
        None if v == "未填写" => "not filled in".into(),
        None => v.to_string(),
    }
}

/// A factor's line: its name and weight, the value used and the points (or
/// that the panel has yet to score); a second line when the reviewers'
/// points on it disagree by more than `threshold`.
pub(super) fn factor_lines(f: &FactorScore, threshold: Decimal) -> Vec<Line> {
    let w = f.weight.normalize();
    let mut label = format!("{}（权重 {w}）", f.name);
    let mut label_en = format!("{} (weight {w})", f.name_en);
    if f.certified {
        label.push_str("［核定值］");
        label_en.push_str(" [certified]");
    }
    let (value, value_en) = match (&f.value, f.points) {
        (Some(v), Some(pts)) => (
            format!("{v} → {} 分", pts.normalize()),
            format!("{} → {} points", shown_en(v), pts.normalize()),
        ),
        (None, Some(pts)) => (
            format!("专家评分 {} 分", pts.normalize()),
            format!("panel score {} points", pts.normalize()),
        ),
        (_, None) => ("待专家评分".into(), "awaiting panel scores".into()),
    };
    let mut out = vec![line2(label, label_en, value, value_en)];
    if f.disagreement {
        out.push(line2(
            format!("专家分歧：{}", f.name),
            format!("Reviewers disagree: {}", f.name_en),
            format!(
                "各专家分差超过 {} 分（{}），请复核",
                threshold.normalize(),
                f.panel.join("，")
            ),
            format!(
                "the reviewers' points differ by more than {} ({}); please look again",
                threshold.normalize(),
                f.panel.join(", ")
            ),
        ));
    }
    out
}

/// The line saying the reviewers' totals (`each`: "name total") differ by
/// `spread`, more than `threshold`.
pub(super) fn totals_disagree_line(spread: Decimal, threshold: Decimal, each: &[String]) -> Line {
    line2(
        "专家总分分歧",
        "Reviewers' totals disagree",
        format!(
            "总分相差 {} 分，超过 {} 分（{}），请复核",
            spread.normalize(),
            threshold.normalize(),
            each.join("，")
        ),
        format!(
            "totals differ by {} points, more than {} ({}); please look again",
            spread.normalize(),
            threshold.normalize(),
            each.join(", ")
        ),
    )
}

/// The two reviewers dropped by their totals (`panel.trim = "per_total"`),
/// and how many are kept.
pub(super) fn trimmed_totals_line(low: &ReviewerTotal, high: &ReviewerTotal, kept: usize) -> Line {
    line2(
        "去掉总分最高和最低的专家",
        "Reviewers with the highest and lowest totals dropped",
        format!(
            "去掉 {}（总分 {}）和 {}（总分 {}），其余 {kept} 位专家的评分取平均",
            high.reviewer,
            high.total.normalize(),
            low.reviewer,
            low.total.normalize()
        ),
        format!(
            "{} (total {}) and {} (total {}) dropped; the other {kept} reviewers' points averaged",
            high.reviewer,
            high.total.normalize(),
            low.reviewer,
            low.total.normalize()
        ),
    )
}

/// 综合评分 / Total score.
pub(super) fn score_line(s: Decimal) -> Line {
    line2(
        "综合评分",
        "Total score",
        format!("{} 分", s.normalize()),
        format!("{} points", s.normalize()),
    )
}

/// 未达及格线 / Below the pass mark.
pub(super) fn below_pass_mark_line(pm: Decimal) -> Line {
    line2(
        "未达及格线",
        "Below the pass mark",
        format!("低于 {} 分，不予扶持", pm.normalize()),
        format!("below {} points: not supported", pm.normalize()),
    )
}

/// The rounding line's label, naming the guide's unit and mode, e.g.
/// 取整（四舍五入到分） / Rounding (half up, to the fen).
pub(super) fn rounding_label(g: &Guide) -> (String, String) {
    rounding_label_in(g, g.rounding.mode)
}

/// The rounding line's label where a cap or limit bound and rounding the
/// guide's way would have gone above it: rounded down instead.
pub(super) fn rounding_at_limit_label(g: &Guide) -> (String, String) {
    let (zh, en) = rounding_label_in(g, RoundingMode::Down);
    (
        format!("{zh}：扶持金额不超过所适用的上限或限额"),
        format!("{en}: the award never exceeds the cap or limit that applies"),
    )
}

fn rounding_label_in(g: &Guide, mode: RoundingMode) -> (String, String) {
    let (unit_zh, unit_en) = match g.rounding.dp() {
        0 => ("元", "yuan"),
        1 => ("角", "jiao"),
        _ => ("分", "fen"),
    };
    let (mode_zh, mode_en) = match mode {
        RoundingMode::HalfUp => ("四舍五入", "half up"),
        RoundingMode::HalfEven => ("四舍六入五成双", "half to even"),
        RoundingMode::Down => ("舍去", "rounded down"),
    };
    (
        format!("取整（{mode_zh}到{unit_zh}）"),
        format!("Rounding ({mode_en}, to the {unit_en})"),
    )
}
