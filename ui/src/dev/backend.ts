// Dev-only, read-only stand-in for the Rust side, so `npx vite` in a plain
// browser shows the real engine's answers for the shipped sample round.
// Every answer is a file in ./fixtures, recorded from the CLI's --json output
// by ui/scripts/record-fixtures.mjs; nothing here computes a figure. Commands
// that change something, open a dialog, sign, or whose IPC shape the CLI does
// not print fail with `dev_fixtures` ("needs the desktop app").
//
// api.ts loads this module only when import.meta.env.DEV is true and
// window.__TAURI_INTERNALS__ is absent; Vite replaces import.meta.env.DEV with
// false in `npm run build`, so neither this file nor the fixtures reach ui/dist.
//
// Results are returned as the Rust side sends them (snake_case); api.ts puts
// them through the same fromWire as real IPC results.
//
// Mappings from CLI JSON to IPC results (the only reshaping done here):
//   list_applications      list.json .applications
//   show_application       show-CODE.json whose submission_id is the one asked
//   explain_application    {evaluation: explain-CODE.json, decision: null, unavailable: null};
//                          the recording makes no decisions, so null is what the app would send.
//                          An explain that failed with code "invalid" becomes
//                          {evaluation: null, decision: null, unavailable: message}, as the app does.
//   round_budget           budget-YEAR.json (only the recorded round)
//   workbook_versions      {round, versions} of show-CODE.json: equal to the app's answer while no
//                          provisional workbook is linked to the code (checked against link.json)
//   compare_versions       diff-CODE.json, when it compares the versions asked
//   audit_verify           audit-verify.json
//   link_suggestions       link.json .suggestions
//   list_letters           letter list's .letters, only while it is empty (a register row
//                          in the app also carries its file path, which the CLI does not print)
//   store_status           {state: manifest.storeKind, unlocked: true, db_path, min_passphrase_chars}:
//                          the recorded store is plain and always "open" here
//   store_health           {ran: false, report: null}: the weekly check never runs here
//   current_person         a read-only viewer marked test: nobody can act here, so the
//                          window opens without the sign-in screen
// import.json is kept for reference (what the samples import to); load_sample_round
// and import_with_dialog write to the store and are refused.

import type { CommandName } from '../types';

// Recorded JSON, as loosely typed as the wire; the UI's types apply after fromWire.
type Json = any;

const files = import.meta.glob<Json>('./fixtures/*.json', { eager: true, import: 'default' });
const fixture = (name: string): Json | undefined => files[`./fixtures/${name}`];

export const DEV_FIXTURES_CODE = 'dev_fixtures';

/** An error shaped like the Rust side's `{code, message}`. */
export function needsApp(cmd: string, why = ''): { code: string; message: string } {
  return {
    code: DEV_FIXTURES_CODE,
    message:
      `开发模式只显示录制的样例数据，${cmd} 需要在桌面应用中运行${why ? `（${why}）` : ''}。` +
      ` / Dev mode only shows recorded sample data: ${cmd} needs the desktop app${why ? ` (${why})` : ''}.`,
  };
}

function manifest(): Json {
  const m = fixture('manifest.json');
  if (!m) throw needsApp('this command', 'no fixtures recorded: run ui/scripts/record-fixtures.mjs');
  return m;
}

function applications(): Json[] {
  return fixture('list.json')?.applications ?? [];
}

function shown(): Json[] {
  return Object.entries(files)
    .filter(([path]) => /\/show-[^/]+\.json$/.test(path))
    .map(([, v]) => v);
}

function codeOf(cmd: string, submissionId: unknown): string {
  const row = applications().find((a) => a.submission_id === submissionId);
  if (!row) throw needsApp(cmd, `submission ${String(submissionId)} not recorded`);
  if (!row.credit_code) throw needsApp(cmd, 'no credit code: not recorded');
  return row.credit_code;
}

function isError(x: Json): boolean {
  return x !== null && typeof x === 'object' && 'error' in x && typeof x.error?.code === 'string';
}

function recorded(cmd: string, name: string): Json {
  const x = fixture(name);
  if (x === undefined) throw needsApp(cmd, `${name} not recorded`);
  if (isError(x)) throw x.error;
  return x;
}

type Handler = (args: Record<string, unknown>) => Json;

const handlers: Partial<Record<CommandName, Handler>> = {
  store_status: () => {
    const m = manifest();
    return { state: m.storeKind, unlocked: true, db_path: `ui/src/dev/fixtures (${m.recordedWith})`, min_passphrase_chars: m.minPassphraseChars };
  },
  store_health: () => ({ ran: false, report: null }),
  // Nobody can act here (every act is refused): a read-only viewer is "signed in".
  current_person: () => ({
    holder: '示例数据（只读）',
    fingerprint: '',
    roles: [],
    test: true,
    source: 'ui/src/dev/fixtures',
  }),
  list_applications: () => recorded('list_applications', 'list.json').applications,
  show_application: ({ submissionId }) => {
    const d = shown().find((s) => s.submission_id === submissionId);
    if (!d) throw needsApp('show_application', `submission ${String(submissionId)} not recorded`);
    return d;
  },
  explain_application: ({ submissionId }) => {
    const code = codeOf('explain_application', submissionId);
    const x = fixture(`explain-${code}.json`);
    if (x === undefined) throw needsApp('explain_application', `${code} not recorded`);
    if (isError(x)) {
      if (x.error.code === 'invalid') return { evaluation: null, decision: null, unavailable: x.error.message };
      throw x.error;
    }
    return { evaluation: x, decision: null, unavailable: null };
  },
  round_budget: ({ year }) => recorded('round_budget', `budget-${String(year)}.json`),
  workbook_versions: ({ creditCode }) => {
    const links = recorded('workbook_versions', 'link.json').suggestions as Json[];
    if (links.some((l) => l.credit_code === creditCode && l.linked)) {
      throw needsApp('workbook_versions', 'a linked provisional workbook adds versions the CLI does not list');
    }
    const d = recorded('workbook_versions', `show-${String(creditCode)}.json`);
    return { round: d.round, versions: d.versions };
  },
  compare_versions: ({ creditCode, from, to }) => {
    const d = recorded('compare_versions', `diff-${String(creditCode)}.json`);
    if (d.from.version !== from || d.to.version !== to) {
      throw needsApp('compare_versions', `only versions ${d.from.version} → ${d.to.version} recorded`);
    }
    return d;
  },
  audit_verify: () => recorded('audit_verify', 'audit-verify.json'),
  link_suggestions: () => recorded('link_suggestions', 'link.json').suggestions,
  list_letters: () => {
    const letters = recorded('list_letters', 'letters.json').letters;
    if (letters.length > 0) throw needsApp('list_letters', 'register rows need their file path');
    return [];
  },
};

/** Answers `cmd` from the recorded fixtures, or rejects with `{code, message}`. */
export async function devInvoke(cmd: CommandName, args: unknown): Promise<unknown> {
  const handler = handlers[cmd];
  if (!handler) throw needsApp(cmd);
  return handler((args ?? {}) as Record<string, unknown>);
}
