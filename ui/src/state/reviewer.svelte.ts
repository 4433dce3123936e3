// Who is reviewing on this computer: the name sent as `reviewerName` with every
// command that records who did something. Persisted in localStorage.
import * as api from '../api';
export const REVIEWER_KEY = 'reviewdesk.reviewer';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function load(): string {
  try {
    return storage()?.getItem(REVIEWER_KEY) ?? '';
  } catch {
    return '';
  }
}

class Reviewer {
  name = $state(load());

  set(name: string) {
    this.name = name.trim();
    this.announce();
    try {
      if (this.name) storage()?.setItem(REVIEWER_KEY, this.name);
      else storage()?.removeItem(REVIEWER_KEY);
    } catch {
      // Unavailable storage: the name lasts for this session.
    }
  }

  /** Tell the Rust side (imports, even of dropped files, are recorded under this name). */
  announce() {
    void api.setReviewer(this.name).catch(() => {
      // Before the store is unlocked or outside the app: nothing to record yet.
    });
  }

  /** The name, or null after moving focus to the header input so the reviewer can fill it in. */
  require(): string | null {
    if (this.name) return this.name;
    if (typeof document !== 'undefined') document.getElementById('reviewer-name')?.focus();
    return null;
  }
}

export const reviewer = new Reviewer();
