//! Generates and signs 1,000 decision letters and prints letters/s, KB per
//! letter and peak memory. A benchmark: it prints figures and never fails
//! on time.
//!
//!     cargo run --release -p reviewdesk-engine --example letters_bench [N]
//!
//! Fonts are parsed once for the whole batch (one `LetterWriter`), letters
//! are rendered and signed on all cores, and a sample is verified.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{FixedOffset, TimeZone};
use reviewdesk_engine::letters::demo::{sample_approval, sample_correction, sample_refusal};
use reviewdesk_engine::letters::{
    sign_pdf, verify, FontPolicy, LetterWriter, RenderOptions, SignOptions, TestAuthority,
};

fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let policy = match std::env::var("REVIEWDESK_FONTS").as_deref() {
        Ok("noto") => FontPolicy::NotoOnly,
        _ => FontPolicy::PreferOfficial,
    };

    let t0 = Instant::now();
    let writer = LetterWriter::new(policy)?.for_batch();
    let fonts_ms = t0.elapsed().as_millis();
    for f in writer.fonts_used() {
        println!(
            "font {:?}: {} ({}#{})",
            f.role,
            f.face_name.as_deref().unwrap_or(&f.family),
            f.path.display(),
            f.index
        );
    }
    let t1 = Instant::now();
    let ca = TestAuthority::generate("ReviewDesk benchmark")?;
    let signer = ca.issue_signer("benchmark")?;
    let keys_ms = t1.elapsed().as_millis();
    let when = FixedOffset::east_opt(8 * 3600)
        .ok_or("offset")?
        .with_ymd_and_hms(2026, 11, 26, 9, 30, 0)
        .single()
        .ok_or("time")?;

    let threads = std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1);
    let next = AtomicUsize::new(0);
    let total_bytes = AtomicUsize::new(0);
    let max_bytes = AtomicUsize::new(0);
    let pages = AtomicUsize::new(0);
    let failures = AtomicUsize::new(0);
    let render_us = AtomicUsize::new(0);
    let sign_us = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let content = match i % 10 {
                    8 => sample_refusal(no),
                    9 => sample_correction(no, 4 + i % 13),
                    _ => sample_approval(no, &format!("{}.{:02}", 100_000 + i * 1_337, i % 100)),
                };
                let r0 = Instant::now();
                let result = content
                    .and_then(|c| writer.render(&c, RenderOptions::default()))
                    .and_then(|r| {
                        render_us.fetch_add(r0.elapsed().as_micros() as usize, Ordering::Relaxed);
                        pages.fetch_add(r.pages, Ordering::Relaxed);
                        let s0 = Instant::now();
                        let opts = SignOptions::new(when, format!("签发 第{no}号"));
                        let out = sign_pdf(&r.pdf, &signer, &opts);
                        sign_us.fetch_add(s0.elapsed().as_micros() as usize, Ordering::Relaxed);
                        out
                    });
                match result {
                    Ok(pdf) => {
                        if i.is_multiple_of(100) && !verify(&pdf).is_valid() {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                        total_bytes.fetch_add(pdf.len(), Ordering::Relaxed);
                        max_bytes.fetch_max(pdf.len(), Ordering::Relaxed);
                    }
                    Err(e) => {
                        eprintln!("letter {i}: {e}");
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let secs = start.elapsed().as_secs_f64();
    let done = n - failures.load(Ordering::Relaxed);
    println!("fonts parsed once: {fonts_ms} ms; test CA + signer keys: {keys_ms} ms");
    println!(
        "{n} letters ({} pages) on {threads} threads in {secs:.2} s: {:.1} letters/s",
        pages.load(Ordering::Relaxed),
        n as f64 / secs
    );
    println!(
        "per letter (CPU): render {:.1} ms, sign {:.2} ms",
        render_us.load(Ordering::Relaxed) as f64 / n as f64 / 1000.0,
        sign_us.load(Ordering::Relaxed) as f64 / n as f64 / 1000.0
    );
    println!(
        "size: {:.1} KB/letter on average, {:.1} KB the largest",
        total_bytes.load(Ordering::Relaxed) as f64 / done.max(1) as f64 / 1024.0,
        max_bytes.load(Ordering::Relaxed) as f64 / 1024.0
    );
    match peak_rss_kb() {
        Some(kb) => println!("peak RSS (VmHWM): {:.1} MB", kb as f64 / 1024.0),
        None => println!("peak RSS: unavailable (no /proc/self/status)"),
    }
    println!("failures: {}", failures.load(Ordering::Relaxed));
    Ok(())
}
