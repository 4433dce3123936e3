//! Versioned schema migrations, a small runner over `PRAGMA user_version`:
//! each migration runs in one transaction; an existing store is backed up
//! before it is migrated; a store newer than this program is refused.

use super::Store;
use crate::error::{EngineError, Result};

/// Migration N (1-based) brings the schema from version N-1 to N.
const MIGRATIONS: &[&str] = &[
    // 1: foundation — meta, original files, applicants, submission versions, audit.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    -- Original bytes of every imported file, content-addressed.
    CREATE TABLE blobs (
        hash  TEXT PRIMARY KEY,             -- sha256 hex
        size  INTEGER NOT NULL,
        bytes BLOB NOT NULL
    );
    -- An applicant is its credit code; a workbook without a valid code is
    -- kept under a provisional key until a reviewer links it.
    CREATE TABLE applicants (
        id              INTEGER PRIMARY KEY,
        credit_code     TEXT UNIQUE,
        provisional_key TEXT UNIQUE,
        name            TEXT,
        linked_to       INTEGER REFERENCES applicants(id),
        created_at      TEXT NOT NULL,
        CHECK (credit_code IS NOT NULL OR provisional_key IS NOT NULL)
    );
    -- One row per imported version of an applicant's workbook in a round.
    CREATE TABLE submissions (
        id             INTEGER PRIMARY KEY,
        applicant_id   INTEGER NOT NULL REFERENCES applicants(id),
        round_year     INTEGER,
        version        INTEGER NOT NULL,
        file_name      TEXT NOT NULL,
        file_hash      TEXT NOT NULL REFERENCES blobs(hash),
        format         TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('ok', 'needs_correction')),
        applicant_name TEXT,
        district       TEXT,
        clauses        TEXT NOT NULL,         -- JSON array of clause ids
        error_count    INTEGER NOT NULL,
        warning_count  INTEGER NOT NULL,
        extraction     TEXT NOT NULL,         -- JSON: every value with raw text and source cell, and the issues
        imported_at    TEXT NOT NULL,
        imported_by    TEXT NOT NULL,
        UNIQUE (applicant_id, round_year, version)
    );
    CREATE INDEX submissions_file_hash ON submissions(file_hash);
    -- Append-only, hash-chained audit trail.
    CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        subject   TEXT NOT NULL,
        detail    TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
    "#,
    // 2: rules — rounds bound to a guide version, reviewers' inputs, stored
    // evaluations and two-person decisions.
    r#"
    CREATE TABLE guides (
        hash      TEXT PRIMARY KEY,           -- sha256 of the exact text
        text      TEXT NOT NULL,
        loaded_at TEXT NOT NULL
    );
    CREATE TABLE rounds (
        year       INTEGER PRIMARY KEY,
        guide_hash TEXT NOT NULL REFERENCES guides(hash),
        created_at TEXT NOT NULL
    );
    CREATE TABLE panel_scores (
        id           INTEGER PRIMARY KEY,
        applicant_id INTEGER NOT NULL REFERENCES applicants(id),
        round_year   INTEGER NOT NULL REFERENCES rounds(year),
        clause       TEXT NOT NULL,
        project      TEXT NOT NULL,
        factor       TEXT NOT NULL,
        reviewer     TEXT NOT NULL,
        points       TEXT NOT NULL,             -- exact decimal
        at           TEXT NOT NULL,
        UNIQUE (applicant_id, round_year, clause, project, factor, reviewer)
    );
    CREATE TABLE conflicts (
        reviewer    TEXT NOT NULL,
        credit_code TEXT NOT NULL,
        reason      TEXT NOT NULL,
        declared_at TEXT NOT NULL,
        PRIMARY KEY (reviewer, credit_code)
    );
    CREATE TABLE certified_values (
        id            INTEGER PRIMARY KEY,
        applicant_id  INTEGER NOT NULL REFERENCES applicants(id),
        round_year    INTEGER NOT NULL REFERENCES rounds(year),
        clause        TEXT,
        project       TEXT,
        field         TEXT NOT NULL,
        value         TEXT NOT NULL,            -- exact decimal, yuan for money
        reason        TEXT NOT NULL,
        evidence_hash TEXT REFERENCES blobs(hash),
        evidence_name TEXT,
        by            TEXT NOT NULL,
        at            TEXT NOT NULL
    );
    CREATE TABLE overrules (
        id           INTEGER PRIMARY KEY,
        applicant_id INTEGER NOT NULL REFERENCES applicants(id),
        round_year   INTEGER NOT NULL REFERENCES rounds(year),
        clause       TEXT NOT NULL,
        project      TEXT NOT NULL,
        rule         TEXT NOT NULL,
        reason       TEXT NOT NULL,
        by           TEXT NOT NULL,
        at           TEXT NOT NULL
    );
    -- The latest computed evaluation of each applicant in a round.
    CREATE TABLE evaluations (
        applicant_id  INTEGER NOT NULL REFERENCES applicants(id),
        round_year    INTEGER NOT NULL REFERENCES rounds(year),
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        guide_hash    TEXT NOT NULL REFERENCES guides(hash),
        result        TEXT NOT NULL,            -- JSON Evaluation
        computed_at   TEXT NOT NULL,
        PRIMARY KEY (applicant_id, round_year)
    );
    -- Two-person decisions; an approved decision's figures are frozen.
    CREATE TABLE decisions (
        id            INTEGER PRIMARY KEY,
        applicant_id  INTEGER NOT NULL REFERENCES applicants(id),
        round_year    INTEGER NOT NULL REFERENCES rounds(year),
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        guide_hash    TEXT NOT NULL REFERENCES guides(hash),
        state         TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'returned', 'issued')),
        figures       TEXT NOT NULL,            -- JSON Evaluation, frozen at approval
        proposed_by   TEXT NOT NULL,
        proposed_at   TEXT NOT NULL,
        approved_by   TEXT,
        approved_at   TEXT,
        approver_id   TEXT,                     -- the approver's identity (certificate subject)
        comment       TEXT
    );
    CREATE INDEX decisions_applicant ON decisions(applicant_id, round_year);
    CREATE TRIGGER decisions_frozen BEFORE UPDATE OF figures, guide_hash, submission_id ON decisions
        WHEN OLD.state IN ('approved', 'issued')
        BEGIN SELECT RAISE(ABORT, 'an approved decision is frozen'); END;
    "#,
    // 3: the letter register — gapless numbers per year, never reused.
    r#"
    CREATE TABLE register (
        year          INTEGER NOT NULL,
        seq           INTEGER NOT NULL,
        number        TEXT NOT NULL UNIQUE,
        kind          TEXT NOT NULL CHECK (kind IN ('approval', 'refusal', 'correction')),
        applicant_id  INTEGER REFERENCES applicants(id),
        credit_code   TEXT,
        decision_id   INTEGER REFERENCES decisions(id),
        submission_id INTEGER REFERENCES submissions(id),
        letter_hash   TEXT NOT NULL REFERENCES blobs(hash),
        signer        TEXT NOT NULL,
        amount_yuan   TEXT,
        issued_at     TEXT NOT NULL,
        voided_at     TEXT,
        void_reason   TEXT,
        PRIMARY KEY (year, seq)
    );
    CREATE INDEX register_hash ON register(letter_hash);
    CREATE TRIGGER register_no_delete BEFORE DELETE ON register
        BEGIN SELECT RAISE(ABORT, 'a register number is never removed'); END;
    "#,
    // v4: delivery (送达) and voiding of issued letters. What was issued never
    // changes; a delivery and a voiding are each recorded once.
    r#"
    ALTER TABLE register ADD COLUMN delivered_on TEXT;
    ALTER TABLE register ADD COLUMN delivery_method TEXT;
    ALTER TABLE register ADD COLUMN voided_by TEXT;
    ALTER TABLE register ADD COLUMN content TEXT;
    CREATE TRIGGER register_issued_frozen BEFORE UPDATE OF
        year, seq, number, kind, applicant_id, credit_code, decision_id, submission_id,
        letter_hash, signer, amount_yuan, issued_at, content ON register
        BEGIN SELECT RAISE(ABORT, 'an issued letter never changes'); END;
    CREATE TRIGGER register_delivery_once BEFORE UPDATE OF delivered_on, delivery_method ON register
        WHEN OLD.delivered_on IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a delivery is recorded once'); END;
    CREATE TRIGGER register_void_once BEFORE UPDATE OF voided_at, void_reason, voided_by ON register
        WHEN OLD.voided_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a voided letter stays void'); END;
    "#,
    // 4: people and keys. Each audit entry made by a person carries their
    // certificate's fingerprint and their signature over the act; the
    // roster says which certificate holds which roles; the trusted CAs are
    // exactly those an administrator configured. Roster and trust rows are
    // never deleted: a removal is a dated row of its own.
    r#"
    ALTER TABLE audit ADD COLUMN actor_fp TEXT;
    ALTER TABLE audit ADD COLUMN act_sig TEXT;
    -- the certificate of everyone who ever signed an act, by fingerprint
    CREATE TABLE signers (
        fingerprint TEXT PRIMARY KEY,
        cert        BLOB NOT NULL
    );
    CREATE TRIGGER signers_no_update BEFORE UPDATE ON signers
        BEGIN SELECT RAISE(ABORT, 'a signer certificate never changes'); END;
    CREATE TRIGGER signers_no_delete BEFORE DELETE ON signers
        BEGIN SELECT RAISE(ABORT, 'a signer certificate is never deleted'); END;
    CREATE TABLE trusted_cas (
        sha256      TEXT PRIMARY KEY,
        cert        BLOB NOT NULL,
        subject     TEXT NOT NULL,
        test        INTEGER NOT NULL,
        added_by    TEXT NOT NULL,
        added_at    TEXT NOT NULL,
        removed_at  TEXT
    );
    CREATE TABLE roster (
        fingerprint TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        cert        BLOB NOT NULL,
        roles       TEXT NOT NULL,
        added_by    TEXT NOT NULL,
        added_at    TEXT NOT NULL,
        removed_at  TEXT
    );
    CREATE TRIGGER roster_no_delete BEFORE DELETE ON roster
        BEGIN SELECT RAISE(ABORT, 'roster entries are never deleted'); END;
    CREATE TRIGGER trusted_cas_no_delete BEFORE DELETE ON trusted_cas
        BEGIN SELECT RAISE(ABORT, 'trusted CAs are never deleted'); END;
    -- four-eyes on keys: the proposer's certificate beside their name
    ALTER TABLE decisions ADD COLUMN proposer_fp TEXT;
    -- an approved decision freezes whole: the one change left is its
    -- issue (approved -> issued, nothing else), and it is never deleted
    DROP TRIGGER decisions_frozen;
    CREATE TRIGGER decisions_frozen BEFORE UPDATE ON decisions
        WHEN OLD.state IN ('approved', 'issued') AND NOT (
            OLD.state = 'approved' AND NEW.state = 'issued'
            AND NEW.id IS OLD.id AND NEW.applicant_id IS OLD.applicant_id
            AND NEW.round_year IS OLD.round_year AND NEW.submission_id IS OLD.submission_id
            AND NEW.guide_hash IS OLD.guide_hash AND NEW.figures IS OLD.figures
            AND NEW.proposed_by IS OLD.proposed_by AND NEW.proposed_at IS OLD.proposed_at
            AND NEW.approved_by IS OLD.approved_by AND NEW.approved_at IS OLD.approved_at
            AND NEW.approver_id IS OLD.approver_id AND NEW.comment IS OLD.comment
            AND NEW.proposer_fp IS OLD.proposer_fp)
        BEGIN SELECT RAISE(ABORT, 'an approved decision is frozen'); END;
    CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
        WHEN OLD.state IN ('approved', 'issued')
        BEGIN SELECT RAISE(ABORT, 'an approved decision is never deleted'); END;
    "#,
    // 5: the receipt date (受理日期) of each submission, kept as recorded.
    r#"
    CREATE TABLE receipts (
        submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
        received_on   TEXT NOT NULL,
        reason        TEXT,
        recorded_by   TEXT NOT NULL,
        recorded_at   TEXT NOT NULL
    );
    CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
        BEGIN SELECT RAISE(ABORT, 'a receipt date is kept as recorded'); END;
    CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
        BEGIN SELECT RAISE(ABORT, 'a receipt date is kept as recorded'); END;
    "#,
    // 6: a person's encryption certificate beside their signing one (Chinese
    // UKeys carry both): what round packages are encrypted to. Optional; a
    // person without one is encrypted to their signing certificate.
    r#"
    ALTER TABLE roster ADD COLUMN enc_cert BLOB;
    ALTER TABLE roster ADD COLUMN enc_fingerprint TEXT;
    "#,
    // 7: amending and revoking issued decisions (变更 / 撤销), and closing a
    // round's scoring (评审结束). A change is a new decision that names the
    // issued one it changes; its letter takes a new number, cites the old
    // letters, and the old entries are marked replaced (once). The register
    // is rebuilt to admit the two new kinds (SQLite cannot widen a CHECK);
    // its rows, index and triggers come over unchanged.
    r#"
    ALTER TABLE decisions ADD COLUMN amends INTEGER REFERENCES decisions(id);
    ALTER TABLE decisions ADD COLUMN change_kind TEXT
        CHECK (change_kind IS NULL OR change_kind IN ('amendment', 'revocation'));
    ALTER TABLE decisions ADD COLUMN change_reason TEXT;
    DROP TRIGGER decisions_frozen;
    CREATE TRIGGER decisions_frozen BEFORE UPDATE ON decisions
        WHEN OLD.state IN ('approved', 'issued') AND NOT (
            OLD.state = 'approved' AND NEW.state = 'issued'
            AND NEW.id IS OLD.id AND NEW.applicant_id IS OLD.applicant_id
            AND NEW.round_year IS OLD.round_year AND NEW.submission_id IS OLD.submission_id
            AND NEW.guide_hash IS OLD.guide_hash AND NEW.figures IS OLD.figures
            AND NEW.proposed_by IS OLD.proposed_by AND NEW.proposed_at IS OLD.proposed_at
            AND NEW.approved_by IS OLD.approved_by AND NEW.approved_at IS OLD.approved_at
            AND NEW.approver_id IS OLD.approver_id AND NEW.comment IS OLD.comment
            AND NEW.proposer_fp IS OLD.proposer_fp AND NEW.amends IS OLD.amends
            AND NEW.change_kind IS OLD.change_kind AND NEW.change_reason IS OLD.change_reason)
        BEGIN SELECT RAISE(ABORT, 'an approved decision is frozen'); END;
    CREATE TABLE register_v7 (
        year            INTEGER NOT NULL,
        seq             INTEGER NOT NULL,
        number          TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL CHECK (kind IN
                          ('approval', 'refusal', 'correction', 'amendment', 'revocation')),
        applicant_id    INTEGER REFERENCES applicants(id),
        credit_code     TEXT,
        decision_id     INTEGER REFERENCES decisions(id),
        submission_id   INTEGER REFERENCES submissions(id),
        letter_hash     TEXT NOT NULL REFERENCES blobs(hash),
        signer          TEXT NOT NULL,
        amount_yuan     TEXT,
        issued_at       TEXT NOT NULL,
        voided_at       TEXT,
        void_reason     TEXT,
        delivered_on    TEXT,
        delivery_method TEXT,
        voided_by       TEXT,
        content         TEXT,
        replaced_by     TEXT,
        PRIMARY KEY (year, seq)
    );
    INSERT INTO register_v7 (year, seq, number, kind, applicant_id, credit_code, decision_id,
        submission_id, letter_hash, signer, amount_yuan, issued_at, voided_at, void_reason,
        delivered_on, delivery_method, voided_by, content)
      SELECT year, seq, number, kind, applicant_id, credit_code, decision_id,
        submission_id, letter_hash, signer, amount_yuan, issued_at, voided_at, void_reason,
        delivered_on, delivery_method, voided_by, content FROM register;
    DROP TABLE register;
    ALTER TABLE register_v7 RENAME TO register;
    CREATE INDEX register_hash ON register(letter_hash);
    CREATE TRIGGER register_no_delete BEFORE DELETE ON register
        BEGIN SELECT RAISE(ABORT, 'a register number is never removed'); END;
    CREATE TRIGGER register_issued_frozen BEFORE UPDATE OF
        year, seq, number, kind, applicant_id, credit_code, decision_id, submission_id,
        letter_hash, signer, amount_yuan, issued_at, content ON register
        BEGIN SELECT RAISE(ABORT, 'an issued letter never changes'); END;
    CREATE TRIGGER register_delivery_once BEFORE UPDATE OF delivered_on, delivery_method ON register
        WHEN OLD.delivered_on IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a delivery is recorded once'); END;
    CREATE TRIGGER register_void_once BEFORE UPDATE OF voided_at, void_reason, voided_by ON register
        WHEN OLD.voided_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a voided letter stays void'); END;
    CREATE TRIGGER register_replaced_once BEFORE UPDATE OF replaced_by ON register
        WHEN OLD.replaced_by IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a letter is replaced once'); END;
    -- closing a round's scoring: requested by one person, confirmed by
    -- another (an approver); reopening needs a reason. The last act says
    -- where the round stands.
    CREATE TABLE round_closing (
        id          INTEGER PRIMARY KEY,
        round_year  INTEGER NOT NULL REFERENCES rounds(year),
        act         TEXT NOT NULL CHECK (act IN ('request', 'close', 'reopen')),
        by_name     TEXT NOT NULL,
        by_fp       TEXT,
        reason      TEXT,
        at          TEXT NOT NULL
    );
    CREATE TRIGGER round_closing_kept BEFORE UPDATE ON round_closing
        BEGIN SELECT RAISE(ABORT, 'a round closing act is kept as recorded'); END;
    CREATE TRIGGER round_closing_no_delete BEFORE DELETE ON round_closing
        BEGIN SELECT RAISE(ABORT, 'a round closing act is kept as recorded'); END;
    "#,
    // round operations (issue 16): the managed lists the rules read (lists
    // import; the latest of a kind counts, earlier ones kept) with their
    // content hash, the hashes an evaluation read, and the payment ledger
    // (ledger export / import).
    r#"
    CREATE TABLE round_lists (
        id           INTEGER PRIMARY KEY,
        round_year   INTEGER NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('platforms', 'aiplus', 'blacklist', 'other-policy')),
        file_name    TEXT NOT NULL,
        content_hash TEXT NOT NULL REFERENCES blobs(hash),
        entries      TEXT NOT NULL,             -- JSON rows as the rules read them
        imported_by  TEXT NOT NULL,
        imported_at  TEXT NOT NULL
    );
    CREATE TRIGGER round_lists_kept BEFORE UPDATE ON round_lists
        BEGIN SELECT RAISE(ABORT, 'an imported list is kept as imported'); END;
    ALTER TABLE evaluations ADD COLUMN lists TEXT;  -- JSON {kind: content hash} read
    CREATE TABLE payment_ledger (
        id            INTEGER PRIMARY KEY,
        round_year    INTEGER NOT NULL,
        letter_number TEXT NOT NULL,
        clause        TEXT NOT NULL,
        project       TEXT NOT NULL,
        applicant     TEXT NOT NULL,
        credit_code   TEXT NOT NULL,
        bank          TEXT NOT NULL,
        account       TEXT NOT NULL,
        amount_yuan   TEXT NOT NULL,
        letter_sha256 TEXT NOT NULL,
        state         TEXT NOT NULL DEFAULT '待拨付'
                      CHECK (state IN ('待拨付', '已拨付', '部分追回', '已追回')),
        paid_on       TEXT,
        voucher       TEXT,
        paid_yuan     TEXT,
        UNIQUE (letter_number, clause, project)
    );
    "#,
    // notice (公示): the working-day calendar per year (放假 and 调休, as the
    // State Council's notice gives them), the published 公示 lists with
    // their period and the decisions they list, and real-name objections
    // (异议) resolved once. A notice takes its number from the letter
    // register (kind `notice`): the register is rebuilt to admit the kind
    // (SQLite cannot widen a CHECK), its rows, index and triggers unchanged.
    // An upheld objection returns an approved decision to review: the
    // decisions' freeze admits that one change (approved → returned, with
    // the reason as its comment) beside approved → issued.
    r#"
    CREATE TABLE calendar_years (
        year        INTEGER PRIMARY KEY,
        holidays    TEXT NOT NULL,
        workdays    TEXT NOT NULL,
        source      TEXT,
        imported_by TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE notices (
        id           INTEGER PRIMARY KEY,
        round_year   INTEGER NOT NULL REFERENCES rounds(year),
        number       TEXT NOT NULL UNIQUE,
        from_date    TEXT NOT NULL,
        until_date   TEXT NOT NULL,
        working_days INTEGER NOT NULL,
        entries      TEXT NOT NULL,
        published_by TEXT NOT NULL,
        published_at TEXT NOT NULL
    );
    CREATE TABLE notice_decisions (
        notice_id   INTEGER NOT NULL REFERENCES notices(id),
        decision_id INTEGER NOT NULL REFERENCES decisions(id),
        PRIMARY KEY (notice_id, decision_id)
    );
    CREATE TRIGGER notices_kept BEFORE UPDATE ON notices
        BEGIN SELECT RAISE(ABORT, 'a published notice is kept as published'); END;
    CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
        BEGIN SELECT RAISE(ABORT, 'a published notice is kept as published'); END;
    CREATE TABLE objections (
        id           INTEGER PRIMARY KEY,
        round_year   INTEGER NOT NULL REFERENCES rounds(year),
        applicant_id INTEGER NOT NULL REFERENCES applicants(id),
        credit_code  TEXT NOT NULL,
        project      TEXT,
        by_name      TEXT NOT NULL,
        received     TEXT NOT NULL,
        text         TEXT NOT NULL,
        recorded_by  TEXT NOT NULL,
        recorded_fp  TEXT,
        recorded_at  TEXT NOT NULL,
        outcome      TEXT CHECK (outcome IS NULL OR outcome IN ('upheld', 'dismissed')),
        reason       TEXT,
        resolved_by  TEXT,
        resolved_fp  TEXT,
        resolved_at  TEXT
    );
    CREATE TRIGGER objections_resolved_once BEFORE UPDATE ON objections
        WHEN OLD.outcome IS NOT NULL OR NEW.id IS NOT OLD.id
          OR NEW.credit_code IS NOT OLD.credit_code OR NEW.text IS NOT OLD.text
          OR NEW.by_name IS NOT OLD.by_name OR NEW.received IS NOT OLD.received
        BEGIN SELECT RAISE(ABORT, 'an objection is recorded once and resolved once'); END;
    CREATE TRIGGER objections_no_delete BEFORE DELETE ON objections
        BEGIN SELECT RAISE(ABORT, 'an objection is kept as recorded'); END;
    DROP TRIGGER decisions_frozen;
    CREATE TRIGGER decisions_frozen BEFORE UPDATE ON decisions
        WHEN OLD.state IN ('approved', 'issued') AND NOT (
            OLD.state = 'approved' AND NEW.state IN ('issued', 'returned')
            AND NEW.id IS OLD.id AND NEW.applicant_id IS OLD.applicant_id
            AND NEW.round_year IS OLD.round_year AND NEW.submission_id IS OLD.submission_id
            AND NEW.guide_hash IS OLD.guide_hash AND NEW.figures IS OLD.figures
            AND NEW.proposed_by IS OLD.proposed_by AND NEW.proposed_at IS OLD.proposed_at
            AND NEW.approved_by IS OLD.approved_by AND NEW.approved_at IS OLD.approved_at
            AND NEW.approver_id IS OLD.approver_id
            AND (NEW.comment IS OLD.comment OR NEW.state = 'returned')
            AND NEW.proposer_fp IS OLD.proposer_fp AND NEW.amends IS OLD.amends
            AND NEW.change_kind IS OLD.change_kind AND NEW.change_reason IS OLD.change_reason)
        BEGIN SELECT RAISE(ABORT, 'an approved decision is frozen'); END;
    CREATE TABLE register_notice (
        year            INTEGER NOT NULL,
        seq             INTEGER NOT NULL,
        number          TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL CHECK (kind IN
                          ('approval', 'refusal', 'correction', 'amendment', 'revocation',
                           'notice')),
        applicant_id    INTEGER REFERENCES applicants(id),
        credit_code     TEXT,
        decision_id     INTEGER REFERENCES decisions(id),
        submission_id   INTEGER REFERENCES submissions(id),
        letter_hash     TEXT NOT NULL REFERENCES blobs(hash),
        signer          TEXT NOT NULL,
        amount_yuan     TEXT,
        issued_at       TEXT NOT NULL,
        voided_at       TEXT,
        void_reason     TEXT,
        delivered_on    TEXT,
        delivery_method TEXT,
        voided_by       TEXT,
        content         TEXT,
        replaced_by     TEXT,
        PRIMARY KEY (year, seq)
    );
    INSERT INTO register_notice SELECT year, seq, number, kind, applicant_id, credit_code,
        decision_id, submission_id, letter_hash, signer, amount_yuan, issued_at, voided_at,
        void_reason, delivered_on, delivery_method, voided_by, content, replaced_by FROM register;
    DROP TABLE register;
    ALTER TABLE register_notice RENAME TO register;
    CREATE INDEX register_hash ON register(letter_hash);
    CREATE TRIGGER register_no_delete BEFORE DELETE ON register
        BEGIN SELECT RAISE(ABORT, 'a register number is never removed'); END;
    CREATE TRIGGER register_issued_frozen BEFORE UPDATE OF
        year, seq, number, kind, applicant_id, credit_code, decision_id, submission_id,
        letter_hash, signer, amount_yuan, issued_at, content ON register
        BEGIN SELECT RAISE(ABORT, 'an issued letter never changes'); END;
    CREATE TRIGGER register_delivery_once BEFORE UPDATE OF delivered_on, delivery_method ON register
        WHEN OLD.delivered_on IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a delivery is recorded once'); END;
    CREATE TRIGGER register_void_once BEFORE UPDATE OF voided_at, void_reason, voided_by ON register
        WHEN OLD.voided_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a voided letter stays void'); END;
    CREATE TRIGGER register_replaced_once BEFORE UPDATE OF replaced_by ON register
        WHEN OLD.replaced_by IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a letter is replaced once'); END;
    "#,
    // exchange (one round, many laptops): the rounds this store received
    // from their home store by a round package (such a store is not the
    // round's home: it does not issue), the packages applied here (a
    // package applied again changes nothing; an older one from the same
    // store is refused), and what this store last exported.
    r#"
    CREATE TABLE exchange_rounds (
        round_year  INTEGER PRIMARY KEY,
        home_store  TEXT NOT NULL,          -- the home's store identity: its first audit entry's hash
        home_cert   BLOB NOT NULL,          -- the home's exchange certificate (DER)
        received_at TEXT NOT NULL
    );
    CREATE TABLE exchange_packages (
        sha256      TEXT PRIMARY KEY,       -- of the package file
        kind        TEXT NOT NULL CHECK (kind IN ('round', 'review')),
        round_year  INTEGER NOT NULL,
        from_store  TEXT NOT NULL,
        serial      INTEGER NOT NULL,       -- the sender's export counter
        applied     INTEGER NOT NULL,
        applied_at  TEXT NOT NULL
    );
    -- the signed acts applied from another store (applied once)
    CREATE TABLE exchange_acts (
        origin_store TEXT NOT NULL,
        seq          INTEGER NOT NULL,
        action       TEXT NOT NULL,
        applied_at   TEXT NOT NULL,
        PRIMARY KEY (origin_store, seq)
    );
    CREATE TABLE exchange_exports (
        serial      INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        round_year  INTEGER NOT NULL,
        upto_seq    INTEGER NOT NULL,       -- the last audit entry the package carries
        at          TEXT NOT NULL
    );
    "#,
    // ops (issue 16, the rest): clawback (追回) cases — the finding, the
    // prior notice with the right to state one's case (陈述申辩) and its
    // deadline, the response, the revocation decision it led to, the
    // recovery letter — each step set once; the recoveries recorded against
    // the payment ledger (`recovered_yuan`); performance evaluations (绩效评价)
    // per project; an objection's evidence (blob and hash). The register is
    // rebuilt to admit the kinds `recovery_notice` and `recovery` (SQLite
    // cannot widen a CHECK), its rows, index and triggers unchanged.
    r#"
    CREATE TABLE clawbacks (
        id                  INTEGER PRIMARY KEY,
        round_year          INTEGER NOT NULL,
        applicant_id        INTEGER NOT NULL REFERENCES applicants(id),
        credit_code         TEXT NOT NULL,
        reason              TEXT NOT NULL,
        amount_yuan         TEXT NOT NULL,
        evidence_hash       TEXT REFERENCES blobs(hash),
        evidence_name       TEXT,
        found_by            TEXT NOT NULL,
        found_fp            TEXT,
        found_at            TEXT NOT NULL,
        notice_number       TEXT,
        notice_deadline     TEXT,
        notified_at         TEXT,
        response_received   TEXT,
        response_text       TEXT,
        responded_by        TEXT,
        responded_at        TEXT,
        revocation_decision INTEGER REFERENCES decisions(id),
        letter_number       TEXT,
        letter_due          TEXT,
        lettered_at         TEXT
    );
    CREATE TRIGGER clawbacks_steps_once BEFORE UPDATE ON clawbacks
        WHEN NEW.id IS NOT OLD.id OR NEW.credit_code IS NOT OLD.credit_code
          OR NEW.reason IS NOT OLD.reason OR NEW.amount_yuan IS NOT OLD.amount_yuan
          OR NEW.evidence_hash IS NOT OLD.evidence_hash OR NEW.found_by IS NOT OLD.found_by
          OR (OLD.notice_number IS NOT NULL AND NEW.notice_number IS NOT OLD.notice_number)
          OR (OLD.notice_deadline IS NOT NULL AND NEW.notice_deadline IS NOT OLD.notice_deadline)
          OR (OLD.response_text IS NOT NULL AND NEW.response_text IS NOT OLD.response_text)
          OR (OLD.response_received IS NOT NULL
              AND NEW.response_received IS NOT OLD.response_received)
          OR (OLD.revocation_decision IS NOT NULL
              AND NEW.revocation_decision IS NOT OLD.revocation_decision)
          OR (OLD.letter_number IS NOT NULL AND NEW.letter_number IS NOT OLD.letter_number)
        BEGIN SELECT RAISE(ABORT, 'a clawback step is recorded once'); END;
    CREATE TRIGGER clawbacks_no_delete BEFORE DELETE ON clawbacks
        BEGIN SELECT RAISE(ABORT, 'a clawback case is kept'); END;
    CREATE TABLE clawback_recoveries (
        id          INTEGER PRIMARY KEY,
        clawback_id INTEGER NOT NULL REFERENCES clawbacks(id),
        amount_yuan TEXT NOT NULL,
        received_on TEXT NOT NULL,
        voucher     TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_fp TEXT,
        recorded_at TEXT NOT NULL
    );
    CREATE TRIGGER clawback_recoveries_kept BEFORE UPDATE ON clawback_recoveries
        BEGIN SELECT RAISE(ABORT, 'a recorded recovery is kept as recorded'); END;
    CREATE TRIGGER clawback_recoveries_no_delete BEFORE DELETE ON clawback_recoveries
        BEGIN SELECT RAISE(ABORT, 'a recorded recovery is kept as recorded'); END;
    ALTER TABLE payment_ledger ADD COLUMN recovered_yuan TEXT;
    CREATE TABLE performance_evaluations (
        id            INTEGER PRIMARY KEY,
        round_year    INTEGER NOT NULL,
        applicant_id  INTEGER NOT NULL REFERENCES applicants(id),
        credit_code   TEXT NOT NULL,
        project       TEXT NOT NULL,
        met           INTEGER NOT NULL CHECK (met IN (0, 1)),
        evidence_hash TEXT NOT NULL REFERENCES blobs(hash),
        evidence_name TEXT NOT NULL,
        note          TEXT NOT NULL,
        recorded_by   TEXT NOT NULL,
        recorded_fp   TEXT,
        recorded_at   TEXT NOT NULL
    );
    CREATE TRIGGER performance_evaluations_kept BEFORE UPDATE ON performance_evaluations
        BEGIN SELECT RAISE(ABORT, 'a performance evaluation is kept as recorded'); END;
    CREATE TRIGGER performance_evaluations_no_delete BEFORE DELETE ON performance_evaluations
        BEGIN SELECT RAISE(ABORT, 'a performance evaluation is kept as recorded'); END;
    ALTER TABLE objections ADD COLUMN evidence_hash TEXT REFERENCES blobs(hash);
    ALTER TABLE objections ADD COLUMN evidence_name TEXT;
    CREATE TABLE register_clawback (
        year            INTEGER NOT NULL,
        seq             INTEGER NOT NULL,
        number          TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL CHECK (kind IN
                          ('approval', 'refusal', 'correction', 'amendment', 'revocation',
                           'notice', 'recovery_notice', 'recovery')),
        applicant_id    INTEGER REFERENCES applicants(id),
        credit_code     TEXT,
        decision_id     INTEGER REFERENCES decisions(id),
        submission_id   INTEGER REFERENCES submissions(id),
        letter_hash     TEXT NOT NULL REFERENCES blobs(hash),
        signer          TEXT NOT NULL,
        amount_yuan     TEXT,
        issued_at       TEXT NOT NULL,
        voided_at       TEXT,
        void_reason     TEXT,
        delivered_on    TEXT,
        delivery_method TEXT,
        voided_by       TEXT,
        content         TEXT,
        replaced_by     TEXT,
        PRIMARY KEY (year, seq)
    );
    INSERT INTO register_clawback SELECT year, seq, number, kind, applicant_id, credit_code,
        decision_id, submission_id, letter_hash, signer, amount_yuan, issued_at, voided_at,
        void_reason, delivered_on, delivery_method, voided_by, content, replaced_by FROM register;
    DROP TABLE register;
    ALTER TABLE register_clawback RENAME TO register;
    CREATE INDEX register_hash ON register(letter_hash);
    CREATE TRIGGER register_no_delete BEFORE DELETE ON register
        BEGIN SELECT RAISE(ABORT, 'a register number is never removed'); END;
    CREATE TRIGGER register_issued_frozen BEFORE UPDATE OF
        year, seq, number, kind, applicant_id, credit_code, decision_id, submission_id,
        letter_hash, signer, amount_yuan, issued_at, content ON register
        BEGIN SELECT RAISE(ABORT, 'an issued letter never changes'); END;
    CREATE TRIGGER register_delivery_once BEFORE UPDATE OF delivered_on, delivery_method ON register
        WHEN OLD.delivered_on IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a delivery is recorded once'); END;
    CREATE TRIGGER register_void_once BEFORE UPDATE OF voided_at, void_reason, voided_by ON register
        WHEN OLD.voided_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a voided letter stays void'); END;
    CREATE TRIGGER register_replaced_once BEFORE UPDATE OF replaced_by ON register
        WHEN OLD.replaced_by IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a letter is replaced once'); END;
    "#,
    // desk (issue 17, the reviewer's desk): the lead's assignments of a
    // round's applications — the whole application (clause '') or one
    // clause — to roster people; internal notes (kept as written, never
    // changed or deleted) and labels per application, never in letters.
    r#"
    CREATE TABLE assignments (
        id           INTEGER PRIMARY KEY,
        round_year   INTEGER NOT NULL REFERENCES rounds(year),
        applicant_id INTEGER NOT NULL REFERENCES applicants(id),
        clause       TEXT NOT NULL DEFAULT '',   -- '' = the whole application
        holder       TEXT NOT NULL,
        fingerprint  TEXT NOT NULL,
        by_name      TEXT NOT NULL,
        by_fp        TEXT,
        at           TEXT NOT NULL,
        UNIQUE (round_year, applicant_id, clause, fingerprint)
    );
    CREATE INDEX assignments_person ON assignments(fingerprint, round_year);
    CREATE TABLE application_notes (
        id           INTEGER PRIMARY KEY,
        applicant_id INTEGER NOT NULL REFERENCES applicants(id),
        text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
        by_name      TEXT NOT NULL,
        by_fp        TEXT,
        at           TEXT NOT NULL
    );
    CREATE TRIGGER application_notes_kept BEFORE UPDATE ON application_notes
    BEGIN SELECT RAISE(ABORT, 'notes are kept as written'); END;
    CREATE TRIGGER application_notes_no_delete BEFORE DELETE ON application_notes
    BEGIN SELECT RAISE(ABORT, 'notes are kept as written'); END;
    CREATE TABLE application_labels (
        applicant_id INTEGER NOT NULL REFERENCES applicants(id),
        label        TEXT NOT NULL CHECK (length(trim(label)) > 0),
        by_name      TEXT NOT NULL,
        by_fp        TEXT,
        at           TEXT NOT NULL,
        PRIMARY KEY (applicant_id, label)
    );
    "#,
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Refuses a store newer than this program, and changes nothing.
pub(super) fn refuse_newer(store: &Store) -> Result<()> {
    let current: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(EngineError::StoreTooNew {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

pub(super) fn migrate(store: &mut Store) -> Result<()> {
    refuse_newer(store)?;
    let current: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    if current > 0 {
        // Keep a copy of the store as it was before this program changed it.
        let backup = store
            .path
            .with_extension(format!("pre-migration-v{current}.db"));
        store.backup_to(&backup)?;
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as i64 + 1;
        let tx = store.conn.transaction()?;
        tx.execute_batch(sql)
            .map_err(|e| EngineError::Store(format!("migration {version}: {e}")))?;
        tx.pragma_update(None, "user_version", version)?;
        let mut detail = serde_json::json!({ "from": version - 1, "to": version });
        if version == 1 {
            // The store's first entry is its identity (audit anchoring names a
            // store by that entry's hash): a random nonce makes two stores
            // created in the same second different.
            let mut nonce = [0u8; 16];
            getrandom::fill(&mut nonce).map_err(|e| EngineError::Store(format!("random: {e}")))?;
            detail["store_nonce"] = serde_json::Value::String(hex::encode(nonce));
        }
        super::audit::append(
            &tx,
            &super::Actor::new("system"),
            "schema.migrate",
            &format!("v{version}"),
            &detail,
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_store_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("s.db");
        {
            let c = rusqlite::Connection::open(&p).expect("open");
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 5)
                .expect("set");
        }
        match Store::open(&p) {
            Err(EngineError::StoreTooNew { found, supported }) => {
                assert_eq!(found, SCHEMA_VERSION + 5);
                assert_eq!(supported, SCHEMA_VERSION);
            }
            Err(e) => panic!("unexpected {e}"),
            Ok(_) => panic!("must refuse"),
        }
    }

    #[test]
    fn migrating_records_the_version_and_an_audit_entry() {
        let dir = tempfile::tempdir().expect("tmp");
        let s = Store::open(&dir.path().join("s.db")).expect("open");
        let v: i64 = s
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("v");
        assert_eq!(v, SCHEMA_VERSION);
        let r = s.verify_audit().expect("verify");
        assert!(r.ok);
        assert_eq!(r.entries as i64, SCHEMA_VERSION);
    }
}
