// The whole window on the recorded sample round, with api.ts NOT mocked: the
// dev backend answers from the fixtures, through the same fromWire as IPC.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import App from '../App.svelte';

// Recorded JSON, as loosely typed as the wire.
type Json = any;
const files = import.meta.glob<Json>('./fixtures/*.json', { eager: true, import: 'default' });
const list = files['./fixtures/list.json'];
const audit = files['./fixtures/audit-verify.json'];

describe.runIf(list)('the workstation on the recorded sample round', () => {
  it('opens without the lock screen, lists the recorded rows and shows an application with its review', async () => {
    const { container } = render(App);
    const rows = await waitFor(() => {
      const r = container.querySelectorAll<HTMLElement>('tr.app-row');
      expect(r.length).toBe(list.applications.length);
      return r;
    });
    expect(container.textContent).toContain(`（${audit.entries} 条）`);
    const code = 'credit_code';
    const withCode = list.applications.find((a: Json) => a[code] && files[`./fixtures/explain-${a[code]}.json`]?.projects);
    const explain = files[`./fixtures/explain-${withCode[code]}.json`];
    const row = [...rows].find((r) => r.dataset.creditCode === withCode[code])!;
    await fireEvent.click(row);
    await waitFor(() => {
      expect(container.querySelector('#detail')?.textContent).toContain(withCode.applicant);
      expect(container.querySelectorAll('#review .project-review').length).toBe(explain.projects.length);
    });
  }, 15000);
});
