//! Round operations after the review: the managed lists the rules read
//! (`lists`) and the payment ledger (`ledger`).

pub mod ledger;
pub mod lists;
