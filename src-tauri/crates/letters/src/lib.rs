//! Decision letters: content → GB/T 9704-2012 layout → PDF with embedded
//! subset fonts → PAdES B-B signature → verification.
//!
//! Independent of how decisions are computed: the caller hands over a
//! [`LetterContent`] (plain data; builders compose the standard wording of
//! an approval, a refusal and a correction notice), a [`LetterWriter`] owns
//! the parsed fonts for a whole batch and renders it, a [`Signer`] signs it,
//! and [`verify`] checks a signed letter byte for byte.
//!
//! ```text
//! LetterContent ─ layout::compose (grid, line breaking) ─ LetterLayout
//!   ─ pdf::LetterWriter::render (printpdf pages, fonts subset and embedded
//!     by embed.rs, vector seal) ─ PDF
//!   ─ sign::sign_pdf (incremental update, /ByteRange, CMS) ─ signed PDF
//!   ─ verify::verify ─ VerifyReport
//! ```
//!
//! The letter geometry is GB/T 9704-2012: A4, top margin 37 mm, left margin
//! 28 mm, text block 156 × 225 mm, 22 lines of 28 characters of 3号 (16 pt)
//! 仿宋 filling the block, the 信函 (letter) format of §10.1 for page 1, page
//! numbers in 4号 from page 2 (§7.5). See `layout.rs` for every number.

pub mod chain;
pub mod content;
pub mod demo;
mod embed;
pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod seal;
pub mod sign;
pub mod testca;
pub mod verify;
pub mod x509;

#[cfg(test)]
mod tests;

pub use content::{
    amendment, approval, correction, format_date, refusal, revocation, ApprovalInput, ChangeInput,
    ChangedProject, CorrectionInput, FieldError, LetterContent, LetterKind, Letterhead, Paragraph,
    RefusalInput, RefusedProject, TableRow, POLICY_NUMBER_MISSING,
};
pub use fonts::{FontChoice, FontPolicy, FontRole, FontUse};
pub use layout::LetterLayout;
pub use pdf::{LetterWriter, RenderOptions, RenderedLetter, MAX_LETTER_BYTES};
pub use sign::{sign_pdf, DigestAlgorithm, RsaSoftwareSigner, SignOptions, Signer};
pub use testca::{export_pkcs12, import_pkcs12, IssueSpec, TestAuthority, Usage};
pub use verify::{verify, verify_with_trust, VerifyReport};

/// Everything that can go wrong while writing, signing or verifying a letter.
/// Messages say what and where, Chinese first, English beside it.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// A required field of the content is empty or malformed.
    #[error("决定书内容有误：{0} / Invalid letter content: {0}")]
    Content(String),
    /// No usable font was found for a role.
    #[error("找不到可用字体（{role}）：{detail} / No usable font for {role}: {detail}")]
    FontMissing { role: String, detail: String },
    /// A font file could not be read or parsed.
    #[error("字体文件无法读取 {path}：{reason} / Cannot load font {path}: {reason}")]
    FontLoad { path: String, reason: String },
    /// The text holds a character the chosen font cannot draw.
    #[error("字体 {font} 不含字符“{ch}”（U+{code:04X}）/ Font {font} has no glyph for '{ch}' (U+{code:04X})")]
    MissingGlyph { ch: char, code: u32, font: String },
    /// The letter cannot be laid out (e.g. a word longer than a line).
    #[error("排版失败：{0} / Layout failed: {0}")]
    Layout(String),
    /// The PDF came out larger than allowed: almost always a font that was
    /// embedded whole instead of subset.
    #[error("决定书 PDF 过大：{bytes} 字节，上限 {limit} 字节（字体可能未子集化）/ Letter PDF is {bytes} bytes, over the {limit}-byte limit (font not subset?)")]
    TooLarge { bytes: usize, limit: usize },
    /// printpdf reported an error while writing.
    #[error("生成 PDF 失败：{0} / PDF generation failed: {0}")]
    Pdf(String),
    /// Signing failed.
    #[error("签名失败：{0} / Signing failed: {0}")]
    Sign(String),
    /// A certificate, key or PKCS#12 file could not be used.
    #[error("证书或密钥有误：{0} / Certificate or key problem: {0}")]
    Certificate(String),
    /// The PKCS#12 password was wrong (or the file is damaged).
    #[error("证书文件密码错误或文件已损坏 / Wrong PKCS#12 password or damaged file")]
    Pkcs12Password,
}

impl LetterError {
    /// Stable code for scripts and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            LetterError::Content(_) => "letter_content",
            LetterError::FontMissing { .. } => "letter_font_missing",
            LetterError::FontLoad { .. } => "letter_font_load",
            LetterError::MissingGlyph { .. } => "letter_missing_glyph",
            LetterError::Layout(_) => "letter_layout",
            LetterError::TooLarge { .. } => "letter_too_large",
            LetterError::Pdf(_) => "letter_pdf",
            LetterError::Sign(_) => "letter_sign",
            LetterError::Certificate(_) => "letter_certificate",
            LetterError::Pkcs12Password => "letter_pkcs12_password",
        }
    }
}

/// Result type of this module.
pub type Result<T> = std::result::Result<T, LetterError>;
