// The letters state with api.ts mocked: batch progress and its report.
import { describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { LetterDesk } from './letters.svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return {
    ...actual,
    listDecisions: vi.fn(async () => []),
    listLetters: vi.fn(async () => []),
    cancelIssueAll: vi.fn(async () => null),
  };
});

describe('issuing all approved decisions', () => {
  it('shows progress, then the report, and reloads the lists', async () => {
    const desk = new LetterDesk();
    desk.batchStarting();
    desk.batchStarted(2);
    expect(desk.batch).toEqual({ done: 0, total: 2, applicant: null });
    desk.batchProgress({ done: 1, total: 2, applicant: '重庆解放碑大模型研究院' });
    expect(desk.batch?.applicant).toBe('重庆解放碑大模型研究院');
    await desk.cancelBatch();
    expect(desk.batchCancelling).toBe(true);
    expect(api.cancelIssueAll).toHaveBeenCalled();
    await desk.batchFinished({ issued: [], failed: [], total: 2, cancelled: true });
    expect(desk.batch).toBeNull();
    expect(desk.batchCancelling).toBe(false);
    expect(desk.batchReport?.cancelled).toBe(true);
    expect(api.listDecisions).toHaveBeenCalled();
    expect(api.listLetters).toHaveBeenCalled();
  });

  it('keeps the progress or report that arrived before the command returned', async () => {
    const desk = new LetterDesk();
    desk.batchStarting();
    desk.batchProgress({ done: 1, total: 3, applicant: 'x' });
    desk.batchStarted(3);
    expect(desk.batch?.done).toBe(1);
    await desk.batchFinished({ issued: [], failed: [], total: 1, cancelled: false });
    desk.batchStarted(1);
    expect(desk.batch).toBeNull();
  });

  it('ignores a late final progress event once the report is in', async () => {
    const desk = new LetterDesk();
    await desk.batchFinished({ issued: [], failed: [], total: 1, cancelled: false });
    desk.batchProgress({ done: 1, total: 1, applicant: null });
    expect(desk.batch).toBeNull();
  });
});
