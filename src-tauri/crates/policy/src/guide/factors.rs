//! A clause's scoring factors and their bands.

use rust_decimal::Decimal;
use toml::{Table, Value};

use super::fields::{check_field, is_numeric};
use super::model::{Band, Factor, Linear};
use super::reader::{at, dec, join, show, Walker};
use super::{Clause, PANEL};

pub(super) fn parse_factor(
    w: &mut Walker,
    path: &str,
    v: &Value,
    clause: Clause,
) -> Option<Factor> {
    let t = w.table(
        path,
        v,
        &[
            "id", "name", "name_en", "weight", "source", "linear", "bands",
        ],
    )?;
    let id = w.req(path, t, "id", Walker::string);
    let name = w.req(path, t, "name", Walker::string);
    let name_en = w.maybe(path, t, "name_en", Walker::string);
    let weight = w.req_in(path, t, "weight", Decimal::ZERO, false, Some(dec(100)));
    let source = w.req(path, t, "source", Walker::string);
    let source_ok = match &source {
        Some(s) if s == PANEL => true,
        Some(s) => check_field(
            w,
            &join(path, "source"),
            Some(clause),
            s,
            is_numeric,
            "数值",
            "numeric",
        )
        .is_some(),
        None => false,
    };
    let rule_ok = source
        .as_deref()
        .is_none_or(|s| rule_shape_ok(w, path, t, s == PANEL));
    let linear = w.maybe(path, t, "linear", parse_linear);
    let bands = w.maybe(path, t, "bands", |w, p, v| parse_bands(w, p, v, weight));
    let factor = Factor {
        id: id?,
        name: name?,
        name_en: name_en?,
        weight: weight?,
        source: source?,
        linear: linear?,
        bands: bands?,
    };
    (source_ok && rule_ok).then_some(factor)
}

/// A panel factor has neither `linear` nor `bands`; a field factor exactly
/// one of them.
fn rule_shape_ok(w: &mut Walker, path: &str, t: &Table, is_panel: bool) -> bool {
    let (has_linear, has_bands) = (t.contains_key("linear"), t.contains_key("bands"));
    if is_panel && (has_linear || has_bands) {
        w.report(
            path,
            "专家打分的因素（source = \"panel\"）不能有 linear 或 bands / a panel factor (source = \"panel\") has no linear or bands",
        );
        return false;
    }
    if !is_panel && has_linear == has_bands {
        w.report(
            path,
            "按字段评分的因素须有且只有 linear 或 bands 之一 / a field factor needs exactly one of linear or bands",
        );
        return false;
    }
    true
}

fn parse_linear(w: &mut Walker, path: &str, v: &Value) -> Option<Linear> {
    let t = w.table(path, v, &["floor", "full"])?;
    let floor = w.req(path, t, "floor", Walker::decimal);
    let full = w.req(path, t, "full", Walker::decimal);
    let (floor, full) = (floor?, full?);
    if full <= floor {
        let (full, floor) = (show(full), show(floor));
        w.report(
            &join(path, "full"),
            format!(
                "满分值 {full} 应大于零分值 {floor} / full ({full}) must be greater than floor ({floor})"
            ),
        );
        return None;
    }
    Some(Linear { floor, full })
}

pub(super) fn parse_bands(
    w: &mut Walker,
    path: &str,
    v: &Value,
    weight: Option<Decimal>,
) -> Option<Vec<Band>> {
    let bands = w.tables(path, v, |w, p, v| parse_band(w, p, v, weight))?;
    if bands.is_empty() {
        w.report(path, "至少需要一档 / at least one band is needed");
        return None;
    }
    let mut ok = true;
    for (i, pair) in bands.windows(2).enumerate() {
        ok &= band_follows(w, path, i + 1, &pair[0], &pair[1]);
    }
    ok.then_some(bands)
}

/// One band; its points at most the factor's weight.
fn parse_band(w: &mut Walker, path: &str, v: &Value, weight: Option<Decimal>) -> Option<Band> {
    let t = w.table(path, v, &["at_least", "below", "points"])?;
    let at_least = w.req(path, t, "at_least", Walker::decimal);
    let below = w.maybe(path, t, "below", Walker::decimal);
    let points = w.req_in(path, t, "points", Decimal::ZERO, true, weight);
    let (at_least, points) = (at_least?, points?);
    if let Some(Some(b)) = below {
        if b <= at_least {
            let (b, a) = (show(b), show(at_least));
            w.report(
                &join(path, "below"),
                format!("below {b} 应大于 at_least {a} / below ({b}) must be greater than at_least ({a})"),
            );
            return None;
        }
    }
    Some(Band {
        at_least,
        below: below?,
        points,
    })
}

/// Band `i` (`band`) starts where band `i - 1` (`prev`) ends: in order, no
/// overlap, no gap, only the last one open.
fn band_follows(w: &mut Walker, path: &str, i: usize, prev: &Band, band: &Band) -> bool {
    let p = at(path, i);
    let start = show(band.at_least);
    if band.at_least <= prev.at_least {
        let before = show(prev.at_least);
        w.report(
            &p,
            format!(
                "各档应从低到高排列：at_least {start} 不大于上一档的 {before} / bands must go from low to high: at_least {start} is not above the previous band's {before}"
            ),
        );
        return false;
    }
    let message = match prev.below {
        None => {
            w.report(
                &at(path, i - 1),
                "只有最后一档可以不写 below / only the last band may leave out below",
            );
            return false;
        }
        Some(b) if band.at_least < b => {
            let end = show(b);
            format!(
                "与上一档重叠：上一档到 {end} 为止，本档从 {start} 开始 / overlaps the previous band: it ends below {end}, this one starts at {start}"
            )
        }
        Some(b) if band.at_least > b => {
            let end = show(b);
            format!(
                "与上一档之间有空档：{end} 至 {start} 的取值不在任何一档 / gap after the previous band: values from {end} up to {start} fall in no band"
            )
        }
        Some(_) => return true,
    };
    w.report(&p, message);
    false
}
