// Pure helpers of the Decisions, Letters and certificate screens (tested in
// letters.test.ts). They arrange what the Rust side returned; no figure or
// verdict is computed here.
import type { Lang } from '../i18n/catalogues';
import type { ApplicationRow, DecisionRow, DecisionState, LetterRow } from '../types';

export type DecisionFilter = 'proposed' | 'all';

/** The approvers' queue: proposed decisions first (oldest first, as the Rust side orders them), then the rest. */
export function decisionQueue(rows: DecisionRow[], filter: DecisionFilter): DecisionRow[] {
  if (filter === 'proposed') return rows.filter((r) => r.decision.state === 'proposed');
  const rank: Record<DecisionState, number> = { proposed: 0, approved: 1, returned: 2, issued: 3 };
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank[a.r.decision.state] - rank[b.r.decision.state] || a.i - b.i)
    .map(({ r }) => r);
}

/** Approved decisions whose letters are not issued yet. */
export function readyToIssue(rows: DecisionRow[]): DecisionRow[] {
  return rows.filter((r) => r.decision.state === 'approved');
}

/** The first characters of a fingerprint, grouped in fours for reading aloud. */
export function shaPrefix(sha: string, chars = 16): string {
  return (sha.slice(0, chars).match(/.{1,4}/g) ?? []).join(' ');
}

/** The register's numbers, joined for a message; with `kinds`, each with its kind's name. */
export function numbers(rows: LetterRow[], sep: string, kinds?: Record<string, string>): string {
  return rows.map((r) => (kinds ? `${r.number}（${kinds[r.kind] ?? r.kind}）` : r.number)).join(sep);
}

/** A PDF date (D:20261126092241+08'00') as "2026-11-26 09:22:41 +08:00"; anything else as given. */
export function pdfDate(d: string, lang: Lang = 'zh-CN', zoneMinutes?: number): string {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'?(\d{2})'?|Z)?/.exec(d);
  if (!m) return d;
  const [y, mo, day, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const hasZone = m[7] !== undefined || m[0].endsWith('Z');
  if (!hasZone) return shownDateTime(y, mo, day, h, mi, s, null, lang);
  // The signing instant, shown in this computer's zone (or the one given), with that zone named.
  const signedOffset = m[7] ? (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) : 0;
  const instant = Date.UTC(y, mo - 1, day, h, mi, s) - signedOffset * 60_000;
  const zone = zoneMinutes ?? -new Date(instant).getTimezoneOffset();
  const local = new Date(instant + zone * 60_000);
  return shownDateTime(
    local.getUTCFullYear(),
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    zone,
    lang,
  );
}

function shownDateTime(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: number | null, lang: Lang): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const time = `${p2(h)}:${p2(mi)}:${p2(s)}`;
  const z =
    zone === null ? '' : `UTC${zone < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(zone) / 60))}:${p2(Math.abs(zone) % 60)}`;
  if (lang === 'zh-CN') return `${y}年${mo}月${d}日 ${time}${z ? `（${z}）` : ''}`;
  return `${y}-${p2(mo)}-${p2(d)} ${time}${z ? ` ${z}` : ''}`;
}

/** Workbooks that need correction and have no correction notice in the register yet. */
export function correctionsDue(rows: ApplicationRow[], letters: LetterRow[]): ApplicationRow[] {
  const noticed = new Set(letters.filter((l) => l.kind === 'correction' && !l.voided).map((l) => l.submissionId));
  return rows.filter((r) => r.status === 'needs_correction' && !noticed.has(r.submissionId));
}

/** The projects a letter's title names (the text inside “…”), or null. */
export function titleProjects(title: string | null | undefined): string | null {
  if (!title) return null;
  // a refusal of several projects is titled “first”等N个项目
  const names = [...title.matchAll(/“([^”]+)”(等\d+个项目)?/g)].map((m) => m[1] + (m[2] ? ` ${m[2]}` : ''));
  return names.length > 0 ? names.join('、') : null;
}
