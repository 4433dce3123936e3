//! Where letter files go: `<data dir>/letters/<number>.pdf` for each issued
//! letter (its register number is unique, so is the file), and
//! `<data dir>/letters/print/` for copies to print. The signed bytes in the
//! store are the original; these files are copies, written again whenever
//! they are missing or differ.

use std::path::{Path, PathBuf};

use super::{write_atomic, RegisterError};

/// Characters no file system takes in a file name.
const UNSAFE: &str = "/\\:*?\"<>|";

/// The folder of the issued letters.
pub fn letters_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("letters")
}

/// The folder of the copies written to print.
pub fn print_dir(data_dir: &Path) -> PathBuf {
    letters_dir(data_dir).join("print")
}

/// The file name of letter `number`: the number with characters no file
/// system accepts replaced by `_`, and `.pdf`.
pub fn file_name(number: &str) -> String {
    format!("{}.pdf", safe(number))
}

fn safe(number: &str) -> String {
    number
        .chars()
        .map(|c| if UNSAFE.contains(c) { '_' } else { c })
        .collect()
}

/// The file letter `number` is kept in.
pub fn letter_path(data_dir: &Path, number: &str) -> PathBuf {
    letters_dir(data_dir).join(file_name(number))
}

/// Keep letter `number`'s bytes in its file (written atomically, and only
/// when the file on disk is missing or differs). Returns the file.
pub fn write_letter(data_dir: &Path, number: &str, pdf: &[u8]) -> Result<PathBuf, RegisterError> {
    let path = letter_path(data_dir, number);
    if std::fs::read(&path).ok().as_deref() != Some(pdf) {
        write_atomic(&path, pdf)?;
    }
    Ok(path)
}

/// Write `pdf` as letter `number` in the folder `dir` the person chose (0600).
pub fn write_letter_in(dir: &Path, number: &str, pdf: &[u8]) -> Result<PathBuf, RegisterError> {
    let path = dir.join(file_name(number));
    if std::fs::read(&path).ok().as_deref() != Some(pdf) {
        write_atomic(&path, pdf)?;
    }
    Ok(path)
}

/// The file name of a print copy of `numbers` made at `stamp`
/// (e.g. `20261126-093000`): the number for one letter, the count for more.
pub fn print_file_name(numbers: &[String], stamp: &str) -> String {
    match numbers {
        [one] => format!("打印-{}-{stamp}.pdf", safe(one)),
        _ => format!("打印-{}份-{stamp}.pdf", numbers.len()),
    }
}

/// Write a print copy of `numbers` into the print folder. Returns the file.
pub fn write_print_copy(
    data_dir: &Path,
    numbers: &[String],
    stamp: &str,
    pdf: &[u8],
) -> Result<PathBuf, RegisterError> {
    let path = print_dir(data_dir).join(print_file_name(numbers, stamp));
    write_atomic(&path, pdf)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_file_is_named_by_its_number_and_written_whole() {
        let tmp = tempfile::tempdir().expect("tmp");
        let p = letter_path(tmp.path(), "渝中大数据发〔2026〕12号");
        assert_eq!(
            p.file_name().and_then(|n| n.to_str()),
            Some("渝中大数据发〔2026〕12号.pdf")
        );
        assert_eq!(file_name("a/b\\c:d"), "a_b_c_d.pdf");
        let written = write_letter(tmp.path(), "a/b", b"%PDF-1").expect("write");
        assert_eq!(written, letters_dir(tmp.path()).join("a_b.pdf"));
        assert_eq!(std::fs::read(&written).expect("read"), b"%PDF-1");
        write_letter(tmp.path(), "a/b", b"%PDF-2").expect("again");
        assert_eq!(std::fs::read(&written).expect("read"), b"%PDF-2");
        let names: Vec<_> = std::fs::read_dir(letters_dir(tmp.path()))
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");

        let one = ["渝中大数据发〔2026〕1号".to_string()];
        let p = write_print_copy(tmp.path(), &one, "20261126-093000", b"x").expect("print");
        assert_eq!(
            p,
            print_dir(tmp.path()).join("打印-渝中大数据发〔2026〕1号-20261126-093000.pdf")
        );
        assert_eq!(
            print_file_name(&[one[0].clone(), "b".into()], "s"),
            "打印-2份-s.pdf"
        );
    }

    #[test]
    fn a_write_that_cannot_happen_says_where() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("letters"), b"a file, not a folder").expect("write");
        let e = write_letter(tmp.path(), "n", b"x").expect_err("letters is a file");
        assert_eq!(e.code(), "io");
        assert!(e.to_string().contains("letters"), "{e}");
    }
}
