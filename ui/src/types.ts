// The IPC contract between the web view and the Rust side (src-tauri).
// Field names are camelCase exactly as the commands serialise them.
// Amounts are decimal strings in yuan ("32005000.00"); never JS numbers.

export type ClauseId = 'C1' | 'C2a' | 'C2b' | 'C3' | 'C4';

/** Status of a stored submission. */
export type SubmissionStatus = 'ok' | 'needs_correction';

/** Status of one file in an import: stored ones plus the two that store nothing new. */
export type ImportStatus = SubmissionStatus | 'rejected' | 'duplicate';

export interface AppInfo {
  version: string;
  dbPath: string;
  dataDir: string;
}

export interface ApplicationRow {
  submissionId: number;
  creditCode: string | null;
  applicant: string | null;
  status: SubmissionStatus;
  version: number;
  fileName: string;
  /** ISO 8601 date-time. */
  importedAt: string;
  errorCount: number;
  warningCount: number;
  /** Clause ids with at least one project: "C1", "C2a", "C2b", "C3", "C4". */
  clauses: string[];
  district: string | null;
}

export type FieldScalar = string | number | boolean | null;

/** A stored value with its provenance: the normalised value, the raw cell text and the cell ("申报单位!B13"). */
export interface FieldValue {
  value: FieldScalar;
  raw: string;
  cell: string;
}

export interface Project {
  clause: string;
  name: string;
  fields: Record<string, FieldValue>;
}

export type Severity = 'error' | 'warning';

export interface Issue {
  severity: Severity;
  /** null for file-level problems. */
  sheet: string | null;
  cell: string | null;
  field: string | null;
  found: string | null;
  expected: string | null;
  /** Chinese text. */
  message: string;
  /** English text. */
  messageEn: string;
}

export interface ApplicationDetail {
  submissionId: number;
  creditCode: string | null;
  applicant: string | null;
  status: SubmissionStatus;
  version: number;
  fileName: string;
  fileHash: string;
  importedAt: string;
  fields: Record<string, FieldValue>;
  projects: Project[];
  issues: Issue[];
  // Extra keys the Rust side may send (the contract allows more keys); optional here.
  /** Who imported this version. */
  importedBy?: string;
  /** All stored versions of this applicant's workbook in the round. */
  versions?: number[];
  /** Rows of the 其他政策支持 sheet (other district support, for 就高不重复). */
  otherSupport?: Record<string, FieldValue>[];
}

export interface ImportFileResult {
  path: string;
  status: ImportStatus;
  creditCode: string | null;
  applicant: string | null;
  issues: Issue[];
  /** The stored submission (new, or the existing one for a duplicate), when the Rust side sends it. */
  submissionId?: number | null;
  version?: number | null;
}

export interface ImportReport {
  files: ImportFileResult[];
  /** True when the batch was cancelled before every file was seen. */
  cancelled?: boolean;
}

/** An error as it crosses IPC. */
export interface IpcErrorPayload {
  code: string;
  message: string;
}

export interface AuditResult {
  ok: boolean;
  entries: number;
  /** Index of the first entry whose hash link is broken, or null. */
  firstBad: number | null;
  message: string;
}

export interface ImportProgress {
  done: number;
  total: number;
  file: string;
}

/** Events the Rust side emits, with their payloads. */
export interface EventMap {
  'import-progress': ImportProgress;
  'import-finished': ImportReport;
  /** An import started by dropping files on the window failed as a whole. */
  'import-failed': IpcErrorPayload;
}

// ---- Review (the engine computes; the UI only shows) ----

export interface EligibilityCheck {
  id: string;
  rule: string;
  pass: boolean;
  reason: string;
  /** Why a failing rule was overruled, when it was. */
  overruled?: string | null;
}

export interface Factor {
  id: string;
  name: string;
  /** Decimal string. */
  weight: string;
  value: string | null;
  sourceCell: string | null;
  certified: boolean;
  points: string | null;
  /** Panel scores as recorded; absent when there are none. */
  panel?: string[];
  disagreement: boolean;
}

export interface ExplainLine {
  label: string;
  value: string;
}

export interface ProjectResult {
  clause: ClauseId;
  name: string;
  eligible: boolean;
  eligibility: EligibilityCheck[];
  factors: Factor[];
  score: string | null;
  computedYuan: string | null;
  /** null = awaiting panel scores. */
  awardYuan: string | null;
  supersededBy: string | null;
  lines: ExplainLine[];
}

export interface Flag {
  code: string;
  message: string;
}

export interface Evaluation {
  creditCode: string | null;
  /** The round's year. */
  round: number;
  /** Hash of the guide the figures were computed under. */
  guide: string;
  projects: ProjectResult[];
  flags: Flag[];
  totalYuan: string | null;
}

export type DecisionState = 'proposed' | 'approved' | 'returned' | 'issued';

export interface Decision {
  id: number;
  creditCode: string;
  round: number;
  state: DecisionState;
  proposedBy: string;
  proposedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  comment: string | null;
  figures: Evaluation;
}

export interface Review {
  evaluation: Evaluation | null;
  decision: Decision | null;
  /** Why there is nothing to show yet (human message). */
  unavailable: string | null;
}

export interface RoundScore {
  round: number;
  guide: string;
  applicants: number;
  projects: number;
  eligible: number;
  pendingPanel: number;
  frozen: number;
  totalYuan: string | null;
  perClause: Record<string, string>;
  budgetYuan: string | null;
  overBudget: boolean;
  flags: Flag[];
  evaluations: Evaluation[];
}

export interface PanelScoreArgs {
  reviewerName: string;
  creditCode: string;
  clause: string;
  project: string;
  factor: string;
  /** Decimal string. */
  points: string;
}

/** What is at the store's path, and whether this window has it open. */
export interface StoreStatus {
  /** missing: first start; plain: an unencrypted store to encrypt; encrypted. */
  state: 'missing' | 'plain' | 'encrypted';
  unlocked: boolean;
  dbPath: string;
  minPassphraseChars: number;
}

export interface UnlockResult {
  /** Shown once: a new store, or a plain store just encrypted. */
  recoveryKey: string | null;
  encryptedNow: boolean;
  backupsEncrypted: number;
  /** PRAGMA quick_check: "ok" when healthy. */
  quickCheck: string;
}

/** Exactly one of passphrase / recoveryKey. */
export interface UnlockArgs {
  passphrase?: string;
  recoveryKey?: string;
}

export interface ChangePassphraseArgs {
  current?: string;
  recoveryKey?: string;
  newPassphrase: string;
}

/** Commands the Rust side exposes: name → [arguments, result]. */
export interface CommandMap {
  app_info: [undefined, AppInfo];
  store_status: [undefined, StoreStatus];
  unlock_store: [UnlockArgs, UnlockResult];
  change_passphrase: [ChangePassphraseArgs, null];
  backup_now: [{ reviewerName: string }, { path: string }];
  list_applications: [undefined, ApplicationRow[]];
  show_application: [{ submissionId: number }, ApplicationDetail];
  load_sample_round: [undefined, ImportReport];
  import_with_dialog: [undefined, ImportReport | null];
  audit_verify: [undefined, AuditResult];
  explain_application: [{ submissionId: number }, Review];
  score_round: [{ year: number; reviewerName: string }, RoundScore];
  record_panel_score: [PanelScoreArgs, null];
  propose_decision: [{ reviewerName: string; creditCode: string }, Decision];
  approve_decision: [{ reviewerName: string; creditCode: string }, Decision];
  return_decision: [{ reviewerName: string; creditCode: string; comment: string }, Decision];
}

export type CommandName = keyof CommandMap;
