//! Issuing under the bureau's seal (`letter issue`): the register office
//! issues what someone else approved, and the letter is signed with the
//! seal certificate (电子印章), which must chain to a CA the store trusts.

use chrono::NaiveDate;

use super::issue::{issue_approved, issue_correction_as, IssuedLetter};
use crate::error::{EngineError, Result};
use crate::letters::{LetterWriter, Signer};
use crate::review::{decisions, DecisionState};
use crate::store::Store;

/// Who issues a letter under the bureau's seal: the register office's
/// person, whose signed act records the issue.
pub struct SealedIssue<'a> {
    /// The register office's person (role `register` on a store with a
    /// roster); not the decision's approver.
    pub issuer: &'a crate::people::Identity,
    /// The bureau's seal certificate (电子印章): the letter's signer. It
    /// must chain to a CA the store trusts.
    pub seal: &'a dyn Signer,
}

/// Issue the letters of an approved decision under the bureau's seal
/// (`letter issue`): the issuer needs the register role, the decision must
/// have been approved by someone else, the seal must chain to one of the
/// store's trusted CAs. A decision already issued is refused
/// (`already_issued`) and nothing is written. The issue's audit entry names
/// who proposed, who approved (with their certificate) and which seal.
pub fn issue_sealed(
    store: &mut Store,
    writer: &LetterWriter,
    by: &SealedIssue<'_>,
    credit_code: &str,
    date: NaiveDate,
) -> Result<Vec<IssuedLetter>> {
    use crate::people::{roster, Role};
    let actor = by.issuer.actor();
    roster::check_actor(store.conn(), &actor, Role::Register)?;
    let d = decisions::decision(store, credit_code)?.ok_or_else(|| {
        EngineError::coded(
            "no_decision",
            format!("{credit_code} 尚无决定"),
            format!("{credit_code} has no decision yet"),
        )
    })?;
    crate::exchange::home::ensure_home(store.conn(), d.round)?;
    match d.state {
        DecisionState::Approved => {}
        DecisionState::Issued => {
            return Err(EngineError::coded(
                "already_issued",
                format!("{} 的决定书已经出具，不能再次出具", d.credit_code),
                format!(
                    "the letters of {}'s decision were already issued",
                    d.credit_code
                ),
            ))
        }
        other => {
            return Err(EngineError::coded(
                "not_approved",
                format!("只能为已审批的决定出具决定书（当前：{other}）"),
                format!("letters are issued only for approved decisions (this one is {other})"),
            ))
        }
    }
    crate::operations::notice::check_letter_allowed(store.conn(), &d, date)?;
    let issuer_credential = format!("cert-sha256:{}", by.issuer.fingerprint());
    if d.approver_id.as_deref() == Some(issuer_credential.as_str()) {
        return Err(EngineError::coded(
            "same_person",
            "审批人不能自己出具决定书：由发文人员出具",
            "the approver cannot issue the letters of their own approval: the register office does",
        ));
    }
    let (seal_holder, test) = seal_of(store, by)?;
    let seal_cert = by.seal.certificate();
    let detail = serde_json::json!({
        "proposer": d.proposed_by, "proposer_fp": d.proposer_fp,
        "approver": d.approved_by, "approver_id": d.approver_id,
        "issuer": by.issuer.holder(), "issuer_fp": by.issuer.fingerprint(),
        "seal": seal_holder, "seal_fp": crate::people::fingerprint(seal_cert),
        "test": test,
    });
    issue_approved(
        store,
        writer,
        by.seal,
        &actor,
        seal_holder,
        &d,
        date,
        test,
        detail,
    )
}

/// The seal's holder and whether it is a test seal, once it is known to
/// chain to one of the store's trusted CAs now (else the chain's reason).
pub(crate) fn seal_of(store: &Store, by: &SealedIssue<'_>) -> Result<(String, bool)> {
    let cas = crate::people::roster::trusted_cas(store.conn())?;
    let seal_cert = by.seal.certificate();
    let path =
        crate::letters::chain::validate(seal_cert, by.seal.chain(), &cas, chrono::Utc::now())
            .map_err(|p| EngineError::coded(p.code(), p.message_zh(), p.message_en()))?;
    Ok((crate::people::holder(seal_cert), path.test))
}

/// Issue the correction notice (补正告知书) of a submission that needs
/// correction under the bureau's seal: the issuer needs the register role,
/// the seal must chain to a trusted CA.
pub fn issue_correction_sealed(
    store: &mut Store,
    writer: &LetterWriter,
    by: &SealedIssue<'_>,
    submission_id: i64,
    date: NaiveDate,
) -> Result<IssuedLetter> {
    use crate::people::{roster, Role};
    let actor = by.issuer.actor();
    crate::exchange::home::ensure_home_of_submission(store.conn(), submission_id)?;
    roster::check_actor(store.conn(), &actor, Role::Register)?;
    let (seal_holder, test) = seal_of(store, by)?;
    let detail = serde_json::json!({
        "issuer": by.issuer.holder(), "issuer_fp": by.issuer.fingerprint(),
        "seal": seal_holder, "seal_fp": crate::people::fingerprint(by.seal.certificate()),
        "test": test,
    });
    issue_correction_as(
        store,
        writer,
        by.seal,
        &actor,
        seal_holder,
        submission_id,
        date,
        detail,
    )
}
