//! My queue: the lead (an administrator or an approver) assigns a round's
//! applications — the whole application or one clause of it — to people on
//! the roster who review; each person sees theirs first with their progress
//! ("8 / 12 评完": assignments on which they have given every panel point
//! the guide asks for). Each assignment is a signed act, audited on the
//! application it names (its 审计记录), in one transaction per call.
//!
//! Beside it: the comparison of the reviewers' points per project, with the
//! spread (highest − lowest total) against the guide's
//! `panel.disagreement_threshold`, and independent scoring
//! (`panel.independent`): a reviewer does not see the others' points on a
//! project until they have given their own ([`hide_others`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{EngineError, Result};
use crate::guide::{Clause, Guide};
use crate::people::{roster, Person, Role};
use crate::review::rounds::{ensure_round, latest_submission, round_guide};
use crate::rules::evaluate::{same_key, Evaluation};
use crate::store::{audit, now, Actor, Store};

/// One application (or one clause of it) assigned to one person, with how
/// far that person has got on it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assignment {
    pub credit_code: String,
    pub applicant: Option<String>,
    /// The clause assigned; `null` = the whole application.
    pub clause: Option<String>,
    pub holder: String,
    pub fingerprint: String,
    pub assigned_by: String,
    pub assigned_at: String,
    /// Panel points the guide asks of this person here, and how many given.
    pub needed: usize,
    pub given: usize,
    /// Every panel point given (an assignment with none to give is done).
    pub done: bool,
}

/// One person's progress over their assignments ("8 / 12 评完").
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonProgress {
    pub holder: String,
    pub fingerprint: String,
    pub assigned: usize,
    pub done: usize,
}

/// A round's assignments, person by person.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assignments {
    pub round: i32,
    /// The round's guide scores independently (`panel.independent`).
    pub independent: bool,
    pub people: Vec<PersonProgress>,
    pub assignments: Vec<Assignment>,
}

fn coded(code: &'static str, zh: String, en: String) -> EngineError {
    EngineError::coded(code, zh, en)
}

fn parse_clause(s: &str) -> Result<Clause> {
    Clause::ALL
        .into_iter()
        .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| {
            coded(
                "bad_clause",
                format!("条款应为 C1、C2a、C2b、C3 或 C4，而不是「{s}」"),
                format!("the clause must be C1, C2a, C2b, C3 or C4, not '{s}'"),
            )
        })
}

/// The roster person `to` names: a certificate fingerprint (hex, colons
/// allowed) or a holder's name that only one person on the roster has.
pub fn person_named(conn: &Connection, to: &str) -> Result<Person> {
    let people = roster::list(conn)?;
    if people.is_empty() {
        return Err(coded(
            "no_roster",
            "此数据库还没有名册：先用 roster init / roster add 登记评审人员，再分配".into(),
            "this store has no roster yet: put the reviewers on it (roster init / roster add) before assigning".into(),
        ));
    }
    let want = to.trim();
    let fp: String = want
        .chars()
        .filter(|c| *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(p) = people.iter().find(|p| p.fingerprint == fp) {
        return Ok(p.clone());
    }
    let named: Vec<&Person> = people.iter().filter(|p| p.holder == want).collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(coded(
            "unknown_person",
            format!("名册上没有「{want}」（按证书指纹或持有人姓名查找）"),
            format!("nobody on the roster is '{want}' (by certificate fingerprint or holder)"),
        )),
        _ => Err(coded(
            "ambiguous_person",
            format!("名册上有 {} 人名为「{want}」：请用证书指纹（--to 指纹）指定", named.len()),
            format!("{} people on the roster are named '{want}': give the certificate fingerprint (--to FINGERPRINT)", named.len()),
        )),
    }
}

/// `assign`: the lead assigns applications (by credit code) of round `year`,
/// or their clause `clause`, to the roster person `to` (who must review).
/// One signed, audited act per application, all in one transaction: a code
/// that does not exist refuses the whole call. Assigning again what is
/// already assigned changes nothing.
pub fn assign(
    store: &mut Store,
    actor: &Actor,
    year: i32,
    codes: &[String],
    to: &str,
    clause: Option<&str>,
) -> Result<Assignments> {
    let conn = store.conn();
    if roster::check_actor(conn, actor, Role::Admin).is_err() {
        roster::check_actor(conn, actor, Role::Approver).map_err(|_| {
            coded(
                "not_lead",
                format!("{} 不能分配评审任务：须由管理员或审批人分配", actor.0),
                format!(
                    "{} cannot assign reviews: an administrator or an approver assigns",
                    actor.0
                ),
            )
        })?;
    }
    let person = person_named(conn, to)?;
    if !person.roles.contains(&Role::Reviewer) {
        return Err(coded(
            "not_reviewer",
            format!("{} 在名册上没有评审角色，不能分配评审任务", person.holder),
            format!(
                "{} has no reviewer role on the roster: reviews cannot be assigned to them",
                person.holder
            ),
        ));
    }
    let clause = clause.map(parse_clause).transpose()?;
    if codes.is_empty() {
        return Err(coded(
            "nothing_to_assign",
            "请给出至少一个统一社会信用代码".into(),
            "give at least one credit code".into(),
        ));
    }
    let tx = store.batch()?;
    ensure_round(&tx, year)?;
    let mut seen = HashSet::new();
    for raw in codes {
        let code = raw.trim().to_ascii_uppercase();
        if !seen.insert(code.clone()) {
            continue;
        }
        let id: Option<i64> = tx
            .query_row(
                "SELECT a.id FROM applicants a WHERE a.credit_code = ?1
                 AND EXISTS (SELECT 1 FROM submissions s WHERE s.applicant_id = a.id AND s.round_year = ?2)",
                params![code, year],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            return Err(coded(
                "unknown_application",
                format!("{year} 年度没有统一社会信用代码为 {code} 的申报，未分配任何任务"),
                format!(
                    "round {year} has no application with credit code {code}; nothing was assigned"
                ),
            ));
        };
        if let Some(c) = clause {
            let (_, ex) = latest_submission(&tx, id, year)?;
            if !ex.projects.iter().any(|p| p.clause == c) {
                return Err(coded(
                    "no_such_clause",
                    format!("{code} 没有申报 {} 的项目，未分配任何任务", c.as_str()),
                    format!("{code} has no {} project; nothing was assigned", c.as_str()),
                ));
            }
        }
        let clause_key = clause.map(|c| c.as_str()).unwrap_or("");
        let added = tx.execute(
            "INSERT INTO assignments(round_year, applicant_id, clause, holder, fingerprint, by_name, by_fp, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(round_year, applicant_id, clause, fingerprint) DO NOTHING",
            params![year, id, clause_key, person.holder, person.fingerprint, actor.0, actor.fingerprint(), now()],
        )?;
        if added > 0 {
            audit::append(
                &tx,
                actor,
                "review.assign",
                &code,
                &serde_json::json!({
                    "round": year,
                    "clause": clause.map(|c| c.as_str()),
                    "to": person.holder,
                    "fingerprint": person.fingerprint,
                }),
            )?;
        }
    }
    tx.commit()?;
    assignments(store.conn(), year)
}

struct Row {
    applicant_id: i64,
    credit_code: String,
    applicant: Option<String>,
    clause: String,
    holder: String,
    fingerprint: String,
    by: String,
    at: String,
}

/// One panel point's place: (clause, project key, factor).
type PointKey = (String, String, String);

/// The panel points each reviewer has given, by reviewer.
type GivenPoints = HashMap<String, HashSet<PointKey>>;

/// The panel points (clause, project key, factor) each reviewer has given
/// on applicant `id` in round `year`.
fn given_points(conn: &Connection, id: i64, year: i32) -> Result<GivenPoints> {
    let mut st = conn.prepare_cached(
        "SELECT reviewer, clause, project, factor FROM panel_scores WHERE applicant_id = ?1 AND round_year = ?2",
    )?;
    let rows = st.query_map(params![id, year], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out: GivenPoints = HashMap::new();
    for row in rows {
        let (who, clause, project, factor) = row?;
        out.entry(who).or_default().insert((
            clause.to_ascii_uppercase(),
            same_key(&project),
            factor,
        ));
    }
    Ok(out)
}

/// Round `year`'s assignments with each person's progress, people by
/// holder, each person's assignments in the order they were made.
pub fn assignments(conn: &Connection, year: i32) -> Result<Assignments> {
    let guide = round_guide(conn, year)?.map(|(_, g)| g);
    let mut st = conn.prepare_cached(
        "SELECT x.applicant_id, a.credit_code, a.name, x.clause, x.holder, x.fingerprint, x.by_name, x.at
         FROM assignments x JOIN applicants a ON a.id = x.applicant_id
         WHERE x.round_year = ?1 ORDER BY x.holder, x.fingerprint, x.id",
    )?;
    let rows = st
        .query_map([year], |r| {
            Ok(Row {
                applicant_id: r.get(0)?,
                credit_code: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                applicant: r.get(2)?,
                clause: r.get(3)?,
                holder: r.get(4)?,
                fingerprint: r.get(5)?,
                by: r.get(6)?,
                at: r.get(7)?,
            })
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut given_by_applicant = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let std::collections::hash_map::Entry::Vacant(slot) =
            given_by_applicant.entry(row.applicant_id)
        {
            slot.insert(given_points(conn, row.applicant_id, year)?);
        }
        let needed = needed_points(conn, guide.as_ref(), row.applicant_id, year, &row.clause)?;
        let mine = given_by_applicant
            .get(&row.applicant_id)
            .and_then(|g| g.get(&row.holder));
        let given = needed
            .iter()
            .filter(|k| mine.is_some_and(|m| m.contains(*k)))
            .count();
        out.push(Assignment {
            credit_code: row.credit_code,
            applicant: row.applicant,
            clause: (!row.clause.is_empty()).then_some(row.clause),
            holder: row.holder,
            fingerprint: row.fingerprint,
            assigned_by: row.by,
            assigned_at: row.at,
            needed: needed.len(),
            given,
            done: given == needed.len(),
        });
    }
    let mut people: BTreeMap<(String, String), PersonProgress> = BTreeMap::new();
    for a in &out {
        let p = people
            .entry((a.holder.clone(), a.fingerprint.clone()))
            .or_insert_with(|| PersonProgress {
                holder: a.holder.clone(),
                fingerprint: a.fingerprint.clone(),
                assigned: 0,
                done: 0,
            });
        p.assigned += 1;
        p.done += usize::from(a.done);
    }
    Ok(Assignments {
        round: year,
        independent: guide.as_ref().is_some_and(|g| g.panel.independent),
        people: people.into_values().collect(),
        assignments: out,
    })
}

/// The panel points the guide asks for on applicant `id`'s projects (of
/// `clause`, or all when empty): (clause, project key, factor).
fn needed_points(
    conn: &Connection,
    guide: Option<&Guide>,
    id: i64,
    year: i32,
    clause: &str,
) -> Result<Vec<(String, String, String)>> {
    let Some(g) = guide else {
        return Ok(Vec::new());
    };
    let (_, ex) = latest_submission(conn, id, year)?;
    let mut need = Vec::new();
    for p in &ex.projects {
        if !clause.is_empty() && !p.clause.as_str().eq_ignore_ascii_case(clause) {
            continue;
        }
        let Some(rules) = g.clauses.get(&p.clause) else {
            continue;
        };
        for f in rules.factors.iter().filter(|f| f.is_panel()) {
            need.push((
                p.clause.as_str().to_ascii_uppercase(),
                same_key(&p.name),
                f.id.clone(),
            ));
        }
    }
    Ok(need)
}

/// One reviewer's points on one panel factor.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FactorPoints {
    pub factor: String,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub points: Decimal,
}

/// One reviewer's points on one project.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewerPoints {
    pub reviewer: String,
    /// Points per panel factor, by factor id.
    pub points: Vec<FactorPoints>,
    /// Their panel points summed.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub total: Decimal,
}

/// The reviewers' points on one project side by side.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProjectSpread {
    pub credit_code: String,
    pub applicant: Option<String>,
    pub clause: String,
    pub project: String,
    pub reviewers: Vec<ReviewerPoints>,
    /// Highest − lowest total.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub spread: Decimal,
    /// The spread exceeds the guide's `panel.disagreement_threshold`.
    pub over_threshold: bool,
}

/// The comparison of a round's panel points, project by project.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Comparison {
    pub round: i32,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub threshold: Decimal,
    pub projects: Vec<ProjectSpread>,
}

/// Every project of round `year` with panel points, the reviewers' points
/// side by side and the spread of their totals; the widest spreads first.
pub fn comparison(conn: &Connection, year: i32) -> Result<Comparison> {
    let threshold = round_guide(conn, year)?
        .map(|(_, g)| g.panel.disagreement_threshold)
        .unwrap_or(Decimal::ZERO);
    let mut st = conn.prepare_cached(
        "SELECT a.credit_code, a.name, p.clause, p.project, p.reviewer, p.factor, p.points
         FROM panel_scores p JOIN applicants a ON a.id = p.applicant_id
         WHERE p.round_year = ?1 ORDER BY a.credit_code, p.clause, p.project, p.reviewer, p.factor",
    )?;
    type Key = (String, String, String);
    type Entry = (Option<String>, String, BTreeMap<String, ReviewerPoints>);
    let mut by: BTreeMap<Key, Entry> = BTreeMap::new();
    let rows = st.query_map([year], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    for row in rows {
        let (code, name, clause, project, reviewer, factor, points) = row?;
        let value: Decimal = points.parse().map_err(|_| {
            EngineError::Store(format!(
                "panel score of {code} {clause} '{project}' unreadable: {points}"
            ))
        })?;
        let entry = by
            .entry((code, clause.clone(), same_key(&project)))
            .or_insert_with(|| (name, project.clone(), BTreeMap::new()));
        let rp = entry
            .2
            .entry(reviewer.clone())
            .or_insert_with(|| ReviewerPoints {
                reviewer,
                points: Vec::new(),
                total: Decimal::ZERO,
            });
        rp.total += value;
        rp.points.push(FactorPoints {
            factor,
            points: value,
        });
    }
    let mut projects: Vec<ProjectSpread> = by
        .into_iter()
        .map(|((code, clause, _), (applicant, project, reviewers))| {
            let reviewers: Vec<ReviewerPoints> = reviewers.into_values().collect();
            let hi = reviewers.iter().map(|r| r.total).max().unwrap_or_default();
            let lo = reviewers.iter().map(|r| r.total).min().unwrap_or_default();
            let spread = hi - lo;
            ProjectSpread {
                credit_code: code,
                applicant,
                clause,
                project,
                over_threshold: reviewers.len() > 1 && spread > threshold,
                reviewers,
                spread,
            }
        })
        .collect();
    projects.sort_by(|a, b| {
        b.spread
            .cmp(&a.spread)
            .then_with(|| a.credit_code.cmp(&b.credit_code))
    });
    Ok(Comparison {
        round: year,
        threshold,
        projects,
    })
}

/// Independent scoring (`panel.independent`): on every project where
/// `viewer` has not given all their panel points, the others' points are
/// taken out of what `viewer` is shown — the panel list, the aggregated
/// panel points, the totals, and what follows from them (score, award,
/// explanation lines). Nothing changes when the guide does not score
/// independently, and for a frozen (approved) decision's figures.
pub fn hide_others(guide: &Guide, ev: &mut Evaluation, given: &HashSet<(String, String, String)>) {
    if !guide.panel.independent {
        return;
    }
    for p in &mut ev.projects {
        let clause = p.clause.as_str().to_ascii_uppercase();
        let key = same_key(&p.name);
        let panel: Vec<&str> = p
            .factors
            .iter()
            .filter(|f| f.value.is_none() && f.source_cell.is_none())
            .map(|f| f.id.as_str())
            .collect();
        if panel.is_empty()
            || panel
                .iter()
                .all(|f| given.contains(&(clause.clone(), key.clone(), (*f).to_string())))
        {
            continue;
        }
        for f in p
            .factors
            .iter_mut()
            .filter(|f| f.value.is_none() && f.source_cell.is_none())
        {
            f.panel.clear();
            f.points = None;
            f.disagreement = false;
        }
        p.panel_totals.clear();
        p.disagreement = false;
        if p.eligible && p.superseded_by.is_none() {
            p.score = None;
            p.computed_yuan = None;
            p.award_yuan = None;
            p.lines.clear();
        }
    }
    if ev
        .projects
        .iter()
        .any(|p| p.eligible && p.superseded_by.is_none() && p.award_yuan.is_none())
    {
        ev.total_yuan = None;
    }
}

/// An applicant's evaluation as `viewer` (the name their panel points are
/// recorded under) may see it: under independent scoring the others' points
/// are hidden until `viewer` has given their own ([`hide_others`]); an
/// approved decision's frozen figures are shown whole.
pub fn explain_for(store: &Store, credit_code: &str, viewer: &str) -> Result<Evaluation> {
    let mut ev = crate::review::evaluations::explain(store, credit_code)?;
    let conn = store.conn();
    let (id, year) = crate::review::rounds::applicant(conn, credit_code)?;
    if crate::review::decisions::frozen_figures(conn, id, year)?.is_some() {
        return Ok(ev);
    }
    if let Some((_, g)) = round_guide(conn, year)? {
        let given = given_points(conn, id, year)?
            .remove(viewer)
            .unwrap_or_default();
        hide_others(&g, &mut ev, &given);
    }
    Ok(ev)
}
