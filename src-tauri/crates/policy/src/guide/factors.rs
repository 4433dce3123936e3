//! A clause's scoring factors and their bands.

use rust_decimal::Decimal;
use toml::Value;

use super::fields::*;
use super::model::*;
use super::reader::*;
use super::*;

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
    let name_en = w.opt(path, t, "name_en", Walker::string);
    let name_en_ok = !t.contains_key("name_en") || name_en.is_some();
    let weight = w.req(path, t, "weight", Walker::decimal).filter(|d| {
        w.check_range(
            &join(path, "weight"),
            *d,
            Decimal::ZERO,
            false,
            Some(dec(100)),
        )
    });
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
    let is_panel = source.as_deref() == Some(PANEL);
    let (has_linear, has_bands) = (t.contains_key("linear"), t.contains_key("bands"));
    let mut rule_ok = true;
    if source.is_some() {
        if is_panel && (has_linear || has_bands) {
            w.report(
                path,
                "专家打分的因素（source = \"panel\"）不能有 linear 或 bands / a panel factor (source = \"panel\") has no linear or bands",
            );
            rule_ok = false;
        } else if !is_panel && has_linear == has_bands {
            w.report(
                path,
                "按字段评分的因素须有且只有 linear 或 bands 之一 / a field factor needs exactly one of linear or bands",
            );
            rule_ok = false;
        }
    }
    let linear = w.opt(path, t, "linear", |w, p, v| {
        let lt = w.table(p, v, &["floor", "full"])?;
        let floor = w.req(p, lt, "floor", Walker::decimal);
        let full = w.req(p, lt, "full", Walker::decimal);
        let (floor, full) = all!(floor, full)?;
        if full <= floor {
            w.report(
                &join(p, "full"),
                format!(
                    "满分值 {} 应大于零分值 {} / full ({}) must be greater than floor ({})",
                    show(full),
                    show(floor),
                    show(full),
                    show(floor)
                ),
            );
            return None;
        }
        Some(Linear { floor, full })
    });
    let linear_ok = !has_linear || linear.is_some();
    let bands = w.opt(path, t, "bands", |w, p, v| parse_bands(w, p, v, weight));
    let bands_ok = !has_bands || bands.is_some();
    let (id, name, weight, source) = all!(id, name, weight, source)?;
    if !(source_ok && rule_ok && linear_ok && bands_ok && name_en_ok) {
        return None;
    }
    Some(Factor {
        id,
        name,
        name_en,
        weight,
        source,
        linear,
        bands,
    })
}

pub(super) fn parse_bands(
    w: &mut Walker,
    path: &str,
    v: &Value,
    weight: Option<Decimal>,
) -> Option<Vec<Band>> {
    let bands = w.tables(path, v, |w, p, v| {
        let t = w.table(p, v, &["at_least", "below", "points"])?;
        let at_least = w.req(p, t, "at_least", Walker::decimal);
        let below = w.opt(p, t, "below", Walker::decimal);
        let below_ok = !t.contains_key("below") || below.is_some();
        let points = w.req(p, t, "points", Walker::decimal);
        let points = points.filter(|pts| {
            w.check_range(&join(p, "points"), *pts, Decimal::ZERO, true, weight)
        });
        let (at_least, points) = all!(at_least, points)?;
        if let Some(b) = below {
            if b <= at_least {
                w.report(
                    &join(p, "below"),
                    format!(
                        "below {} 应大于 at_least {} / below ({}) must be greater than at_least ({})",
                        show(b),
                        show(at_least),
                        show(b),
                        show(at_least)
                    ),
                );
                return None;
            }
        }
        below_ok.then_some(Band {
            at_least,
            below,
            points,
        })
    })?;
    if bands.is_empty() {
        w.report(path, "至少需要一档 / at least one band is needed");
        return None;
    }
    let mut ok = true;
    for (i, pair) in bands.windows(2).enumerate() {
        let (prev, band) = (&pair[0], &pair[1]);
        let p = at(path, i + 1);
        if band.at_least <= prev.at_least {
            w.report(
                &p,
                format!(
                    "各档应从低到高排列：at_least {} 不大于上一档的 {} / bands must go from low to high: at_least {} is not above the previous band's {}",
                    show(band.at_least),
                    show(prev.at_least),
                    show(band.at_least),
                    show(prev.at_least)
                ),
            );
            ok = false;
            continue;
        }
        match prev.below {
            None => {
                w.report(
                    &at(path, i),
                    "只有最后一档可以不写 below / only the last band may leave out below",
                );
                ok = false;
            }
            Some(b) if band.at_least < b => {
                w.report(
                    &p,
                    format!(
                        "与上一档重叠：上一档到 {} 为止，本档从 {} 开始 / overlaps the previous band: it ends below {}, this one starts at {}",
                        show(b),
                        show(band.at_least),
                        show(b),
                        show(band.at_least)
                    ),
                );
                ok = false;
            }
            Some(b) if band.at_least > b => {
                w.report(
                    &p,
                    format!(
                        "与上一档之间有空档：{} 至 {} 的取值不在任何一档 / gap after the previous band: values from {} up to {} fall in no band",
                        show(b),
                        show(band.at_least),
                        show(b),
                        show(band.at_least)
                    ),
                );
                ok = false;
            }
            Some(_) => {}
        }
    }
    ok.then_some(bands)
}
