// Dev-only review fixtures: a fake engine result per application so `npx vite`
// shows the review section. The figures are fixed fixtures, not the guide's rules.
import type { Decision, Evaluation, ProjectResult, Review, RoundScore } from '../types';

export interface MockApp {
  submissionId: number;
  creditCode: string | null;
  projects: { clause: string; name: string }[];
}

let scored = false;
/** creditCode → "clause/project/factor" → reviewer → points */
const panel = new Map<string, Map<string, Map<string, string>>>();
const decisions = new Map<string, Decision>();
let nextDecision = 1;
const GUIDE = 'b3f1c09a7e5d4c21a8f0e6d2c4b9a7e1f3d5c7b9a1e3f5d7c9b1a3e5f7d9c1b3';

function fail(code: string, message: string): never {
  throw { code, message };
}

function project(app: MockApp, p: { clause: string; name: string }, all: { clause: string }[]): ProjectResult {
  const cc = app.creditCode!;
  const base = {
    clause: p.clause as ProjectResult['clause'],
    name: p.name,
    eligible: true,
    eligibility: [
      { id: 'registered', rule: '注册地在渝中区', pass: true, reason: '注册区县：渝中区（申报单位!B9）' },
      { id: 'credit', rule: '无严重失信记录', pass: true, reason: '信用中国查询无记录' },
    ],
    supersededBy: null as string | null,
  };
  if (p.clause === 'C2b' && all.some((x) => x.clause === 'C2a')) {
    return {
      ...base,
      factors: [],
      score: null,
      computedYuan: '300000.00',
      awardYuan: null,
      supersededBy: 'C2a',
      lines: [
        { label: '测算奖补', value: '300,000.00 元' },
        { label: '就高不重复', value: '同一主体 C2a 奖补更高，本项不予重复奖补' },
      ],
    };
  }
  if (p.clause === 'C2a' || p.clause === 'C3') {
    const key = `${p.clause}/${p.name}/innovation`;
    const scores = panel.get(cc)?.get(key) ?? new Map<string, string>();
    const list = [...scores.entries()].map(([who, pts]) => `${who} ${pts}`);
    const values = [...scores.values()].map(Number);
    const avg = values.length ? (values.reduce((a, b) => a + b, 0) / values.length).toFixed(2) : null;
    const spread = values.length > 1 ? Math.max(...values) - Math.min(...values) : 0;
    const score = avg === null ? null : (42 + Number(avg) * 3).toFixed(2);
    const award = score === null ? null : (Math.round(Number(score) * 10000) + '.00');
    return {
      ...base,
      eligibility: [
        ...base.eligibility,
        { id: 'invest', rule: '项目总投资不低于 500 万元', pass: false, reason: '申报 480 万元', overruled: '专家组认定追加投资已到位' },
      ],
      factors: [
        { id: 'invest', name: '项目投资额', weight: '0.30', value: '4,800,000.00', sourceCell: `${p.clause}!E3`, certified: true, points: '24.00', panel: [], disagreement: false },
        { id: 'revenue', name: '营业收入增长', weight: '0.20', value: '18%', sourceCell: '申报单位!B13', certified: false, points: '18.00', panel: [], disagreement: false },
        { id: 'innovation', name: '技术先进性', weight: '0.50', value: null, sourceCell: null, certified: false, points: avg, panel: list, disagreement: spread > 2 },
      ],
      score,
      computedYuan: award,
      awardYuan: award,
      lines: [
        { label: '项目投资额得分', value: '24.00 × 0.30' },
        { label: '营业收入增长得分', value: '18.00 × 0.20' },
        { label: '技术先进性（专家均分）', value: avg ?? '待专家评分' },
        { label: '总分', value: score ?? '—' },
        { label: '奖补 = 总分 × 10,000 元', value: award ? `${award} 元` : '—' },
      ],
    };
  }
  return {
    ...base,
    factors: [
      { id: 'capacity', name: '算力规模（PFlops）', weight: '1', value: '130', sourceCell: `${p.clause}!F3`, certified: false, points: null, panel: [], disagreement: false },
    ],
    score: null,
    computedYuan: '650000.00',
    awardYuan: '650000.00',
    lines: [
      { label: '项目总投资', value: '56,000,000.00 元' },
      { label: '奖补比例', value: '5%（上限 650,000.00 元）' },
      { label: '测算', value: '2,800,000.00 元 → 封顶 650,000.00 元' },
    ],
  };
}

function evaluate(app: MockApp): Evaluation {
  const projects = app.projects.map((p) => project(app, p, app.projects));
  const paid = projects.filter((p) => p.awardYuan !== null && !p.supersededBy);
  const total = paid.length === projects.filter((p) => !p.supersededBy).length
    ? paid.reduce((s, p) => s + Math.round(Number(p.awardYuan) * 100), 0)
    : null;
  const flags = app.projects.some((p) => p.clause === 'C2b')
    ? [{ code: 'double_claim', message: '可能重复申报：该单位已获区级同类算力补贴（其他政策支持!A3），请核实。' }]
    : [];
  return {
    creditCode: app.creditCode!,
    round: 2026,
    guide: GUIDE,
    projects,
    flags,
    totalYuan: total === null ? null : (total / 100).toFixed(2),
  };
}

export function explain(app: MockApp): Review {
  if (!app.creditCode) {
    return { evaluation: null, decision: null, unavailable: '统一社会信用代码无效，补正前无法评审。' };
  }
  const decision = decisions.get(app.creditCode) ?? null;
  if (!scored) return { evaluation: null, decision, unavailable: '2026 年度尚未评分：请先点击“评分”。' };
  return { evaluation: evaluate(app), decision, unavailable: null };
}

export function scoreRound(apps: MockApp[]): RoundScore {
  scored = true;
  const evaluations = apps.filter((a) => a.creditCode).map(evaluate);
  return {
    round: 2026,
    guide: GUIDE,
    applicants: evaluations.length,
    projects: evaluations.reduce((n, e) => n + e.projects.length, 0),
    eligible: evaluations.reduce((n, e) => n + e.projects.filter((p) => p.eligible).length, 0),
    pendingPanel: evaluations.reduce((n, e) => n + e.projects.filter((p) => p.awardYuan === null && !p.supersededBy).length, 0),
    frozen: [...decisions.values()].filter((d) => d.state === 'approved').length,
    totalYuan: '0.00',
    perClause: {},
    budgetYuan: '50000000.00',
    overBudget: false,
    flags: evaluations.flatMap((e) => e.flags),
    evaluations,
  };
}

export function recordPanel(app: MockApp, a: { reviewerName: string; clause: string; project: string; factor: string; points: string }) {
  if (!/^\d+(\.\d+)?$/.test(a.points) || Number(a.points) > 10) fail('invalid_points', `得分 ${a.points} 不在 0–10 之间。`);
  if (decisions.get(app.creditCode!)?.state === 'approved') fail('frozen', '决定已批准，评分已冻结。');
  const byApp = panel.get(app.creditCode!) ?? new Map();
  panel.set(app.creditCode!, byApp);
  const key = `${a.clause}/${a.project}/${a.factor}`;
  const m = byApp.get(key) ?? new Map<string, string>();
  byApp.set(key, m);
  m.set(a.reviewerName, a.points);
  return null;
}

export function decide(app: MockApp, action: 'propose' | 'approve' | 'return', who: string, comment = ''): Decision {
  const cc = app.creditCode!;
  const now = new Date().toISOString().slice(0, 19);
  const d = decisions.get(cc);
  if (action === 'propose') {
    if (d && d.state !== 'returned') fail('conflict', '该单位已有待审批或已批准的决定。');
    const nd: Decision = { id: nextDecision++, creditCode: cc, round: 2026, state: 'proposed', proposedBy: who, proposedAt: now, approvedBy: null, approvedAt: null, comment: null, figures: evaluate(app) };
    decisions.set(cc, nd);
    return nd;
  }
  if (!d || d.state !== 'proposed') fail('conflict', '没有待审批的决定。');
  if (d.proposedBy === who) fail('same_person', `提出人 ${who} 不能审批自己的提议`);
  const nd: Decision = action === 'approve'
    ? { ...d, state: 'approved', approvedBy: who, approvedAt: now }
    : { ...d, state: 'returned', approvedBy: who, approvedAt: now, comment };
  decisions.set(cc, nd);
  return nd;
}

/** Every applicant's latest decision (for the Decisions and Letters screens). */
export function allDecisions(): Decision[] {
  return [...decisions.values()];
}

/** Marks a decision's letters as issued. */
export function markIssued(cc: string): Decision {
  const d = decisions.get(cc);
  if (!d || d.state !== 'approved') fail('invalid', '只能为已审批的决定出具决定书。');
  const nd: Decision = { ...d, state: 'issued' };
  decisions.set(cc, nd);
  return nd;
}
