#!/usr/bin/env node
// Re-records ui/src/dev/fixtures/ from the real engine: the CLI's --json
// output over the shipped sample round (assets/samples), in a fresh plain
// store under a temporary directory. The dev backend (src/dev/backend.ts)
// answers read-only commands from these files when the UI runs under
// `vite` in a plain browser; nothing here is computed by the UI.
//
//   node ui/scripts/record-fixtures.mjs            # uses target/debug/reviewdesk
//   REVIEWDESK_BIN=/path/to/reviewdesk node ui/scripts/record-fixtures.mjs
//
// The recorded store is imported and scored (round 2026), nothing else: no
// panel scores, decisions, links or letters. The backend relies on that
// (e.g. an explanation's decision is null); `manifest.json` says so.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(ui, '..');
const bin = process.env.REVIEWDESK_BIN || join(root, 'target', 'debug', 'reviewdesk');
const out = join(ui, 'src', 'dev', 'fixtures');
const ROUND = 2026;
const SAMPLES = 'assets/samples';

const tmp = mkdtempSync(join(tmpdir(), 'reviewdesk-fixtures-'));
const db = join(tmp, 'fixtures.db');
const env = { ...process.env, REVIEWDESK_DATA_DIR: join(tmp, 'data'), REVIEWDESK_IDENTITY_PASSWORD: 'fixture-recorder' };
delete env.REVIEWDESK_PASSPHRASE;
delete env.REVIEWDESK_RECOVERY_KEY;
delete env.REVIEWDESK_REVIEWER;
// every act is made by a person's certificate: a test CA and its recorder
execFileSync(bin, ['ca', 'new', '--name', '样例录制', '-o', join(tmp, 'ca')], { env, stdio: 'ignore' });
execFileSync(bin, ['ca', 'issue', '--ca', join(tmp, 'ca'), '--name', '样例录制 fixture recorder', '-o', join(tmp, 'recorder.p12')], { env, stdio: 'ignore' });
env.REVIEWDESK_IDENTITY = join(tmp, 'recorder.p12');

/**
 * Runs `reviewdesk --db DB --json ARGS` from the repository root (so import
 * paths are recorded as assets/samples/…) and returns the parsed stdout.
 * `ok` lists the exit codes that still print a result; on exit 2 the CLI
 * prints {"error": {code, message}}, returned as is when `errorOk`.
 */
function cli(args, { ok = [0], errorOk = false } = {}) {
  const r = spawnSync(bin, ['--db', db, '--json', ...args], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new Error(`cannot run ${bin}: ${r.error.message}`);
  const json = r.stdout.trim() ? JSON.parse(r.stdout) : null;
  if (ok.includes(r.status)) return json;
  if (errorOk && json && json.error) return json;
  throw new Error(`reviewdesk ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
}

const files = {};
function save(name, value) {
  files[name] = true;
  writeFileSync(join(out, name), JSON.stringify(value, null, 2) + '\n');
}

try {
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  // Exit 1: some files had problems (the samples include such files on purpose).
  // Received inside the 2026 window (a sample date, like the app's sample
  // round): a receipt of today, past window_close, fails 逾期申报.
  const received = ['--received', '2026-03-01', '--reason', '示例申报表：受理日期为示例日期（申报期首日） / sample workbooks: a sample receipt date (the day the window opens)'];
  save('import.json', cli(['import', ...received, SAMPLES], { ok: [0, 1] }));
  cli(['score', '--round', String(ROUND)]);
  const list = cli(['list']);
  save('list.json', list);
  const codes = [...new Set(list.applications.map((a) => a.credit_code).filter(Boolean))];
  for (const code of codes) {
    const show = cli(['show', code]);
    save(`show-${code}.json`, show);
    // An applicant the engine cannot evaluate answers {"error": …}: kept, the backend maps it.
    save(`explain-${code}.json`, cli(['explain', code], { errorOk: true }));
    if (show.versions.length > 1) save(`diff-${code}.json`, cli(['diff', code]));
  }
  save(`budget-${ROUND}.json`, cli(['budget', '--round', String(ROUND)], { errorOk: true }));
  save('audit-verify.json', cli(['audit', 'verify']));
  save('link.json', cli(['link']));
  save('letters.json', cli(['letter', 'list']));
  save('manifest.json', {
    recordedWith: version,
    samples: SAMPLES,
    round: ROUND,
    state: 'imported and scored; no panel scores, decisions, links or letters',
    // The recording store is a plain (unencrypted) SQLite file.
    storeKind: 'plain',
    // engine store::crypt::MIN_PASSPHRASE_CHARS, for store_status (read from the source).
    minPassphraseChars: minPassphraseChars(),
    files: Object.keys(files).sort(),
  });
  console.error(`recorded ${readdirSync(out).length} fixtures with ${version} into ${out}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

function minPassphraseChars() {
  const src = readFileSync(join(root, 'src-tauri', 'crates', 'store', 'src', 'crypt.rs'), 'utf8');
  const m = /pub const MIN_PASSPHRASE_CHARS: usize = (\d+);/.exec(src);
  if (!m) throw new Error('MIN_PASSPHRASE_CHARS not found in src-tauri/crates/store/src/crypt.rs');
  return Number(m[1]);
}
