// Settings › 协作: when this store last exchanged a package, in the reader's words and time zone.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>();
  return { ...actual, exchangeStatus: vi.fn(), rosterPeople: vi.fn() };
});

import * as api from '../api';
import CollaborationSection from './CollaborationSection.svelte';
import { i18n } from '../i18n/index.svelte';
import { formatDateTime } from '../lib/format';

beforeEach(() => {
  i18n.set('zh-CN');
  vi.clearAllMocks();
});

describe('collaboration section', () => {
  it('shows the last exchange as a local date and time, not a raw UTC stamp', async () => {
    const at = '2026-12-03T13:45:32Z';
    vi.mocked(api.exchangeStatus).mockResolvedValue({
      round: 2026,
      isHome: false,
      handedOver: false,
      homeStore: 'ab12cd34',
      lastExchange: at,
      applied: 1,
      exported: 1,
    });
    vi.mocked(api.rosterPeople).mockResolvedValue([]);
    render(CollaborationSection);
    const line = await screen.findByText(/上次交换/);
    expect(line.textContent).toContain(formatDateTime(at, 'zh-CN'));
    expect(line.textContent).toContain('2026年12月');
    expect(line.textContent).not.toContain('T13:45:32Z');
  });
});
