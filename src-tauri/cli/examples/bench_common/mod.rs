//! What the benchmarks share (`#[path]`-included by each example): the
//! deterministic filled workbooks of the import benchmark, stores opened the
//! way users have them (encrypted), and the process figures read from /proc
//! and getrusage.
#![allow(dead_code)] // each example uses a part

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reviewdesk_engine::intake::schema::{self, keys, Kind, Layout};
use reviewdesk_engine::intake::template::{form_row, template_workbook};
use reviewdesk_engine::store::{self, Secret, Store};

pub const ROUND: i32 = 2026;

/// A small deterministic generator (no dependency, same files every run).
pub struct Rng(u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "智算",
    "中心",
    "平台",
    "建设",
    "算力",
    "调度",
    "大模型",
    "训练",
    "推理",
    "数据",
    "安全",
    "金融",
    "医疗",
    "政务",
    "城市",
    "治理",
    "国产化",
    "芯片",
    "适配",
    "服务",
    "渝中",
    "解放碑",
    "创新",
    "应用",
    "场景",
    "示范",
    "集群",
    "存储",
    "网络",
    "运营",
];

pub fn phrase(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| rng.pick(WORDS)).collect()
}

/// A decimal amount in 万元 with up to 2 decimals, as text and as the double
/// Excel stores (parsed from the text: no float arithmetic).
pub fn wan(rng: &mut Rng, max_wan: u64) -> (String, f64) {
    let cents = rng.below(max_wan * 100) + 100;
    let text = format!("{}.{:02}", cents / 100, cents % 100);
    let v = text.parse::<f64>().unwrap_or(0.0);
    (text, v)
}

pub fn credit_code(i: usize) -> String {
    let body = format!("91500103{:09}", 100_000_000 + i * 7919);
    let body = &body[..17];
    let check = reviewdesk_engine::uscc::check_char(body).expect("valid body");
    format!("{body}{check}")
}

/// One filled workbook: the template with the applicant form, 2–5 projects
/// per clause and a few rows of other support.
pub fn workbook(i: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64).wrapping_mul(0x1000_0001));
    let mut wb = template_workbook(ROUND).expect("template");
    let name = format!("重庆{}科技有限公司{i}", phrase(&mut rng, 2));
    {
        let ws = wb.worksheet_from_name("申报单位").expect("form");
        let mut put = |key: &str, v: String| {
            ws.write_string(form_row(key).expect("row"), 1, v)
                .expect("write");
        };
        put(keys::APPLICANT_NAME, name.clone());
        put(keys::CREDIT_CODE, credit_code(i));
        put(keys::ORG_TYPE, rng.pick(schema::ORG_TYPES).to_string());
        put(
            "注册地址",
            format!("重庆市渝中区民族路 {} 号", rng.below(500) + 1),
        );
        put(keys::DISTRICT, "渝中区".into());
        put(
            "成立日期",
            format!(
                "{}-{:02}-{:02}",
                2000 + rng.below(25),
                rng.below(12) + 1,
                rng.below(28) + 1
            ),
        );
        put("法定代表人", "王五".into());
        put("联系人", "赵六".into());
        put(
            "联系电话",
            format!("1{}{:09}", 3 + rng.below(7), rng.below(1_000_000_000)),
        );
        put("电子邮箱", format!("contact{i}@example.com"));
        put(
            "是否总部企业",
            if rng.below(2) == 0 { "是" } else { "否" }.into(),
        );
        put("开户银行", "中国建设银行重庆渝中支行".into());
        put(
            "银行账号",
            format!("5000{:016}", rng.below(10_000_000_000_000_000)),
        );
        put(keys::PLEDGE, "是".into());
        put(keys::NO_DISHONESTY, "是".into());
        let (_, revenue) = wan(&mut rng, 50_000);
        ws.write_number(form_row(keys::REVENUE).expect("row"), 1, revenue)
            .expect("write");
        // Some applicants type amounts as text.
        let (tax, _) = wan(&mut rng, 2_000);
        ws.write_string(form_row(keys::TAX).expect("row"), 1, tax)
            .expect("write");
        ws.write_number(
            form_row(keys::EMPLOYEES).expect("row"),
            1,
            (rng.below(2000) + 5) as u32,
        )
        .expect("write");
    }
    let mut first_project = String::new();
    for def in schema::template_sheets() {
        if def.layout != Layout::Table {
            continue;
        }
        let support = def.name == schema::other_support_sheet().name;
        let rows = if support { 2 } else { 2 + rng.below(4) as u32 };
        let ws = wb.worksheet_from_name(def.name).expect("sheet");
        for r in 1..=rows {
            for (col, f) in def.fields.iter().enumerate() {
                let col = col as u16;
                let res = match f.kind {
                    _ if f.key == keys::PROJECT_NAME => {
                        let p = if support {
                            first_project.clone()
                        } else {
                            format!("{}项目{r}", phrase(&mut rng, 3))
                        };
                        if first_project.is_empty() {
                            first_project = p.clone();
                        }
                        ws.write_string(r, col, p)
                    }
                    Kind::Choice(c) => ws.write_string(r, col, rng.pick(c)),
                    Kind::MoneyWan => ws.write_number(r, col, wan(&mut rng, 5_000).1),
                    Kind::Integer => ws.write_number(r, col, rng.below(300) as u32),
                    Kind::Number => ws.write_number(r, col, (rng.below(5000) + 1) as u32),
                    Kind::Year => ws.write_number(r, col, 2025),
                    // 是否自主投资: a yes/no column, not a phrase
                    Kind::YesNo => ws.write_string(r, col, "是"),
                    Kind::Date => ws.write_string(
                        r,
                        col,
                        format!("2025-{:02}-{:02}", rng.below(12) + 1, rng.below(28) + 1),
                    ),
                    Kind::Text { max } if max > 200 => {
                        ws.write_string(r, col, phrase(&mut rng, 40))
                    }
                    _ if f.key.ends_with("文号") => {
                        ws.write_string(r, col, format!("渝科发〔2025〕{}号", rng.below(300) + 1))
                    }
                    _ => ws.write_string(r, col, phrase(&mut rng, 4)),
                };
                res.expect("write");
            }
        }
    }
    wb.save_to_buffer().expect("save")
}

/// A /proc/<pid>/status memory line in kB ("VmHWM", "VmRSS").
pub fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Children of this process (the parser worker), from /proc.
pub fn children() -> Vec<u32> {
    let me = std::process::id();
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid ...: comm may hold spaces, split after ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(me) {
            out.push(pid);
        }
    }
    out
}

/// CPU seconds (user + system) of this process and of its reaped children.
pub fn cpu_seconds() -> (f64, f64) {
    let get = |who| {
        // SAFETY: getrusage only writes the struct we pass.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(who, &mut u) } != 0 {
            return 0.0;
        }
        let secs = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
        secs(u.ru_utime) + secs(u.ru_stime)
    };
    (get(libc::RUSAGE_SELF), get(libc::RUSAGE_CHILDREN))
}

pub fn mib(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}

pub fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// The count given as the first argument, else `default`.
pub fn count_arg(default: usize) -> usize {
    std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// The passphrase of the benchmarks' encrypted stores.
pub const PASSPHRASE: &str = "bench passphrase 2026";

/// A new encrypted store (SQLCipher, the key wrapped by Argon2id of the
/// passphrase), as the CLI and the app make it, and how long the key
/// derivation and opening took.
pub fn new_encrypted(db: &Path) -> (Store, Duration) {
    let t = Instant::now();
    let u = store::unlock(db, &Secret::passphrase(PASSPHRASE)).expect("new encrypted store");
    (u.store, t.elapsed())
}

/// `n` filled workbooks written into `dir`; their paths and total size.
pub fn write_workbooks(dir: &Path, n: usize) -> (Vec<PathBuf>, usize) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut files = Vec::with_capacity(n);
    let mut total = 0usize;
    for i in 0..n {
        let bytes = workbook(i);
        total += bytes.len();
        let p = dir.join(format!("申报表-{i:05}.xlsx"));
        std::fs::write(&p, &bytes).expect("write workbook");
        files.push(p);
    }
    (files, total)
}

/// The machine's load average (1, 5, 15 minutes) as /proc/loadavg says it.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The `reviewdesk` binary built beside this example
/// (`target/<profile>/examples/x` → `target/<profile>/reviewdesk`).
pub fn cli_binary() -> PathBuf {
    let me = std::env::current_exe().expect("current exe");
    let profile = me
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/examples");
    let bin = profile.join("reviewdesk");
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build --release -p reviewdesk-cli --bins --examples`",
        bin.display()
    );
    bin
}

/// What one measured command took.
pub struct Measured {
    pub wall: Duration,
    /// Peak resident memory of the command's process (GNU time's %M), KiB.
    pub max_rss_kib: u64,
    pub out: std::process::Output,
}

/// `program args…` run under `/usr/bin/time` (its own peak RSS, not this
/// process's nor an earlier child's), with `env` set.
pub fn run_measured(
    program: &Path,
    args: &[&std::ffi::OsStr],
    env: &[(&str, &str)],
    dir: &Path,
) -> Measured {
    let report = dir.join("time.txt");
    let mut cmd = std::process::Command::new("/usr/bin/time");
    cmd.arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args);
    cmd.stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let t = Instant::now();
    let out = cmd.output().expect("run /usr/bin/time (GNU time)");
    let wall = t.elapsed();
    let max_rss_kib = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()))
        .unwrap_or(0);
    Measured {
        wall,
        max_rss_kib,
        out,
    }
}
