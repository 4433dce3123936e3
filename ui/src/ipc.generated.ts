// Generated from the Rust types by src-tauri/src/commands/ipc_types.rs (ts-rs)
// and the command table src-tauri/src/commands/list.rs: do not edit.
// Regenerate: UPDATE_IPC_TYPES=1 cargo test -p reviewdesk-app ipc_types
//
// Keys are as serde sends them (snake_case); api.ts's fromWire turns them into
// camelCase, and types.ts names the UI's view of each type (`FromWire<T>`).
/* eslint-disable */

/**
 * The person signed in, as the header shows them.
 */
export type ActingPerson = { holder: string, fingerprint: string, 
/**
 * Their roles on the roster (empty on a store without one).
 */
roles: Array<Role>, 
/**
 * A test certificate (测试 TEST ONLY).
 */
test: boolean, 
/**
 * Where the identity was opened from: a file path or a `pkcs11:` URI.
 */
source: string, };

/**
 * One award under the pro-rata rule.
 */
export type Allocation = { credit_code: string, clause: Clause, project: string, 
/**
 * Approved (frozen): not reduced.
 */
frozen: boolean, award_yuan: string, reduced_yuan: string, reduction_yuan: string, };

export type AppInfo = { version: string, db_path: string, data_dir: string, };

/**
 * One application as `reviewdesk show` prints it.
 */
export type ApplicationDetail = { submission_id: number, credit_code: string | null, applicant: string | null, round: number | null, status: "ok" | "needs_correction", version: number, versions: Array<number>, file_name: string, file_hash: string, imported_at: string, imported_by: string, fields: { [key in string]?: ShownValue }, projects: Array<ShownProject>, other_support: Array<{ [key in string]?: ShownValue }>, issues: Array<Issue>, history: Array<AuditEntry>, };

/**
 * One row of the application list: the latest version of an applicant's
 * workbook in a round.
 */
export type ApplicationRow = { submission_id: number, credit_code: string | null, applicant: string | null, round: number | null, status: "ok" | "needs_correction", version: number, file_name: string, imported_at: string, error_count: number, warning_count: number, clauses: Array<string>, district: string | null, 
/**
 * Where the application stands in the review: `needs_correction`,
 * `imported` (not scored in this version), `ineligible` (no project
 * eligible), `awaiting_panel`, `scored`, then the latest decision's
 * `proposed`, `returned`, `approved`, `issued`.
 */
stage: "needs_correction" | "imported" | "ineligible" | "awaiting_panel" | "scored" | "proposed" | "returned" | "approved" | "issued", 
/**
 * The award: the decision's figures once proposed, else the stored
 * evaluation's total; none while unknown.
 */
award_yuan: string | null, };

/**
 * One application (or one clause of it) assigned to one person, with how
 * far that person has got on it.
 */
export type Assignment = { credit_code: string, applicant: string | null, 
/**
 * The clause assigned; `null` = the whole application.
 */
clause: string | null, holder: string, fingerprint: string, assigned_by: string, assigned_at: string, 
/**
 * Panel points the guide asks of this person here, and how many given.
 */
needed: number, given: number, 
/**
 * Every panel point given (an assignment with none to give is done).
 */
done: boolean, };

/**
 * A round's assignments, person by person.
 */
export type Assignments = { round: number, 
/**
 * The round's guide scores independently (`panel.independent`).
 */
independent: boolean, people: Array<PersonProgress>, assignments: Array<Assignment>, };

/**
 * A kind of work waiting, with how many and the first few.
 */
export type Attention = { 
/**
 * `correction_notice`, `link_provisional`, `not_scored`,
 * `panel_scores`, `disagreement`, `awaiting_approval`,
 * `letter_to_issue`, `delivery`.
 */
kind: "correction_notice" | "link_provisional" | "not_scored" | "panel_scores" | "disagreement" | "awaiting_approval" | "letter_to_issue" | "delivery", count: number, 
/**
 * At most [`ATTENTION_ITEMS`], in the order to work through them.
 */
items: Array<AttentionItem>, };

/**
 * One application (or letter) that needs someone's attention.
 */
export type AttentionItem = { 
/**
 * The application to open (latest workbook), when there is one.
 */
submission_id: number | null, applicant: string | null, credit_code: string | null, 
/**
 * What exactly: a project name, a letter number.
 */
note: string | null, };

/**
 * One audit entry as stored.
 */
export type AuditEntry = { seq: number, at: string, actor: string, action: string, subject: string, detail: string, prev_hash: string, hash: string, 
/**
 * SHA-256 of the certificate of the person who made the act (signed
 * entries only).
 */
actor_fp?: string, 
/**
 * The person's signature over [`act_message`] (hex).
 */
act_sig?: string, };

/**
 * The result of recomputing the chain.
 */
export type AuditReport = { ok: boolean, entries: number, 
/**
 * Sequence number of the first entry that does not verify.
 */
first_bad: number | null, 
/**
 * Hash of the last entry (the chain head).
 */
head: string, message: string, };

export type BackupResult = { path: string, };

export type BatchReport = { issued: Array<LetterRow>, failed: Array<Failure>, total: number, cancelled: boolean, };

/**
 * What happens when approved awards exceed the budget.
 */
export type BudgetOverrun = "flag" | "pro_rata";

/**
 * A round's awards against its budget. Keys are a stable contract
 * (`reviewdesk budget --json`, the app).
 */
export type BudgetReport = { round: number, guide: string, 
/**
 * None: the guide sets no budget.
 */
budget_yuan: string | null, 
/**
 * "flag" or "pro_rata" (the guide's `round.budget_overrun`).
 */
rule: BudgetOverrun, applicants: number, 
/**
 * Sum of the awards known so far (pending projects count nothing yet).
 */
total_yuan: string, 
/**
 * Of which approved (frozen).
 */
frozen_yuan: string, 
/**
 * Projects whose award waits for panel scores.
 */
pending: number, per_clause: Array<ClauseTotal>, 
/**
 * The known total already exceeds the budget.
 */
over_budget: boolean, over_by_yuan: string | null, remaining_yuan: string | null, 
/**
 * The pro-rata reduction, when the rule is pro_rata, the round is over
 * budget and nothing is pending: every award with its reduced amount.
 */
allocations: Array<Allocation> | null, 
/**
 * Sum of the reduced awards (equals the budget exactly).
 */
reduced_total_yuan: string | null, message: string, message_en: string, };

/**
 * A year of the working-day calendar as imported.
 */
export type CalendarYearInfo = { year: number, holidays: number, workdays: number, source: string | null, imported_by: string, imported_at: string, };

/**
 * A clawback case and how far it has come.
 */
export type Case = { id: number, round: number, credit_code: string, applicant: string, reason: string, amount_yuan: string, evidence: Evidence | null, found_by: string, found_at: string, notice_number: string | null, notice_deadline: string | null, response_received: string | null, response_text: string | null, revocation_decision: number | null, letter_number: string | null, letter_due: string | null, recoveries: Array<Recovery>, recovered_yuan: string, outstanding_yuan: string, 
/**
 * `found`, `notified`, `responded`, `letter_issued`,
 * `partly_recovered`, `recovered`.
 */
state: string, };

/**
 * What happened to a value between the two versions.
 */
export type Change = "changed" | "added" | "removed";

/**
 * What kind of change a decision makes to an issued one.
 */
export type ChangeKind = "amendment" | "revocation";

/**
 * Result of checking a store file.
 */
export type CheckReport = { ok: boolean, integrity: string, foreign_key_problems: number, 
/**
 * Pages failing SQLCipher's HMAC check (`cipher_integrity_check`);
 * always 0 for an unencrypted store.
 */
cipher_problems: number, encrypted: boolean, audit: AuditReport, };

/**
 * The policy clauses a project can be declared under. Serialised as
 * "C1", "C2a", "C2b", "C3", "C4".
 */
export type Clause = "C1" | "C2a" | "C2b" | "C3" | "C4";

/**
 * One clause's total.
 */
export type ClauseTotal = { clause: Clause, 
/**
 * Projects with an award above zero.
 */
projects: number, total_yuan: string, 
/**
 * After the pro-rata reduction, when it applies.
 */
reduced_yuan: string | null, };

/**
 * The comparison of a round's panel points, project by project.
 */
export type Comparison = { round: number, threshold: string, projects: Array<ProjectSpread>, };

/**
 * A change that met a different change to the same thing: not applied.
 */
export type Conflict = { what: string, ours: string, theirs: string, };

/**
 * The decision on an applicant in a round, if any (latest).
 */
export type Decision = { id: number, credit_code: string, round: number, state: "proposed" | "approved" | "returned" | "issued", proposed_by: string, proposed_at: string, approved_by: string | null, approved_at: string | null, comment: string | null, figures: Evaluation, 
/**
 * The proposer's certificate fingerprint (proposed with an identity).
 */
proposer_fp?: string, 
/**
 * The approver's credential (`cert-sha256:<fingerprint>` for an
 * identity).
 */
approver_id?: string, 
/**
 * An amendment or revocation of an issued decision (变更 / 撤销).
 */
change?: DecisionChange, };

/**
 * The issued decision a decision changes, how, and why.
 */
export type DecisionChange = { kind: ChangeKind, reason: string, 
/**
 * The id of the issued decision it changes.
 */
amends: number, };

/**
 * One decision in the approvers' queue: the latest decision per applicant
 * (any state), with the applicant's name and latest submission.
 */
export type DecisionRow = { applicant: string | null, submission_id: number, decision: Decision, };

/**
 * One value that differs.
 */
export type Difference = { scope: Scope, 
/**
 * The project's clause (projects only).
 */
clause: Clause | null, 
/**
 * The project's name (projects and other-support rows).
 */
project: string | null, 
/**
 * The label or column header (the field key).
 */
label: string, label_en: string, change: Change, old: Side | null, new: Side | null, };

/**
 * One applicant's evaluation in a round.
 */
export type Evaluation = { credit_code: string | null, round: number, guide: string, projects: Array<ProjectResult>, flags: Array<Flag>, total_yuan: string | null, };

/**
 * A file kept as evidence: its name and the SHA-256 of its bytes (a blob).
 */
export type Evidence = { name: string, sha256: string, };

/**
 * Where a store stands in a round's exchange (设置 › 协作).
 */
export type ExchangeStatus = { round: number, 
/**
 * This store is the round's home (the register store).
 */
is_home: boolean, 
/**
 * It handed the home over to another store.
 */
handed_over: boolean, 
/**
 * The home's store identity (short), when this store is not it.
 */
home_store: string | null, 
/**
 * When this store last exported or applied a package of the round.
 */
last_exchange: string | null, 
/**
 * Packages applied here, and exported from here.
 */
applied: number, exported: number, };

/**
 * What `ledger export` wrote.
 */
export type Exported = { file: string, round: number, rows: number, };

/**
 * One reviewer's points on one panel factor.
 */
export type FactorPoints = { factor: string, points: string, };

/**
 * One factor's scoring.
 */
export type FactorScore = { id: string, name: string, weight: string, 
/**
 * The value used (certified if any), as shown; None for panel factors.
 */
value: string | null, source_cell: string | null, certified: boolean, 
/**
 * Points after score rounding; None while a panel score is missing.
 */
points: string | null, 
/**
 * Panel scores that went into the points, and whether they disagree:
 * the reviewers' points on this factor differ by more than the guide's
 * `panel.disagreement_threshold` (points, as for the totals).
 */
panel?: Array<string>, disagreement: boolean, 
/**
 * The factor's name in English (the guide's `name_en`, else `name`).
 */
name_en: string, };

/**
 * A decision whose letters were not issued, and why.
 */
export type Failure = { credit_code: string, applicant: string | null, code: string, message: string, };

/**
 * One file's result.
 */
export type FileResult = { path: string, status: FileStatus, credit_code: string | null, applicant: string | null, issues: Array<Issue>, 
/**
 * The stored submission (new, or the existing one for a duplicate).
 */
submission_id: number | null, version: number | null, };

/**
 * The outcome for one file (keys are the CLI contract, spec/cli.md).
 */
export type FileStatus = "ok" | "needs_correction" | "rejected" | "duplicate";

/**
 * Something the reviewer should look at (possible double claim, …).
 */
export type Flag = { code: string, message: string, message_en: string, };

/**
 * One changed key: the value before and after (`None`: absent on that side).
 */
export type GuideChange = { path: string, old: string | null, new: string | null, };

/**
 * A guide version checked against a round, before it is bound.
 */
export type GuidePreview = { year: number, 
/**
 * Hash of the round's current guide.
 */
from: string, 
/**
 * Hash of the new version.
 */
to: string, title: string, changes: Array<GuideChange>, 
/**
 * False once the round has a decision: binding would be refused.
 */
can_change: boolean, };

export type HealthResult = { 
/**
 * Whether the full check ran now (it runs weekly).
 */
ran: boolean, report: CheckReport | null, };

/**
 * A batch's results, in the order the files were given.
 */
export type ImportReport = { files: Array<FileResult>, 
/**
 * True when the batch was cancelled before every file was seen.
 */
cancelled: boolean, };

/**
 * What `lists import` stored.
 */
export type Imported = { kind: string, entries: number, hash: string, };

export type IpcError = { code: string, 
/**
 * The whole message, `中文 / English`.
 */
message: string, 
/**
 * The message in Chinese alone, for the Chinese interface.
 */
message_zh: string, 
/**
 * The message in English alone, for the English interface.
 */
message_en: string, };

/**
 * One problem, located as precisely as possible. `sheet`, `cell` and
 * `field` are None for workbook-level problems. `message` is Chinese,
 * `message_en` English; both name the place, the label, what was found and
 * what was expected.
 */
export type Issue = { severity: Severity, sheet: string | null, 
/**
 * "B3"
 */
cell: string | null, field: string | null, found: string | null, expected: string | null, message: string, message_en: string, };

export type KnownIdentity = { 
/**
 * The file (full path), as `sign_in` takes it.
 */
file: string, 
/**
 * Its holder and roles when the roster knows the file's stem (training).
 */
holder: string | null, roles: Array<Role>, };

/**
 * One row of the ledger.
 */
export type LedgerRow = { letter_number: string, applicant: string, credit_code: string, clause: string, project: string, bank: string, account: string, amount_yuan: string, state: string, paid_on: string | null, voucher: string | null, paid_yuan: string | null, letter_sha256: string, 
/**
 * What a clawback recovered of this row's payment.
 */
recovered_yuan: string | null, 
/**
 * Paid for this project under the letters this one replaced (an
 * amendment's predecessors), net of what was recovered of it; None when
 * nothing was.
 */
paid_before_yuan: string | null, 
/**
 * What is still to pay on this row: the award less what was paid under
 * it and under the letters it replaced; negative when more was paid
 * than the letter in force awards (the excess to recover). Zero for a
 * row of a letter no longer in force.
 */
due_yuan: string, };

/**
 * What the app's verification found, in the terms the window shows.
 */
export type LetterCheck = { file_name: string, 
/**
 * Everything below holds.
 */
valid: boolean, signed: boolean, signature_valid: boolean, unchanged_since_signing: boolean, 
/**
 * Issued under a certificate this workstation trusts; none when no
 * trust anchor is kept yet.
 */
trusted: boolean | null, 
/**
 * The signer chains to a TEST ONLY certificate authority: a test letter
 * with no legal effect (测试证书 · 无法律效力), even when valid.
 */
test: boolean, signer: string | null, signed_at: string | null, in_register: boolean, voided: boolean, 
/**
 * The number of the amendment or revocation that replaced this letter.
 */
replaced_by: string | null, number: string | null, kind: "approval" | "refusal" | "correction" | "amendment" | "revocation" | null, credit_code: string | null, 
/**
 * The register entry agrees with the decision it was issued from.
 */
content_matches: boolean | null, sha256: string, problems: Array<string>, };

/**
 * Everything printed on a letter.
 */
export type LetterContent = { kind: LetterKind, 
/**
 * 发文字号, e.g. 渝中大数据发〔2026〕12号 (from the register).
 */
number: string, 
/**
 * 标题, e.g. 关于给予……算力经济发展扶持资金的决定.
 */
title: string, 
/**
 * 主送机关: the applicant's full name (printed with a full-width colon).
 */
addressee: string, paragraphs: Array<Paragraph>, 
/**
 * 发文机关: printed in the letterhead and as the signature name.
 */
issuer: string, 
/**
 * 成文日期.
 */
date: string, 
/**
 * 附注: e.g. 联系电话：023-63768099 (printed in parentheses).
 */
contact: string, 
/**
 * Head of the audit chain when the letter was issued, printed small at
 * the foot of every page.
 */
audit_head: string | null, };

/**
 * The letters the bureau issues.
 */
export type LetterKind = "approval" | "refusal" | "correction" | "amendment" | "revocation" | "notice" | "recovery_notice" | "recovery";

/**
 * A register entry with its delivery and voiding.
 */
export type LetterRecord = { number: string, kind: "approval" | "refusal" | "correction" | "amendment" | "revocation", credit_code: string | null, signer: string, amount_yuan: string | null, issued_at: string, letter_sha256: string, delivered_on: string | null, delivery_method: string | null, 
/**
 * Last day to apply for reconsideration (decisions only, once delivered).
 */
reconsideration_until: string | null, 
/**
 * Last day to bring a lawsuit (decisions only, once delivered).
 */
lawsuit_until: string | null, voided_at: string | null, void_reason: string | null, voided_by: string | null, 
/**
 * The letter that amended or revoked this one: no longer in force.
 */
replaced_by: string | null, };

/**
 * A letter in the register, with the name its file gets when it is opened
 * or printed (the letter itself is kept in the store only).
 */
export type LetterRow = { path: string, 
/**
 * Delivery (送达) and voiding, when the register has them.
 */
record: LetterRecord | null, number: string, year: number, seq: number, kind: "approval" | "refusal" | "correction" | "amendment" | "revocation" | "notice", credit_code: string | null, applicant: string | null, 
/**
 * The letter's title as issued (关于给予……“项目”……的决定): it names the
 * project(s) the letter decides.
 */
title: string | null, 
/**
 * The workbook version the letter answers (a correction notice's
 * submission, a decision's evaluated submission).
 */
submission_id: number | null, 
/**
 * Exact yuan as stored ("650000.00"); none for a correction notice.
 */
amount_yuan: string | null, sha256: string, signer: string, issued_at: string, voided: boolean, };

/**
 * One explanation line: a label and a value as shown, in Chinese
 * (`label`, `value`) and English (`label_en`, `value_en`).
 */
export type Line = { label: string, value: string, label_en: string, value_en: string, };

/**
 * A provisional applicant linked to the credit code of its corrected
 * workbook.
 */
export type LinkOutcome = { provisional_key: string, credit_code: string, 
/**
 * The name on the provisional workbook and on the corrected one.
 */
provisional_name: string | null, applicant: string | null, 
/**
 * The names agree after trimming and full-width folding.
 */
name_matches: boolean, 
/**
 * The credit code it was linked to before (a re-link), if any.
 */
previous: string | null, 
/**
 * The provisional applicant's submissions (ids), which now follow the code.
 */
submissions: Array<number>, };

/**
 * A provisional applicant whose name matches an applicant with a valid
 * credit code: the link the reviewer is offered.
 */
export type LinkSuggestion = { provisional_key: string, name: string | null, credit_code: string, 
/**
 * Already linked to this code.
 */
linked: boolean, };

/**
 * The latest list of one kind: what the next evaluation reads.
 */
export type ListSummary = { 
/**
 * `platforms`, `aiplus`, `blacklist`, `other-policy`.
 */
kind: string, file: string | null, hash: string | null, entries: number, imported_by: string | null, imported_at: string | null, };

/**
 * One internal note.
 */
export type Note = { text: string, by: string, at: string, };

/**
 * An application's notes (oldest first) and labels (by name).
 */
export type NotesAndLabels = { notes: Array<Note>, labels: Array<string>, };

/**
 * One line of a published 公示 list.
 */
export type NoticeEntry = { applicant: string, credit_code: string, project: string, clause: string, amount_yuan: string, };

/**
 * What publishing from `from` would do: the period from the calendar
 * (or why there is none) and how many approved decisions wait.
 */
export type NoticePlan = { from: string | null, until: string | null, working_days: number, 
/**
 * Approved (or issued) decisions not yet on a notice.
 */
pending: number, 
/**
 * Why no period can be computed (e.g. `calendar_missing`), both languages.
 */
problem: string | null, };

/**
 * A published 公示 as the window lists it.
 */
export type NoticeSummary = { number: string, from: string, until: string, working_days: number, entries: Array<NoticeEntry>, published_by: string, published_at: string, 
/**
 * `running` while `today` is within the period, `ended` after it,
 * `upcoming` before it starts.
 */
state: string, };

/**
 * A recorded objection (异议) and, once resolved, its outcome.
 */
export type Objection = { id: number, round: number, credit_code: string, project: string | null, by: string, received: string, text: string, recorded_by: string, recorded_at: string, outcome: string | null, reason: string | null, resolved_by: string | null, resolved_at: string | null, 
/**
 * The evidence attached (its file name and the SHA-256 of the bytes
 * kept in the store), when there was any.
 */
evidence_name: string | null, evidence_sha256: string | null, };

/**
 * A case still owed money after its recovery letter (the overview's
 * outstanding recoveries).
 */
export type OutstandingRecovery = { case: number, credit_code: string, applicant: string, letter_number: string | null, due: string | null, 
/**
 * Yuan, as text (0.00).
 */
amount_yuan: string, recovered_yuan: string, outstanding_yuan: string, };

/**
 * What `package export` reports.
 */
export type PackageExport = { kind: string, changes: number, path: string, };

/**
 * What `package import` reports.
 */
export type PackageReport = { kind: string, from: Sender | null, applied: number, conflicts: Array<Conflict>, 
/**
 * Why the package was refused whole (nothing changed), else `null`.
 */
refused: string | null, };

/**
 * A block of body text.
 */
export type Paragraph = { "type": "text", text: string, } | { "type": "heading", text: string, } | { "type": "subheading", text: string, } | { "type": "flush", text: string, } | { "type": "table", widths: Array<number>, rows: Array<TableRow>, };

/**
 * One person on the roster.
 */
export type Person = { holder: string, fingerprint: string, roles: Array<Role>, 
/**
 * A test certificate (TEST ONLY).
 */
test: boolean, 
/**
 * SHA-256 of the person's encryption certificate, when the roster
 * keeps one (a UKey's second certificate); `null` otherwise.
 */
encryption_fingerprint: string | null, };

/**
 * One person's progress over their assignments ("8 / 12 评完").
 */
export type PersonProgress = { holder: string, fingerprint: string, assigned: number, done: number, };

export type PreviewLetter = { width_mm: number, height_mm: number, pages: Array<PreviewPage>, number: string, kind: "approval" | "refusal" | "correction" | "amendment" | "revocation", project: string | null, amount_yuan: string | null, content: LetterContent, };

export type PreviewPage = { runs: Array<PreviewRun>, rules: Array<PreviewRule>, seal: PreviewSeal | null, };

export type PreviewRule = { x1: number, x2: number, y: number, width_pt: number, ink: "black" | "red" | "grey", };

/**
 * One line of text on a previewed page: glyph x positions (mm from the
 * left edge), the baseline (mm from the top), size and style, exactly as
 * the PDF places them.
 */
export type PreviewRun = { text: string, xs: Array<number>, baseline: number, size_pt: number, role: "title" | "body" | "heading" | "kai" | "page_number", ink: "black" | "red" | "grey", kind: "flag" | "number" | "title" | "addressee" | "body" | "signature" | "date" | "contact" | "page_number" | "audit", };

export type PreviewSeal = { cx: number, cy: number, diameter: number, };

/**
 * Progress towards one of the programme's three-year targets, counted over
 * every round in this store: distinct enterprises (credit codes).
 */
export type ProgrammeTarget = { 
/**
 * `enterprises` (50 compute enterprises attracted and cultivated) or
 * `research` (3 or more entities with national or municipal major
 * research results).
 */
key: "enterprises" | "research", target: number, 
/**
 * With an approved (or issued) decision awarding funds; for `research`
 * a funded 技术攻关 (C2a) project, whose eligibility is a national or
 * municipal R&D task.
 */
supported: number, 
/**
 * Found eligible by the stored evaluations (not yet decided included).
 */
eligible: number, };

/**
 * Where the batch is: `done` decisions of `total`, working on `applicant`
 * (`None` in the last report, when the batch has ended).
 */
export type Progress = { done: number, total: number, applicant: string | null, };

export type ProgressEvent = { done: number, total: number, file: string, };

/**
 * One project under one clause.
 */
export type ProjectResult = { clause: Clause, name: string, eligible: boolean, eligibility: Array<RuleCheck>, factors: Array<FactorScore>, 
/**
 * Total score (rounded per the guide) for scored clauses.
 */
score: string | null, 
/**
 * This clause's award before 就高不重复 and other support (after caps,
 * limits); None while a needed panel score is missing.
 */
computed_yuan: string | null, 
/**
 * Final award (0 when ineligible or superseded); None while pending.
 */
award_yuan: string | null, superseded_by: Clause | null, lines: Array<Line>, 
/**
 * Each reviewer's total (automatic points + their panel points), for
 * reviewers who scored every panel factor of the project.
 */
panel_totals?: Array<ReviewerTotal>, 
/**
 * The spread (highest − lowest) of `panel_totals` exceeds the guide's
 * `panel.disagreement_threshold`: the reviewers should look again.
 */
disagreement: boolean, };

/**
 * The reviewers' points on one project side by side.
 */
export type ProjectSpread = { credit_code: string, applicant: string | null, clause: string, project: string, reviewers: Array<ReviewerPoints>, 
/**
 * Highest − lowest total.
 */
spread: string, 
/**
 * The spread exceeds the guide's `panel.disagreement_threshold`.
 */
over_threshold: boolean, };

/**
 * A published 公示: its register number, period and list; the signed PDF
 * and the .xlsx are handed to the shell to write.
 */
export type PublishedNotice = { number: string, from: string, until: string, working_days: number, entries: Array<NoticeEntry>, };

/**
 * One recovery recorded against a case.
 */
export type Recovery = { amount_yuan: string, received_on: string, voucher: string, recorded_by: string, };

/**
 * A row finance's file gave back that was not taken, and why.
 */
export type Refused = { 
/**
 * The spreadsheet row (1-based; the header is row 1).
 */
row: number, reason: string, };

/**
 * What resolving an objection did to the decision.
 */
export type Resolution = { id: number, credit_code: string, outcome: string, reason: string, 
/**
 * `returned` (upheld before any letter: back to review, to be
 * proposed and approved again), `amend_or_revoke` (upheld after a
 * letter), `none` (dismissed, or nothing to return).
 */
action: string, 
/**
 * The decision's state afterwards.
 */
decision_state: string | null, message_zh: string, message_en: string, };

/**
 * The evaluation and decision of one application.
 */
export type Review = { evaluation: Evaluation | null, decision: Decision | null, 
/**
 * Why there is no evaluation (e.g. no valid credit code yet).
 */
unavailable: string | null, 
/**
 * The round guide's `panel.min_scores`: panel scores a project needs
 * before a decision can be proposed (shown before proposing).
 */
min_scores: number | null, };

/**
 * One reviewer's points on one project.
 */
export type ReviewerPoints = { reviewer: string, 
/**
 * Points per panel factor, by factor id.
 */
points: Array<FactorPoints>, 
/**
 * Their panel points summed.
 */
total: string, };

/**
 * One reviewer's total over a project's factors (the automatic factors'
 * points plus this reviewer's panel points), for the disagreement check.
 */
export type ReviewerTotal = { reviewer: string, total: string, };

/**
 * What a person may do.
 */
export type Role = "reviewer" | "approver" | "register" | "admin";

/**
 * A round and the guide it is bound to, for the reviewer's settings.
 */
export type RoundGuide = { year: number, 
/**
 * The guide's content hash.
 */
guide: string, title: string, 
/**
 * When this version was first loaded into the store.
 */
loaded_at: string, 
/**
 * Decisions recorded in the round; from the first one the guide is fixed.
 */
decisions: number, can_change: boolean, 
/**
 * The guide file's exact text, comments included.
 */
text: string, };

/**
 * The round overview.
 */
export type RoundOverview = { 
/**
 * The round shown (the latest with workbooks); none before any import.
 */
round: number | null, counts: StatusCounts, attention: Array<Attention>, targets: Array<ProgrammeTarget>, 
/**
 * Clawback cases of the round with money still to recover (追回).
 */
recoveries: Array<OutstandingRecovery>, };

/**
 * Totals of a scored round.
 */
export type RoundScore = { round: number, guide: string, applicants: number, projects: number, eligible: number, pending_panel: number, frozen: number, total_yuan: string | null, per_clause: { [key in string]?: string }, budget_yuan: string | null, over_budget: boolean, 
/**
 * The round against its budget (per clause, over budget, pro rata).
 */
budget: BudgetReport, flags: Array<Flag>, evaluations: Array<Evaluation>, };

/**
 * One eligibility rule's outcome. `rule` and `reason` are Chinese;
 * `rule_en` and `reason_en` say the same in English (values quoted from the
 * workbook or the guide stay as written).
 */
export type RuleCheck = { 
/**
 * Stable id, used to overrule it (e.g. "district", "C1.conditions[0]").
 */
id: string, rule: string, rule_en: string, pass: boolean, reason: string, reason_en: string, 
/**
 * The written reason when a reviewer overruled a failed rule.
 */
overruled?: string, };

/**
 * Where a value sits.
 */
export type Scope = "applicant" | "project" | "other_support";

/**
 * What the settings screen shows about the seal certificate.
 */
export type SealCertificate = { 
/**
 * The organisation it names (CN).
 */
holder: string, fingerprint: string, issuer: string, 
/**
 * Valid until, UTC (YYYY-MM-DD).
 */
valid_until: string, 
/**
 * A test certificate (测试 TEST ONLY): its letters are test letters.
 */
test: boolean, 
/**
 * `store` (the PKCS#12 kept in the store) or `token` (a UKey).
 */
kind: string, 
/**
 * The token's URI (`token` only).
 */
uri: string | null, };

/**
 * What is configured.
 */
export type SealInfo = { sha256: string, width: number, height: number, bytes: number, };

/**
 * Who signed a package.
 */
export type Sender = { holder: string, fingerprint: string, };

export type Severity = "error" | "warning";

/**
 * One project of an application.
 */
export type ShownProject = { clause: string, name: string, fields: { [key in string]?: ShownValue }, };

/**
 * A stored value: normalised value, the original text, the source cell.
 */
export type ShownValue = { value: string | number | boolean, raw: string, cell: string, };

/**
 * One side of a difference: the value as stored (null when the cell could
 * not be read), the cell's original text and its source cell.
 */
export type Side = { value: string | number | boolean | null, raw: string, cell: string, };

/**
 * What the sign-in screen offers.
 */
export type SignInChoices = { 
/**
 * The store has a roster (else: create test people, or start it).
 */
roster: boolean, 
/**
 * Identity files on this workstation: the training people.
 */
files: Array<KnownIdentity>, };

/**
 * Applications of a round by where they stand (latest workbook per
 * applicant; a provisional workbook linked to a code counts with the code).
 */
export type StatusCounts = { 
/**
 * Applicants with a workbook in the round.
 */
imported: number, 
/**
 * Their latest workbook needs correction.
 */
needs_correction: number, 
/**
 * The stored evaluation finds at least one project eligible.
 */
eligible: number, 
/**
 * Evaluated with no project still waiting for panel scores.
 */
scored: number, 
/**
 * A decision proposed, waiting for the second person.
 */
proposed: number, 
/**
 * Approved, letter not yet issued.
 */
approved: number, 
/**
 * The decision letter issued.
 */
letter_issued: number, };

/**
 * What is at a store path.
 */
export type StoreKind = "missing" | "plain" | "encrypted";

export type StoreStatus = { 
/**
 * "missing" (first start), "plain" (to be encrypted) or "encrypted".
 */
state: StoreKind, unlocked: boolean, db_path: string, min_passphrase_chars: number, };

/**
 * One row of a simple table (cells are plain text, wrapped in their column).
 */
export type TableRow = Array<string>;

/**
 * What `ledger import` took.
 */
export type Taken = { paid: number, refused: Array<Refused>, };

/**
 * What [`create`] wrote.
 */
export type TestBureau = { 
/**
 * The test CA's certificate (give it to a PDF reader to trust test letters).
 */
ca_pem: string, people: Array<TestPerson>, 
/**
 * The test seal certificate (电子印章, TEST ONLY).
 */
seal: TestPerson, };

/**
 * One person's file.
 */
export type TestPerson = { 
/**
 * The certificate's holder (CN), as the roster shows it.
 */
holder: string, roles: Array<Role>, 
/**
 * The PKCS#12 file (password: the one given to [`create`]).
 */
file: string, fingerprint: string, };

export type UnlockResult = { 
/**
 * Shown once (a new store, or a plain store just encrypted).
 */
recovery_key: string | null, encrypted_now: boolean, backups_encrypted: number, quick_check: string, 
/**
 * Shown after unlocking: the store is on a removable drive.
 */
location_warning: string | null, };

/**
 * Two versions compared.
 */
export type VersionDiff = { credit_code: string, applicant: string | null, round: number, from: VersionInfo, to: VersionInfo, differences: Array<Difference>, };

/**
 * One stored version.
 */
export type VersionInfo = { version: number, submission_id: number, file_name: string, file_hash: string, imported_at: string, status: string, };

/**
 * The version numbers of an applicant's workbook in its latest round
 * (linked provisional workbooks as 0, −1, …).
 */
export type Versions = { round: number, versions: Array<number>, };

/** Each command's arguments (camelCase keys, as sent) and result (as serde sends it). */
export type CommandMap = {
  app_info: [undefined, AppInfo];
  store_status: [undefined, StoreStatus];
  unlock_store: [{ passphrase?: string | null; recoveryKey?: string | null }, UnlockResult];
  change_passphrase: [{ current?: string | null; recoveryKey?: string | null; newPassphrase: string }, null];
  backup_now: [undefined, BackupResult];
  store_health: [undefined, HealthResult];
  cancel_import: [undefined, null];
  save_template_with_dialog: [{ year: number }, string | null];
  print_letters: [{ numbers: Array<string>; withSeal: boolean }, string];
  export_letters_with_dialog: [{ numbers: Array<string> }, string | null];
  seal_info: [undefined, SealInfo | null];
  choose_seal_image: [undefined, SealInfo | null];
  seal_certificate_info: [undefined, SealCertificate | null];
  choose_seal_certificate_file: [undefined, string | null];
  import_seal_certificate: [{ password: string }, SealCertificate];
  current_person: [undefined, ActingPerson | null];
  sign_in_choices: [undefined, SignInChoices];
  choose_identity_file: [undefined, string | null];
  sign_in: [{ spec: string; password: string }, ActingPerson];
  sign_out: [undefined, null];
  roster_people: [undefined, Array<Person>];
  start_roster_with_dialog: [undefined, ActingPerson | null];
  add_person_with_dialog: [{ roles: Array<string> }, Person | null];
  create_test_people: [{ password: string }, TestBureau];
  audit_verify: [undefined, AuditReport];
  list_applications: [undefined, Array<ApplicationRow>];
  show_application: [{ submissionId: number }, ApplicationDetail];
  load_sample_round: [undefined, ImportReport];
  import_with_dialog: [undefined, ImportReport | null];
  explain_application: [{ submissionId: number }, Review];
  score_round: [{ year: number }, RoundScore];
  record_panel_score: [{ creditCode: string; clause: string; project: string; factor: string; points: string }, null];
  propose_decision: [{ creditCode: string }, Decision];
  approve_decision: [{ creditCode: string }, Decision];
  return_decision: [{ creditCode: string; comment: string }, Decision];
  propose_change: [{ creditCode: string; kind: string; reason: string }, Decision];
  list_decisions: [undefined, Array<DecisionRow>];
  preview_letters: [{ creditCode: string }, Array<PreviewLetter>];
  round_guides: [undefined, Array<RoundGuide>];
  choose_guide_file: [{ year: number }, GuidePreview | null];
  use_chosen_guide: [{ year: number; hash: string }, Array<RoundGuide>];
  preview_correction_notice: [{ submissionId: number }, Array<PreviewLetter>];
  issue_letters: [{ creditCode: string; password: string }, Array<LetterRow>];
  issue_correction_notice: [{ submissionId: number; password: string }, LetterRow];
  issue_all_letters: [{ password: string }, number];
  cancel_issue_all: [undefined, null];
  delivery_methods: [undefined, Array<string>];
  record_delivery: [{ number: string; on: string; method: string }, null];
  void_letter: [{ number: string; reason: string }, null];
  list_letters: [undefined, Array<LetterRow>];
  open_letter: [{ number: string }, string];
  verify_letter_with_dialog: [undefined, LetterCheck | null];
  verify_issued_letter: [{ number: string }, LetterCheck];
  round_overview: [{ year?: number | null }, RoundOverview];
  round_budget: [{ year: number }, BudgetReport | null];
  workbook_versions: [{ creditCode: string }, Versions];
  compare_versions: [{ creditCode: string; from: number; to: number }, VersionDiff];
  link_suggestions: [undefined, Array<LinkSuggestion>];
  link_provisional: [{ provisionalKey: string; creditCode: string }, LinkOutcome];
  exchange_status: [{ year: number }, ExchangeStatus];
  export_package_with_dialog: [{ year: number; to: Array<string> }, PackageExport | null];
  import_package_with_dialog: [{ password: string }, PackageReport | null];
  round_assignments: [{ year: number }, Assignments];
  assign_applications: [{ year: number; creditCodes: Array<string>; to: string; clause?: string | null }, Assignments];
  panel_comparison: [{ year: number }, Comparison];
  application_notes: [{ creditCode: string }, NotesAndLabels];
  add_note: [{ creditCode: string; text: string }, NotesAndLabels];
  set_label: [{ creditCode: string; label: string; remove: boolean }, NotesAndLabels];
  all_labels: [undefined, { [key in string]?: Array<string> }];
  round_notices: [{ year: number }, Array<NoticeSummary>];
  notice_plan: [{ year: number; from: string }, NoticePlan];
  publish_notice: [{ year: number; from: string; password: string }, PublishedNotice];
  round_objections: [{ year: number }, Array<Objection>];
  record_objection: [{ year: number; creditCode: string; project?: string | null; by: string; received: string; text: string; withEvidence: boolean }, boolean];
  resolve_objection: [{ id: number; outcome: string; reason: string }, Resolution];
  ledger_rows: [{ year: number }, Array<LedgerRow>];
  export_ledger_with_dialog: [{ year: number }, Exported | null];
  import_ledger_with_dialog: [undefined, Taken | null];
  managed_lists: [{ year: number }, Array<ListSummary>];
  import_list_with_dialog: [{ year: number; kind: string }, Imported | null];
  calendar_years: [undefined, Array<CalendarYearInfo>];
  import_calendar_with_dialog: [undefined, Array<number> | null];
  clawback_cases: [{ year: number }, Array<Case>];
};

/** The events the app emits, with their payloads (as serde sends them). */
export type EventMap = {
  "import-progress": ProgressEvent;
  "import-finished": ImportReport;
  "import-failed": IpcError;
  "letter-verified": LetterCheck;
  "letter-verify-failed": IpcError;
  "letters-batch-progress": Progress;
  "letters-batch-finished": BatchReport;
};
