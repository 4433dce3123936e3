// Dev-only stand-in for the letters side: a test certificate, a register,
// a one-page preview and verification. Fixtures, not the engine's rules.
import type { CertificateInfo, Decision, LetterCheck, LetterRow, PreviewLetter } from '../types';

let cert: CertificateInfo | null = null;
let chosen: string | null = null;
let password = '';
const register: LetterRow[] = [];

function fail(code: string, message: string): never {
  throw { code, message };
}

export function certificateInfo(): CertificateInfo | null {
  return cert;
}

export function chooseFile(): string {
  chosen = 'bureau-signing.p12';
  return chosen;
}

export function importCertificate(pw: string): CertificateInfo {
  if (!chosen) fail('invalid', '请先选择证书文件');
  if (pw !== 'secret') fail('wrong_password', '证书文件密码错误或文件已损坏 / Wrong PKCS#12 password or damaged file');
  password = pw;
  cert = { ...testCert('渝中区大数据局签章'), test: false, file: 'signing-imported.p12', importedFrom: chosen };
  return cert;
}

function testCert(holder: string): CertificateInfo {
  return {
    holder,
    subject: `CN=${holder},O=ReviewDesk 测试（TEST）,C=CN`,
    issuer: 'CN=ReviewDesk 测试CA（TEST ONLY）,O=评审工作台测试CA（仅供试用）（测试 TEST）,C=CN',
    validFrom: '2026-11-26',
    validUntil: '2028-11-25',
    sha256: '3f9a0c1d2e4b5a6978c0d1e2f3a4b5c6d7e8f90123456789abcdef0123456789',
    test: true,
    file: '测试签章-TEST-signing.p12',
    importedFrom: null,
  };
}

export function createTest(holder: string, pw: string): CertificateInfo {
  if (!pw) fail('wrong_password', '请输入证书密码');
  password = pw;
  cert = testCert(`测试签章（TEST ONLY）${holder}`);
  return cert;
}

/** The approver the certificate stands for, after its password is checked. */
export function unlock(pw: string): string {
  if (!cert) fail('no_certificate', '尚未设置签章证书：请在「设置」中导入证书或创建测试证书');
  if (pw !== password) fail('wrong_password', '证书文件密码错误或文件已损坏 / Wrong PKCS#12 password or damaged file');
  return cert.holder;
}

const number = (seq: number) => `渝中大数据发〔2026〕${seq}号`;

export function preview(d: Decision, applicant: string): PreviewLetter[] {
  const seq = register.length + 1;
  const line = (text: string, top: number, x0 = 28, size = 16, role: 'title' | 'body' = 'body') => ({
    text,
    xs: [...text].map((_, i) => x0 + i * size * 0.3528),
    baseline: top,
    sizePt: size,
    role,
    ink: 'black' as const,
    kind: role,
  });
  return [
    {
      number: number(seq),
      kind: 'approval',
      project: d.figures.projects[0]?.name ?? null,
      amountYuan: d.figures.totalYuan,
      widthMm: 210,
      heightMm: 297,
      pages: [
        {
          runs: [
            { ...line('重庆市渝中区大数据应用发展管理局', 40, 40, 22, 'title'), ink: 'red' as const, kind: 'flag' },
            line(number(seq), 62, 75),
            line(`关于给予${applicant}算力经济发展扶持资金的决定`, 80, 30, 22, 'title'),
            line(`${applicant}：`, 95),
            line('根据《渝中区促进算力经济高质量发展若干政策（试行）》，经审核，决定给予扶持。', 104, 39.3),
          ],
          rules: [{ x1: 28, x2: 184, y: 50, widthPt: 2, ink: 'red' as const }],
          seal: { cx: 150, cy: 230, diameter: 42 },
        },
      ],
    },
  ];
}

export function issue(d: Decision, applicant: string, signer: string): LetterRow[] {
  const seq = register.length + 1;
  const row: LetterRow = {
    number: number(seq),
    year: 2026,
    seq,
    kind: 'approval',
    creditCode: d.creditCode,
    applicant,
    submissionId: null,
    amountYuan: d.figures.totalYuan,
    sha256: (seq.toString(16) + 'a1b2c3d4e5f60718293a4b5c6d7e8f90').repeat(2).slice(0, 64),
    signer,
    issuedAt: new Date().toISOString().slice(0, 19) + 'Z',
    voided: false,
    record: null,
    path: `/home/reviewer/.local/share/reviewdesk/letters/${number(seq)}.pdf`,
  };
  register.unshift(row);
  return [row];
}

export function letters(): LetterRow[] {
  return [...register];
}

export function check(row: LetterRow | undefined, fileName: string): LetterCheck {
  return {
    fileName,
    valid: !!row,
    signed: true,
    signatureValid: true,
    unchangedSinceSigning: !!row,
    trusted: true,
    signer: row?.signer ?? null,
    signedAt: 'D:20261126101500+08\'00\'',
    inRegister: !!row,
    voided: false,
    number: row?.number ?? null,
    kind: row?.kind ?? null,
    creditCode: row?.creditCode ?? null,
    contentMatches: row ? true : null,
    sha256: row?.sha256 ?? '0'.repeat(64),
    problems: row ? [] : ['签名后文件被追加或截断 / the file was changed after signing'],
  };
}
