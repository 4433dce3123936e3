// Decisions, letters and the seal certificate (电子印章): what the Decisions, Letters
// and Settings screens share. Every figure and every verdict comes from the
// Rust side; this module only loads, keeps and refreshes it.
import * as api from '../api';
import type { ApiError } from '../api';
import type { BatchProgress, BatchReport, DecisionRow, SealCertificate, LetterCheck, LetterRow } from '../types';
import type { Load } from './workbench.svelte';

export class LetterDesk {
  cert = $state.raw<Load<SealCertificate | null>>({ state: 'idle' });
  decisions = $state.raw<Load<DecisionRow[]>>({ state: 'idle' });
  letters = $state.raw<Load<LetterRow[]>>({ state: 'idle' });
  /** The decision the Decisions screen opens with (set when "approve" is clicked elsewhere). */
  focus = $state<string | null>(null);

  /** Issuing all approved decisions: progress while it runs, then its report. */
  batch = $state.raw<BatchProgress | null>(null);
  batchReport = $state.raw<BatchReport | null>(null);
  batchCancelling = $state(false);

  /** Before asking the Rust side to start: forget the last report. */
  batchStarting() {
    this.batchReport = null;
    this.batchCancelling = false;
  }

  /** The Rust side accepted the password: show progress, unless its events (or its report) came first. */
  batchStarted(total: number) {
    if (!this.batch && !this.batchReport) this.batch = { done: 0, total, applicant: null };
  }

  batchProgress(p: BatchProgress) {
    if (this.batch || p.done < p.total) this.batch = p;
  }

  async batchFinished(r: BatchReport): Promise<void> {
    this.batch = null;
    this.batchCancelling = false;
    this.batchReport = r;
    await Promise.all([this.loadDecisions(true), this.loadLetters(true)]);
  }

  async cancelBatch(): Promise<void> {
    this.batchCancelling = true;
    try {
      await api.cancelIssueAll();
    } catch {
      this.batchCancelling = false;
    }
  }

  /** The latest verification (dialog, drop or a register row) and where it came from. */
  check = $state.raw<LetterCheck | null>(null);
  checkError = $state.raw<ApiError | null>(null);
  verifying = $state(false);
  private checkSeq = 0;

  private async load<T>(set: (l: Load<T>) => void, current: Load<T>, fetch: () => Promise<T>, quiet: boolean) {
    if (!quiet || current.state !== 'ready') set({ state: 'loading' });
    try {
      set({ state: 'ready', value: await fetch() });
    } catch (e) {
      set({ state: 'error', error: api.toApiError(e) });
    }
  }

  /** `quiet` keeps showing what is there while it reloads (no flicker after an action). */
  loadCert(quiet = false): Promise<void> {
    return this.load((l) => (this.cert = l), this.cert, api.sealCertificateInfo, quiet);
  }

  loadDecisions(quiet = false): Promise<void> {
    return this.load((l) => (this.decisions = l), this.decisions, api.listDecisions, quiet);
  }

  loadLetters(quiet = false): Promise<void> {
    return this.load((l) => (this.letters = l), this.letters, api.listLetters, quiet);
  }

  /** Runs one verification; only the newest one may show its result. */
  async verify(run: () => Promise<LetterCheck | null>): Promise<void> {
    const seq = ++this.checkSeq;
    this.verifying = true;
    this.checkError = null;
    try {
      const c = await run();
      if (seq === this.checkSeq && c) this.check = c;
    } catch (e) {
      if (seq === this.checkSeq) this.checkError = api.toApiError(e);
    } finally {
      if (seq === this.checkSeq) this.verifying = false;
    }
  }

  verifyWithDialog(): Promise<void> {
    return this.verify(api.verifyLetterWithDialog);
  }

  verifyIssued(number: string): Promise<void> {
    return this.verify(() => api.verifyIssuedLetter(number));
  }

  /** A PDF was dropped on the window: the Rust side verifies it and reports by event. */
  dropStarted() {
    this.checkSeq++;
    this.verifying = true;
    this.checkError = null;
  }

  received(c: LetterCheck) {
    this.check = c;
    this.checkError = null;
    this.verifying = false;
  }

  failed(e: ApiError) {
    this.checkError = e;
    this.verifying = false;
  }

  reset() {
    this.cert = { state: 'idle' };
    this.decisions = { state: 'idle' };
    this.letters = { state: 'idle' };
    this.focus = null;
    this.batch = null;
    this.batchReport = null;
    this.batchCancelling = false;
    this.check = null;
    this.checkError = null;
    this.verifying = false;
  }
}

export const letterDesk = new LetterDesk();
