// The IPC contract between the web view and the Rust side (src-tauri).
//
// The types are generated from the Rust structs into ./ipc.generated.ts (by
// src-tauri/src/commands/ipc_types.rs, a test that fails when that file is
// stale), as serde sends them: snake_case keys, `T | null` for an `Option`,
// `key?:` for a field serde leaves out when empty (`skip_serializing_if`),
// amounts as decimal strings in yuan ("32005000.00"), never JS numbers.
// api.ts's `fromWire` renames the keys to camelCase at the boundary; the
// names below are the UI's view of each wire type (`FromWire<T>`), under the
// names the screens use.

import type * as W from './ipc.generated';

/** `snake_case` → `camelCase`, as `fromWire` renames a key. */
export type CamelKey<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelKey<T>>}` : S;

/**
 * A wire type as `fromWire` returns it: every key camelCase, except the
 * contents of `value` (data, not structure). A map (ts-rs writes
 * `{ [key in string]?: V }`) is a `Record<string, V>`: its keys (workbook
 * labels) stay as they are, and a key it has always has a value.
 */
export type FromWire<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer U)[]
    ? FromWire<U>[]
    : string extends keyof T
      ? Record<string, FromWire<Exclude<T[keyof T], undefined>>>
      : { [K in keyof T as K extends string ? CamelKey<K> : K]: K extends 'value' ? T[K] : FromWire<T[K]> };

export type ClauseId = W.Clause;

/** Status of a stored submission. */
export type SubmissionStatus = W.ApplicationRow['status'];

/** Status of one file in an import: stored ones plus the two that store nothing new. */
export type ImportStatus = W.FileStatus;

export type AppInfo = FromWire<W.AppInfo>;
export type ApplicationRow = FromWire<W.ApplicationRow>;

/** Money, decimals and dates are strings; integers and years numbers; 是/否 booleans. Never null. */
export type FieldScalar = W.ShownValue['value'];

/** A stored value with its provenance: the normalised value, the raw cell text and the cell ("申报单位!B13"). */
export type FieldValue = FromWire<W.ShownValue>;
export type Project = FromWire<W.ShownProject>;
export type Severity = W.Severity;
export type Issue = FromWire<W.Issue>;
export type ApplicationDetail = FromWire<W.ApplicationDetail>;
export type ImportFileResult = FromWire<W.FileResult>;
export type ImportReport = FromWire<W.ImportReport>;
export type AuditResult = FromWire<W.AuditReport>;

// ---- Review (the engine computes; the UI only shows) ----

/** One eligibility rule's outcome (engine `RuleCheck`). */
export type EligibilityCheck = FromWire<W.RuleCheck>;
/** One factor's scoring (engine `FactorScore`; not the guide's `Factor`). */
export type Factor = FromWire<W.FactorScore>;
/** One explanation line, Chinese and English (engine `Line`). */
export type ExplainLine = FromWire<W.Line>;
export type ReviewerTotal = FromWire<W.ReviewerTotal>;
export type ProjectResult = FromWire<W.ProjectResult>;
export type Flag = FromWire<W.Flag>;
export type Evaluation = FromWire<W.Evaluation>;
/** Where a decision stands (a string in the engine; its values are declared on `Decision.state`). */
export type DecisionState = W.Decision['state'];
export type Decision = FromWire<W.Decision>;
export type Review = FromWire<W.Review>;
export type RoundScore = FromWire<W.RoundScore>;
export type DecisionRow = FromWire<W.DecisionRow>;

// ---- Store, guide, seal ----

export type StoreStatus = FromWire<W.StoreStatus>;
export type UnlockResult = FromWire<W.UnlockResult>;
export type HealthResult = FromWire<W.HealthResult>;
export type RoundGuide = FromWire<W.RoundGuide>;
export type GuideChange = FromWire<W.GuideChange>;
export type GuidePreview = FromWire<W.GuidePreview>;
export type SealInfo = FromWire<W.SealInfo>;

// ---- Letters ----

export type SealCertificate = FromWire<W.SealCertificate>;
export type ActingPerson = FromWire<W.ActingPerson>;
export type SignInChoices = FromWire<W.SignInChoices>;
export type KnownIdentity = FromWire<W.KnownIdentity>;
export type Person = FromWire<W.Person>;
export type PersonRole = W.Role;
export type TestBureau = FromWire<W.TestBureau>;
export type LetterKind = W.LetterKind;
export type LetterRow = FromWire<W.LetterRow>;
export type LetterRecord = FromWire<W.LetterRecord>;
export type PreviewRun = FromWire<W.PreviewRun>;
export type PreviewRule = FromWire<W.PreviewRule>;
export type PreviewPage = FromWire<W.PreviewPage>;
/** A block of a letter's body, tagged by `type` (engine `Paragraph`). */
export type LetterParagraph = FromWire<W.Paragraph>;
export type LetterContent = FromWire<W.LetterContent>;
export type PreviewLetter = FromWire<W.PreviewLetter>;
export type LetterCheck = FromWire<W.LetterCheck>;

// ---- Round overview, budget, versions, links ----

export type AuditEntry = FromWire<W.AuditEntry>;
export type StatusCounts = FromWire<W.StatusCounts>;
/** A kind of work waiting (declared on the engine's `Attention.kind`). */
export type AttentionKind = W.Attention['kind'];
export type AttentionItem = FromWire<W.AttentionItem>;
export type Attention = FromWire<W.Attention>;
export type ProgrammeTarget = FromWire<W.ProgrammeTarget>;
export type RoundOverview = FromWire<W.RoundOverview>;
export type ClauseTotal = FromWire<W.ClauseTotal>;
export type BudgetReport = FromWire<W.BudgetReport>;
export type Allocation = FromWire<W.Allocation>;
/** The version numbers of an applicant's workbook (the app's `Versions`). */
export type WorkbookVersions = FromWire<W.Versions>;
export type VersionInfo = FromWire<W.VersionInfo>;
/** One side of a difference (engine `Side`). */
export type DiffSide = FromWire<W.Side>;
export type Difference = FromWire<W.Difference>;
export type VersionDiff = FromWire<W.VersionDiff>;
export type LinkSuggestion = FromWire<W.LinkSuggestion>;
export type LinkOutcome = FromWire<W.LinkOutcome>;
/** The reviewer's desk: assignments and progress, the comparison, notes and labels. */
export type Assignments = FromWire<W.Assignments>;
export type Assignment = FromWire<W.Assignment>;
export type AssignmentProgress = FromWire<W.PersonProgress>;
export type PanelComparison = FromWire<W.Comparison>;
export type ProjectSpread = FromWire<W.ProjectSpread>;
export type NotesAndLabels = FromWire<W.NotesAndLabels>;
export type Note = FromWire<W.Note>;

// ---- Commands ----

/** Commands the Rust side exposes: name → [arguments as sent, result as `fromWire` returns it]. */
export type CommandMap = { [C in keyof W.CommandMap]: [W.CommandMap[C][0], FromWire<W.CommandMap[C][1]>] };

export type CommandName = keyof CommandMap;

/** Arguments of the commands that take an object of their own. */
export type PanelScoreArgs = W.CommandMap['record_panel_score'][0];
/** Exactly one of passphrase / recoveryKey. */
export type UnlockArgs = W.CommandMap['unlock_store'][0];
export type ChangePassphraseArgs = W.CommandMap['change_passphrase'][0];

// ---- Events ----

/** An error as it crosses IPC. */
export type IpcErrorPayload = FromWire<W.IpcError>;
export type ImportProgress = FromWire<W.ProgressEvent>;
/** Issuing all approved decisions: before each decision, and once at the end. */
export type BatchProgress = FromWire<W.Progress>;
export type BatchFailure = FromWire<W.Failure>;
export type BatchReport = FromWire<W.BatchReport>;

/** Events the Rust side emits, with their payloads as `fromWire` returns them. */
export type EventMap = { [E in keyof W.EventMap]: FromWire<W.EventMap[E]> };

// ---- Collaboration (one round across laptops) ----

export type ExchangeStatus = FromWire<W.ExchangeStatus>;
export type PackageExport = FromWire<W.PackageExport>;
export type PackageReport = FromWire<W.PackageReport>;
export type PackageConflict = FromWire<W.Conflict>;

// ---- 公示与拨付 (round operations) ----

export type NoticeSummary = FromWire<W.NoticeSummary>;
export type NoticeEntry = FromWire<W.NoticeEntry>;
export type NoticePlan = FromWire<W.NoticePlan>;
export type PublishedNotice = FromWire<W.PublishedNotice>;
export type Objection = FromWire<W.Objection>;
export type ObjectionResolution = FromWire<W.Resolution>;
export type LedgerRow = FromWire<W.LedgerRow>;
export type LedgerExport = FromWire<W.Exported>;
export type LedgerImport = FromWire<W.Taken>;
export type LedgerRefused = FromWire<W.Refused>;
export type ManagedList = FromWire<W.ListSummary>;
export type ListImport = FromWire<W.Imported>;
export type CalendarYear = FromWire<W.CalendarYearInfo>;
export type ClawbackCase = FromWire<W.Case>;
