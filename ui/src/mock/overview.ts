// Dev-only stand-ins for commands/overview.rs: the overview is counted from
// the mock store, the budget and version comparison are fixed examples.
import type {
  ApplicationDetail,
  Attention,
  AttentionKind,
  BudgetReport,
  Decision,
  LinkSuggestion,
  RoundOverview,
  VersionDiff,
} from '../types';

const KINDS: AttentionKind[] = [
  'correction_notice',
  'link_provisional',
  'not_scored',
  'panel_scores',
  'disagreement',
  'awaiting_approval',
  'letter_to_issue',
  'delivery',
];

export function overview(apps: (ApplicationDetail & { key: string })[], decisions: Decision[]): RoundOverview {
  const attention: Attention[] = KINDS.map((kind) => ({ kind, count: 0, items: [] }));
  const add = (kind: AttentionKind, a: ApplicationDetail, note: string | null = null) => {
    const x = attention.find((y) => y.kind === kind)!;
    x.count++;
    if (x.items.length < 6)
      x.items.push({ submissionId: a.submissionId, applicant: a.applicant, creditCode: a.creditCode, note });
  };
  const state = (a: ApplicationDetail) => decisions.find((d) => d.creditCode === a.creditCode)?.state;
  for (const a of apps) {
    if (a.status === 'needs_correction') add('correction_notice', a);
    if (!a.creditCode) add('link_provisional', a, a.key);
    else if (state(a) === 'proposed') add('awaiting_approval', a);
    else if (state(a) === 'approved') add('letter_to_issue', a);
    else if (!state(a) && a.status === 'ok') add('not_scored', a);
  }
  const n = (s: string) => decisions.filter((d) => d.state === s).length;
  const funded = decisions.filter((d) => d.state === 'approved' || d.state === 'issued').length;
  return {
    round: apps.length ? 2026 : null,
    counts: {
      imported: apps.length,
      needsCorrection: apps.filter((a) => a.status === 'needs_correction').length,
      eligible: apps.filter((a) => a.creditCode && a.status === 'ok').length,
      scored: decisions.length,
      proposed: n('proposed'),
      approved: n('approved'),
      letterIssued: n('issued'),
    },
    attention,
    targets: [
      { key: 'enterprises', target: 50, supported: funded, eligible: apps.filter((a) => a.status === 'ok').length },
      { key: 'research', target: 3, supported: 0, eligible: 1 },
    ],
  };
}

export function budget(hasApps: boolean): BudgetReport | null {
  if (!hasApps) return null;
  return {
    round: 2026,
    guide: 'mock',
    budgetYuan: '3000000.00',
    rule: 'pro_rata',
    applicants: 5,
    totalYuan: '3250000.00',
    frozenYuan: '0.00',
    pending: 1,
    perClause: [
      { clause: 'C1', projects: 1, totalYuan: '1000000.00', reducedYuan: null },
      { clause: 'C2a', projects: 1, totalYuan: '650000.00', reducedYuan: null },
      { clause: 'C3', projects: 2, totalYuan: '1600000.00', reducedYuan: null },
    ],
    overBudget: true,
    overByYuan: '250000.00',
    remainingYuan: null,
    reducedTotalYuan: null,
    message: '已知扶持金额合计超出预算 250,000.00 元（按比例核减待全部评分完成后计算）',
    messageEn: 'The known awards exceed the budget by 250,000.00 (pro rata once every score is in)',
  };
}

export function suggestions(apps: (ApplicationDetail & { key: string })[]): LinkSuggestion[] {
  const coded = apps.filter((a) => a.creditCode);
  return apps
    .filter((a) => !a.creditCode && coded.length > 0)
    .map((a) => ({ provisionalKey: a.key, name: a.applicant, creditCode: coded[coded.length - 1].creditCode!, linked: false }));
}

export function diff(creditCode: string, applicant: string | null, from: number, to: number): VersionDiff {
  const info = (version: number) => ({
    version,
    submissionId: version + 10,
    fileName: `申报表-v${version}.xlsx`,
    fileHash: 'ab'.repeat(32),
    importedAt: '2026-11-20T09:30:00Z',
    status: version <= 0 ? 'needs_correction' : 'ok',
  });
  return {
    creditCode,
    applicant,
    round: 2026,
    from: info(from),
    to: info(to),
    differences: [
      {
        scope: 'applicant',
        clause: null,
        project: null,
        label: '统一社会信用代码',
        labelEn: 'Credit code',
        change: 'changed',
        old: { value: null, raw: '9.15001E+17', cell: '申报单位!B3' },
        new: { value: creditCode, raw: creditCode, cell: '申报单位!B3' },
      },
      {
        scope: 'project',
        clause: 'C1',
        project: '算力中心一期',
        label: '营业收入',
        labelEn: 'Revenue',
        change: 'changed',
        old: { value: null, raw: '约三千万', cell: 'C1!F5' },
        new: { value: '30000000', raw: '30000000', cell: 'C1!F5' },
      },
    ],
  };
}
