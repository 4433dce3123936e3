// The 公示与拨付 screen's logic, apart from the markup so it is tested on
// its own: what can be done now and why not, the ledger's state chips,
// objections under the notice that lists their applicant, and each
// clawback case's next step. Display only: the engine decides.
import type { ClawbackCase, LedgerRow, NoticePlan, NoticeSummary, Objection, PersonRole } from '../../types';

/** Why publishing a 公示 cannot be done now, or null when it can. */
export type PublishBlock = 'signIn' | 'needRegister' | 'noApproved' | 'calendar' | null;

export function publishBlock(plan: NoticePlan | null, roles: readonly PersonRole[] | null): PublishBlock {
  if (roles === null) return 'signIn';
  if (!roles.includes('register')) return 'needRegister';
  if (!plan || plan.pending === 0) return 'noApproved';
  if (plan.problem || !plan.until) return 'calendar';
  return null;
}

/** Why an act needing `role` cannot be done by this person, or null. */
export function roleBlock(roles: readonly PersonRole[] | null, role: PersonRole): 'signIn' | 'needRole' | null {
  if (roles === null) return 'signIn';
  return roles.includes(role) ? null : 'needRole';
}

/** The chip of a ledger row's state (the engine's Chinese term). */
export type LedgerChip = 'pending' | 'paid' | 'partly' | 'recovered' | 'topUp' | 'settled' | 'excess' | 'other';

export function ledgerChip(state: string): LedgerChip {
  switch (state) {
    case '待拨付':
      return 'pending';
    case '已拨付':
      return 'paid';
    case '部分追回':
      return 'partly';
    case '已追回':
      return 'recovered';
    // an amendment's row netted against what the letter it replaced paid
    case '待补拨':
      return 'topUp';
    case '已按原文书拨付':
      return 'settled';
    case '应追回差额':
      return 'excess';
    default:
      return 'other';
  }
}

/** How many ledger rows are in each chip state. */
export function ledgerCounts(rows: readonly LedgerRow[]): Record<LedgerChip, number> {
  const out: Record<LedgerChip, number> = { pending: 0, paid: 0, partly: 0, recovered: 0, topUp: 0, settled: 0, excess: 0, other: 0 };
  for (const r of rows) out[ledgerChip(r.state)] += 1;
  return out;
}

/** A credit code as a notice shows it (possibly masked: 915001****2P39) matches a full one. */
export function codeMatches(shown: string, code: string): boolean {
  if (shown === code) return true;
  if (!shown.includes('*') || shown.length !== code.length) return false;
  return [...shown].every((c, i) => c === '*' || c === code[i]);
}

/** The objections about an applicant listed on `notice`. */
export function objectionsFor(notice: NoticeSummary, objections: readonly Objection[]): Objection[] {
  return objections.filter((o) => notice.entries.some((e) => codeMatches(e.creditCode, o.creditCode)));
}

/** Objections about applicants on no notice (recorded against a decision not yet published). */
export function unlisted(notices: readonly NoticeSummary[], objections: readonly Objection[]): Objection[] {
  return objections.filter((o) => !notices.some((n) => n.entries.some((e) => codeMatches(e.creditCode, o.creditCode))));
}

/** A clawback case's next step (what the register office does next). */
export type ClawbackStep = 'notify' | 'awaitResponse' | 'revoke' | 'record' | 'done';

export function nextStep(c: ClawbackCase): ClawbackStep {
  switch (c.state) {
    case 'found':
      return 'notify';
    case 'notified':
      return 'awaitResponse';
    case 'responded':
      return 'revoke';
    case 'letter_issued':
    case 'partly_recovered':
      return 'record';
    default:
      return 'done';
  }
}

/** Today as YYYY-MM-DD in this computer's time zone. */
export function todayIso(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The managed list kinds, in the order the screen shows them. */
export const LIST_KINDS = ['blacklist', 'platforms', 'aiplus', 'other-policy'] as const;
