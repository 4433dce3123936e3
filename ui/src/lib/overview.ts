// Helpers for the round overview and the version comparison: how to lay out
// what the engine reported. Nothing here decides an amount or a status;
// shares of the budget are computed on whole fen with integers (no float),
// for the bars and the percentage shown beside them.
import { parseDecimal } from './format';
import type { Attention, Difference, DiffSide } from '../types';
import type { Role } from '../state/reviewer.svelte';

/** "1234.5" → 123450n fen; null when not a plain decimal. Fractions beyond the fen are cut, for display only. */
export function toFen(yuan: string): bigint | null {
  const p = parseDecimal(yuan);
  if (!p) return null;
  const fen = BigInt(p.int) * 100n + BigInt((p.frac + '00').slice(0, 2));
  return p.negative ? -fen : fen;
}

/** Share of `whole` in tenths of a percent (0…∞), integer; null without a positive whole. */
export function perMille(part: string, whole: string | null): number | null {
  if (whole === null) return null;
  const a = toFen(part);
  const b = toFen(whole);
  if (a === null || b === null || b <= 0n) return null;
  return Number((a * 1000n) / b);
}

/** Tenths of a percent as text: 1234 → "123.4%". */
export function percentText(pm: number): string {
  return `${Math.floor(pm / 10)}.${pm % 10}%`;
}

/** A bar's width in percent, clamped to 0…100. */
export function barWidth(pm: number | null): number {
  if (pm === null || pm < 0) return 0;
  return Math.min(100, pm / 10);
}

/** Progress towards a target in percent, clamped to 0…100. */
export function targetWidth(done: number, target: number): number {
  if (target <= 0) return 0;
  return Math.max(0, Math.min(100, (100 * done) / target));
}

/** The attention kinds each role acts on; the rest is the other role's. */
export const ROLE_KINDS: Record<Role, readonly string[]> = {
  reviewer: ['link_provisional', 'not_scored', 'panel_scores', 'disagreement'],
  approver: ['awaiting_approval', 'letter_to_issue', 'correction_notice', 'delivery'],
};

/** Whether `kind` is work for `role` (no role: everything is). */
export function isMine(kind: string, role: Role | null): boolean {
  return role === null || ROLE_KINDS[role].includes(kind);
}

/** The waiting kinds with this role's own first, each group in the engine's order. */
export function waitingFor(att: readonly Attention[], role: Role | null): Attention[] {
  const w = waiting(att);
  return [...w.filter((a) => isMine(a.kind, role)), ...w.filter((a) => !isMine(a.kind, role))];
}

/** The attention kinds with something waiting, in the engine's order. */
export function waiting(att: readonly Attention[]): Attention[] {
  return att.filter((a) => a.count > 0);
}

/** The pair to compare first: the two latest versions (older, newer); null with fewer than two. */
export function defaultPair(versions: readonly number[]): [number, number] | null {
  if (versions.length < 2) return null;
  const v = [...versions].sort((a, b) => a - b);
  return [v[v.length - 2], v[v.length - 1]];
}

export interface DiffGroup {
  /** "applicant", or "project:C1:name", "other_support:name". */
  key: string;
  scope: Difference['scope'];
  clause: string | null;
  project: string | null;
  rows: Difference[];
}

/** Differences grouped by where they sit (applicant form, each project, each other-support row), in the engine's order. */
export function groupDifferences(diffs: readonly Difference[]): DiffGroup[] {
  const groups: DiffGroup[] = [];
  const byKey = new Map<string, DiffGroup>();
  for (const d of diffs) {
    const key = d.scope === 'applicant' ? 'applicant' : `${d.scope}:${d.clause ?? ''}:${d.project ?? ''}`;
    let g = byKey.get(key);
    if (!g) {
      g = { key, scope: d.scope, clause: d.clause, project: d.project, rows: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.rows.push(d);
  }
  return groups;
}

/** How one side of a difference reads: the stored value, else the raw text; `null` when the side is absent. */
export function sideText(side: DiffSide | null): { text: string; unreadable: boolean } | null {
  if (!side) return null;
  const v = side.value;
  if (v === null || v === undefined) return { text: side.raw, unreadable: side.raw.trim() !== '' };
  if (typeof v === 'object') return { text: JSON.stringify(v), unreadable: false };
  return { text: String(v), unreadable: false };
}

/**
 * An audit entry's detail for a one-line list: a JSON object reads as
 * "key: value · key: value" (hashes cut to 12 characters); anything else as given.
 */
export function auditDetail(detail: string): string {
  let o: unknown;
  try {
    o = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return detail;
  return Object.entries(o as Record<string, unknown>)
    .map(([k, v]) => {
      let text = typeof v === 'string' ? v : JSON.stringify(v);
      if (/^[0-9a-f]{40,}$/.test(text)) text = `${text.slice(0, 12)}…`;
      return `${k}: ${text}`;
    })
    .join(' · ');
}
