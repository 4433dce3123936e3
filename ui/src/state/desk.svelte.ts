// The reviewer's desk: the round's assignments (whose queue each application
// is in, each person's progress), the labels of every application, and the
// list's desk filter (only mine, one label). Loaded after the list and after
// every act, like the list's stages.
import * as api from '../api';
import type { ApiError } from '../api';
import type { Assignments } from '../types';
import { NO_DESK_FILTER, type DeskFilter } from '../lib/desk';

export const DESK_ROUND = 2026;

export class Desk {
  assignments = $state.raw<Assignments | null>(null);
  labels = $state.raw<Record<string, string[]>>({});
  filter = $state<DeskFilter>({ ...NO_DESK_FILTER });
  error = $state.raw<ApiError | null>(null);
  private seq = 0;

  async load(): Promise<void> {
    const mine = ++this.seq;
    try {
      const [a, l] = await Promise.all([api.roundAssignments(DESK_ROUND), api.allLabels()]);
      if (mine !== this.seq) return;
      this.assignments = a;
      this.labels = l;
      this.error = null;
    } catch (e) {
      if (mine === this.seq) this.error = api.toApiError(e);
    }
  }

  setFilter(f: Partial<DeskFilter>) {
    this.filter = { ...this.filter, ...f };
  }

  reset() {
    this.seq++;
    this.assignments = null;
    this.labels = {};
    this.filter = { ...NO_DESK_FILTER };
    this.error = null;
  }
}

export const desk = new Desk();
