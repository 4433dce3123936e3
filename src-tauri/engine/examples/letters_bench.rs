//! Generates and signs 1,000 decision letters and prints letters/s, KB per
//! letter and peak memory. A benchmark: it prints figures and never fails
//! on time.
//!
//!     cargo run --release -p reviewdesk-engine --example letters_bench [N]
//!
//! Fonts are parsed once for the whole batch (one `LetterWriter`, cut to the
//! common repertoire by `for_batch`), letters are rendered and signed on all
//! cores, and a sample is verified. Then the baseline a bureau uses today:
//! the same letters written as .docx (a mail merge's output) and converted by
//! `soffice --headless --convert-to pdf` in one LibreOffice run (unsigned;
//! skipped with a note when soffice is missing). Set LETTERS_BENCH_SOFFICE=0
//! to skip it, LETTERS_BENCH_THREADS=1 for one thread (instruction counts
//! under `valgrind --tool=callgrind`), LETTERS_BENCH_SAVE=<dir> to keep
//! the first ten signed letters there and LETTERS_BENCH_SEAL=<png> to draw
//! a seal image instead of the demo seal.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use std::io::Write;

use chrono::FixedOffset;
use reviewdesk_engine::letters::demo::{sample_approval, sample_correction, sample_refusal};
use reviewdesk_engine::letters::{
    sign_pdf, verify_with_trust, FontPolicy, LetterContent, LetterWriter, Paragraph, RenderOptions,
    SignOptions, TestAuthority,
};

fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// Letter `i` of the batch: 8 approvals, a refusal, a correction notice per ten.
fn letter(i: usize) -> Result<LetterContent, reviewdesk_engine::letters::LetterError> {
    let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
    match i % 10 {
        8 => sample_refusal(no),
        9 => sample_correction(no, 4 + i % 13),
        _ => sample_approval(no, &format!("{}.{:02}", 100_000 + i * 1_337, i % 100)),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The letter as a mail merge would produce it: a plain .docx (仿宋 3号 body,
/// 小标宋 2号 title), the same words as our PDF.
fn docx(c: &LetterContent) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let para = |text: &str, size_half_pt: u32, font: &str, center: bool| {
        format!(
            "<w:p><w:pPr>{}<w:ind w:firstLineChars=\"{}\"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii=\"{font}\" w:eastAsia=\"{font}\"/><w:sz w:val=\"{size_half_pt}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            if center { "<w:jc w:val=\"center\"/>" } else { "" },
            if center { 0 } else { 200 },
            xml_escape(text)
        )
    };
    let mut body = String::new();
    body.push_str(&para(&c.number, 32, "FangSong", true));
    body.push_str(&para(&c.title, 44, "SimSun", true));
    body.push_str(&para(&format!("{}：", c.addressee), 32, "FangSong", false));
    for p in &c.paragraphs {
        let text = match p {
            Paragraph::Text { text }
            | Paragraph::Heading { text }
            | Paragraph::Subheading { text }
            | Paragraph::Flush { text } => text.clone(),
            Paragraph::Table { rows, .. } => rows
                .iter()
                .map(|r| r.0.join("\t"))
                .collect::<Vec<_>>()
                .join("；"),
        };
        body.push_str(&para(&text, 32, "FangSong", false));
    }
    body.push_str(&para(&c.issuer, 32, "FangSong", false));
    body.push_str(&para(&c.date.to_string(), 32, "FangSong", false));
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o)?;
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#)?;
        z.start_file("_rels/.rels", o)?;
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#)?;
        z.start_file("word/document.xml", o)?;
        z.write_all(document.as_bytes())?;
        z.finish()?;
    }
    Ok(out.into_inner())
}

/// The mail-merge baseline: N .docx → PDF in one soffice run.
fn soffice_baseline(n: usize) -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var("LETTERS_BENCH_SOFFICE").as_deref() == Ok("0") {
        println!("baseline: skipped (LETTERS_BENCH_SOFFICE=0)");
        return Ok(());
    }
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .map_or(true, |o| !o.status.success())
    {
        println!("baseline: soffice not installed (apt-get install libreoffice-writer-nogui)");
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let mut files = Vec::with_capacity(n);
    for i in 0..n {
        let p = dir.path().join(format!("letter-{i:05}.docx"));
        std::fs::write(&p, docx(&letter(i)?)?)?;
        files.push(p);
    }
    let out = dir.path().join("pdf");
    let profile = dir.path().join("profile");
    // One soffice run per 100 files: a single run over a thousand files
    // stopped after a few hundred here.
    let start = Instant::now();
    let mut failed_runs = 0;
    for chunk in files.chunks(100) {
        let ok = std::process::Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&out)
            .args(chunk)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            failed_runs += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let pdfs: Vec<u64> = std::fs::read_dir(&out)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .collect()
        })
        .unwrap_or_default();
    println!(
        "baseline (mail merge): {n} .docx → PDF by soffice --headless --convert-to pdf in {secs:.2} s: {:.1} letters/s, {:.1} KB/letter, unsigned ({} PDFs written, {failed_runs} soffice runs failed)",
        pdfs.len() as f64 / secs,
        pdfs.iter().sum::<u64>() as f64 / pdfs.len().max(1) as f64 / 1024.0,
        pdfs.len()
    );
    Ok(())
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

    // Figures from a busy machine are not figures: say how busy it was.
    if let Ok(l) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average at start: {} (cores: {})",
            l.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
            std::thread::available_parallelism().map_or(1, |p| p.get())
        );
    }
    let t0 = Instant::now();
    let mut writer = LetterWriter::new(policy)?.for_batch();
    // LETTERS_BENCH_SEAL=<png>: letters carry this seal image (a bureau's
    // configured seal) instead of the vector demo seal
    if let Ok(path) = std::env::var("LETTERS_BENCH_SEAL") {
        writer = writer.with_seal_png(&std::fs::read(&path)?)?;
        println!("seal image: {path}");
    }
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
    // signed now: the test CA is valid from the moment it was made, and a
    // letter signed before its signer existed would not verify as trusted
    let when = chrono::Utc::now().with_timezone(&FixedOffset::east_opt(8 * 3600).ok_or("offset")?);

    // LETTERS_BENCH_THREADS=1 for a single-threaded run (callgrind counts)
    let threads = std::env::var("LETTERS_BENCH_THREADS")
        .ok()
        .and_then(|t| t.parse::<usize>().ok())
        .filter(|t| *t > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|p| p.get())
                .unwrap_or(1)
        });
    let next = AtomicUsize::new(0);
    let total_bytes = AtomicUsize::new(0);
    let max_bytes = AtomicUsize::new(0);
    let pages = AtomicUsize::new(0);
    let failures = AtomicUsize::new(0);
    let render_us = AtomicUsize::new(0);
    let sign_us = AtomicUsize::new(0);
    // LETTERS_BENCH_SAVE=<dir>: keep the first ten signed letters to look at
    let save_dir = std::env::var("LETTERS_BENCH_SAVE").ok();
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let content = letter(i);
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
                        if let Some(dir) = &save_dir {
                            if i < 10 {
                                let p =
                                    std::path::Path::new(dir).join(format!("letter-{i:02}.pdf"));
                                if let Err(e) = std::fs::write(&p, &pdf) {
                                    eprintln!("{}: {e}", p.display());
                                }
                            }
                        }
                        if i.is_multiple_of(100)
                            && !verify_with_trust(&pdf, std::slice::from_ref(ca.certificate()))
                                .is_valid()
                        {
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
    let failed = failures.load(Ordering::Relaxed);
    println!("failures: {failed}");
    soffice_baseline(n)?;
    if failed > 0 {
        // a benchmark whose letters do not verify measures nothing: fail the run
        return Err(format!("{failed} letters failed to render or verify as trusted").into());
    }
    Ok(())
}
