// The only module that talks to Tauri. Screens call these typed functions and
// branch on ApiError.code; nothing else imports @tauri-apps/api. `call` is
// typed by the CommandMap generated from the Rust command table
// (src-tauri/src/commands/list.rs); src-tauri/tests/hardening.rs checks that
// the wrappers below call exactly those commands with their argument keys.
//
// Outside Tauri (a plain browser) there is no engine. Under `vite` dev,
// read-only commands are answered from fixtures recorded from the real CLI
// (src/dev/backend.ts, ui/scripts/record-fixtures.mjs) and everything else
// fails with `dev_fixtures`; in a production build every command fails with
// `no_backend` ("run the desktop app"). The guard is `import.meta.env.DEV`,
// which Vite replaces with `false` in `npm run build`, so the dev backend and
// its fixtures are dropped from ui/dist entirely.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  AppInfo,
  ApplicationDetail,
  ApplicationRow,
  AuditResult,
  CommandMap,
  CommandName,
  EventMap,
  ImportReport,
  Decision,
  DecisionRow,
  SealCertificate,
  ActingPerson,
  SignInChoices,
  Person,
  PersonRole,
  TestBureau,
  LetterCheck,
  LetterRow,
  PreviewLetter,
  PanelScoreArgs,
  Review,
  RoundScore,
  StoreStatus,
  UnlockArgs,
  UnlockResult,
  ChangePassphraseArgs,
  HealthResult,
  RoundOverview,
  BudgetReport,
  WorkbookVersions,
  VersionDiff,
  LinkSuggestion,
  LinkOutcome,
  SealInfo,
  RoundGuide,
  GuidePreview,
  ExchangeStatus,
  PackageExport,
  PackageReport,
  Assignments,
  PanelComparison,
  NotesAndLabels,
  NoticeSummary,
  NoticePlan,
  PublishedNotice,
  Objection,
  ObjectionResolution,
  LedgerRow,
  LedgerExport,
  LedgerImport,
  ManagedList,
  ListImport,
  CalendarYear,
  ClawbackCase,
} from './types';

export type * from './types';

/** An error from a command, as `{code, message}`; `message` is written for the reviewer. */
export class ApiError extends Error {
  readonly code: string;
  /** The message in Chinese alone, when the Rust side sent it apart. */
  readonly zh?: string;
  /** The message in English alone, when the Rust side sent it apart. */
  readonly en?: string;

  constructor(code: string, message: string, zh?: string, en?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.zh = zh;
    this.en = en;
  }
}

/** Codes produced on this side of the bridge (the Rust side defines its own). */
export const CLIENT_ERROR_CODES = {
  /** The web view runs outside Tauri (e.g. ui/dist opened in a browser). */
  noBackend: 'no_backend',
  /** The command failed with something that was not `{code, message}`. */
  unknown: 'unknown',
} as const;

/** Turns whatever a rejected `invoke` produced into an ApiError. Never exposes a stack. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err !== null && typeof err === 'object') {
    const o = err as Record<string, unknown>;
    if (typeof o.code === 'string' && typeof o.message === 'string') {
      const zh = typeof o.message_zh === 'string' ? o.message_zh : undefined;
      const en = typeof o.message_en === 'string' ? o.message_en : undefined;
      return new ApiError(o.code, o.message, zh, en);
    }
    if (typeof o.message === 'string' && o.message !== '') {
      return new ApiError(CLIENT_ERROR_CODES.unknown, o.message);
    }
  }
  if (typeof err === 'string' && err !== '') {
    return new ApiError(CLIENT_ERROR_CODES.unknown, err);
  }
  return new ApiError(CLIENT_ERROR_CODES.unknown, String(err));
}

const SNAKE = /_([a-z0-9])/g;
/** Keys whose values are maps keyed by workbook labels: those keys are data, never renamed. */
const LABEL_MAPS = new Set(['fields']);
const LABEL_MAP_LISTS = new Set(['otherSupport']);

function camelKey(k: string): string {
  return k.replace(SNAKE, (_, c: string) => c.toUpperCase());
}

function camelizeFieldMap(m: unknown): unknown {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return m;
  const out: Record<string, unknown> = {};
  for (const [label, v] of Object.entries(m)) out[label] = fromWire(v);
  return out;
}

/**
 * The contract is camelCase. The engine's read models serialise snake_case
 * (the CLI's keys), so the boundary accepts both: snake_case keys become
 * camelCase, except workbook labels (keys of `fields`) and the contents of
 * `value` (data, not structure).
 */
export function fromWire<T>(x: unknown): T {
  if (Array.isArray(x)) return x.map((v) => fromWire(v)) as T;
  if (x === null || typeof x !== 'object') return x as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    const key = camelKey(k);
    if (key === 'value') out[key] = v;
    else if (LABEL_MAPS.has(key)) out[key] = camelizeFieldMap(v);
    else if (LABEL_MAP_LISTS.has(key) && Array.isArray(v)) out[key] = v.map(camelizeFieldMap);
    else out[key] = fromWire(v);
  }
  return out as T;
}

function hasTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

async function call<C extends CommandName>(
  cmd: C,
  ...args: CommandMap[C][0] extends undefined ? [] : [CommandMap[C][0]]
): Promise<CommandMap[C][1]> {
  try {
    if (!hasTauri()) {
      if (import.meta.env.DEV) {
        const dev = await import('./dev/backend');
        return fromWire<CommandMap[C][1]>(await dev.devInvoke(cmd, args[0]));
      }
      throw new ApiError(
        CLIENT_ERROR_CODES.noBackend,
        'ReviewDesk 必须在桌面应用中运行。/ ReviewDesk must run inside the desktop app.',
      );
    }
    return fromWire<CommandMap[C][1]>(await invoke(cmd, args[0] as Record<string, unknown> | undefined));
  } catch (err) {
    throw toApiError(err);
  }
}

export type Unlisten = () => void;

/** Subscribes to an event from the Rust side; resolves to the function that unsubscribes. */
export async function onEvent<E extends keyof EventMap>(
  event: E,
  handler: (payload: EventMap[E]) => void,
): Promise<Unlisten> {
  if (!hasTauri()) return () => {};
  return listen<unknown>(event, (e) => handler(fromWire<EventMap[E]>(e.payload)));
}

export const appInfo = (): Promise<AppInfo> => call('app_info');

export const storeStatus = (): Promise<StoreStatus> => call('store_status');

export const unlockStore = (args: UnlockArgs): Promise<UnlockResult> => call('unlock_store', args);

export const changePassphrase = (args: ChangePassphraseArgs): Promise<null> => call('change_passphrase', args);

export const backupNow = (): Promise<{ path: string }> => call('backup_now');

export const storeHealth = (): Promise<HealthResult> => call('store_health');

export const cancelImport = (): Promise<null> => call('cancel_import');

/** The person signed in with their certificate (every act is theirs), or null. */
export const currentPerson = (): Promise<ActingPerson | null> => call('current_person');

/** What the sign-in screen offers: whether there is a roster, the training people's files. */
export const signInChoices = (): Promise<SignInChoices> => call('sign_in_choices');

/** Choose a personal certificate (.p12/.pfx) in the native dialog; its path, null when cancelled. */
export const chooseIdentityFile = (): Promise<string | null> => call('choose_identity_file');

/** Sign in with a .p12 path or a pkcs11: URI and its password or PIN (used once, not kept). */
export const signIn = (spec: string, password: string): Promise<ActingPerson> => call('sign_in', { spec, password });

export const signOut = (): Promise<null> => call('sign_out');

export const rosterPeople = (): Promise<Person[]> => call('roster_people');

/** Start the roster with the bureau CA's certificate chosen in the dialog (the person signed in becomes administrator). */
export const startRosterWithDialog = (): Promise<ActingPerson | null> => call('start_roster_with_dialog');

/** Add a person (their certificate chosen in the dialog) with roles (an administrator). */
export const addPersonWithDialog = (roles: PersonRole[]): Promise<Person | null> =>
  call('add_person_with_dialog', { roles });

/** Training: a test CA, four test people and a test seal, the roster started, in one step. */
export const createTestPeople = (password: string): Promise<TestBureau> => call('create_test_people', { password });

export const sealInfo = (): Promise<SealInfo | null> => call('seal_info');

/** Every round with its guide (newest first). */
export const roundGuides = (): Promise<RoundGuide[]> => call('round_guides');

/** Choose a guide file in the native dialog; checked and compared, not used. Null: dialog closed. */
export const chooseGuideFile = (year: number): Promise<GuidePreview | null> => call('choose_guide_file', { year });

/** Bind the round to the version just chosen (its hash, as shown); audited. */
export const useChosenGuide = (year: number, hash: string): Promise<RoundGuide[]> =>
  call('use_chosen_guide', { year, hash });

export const chooseSealImage = (): Promise<SealInfo | null> => call('choose_seal_image');

/** The seal certificate (电子印章) letters are signed with, or null before the register office sets it. */
export const sealCertificateInfo = (): Promise<SealCertificate | null> => call('seal_certificate_info');

/** Opens the native dialog for the seal's .p12/.pfx; its file name, null when cancelled. */
export const chooseSealCertificateFile = (): Promise<string | null> => call('choose_seal_certificate_file');

/** Keeps the chosen seal certificate in the store, checked with its password (not kept). */
export const importSealCertificate = (password: string): Promise<SealCertificate> =>
  call('import_seal_certificate', { password });

/** Copies to print (one PDF; all issued letters when `numbers` is empty), without the seal unless asked. */
export const printLetters = (numbers: string[], withSeal = false): Promise<string> =>
  call('print_letters', { numbers, withSeal });

/** The signed letters exactly as issued into a folder chosen in the native dialog (all live letters when `numbers` is empty); the folder, or null when cancelled. */
export const exportLettersWithDialog = (numbers: string[]): Promise<string | null> =>
  call('export_letters_with_dialog', { numbers });

export const saveTemplateWithDialog = (year: number): Promise<string | null> =>
  call('save_template_with_dialog', { year });

export const listApplications = (): Promise<ApplicationRow[]> => call('list_applications');

export const showApplication = (submissionId: number): Promise<ApplicationDetail> =>
  call('show_application', { submissionId });

export const loadSampleRound = (): Promise<ImportReport> => call('load_sample_round');

/** Opens the native file dialog on the Rust side; null when the reviewer cancels. */
export const importWithDialog = (): Promise<ImportReport | null> => call('import_with_dialog');

export const auditVerify = (): Promise<AuditResult> => call('audit_verify');

export const explainApplication = (submissionId: number): Promise<Review> =>
  call('explain_application', { submissionId });

export const scoreRound = (year: number): Promise<RoundScore> => call('score_round', { year });

export const recordPanelScore = (args: PanelScoreArgs): Promise<null> => call('record_panel_score', args);

export const proposeDecision = (creditCode: string): Promise<Decision> => call('propose_decision', { creditCode });

/** Approve as the person signed in (never the proposer: the engine compares certificates). */
export const approveDecision = (creditCode: string): Promise<Decision> => call('approve_decision', { creditCode });

export const returnDecision = (creditCode: string, comment: string): Promise<Decision> =>
  call('return_decision', { creditCode, comment });

/** Propose amending (变更) or revoking (撤销) an issued decision, with the reason: another person approves it. */
export const proposeChange = (creditCode: string, kind: 'amendment' | 'revocation', reason: string): Promise<Decision> =>
  call('propose_change', { creditCode, kind, reason });

export const listDecisions = (): Promise<DecisionRow[]> => call('list_decisions');

export const previewLetters = (creditCode: string): Promise<PreviewLetter[]> => call('preview_letters', { creditCode });

/** The correction notice (补正告知书) a workbook would get, laid out like the signed PDF; nothing is issued. */
export const previewCorrectionNotice = (submissionId: number): Promise<PreviewLetter[]> =>
  call('preview_correction_notice', { submissionId });

export const issueLetters = (creditCode: string, password: string): Promise<LetterRow[]> =>
  call('issue_letters', { creditCode, password });

/** Signs and issues the correction notice (补正告知书) of a workbook that needs correction. */
export const issueCorrectionNotice = (submissionId: number, password: string): Promise<LetterRow> =>
  call('issue_correction_notice', { submissionId, password });

/**
 * Issues every approved decision's letters with one password. Resolves (with
 * how many decisions) once the password is checked; progress and the report
 * follow as events.
 */
export const issueAllLetters = (password: string): Promise<number> => call('issue_all_letters', { password });

/** Stops a running batch after the letter being signed. */
export const cancelIssueAll = (): Promise<null> => call('cancel_issue_all');

export const onBatchProgress = (handler: (p: EventMap['letters-batch-progress']) => void) =>
  onEvent('letters-batch-progress', handler);

export const onBatchFinished = (handler: (r: EventMap['letters-batch-finished']) => void) =>
  onEvent('letters-batch-finished', handler);

/** The delivery methods the engine accepts (Chinese legal terms; the interface translates them). */
export const deliveryMethods = (): Promise<string[]> => call('delivery_methods');

/** Records, once, the day (YYYY-MM-DD) and way a letter was delivered. */
export const recordDelivery = (number: string, on: string, method: string): Promise<null> =>
  call('record_delivery', { number, on, method });

/** Voids a letter with a written reason; its number is never reused. */
export const voidLetter = (number: string, reason: string): Promise<null> =>
  call('void_letter', { number, reason });

export const listLetters = (): Promise<LetterRow[]> => call('list_letters');

/** Opens a registered letter in the system's PDF viewer; resolves to the file's path. */
export const openLetter = (number: string): Promise<string> => call('open_letter', { number });

/** Opens the native dialog for a PDF and verifies it; null when cancelled. */
export const verifyLetterWithDialog = (): Promise<LetterCheck | null> => call('verify_letter_with_dialog');

/** Verifies the copy of a registered letter opened this session (written from the store when there is none). */
export const verifyIssuedLetter = (number: string): Promise<LetterCheck> => call('verify_issued_letter', { number });

export const onLetterVerified = (handler: (c: EventMap['letter-verified']) => void) =>
  onEvent('letter-verified', handler);

export const onLetterVerifyFailed = (handler: (e: ApiError) => void) =>
  onEvent('letter-verify-failed', (p) => handler(toApiError(p)));

export const onImportProgress = (handler: (p: EventMap['import-progress']) => void) =>
  onEvent('import-progress', handler);

export const onImportFinished = (handler: (r: EventMap['import-finished']) => void) =>
  onEvent('import-finished', handler);

export type FileDrag = 'enter' | 'leave' | 'drop';

/** True when every dragged file is a PDF: the Rust side verifies those as letters instead of importing. */
export function allLetters(paths: unknown): boolean {
  return Array.isArray(paths) && paths.length > 0 && paths.every((p) => typeof p === 'string' && /\.pdf$/i.test(p));
}

/**
 * Files dragged over the window. The Rust side reads the dropped paths and
 * imports them (workbooks) or verifies them (PDF letters) itself; the web
 * view only shows what a drop will do.
 */
export async function onFileDrag(handler: (phase: FileDrag, letters: boolean) => void): Promise<Unlisten> {
  if (!hasTauri()) return () => {};
  const phases: [string, FileDrag][] = [
    ['tauri://drag-enter', 'enter'],
    ['tauri://drag-leave', 'leave'],
    ['tauri://drag-drop', 'drop'],
  ];
  const offs = await Promise.all(
    phases.map(([name, phase]) =>
      listen<{ paths?: unknown }>(name, (e) => handler(phase, allLetters(e.payload?.paths))),
    ),
  );
  return () => offs.forEach((off) => off());
}

/** A drop-started import that failed as a whole arrives as an ApiError. */
export const onImportFailed = (handler: (e: ApiError) => void) =>
  onEvent('import-failed', (p) => handler(toApiError(p)));

export const roundOverview = (year: number | null = null): Promise<RoundOverview> => call('round_overview', { year });

/** The round against its budget; null before the round exists (nothing imported and scored). */
export const roundBudget = (year: number): Promise<BudgetReport | null> => call('round_budget', { year });

export const workbookVersions = (creditCode: string): Promise<WorkbookVersions> =>
  call('workbook_versions', { creditCode });

export const compareVersions = (creditCode: string, from: number, to: number): Promise<VersionDiff> =>
  call('compare_versions', { creditCode, from, to });

export const linkSuggestions = (): Promise<LinkSuggestion[]> => call('link_suggestions');

export const linkProvisional = (provisionalKey: string, creditCode: string): Promise<LinkOutcome> =>
  call('link_provisional', { provisionalKey, creditCode });

/** Whether this store is the round's home, and when it last exchanged a package. */
export const exchangeStatus = (year: number): Promise<ExchangeStatus> => call('exchange_status', { year });

/** At the home: the round package for the roster people `to` (fingerprints); elsewhere (`to` empty) the review package. Null when the save dialog was closed. */
export const exportPackageWithDialog = (year: number, to: string[]): Promise<PackageExport | null> =>
  call('export_package_with_dialog', { year, to });

/** A package chosen in the open dialog, opened with the signed-in person's key (password not kept). */
export const importPackageWithDialog = (password: string): Promise<PackageReport | null> =>
  call('import_package_with_dialog', { password });

// ---- The reviewer's desk: assignments, the comparison, notes and labels ----

export const roundAssignments = (year: number): Promise<Assignments> => call('round_assignments', { year });

export const assignApplications = (year: number, creditCodes: string[], to: string, clause: string | null = null): Promise<Assignments> =>
  call('assign_applications', { year, creditCodes, to, clause });

export const panelComparison = (year: number): Promise<PanelComparison> => call('panel_comparison', { year });

export const applicationNotes = (creditCode: string): Promise<NotesAndLabels> => call('application_notes', { creditCode });

export const addNote = (creditCode: string, text: string): Promise<NotesAndLabels> => call('add_note', { creditCode, text });

export const setLabel = (creditCode: string, label: string, remove = false): Promise<NotesAndLabels> =>
  call('set_label', { creditCode, label, remove });

export const allLabels = (): Promise<Record<string, string[]>> => call('all_labels');

// ---- 公示与拨付: notices and objections, the ledger, lists, calendar, clawback ----

export const roundNotices = (year: number): Promise<NoticeSummary[]> => call('round_notices', { year });

/** The period a notice published on `from` (YYYY-MM-DD) would run for, before publishing. */
export const noticePlan = (year: number, from: string): Promise<NoticePlan> => call('notice_plan', { year, from });

/** Publishes the round's 公示 under the bureau's seal (its password used once). */
export const publishNotice = (year: number, from: string, password: string): Promise<PublishedNotice> =>
  call('publish_notice', { year, from, password });

export const roundObjections = (year: number): Promise<Objection[]> => call('round_objections', { year });

/** Records a real-name objection; with evidence the file is chosen in the dialog (false when cancelled). */
export const recordObjection = (
  year: number,
  creditCode: string,
  project: string | null,
  by: string,
  received: string,
  text: string,
  withEvidence: boolean,
): Promise<boolean> => call('record_objection', { year, creditCode, project, by, received, text, withEvidence });

export const resolveObjection = (id: number, outcome: 'upheld' | 'dismissed', reason: string): Promise<ObjectionResolution> =>
  call('resolve_objection', { id, outcome, reason });

export const ledgerRows = (year: number): Promise<LedgerRow[]> => call('ledger_rows', { year });

export const exportLedgerWithDialog = (year: number): Promise<LedgerExport | null> =>
  call('export_ledger_with_dialog', { year });

export const importLedgerWithDialog = (): Promise<LedgerImport | null> => call('import_ledger_with_dialog');

export const managedLists = (year: number): Promise<ManagedList[]> => call('managed_lists', { year });

export const importListWithDialog = (year: number, kind: string): Promise<ListImport | null> =>
  call('import_list_with_dialog', { year, kind });

export const calendarYears = (): Promise<CalendarYear[]> => call('calendar_years');

export const importCalendarWithDialog = (): Promise<number[] | null> => call('import_calendar_with_dialog');

export const clawbackCases = (year: number): Promise<ClawbackCase[]> => call('clawback_cases', { year });
