// Dev-only sample data shaped like the IPC contract, modelled on the sample
// round in assets/samples/. Never part of the production bundle.
import type { ApplicationDetail, FieldValue, ImportFileResult, Issue, Project } from '../types';

const f = (value: FieldValue['value'], raw: string, cell: string): FieldValue => ({ value, raw, cell });

interface ApplicantInput {
  name: string | null;
  uscc: FieldValue['value'];
  usccRaw?: string;
  type?: string;
  address: string;
  district: string;
  founded: string;
  legal: string;
  contact: string;
  phone: string;
  email?: string;
  hq: boolean;
  revenue: FieldValue['value'];
  revenueRaw: string;
  tax?: string;
  taxRaw?: string;
  staff: number;
  bank: string;
  account: string;
}

function applicantFields(a: ApplicantInput): Record<string, FieldValue> {
  const s = '申报单位!';
  const out: Record<string, FieldValue> = {
    申报年度: f(2026, '2026', `${s}B1`),
    单位名称: f(a.name, a.name ?? '', `${s}B2`),
    统一社会信用代码: f(a.uscc, a.usccRaw ?? String(a.uscc ?? ''), `${s}B3`),
    单位类型: f(a.type ?? '企业', a.type ?? '企业', `${s}B4`),
    注册地址: f(a.address, a.address, `${s}B5`),
    注册区县: f(a.district, a.district, `${s}B6`),
    成立日期: f(a.founded, a.founded.replace(/^(\d{4})-0?(\d+)-0?(\d+)$/, '$1年$2月$3日'), `${s}B7`),
    法定代表人: f(a.legal, a.legal, `${s}B8`),
    联系人: f(a.contact, a.contact, `${s}B9`),
    联系电话: f(a.phone, a.phone, `${s}B10`),
    电子邮箱: f(a.email ?? null, a.email ?? '', `${s}B11`),
    是否总部企业: f(a.hq, a.hq ? '是' : '否', `${s}B12`),
    上年度营业收入: f(a.revenue, a.revenueRaw, `${s}B13`),
    上年度纳税总额: f(a.tax ?? null, a.taxRaw ?? '', `${s}B14`),
    上年末从业人员: f(a.staff, ` ${a.staff} `, `${s}B15`),
    开户银行: f(a.bank, a.bank, `${s}B16`),
    银行账号: f(a.account, a.account.replace(/(\d{4})(?=\d)/g, '$1 '), `${s}B17`),
    信用承诺: f(true, '√', `${s}B18`),
    近三年无严重失信记录: f(true, '是', `${s}B19`),
  };
  return out;
}

export interface SampleFile {
  path: string;
  fileHash: string;
  importedAt: string;
  detail: Omit<ApplicationDetail, 'submissionId' | 'version' | 'fileName' | 'fileHash' | 'importedAt'>;
}

const hash = (seed: string) => {
  // A deterministic fake SHA-256 hex string (FNV-1a over the seed, then a counter).
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; out.length < 64; i++) {
    h = Math.imul(h ^ (i + 0x9e3779b9), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
};

const DIR = '/opt/reviewdesk/samples/';

const yuzhongSupply = applicantFields({
  name: '重庆渝算智能科技有限公司',
  uscc: '91500103MA5U7K2P39',
  address: '重庆市渝中区解放碑街道民族路 188 号 23 楼',
  district: '渝中区',
  founded: '2019-03-08',
  legal: '周明远',
  contact: '李晓雯',
  phone: '13908312468',
  email: 'lixw@yusuan.example.cn',
  hq: true,
  revenue: '32005000.00',
  revenueRaw: '３，２００．５',
  tax: '1862300.00',
  taxRaw: '186.23',
  staff: 85,
  bank: '重庆银行渝中支行',
  account: '6217003810012345678',
});

const c1Project = (name: string, row: number, invest: string, investRaw: string): Project => ({
  clause: 'C1',
  name,
  fields: {
    项目名称: f(name, name, `C1-算力供给!A${row}`),
    项目类型: f('先进算力基础设施', '先进算力基础设施', `C1-算力供给!C${row}`),
    建设地址: f('重庆市渝中区大坪正街 160 号', '重庆市渝中区大坪正街160号', `C1-算力供给!D${row}`),
    项目总投资: f(invest, investRaw, `C1-算力供给!E${row}`),
    新增就业: f(36, '36', `C1-算力供给!F${row}`),
    项目营业收入: f('8650000.00', '865', `C1-算力供给!G${row}`),
    服务企业数: f(42, '42', `C1-算力供给!H${row}`),
    算力规模: f(120.5, '120.5', `C1-算力供给!I${row}`),
    投运日期: f('2025-04-18', '2025/4/18', `C1-算力供给!J${row}`),
  },
});

export const SAMPLE_FILES: SampleFile[] = [
  {
    path: DIR + '01-supply-clean.xlsx',
    fileHash: hash('01'),
    importedAt: '2026-03-02T09:14:05+08:00',
    detail: {
      creditCode: '91500103MA5U7K2P39',
      applicant: '重庆渝算智能科技有限公司',
      status: 'ok',
      fields: yuzhongSupply,
      projects: [c1Project('渝中智算中心（一期）扩容', 3, '56000000.00', '5,600')],
      issues: [],
    },
  },
  {
    path: DIR + '02-rnd-two-clauses.xlsx',
    fileHash: hash('02'),
    importedAt: '2026-03-02T09:14:06+08:00',
    detail: {
      creditCode: '91500103MA61QX3D6W',
      applicant: '重庆芯图算力技术有限公司',
      status: 'ok',
      fields: applicantFields({
        name: '重庆芯图算力技术有限公司',
        uscc: '91500103MA61QX3D6W',
        address: '重庆市渝中区化龙桥街道瑞天路 56 号',
        district: '渝中区',
        founded: '2020-11-20',
        legal: '陈嘉树',
        contact: '王婧',
        phone: '023-63891234',
        hq: false,
        revenue: '123456000.00',
        revenueRaw: '12345.6',
        staff: 212,
        bank: '中国工商银行重庆渝中支行',
        account: '3100021509200123456',
      }),
      projects: [
        {
          clause: 'C2a',
          name: '国产算力异构调度关键技术',
          fields: {
            项目名称: f('国产算力异构调度关键技术', '国产算力异构调度关键技术', 'C2-技术攻关!A4'),
            任务级别: f('国家级', '国家级', 'C2-技术攻关!C4'),
            立项文号: f('国科发资〔2025〕118号', '国科发资〔2025〕118号', 'C2-技术攻关!D4'),
            资助到账金额: f('6500000.00', '650', 'C2-技术攻关!E4'),
            到账日期: f('2025-06-30', '2025.6.30', 'C2-技术攻关!F4'),
          },
        },
        {
          clause: 'C2a',
          name: '大模型训练集群容错调度系统',
          fields: {
            项目名称: f('大模型训练集群容错调度系统', '大模型训练集群容错调度系统', 'C2-技术攻关!A5'),
            任务级别: f('市级', '市级', 'C2-技术攻关!C5'),
            立项文号: f('渝科局发〔2025〕42号', '渝科局发〔2025〕42号', 'C2-技术攻关!D5'),
            资助到账金额: f('123456780.00', '12,345.678', 'C2-技术攻关!E5'),
            到账日期: f('2025-09-01', '2025年9月', 'C2-技术攻关!F5'),
          },
        },
        {
          clause: 'C2b',
          name: '国产算力异构调度关键技术',
          fields: {
            项目名称: f('国产算力异构调度关键技术', '国产算力异构调度关键技术', 'C2-国产化算力!A3'),
            荣誉或试点名称: f('重庆市信创适配优秀案例', '重庆市信创适配优秀案例', 'C2-国产化算力!C3'),
            级别: f('市级', '市级', 'C2-国产化算力!D3'),
            认定文号: f('渝经信发〔2025〕9号', '渝经信发〔2025〕9号', 'C2-国产化算力!E3'),
            国产化认证: f('是', '√', 'C2-国产化算力!F3'),
          },
        },
      ],
      issues: [],
    },
  },
  {
    path: DIR + '03-consume-merged-header.xlsx',
    fileHash: hash('03'),
    importedAt: '2026-03-02T09:14:07+08:00',
    detail: {
      creditCode: '52500103MB1C9W4EX0',
      applicant: '重庆市渝中区人工智能创新研究院',
      status: 'ok',
      fields: applicantFields({
        name: '重庆市渝中区人工智能创新研究院',
        uscc: '52500103MB1C9W4EX0',
        type: '科研机构',
        address: '重庆市渝中区长江一路 61 号',
        district: '渝中区',
        founded: '2021-06-01',
        legal: '刘书衡',
        contact: '赵一鸣',
        phone: '18623150987',
        hq: false,
        revenue: '9800000.00',
        revenueRaw: '980',
        staff: 64,
        bank: '重庆农村商业银行渝中支行',
        account: '0101 0120 0100 2345 67',
      }),
      projects: [
        {
          clause: 'C3',
          name: '城市治理大模型训练算力租用',
          fields: {
            项目名称: f('城市治理大模型训练算力租用', '城市治理大模型训练算力租用', 'C3-算力消纳!A4'),
            算力服务平台: f('西部（重庆）科学城智算中心', '西部（重庆）科学城智算中心', 'C3-算力消纳!C4'),
            算力类型: f('智算', '智算', 'C3-算力消纳!D4'),
            用途: f('大模型开发', '大模型开发', 'C3-算力消纳!E4'),
            算力费用: f('2360000.00', '236万元', 'C3-算力消纳!F4'),
            使用量: f(96000, '96,000', 'C3-算力消纳!G4'),
          },
        },
      ],
      issues: [],
    },
  },
  {
    path: DIR + '04-aiplus-reordered.xlsx',
    fileHash: hash('04'),
    importedAt: '2026-03-02T09:14:08+08:00',
    detail: {
      creditCode: '91500103MA7HJ2LT5M',
      applicant: '重庆山城智联数字科技有限公司',
      status: 'ok',
      fields: applicantFields({
        name: '重庆山城智联数字科技有限公司',
        uscc: '91500103MA7HJ2LT5M',
        address: '重庆市渝中区上清寺路 9 号',
        district: '渝中区',
        founded: '2018-09-12',
        legal: '黄立群',
        contact: '孙佳',
        phone: '13320256677',
        hq: false,
        revenue: '45670000.00',
        revenueRaw: '4567',
        staff: 130,
        bank: '招商银行重庆分行',
        account: '123909876543210',
      }),
      projects: [
        {
          clause: 'C4',
          name: '智慧文旅导览 AI 助手',
          fields: {
            项目名称: f('智慧文旅导览 AI 助手', '智慧文旅导览 AI 助手', 'C4-AI+应用!B3'),
            应用场景名称: f('解放碑—朝天门文旅导览', '解放碑—朝天门文旅导览', 'C4-AI+应用!A3'),
            所属领域: f('文化旅游', '文化旅游', 'C4-AI+应用!D3'),
            场景投资: f('3200000.00', '320', 'C4-AI+应用!C3'),
            引领作用说明: f(
              '在 12 个景区上线多语种讲解，日均服务游客 1.2 万人次。',
              '在12个景区上线多语种讲解，日均服务游客1.2万人次。',
              'C4-AI+应用!E3',
            ),
          },
        },
      ],
      issues: [],
    },
  },
  {
    path: DIR + '05-not-yuzhong.xlsx',
    fileHash: hash('05'),
    importedAt: '2026-03-02T09:14:09+08:00',
    detail: {
      creditCode: '91500105MA5YB3KX8R',
      applicant: '重庆江北云启数据服务有限公司',
      status: 'ok',
      fields: applicantFields({
        name: '重庆江北云启数据服务有限公司',
        uscc: '91500105MA5YB3KX8R',
        address: '重庆市江北区观音桥步行街 8 号',
        district: '江北区',
        founded: '2017-05-22',
        legal: '吴峥',
        contact: '郑雨',
        phone: '023-67781122',
        hq: false,
        revenue: '18200000.00',
        revenueRaw: '1820',
        staff: 47,
        bank: '中国建设银行重庆江北支行',
        account: '50001083600050123456',
      }),
      projects: [c1Project('江北边缘算力节点', 3, '12000000.00', '1200')],
      issues: [],
    },
  },
  {
    path: DIR + '06-errors.xlsx',
    fileHash: hash('06'),
    importedAt: '2026-03-02T09:14:10+08:00',
    detail: {
      creditCode: null,
      applicant: '重庆渝数未来科技有限公司',
      status: 'needs_correction',
      fields: applicantFields({
        name: '重庆渝数未来科技有限公司',
        uscc: null,
        usccRaw: '9.15001E+17',
        address: '重庆市渝中区中山三路 131 号',
        district: '渝中区',
        founded: '2022-02-14',
        legal: '马腾',
        contact: '何静',
        phone: '15123456789',
        hq: false,
        revenue: null,
        revenueRaw: '约三百万',
        staff: 23,
        bank: '重庆三峡银行渝中支行',
        account: '0234567812345678',
      }),
      projects: [c1Project('楼宇边缘计算节点', 3, '3000000.00', '300')],
      issues: [
        {
          severity: 'error',
          sheet: '申报单位',
          cell: 'B3',
          field: '统一社会信用代码',
          found: '9.15001E+17',
          expected: '18 位统一社会信用代码（文本）',
          message:
            '统一社会信用代码被 Excel 转成了科学计数法，后几位已丢失，无法还原。请把该单元格设为“文本”格式后重新填写完整的 18 位代码。',
          messageEn:
            'Excel turned the credit code into scientific notation and its last digits are lost. Format the cell as Text and type the full 18-character code again.',
        },
        {
          severity: 'error',
          sheet: '申报单位',
          cell: 'B13',
          field: '上年度营业收入',
          found: '约三百万',
          expected: '不小于 0 的金额（万元）',
          message: '上年度营业收入不是数字。请填写以万元为单位的金额，例如 300。',
          messageEn: 'Revenue last year is not a number. Enter the amount in units of 10,000 yuan, e.g. 300.',
        },
        {
          severity: 'warning',
          sheet: 'C1-算力供给',
          cell: 'E3',
          field: '项目总投资',
          found: '3000000元',
          expected: '万元',
          message: '项目总投资以“元”填写，已按 300 万元换算，请核对。',
          messageEn: 'Total investment was given in yuan and converted to 300 × 10,000 yuan; please check.',
        },
      ] satisfies Issue[],
    },
  },
  {
    path: DIR + '07-supply-legacy.xls',
    fileHash: hash('07'),
    importedAt: '2026-03-02T09:14:11+08:00',
    detail: {
      creditCode: '91500103MA5U7K2P39',
      applicant: '重庆渝算智能科技有限公司',
      status: 'ok',
      fields: yuzhongSupply,
      projects: [c1Project('渝中智算中心（一期）扩容', 3, '56000000.00', '5600')],
      issues: [],
    },
  },
  {
    path: DIR + '08-consume-libreoffice.ods',
    fileHash: hash('08'),
    importedAt: '2026-03-02T09:14:12+08:00',
    detail: {
      creditCode: '52500103MB1C9W4EX0',
      applicant: '重庆市渝中区人工智能创新研究院',
      status: 'ok',
      fields: applicantFields({
        name: '重庆市渝中区人工智能创新研究院',
        uscc: '52500103MB1C9W4EX0',
        type: '科研机构',
        address: '重庆市渝中区长江一路 61 号',
        district: '渝中区',
        founded: '2021-06-01',
        legal: '刘书衡',
        contact: '赵一鸣',
        phone: '18623150987',
        hq: false,
        revenue: '9800000.00',
        revenueRaw: '980',
        staff: 64,
        bank: '重庆农村商业银行渝中支行',
        account: '01010120010023456',
      }),
      projects: [
        {
          clause: 'C3',
          name: '城市治理大模型训练算力租用',
          fields: {
            项目名称: f('城市治理大模型训练算力租用', '城市治理大模型训练算力租用', 'C3-算力消纳!A3'),
            算力服务平台: f('西部（重庆）科学城智算中心', '西部（重庆）科学城智算中心', 'C3-算力消纳!B3'),
            算力类型: f('智算', '智算', 'C3-算力消纳!C3'),
            用途: f('大模型开发', '大模型开发', 'C3-算力消纳!D3'),
            算力费用: f('2360000.00', '236', 'C3-算力消纳!E3'),
          },
        },
      ],
      issues: [],
    },
  },
];

/** A file the mock "Import workbooks…" dialog picks: rejected, as a wrong file type would be. */
export const REJECTED_FILE: ImportFileResult = {
  path: '/home/reviewer/下载/申报材料说明.docx',
  status: 'rejected',
  creditCode: null,
  applicant: null,
  issues: [
    {
      severity: 'error',
      sheet: null,
      cell: null,
      field: null,
      found: 'Word 文档（.docx）',
      expected: '.xlsx、.xlsm、.xls、.xlsb 或 .ods 申报表',
      message: '这不是电子表格文件，无法作为申报表导入。',
      messageEn: 'This is not a spreadsheet, so it cannot be imported as an application workbook.',
    },
  ],
};

const COMPANY_PARTS = {
  head: ['渝', '山城', '解放碑', '朝天门', '两江', '嘉陵', '长江', '鹅岭', '化龙桥', '大坪', '上清寺', '七星岗'],
  mid: ['智算', '数联', '云图', '芯途', '天枢', '星河', '慧眼', '数智', '算力', '灵犀', '知行', '远望'],
  tail: ['科技有限公司', '信息技术有限公司', '数据服务有限公司', '智能科技有限公司', '网络科技有限公司'],
};

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Synthetic credit code (check character not computed: display only). */
function fakeUscc(i: number): string {
  let body = '';
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < 9; k++) {
    body += USCC_CHARS[x % 31];
    x = Math.floor(x / 31) + k * 7919;
  }
  return `91500103${body}${USCC_CHARS[(i * 7) % 31]}`;
}

/** Many synthetic submissions for trying the list at scale (`?rows=10000`). */
export function syntheticFiles(n: number): SampleFile[] {
  const out: SampleFile[] = [];
  const clauses = ['C1', 'C2a', 'C2b', 'C3', 'C4'];
  for (let i = 0; i < n; i++) {
    const name =
      COMPANY_PARTS.head[i % 12] + COMPANY_PARTS.mid[Math.floor(i / 12) % 12] + COMPANY_PARTS.tail[i % 5] + (i >= 144 ? `（${i}）` : '');
    const bad = i % 9 === 4;
    const uscc = bad ? null : fakeUscc(i);
    const cl = clauses.filter((_, k) => (i + k) % 3 === 0 || k === i % 5);
    const minute = String(i % 60).padStart(2, '0');
    const day = String(1 + (i % 28)).padStart(2, '0');
    out.push({
      path: `/srv/round-2026/${String(i + 1).padStart(5, '0')}-${name}.xlsx`,
      fileHash: hash('syn' + i),
      importedAt: `2026-02-${day}T1${i % 10}:${minute}:00+08:00`,
      detail: {
        creditCode: uscc,
        applicant: i % 97 === 13 ? null : name,
        status: bad ? 'needs_correction' : 'ok',
        fields: {
          单位名称: f(name, name, '申报单位!B2'),
          统一社会信用代码: f(uscc, uscc ?? '9.15001E+17', '申报单位!B3'),
        },
        projects: cl.map((c) => ({ clause: c, name: `${name}项目`, fields: {} })),
        issues: bad
          ? [
              {
                severity: 'error',
                sheet: '申报单位',
                cell: 'B3',
                field: '统一社会信用代码',
                found: '9.15001E+17',
                expected: '18 位统一社会信用代码（文本）',
                message: '统一社会信用代码被转成了科学计数法。',
                messageEn: 'The credit code was turned into scientific notation.',
              },
            ]
          : i % 4 === 1
            ? [
                {
                  severity: 'warning',
                  sheet: '申报单位',
                  cell: 'B6',
                  field: '注册区县',
                  found: '江北区',
                  expected: '渝中区',
                  message: '注册区县不是渝中区。',
                  messageEn: 'The registered district is not Yuzhong.',
                },
              ]
            : [],
      },
    });
  }
  return out;
}
