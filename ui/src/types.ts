// The IPC contract between the web view and the Rust side (src-tauri).
// The Rust structs serialise snake_case; api.ts (`fromWire`) renames the keys
// to camelCase at the boundary, so field names here are the Rust names in
// camelCase. Every field Rust always sends is required; `T | null` is an
// `Option<T>` (serde sends null); `field?: T` is a field serde leaves out
// when empty (`skip_serializing_if`). Checked against src-tauri/src/commands
// and the engine structs they return (ts-rs will generate these later).
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
  /** The round's year; null when the workbook names no round the program knows. */
  round: number | null;
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

/** Money, decimals and dates are strings; integers and years numbers; 是/否 booleans. Never null. */
export type FieldScalar = string | number | boolean;

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
  round: number | null;
  status: SubmissionStatus;
  version: number;
  /** All stored versions of this applicant's workbook in the round. */
  versions: number[];
  fileName: string;
  fileHash: string;
  importedAt: string;
  /** Who imported this version. */
  importedBy: string;
  fields: Record<string, FieldValue>;
  projects: Project[];
  /** Rows of the 其他政策支持 sheet (other district support, for 就高不重复). */
  otherSupport: Record<string, FieldValue>[];
  issues: Issue[];
  /** This application's audit trail (entries whose subject is its credit code or provisional key), oldest first. */
  history: AuditEntry[];
}

export interface ImportFileResult {
  path: string;
  status: ImportStatus;
  creditCode: string | null;
  applicant: string | null;
  issues: Issue[];
  /** The stored submission (new, or the existing one for a duplicate); null when nothing was stored. */
  submissionId: number | null;
  version: number | null;
}

export interface ImportReport {
  files: ImportFileResult[];
  /** True when the batch was cancelled before every file was seen. */
  cancelled: boolean;
}

/** An error as it crosses IPC. */
export interface IpcErrorPayload {
  code: string;
  message: string;
}

export interface AuditResult {
  ok: boolean;
  entries: number;
  /** Sequence number of the first entry that does not verify, or null. */
  firstBad: number | null;
  /** Hash of the last entry (the chain head). */
  head: string;
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
  /** A PDF dropped on the window was verified. */
  'letter-verified': LetterCheck;
  /** A dropped PDF could not be read. */
  'letter-verify-failed': IpcErrorPayload;
  /** Issuing all approved decisions: before each decision, and once at the end. */
  'letters-batch-progress': BatchProgress;
  'letters-batch-finished': BatchReport;
}

export interface BatchProgress {
  done: number;
  total: number;
  /** The applicant being signed now; null at the end. */
  applicant: string | null;
}

export interface BatchFailure {
  creditCode: string;
  applicant: string | null;
  code: string;
  message: string;
}

export interface BatchReport {
  issued: LetterRow[];
  failed: BatchFailure[];
  total: number;
  cancelled: boolean;
}

// ---- Review (the engine computes; the UI only shows) ----

export interface EligibilityCheck {
  id: string;
  rule: string;
  /** English beside the Chinese; always sent, "" in figures frozen before English existed. */
  ruleEn: string;
  pass: boolean;
  reason: string;
  reasonEn: string;
  /** Why a failing rule was overruled; the key is absent when it was not. */
  overruled?: string;
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
  /** Panel scores as recorded; the key is absent when there are none. */
  panel?: string[];
  disagreement: boolean;
  /** Always sent ("" in figures frozen before English existed). */
  nameEn: string;
}

export interface ExplainLine {
  label: string;
  value: string;
  /** Always sent ("" in figures frozen before English existed). */
  labelEn: string;
  valueEn: string;
}

/** One reviewer's total over a project (automatic points plus their panel points). */
export interface ReviewerTotal {
  reviewer: string;
  /** Decimal string. */
  total: string;
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
  supersededBy: ClauseId | null;
  lines: ExplainLine[];
  /** Each reviewer who scored every panel factor; the key is absent when there are none. */
  panelTotals?: ReviewerTotal[];
  /** The spread of panelTotals exceeds the guide's panel.disagreement_threshold. */
  disagreement: boolean;
}

export interface Flag {
  code: string;
  message: string;
  /** Always sent ("" in figures frozen before English existed). */
  messageEn: string;
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
  /** The round against its budget (per clause, over budget, pro rata). */
  budget: BudgetReport;
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
  /** The store is on a removable drive (a message to show). */
  locationWarning: string | null;
}

/** Exactly one of passphrase / recoveryKey. */
export interface UnlockArgs {
  passphrase?: string;
  recoveryKey?: string;
}

/** The weekly full check of the store. */
export interface HealthResult {
  ran: boolean;
  report: {
    ok: boolean;
    integrity: string;
    foreignKeyProblems: number;
    cipherProblems: number;
    encrypted: boolean;
    audit: AuditResult;
  } | null;
}

/** A round and the guide it is bound to. */
export interface RoundGuide {
  year: number;
  /** The guide's content hash (SHA-256). */
  guide: string;
  title: string;
  /** ISO 8601: when this version was first loaded into the store. */
  loadedAt: string;
  decisions: number;
  /** False once the round has a decision: its guide is fixed. */
  canChange: boolean;
  /** The guide file's text, comments included. */
  text: string;
}

/** One key a new guide version changes; null: absent on that side. */
export interface GuideChange {
  path: string;
  old: string | null;
  new: string | null;
}

/** A guide file checked and compared with the round's guide, not yet used. */
export interface GuidePreview {
  year: number;
  from: string;
  to: string;
  title: string;
  changes: GuideChange[];
  canChange: boolean;
}

/** The bureau's seal image kept in the store. */
export interface SealInfo {
  sha256: string;
  width: number;
  height: number;
  bytes: number;
}

export interface ChangePassphraseArgs {
  current?: string;
  recoveryKey?: string;
  newPassphrase: string;
}

/** One row of the approvers' queue: an applicant's latest decision. */
export interface DecisionRow {
  applicant: string | null;
  submissionId: number;
  decision: Decision;
}

// ---- Letters ----

/** The signing certificate kept on this workstation (the password never is). */
export interface CertificateInfo {
  /** The certificate's holder (CN): recorded as the approver and signer. */
  holder: string;
  subject: string;
  issuer: string;
  /** YYYY-MM-DD. */
  validFrom: string;
  validUntil: string;
  sha256: string;
  /** A test certificate (测试), for trying the workstation out. */
  test: boolean;
  file: string;
  importedFrom: string | null;
}

export type LetterKind = 'approval' | 'refusal' | 'correction';

/** A letter in the register (发文登记簿). */
export interface LetterRow {
  number: string;
  year: number;
  seq: number;
  kind: LetterKind;
  creditCode: string | null;
  applicant: string | null;
  /** The workbook version the letter answers. */
  submissionId: number | null;
  /** Decimal string in yuan; null for a correction notice. */
  amountYuan: string | null;
  sha256: string;
  signer: string;
  issuedAt: string;
  voided: boolean;
  /** Where the signed PDF is kept. */
  path: string;
  /** Delivery (送达) and voiding, when recorded. */
  record: LetterRecord | null;
}

/** A letter's delivery (送达) and voiding, as the register keeps them. */
export interface LetterRecord {
  number: string;
  kind: LetterKind;
  creditCode: string | null;
  signer: string;
  /** Exact yuan as stored; null for a correction notice. */
  amountYuan: string | null;
  issuedAt: string;
  letterSha256: string;
  /** YYYY-MM-DD. */
  deliveredOn: string | null;
  deliveryMethod: string | null;
  /** Last day to apply for administrative reconsideration (60 days from delivery). */
  reconsiderationUntil: string | null;
  /** Last day to bring an administrative lawsuit (6 months from delivery). */
  lawsuitUntil: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  voidedBy: string | null;
}

/** One line of a previewed page, placed exactly as in the PDF (millimetres). */
export interface PreviewRun {
  text: string;
  /** x of each character, mm from the left edge. */
  xs: number[];
  /** mm from the top. */
  baseline: number;
  sizePt: number;
  role: 'title' | 'body' | 'heading' | 'kai' | 'page_number';
  ink: 'black' | 'red' | 'grey';
  /** What the line is (engine `letters::layout::RunKind`). */
  kind: 'flag' | 'number' | 'title' | 'addressee' | 'body' | 'signature' | 'date' | 'contact' | 'page_number' | 'audit';
}

export interface PreviewRule {
  x1: number;
  x2: number;
  y: number;
  widthPt: number;
  ink: 'black' | 'red' | 'grey';
}

export interface PreviewPage {
  runs: PreviewRun[];
  rules: PreviewRule[];
  seal: { cx: number; cy: number; diameter: number } | null;
}

/** A block of a letter's body (engine `letters::content::Paragraph`, tagged by `type`). */
export type LetterParagraph =
  | { type: 'text' | 'heading' | 'subheading' | 'flush'; text: string }
  /** A three-line table: widths in grid characters; the first row is the header. */
  | { type: 'table'; widths: number[]; rows: string[][] };

/** Everything printed on a letter (engine `letters::LetterContent`). */
export interface LetterContent {
  kind: LetterKind;
  number: string;
  title: string;
  addressee: string;
  paragraphs: LetterParagraph[];
  issuer: string;
  /** YYYY-MM-DD. */
  date: string;
  contact: string;
  /** Head of the audit chain printed at the foot of every page; null when not set. */
  auditHead: string | null;
}

/** A letter as it would be issued now (the number is the next free one, not reserved). */
export interface PreviewLetter {
  number: string;
  kind: LetterKind;
  project: string | null;
  amountYuan: string | null;
  /** What the letter says, as plain data (the pages below are its layout). */
  content: LetterContent;
  widthMm: number;
  heightMm: number;
  pages: PreviewPage[];
}

/** What verifying a letter found. */
export interface LetterCheck {
  fileName: string;
  /** Every check below passed. */
  valid: boolean;
  signed: boolean;
  signatureValid: boolean;
  unchangedSinceSigning: boolean;
  /** Signed under a certificate this workstation trusts; null when none is kept. */
  trusted: boolean | null;
  signer: string | null;
  signedAt: string | null;
  inRegister: boolean;
  voided: boolean;
  number: string | null;
  kind: LetterKind | null;
  creditCode: string | null;
  /** The register entry agrees with the decision it was issued from; null when not in the register. */
  contentMatches: boolean | null;
  sha256: string;
  problems: string[];
}

/** Commands the Rust side exposes: name → [arguments, result]. */
export interface CommandMap {
  app_info: [undefined, AppInfo];
  store_status: [undefined, StoreStatus];
  unlock_store: [UnlockArgs, UnlockResult];
  change_passphrase: [ChangePassphraseArgs, null];
  backup_now: [{ reviewerName: string }, { path: string }];
  store_health: [undefined, HealthResult];
  cancel_import: [undefined, null];
  save_template_with_dialog: [{ year: number }, string | null];
  print_letters: [{ numbers: string[]; withSeal: boolean }, string];
  set_reviewer: [{ name: string }, null];
  seal_info: [undefined, SealInfo | null];
  round_guides: [undefined, RoundGuide[]];
  choose_guide_file: [{ year: number }, GuidePreview | null];
  use_chosen_guide: [{ year: number; hash: string; reviewerName: string }, RoundGuide[]];
  choose_seal_image: [{ reviewerName: string }, SealInfo | null];
  list_applications: [undefined, ApplicationRow[]];
  show_application: [{ submissionId: number }, ApplicationDetail];
  load_sample_round: [undefined, ImportReport];
  import_with_dialog: [undefined, ImportReport | null];
  audit_verify: [undefined, AuditResult];
  explain_application: [{ submissionId: number }, Review];
  score_round: [{ year: number; reviewerName: string }, RoundScore];
  record_panel_score: [PanelScoreArgs, null];
  propose_decision: [{ reviewerName: string; creditCode: string }, Decision];
  approve_decision: [{ creditCode: string; password: string }, Decision];
  return_decision: [{ reviewerName: string; creditCode: string; comment: string }, Decision];
  list_decisions: [undefined, DecisionRow[]];
  certificate_info: [undefined, CertificateInfo | null];
  choose_certificate_file: [undefined, string | null];
  import_certificate: [{ password: string }, CertificateInfo];
  create_test_certificate: [{ holder: string; password: string }, CertificateInfo];
  preview_letters: [{ creditCode: string }, PreviewLetter[]];
  preview_correction_notice: [{ submissionId: number }, PreviewLetter[]];
  issue_letters: [{ creditCode: string; password: string }, LetterRow[]];
  issue_correction_notice: [{ submissionId: number; password: string }, LetterRow];
  issue_all_letters: [{ password: string }, number];
  cancel_issue_all: [undefined, null];
  delivery_methods: [undefined, string[]];
  record_delivery: [{ reviewerName: string; number: string; on: string; method: string }, null];
  void_letter: [{ reviewerName: string; number: string; reason: string }, null];
  list_letters: [undefined, LetterRow[]];
  open_letter: [{ number: string }, string];
  verify_letter_with_dialog: [undefined, LetterCheck | null];
  verify_issued_letter: [{ number: string }, LetterCheck];
  round_overview: [{ year: number | null }, RoundOverview];
  round_budget: [{ year: number }, BudgetReport | null];
  workbook_versions: [{ creditCode: string }, WorkbookVersions];
  compare_versions: [{ creditCode: string; from: number; to: number }, VersionDiff];
  link_suggestions: [undefined, LinkSuggestion[]];
  link_provisional: [{ reviewerName: string; provisionalKey: string; creditCode: string }, LinkOutcome];
}

export type CommandName = keyof CommandMap;

// ---------------------------------------------------------------------------
// Round overview, budget, versions, links (commands/overview.rs)
// ---------------------------------------------------------------------------

/** One entry of the hash-chained audit trail. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  prevHash: string;
  hash: string;
}

/** Applicants of a round by where they stand (the engine counts; the UI shows). */
export interface StatusCounts {
  imported: number;
  needsCorrection: number;
  eligible: number;
  scored: number;
  proposed: number;
  approved: number;
  letterIssued: number;
}

export type AttentionKind =
  | 'correction_notice'
  | 'link_provisional'
  | 'not_scored'
  | 'panel_scores'
  | 'disagreement'
  | 'awaiting_approval'
  | 'letter_to_issue'
  | 'delivery';

export interface AttentionItem {
  submissionId: number | null;
  applicant: string | null;
  creditCode: string | null;
  /** A project name, a letter number, a provisional key. */
  note: string | null;
}

export interface Attention {
  kind: AttentionKind;
  count: number;
  items: AttentionItem[];
}

export interface ProgrammeTarget {
  key: 'enterprises' | 'research';
  target: number;
  /** Enterprises with an approved or issued decision awarding funds. */
  supported: number;
  /** Enterprises the stored evaluations find eligible (decided or not). */
  eligible: number;
}

export interface RoundOverview {
  round: number | null;
  counts: StatusCounts;
  attention: Attention[];
  targets: ProgrammeTarget[];
}

export interface ClauseTotal {
  clause: ClauseId;
  projects: number;
  totalYuan: string;
  reducedYuan: string | null;
}

export interface BudgetReport {
  round: number;
  guide: string;
  budgetYuan: string | null;
  rule: 'flag' | 'pro_rata';
  applicants: number;
  totalYuan: string;
  frozenYuan: string;
  pending: number;
  perClause: ClauseTotal[];
  overBudget: boolean;
  overByYuan: string | null;
  remainingYuan: string | null;
  /** The pro-rata reduction (rule pro_rata, over budget, nothing pending); else null. */
  allocations: Allocation[] | null;
  reducedTotalYuan: string | null;
  message: string;
  messageEn: string;
}

/** One award under the pro-rata rule. */
export interface Allocation {
  creditCode: string;
  clause: ClauseId;
  project: string;
  /** Approved (frozen): not reduced. */
  frozen: boolean;
  awardYuan: string;
  reducedYuan: string;
  reductionYuan: string;
}

export interface WorkbookVersions {
  round: number;
  /** Version numbers; linked provisional workbooks are 0, −1, … */
  versions: number[];
}

export interface VersionInfo {
  version: number;
  submissionId: number;
  fileName: string;
  fileHash: string;
  importedAt: string;
  status: string;
}

export interface DiffSide {
  value: unknown;
  raw: string;
  cell: string;
}

export interface Difference {
  scope: 'applicant' | 'project' | 'other_support';
  clause: ClauseId | null;
  project: string | null;
  label: string;
  labelEn: string;
  change: 'changed' | 'added' | 'removed';
  old: DiffSide | null;
  new: DiffSide | null;
}

export interface VersionDiff {
  creditCode: string;
  applicant: string | null;
  round: number;
  from: VersionInfo;
  to: VersionInfo;
  differences: Difference[];
}

export interface LinkSuggestion {
  provisionalKey: string;
  name: string | null;
  creditCode: string;
  linked: boolean;
}

export interface LinkOutcome {
  provisionalKey: string;
  creditCode: string;
  provisionalName: string | null;
  applicant: string | null;
  nameMatches: boolean;
  previous: string | null;
  submissions: number[];
}
