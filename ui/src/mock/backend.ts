// Dev-only stand-in for the Rust side, so `npx vite` renders the app in a
// plain browser. api.ts loads it only when import.meta.env.DEV is true and
// window.__TAURI_INTERNALS__ is absent; production builds drop it.
//
// URL switches (dev only): ?seed=1 starts with the sample round imported,
// ?rows=N starts with N synthetic applications, ?audit=broken fakes a broken
// audit chain, ?fail=CMD makes that command fail.
import type {
  ApplicationDetail,
  ApplicationRow,
  CommandMap,
  CommandName,
  EventMap,
  ImportFileResult,
  ImportReport,
} from '../types';
import { allDecisions, decide, explain, markIssued, recordPanel, scoreRound } from './review';
import * as letters from './letters';
import * as ov from './overview';
import { REJECTED_FILE, SAMPLE_FILES, syntheticFiles, type SampleFile } from './data';

type Handler<E extends keyof EventMap> = (payload: EventMap[E]) => void;

const listeners: { [E in keyof EventMap]: Set<Handler<E>> } = {
  'import-progress': new Set(),
  'import-finished': new Set(),
  'import-failed': new Set(),
  'letter-verified': new Set(),
  'letter-verify-failed': new Set(),
  'letters-batch-progress': new Set(),
  'letters-batch-finished': new Set(),
};

function emit<E extends keyof EventMap>(event: E, payload: EventMap[E]) {
  for (const h of listeners[event]) (h as Handler<E>)(payload);
}

export function mockListen<E extends keyof EventMap>(event: E, handler: Handler<E>): () => void {
  listeners[event].add(handler as never);
  return () => listeners[event].delete(handler as never);
}

const params = new URLSearchParams(typeof location === 'undefined' ? '' : location.search);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stored extends ApplicationDetail {
  key: string;
}

const store: Stored[] = [];
const hashes = new Set<string>();
let auditEntries = 1;

const basename = (p: string) => p.split(/[\\/]/).pop() ?? p;

function importOne(file: SampleFile): ImportFileResult {
  const d = file.detail;
  if (hashes.has(file.fileHash)) {
    return { path: file.path, status: 'duplicate', creditCode: d.creditCode, applicant: d.applicant, issues: [] };
  }
  hashes.add(file.fileHash);
  const key = d.creditCode ?? `provisional:${file.fileHash}`;
  const version = store.filter((s) => s.key === key).length + 1;
  store.push({
    ...d,
    key,
    submissionId: store.length + 1,
    version,
    fileName: basename(file.path),
    fileHash: file.fileHash,
    importedAt: file.importedAt,
  });
  auditEntries++;
  return { path: file.path, status: d.status, creditCode: d.creditCode, applicant: d.applicant, issues: d.issues };
}

async function importMany(files: SampleFile[], extra: ImportFileResult[] = []): Promise<ImportReport> {
  const results: ImportFileResult[] = [];
  const total = files.length + extra.length;
  for (const [i, file] of files.entries()) {
    emit('import-progress', { done: i, total, file: basename(file.path) });
    await sleep(120);
    results.push(importOne(file));
  }
  for (const x of extra) {
    await sleep(80);
    results.push(x);
  }
  emit('import-progress', { done: total, total, file: '' });
  const report = { files: results };
  emit('import-finished', report);
  return report;
}

function latestRows(): ApplicationRow[] {
  const latest = new Map<string, Stored>();
  for (const s of store) latest.set(s.key, s);
  return [...latest.values()].map((s) => ({
    submissionId: s.submissionId,
    creditCode: s.creditCode,
    applicant: s.applicant,
    status: s.status,
    version: s.version,
    fileName: s.fileName,
    importedAt: s.importedAt,
    errorCount: s.issues.filter((i) => i.severity === 'error').length,
    warningCount: s.issues.filter((i) => i.severity === 'warning').length,
    clauses: [...new Set(s.projects.map((p) => p.clause))],
    district: (s.fields['注册区县']?.value as string | undefined) ?? null,
  }));
}

function latestApps(): Stored[] {
  const latest = new Map<string, Stored>();
  for (const s of store) latest.set(s.key, s);
  return [...latest.values()];
}

function byCode(code: string): Stored {
  const s = latestApps().find((x) => x.creditCode === code);
  if (!s) throw { code: 'not_found', message: `没有统一社会信用代码为 ${code} 的申报。` };
  return s;
}

// Start-up state from the URL.
if (params.get('seed')) for (const f of SAMPLE_FILES) importOne(f);
const rowsParam = Number(params.get('rows') ?? 0);
if (rowsParam > 0) for (const f of syntheticFiles(Math.min(rowsParam, 50000))) importOne(f);

let dialogCount = 0;

/** ?lock=missing|plain|encrypted starts at the unlock screen; the mock passphrase is "correct horse". */
const lock = {
  state: (['missing', 'plain', 'encrypted'].includes(params.get('lock') ?? '')
    ? params.get('lock')
    : 'encrypted') as 'missing' | 'plain' | 'encrypted',
  unlocked: !params.get('lock'),
};
const MOCK_RECOVERY = '7K2P-39QX-3D6W-MA5U-1Y2B-8C4D-5E6F-7G8H-9J0K-AM1N-BP2Q-CR3S-TV4W';

const handlers: { [C in CommandName]: (args: CommandMap[C][0]) => Promise<CommandMap[C][1]> } = {
  async store_status() {
    return { state: lock.state, unlocked: lock.unlocked, dbPath: '/home/reviewer/.local/share/reviewdesk/reviewdesk.db', minPassphraseChars: 8 };
  },
  async unlock_store(args) {
    await sleep(300);
    if (lock.state === 'encrypted') {
      const ok = args.passphrase === 'correct horse' || (args.recoveryKey ?? '').replace(/[\s-]/g, '').toUpperCase() === MOCK_RECOVERY.replace(/-/g, '');
      if (!ok) throw { code: 'wrong_passphrase', message: args.recoveryKey ? '恢复密钥不正确 / the recovery key is not correct' : '口令不正确 / the passphrase is not correct' };
      lock.unlocked = true;
      return { recoveryKey: null, encryptedNow: false, backupsEncrypted: 0, quickCheck: 'ok' };
    }
    const was = lock.state;
    lock.state = 'encrypted';
    lock.unlocked = true;
    return { recoveryKey: MOCK_RECOVERY, encryptedNow: was === 'plain', backupsEncrypted: was === 'plain' ? 2 : 0, quickCheck: 'ok' };
  },
  async change_passphrase() {
    await sleep(300);
    return null;
  },
  async print_letters(args) {
    await sleep(200);
    return `/home/reviewer/.local/share/reviewdesk/letters/print/打印-${args.numbers.length || 'all'}.pdf`;
  },
  async round_guides() {
    return [];
  },
  async choose_guide_file() {
    await sleep(200);
    return null;
  },
  async use_chosen_guide() {
    throw { code: 'invalid', message: '模拟后端不更换指南' };
  },
  async seal_info() {
    return null;
  },
  async choose_seal_image() {
    await sleep(200);
    return { sha256: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12', width: 600, height: 600, bytes: 48213 };
  },
  async set_reviewer() {
    return null;
  },
  async cancel_import() {
    return null;
  },
  async save_template_with_dialog(args) {
    await sleep(200);
    return `/home/reviewer/${args.year}年度算力经济扶持资金申报表.xlsx`;
  },
  async store_health() {
    return { ran: false, report: null };
  },
  async backup_now() {
    await sleep(300);
    return { path: '/home/reviewer/.local/share/reviewdesk/backups/reviewdesk-20261126-093000.000.db' };
  },
  async app_info() {
    return {
      version: '0.1.0-dev (mock)',
      dbPath: '/home/reviewer/.local/share/cn.gov.yuzhong.reviewdesk/reviewdesk.db',
      dataDir: '/home/reviewer/.local/share/cn.gov.yuzhong.reviewdesk',
    };
  },
  async list_applications() {
    await sleep(80);
    return latestRows();
  },
  async show_application(args) {
    await sleep(60);
    const s = store.find((x) => x.submissionId === args.submissionId);
    if (!s) throw { code: 'not_found', message: `没有编号为 ${args.submissionId} 的申报。` };
    const { key: _key, ...detail } = s;
    return detail;
  },
  async load_sample_round() {
    return importMany(SAMPLE_FILES);
  },
  async import_with_dialog() {
    await sleep(300);
    dialogCount++;
    if (dialogCount % 3 === 0) return null; // every third time the reviewer "cancels"
    const n = store.length;
    return importMany(syntheticFiles(n + 2).slice(n), [REJECTED_FILE]);
  },
  async explain_application(args) {
    await sleep(60);
    const s = store.find((x) => x.submissionId === args.submissionId);
    if (!s) throw { code: 'not_found', message: `没有编号为 ${args.submissionId} 的申报。` };
    return explain(s);
  },
  async score_round() {
    await sleep(300);
    return scoreRound([...latestApps()]);
  },
  async record_panel_score(args) {
    await sleep(40);
    return recordPanel(byCode(args.creditCode), args);
  },
  async propose_decision(args) {
    return decide(byCode(args.creditCode), 'propose', args.reviewerName);
  },
  async approve_decision(args) {
    await sleep(200);
    return decide(byCode(args.creditCode), 'approve', letters.unlock(args.password));
  },
  async list_decisions() {
    await sleep(60);
    return allDecisions().map((decision) => {
      const app = byCode(decision.creditCode);
      return { applicant: app.applicant, submissionId: app.submissionId, decision };
    });
  },
  async certificate_info() {
    return letters.certificateInfo();
  },
  async choose_certificate_file() {
    await sleep(200);
    return letters.chooseFile();
  },
  async import_certificate(args) {
    await sleep(100);
    return letters.importCertificate(args.password);
  },
  async create_test_certificate(args) {
    await sleep(400);
    return letters.createTest(args.holder, args.password);
  },
  async preview_letters(args) {
    await sleep(150);
    const d = allDecisions().find((x) => x.creditCode === args.creditCode);
    if (!d) throw { code: 'invalid', message: `${args.creditCode} 尚无决定` };
    return letters.preview(d, byCode(d.creditCode).applicant ?? '');
  },
  async issue_letters(args) {
    await sleep(300);
    const signer = letters.unlock(args.password);
    const d = allDecisions().find((x) => x.creditCode === args.creditCode);
    if (!d) throw { code: 'invalid', message: `${args.creditCode} 尚无决定` };
    if (d.approvedBy !== signer) throw { code: 'invalid', message: `只有审批人 ${d.approvedBy ?? ''} 可以签发` };
    markIssued(d.creditCode);
    return letters.issue(d, byCode(d.creditCode).applicant ?? '', signer);
  },
  async preview_correction_notice(args) {
    await sleep(150);
    throw { code: 'invalid', message: `模拟后端不预览补正告知书（申报记录 ${args.submissionId}）` };
  },
  async issue_correction_notice(args) {
    await sleep(300);
    letters.unlock(args.password);
    throw { code: 'invalid', message: `模拟后端不出具补正告知书（申报记录 ${args.submissionId}）` };
  },
  async issue_all_letters(args) {
    const signer = letters.unlock(args.password);
    const ready = allDecisions().filter((d) => d.state === 'approved');
    void (async () => {
      const issued = [];
      for (const [i, d] of ready.entries()) {
        const applicant = byCode(d.creditCode).applicant;
        emit('letters-batch-progress', { done: i, total: ready.length, applicant });
        await sleep(400);
        markIssued(d.creditCode);
        issued.push(...letters.issue(d, applicant ?? '', signer));
      }
      emit('letters-batch-progress', { done: ready.length, total: ready.length, applicant: null });
      emit('letters-batch-finished', { issued, failed: [], total: ready.length, cancelled: false });
    })();
    return ready.length;
  },
  async cancel_issue_all() {
    return null;
  },
  async delivery_methods() {
    return ['直接送达', '邮寄送达', '电子送达', '留置送达', '委托送达', '公告送达'];
  },
  async record_delivery(args) {
    const row = letters.letters().find((l) => l.number === args.number);
    if (!row) throw { code: 'not_found', message: `登记簿中没有文号 ${args.number}` };
    return null;
  },
  async void_letter(args) {
    if (args.reason.trim().length < 4) throw { code: 'invalid', message: '作废须写明理由（至少 4 个字）' };
    return null;
  },
  async list_letters() {
    await sleep(60);
    return letters.letters();
  },
  async open_letter(args) {
    const row = letters.letters().find((l) => l.number === args.number);
    if (!row) throw { code: 'not_found', message: `登记簿中没有文号 ${args.number}` };
    return row.path;
  },
  async verify_letter_with_dialog() {
    await sleep(300);
    return letters.check(undefined, 'changed-letter.pdf');
  },
  async verify_issued_letter(args) {
    await sleep(150);
    const row = letters.letters().find((l) => l.number === args.number);
    return letters.check(row, `${args.number}.pdf`);
  },
  async return_decision(args) {
    return decide(byCode(args.creditCode), 'return', args.reviewerName, args.comment);
  },
  async audit_verify() {
    await sleep(400);
    if (params.get('audit') === 'broken') {
      return {
        ok: false,
        entries: auditEntries,
        firstBad: 3,
        message: '第 3 条审计记录的哈希与前一条不符：数据库可能在应用之外被改动过。',
      };
    }
    return { ok: true, entries: auditEntries, firstBad: null, message: '' };
  },
  async round_overview() {
    await sleep(60);
    return ov.overview(latestApps(), allDecisions());
  },
  async round_budget() {
    return ov.budget(store.length > 0);
  },
  async workbook_versions(args) {
    const mine = store.filter((s) => s.creditCode === args.creditCode).map((s) => s.version);
    return { round: 2026, versions: linked.has(args.creditCode) ? [0, ...mine] : mine };
  },
  async compare_versions(args) {
    await sleep(60);
    return ov.diff(args.creditCode, byCode(args.creditCode).applicant, args.from, args.to);
  },
  async link_suggestions() {
    return ov.suggestions(latestApps()).map((x) => ({ ...x, linked: linked.get(x.creditCode) === x.provisionalKey }));
  },
  async link_provisional(args) {
    linked.set(args.creditCode, args.provisionalKey);
    return {
      provisionalKey: args.provisionalKey,
      creditCode: args.creditCode,
      provisionalName: null,
      applicant: byCode(args.creditCode).applicant,
      nameMatches: true,
      previous: null,
      submissions: [],
    };
  },
};
/** Mock links: credit code → provisional key. */
const linked = new Map<string, string>();

export async function mockInvoke(cmd: string, args: unknown): Promise<unknown> {
  if (params.get('fail') === cmd) {
    await sleep(100);
    throw { code: 'mock_failure', message: `模拟失败：${cmd} 没有完成（数据库被另一个程序占用）。` };
  }
  const h = handlers[cmd as CommandName] as ((a: unknown) => Promise<unknown>) | undefined;
  if (!h) throw { code: 'unknown_command', message: `Unknown command: ${cmd}` };
  return h(args);
}
