//! The command line's grammar (clap): global options, commands and their
//! arguments. What each command does is in `commands/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "reviewdesk",
    version,
    about = "评审工作台命令行 / ReviewDesk command line",
    long_about = "评审工作台命令行：导入申报表、查看申报、核验审计链。\nReviewDesk command line: import application workbooks, show applications, verify the audit trail.\n\nThe store defaults to $REVIEWDESK_DATA_DIR/reviewdesk.db or the user's data directory."
)]
pub(crate) struct Cli {
    /// The store (SQLite file). Default: the workstation's store in the user's data directory.
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// No longer accepted: a typed name identifies nobody (use --identity).
    #[arg(long, global = true, value_name = "NAME", hide = true)]
    pub(crate) reviewer: Option<String>,
    /// The acting person: a .p12 file or a pkcs11: URI (else
    /// $REVIEWDESK_IDENTITY); password from $REVIEWDESK_IDENTITY_PASSWORD or
    /// a prompt. Every command that records an act needs it.
    #[arg(long, global = true, value_name = "FILE.p12|pkcs11:…")]
    pub(crate) identity: Option<String>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Import application workbooks (files or folders).
    Import {
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// The receipt date (受理日期) of every file of this call, YYYY-MM-DD
        /// (default: today; before today needs --reason).
        #[arg(long, value_name = "DATE")]
        received: Option<String>,
        /// Why the receipt date is before today (e.g. 邮寄，以邮戳日期为准).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// List applications (latest version of each).
    List,
    /// Show one application's values with their raw text and source cells.
    Show {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// Audit trail commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Score every applicant of a round with its guide and store the results.
    Score {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// Explain an applicant's evaluation: eligibility, scores, awards, line by line.
    Explain {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// A round's scoring: close it (评审结束: asked by one person, confirmed
    /// by another, an approver) or reopen it with a reason.
    Round {
        #[command(subcommand)]
        command: RoundCommand,
    },
    /// Two-person decisions: propose, approve (another reviewer), return,
    /// amend or revoke an issued one.
    Decide {
        #[command(subcommand)]
        command: DecideCommand,
    },
    /// Record a reviewer's points for a qualitative (panel) factor.
    Panel {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        clause: String,
        #[arg(long)]
        project: String,
        #[arg(long)]
        factor: String,
        #[arg(long)]
        points: String,
    },
    /// Declare a conflict of interest with an applicant (blocks scoring it).
    Conflict {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        reason: String,
    },
    /// Record a certified value (核定值) beside a declared figure.
    Certify {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        clause: Option<String>,
        #[arg(long)]
        project: Option<String>,
        #[arg(long)]
        field: String,
        /// The certified value; money in yuan.
        #[arg(long)]
        value: String,
        #[arg(long)]
        reason: String,
        /// Evidence file (PDF or image) kept in the store.
        #[arg(long)]
        evidence: Option<PathBuf>,
    },
    /// Overrule one failed eligibility rule, with a written reason.
    Overrule {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        clause: String,
        #[arg(long)]
        project: String,
        /// The rule id shown by `explain` (e.g. district, C1.conditions[0]).
        #[arg(long)]
        rule: String,
        #[arg(long)]
        reason: String,
    },
    /// Run the sample round end to end in a fresh store inside DIR: import,
    /// score, propose, approve with a test certificate, write signed letters.
    Demo {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Verify a signed letter: signature, integrity, register, content.
    Verify {
        #[arg(value_name = "LETTER.pdf")]
        letter: PathBuf,
        /// Trust anchor (the test CA's or the bureau's CA certificate, PEM).
        /// Without it: the workstation's trust anchors when --db is the
        /// workstation's own store, else none (trust is not judged).
        #[arg(long, value_name = "CA.pem")]
        ca: Option<PathBuf>,
    },
    /// Back up the store (online backup, checked; generations kept).
    Backup {
        /// Folder for backups. Default: `backups/` beside the store.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// How many backups to keep.
        #[arg(long, default_value_t = 10)]
        keep: usize,
    },
    /// Replace the store with a backup, after the backup passes its checks.
    Restore {
        #[arg(value_name = "BACKUP")]
        backup: PathBuf,
        /// Why a backup older than letters already issued must be restored
        /// anyway (numbering then continues above the highest ever issued).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Check the store: integrity, foreign keys, cipher pages, audit chain.
    Check,
    /// Change the store's passphrase (re-wraps the data key; the database is
    /// not rewritten). The current passphrase or REVIEWDESK_RECOVERY_KEY
    /// proves the right; the new one is prompted twice, or taken from
    /// REVIEWDESK_NEW_PASSPHRASE.
    Passphrase,
    /// The annual guide: check a file, show a round's guide.
    Guide {
        #[command(subcommand)]
        command: GuideCommand,
    },
    /// Issued letters: the register, delivery (送达) and voiding.
    Letter {
        #[command(subcommand)]
        command: crate::commands::letter::LetterCommand,
    },
    /// Export the round's applications with evaluations and decisions
    /// (.xlsx or .csv by extension; formula-like text neutralised).
    Export {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        /// The .xlsx or .csv file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE.xlsx|FILE.csv")]
        output: PathBuf,
    },
    /// The round's awards per clause and in total against the guide's budget
    /// (over budget flagged; the pro-rata reduction when the guide says so).
    Budget {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// Compare two versions of an applicant's workbook field by field
    /// (default: the last two).
    Diff {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long, value_name = "N")]
        from: Option<i64>,
        #[arg(long, value_name = "M")]
        to: Option<i64>,
    },
    /// Link a workbook kept under a provisional identity (no valid credit
    /// code) to its corrected version's credit code; without arguments, list
    /// the suggested links.
    Link {
        #[arg(value_name = "PROVISIONAL_KEY", requires = "credit_code")]
        provisional_key: Option<String>,
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: Option<String>,
    },
    /// A test CA and its people (training; real certificates come from the
    /// bureau's CA).
    Ca {
        #[command(subcommand)]
        command: crate::commands::people::CaCommand,
    },
    /// The roster: who holds which roles, by certificate.
    Roster {
        #[command(subcommand)]
        command: crate::commands::people::RosterCommand,
    },
    /// The CAs the store trusts.
    Trust {
        #[command(subcommand)]
        command: crate::commands::people::TrustCommand,
    },
    /// Write the round's blank application workbook (申报表模板).
    Template {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        /// The .xlsx file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE.xlsx")]
        output: PathBuf,
    },
    /// The managed lists the rules read (blacklist, platforms, AI+ library,
    /// other policies' ledgers): import one for a round (an administrator).
    Lists {
        #[command(subcommand)]
        command: crate::commands::operations::ListsCommand,
    },
    /// The payment ledger (资金拨付台账): export it for finance, import
    /// finance's payment columns back.
    Ledger {
        #[command(subcommand)]
        command: crate::commands::operations::LedgerCommand,
    },
    /// The working-day calendar (工作日历) the 公示 period is counted on.
    Calendar {
        #[command(subcommand)]
        command: crate::commands::notice::CalendarCommand,
    },
    /// 公示 (public notice) of a round's awards, and objections (异议).
    Notice {
        #[command(subcommand)]
        command: crate::commands::notice::NoticeCommand,
    },
    /// One round, many laptops: round packages (home → laptop) and review
    /// packages (laptop → home), signed and encrypted.
    Package {
        #[command(subcommand)]
        command: PackageCommand,
    },
    /// Clawback (追回): finding, prior notice, response, revocation, the
    /// recovery letter and the money recovered against the ledger.
    Clawback {
        #[command(subcommand)]
        command: crate::commands::clawback::ClawbackCommand,
    },
    /// Performance evaluation (绩效评价) of supported projects.
    Evaluation {
        #[command(subcommand)]
        command: crate::commands::operations::EvaluationCommand,
    },
    /// Assign applications of a round (or one clause of them) to a reviewer
    /// on the roster (an administrator or an approver; signed, audited).
    Assign {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(required = true, value_name = "CREDIT_CODE")]
        codes: Vec<String>,
        /// The reviewer: a certificate fingerprint or a holder's name.
        #[arg(long, value_name = "FINGERPRINT|HOLDER")]
        to: String,
        /// Only this clause of each application (C1, C2a, C2b, C3, C4).
        #[arg(long)]
        clause: Option<String>,
    },
    /// A round's assignments with each person's progress (8 / 12 评完).
    Assignments {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// The reviewers' panel points side by side per project, the widest
    /// spread first (above the guide's panel.disagreement_threshold: marked).
    Compare {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// Internal notes on an application (audited, never in letters).
    Note {
        #[command(subcommand)]
        command: crate::commands::desk::NoteCommand,
    },
    /// Labels on an application (the list can filter by them).
    Label {
        #[command(subcommand)]
        command: crate::commands::desk::LabelCommand,
    },
}

#[derive(Subcommand)]
pub(crate) enum PackageCommand {
    /// On the round's home with --to: a round package for the named
    /// people; elsewhere: a review package for the home.
    Export {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        /// A recipient's certificate (PEM or DER); repeat for several.
        #[arg(long = "to", value_name = "PERSON.pem")]
        to: Vec<PathBuf>,
        /// The package file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Check a package whole and apply it (one transaction).
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The bureau's CA, pinned on a new store's first import.
        #[arg(long, value_name = "CA.pem")]
        ca: Option<PathBuf>,
    },
    /// On the round's home (register office or administrator): hand the
    /// home over to the person named; this store stops issuing.
    Handover {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        /// The certificate of the person whose store becomes the home.
        #[arg(long = "to", value_name = "PERSON.pem")]
        to: PathBuf,
        /// The package file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum RoundCommand {
    /// Ask to close the round's scoring, or (another person, an approver)
    /// confirm the request: then nothing the awards rest on changes, and
    /// pro rata shares the budget over the whole round.
    Close {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// Reopen a closed round (or withdraw a request to close it).
    Reopen {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum DecideCommand {
    /// Propose the current evaluation as the decision.
    Propose {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// Approve a proposed decision (must be another reviewer).
    Approve {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
    },
    /// Return a proposed decision with a comment.
    Return {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        comment: String,
    },
    /// Propose amending an issued decision (变更): a new decision, approved by
    /// another person, whose letter takes a new number and cites the old.
    /// Amending again while it is proposed takes the figures as they are now.
    Amend {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        /// Why (e.g. 金额录入错误，重新核定).
        #[arg(long)]
        reason: String,
    },
    /// Propose revoking an issued decision (撤销), approved by another person.
    Revoke {
        #[arg(value_name = "CREDIT_CODE")]
        credit_code: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum GuideCommand {
    /// Validate a guide file and report every problem with its key path.
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Show the guide a round is bound to (or the shipped one).
    Show {
        #[arg(long, default_value_t = 2026)]
        round: i32,
    },
    /// What binding a round to a guide file would change, key by key
    /// (the file is checked first); changes nothing.
    Diff {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Bind a round to a guide file (the bureau's edited copy), until the
    /// round's first decision; audited.
    Use {
        #[arg(long, default_value_t = 2026)]
        round: i32,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Recompute the hash chain and name the first bad entry; with
    /// --against, also prove the log still extends a signed head statement.
    Verify {
        /// A signed head statement (from `audit head --sign`).
        #[arg(long, value_name = "STATEMENT.pdf")]
        against: Option<PathBuf>,
        /// Trust anchor for the statement's signature (CA certificate, PEM).
        #[arg(long, value_name = "CA.pem", requires = "against")]
        ca: Option<PathBuf>,
    },
    /// Print the chain head (sequence number and hash); with --sign, write a
    /// signed statement of it for the bureau to file.
    Head {
        #[arg(long, requires_all = ["p12", "output"])]
        sign: bool,
        /// The signer's PKCS#12 file (password in $REVIEWDESK_P12_PASSWORD).
        #[arg(long, value_name = "FILE.p12", requires = "sign")]
        p12: Option<PathBuf>,
        /// The statement to write (a signed PDF).
        #[arg(
            short = 'o',
            long = "output",
            value_name = "STATEMENT.pdf",
            requires = "sign"
        )]
        output: Option<PathBuf>,
    },
}
