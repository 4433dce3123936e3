// The only module that talks to Tauri. Screens call these typed functions and
// branch on ApiError.code; nothing else imports @tauri-apps/api.
//
// In `vite` dev mode without Tauri (a plain browser), calls go to the mock
// backend in src/mock/. The guard is `import.meta.env.DEV`, which Vite
// replaces with `false` in a production build, so the mock is dropped from
// ui/dist entirely.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  AppInfo,
  ApplicationDetail,
  ApplicationRow,
  AuditResult,
  CommandMap,
  CommandName,
  EventMap,
  ImportReport,
} from './types';

export type * from './types';

/** An error from a command, as `{code, message}`; `message` is written for the reviewer. */
export class ApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Codes produced on this side of the bridge (the Rust side defines its own). */
export const CLIENT_ERROR_CODES = {
  /** The web view runs outside Tauri (e.g. ui/dist opened in a browser). */
  noBackend: 'no_backend',
  /** The command failed with something that was not `{code, message}`. */
  unknown: 'unknown',
} as const;

/** Turns whatever a rejected `invoke` produced into an ApiError. Never exposes a stack. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err !== null && typeof err === 'object') {
    const o = err as Record<string, unknown>;
    if (typeof o.code === 'string' && typeof o.message === 'string') {
      return new ApiError(o.code, o.message);
    }
    if (typeof o.message === 'string' && o.message !== '') {
      return new ApiError(CLIENT_ERROR_CODES.unknown, o.message);
    }
  }
  if (typeof err === 'string' && err !== '') {
    return new ApiError(CLIENT_ERROR_CODES.unknown, err);
  }
  return new ApiError(CLIENT_ERROR_CODES.unknown, String(err));
}

function hasTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

async function call<C extends CommandName>(
  cmd: C,
  ...args: CommandMap[C][0] extends undefined ? [] : [CommandMap[C][0]]
): Promise<CommandMap[C][1]> {
  try {
    if (!hasTauri()) {
      if (import.meta.env.DEV) {
        const mock = await import('./mock/backend');
        return (await mock.mockInvoke(cmd, args[0])) as CommandMap[C][1];
      }
      throw new ApiError(
        CLIENT_ERROR_CODES.noBackend,
        'ReviewDesk 必须在桌面应用中运行。/ ReviewDesk must run inside the desktop app.',
      );
    }
    return await invoke<CommandMap[C][1]>(cmd, args[0] as Record<string, unknown> | undefined);
  } catch (err) {
    throw toApiError(err);
  }
}

export type Unlisten = () => void;

/** Subscribes to an event from the Rust side; resolves to the function that unsubscribes. */
export async function onEvent<E extends keyof EventMap>(
  event: E,
  handler: (payload: EventMap[E]) => void,
): Promise<Unlisten> {
  if (!hasTauri()) {
    if (import.meta.env.DEV) {
      const mock = await import('./mock/backend');
      return mock.mockListen(event, handler);
    }
    return () => {};
  }
  return listen<EventMap[E]>(event, (e) => handler(e.payload));
}

export const appInfo = (): Promise<AppInfo> => call('app_info');

export const listApplications = (): Promise<ApplicationRow[]> => call('list_applications');

export const showApplication = (submissionId: number): Promise<ApplicationDetail> =>
  call('show_application', { submissionId });

export const loadSampleRound = (): Promise<ImportReport> => call('load_sample_round');

/** Opens the native file dialog on the Rust side; null when the reviewer cancels. */
export const importWithDialog = (): Promise<ImportReport | null> => call('import_with_dialog');

export const auditVerify = (): Promise<AuditResult> => call('audit_verify');

export const onImportProgress = (handler: (p: EventMap['import-progress']) => void) =>
  onEvent('import-progress', handler);

export const onImportFinished = (handler: (r: EventMap['import-finished']) => void) =>
  onEvent('import-finished', handler);
