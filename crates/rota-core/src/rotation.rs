//! Who serves which working day: one algorithm for the schedule ahead and for every handover.
//!
//! The state (kept in the `[rotation]` table) says who is on call, which working day they cover,
//! the round's shuffled order and who is still to serve in it. [`next_turn`] computes the turn
//! that follows a state; a handover applies it once, the schedule applies it again and again.
//! Nothing else decides who is on call, so the schedule cannot disagree with what handovers do.
//!
//! Rules:
//! - one engineer per working day; none on weekends and holidays;
//! - within a round, engineers serve in `order`; an engineer away when their place comes (an
//!   absence, or a holiday of their region: `Engineer::is_away`, the one rule for both) keeps
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
pub use crate::state::State;

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
    /// A day the log records as served and handed over (today, after its handover).
    Served,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Rotation => "rotation",
            Reason::RoundStart => "round start",
            Reason::Back => "back from absence",
            Reason::Gap => "gap",
            Reason::Served => "served",
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
    let before = from
        .pred_opt()
        .expect("dates stay far from chrono's limits");
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
    if let Some(turn) = continue_round(roster, cursor, day) {
        return Some(turn);
    }
    if !roster
        .engineers
        .iter()
        .any(|e| roster.is_available(&e.id, day))
    {
        return None;
    }
    new_round(roster, cursor, day)
}

/// Still this round: the first in line who is here (and did not serve the day before).
fn continue_round(roster: &Roster, cursor: &Cursor, day: NaiveDate) -> Option<(State, Reason)> {
    let i = cursor
        .pending
        .iter()
        .position(|id| roster.is_available(id, day) && Some(id.as_str()) != cursor.previous)?;
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
    Some((state, reason))
}

/// A new round. Whoever still owed a turn goes first, in their old order.
fn new_round(roster: &Roster, cursor: &Cursor, day: NaiveDate) -> Option<(State, Reason)> {
    let available = |id: &String| roster.is_available(id, day);
    let not_previous = |id: &String| Some(id.as_str()) != cursor.previous;
    let round = cursor.round.saturating_add(1);
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
    let mut upcoming = std::collections::VecDeque::from([current(roster, state)]);
    let mut state = state.clone();
    // The first handover may be late; it then behaves as a handover made today would.
    let mut first = true;
    std::iter::from_fn(move || {
        if upcoming.is_empty() {
            let step = if first {
                first = false;
                handover_step(roster, &state, today)
            } else {
                next_turn(roster, &state, state.day)
            };
            for gap in &step.gaps {
                upcoming.push_back(slot(roster, *gap, None, Reason::Gap, state.round));
            }
            state = step.state;
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

pub fn slot(
    roster: &Roster,
    day: NaiveDate,
    scheduled: Option<&str>,
    reason: Reason,
    round: u32,
) -> Slot {
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

/// The engineer who holds the pager of the turn `state` records: the one an override of its
/// day puts on call, else the rotation's. They hand it over, whether or not the list still
/// names them.
pub fn holder(roster: &Roster, state: &State) -> String {
    current(roster, state)
        .engineer
        .unwrap_or_else(|| state.on_call.clone())
}

/// Whether `id` may act in the team's files (write the log, hand over, be the person typing):
/// an engineer of the list, or the one holding the pager, who may have left the list since:
/// the engineer holding the pager can always hand it over, and log their day.
pub fn may_act(roster: &Roster, state: &State, id: &str) -> bool {
    roster.engineer(id).is_some() || holder(roster, state) == id
}

/// What the handover of `state` made at `today` does: the next turn starts on the first
/// working day after the later of the turn's day and yesterday. The one rule a handover, the
/// schedule ahead and check's replay of a record all follow.
pub fn handover_step(roster: &Roster, state: &State, today: NaiveDate) -> Step {
    let yesterday = today
        .pred_opt()
        .expect("dates stay far from chrono's limits");
    next_turn(roster, state, state.day.max(yesterday))
}

/// Whether `holder`, whose turn is not handed over yet, holds the working day `date` of that
/// turn (from its day up to the day the handover passes the pager on): every such day but one
/// an override gives someone else. The days a late handover records as served, and the days
/// the timeline shows the holder on call.
pub fn holds(roster: &Roster, holder: &str, date: NaiveDate) -> bool {
    roster
        .override_on(date)
        .is_none_or(|o| o.engineer == holder)
}

/// The days the handover `step` of `state` records as served by `holder`: the working days
/// from the turn's day up to the next turn's, but the gaps and the days `holds` gives others.
pub fn served_days(roster: &Roster, state: &State, step: &Step, holder: &str) -> Vec<NaiveDate> {
    std::iter::successors(Some(state.day), |d| d.succ_opt())
        .take_while(|d| *d < step.state.day)
        .filter(|d| roster.calendar.is_working_day(*d) && !step.gaps.contains(d))
        .filter(|d| holds(roster, holder, *d))
        .collect()
}

/// The turn the state records, with any override for its day applied.
pub fn current(roster: &Roster, state: &State) -> Slot {
    // The state does not keep why; the first of a round is the one case worth telling apart.
    let round_start =
        state.order.first() == Some(&state.on_call) && state.pending.len() + 1 == state.order.len();
    let reason = if round_start {
        Reason::RoundStart
    } else {
        Reason::Rotation
    };
    slot(roster, state.day, Some(&state.on_call), reason, state.round)
}

/// Where the rotation stands: the later of the log's last standing handover record and a state
/// written in the list (the list wins a tie: it is what someone wrote to repair the rotation);
/// with neither, round 1 from `[rotation] start` (or today). Then reconciled with the team as
/// it is now. Computed the same way in every clone, and never written back.
pub fn current_state(
    roster: &Roster,
    logged: Option<State>,
    today: NaiveDate,
) -> (State, Vec<String>) {
    let state = match (logged, roster.checkpoint.clone()) {
        (Some(logged), Some(listed)) if logged.day > listed.day => logged,
        (_, Some(listed)) => listed,
        (Some(logged), None) => logged,
        (None, None) => first_turn(roster, roster.seed, roster.start.unwrap_or(today)).state,
    };
    reconcile(roster, state)
}

/// The state adjusted to the team as it is: an engineer removed from the list leaves the
/// round; one added joins the current round at its end. Says what it changed.
pub fn reconcile(roster: &Roster, mut state: State) -> (State, Vec<String>) {
    let mut notices = Vec::new();
    let is_member = |id: &String| roster.engineer(id).is_some();
    for gone in state.order.iter().filter(|id| !is_member(id)) {
        if *gone == state.on_call {
            notices.push(format!(
                "{gone} is on call but no longer in the team: `rota handover` passes the turn on"
            ));
        } else {
            notices.push(format!(
                "{gone} is no longer in the team: left the rotation"
            ));
        }
    }
    let on_call = state.on_call.clone();
    state.order.retain(|id| is_member(id) || *id == on_call);
    state.pending.retain(is_member);
    for engineer in &roster.engineers {
        if !state.order.contains(&engineer.id) {
            notices.push(format!(
                "{} joins round {} at its end",
                engineer.id, state.round
            ));
            state.order.push(engineer.id.clone());
            state.pending.push(engineer.id.clone());
        }
    }
    (state, notices)
}

/// How many working days the handover of `state` is late at `today` (0 when not overdue): a
/// handover is overdue once a working day after the covered one has begun.
pub fn late_days(roster: &Roster, state: &State, today: NaiveDate) -> u32 {
    roster.calendar.working_days_between(state.day, today)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::roster::{Absence, Engineer};
    use chrono::{Datelike, NaiveTime, Weekday};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn team(size: usize, holidays: &[NaiveDate]) -> Roster {
        use Weekday::*;
        Roster {
            team_name: "T".into(),
            calendar: Calendar::new(
                chrono_tz::Europe::Prague,
                NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                &[Mon, Tue, Wed, Thu, Fri],
                holidays.iter().copied(),
            ),
            log: "on-call-log.md".into(),
            commit: crate::roster::CommitPolicy::Never,
            push: false,
            escalation: vec![],
            regions: vec![],
            engineers: (0..size)
                .map(|i| Engineer {
                    id: format!("e{i:02}"),
                    name: format!("Engineer {i}"),
                    email: None,
                    chat: None,
                    phone: None,
                    timezone: None,
                    away: vec![],
                    working_hours: (
                        NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                        NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
                    ),
                    region: None,
                    region_holidays: Default::default(),
                })
                .collect(),
            checklist: vec![],
            seed: 1,
            start: None,
            checkpoint: None,
            overrides: vec![],
            former_overrides: vec![],
            maintenance: vec![],
            playbook: None,
        }
    }

    /// The first `count` turns of a fresh rotation, as `(day, engineer, round)`.
    fn turns(roster: &Roster, seed: u64, count: usize) -> Vec<(NaiveDate, String, u32)> {
        let first = first_turn(roster, seed, date("2026-11-23")).state;
        schedule(roster, &first, first.day)
            .filter_map(|s| Some((s.day, s.engineer?, s.round)))
            .take(count)
            .collect()
    }

    #[test]
    fn shuffles_are_pinned() {
        // Changing this order would change every team's future schedule: don't.
        let ids: Vec<String> = ["alice", "bob", "carol", "dave", "erin"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            shuffled(4157262103, 2, &ids),
            ["dave", "carol", "bob", "erin", "alice"]
        );
    }

    #[test]
    fn handover_semantics_follow_the_calendar() {
        let roster = team(3, &[date("2026-12-24"), date("2026-12-25")]);
        let state = first_turn(&roster, 1, date("2026-11-23")).state;
        assert_eq!(state.day, date("2026-11-23"));
        // Mon, on time: Tue.
        assert_eq!(
            next_turn(&roster, &state, state.day).state.day,
            date("2026-11-24")
        );
        // Fri, on time: Mon.
        let friday = State {
            day: date("2026-11-27"),
            ..state.clone()
        };
        assert_eq!(
            next_turn(&roster, &friday, friday.day).state.day,
            date("2026-11-30")
        );
        // Before the holidays: the first working day after them.
        let before = State {
            day: date("2026-12-23"),
            ..state.clone()
        };
        assert_eq!(
            next_turn(&roster, &before, before.day).state.day,
            date("2026-12-28")
        );
        // Late, on Tue for Mon: max(day, yesterday) is Mon, so the next turn is today.
        let yesterday = date("2026-11-23");
        let late = next_turn(&roster, &state, state.day.max(yesterday));
        assert_eq!(late.state.day, date("2026-11-24"));
        assert_eq!(late_days(&roster, &state, date("2026-11-24")), 1);
        assert_eq!(late_days(&roster, &friday, date("2026-11-29")), 0);
    }

    #[test]
    fn a_new_round_never_starts_with_the_last_engineer() {
        for seed in 0..200 {
            let roster = team(4, &[]);
            let turns = turns(&roster, seed, 40);
            for pair in turns.windows(2) {
                assert_ne!(pair[0].1, pair[1].1, "seed {seed}: {pair:?}");
            }
        }
    }

    #[test]
    fn a_team_of_one_serves_every_day() {
        let roster = team(1, &[]);
        assert!(turns(&roster, 3, 12).iter().all(|t| t.1 == "e00"));
    }

    #[test]
    fn an_absent_engineer_keeps_their_turn_in_the_round() {
        let mut roster = team(4, &[]);
        let state = first_turn(&roster, 9, date("2026-11-23")).state;
        let second = state.pending[0].clone();
        roster
            .engineers
            .iter_mut()
            .find(|e| e.id == second)
            .unwrap()
            .away = vec![Absence {
            from: date("2026-11-24"),
            to: date("2026-11-25"),
            reason: None,
        }];
        let slots: Vec<Slot> = schedule(&roster, &state, state.day).take(4).collect();
        let served: Vec<&str> = slots
            .iter()
            .map(|s| s.engineer.as_deref().unwrap())
            .collect();
        assert!(!served[1..3].contains(&second.as_str()), "{served:?}");
        assert_eq!(served[3], second, "back on Thursday: {served:?}");
        assert_eq!(slots[3].reason, Reason::Back);
        assert!(slots.iter().all(|s| s.round == 1));
    }

    /// A holiday of an engineer's region is read by the same rule as an absence: the
    /// schedule with each of a region's holidays is the schedule with an absence that day.
    #[test]
    fn a_region_holiday_schedules_as_an_absence_would() {
        let holidays = [date("2026-11-24"), date("2026-11-25"), date("2026-12-02")];
        for seed in 0..50 {
            let base = team(5, &[]);
            let state = first_turn(&base, seed, date("2026-11-23")).state;
            let (mut regional, mut absent) = (base.clone(), base);
            let region = std::sync::Arc::new(holidays.into_iter().collect());
            for (i, engineer) in regional.engineers.iter_mut().enumerate() {
                if i % 2 == 0 {
                    engineer.region = Some("de".into());
                    engineer.region_holidays = std::sync::Arc::clone(&region);
                }
            }
            for (i, engineer) in absent.engineers.iter_mut().enumerate() {
                if i % 2 == 0 {
                    engineer.away = holidays
                        .iter()
                        .map(|d| Absence {
                            from: *d,
                            to: *d,
                            reason: None,
                        })
                        .collect();
                }
            }
            let with_holidays: Vec<Slot> =
                schedule(&regional, &state, state.day).take(30).collect();
            let with_absences: Vec<Slot> = schedule(&absent, &state, state.day).take(30).collect();
            assert_eq!(with_holidays, with_absences, "seed {seed}");
            for slot in &with_holidays {
                let id = slot.engineer.as_deref().unwrap();
                let engineer = regional.engineer(id).unwrap();
                assert!(
                    !engineer.has_holiday(slot.day),
                    "seed {seed}: {id} on {}",
                    slot.day
                );
            }
        }
    }

    #[test]
    fn a_day_nobody_can_take_is_a_gap() {
        let mut roster = team(2, &[]);
        for engineer in &mut roster.engineers {
            engineer.away = vec![Absence {
                from: date("2026-11-25"),
                to: date("2026-11-25"),
                reason: None,
            }];
        }
        let state = first_turn(&roster, 5, date("2026-11-23")).state;
        let slots: Vec<Slot> = schedule(&roster, &state, state.day).take(4).collect();
        assert_eq!(slots[2].day, date("2026-11-25"));
        assert_eq!(
            (slots[2].engineer.as_deref(), slots[2].reason),
            (None, Reason::Gap)
        );
        assert_eq!(slots[3].day, date("2026-11-26"));
    }

    proptest! {
        #[test]
        fn every_round_serves_everyone_once_on_working_days_only(
            size in 1usize..=20,
            seed in any::<u32>(),
            rounds in 1usize..6,
        ) {
            let roster = team(size, &[date("2026-12-24"), date("2026-12-25"), date("2027-01-01")]);
            let turns = turns(&roster, u64::from(seed), size * rounds);
            let mut per_round: BTreeMap<u32, Vec<String>> = BTreeMap::new();
            for (day, engineer, round) in &turns {
                prop_assert!(roster.calendar.is_working_day(*day), "{day} {:?}", day.weekday());
                per_round.entry(*round).or_default().push(engineer.clone());
            }
            prop_assert_eq!(per_round.len(), rounds);
            for (_, mut served) in per_round {
                served.sort();
                prop_assert_eq!(served, roster.ids_sorted());
            }
            if size > 1 {
                for pair in turns.windows(2) {
                    prop_assert_ne!(&pair[0].1, &pair[1].1);
                }
            }
            for pair in turns.windows(2) {
                prop_assert_eq!(roster.calendar.next_working_day(pair[0].0), pair[1].0);
            }
        }

        #[test]
        fn the_same_seed_gives_the_same_schedule(size in 2usize..=20, seed in any::<u32>()) {
            let roster = team(size, &[]);
            prop_assert_eq!(turns(&roster, u64::from(seed), 60), turns(&roster, u64::from(seed), 60));
        }

        #[test]
        fn absences_keep_the_rotation_fair(
            size in 3usize..=10,
            seed in any::<u32>(),
            away in proptest::collection::vec((0usize..10, 0i64..40, 0i64..8), 0..4),
        ) {
            let mut roster = team(size, &[]);
            let start = date("2026-11-23");
            for (who, offset, length) in &away {
                let from = start + chrono::Duration::days(*offset);
                roster.engineers[who % size].away.push(Absence {
                    from,
                    to: from + chrono::Duration::days(*length),
                    reason: None,
                });
            }
            let first = first_turn(&roster, u64::from(seed), start).state;
            let slots: Vec<Slot> = schedule(&roster, &first, start).take(size * 12).collect();
            let mut previous: Option<&str> = None;
            for slot in &slots {
                if let Some(id) = slot.engineer.as_deref() {
                    prop_assert!(roster.is_available(id, slot.day), "{id} away on {}", slot.day);
                    if Some(id) == previous {
                        let others = roster.engineers.iter().filter(|e| e.id != id);
                        prop_assert!(
                            others.clone().all(|e| e.is_away(slot.day)),
                            "{id} two days in a row on {} though others were available",
                            slot.day
                        );
                    }
                    previous = Some(id);
                } else {
                    prop_assert!(roster.engineers.iter().all(|e| e.is_away(slot.day)));
                    previous = None;
                }
            }
            // Over whole rounds, everyone never absent serves equally often.
            let last_round = slots.last().unwrap().round;
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for slot in slots.iter().filter(|s| s.round < last_round) {
                if let Some(id) = slot.engineer.as_deref() {
                    *count.entry(id).or_default() += 1;
                }
            }
            let present: Vec<usize> = roster
                .engineers
                .iter()
                .filter(|e| e.away.is_empty())
                .map(|e| count.get(e.id.as_str()).copied().unwrap_or(0))
                .collect();
            prop_assert!(present.windows(2).all(|w| w[0] == w[1]), "{count:?}");
        }
    }
}
