//! The working-day calendar (工作日历), kept as data outside the guide: a
//! guide freezes with its round, while next year's holidays must still be
//! addable. Each year is imported from a TOML file (`calendar import`):
//! `years = [2026]`, `holidays = [2026-10-01, …]` (放假日 on weekdays),
//! `workdays = [2026-10-10, …]` (调休 weekend working days). A working day
//! is Monday–Friday not in `holidays`, or a day in `workdays`; a period
//! that runs into a year no imported calendar covers is an error naming
//! the year, never a guess.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use rusqlite::{params, Connection};

use crate::error::{EngineError, Result};
use crate::store::{now, Actor, Store};

/// One year's 放假 and 调休 days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearCalendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

/// The calendars of the years imported so far.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearCalendar>,
}

impl Calendar {
    /// A calendar of exactly these years (tests, and the store's rows).
    pub fn from_years(years: BTreeMap<i32, YearCalendar>) -> Self {
        Calendar { years }
    }

    /// Whether `d` is a working day; a day of a year no calendar covers is
    /// the error `calendar_missing` naming the year.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool> {
        let y = self.years.get(&d.year()).ok_or_else(|| missing(d.year()))?;
        if y.workdays.contains(&d) {
            return Ok(true);
        }
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        Ok(!weekend && !y.holidays.contains(&d))
    }

    /// A period of `n` working days counted from `from`: its first day
    /// (`from` when it is a working day, else the next one) and its last.
    pub fn period(&self, from: NaiveDate, n: u32) -> Result<(NaiveDate, NaiveDate)> {
        if n == 0 {
            return Err(EngineError::Invalid(
                "公示期至少一个工作日 / a period has at least one working day".into(),
            ));
        }
        let (mut first, mut count, mut d) = (None, 0, from);
        loop {
            if self.is_working_day(d)? {
                first.get_or_insert(d);
                count += 1;
                if count == n {
                    return Ok((first.unwrap_or(d), d));
                }
            }
            d = d.succ_opt().ok_or_else(|| missing(d.year() + 1))?;
        }
    }
}

fn missing(year: i32) -> EngineError {
    EngineError::coded(
        "calendar_missing",
        format!("没有{year}年的工作日历：请先导入该年的节假日安排（calendar import）"),
        format!("no working-day calendar for {year}: import that year's holidays first (calendar import)"),
    )
}

/// A calendar file read: the years it covers and each year's days. Every
/// problem names the key (and the entry) and why.
pub fn parse(text: &str, file: &str) -> Result<BTreeMap<i32, YearCalendar>> {
    let bad = |what: String| EngineError::Invalid(format!("{file}: {what}"));
    let t: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| bad(format!("不是有效的 TOML / not valid TOML: {e}")))?;
    for k in t.keys() {
        if !["years", "holidays", "workdays"].contains(&k.as_str()) {
            return Err(bad(format!(
                "未知的键 {k}（应为 years、holidays、workdays）/ unknown key {k} (years, holidays, workdays)"
            )));
        }
    }
    let years: Vec<i32> = match t.get("years") {
        Some(toml::Value::Array(a)) if !a.is_empty() => a
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                toml::Value::Integer(y) if (2000..=2100).contains(y) => Ok(*y as i32),
                other => Err(bad(format!(
                    "years[{i}] 应为 2000 至 2100 之间的年份，实为 {other} / years[{i}] must be a year"
                ))),
            })
            .collect::<Result<_>>()?,
        _ => {
            return Err(bad(
                "years 应为年份数组，例如 years = [2026] / years must list the years, e.g. years = [2026]".into(),
            ))
        }
    };
    let mut out: BTreeMap<i32, YearCalendar> = years
        .iter()
        .map(|y| (*y, YearCalendar::default()))
        .collect();
    for key in ["holidays", "workdays"] {
        let Some(v) = t.get(key) else { continue };
        let toml::Value::Array(a) = v else {
            return Err(bad(format!(
                "{key} 应为日期数组 / {key} must be a list of dates"
            )));
        };
        for (i, v) in a.iter().enumerate() {
            let d = match v {
                toml::Value::Datetime(dt) => NaiveDate::parse_from_str(&dt.to_string(), "%Y-%m-%d").ok(),
                toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
                _ => None,
            }
            .ok_or_else(|| {
                bad(format!("{key}[{i}] 应为日期（YYYY-MM-DD），实为 {v} / {key}[{i}] must be a date (YYYY-MM-DD)"))
            })?;
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            let Some(y) = out.get_mut(&d.year()) else {
                return Err(bad(format!(
                    "{key}[{i}] {d} 不在 years 所列年份内 / {key}[{i}] {d} is outside the listed years"
                )));
            };
            if key == "holidays" {
                y.holidays.insert(d);
            } else if weekend {
                y.workdays.insert(d);
            } else {
                return Err(bad(format!(
                    "workdays[{i}] {d} 是周一至周五，本来就是工作日：workdays 只列调休上班的周末 / workdays[{i}] {d} is a weekday: workdays lists only weekend working days"
                )));
            }
        }
    }
    for (year, y) in &out {
        if let Some(d) = y.holidays.intersection(&y.workdays).next() {
            return Err(bad(format!(
                "{d} 同时列在 holidays 和 workdays 中 / {d} is both a holiday and a working day ({year})"
            )));
        }
    }
    Ok(out)
}

fn dates(s: &BTreeSet<NaiveDate>) -> String {
    s.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Import a calendar file's years (an administrator; audited). A year
/// imported again is replaced (a corrected arrangement), and the audit
/// entry keeps both.
pub fn import(store: &mut Store, actor: &Actor, text: &str, file: &str) -> Result<Vec<i32>> {
    crate::people::roster::check_actor(store.conn(), actor, crate::people::Role::Admin)?;
    let years = parse(text, file)?;
    let list: Vec<i32> = years.keys().copied().collect();
    let subject = list
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    store.change(actor, "calendar.import", &subject, |tx| {
        let mut detail = Vec::new();
        for (year, y) in &years {
            let before: Option<(String, String)> = tx
                .query_row(
                    "SELECT holidays, workdays FROM calendar_years WHERE year = ?1",
                    [year],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok();
            tx.execute(
                "INSERT OR REPLACE INTO calendar_years(year, holidays, workdays, source, imported_by, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![year, dates(&y.holidays), dates(&y.workdays), file, actor.0, now()],
            )?;
            detail.push(serde_json::json!({ "year": year, "holidays": dates(&y.holidays),
                "workdays": dates(&y.workdays), "file": file,
                "replaces": before.map(|(h, w)| serde_json::json!({ "holidays": h, "workdays": w })) }));
        }
        Ok((list.clone(), serde_json::json!({ "years": detail })))
    })
}

/// The calendar of every year imported into the store.
pub fn load(conn: &Connection) -> Result<Calendar> {
    let mut st = conn.prepare("SELECT year, holidays, workdays FROM calendar_years")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut years = BTreeMap::new();
    for row in rows {
        let (year, h, w) = row?;
        let set = |s: &str| -> Result<BTreeSet<NaiveDate>> {
            s.split(',')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    NaiveDate::parse_from_str(p, "%Y-%m-%d")
                        .map_err(|e| EngineError::Store(format!("calendar {year}: date {p}: {e}")))
                })
                .collect()
        };
        years.insert(
            year,
            YearCalendar {
                holidays: set(&h)?,
                workdays: set(&w)?,
            },
        );
    }
    Ok(Calendar::from_years(years))
}

#[cfg(test)]
mod tests {
    use super::*;

    const C2026: &str = include_str!("../../../../assets/calendars/2026.toml");

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn the_national_day_holiday_and_its_make_up_days_shape_a_period() {
        let cal = Calendar::from_years(parse(C2026, "2026.toml").expect("parse"));
        // 9-28..9-30, then 10-1..10-7 off, 10-8, 10-9
        assert_eq!(
            cal.period(d("2026-09-28"), 5).expect("p"),
            (d("2026-09-28"), d("2026-10-09"))
        );
        // 10-10 is a Saturday worked (调休)
        assert_eq!(
            cal.period(d("2026-09-28"), 6).expect("p").1,
            d("2026-10-10")
        );
        // a Sunday worked: 9-20
        assert_eq!(
            cal.period(d("2026-09-19"), 1).expect("p").0,
            d("2026-09-20")
        );
        // a period starting on a holiday starts on the next working day
        assert_eq!(
            cal.period(d("2026-10-01"), 1).expect("p").0,
            d("2026-10-08")
        );
    }

    #[test]
    fn a_period_into_an_uncovered_year_is_refused_naming_the_year() {
        let cal = Calendar::from_years(parse(C2026, "2026.toml").expect("parse"));
        let e = cal
            .period(d("2026-12-28"), 5)
            .expect_err("2027 not covered");
        assert_eq!(e.code(), "calendar_missing");
        assert!(e.to_string().contains("2027"), "{e}");
    }

    #[test]
    fn a_weekday_listed_as_a_workday_is_refused() {
        let e = parse("years = [2026]\nworkdays = [2026-10-08]\n", "x.toml").expect_err("weekday");
        assert!(e.to_string().contains("workdays[0]"), "{e}");
    }
}
