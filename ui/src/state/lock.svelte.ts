// The store's lock as the window sees it: checking → locked (unlock screen)
// → recovery (a new key to show once) → open (the workstation). The
// passphrase is never kept here: it goes straight to the command.
import * as api from '../api';
import type { ApiError, StoreStatus, UnlockResult } from '../api';

export type LockPhase = 'checking' | 'locked' | 'recovery' | 'open' | 'failed';

class Lock {
  phase = $state<LockPhase>('checking');
  status = $state<StoreStatus | null>(null);
  busy = $state(false);
  error = $state<ApiError | null>(null);
  /** Shown once after creating or encrypting the store. */
  recoveryKey = $state<string | null>(null);
  backupsEncrypted = $state(0);
  encryptedNow = $state(false);
  /** The start-up quick check, when it was not "ok". */
  quickCheckProblem = $state<string | null>(null);
  /** The weekly full check found a problem (its summary). */
  healthProblem = $state<string | null>(null);
  /** The store is on a removable drive. */
  locationWarning = $state<string | null>(null);

  async check(): Promise<void> {
    this.phase = 'checking';
    try {
      const s = await api.storeStatus();
      this.status = s;
      this.phase = s.unlocked ? 'open' : 'locked';
    } catch (e) {
      this.error = e as ApiError;
      this.phase = 'failed';
    }
  }

  /** What opening the store reported: its checks and what was encrypted. */
  private opened(r: UnlockResult): void {
    this.quickCheckProblem = r.quickCheck === 'ok' ? null : r.quickCheck;
    this.locationWarning = r.locationWarning ?? null;
    this.encryptedNow = r.encryptedNow;
    this.backupsEncrypted = r.backupsEncrypted;
  }

  /** Unlock (or create, or encrypt) with a passphrase or the recovery key. */
  async unlock(args: { passphrase?: string; recoveryKey?: string }): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      const r = await api.unlockStore(args);
      this.opened(r);
      if (r.recoveryKey) {
        this.recoveryKey = r.recoveryKey;
        this.phase = 'recovery';
      } else {
        this.phase = 'open';
      }
      return true;
    } catch (e) {
      this.error = e as ApiError;
      return false;
    } finally {
      this.busy = false;
    }
  }

  /**
   * A forgotten passphrase: open with the recovery key and set a new
   * passphrase at once (the recovery key is the way back, not a second
   * passphrase): the key file is re-wrapped under the new passphrase first
   * (nothing changes when that fails), then the store opens with it.
   */
  async recover(recoveryKey: string, newPassphrase: string): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      await api.changePassphrase({ current: null, recoveryKey, newPassphrase });
      this.opened(await api.unlockStore({ passphrase: newPassphrase }));
      this.phase = 'open';
      return true;
    } catch (e) {
      this.error = e as ApiError;
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** The weekly full check, in the background; a failure becomes a banner. */
  async checkHealth(): Promise<void> {
    try {
      const h = await api.storeHealth();
      const r = h.report;
      if (r && !r.ok) {
        this.healthProblem = [
          r.integrity !== 'ok' ? r.integrity : null,
          r.foreignKeyProblems ? `foreign keys: ${r.foreignKeyProblems}` : null,
          r.cipherProblems ? `cipher pages: ${r.cipherProblems}` : null,
          r.audit.ok ? null : r.audit.message,
        ]
          .filter(Boolean)
          .join('; ');
      }
    } catch (e) {
      this.healthProblem = (e as ApiError).message;
    }
  }

  /** The reviewer has kept the recovery key: forget it and open the workstation. */
  acknowledge() {
    this.recoveryKey = null;
    this.phase = 'open';
  }

  reset() {
    this.phase = 'checking';
    this.status = null;
    this.busy = false;
    this.error = null;
    this.recoveryKey = null;
    this.quickCheckProblem = null;
    this.locationWarning = null;
    this.healthProblem = null;
  }
}

export const lock = new Lock();
