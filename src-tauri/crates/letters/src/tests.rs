//! End-to-end checks of real PDFs with independent tools: poppler's
//! pdftotext / pdffonts / pdfsig and NSS's certutil. Fonts are pinned to
//! the Noto CJK SC set so the output does not depend on what is installed.
//! A test whose tool is absent prints SKIP and passes (CI installs them).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::{FixedOffset, Timelike};

use super::demo::{sample_approval, sample_correction, sample_refusal};
use super::fonts::FontPolicy;
use super::layout::{MARGIN_LEFT, MARGIN_TOP, MM_PER_PT};
use super::pdf::{LetterWriter, RenderOptions};
use super::sign::{sign_pdf, SignOptions, Signer};
use super::testca::{export_pkcs12, import_pkcs12, TestAuthority};
use super::verify::{verify, verify_with_trust};
use super::{LetterError, RsaSoftwareSigner};

fn writer() -> Option<&'static LetterWriter> {
    static W: OnceLock<Option<LetterWriter>> = OnceLock::new();
    W.get_or_init(|| match LetterWriter::new(FontPolicy::NotoOnly) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("SKIP: {e}");
            None
        }
    })
    .as_ref()
}

fn authority() -> &'static (TestAuthority, RsaSoftwareSigner) {
    static A: OnceLock<(TestAuthority, RsaSoftwareSigner)> = OnceLock::new();
    A.get_or_init(|| {
        let ca = TestAuthority::generate("重庆市渝中区大数据应用发展管理局").unwrap();
        let s = ca.issue_signer("审批人 张三").unwrap();
        (ca, s)
    })
}

fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        // scripts/test.sh sets this: in CI a missing tool is a failure, never
        // a silent skip.
        assert!(
            std::env::var_os("REVIEWDESK_REQUIRE_TOOLS").is_none(),
            "{tool} is required (REVIEWDESK_REQUIRE_TOOLS is set): run scripts/setup.sh --test"
        );
        eprintln!("SKIP: {tool} not installed (apt-get install poppler-utils libnss3-tools)");
    }
    ok
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Signed now (Beijing time, whole seconds): the test certificates are
/// issued now, and a signature is checked against the certificate's
/// validity at the time it claims.
fn sign_opts() -> SignOptions {
    let t = chrono::Utc::now()
        .with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
        .with_nanosecond(0)
        .unwrap();
    SignOptions::new(t, "签发 渝中大数据发〔2026〕12号")
}

/// Words of `pdftotext -bbox` as (page, xMin, yMin, text), in points.
fn bbox_words(pdf: &Path) -> Vec<(usize, f32, f32, String)> {
    let html = run("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let l = line.trim();
        if l.starts_with("<page") {
            page += 1;
        } else if l.starts_with("<word") {
            let attr = |name: &str| -> f32 {
                let k = format!("{name}=\"");
                let s = l.find(&k).unwrap() + k.len();
                let e = l[s..].find('"').unwrap() + s;
                l[s..e].parse().unwrap()
            };
            let text = l
                .split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("")
                .to_string();
            out.push((page, attr("xMin"), attr("yMin"), text));
        }
    }
    out
}

#[test]
fn approval_text_extracts_with_title_number_and_amount_words() {
    let Some(w) = writer() else { return };
    let c = sample_approval(12, "1234500.00").unwrap();
    let r = w.render(&c, RenderOptions::default()).unwrap();
    eprintln!("approval: {} bytes, {} page(s)", r.pdf.len(), r.pages);
    assert!(r.pdf.len() < 150 * 1024, "{} bytes", r.pdf.len());
    assert!(r.fonts.iter().all(|f| f.family.starts_with("Noto")));
    if !have("pdftotext") {
        return;
    }
    let d = tmp();
    let p = write(d.path(), "approval.pdf", &r.pdf);
    let text = run("pdftotext", &[p.to_str().unwrap(), "-"]);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(flat.contains(&c.title), "title missing in:\n{text}");
    assert!(flat.contains("渝中大数据发〔2026〕12号"), "{text}");
    assert!(flat.contains("人民币壹佰贰拾叁万肆仟伍佰元整"), "{text}");
    assert!(flat.contains("1,234,500.00元"), "{text}");
    assert!(flat.contains("2026年11月26日"), "{text}");
    // the seal is drawn as paths: its words are not text
    assert!(!flat.contains("TESTSEAL"), "{text}");
}

#[test]
fn fonts_are_embedded_subsets() {
    let Some(w) = writer() else { return };
    if !have("pdffonts") {
        return;
    }
    let c = sample_correction(14, 16).unwrap();
    let r = w.render(&c, RenderOptions::default()).unwrap();
    let d = tmp();
    let p = write(d.path(), "c.pdf", &r.pdf);
    let out = run("pdffonts", &[p.to_str().unwrap()]);
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{out}");
    for row in rows {
        let name = row.split_whitespace().next().unwrap();
        let (tag, _) = name.split_once('+').unwrap_or(("", ""));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "not a subset name: {row}\n{out}"
        );
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [type2] encoding emb sub uni object ID
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
    }
}

#[test]
fn positions_match_the_grid() {
    let Some(w) = writer() else { return };
    if !have("pdftotext") {
        return;
    }
    let c = sample_correction(14, 16).unwrap();
    let r = w.render(&c, RenderOptions::default()).unwrap();
    assert!(r.pages >= 2, "the sample should take two pages");
    let d = tmp();
    let p = write(d.path(), "c.pdf", &r.pdf);
    let words = bbox_words(&p);
    let mm = |pt: f32| pt * MM_PER_PT;
    // page 2: the first line sits at the top margin
    let p2: Vec<_> = words.iter().filter(|w| w.0 == 2).collect();
    let top = p2.iter().map(|w| mm(w.2)).fold(f32::INFINITY, f32::min);
    assert!(
        (top - MARGIN_TOP).abs() <= 1.0,
        "page 2 first line at {top} mm"
    );
    // the left edge of the text block
    let left = words
        .iter()
        .filter(|w| w.0 == 1 && mm(w.2) > 80.0 && mm(w.2) < 250.0)
        .map(|w| mm(w.1))
        .fold(f32::INFINITY, f32::min);
    assert!(
        (left - MARGIN_LEFT).abs() <= 1.0,
        "left margin at {left} mm"
    );
    // page number on page 2: “— 2 —” (three words on one line, at the
    // left, 7 mm below the block), no number on page 1
    let no: Vec<_> = p2
        .iter()
        .filter(|w| mm(w.2) > 262.0)
        .filter(|w| w.3 != "·")
        .collect();
    let seq: Vec<&str> = no.iter().take(3).map(|w| w.3.as_str()).collect();
    assert_eq!(seq, ["—", "2", "—"], "{no:?}");
    assert!(mm(no[0].1) < 40.0, "even page numbers sit left: {no:?}");
    assert!(
        !words
            .iter()
            .any(|w| w.0 == 1 && w.3 == "—" && mm(w.2) > 262.0),
        "page 1 carries no number"
    );
    // first body paragraph of page 1: indented two characters
    let first_para = words
        .iter()
        .find(|w| w.0 == 1 && w.3.starts_with("你单位"))
        .unwrap();
    let ind = mm(first_para.1) - MARGIN_LEFT;
    assert!((ind - 2.0 * 156.0 / 28.0).abs() <= 1.0, "indent {ind} mm");
}

#[test]
fn refusal_names_the_remedy() {
    let Some(w) = writer() else { return };
    let c = sample_refusal(13).unwrap();
    let r = w.render(&c, RenderOptions { seal: false }).unwrap();
    assert!(r.pdf.len() < 120 * 1024, "{} bytes", r.pdf.len());
    if !have("pdftotext") {
        return;
    }
    let d = tmp();
    let p = write(d.path(), "r.pdf", &r.pdf);
    let flat: String = run("pdftotext", &[p.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        flat.contains("60日内向重庆市渝中区人民政府申请行政复议"),
        "{flat}"
    );
    assert!(flat.contains("6个月内依法向人民法院提起行政诉讼"), "{flat}");
}

#[test]
fn signed_letter_verifies_and_any_change_fails() {
    let Some(w) = writer() else { return };
    let (ca, signer) = authority();
    let c = sample_approval(12, "1234500.00").unwrap();
    let r = w.render(&c, RenderOptions::default()).unwrap();
    let signed = sign_pdf(&r.pdf, signer, &sign_opts()).unwrap();
    let rep = verify_with_trust(&signed, &[ca.certificate().clone()]);
    assert!(rep.is_valid(), "{rep:?}");
    assert_eq!(rep.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
    assert!(
        rep.signer.as_deref().unwrap().contains("测试签章"),
        "{rep:?}"
    );
    let claimed = crate::sign::pdf_date(&sign_opts().time);
    assert!(
        rep.signed_at
            .as_deref()
            .is_some_and(|m| m[..14] == claimed[..14]),
        "{rep:?} vs {claimed}"
    );
    assert!(rep
        .signed_at
        .as_deref()
        .is_some_and(|m| m.ends_with("+08'00'")));
    assert_eq!(rep.trusted, Some(true));
    assert!(rep.test, "a test CA's letter is a test letter");

    // the original bytes are untouched (incremental update)
    assert_eq!(&signed[..r.pdf.len()], &r.pdf[..]);

    // every 97th byte flipped, one at a time: never valid
    let step = (signed.len() / 97).max(1);
    for i in (0..signed.len()).step_by(step) {
        let mut t = signed.clone();
        t[i] ^= 0x01;
        let rep = verify(&t);
        assert!(
            !rep.is_valid(),
            "byte {i} flipped still verifies: {rep:?}\n{:?}",
            String::from_utf8_lossy(&signed[i.saturating_sub(60)..(i + 20).min(signed.len())])
        );
    }
    // truncation
    for cut in [1, 10, signed.len() / 2] {
        let rep = verify(&signed[..signed.len() - cut]);
        assert!(!rep.is_valid(), "truncated by {cut}: {rep:?}");
    }
    // appended bytes: the signature is intact but the file is not
    let mut t = signed.clone();
    t.extend_from_slice(b"\n% appended\n");
    let rep = verify(&t);
    assert!(rep.signature_valid && !rep.unchanged_since_signing && !rep.is_valid());
    // an untrusted authority
    let other = TestAuthority::generate("其他机构").unwrap();
    let rep = verify_with_trust(&signed, &[other.certificate().clone()]);
    assert_eq!(rep.trusted, Some(false));
    assert!(!rep.is_valid());
    // unsigned
    assert!(!verify(&r.pdf).signed);
}

#[test]
fn pdfsig_agrees() {
    let Some(w) = writer() else { return };
    if !have("pdfsig") {
        return;
    }
    if Command::new("certutil").arg("-H").output().is_err() {
        eprintln!("SKIP: certutil not installed (apt-get install libnss3-tools)");
        return;
    }
    let (ca, signer) = authority();
    let c = sample_approval(12, "1234500.00").unwrap();
    let r = w.render(&c, RenderOptions::default()).unwrap();
    let signed = sign_pdf(&r.pdf, signer, &sign_opts()).unwrap();
    let d = tmp();
    let nss = d.path().join("nss");
    std::fs::create_dir(&nss).unwrap();
    let db = format!("sql:{}", nss.display());
    run("certutil", &["-N", "-d", &db, "--empty-password"]);
    let ca_pem = write(d.path(), "ca.pem", ca.certificate_pem().unwrap().as_bytes());
    let add = run(
        "certutil",
        &[
            "-A",
            "-d",
            &db,
            "-n",
            "reviewdesk-test-ca",
            "-t",
            "CT,C,C",
            "-a",
            "-i",
            ca_pem.to_str().unwrap(),
        ],
    );
    assert!(!add.to_lowercase().contains("error"), "{add}");
    let p = write(d.path(), "signed.pdf", &signed);
    let out = run("pdfsig", &["-nssdir", &db, p.to_str().unwrap()]);
    eprintln!("{out}");
    assert!(out.contains("Signature is Valid"), "{out}");
    assert!(out.contains("Certificate is Trusted"), "{out}");
    assert!(out.contains("ETSI.CAdES.detached"), "{out}");
    assert!(out.contains("Total document signed"), "{out}");

    // one flipped byte in the middle of the signed range
    let mut t = signed.clone();
    let i = r.pdf.len() / 2;
    t[i] ^= 0x01;
    let pt = write(d.path(), "tampered.pdf", &t);
    let out = run("pdfsig", &["-nssdir", &db, pt.to_str().unwrap()]);
    assert!(!out.contains("Signature is Valid"), "{out}");
    assert!(!verify(&t).is_valid());

    // truncated
    let pt = write(d.path(), "truncated.pdf", &signed[..signed.len() - 20]);
    let out = run("pdfsig", &["-nssdir", &db, pt.to_str().unwrap()]);
    assert!(!out.contains("Signature is Valid"), "{out}");
    assert!(!verify(&signed[..signed.len() - 20]).is_valid());
}

#[test]
fn pkcs12_round_trip() {
    let (_, signer) = authority();
    let p12 = export_pkcs12(signer, "正确的密码 correct").unwrap();
    let back = import_pkcs12(&p12, "正确的密码 correct").unwrap();
    assert_eq!(back.certificate(), signer.certificate());
    assert_eq!(back.chain().len(), 1);
    let err = import_pkcs12(&p12, "wrong").unwrap_err();
    assert!(matches!(err, LetterError::Pkcs12Password), "{err}");
    let err = import_pkcs12(b"not a pkcs12 file", "x").unwrap_err();
    assert!(!matches!(err, LetterError::Pkcs12Password), "{err}");
}

#[test]
fn ca_pem_is_marked_test() {
    let (ca, signer) = authority();
    let pem = ca.certificate_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let subj = ca.certificate().tbs_certificate().subject().to_string();
    assert!(subj.contains("TEST"), "{subj}");
    assert!(super::x509::issued_by(
        signer.certificate(),
        ca.certificate()
    ));
}

#[test]
fn wet_seal_print_has_no_seal() {
    let Some(w) = writer() else { return };
    let c = sample_approval(12, "1234500.00").unwrap();
    let with = w.render(&c, RenderOptions { seal: true }).unwrap();
    let without = w.render(&c, RenderOptions { seal: false }).unwrap();
    assert!(without.pdf.len() < with.pdf.len());
    let l = w.layout(&c, RenderOptions { seal: false }).unwrap();
    assert!(l.pages.iter().all(|p| p.seal.is_none()));
}

/// Writes the sample letters (signed) to `REVIEWDESK_LETTER_SAMPLES` when
/// set; used to make the PNGs in docs/letters.
#[test]
fn write_samples_when_asked() {
    let Some(dir) = std::env::var_os("REVIEWDESK_LETTER_SAMPLES") else {
        return;
    };
    let Some(w) = writer() else { return };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (ca, signer) = authority();
    for (name, c) in [
        ("approval", sample_approval(12, "1234500.00").unwrap()),
        ("refusal", sample_refusal(13).unwrap()),
        ("correction", sample_correction(14, 16).unwrap()),
    ] {
        let r = w.render(&c, RenderOptions::default()).unwrap();
        let s = sign_pdf(&r.pdf, signer, &sign_opts()).unwrap();
        eprintln!(
            "{name}: {} bytes unsigned, {} signed, {} pages",
            r.pdf.len(),
            s.len(),
            r.pages
        );
        std::fs::write(dir.join(format!("{name}.pdf")), s).unwrap();
    }
    std::fs::write(dir.join("test-ca.pem"), ca.certificate_pem().unwrap()).unwrap();
}

#[test]
fn a_batch_writer_draws_the_same_letter_from_its_smaller_fonts() {
    if writer().is_none() {
        return;
    }
    let Ok(batch) = LetterWriter::new(FontPolicy::NotoOnly).map(LetterWriter::for_batch) else {
        return;
    };
    let c = sample_correction(14, 16).unwrap();
    let single = writer()
        .unwrap()
        .render(&c, RenderOptions::default())
        .unwrap();
    let many = batch.render(&c, RenderOptions::default()).unwrap();
    assert_eq!(single.pages, many.pages);
    if !have("pdftotext") || !have("pdffonts") {
        return;
    }
    let d = tmp();
    let a = write(d.path(), "single.pdf", &single.pdf);
    let b = write(d.path(), "batch.pdf", &many.pdf);
    // same words at the same places
    assert_eq!(bbox_words(&a), bbox_words(&b));
    let fonts = run("pdffonts", &[b.to_str().unwrap()]);
    for row in fonts.lines().skip(2).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
    }
    // a character outside GB 2312 still renders (the letter takes the full face)
    let mut rare = sample_approval(13, "1000.00").unwrap();
    rare.addressee = format!("{}（䶮）", rare.addressee);
    let r = batch.render(&rare, RenderOptions::default()).unwrap();
    let p = write(d.path(), "rare.pdf", &r.pdf);
    let text = run("pdftotext", &[p.to_str().unwrap(), "-"]);
    assert!(text.contains('䶮'), "{text}");
}
