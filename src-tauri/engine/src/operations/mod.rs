//! Round operations after the review and before the money leaves: the
//! working-day calendar (`calendar`) and the 公示 notice with its objections
//! (`notice`), the managed lists the rules read (`lists`) and the payment
//! ledger (`ledger`), clawback (`clawback`) and performance evaluation
//! (`performance`).

pub mod calendar;
pub mod clawback;
pub mod ledger;
pub mod lists;
pub mod notice;
pub mod performance;
pub mod views;
