// The workstation's state: the application list, the open application, the
// latest import and the audit check. Screens read it and call its methods;
// only this module and api.ts know where data comes from.
import * as api from '../api';
import { ApiError } from '../api';
import type {
  AppInfo,
  ApplicationDetail,
  ApplicationRow,
  AuditResult,
  ImportFileResult,
  ImportProgress,
  ImportReport,
} from '../types';
import { DEFAULT_QUERY, queryRows, type ListQuery } from '../lib/applications';
import { moveIndex } from '../lib/virtual';
import { basename } from '../lib/format';
import { letterDesk } from './letters.svelte';
import { reviewer } from './reviewer.svelte';
import { desk } from './desk.svelte';
import { deskView, queueOf } from '../lib/desk';

export type ScreenId = 'overview' | 'applications' | 'import' | 'decisions' | 'letters' | 'operations' | 'settings';

export type AuditState =
  | { state: 'checking' }
  | { state: 'done'; result: AuditResult }
  | { state: 'failed'; error: ApiError };

export type Load<T> =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'error'; error: ApiError };

export class Workbench {
  // An approver's day starts at the approval queue; everyone else's at the applications.
  screen = $state<ScreenId>(reviewer.role === 'approver' ? 'decisions' : 'applications');
  helpOpen = $state(false);

  // Application list. `rows` is raw: 10,000 rows need no deep reactivity.
  rows = $state.raw<ApplicationRow[]>([]);
  listLoad = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  listError = $state.raw<ApiError | null>(null);
  query = $state<ListQuery>({ ...DEFAULT_QUERY });
  /** The credit codes assigned to the person signed in (done or not): their queue comes first. */
  queue = $derived(queueOf(desk.assignments, reviewer.person?.fingerprint));
  view = $derived(deskView(queryRows(this.rows, this.query), this.queue, desk.labels, desk.filter));
  selectedId = $state<number | null>(null);
  selectedIndex = $derived(this.view.findIndex((r) => r.submissionId === this.selectedId));

  // The open application (detail panel).
  detailId = $state<number | null>(null);
  detail = $state.raw<Load<ApplicationDetail>>({ state: 'idle' });
  private detailToken = 0;

  // Import.
  importing = $state(false);
  /** Files are being dragged over the window. */
  dragging = $state(false);
  /** …and they are all PDFs: a drop verifies them as letters instead of importing. */
  draggingLetters = $state(false);
  /** While the native file dialog is open nothing is being imported yet. */
  choosingFiles = $state(false);
  progress = $state.raw<ImportProgress | null>(null);
  report = $state.raw<ImportReport | null>(null);
  reportDismissed = $state(false);
  importError = $state.raw<ApiError | null>(null);
  importCancelled = $state(false);

  audit = $state.raw<AuditState>({ state: 'checking' });
  info = $state.raw<Load<AppInfo>>({ state: 'idle' });

  private unlisten: Array<() => void> = [];

  /** Subscribes to the Rust side's events and starts the first loads; the window never waits on them. */
  async start(): Promise<void> {
    void this.verifyAudit();
    void this.refresh();
    try {
      this.unlisten.push(
        await api.onImportProgress((p) => {
          this.progress = p;
          this.choosingFiles = false;
          if (p.total > 0 && p.done < p.total) this.importing = true;
        }),
        await api.onImportFinished((r) => void this.finishImport(r)),
        await api.onImportFailed((e) => {
          this.importing = false;
          this.importError = e;
        }),
        await api.onFileDrag((phase, letters) => {
          this.dragging = phase === 'enter';
          this.draggingLetters = phase === 'enter' && letters;
          if (phase === 'drop' && letters) {
            // The Rust side verifies dropped letters; the result arrives as an event.
            letterDesk.dropStarted();
            this.screen = 'letters';
          } else if (phase === 'drop') {
            // The Rust side imports the dropped files; progress and the report follow as events.
            this.importing = true;
            this.choosingFiles = false;
            this.progress = null;
            this.importError = null;
            this.importCancelled = false;
          }
        }),
        await api.onLetterVerified((c) => letterDesk.received(c)),
        await api.onLetterVerifyFailed((e) => letterDesk.failed(e)),
        await api.onBatchProgress((p) => letterDesk.batchProgress(p)),
        await api.onBatchFinished((r) => {
          void letterDesk.batchFinished(r);
          void this.verifyAudit();
        }),
      );
    } catch {
      // No event bridge (tests, or outside the app): commands still work.
    }
  }

  stop() {
    for (const u of this.unlisten.splice(0)) u();
  }

  /** Back to the state of a fresh start (a new session; also used between tests). */
  reset() {
    this.stop();
    desk.reset();
    this.screen = 'applications';
    this.helpOpen = false;
    this.rows = [];
    this.listLoad = 'idle';
    this.listError = null;
    this.query = { ...DEFAULT_QUERY };
    this.selectedId = null;
    this.closeDetail();
    this.importing = false;
    this.choosingFiles = false;
    this.dragging = false;
    this.draggingLetters = false;
    this.progress = null;
    this.report = null;
    this.reportDismissed = false;
    this.importError = null;
    this.importCancelled = false;
    this.audit = { state: 'checking' };
    this.auditRechecking = false;
    this.info = { state: 'idle' };
  }

  go(screen: ScreenId) {
    this.screen = screen;
    this.helpOpen = false;
  }

  async refresh(): Promise<void> {
    this.listLoad = 'loading';
    void desk.load();
    try {
      this.rows = await api.listApplications();
      this.listError = null;
      this.listLoad = 'ready';
      if (this.selectedId === null || !this.rows.some((r) => r.submissionId === this.selectedId)) {
        this.selectedId = this.view[0]?.submissionId ?? null;
      }
    } catch (e) {
      this.listError = e instanceof ApiError ? e : api.toApiError(e);
      this.listLoad = 'error';
    }
  }

  /**
   * After an act (score, propose, approve, return, issue): the chain checked
   * again and the list's stages and awards brought up to date, without the
   * list's loading state (the table stays where it is).
   */
  async afterAct(): Promise<void> {
    void this.verifyAudit();
    void desk.load();
    // the open application's history (审计记录 and its count) gains the act just made
    if (this.detailId !== null) void this.openDetail(this.detailId);
    try {
      this.rows = await api.listApplications();
    } catch {
      // the list keeps what it showed; the next refresh says why
    }
  }

  /** A red result stays on screen while the chain is verified again: a warning never blinks away. */
  auditRechecking = $state(false);

  /** Only the newest check may set the badge: an older one can finish later with a stale count. */
  private auditSeq = 0;

  async verifyAudit(): Promise<void> {
    const seq = ++this.auditSeq;
    if (this.audit.state === 'done') this.auditRechecking = true;
    else this.audit = { state: 'checking' };
    try {
      const result = await api.auditVerify();
      if (seq === this.auditSeq) this.audit = { state: 'done', result };
    } catch (e) {
      if (seq === this.auditSeq) this.audit = { state: 'failed', error: api.toApiError(e) };
    } finally {
      if (seq === this.auditSeq) this.auditRechecking = false;
    }
  }

  async loadInfo(): Promise<void> {
    if (this.info.state === 'loading' || this.info.state === 'ready') return;
    this.info = { state: 'loading' };
    try {
      this.info = { state: 'ready', value: await api.appInfo() };
    } catch (e) {
      this.info = { state: 'error', error: api.toApiError(e) };
    }
  }

  setQuery(patch: Partial<ListQuery>) {
    Object.assign(this.query, patch);
    if (this.selectedIndex < 0) this.selectedId = this.view[0]?.submissionId ?? null;
    // A filter that hides the open application: the detail follows the
    // selection (as with j/k), or closes when nothing matches, so the panel
    // never shows an application the highlighted row is not.
    if (this.detailId !== null && !this.view.some((r) => r.submissionId === this.detailId)) {
      if (this.selectedId !== null) void this.openDetail(this.selectedId);
      else this.closeDetail();
    }
  }

  clearFilters() {
    desk.setFilter({ mineOnly: false, label: 'all' });
    this.setQuery({ search: '', status: 'all', clause: 'all', district: 'all' });
  }

  select(id: number | null) {
    this.selectedId = id;
  }

  /** j/k and the arrow keys. When the detail panel is open it follows the selection. */
  moveSelection(delta: number) {
    const i = moveIndex(this.selectedIndex, delta, this.view.length);
    if (i < 0) return;
    const id = this.view[i].submissionId;
    if (id === this.selectedId) return;
    this.selectedId = id;
    if (this.detailId !== null) void this.openDetail(id);
  }

  selectEdge(which: 'first' | 'last') {
    if (this.view.length === 0) return;
    this.moveSelection(which === 'first' ? -this.view.length : this.view.length);
  }

  openSelected() {
    if (this.selectedId !== null) void this.openDetail(this.selectedId);
  }

  async openDetail(id: number): Promise<void> {
    this.selectedId = id;
    this.detailId = id;
    const token = ++this.detailToken;
    // Keep showing the previous application while the next one loads (no flicker on j/k).
    if (this.detail.state !== 'ready') this.detail = { state: 'loading' };
    try {
      const value = await api.showApplication(id);
      if (token === this.detailToken) this.detail = { state: 'ready', value };
    } catch (e) {
      if (token === this.detailToken) this.detail = { state: 'error', error: api.toApiError(e) };
    }
  }

  closeDetail() {
    this.detailToken++;
    this.detailId = null;
    this.detail = { state: 'idle' };
  }

  loadSamples(): Promise<void> {
    return this.runImport(() => api.loadSampleRound(), false);
  }

  importFiles(): Promise<void> {
    return this.runImport(() => api.importWithDialog(), true);
  }

  private async runImport(run: () => Promise<ImportReport | null>, dialog: boolean): Promise<void> {
    if (this.importing) return;
    this.importing = true;
    this.choosingFiles = dialog;
    this.importError = null;
    this.importCancelled = false;
    this.progress = null;
    try {
      const report = await run();
      if (report === null) this.importCancelled = true;
      else await this.finishImport(report);
    } catch (e) {
      this.importError = api.toApiError(e);
    } finally {
      this.importing = false;
      this.choosingFiles = false;
    }
  }

  /** From a command's result or the `import-finished` event (drops): the same report may arrive twice. */
  async finishImport(report: ImportReport): Promise<void> {
    this.report = report;
    this.importError = null;
    this.reportDismissed = false;
    this.importing = false;
    this.importCancelled = false;
    await this.refresh();
    void this.verifyAudit();
  }

  /** The row a file of an import report now lives in, if any: same file, else same credit code, else same name. */
  rowForImport(file: ImportFileResult): ApplicationRow | undefined {
    if (file.status === 'rejected') return undefined;
    const name = basename(file.path);
    // The applicant's latest version: the list shows one row per applicant.
    const stored = file.submissionId != null ? this.rows.find((r) => r.submissionId === file.submissionId) : undefined;
    return (
      stored ??
      this.rows.find((r) => r.fileName === name) ??
      (file.creditCode ? this.rows.find((r) => r.creditCode === file.creditCode) : undefined) ??
      (file.applicant ? this.rows.find((r) => r.applicant === file.applicant) : undefined)
    );
  }

  /** Opens an application from anywhere (import result, overview). */
  showApplication(id: number) {
    this.screen = 'applications';
    const row = this.rows.find((r) => r.submissionId === id);
    if (row && !this.view.includes(row)) this.clearFilters();
    void this.openDetail(id);
  }
}

export const workbench = new Workbench();
