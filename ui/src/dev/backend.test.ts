import { describe, expect, it } from 'vitest';
import { DEV_FIXTURES_CODE, devInvoke } from './backend';
import { fromWire, toApiError } from '../api';
import type { ApplicationDetail, ApplicationRow, Review } from '../types';

const recorded = Object.keys(import.meta.glob('./fixtures/manifest.json')).length > 0;

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return toApiError(e);
  }
  throw new Error('expected the dev backend to refuse');
}

describe('dev backend (recorded fixtures)', () => {
  it('refuses what changes the store, signs or opens a dialog, saying it needs the desktop app', async () => {
    for (const cmd of ['score_round', 'load_sample_round', 'propose_decision', 'issue_letters', 'import_with_dialog'] as const) {
      const e = await refusal(devInvoke(cmd, {}));
      expect(e.code).toBe(DEV_FIXTURES_CODE);
      expect(e.message).toContain('needs the desktop app');
      expect(e.message).toContain('桌面应用');
    }
  });

  it.runIf(recorded)('answers the list, each detail and each explanation as the engine recorded them', async () => {
    const rows = fromWire<ApplicationRow[]>(await devInvoke('list_applications', undefined));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows.filter((r) => r.creditCode)) {
      const d = fromWire<ApplicationDetail>(await devInvoke('show_application', { submissionId: row.submissionId }));
      expect(d.submissionId).toBe(row.submissionId);
      expect(Array.isArray(d.history)).toBe(true);
      const r = fromWire<Review>(await devInvoke('explain_application', { submissionId: row.submissionId }));
      expect(r.decision).toBeNull();
      if (r.evaluation) {
        expect(r.evaluation.creditCode).toBe(row.creditCode);
        for (const p of r.evaluation.projects) {
          expect(typeof p.disagreement).toBe('boolean');
          for (const l of p.lines) expect(typeof l.labelEn).toBe('string');
        }
      } else {
        expect(typeof r.unavailable).toBe('string');
      }
    }
  });

  it.runIf(recorded)('refuses a submission it has no recording of', async () => {
    const e = await refusal(devInvoke('show_application', { submissionId: 987654 }));
    expect(e.code).toBe(DEV_FIXTURES_CODE);
  });
});
