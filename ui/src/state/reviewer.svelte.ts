// Who is reviewing on this computer: the name sent as `reviewerName` with every
// command that records who did something. Persisted in localStorage.
import * as api from '../api';
export const REVIEWER_KEY = 'reviewdesk.reviewer';
export const ROLE_KEY = 'reviewdesk.role';

/**
 * What this person does in the round: 评审 scores and proposes, 审批 approves
 * and issues letters. It orders "what needs my attention" and picks the
 * screen a session opens on; who may approve is still decided by the engine
 * (another identity than the proposer, the certificate's holder).
 */
export type Role = 'reviewer' | 'approver';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function load(key: string): string {
  try {
    return storage()?.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function loadRole(): Role | null {
  const r = load(ROLE_KEY);
  return r === 'reviewer' || r === 'approver' ? r : null;
}

class Reviewer {
  name = $state(load(REVIEWER_KEY));
  role = $state<Role | null>(loadRole());

  setRole(role: Role | null) {
    this.role = role;
    try {
      if (role) storage()?.setItem(ROLE_KEY, role);
      else storage()?.removeItem(ROLE_KEY);
    } catch {
      // Unavailable storage: the role lasts for this session.
    }
  }

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
