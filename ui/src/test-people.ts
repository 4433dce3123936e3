// Tests: a person signed in (what the Rust side would report after sign_in).
import type { PersonRole } from './api';
import { reviewer } from './state/reviewer.svelte';

export function signInForTest(holder: string | null, roles: PersonRole[] = ['reviewer']): void {
  reviewer.person = holder ? { holder, fingerprint: `fp-${holder}`, roles, test: true, source: '/tmp/test.p12' } : null;
  reviewer.known = true;
}
