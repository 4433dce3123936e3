// Who is acting: the person signed in with their certificate (a .p12 file or
// a UKey), once per session. The Rust side holds the unlocked identity and
// signs every act with it; the window only shows who that is. A typed name
// counts for nothing.
import { forgetDrafts } from './drafts';
import * as api from '../api';
import type { ActingPerson, PersonRole } from '../api';

/**
 * What this person mostly does, from their roster roles: 评审 scores and
 * proposes, 审批 approves and the register office issues letters. It orders
 * "what needs my attention" and picks the screen a session opens on; who may
 * do what is still decided by the engine.
 */
export type Role = 'reviewer' | 'approver';

/** The work a person's roles put first (approvers and the register office: decisions and letters). */
export function mainRole(roles: readonly PersonRole[]): Role | null {
  if (roles.includes('approver') || roles.includes('register')) return 'approver';
  if (roles.includes('reviewer')) return 'reviewer';
  return null;
}

class Reviewer {
  person = $state<ActingPerson | null>(null);
  /** Checked once with the Rust side (false until then). */
  known = $state(false);

  get name(): string {
    return this.person?.holder ?? '';
  }

  get role(): Role | null {
    return this.person ? mainRole(this.person.roles) : null;
  }

  /** Ask the Rust side who is signed in. */
  async refresh(): Promise<void> {
    try {
      this.person = await api.currentPerson();
    } catch {
      this.person = null;
    }
    this.known = true;
  }

  /** Sign in with a .p12 path or a pkcs11: URI; errors go to the caller (wrong password, not on the roster …). */
  async signIn(spec: string, password: string): Promise<ActingPerson> {
    const p = await api.signIn(spec, password);
    this.person = p;
    this.known = true;
    return p;
  }

  async signOut(): Promise<void> {
    await api.signOut();
    this.person = null;
    // the next person starts with no one else's unsaved points
    forgetDrafts();
  }

  /** The name of the person signed in, or null (the sign-in screen shows then). */
  require(): string | null {
    return this.person ? this.person.holder : null;
  }
}

export const reviewer = new Reviewer();
