//! Where the rotation stands: who is on call, which working day they cover, the round's
//! shuffled order and who is still to serve in it. A handover record's round line holds one,
//! and so may the list's `[rotation]` table.
//!
//! A module of its own so that the list (`roster`, which may hold a state) and the rotation
//! (`rotation`, which computes the next one from the list) do not name each other.

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub seed: u64,
    pub round: u32,
    /// This round's shuffled order.
    pub order: Vec<String>,
    /// Who is still to serve in this round, in the order they will be asked.
    pub pending: Vec<String>,
    pub on_call: String,
    /// The working day `on_call` covers.
    pub day: NaiveDate,
}
