//! Signed statements of the audit chain's head: a one-page PDF that states
//! the head (entry number and hash) of a store's audit chain, signed as the
//! letters are, and read back to check a store against it
//! (`reviewdesk audit head --sign`, `audit verify --against`). It lives in
//! the engine because it joins the store's chain head with the letters'
//! PDF signing: the store crate knows nothing of PDF.

use crate::error::{EngineError, Result};
use crate::store::audit::HeadStatement;

/// The PDF key under which the statement's JSON is kept (hex string).
const STATEMENT_KEY: &[u8] = b"/ReviewDeskAuditHead";

fn pdf_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// A one-page PDF stating the head (ASCII text; the JSON kept in the
/// document information under `/ReviewDeskAuditHead`), signed (PAdES, as the
/// letters are) with `signer`. `pdfsig` and `reviewdesk verify` check it.
pub fn signed_statement(
    st: &HeadStatement,
    signer: &dyn crate::letters::Signer,
) -> Result<Vec<u8>> {
    use lopdf::{dictionary, Document, Object, Stream, StringFormat};
    let json =
        serde_json::to_string(st).map_err(|e| EngineError::Invalid(format!("statement: {e}")))?;
    let lines = [
        "ReviewDesk audit chain head statement".to_string(),
        String::new(),
        format!("store id:  {}", st.store_id),
        format!("entry:     {}", st.seq),
        format!("hash:      {}", st.hash),
        format!("stated at: {}", st.at),
        String::new(),
        "The audit log of this store must extend this head: the entry with".to_string(),
        "this number must keep this hash. Check with:".to_string(),
        "  reviewdesk audit verify --against THIS.pdf".to_string(),
    ];
    let mut content = String::from("BT /F1 10 Tf 56 780 Td 14 TL\n");
    for l in &lines {
        content.push_str(&format!("({}) Tj T*\n", pdf_escape(l)));
    }
    content.push_str("ET\n");
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier",
    });
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal("ReviewDesk audit chain head"),
        "ReviewDeskAuditHead" => Object::String(json.into_bytes(), StringFormat::Hexadecimal),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    let mut pdf = Vec::new();
    doc.save_to(&mut pdf)
        .map_err(|e| EngineError::Invalid(format!("statement PDF: {e}")))?;
    let opts = crate::letters::SignOptions::new(
        chrono::Local::now().fixed_offset(),
        format!("审计链头声明 / audit chain head #{}", st.seq),
    );
    crate::letters::sign_pdf(&pdf, signer, &opts).map_err(crate::letter_error)
}

/// Reads a signed statement: its signature must be valid and cover the
/// whole file (and chain to `trusted` when given); returns the statement
/// and the signature report.
pub fn read_signed_statement(
    pdf: &[u8],
    trusted: &[x509_cert::Certificate],
) -> Result<(HeadStatement, crate::letters::VerifyReport)> {
    let report = crate::letters::verify_with_trust(pdf, trusted);
    if !report.is_valid() {
        return Err(EngineError::Invalid(format!(
            "声明的签名无效或文件已被改动 / the statement's signature is invalid or the file was changed: {}",
            report.problems.join("; ")
        )));
    }
    let bad = || {
        EngineError::Invalid("文件中没有审计链头声明 / no audit head statement in this file".into())
    };
    let at = pdf
        .windows(STATEMENT_KEY.len())
        .position(|w| w == STATEMENT_KEY)
        .ok_or_else(bad)?;
    let rest = &pdf[at + STATEMENT_KEY.len()..];
    let open = rest.iter().position(|&b| b == b'<').ok_or_else(bad)?;
    let close = rest.iter().position(|&b| b == b'>').ok_or_else(bad)?;
    if close < open || rest[..open].iter().any(|b| !b.is_ascii_whitespace()) {
        return Err(bad());
    }
    let hex_text: Vec<u8> = rest[open + 1..close]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let json = hex::decode(hex_text).map_err(|_| bad())?;
    let st: HeadStatement = serde_json::from_slice(&json).map_err(|_| bad())?;
    Ok((st, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{audit, Actor, Store};

    fn store_with_entries(n: usize) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = Store::open(&dir.path().join("s.db")).expect("open");
        for i in 0..n {
            s.change(&Actor::new("alice"), "note", &format!("n{i}"), |_| {
                Ok(((), serde_json::json!({ "i": i })))
            })
            .expect("change");
        }
        (dir, s)
    }

    #[test]
    fn a_signed_statement_reads_back_and_a_changed_byte_is_refused() {
        let (_dir, s) = store_with_entries(2);
        let st = HeadStatement::new(&audit::head(s.conn()).expect("head"));
        let ca = crate::letters::TestAuthority::generate("测试CA").expect("ca");
        let signer = ca.issue_signer("审计员").expect("signer");
        let pdf = signed_statement(&st, &signer).expect("sign");
        let (back, report) =
            read_signed_statement(&pdf, &[ca.certificate().clone()]).expect("read");
        assert_eq!(back, st);
        assert!(report.is_valid());
        let key = pdf
            .windows(STATEMENT_KEY.len())
            .position(|w| w == STATEMENT_KEY)
            .expect("key");
        let mut changed = pdf.clone();
        changed[key + STATEMENT_KEY.len() + 3] ^= 1;
        assert!(read_signed_statement(&changed, &[]).is_err());
    }
}
