//! A mutation fuzzer that runs on stable Rust, for the functions every
//! untrusted input passes through. cargo-fuzz (libFuzzer) needs a nightly
//! compiler; this needs nothing but the engine.
//!
//! Long on purpose: the mutator, the corpus handling and the run loop of a
//! self-contained fuzzer in one file, so it builds as one example.
//!
//! ```sh
//! cargo run -p reviewdesk-engine --example fuzz -- TARGET SECONDS [SEED_DIR…]
//! scripts/fuzz.sh [SECONDS]        # every target, SECONDS in total, summary table
//! ```
//! Targets: `normalise` (value normalisers), `uscc` (credit-code validator),
//! `guide` (guide parser), `zip` (the zip pre-flight check of the reader).
//!
//! How it works: a corpus seeded from real inputs (the sample workbooks'
//! cell texts and files, the shipped guide, valid credit codes, and the
//! workbooks found in SEED_DIRs such as tests/corpus) is mutated with
//! stacked byte- and token-level edits (flips, interesting bytes, dictionary
//! tokens, splices between entries, truncation, duplication). There is no
//! coverage instrumentation; instead each run yields an *outcome signature*
//! (which normalisers accepted, which error a parser gave, at which key
//! path) and an input that produces a signature not seen before joins the
//! corpus, which steers mutation toward new behaviour.
//!
//! A finding is a panic, including a broken invariant checked here (e.g. a
//! validated credit code whose check character does not match). Each unique
//! finding (by panic location and message) is saved with its input under
//! `target/fuzz/TARGET/`. The run is built in the dev profile so overflow
//! checks and debug assertions are on. The last stdout line is the summary:
//! `fuzz-summary TARGET execs=… exec_per_s=… crashes=… unique=… corpus=… slowest_ms=…`.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reviewdesk_engine::applications::samples::SAMPLES;
use reviewdesk_engine::guide::BUILTIN_2026;
use reviewdesk_engine::intake::grid::CellValue;
use reviewdesk_engine::intake::reader;
use reviewdesk_engine::uscc;

mod targets;
use targets::{run_guide, run_normalise, run_uscc, run_zip};

/// splitmix64: small, fast, good enough to drive mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// What a target is fed and what it runs.
struct Target {
    name: &'static str,
    /// Tokens worth inserting (units, separators, keys, magic numbers).
    dictionary: Vec<Vec<u8>>,
    seeds: Vec<Vec<u8>>,
    /// Largest input kept (bytes).
    max_len: usize,
    /// Runs one input; returns its outcome signature. Panics are findings.
    run: fn(&[u8]) -> u64,
}

// ---------------------------------------------------------------------------
// Seeds and dictionaries

fn sample_cell_texts() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (_, bytes) in SAMPLES {
        let Ok(grid) = reader::read_bytes(bytes) else {
            continue;
        };
        for sheet in &grid.sheets {
            for cell in &sheet.cells {
                let (kind, text) = match &cell.value {
                    CellValue::Text(t) => (0u8, t.clone()),
                    CellValue::Number(t) => (1, t.clone()),
                    CellValue::Date(t) => (2, t.clone()),
                    other => (3, other.raw_text()),
                };
                if text.len() <= 200 && seen.insert((kind, text.clone())) {
                    let mut v = vec![kind];
                    v.extend_from_slice(text.as_bytes());
                    out.push(v);
                }
            }
        }
    }
    out
}

fn normalise_target() -> Target {
    let mut seeds = sample_cell_texts();
    for s in [
        "１，２０５．５万元",
        "120.35 万",
        "1,200,000元",
        "3亿元",
        "2025年3月1日",
        "2025/3/1 08:30",
        "20250301",
        "45000",
        "9.15001E+17",
        "023-63768001转801",
        "+86 138 0000 0000",
        "name@example.cn",
        "是",
        " 88 人",
    ] {
        let mut v = vec![0u8];
        v.extend_from_slice(s.as_bytes());
        seeds.push(v);
    }
    let dictionary = words(&[
        "万元",
        "万",
        "亿元",
        "亿",
        "千元",
        "元",
        "年",
        "月",
        "日",
        "号",
        "人",
        ",",
        ".",
        "，",
        "．",
        "１",
        "０",
        "９",
        "E+",
        "e-",
        "E9999",
        "-",
        "+",
        " ",
        "\u{3000}",
        "\u{200B}",
        "\u{FEFF}",
        "T",
        ":",
        "/",
        "转",
        "(",
        ")",
        "@",
        "0000000000",
        "99999999999999999999999999999",
        "1900",
        "2200",
        "60",
        "2958465",
        "0.000001",
        "mailto:",
    ]);
    Target {
        name: "normalise",
        dictionary,
        seeds,
        max_len: 256,
        run: run_normalise,
    }
}

fn uscc_target() -> Target {
    let mut seeds = Vec::new();
    for body in [
        "91500103MA5U7K2P3",
        "91500000MA5U7K2P3",
        "12500103000000000",
        "Y1110000000000000",
        "N2500103ABCDEFGHJ",
    ] {
        let check = uscc::check_char(body).map(String::from).unwrap_or_default();
        seeds.push(format!("{body}{check}").into_bytes());
    }
    for t in sample_cell_texts() {
        if t.len() == 19 {
            seeds.push(t[1..].to_vec());
        }
    }
    let dictionary = words(&[
        "I", "O", "Z", "S", "V", "Y", "N", "9", "1", "0", "５", "Ａ", "ｍａ", " ", "中", "500103",
    ]);
    Target {
        name: "uscc",
        dictionary,
        seeds,
        max_len: 64,
        run: run_uscc,
    }
}

fn guide_target() -> Target {
    let dictionary = words(&[
        "\n[",
        "]\n",
        "[[",
        "]]",
        " = ",
        "\"",
        "'''",
        "\"\"\"",
        "{",
        "}",
        "[",
        "]",
        ",",
        "#",
        "0",
        "-1",
        "1e400",
        "nan",
        "inf",
        "true",
        "2026-01-01",
        "1979-05-27T07:32:00Z",
        "99999999999999999999",
        "0.0000000000000000000000000001",
        "C1",
        "C2a",
        "C9",
        "cap",
        "tiers",
        "weight",
        "bands",
        "linear",
        "method",
        "rate",
        "proportional",
        "half_up",
        "unit",
        "pass_mark",
        "limits",
        "factors",
        "source",
        "panel",
        "\\u0000",
        "\n",
    ]);
    Target {
        name: "guide",
        dictionary,
        seeds: vec![BUILTIN_2026.as_bytes().to_vec()],
        max_len: 256 * 1024,
        run: run_guide,
    }
}

fn zip_target(seed_dirs: &[PathBuf]) -> Target {
    let mut seeds: Vec<Vec<u8>> = SAMPLES.iter().map(|(_, b)| b.to_vec()).collect();
    let mut found = Vec::new();
    for d in seed_dirs {
        collect_files(d, &mut found, 0);
    }
    found.sort();
    for p in found {
        let small = std::fs::metadata(&p).is_ok_and(|m| m.len() <= 64 * 1024);
        if small && seeds.len() < 300 {
            if let Ok(b) = std::fs::read(&p) {
                seeds.push(b);
            }
        }
    }
    let mut dictionary = words(&[
        "PK\u{3}\u{4}",
        "PK\u{1}\u{2}",
        "PK\u{5}\u{6}",
        "PK\u{6}\u{6}",
        "PK\u{6}\u{7}",
        "xl/workbook.xml",
        "xl/workbook.bin",
        "content.xml",
        "mimetype",
        "application/vnd.oasis.opendocument.spreadsheet",
        "word/document.xml",
    ]);
    dictionary.push(vec![0xff, 0xff, 0xff, 0xff]);
    dictionary.push(vec![0, 0, 0, 0]);
    dictionary.push(vec![0xff, 0xff]);
    dictionary.push(vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    Target {
        name: "zip",
        dictionary,
        seeds,
        max_len: 256 * 1024,
        run: run_zip,
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() && depth < 4 {
            collect_files(&p, out, depth + 1);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x, "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" | "zip"))
        {
            out.push(p);
        }
    }
}

fn words(ws: &[&str]) -> Vec<Vec<u8>> {
    ws.iter().map(|w| w.as_bytes().to_vec()).collect()
}

// ---------------------------------------------------------------------------
// Mutation

const INTERESTING: &[u8] = &[
    0, 1, 0x7f, 0x80, 0xff, b'0', b'9', b'.', b',', b'-', b'\n', b'"',
];

fn mutate(rng: &mut Rng, input: &[u8], corpus: &[Vec<u8>], t: &Target) -> Vec<u8> {
    let mut v = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let n = v.len();
        match rng.below(11) {
            0 if n > 0 => {
                let i = rng.below(n);
                v[i] ^= 1 << rng.below(8);
            }
            1 if n > 0 => {
                let i = rng.below(n);
                v[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 | 3 if !t.dictionary.is_empty() => {
                let w = &t.dictionary[rng.below(t.dictionary.len())];
                let at = rng.below(n + 1);
                if rng.chance(2) || at + w.len() > n {
                    v.splice(at..at, w.iter().copied());
                } else {
                    v[at..at + w.len()].copy_from_slice(w);
                }
            }
            4 if n > 1 => {
                let a = rng.below(n);
                let len = 1 + rng.below((n - a).min(64));
                v.drain(a..a + len);
            }
            5 if n > 1 => {
                let a = rng.below(n);
                let len = 1 + rng.below((n - a).min(64));
                let run = v[a..a + len].to_vec();
                let at = rng.below(n + 1);
                v.splice(at..at, run);
            }
            6 if !corpus.is_empty() => {
                // Splice a run from another corpus entry.
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let len = 1 + rng.below((other.len() - a).min(256));
                    let at = rng.below(n + 1);
                    if rng.chance(2) {
                        v.splice(at..at, other[a..a + len].iter().copied());
                    } else {
                        let end = (at + len).min(n);
                        v.splice(at..end, other[a..a + len].iter().copied());
                    }
                }
            }
            7 if n > 0 => v.truncate(rng.below(n)),
            8 => {
                let at = rng.below(n + 1);
                let len = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                v.splice(at..at, bytes);
            }
            9 if n >= 4 => {
                // A 16- or 32-bit field set to a boundary value (zip sizes, counts).
                let at = rng.below(n - 3);
                let val: u32 = [0, 1, 0xffff, 0xffff_ffff, 0x7fff_ffff, n as u32][rng.below(6)];
                if rng.chance(2) {
                    v[at..at + 2].copy_from_slice(&(val as u16).to_le_bytes());
                } else {
                    v[at..at + 4].copy_from_slice(&val.to_le_bytes());
                }
            }
            _ if n > 0 => {
                // Replace a run of ASCII digits with another number.
                let i = rng.below(n);
                if v[i].is_ascii_digit() {
                    let mut j = i;
                    while j < n && v[j].is_ascii_digit() {
                        j += 1;
                    }
                    let num = match rng.below(4) {
                        0 => "0".to_string(),
                        1 => (rng.next() % 1000).to_string(),
                        2 => rng.next().to_string(),
                        _ => format!("{}", u128::from(rng.next()) * u128::from(rng.next())),
                    };
                    v.splice(i..j, num.bytes());
                }
            }
            _ => {}
        }
    }
    v.truncate(t.max_len);
    v
}

// ---------------------------------------------------------------------------
// The loop

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

struct Stats {
    execs: u64,
    crashes: u64,
    unique: usize,
    corpus: usize,
    slowest: Duration,
    elapsed: Duration,
}

fn fuzz(t: &Target, seconds: u64, out_dir: &Path, seed: u64) -> Stats {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut g) = LAST_PANIC.lock() {
            *g = Some(format!("{at}: {msg}"));
        }
    }));
    let mut rng = Rng(seed);
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut findings: HashMap<String, usize> = HashMap::new();
    let mut stats = Stats {
        execs: 0,
        crashes: 0,
        unique: 0,
        corpus: 0,
        slowest: Duration::ZERO,
        elapsed: Duration::ZERO,
    };
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut exec = |input: Vec<u8>,
                    corpus: &mut Vec<Vec<u8>>,
                    stats: &mut Stats,
                    findings: &mut HashMap<String, usize>| {
        let t0 = Instant::now();
        let r = catch_unwind(AssertUnwindSafe(|| (t.run)(&input)));
        let dt = t0.elapsed();
        stats.execs += 1;
        stats.slowest = stats.slowest.max(dt);
        match r {
            Ok(s) => {
                if seen.insert(s) && corpus.len() < 4096 {
                    corpus.push(input);
                }
            }
            Err(_) => {
                stats.crashes += 1;
                let what = LAST_PANIC
                    .lock()
                    .ok()
                    .and_then(|mut g| g.take())
                    .unwrap_or_else(|| "panic".into());
                // Unique by where it panicked (file:line).
                let location = what.split(": ").next().unwrap_or("").to_string();
                let n = findings.len();
                let id = *findings.entry(location).or_insert(n);
                if id == n {
                    let dir = out_dir.join(t.name);
                    let _ = std::fs::create_dir_all(&dir);
                    let _ = std::fs::write(dir.join(format!("crash-{id}.bin")), &input);
                    let _ = std::fs::write(dir.join(format!("crash-{id}.txt")), &what);
                    eprintln!(
                        "[{}] new finding #{id}: {what} (saved {})",
                        t.name,
                        dir.join(format!("crash-{id}.bin")).display()
                    );
                }
            }
        }
    };
    for s in &t.seeds {
        exec(s.clone(), &mut corpus, &mut stats, &mut findings);
    }
    let mut tick = 0u32;
    loop {
        tick = tick.wrapping_add(1);
        if tick.is_multiple_of(64) && Instant::now() >= deadline {
            break;
        }
        let input = if corpus.is_empty() || rng.chance(20) {
            let len = rng.below(t.max_len.min(512));
            (0..len).map(|_| rng.next() as u8).collect()
        } else {
            let base = &corpus[rng.below(corpus.len())];
            mutate(&mut rng, base, &corpus, t)
        };
        exec(input, &mut corpus, &mut stats, &mut findings);
    }
    stats.elapsed = start.elapsed();
    stats.unique = findings.len();
    stats.corpus = corpus.len();
    stats
}

/// Write the target's seeds (at most 64, the smallest first) into `dir` and
/// its dictionary as an AFL dictionary `dir.dict`, for cargo-afl.
fn dump_seeds(t: &Target, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut seeds: Vec<&Vec<u8>> = t.seeds.iter().filter(|s| s.len() <= 128 * 1024).collect();
    seeds.sort_by_key(|s| s.len());
    for (i, s) in seeds.iter().take(64).enumerate() {
        std::fs::write(dir.join(format!("seed-{i:03}")), s)?;
    }
    let mut dict = String::new();
    for (i, w) in t.dictionary.iter().enumerate() {
        let escaped: String = w
            .iter()
            .map(|&b| match b {
                b'"' | b'\\' => format!("\\x{b:02x}"),
                0x20..=0x7e => char::from(b).to_string(),
                _ => format!("\\x{b:02x}"),
            })
            .collect();
        dict.push_str(&format!("w{i}=\"{escaped}\"\n"));
    }
    std::fs::write(dir.with_extension("dict"), dict)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: fuzz normalise|uscc|guide|zip SECONDS|--dump-seeds DIR [SEED_DIR…]";
    let (Some(name), Some(secs)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let dump = (secs == "--dump-seeds").then(|| args.get(2).map(PathBuf::from));
    let seconds = match (&dump, secs.parse::<u64>()) {
        (Some(Some(_)), _) => 0,
        (None, Ok(s)) => s,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let skip = if dump.is_some() { 3 } else { 2 };
    let seed_dirs: Vec<PathBuf> = args.iter().skip(skip).map(PathBuf::from).collect();
    let target = match name.as_str() {
        "normalise" => normalise_target(),
        "uscc" => uscc_target(),
        "guide" => guide_target(),
        "zip" => zip_target(&seed_dirs),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    if let Some(Some(dir)) = dump {
        if let Err(e) = dump_seeds(&target, &dir) {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
        return;
    }
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz");
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    eprintln!(
        "[{}] {} seeds, {} s, seed {seed}",
        target.name,
        target.seeds.len(),
        seconds
    );
    let s = fuzz(&target, seconds, &out_dir, seed);
    let secs = s.elapsed.as_secs_f64().max(0.001);
    println!(
        "fuzz-summary {} execs={} exec_per_s={:.0} crashes={} unique={} corpus={} slowest_ms={:.1}",
        target.name,
        s.execs,
        s.execs as f64 / secs,
        s.crashes,
        s.unique,
        s.corpus,
        s.slowest.as_secs_f64() * 1000.0
    );
}
