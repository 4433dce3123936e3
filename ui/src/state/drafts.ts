// Panel points typed but not yet saved, kept per person and application for
// the session: opening another application, pressing Esc or switching
// screens keeps them, and they are back when the application is opened
// again. In memory only — never in the web view's storage, which is not
// encrypted like the store; signing out forgets them.

type Draft = Record<string, string>;

const drafts = new Map<string, Draft>();

const keyOf = (person: string, submissionId: number) => `${person}\u0000${submissionId}`;

/** The draft of `person` on application `submissionId` (a copy), or {}. */
export function draftOf(person: string, submissionId: number): Draft {
  return { ...(drafts.get(keyOf(person, submissionId)) ?? {}) };
}

/** Keep `inputs` as the draft (the fields with something typed in them). */
export function keepDraft(person: string, submissionId: number, inputs: Draft): void {
  const typed = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v.trim() !== ''));
  if (Object.keys(typed).length === 0) drafts.delete(keyOf(person, submissionId));
  else drafts.set(keyOf(person, submissionId), typed);
}

/** Forget every draft (signing out: the next person starts clean). */
export function forgetDrafts(): void {
  drafts.clear();
}
