//! Who serves which working day: one algorithm for the schedule ahead and for every handover.
//!
//! The state (kept in the `[rotation]` table) says who is on call, which working day they cover,
//! the round's shuffled order and who is still to serve in it. [`next_turn`] computes the turn
//! that follows a state; a handover applies it once, the schedule applies it again and again.
//! Nothing else decides who is on call, so the schedule cannot disagree with what handovers do.
//!
//! Rules:
//! - one engineer per working day; none on weekends and holidays;
//! - within a round, engineers serve in `order`; an engineer away when their place comes keeps
//!   their turn and serves on the first working day they are back, still in that round;
//! - when nobody still to serve in the round is available, a new round begins with a fresh
//!   shuffle derived from `(seed, round)`; engineers whose turn was still owed go first;
//! - nobody serves two working days in a row unless they are the only one available;
//! - a working day on which nobody is available is a gap: no one is on call, and the rotation
//!   waits for the next working day.
//! - an `[[override]]` (swap or cover) changes who is on call on its own day only: the rotation
//!   underneath goes on as if it were not there.

use chrono::NaiveDate;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::roster::Roster;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Their place in the round's order.
    Rotation,
    /// The first turn of a new round.
    RoundStart,
    /// Their turn came while they were away; they serve on their first day back.
    Back,
    /// Nobody is available.
    Gap,
    /// Two days' engineers traded, or someone covers for the scheduled one (`[[override]]`).
    Override,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Rotation => "rotation",
            Reason::RoundStart => "round start",
            Reason::Back => "back from absence",
            Reason::Gap => "gap",
            Reason::Override => "override",
        }
    }
}

/// What the rotation does next: the working days nobody could take, then the next turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub gaps: Vec<NaiveDate>,
    pub state: State,
    pub reason: Reason,
}

/// The order of `round`: a Fisher–Yates shuffle of the sorted ids, driven by ChaCha8 seeded
/// from `(seed, round)`. Both the generator's output and this code are fixed, so an order can
/// be computed years ahead and on any machine, whatever version of `rand` is in use.
pub fn shuffled(seed: u64, round: u32, ids: &[String]) -> Vec<String> {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..12].copy_from_slice(&round.to_le_bytes());
    key[12..16].copy_from_slice(b"rota");
    let mut rng = ChaCha8Rng::from_seed(key);
    let mut order = ids.to_vec();
    for i in (1..order.len()).rev() {
        let j = uniform_below(&mut rng, i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// An unbiased integer in `0..bound`, by rejection.
fn uniform_below(rng: &mut ChaCha8Rng, bound: u64) -> u64 {
    let limit = u64::MAX - u64::MAX % bound;
    loop {
        let x = rng.next_u64();
        if x < limit {
            return x % bound;
        }
    }
}

/// The first turn of a team that has no rotation yet: round 1 starts on `from` if it is a
/// working day, otherwise on the next one.
pub fn first_turn(roster: &Roster, seed: u64, from: NaiveDate) -> Step {
    let before = from.pred_opt().expect("dates stay far from chrono's limits");
    let nobody = Cursor {
        seed,
        round: 0,
        order: &[],
        pending: &[],
        previous: None,
    };
    advance(roster, &nobody, before)
}

/// The turn after `state`, on the first working day after `after` on which someone can serve.
/// A handover calls it with `after = max(state.day, yesterday)`; the schedule with
/// `after = state.day`.
pub fn next_turn(roster: &Roster, state: &State, after: NaiveDate) -> Step {
    let cursor = Cursor {
        seed: state.seed,
        round: state.round,
        order: &state.order,
        pending: &state.pending,
        previous: Some(&state.on_call),
    };
    advance(roster, &cursor, after)
}

/// Where the rotation stands: a `State` without its day (and, before the first turn, without
/// anyone on call).
struct Cursor<'a> {
    seed: u64,
    round: u32,
    order: &'a [String],
    pending: &'a [String],
    previous: Option<&'a str>,
}

fn advance(roster: &Roster, cursor: &Cursor, after: NaiveDate) -> Step {
    let calendar = &roster.calendar;
    let mut gaps = Vec::new();
    let mut day = calendar.next_working_day(after);
    // Absences are finite, so some working day has someone available; the loop ends.
    loop {
        if let Some((state, reason)) = assign(roster, cursor, day) {
            return Step {
                gaps,
                state,
                reason,
            };
        }
        gaps.push(day);
        day = calendar.next_working_day(day);
    }
}

/// Who serves `day` after the cursor, or `None` when nobody can.
fn assign(roster: &Roster, cursor: &Cursor, day: NaiveDate) -> Option<(State, Reason)> {
    let available = |id: &String| roster.is_available(id, day);
    let not_previous = |id: &String| Some(id.as_str()) != cursor.previous;

    // Still this round: the first in line who is here.
    if let Some(i) = cursor
        .pending
        .iter()
        .position(|id| available(id) && not_previous(id))
    {
        let mut pending = cursor.pending.to_vec();
        let on_call = pending.remove(i);
        let reason = if was_away_before(roster, &on_call, day) {
            Reason::Back
        } else {
            Reason::Rotation
        };
        let state = State {
            seed: cursor.seed,
            round: cursor.round,
            order: cursor.order.to_vec(),
            pending,
            on_call,
            day,
        };
        return Some((state, reason));
    }
    if !roster.engineers.iter().any(|e| available(&e.id)) {
        return None;
    }

    // A new round. Whoever still owed a turn goes first, in their old order.
    let round = cursor.round + 1;
    let mut order: Vec<String> = cursor
        .pending
        .iter()
        .filter(|id| roster.engineer(id).is_some())
        .cloned()
        .collect();
    order.extend(
        shuffled(cursor.seed, round, &roster.ids_sorted())
            .into_iter()
            .filter(|id| !cursor.pending.contains(id)),
    );
    if order.len() > 1 && Some(order[0].as_str()) == cursor.previous {
        order.swap(0, 1);
    }
    let i = order
        .iter()
        .position(|id| available(id) && not_previous(id))
        .or_else(|| order.iter().position(available))?;
    let mut pending = order.clone();
    let on_call = pending.remove(i);
    let state = State {
        seed: cursor.seed,
        round,
        order,
        pending,
        on_call,
        day,
    };
    Some((state, Reason::RoundStart))
}

fn was_away_before(roster: &Roster, id: &str, day: NaiveDate) -> bool {
    let before = roster.calendar.previous_working_day(day);
    roster.engineer(id).is_some_and(|e| e.is_away(before))
}

/// One working day of the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub day: NaiveDate,
    /// Who is on call: the override's engineer if there is one, else the rotation's.
    pub engineer: Option<String>,
    /// The rotation's choice, which an override may have replaced.
    pub scheduled: Option<String>,
    pub reason: Reason,
    pub round: u32,
}

/// The schedule from the current turn on: first `state`'s own day (which may lie in the past),
/// then every later working day, as handovers made on time will produce it.
pub fn schedule<'a>(
    roster: &'a Roster,
    state: &State,
    today: NaiveDate,
) -> impl Iterator<Item = Slot> + 'a {
    let yesterday = today.pred_opt().expect("dates stay far from chrono's limits");
    let mut upcoming = std::collections::VecDeque::from([slot(
        roster,
        state.day,
        Some(&state.on_call),
        Reason::Rotation,
        state.round,
    )]);
    let mut state = state.clone();
    // The first handover may be late; it then behaves as a handover made today would.
    let mut after = state.day.max(yesterday);
    std::iter::from_fn(move || {
        if upcoming.is_empty() {
            let step = next_turn(roster, &state, after);
            for gap in &step.gaps {
                upcoming.push_back(slot(roster, *gap, None, Reason::Gap, state.round));
            }
            state = step.state;
            after = state.day;
            upcoming.push_back(slot(
                roster,
                state.day,
                Some(&state.on_call),
                step.reason,
                state.round,
            ));
        }
        upcoming.pop_front()
    })
}

fn slot(roster: &Roster, day: NaiveDate, scheduled: Option<&str>, reason: Reason, round: u32) -> Slot {
    let scheduled = scheduled.map(str::to_string);
    match roster.override_on(day) {
        Some(o) => Slot {
            day,
            engineer: Some(o.engineer.clone()),
            scheduled,
            reason: Reason::Override,
            round,
        },
        None => Slot {
            day,
            engineer: scheduled.clone(),
            scheduled,
            reason,
            round,
        },
    }
}

/// Who is on call on `day` (`None` on a day off or a gap), if `day` is not before the
/// current turn.
pub fn slot_on(roster: &Roster, state: &State, today: NaiveDate, day: NaiveDate) -> Option<Slot> {
    if day < state.day || !roster.calendar.is_working_day(day) {
        return None;
    }
    schedule(roster, state, today).find(|s| s.day >= day).filter(|s| s.day == day)
}

/// The turn the state records, with any override for its day applied.
pub fn current(roster: &Roster, state: &State) -> Slot {
    slot(
        roster,
        state.day,
        Some(&state.on_call),
        Reason::Rotation,
        state.round,
    )
}

/// How many working days the handover of `state` is late at `today` (0 when not overdue): a
/// handover is overdue once a working day after the covered one has begun.
pub fn late_days(roster: &Roster, state: &State, today: NaiveDate) -> u32 {
    roster.calendar.working_days_between(state.day, today)
}
