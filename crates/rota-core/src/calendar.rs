//! The team's calendar: which dates are working days, in which time zone a day begins and ends.
//!
//! A team day is a date in the team's time zone. Weekends (days not in `working-days`) and
//! holidays are not working days; nobody is on call on them.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

#[derive(Debug, Clone)]
pub struct Calendar {
    pub timezone: Tz,
    pub handover_time: NaiveTime,
    working_days: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
}

pub const WEEKDAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn parse_weekday(name: &str) -> Option<Weekday> {
    let index = WEEKDAY_NAMES
        .iter()
        .position(|w| w.eq_ignore_ascii_case(name))?;
    Some(Weekday::try_from(index as u8).expect("index below 7"))
}

/// What is wrong with a list of working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DaysProblem {
    /// The `index`th name is not a day of the week.
    NotADay { index: usize },
    /// The `index`th name repeats an earlier one.
    Twice { index: usize },
    /// No day at all: the team would never be on call.
    Empty,
}

/// The working days `names` give (`Mon`..`Sun`, any case), in their order: each a day of the
/// week, each once, at least one. The one rule the list's `working-days` and `rota init
/// --working-days` follow.
pub fn working_days<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Weekday>, DaysProblem> {
    let mut days = Vec::new();
    for (index, name) in names.into_iter().enumerate() {
        let day = parse_weekday(name).ok_or(DaysProblem::NotADay { index })?;
        if days.contains(&day) {
            return Err(DaysProblem::Twice { index });
        }
        days.push(day);
    }
    if days.is_empty() {
        return Err(DaysProblem::Empty);
    }
    Ok(days)
}

/// `Mon 2026-11-23`: the way rota names a day everywhere.
/// The days rota deals in: any date from the files, the command line or the clock lies in
/// this range, so that no computation runs for centuries.
pub const FIRST_DAY: (i32, u32, u32) = (2000, 1, 1);
pub const LAST_DAY: (i32, u32, u32) = (2199, 12, 31);
pub const RANGE_HINT: &str = "rota works with days from 2000-01-01 to 2199-12-31";
/// The longest span a command or an absence may cover: about ten years.
pub const MAX_SPAN_DAYS: i64 = 3660;

/// The zone's UTC offset in minutes on `day` (at noon, away from any DST change): what turns
/// an `HH:MM UTC` time of the log into the team's local minute of that day.
pub fn offset_minutes(zone: Tz, day: NaiveDate) -> i32 {
    use chrono::Offset;
    let noon = day.and_hms_opt(12, 0, 0).expect("noon exists");
    zone.from_local_datetime(&noon)
        .earliest()
        .map_or(0, |t| t.offset().fix().local_minus_utc() / 60)
}

/// How far into the team's day `day` (in minutes since its local midnight) the log's
/// `HH:MM UTC` time `utc_minute` falls: what orders the records and entries of one day, in
/// every clone alike. A local day runs across two UTC dates; on the day the clocks go back it
/// lasts 25 hours, and a UTC minute of its first or last hour occurs twice: the first is taken.
pub fn minutes_into_day(zone: Tz, day: NaiveDate, utc_minute: i32) -> i32 {
    use chrono::Timelike;
    let fallback = (utc_minute + offset_minutes(zone, day)).rem_euclid(24 * 60);
    let Some(start) = day
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| zone.from_local_datetime(&midnight).earliest())
    else {
        return fallback;
    };
    // The first instant from the day's start at which the UTC clock reads `utc_minute`: on
    // the day, unless a short day ended before it.
    let start_minute =
        i32::try_from(start.with_timezone(&Utc).time().num_seconds_from_midnight() / 60)
            .unwrap_or(0);
    let into = (utc_minute - start_minute).rem_euclid(24 * 60);
    let at = start + chrono::Duration::minutes(i64::from(into));
    if at.date_naive() == day {
        into
    } else {
        fallback
    }
}

pub fn in_range(day: NaiveDate) -> bool {
    let day_of =
        |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
    day_of(FIRST_DAY) <= day && day <= day_of(LAST_DAY)
}

pub fn show_day(day: NaiveDate) -> String {
    day.format("%a %Y-%m-%d").to_string()
}

impl Calendar {
    /// `working_days` must not be empty: then every search for a working day ends.
    pub fn new(
        timezone: Tz,
        handover_time: NaiveTime,
        working_days: &[Weekday],
        holidays: impl IntoIterator<Item = NaiveDate>,
    ) -> Calendar {
        assert!(!working_days.is_empty(), "a calendar needs a working day");
        let mut days = [false; 7];
        for day in working_days {
            days[day.num_days_from_monday() as usize] = true;
        }
        Calendar {
            timezone,
            handover_time,
            working_days: days,
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        self.holidays.contains(&day)
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        self.working_days[day.weekday().num_days_from_monday() as usize] && !self.is_holiday(day)
    }

    /// The first working day strictly after `day`.
    pub fn next_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut next = day;
        loop {
            next = next
                .succ_opt()
                .expect("dates stay far from chrono's limits");
            if self.is_working_day(next) {
                return next;
            }
        }
    }

    /// The last working day strictly before `day`.
    pub fn previous_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut previous = day;
        loop {
            previous = previous
                .pred_opt()
                .expect("dates stay far from chrono's limits");
            if self.is_working_day(previous) {
                return previous;
            }
        }
    }

    /// How many working days lie in `(after, until]`.
    pub fn working_days_between(&self, after: NaiveDate, until: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = after;
        while day < until {
            day = day.succ_opt().expect("dates stay far from chrono's limits");
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }

    /// The team-local date at `now`.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.timezone).date_naive()
    }

    /// The instant of the handover on `day`, team-local wall-clock time. A time that falls in
    /// a DST gap is the first valid instant after it (the end of the gap); one that occurs
    /// twice (a DST overlap) is its first occurrence.
    pub fn handover_instant(&self, day: NaiveDate) -> DateTime<Utc> {
        self.instant(day, self.handover_time)
    }

    /// The instant `day` begins, team-local (the end of a DST gap at midnight, if one is there).
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        self.instant(day, chrono::NaiveTime::MIN)
    }

    /// `time` on `day`, team-local wall-clock time, as `handover_instant` says.
    fn instant(&self, day: NaiveDate, time: chrono::NaiveTime) -> DateTime<Utc> {
        let local = day.and_time(time);
        // Gaps are whole minutes and at most a day long (Samoa skipped 2011-12-30).
        (0..=2 * 24 * 60)
            .find_map(|minutes| {
                self.timezone
                    .from_local_datetime(&(local + chrono::Duration::minutes(minutes)))
                    .earliest()
            })
            .map_or_else(
                || local.and_utc(), // unreachable for any real zone
                |t| t.with_timezone(&Utc),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// On the day the clocks go back in Prague (CEST to CET at 03:00), the local day starts at
    /// 22:00 UTC the day before and lasts 25 hours: a record at 22:30 UTC was written half an
    /// hour into it, not at its end; 02:30 comes twice, an hour apart.
    #[test]
    fn minutes_into_day_follow_the_clock_change() {
        let prague = chrono_tz::Europe::Prague;
        let back = date("2026-10-25");
        let into = |minute: i32| minutes_into_day(prague, back, minute);
        assert_eq!(
            [
                into(22 * 60 + 30),
                into(30),
                into(60 + 30),
                into(22 * 60 + 59)
            ],
            [30, 150, 210, 59]
        );
        assert_eq!(
            minutes_into_day(prague, date("2026-11-23"), 16 * 60 + 5),
            17 * 60 + 5
        );
        let new_york = chrono_tz::America::New_York;
        assert_eq!(
            minutes_into_day(new_york, date("2026-11-23"), 3 * 60),
            22 * 60
        );
    }

    /// Against a walk through every minute of the day, in zones with a DST change, a
    /// half-hour change (Lord Howe) and an odd offset (Kathmandu), around their changes.
    #[test]
    fn minutes_into_day_is_the_first_minute_of_the_day_the_utc_clock_reads() {
        use chrono::Timelike;
        let zones = [
            chrono_tz::Europe::Prague,
            chrono_tz::America::New_York,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::Asia::Kathmandu,
        ];
        let days = [
            "2026-03-08",
            "2026-03-29",
            "2026-04-05",
            "2026-10-04",
            "2026-10-25",
            "2026-11-01",
            "2026-06-15",
        ];
        for zone in zones {
            for day in days.map(date) {
                let start = zone
                    .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
                    .earliest()
                    .unwrap();
                let minutes: Vec<i32> = (0..26 * 60)
                    .map(|m| start + chrono::Duration::minutes(m))
                    .take_while(|t| t.date_naive() == day)
                    .map(|t| {
                        let utc = t.with_timezone(&Utc);
                        i32::try_from(utc.hour() * 60 + utc.minute()).unwrap()
                    })
                    .collect();
                for utc_minute in (0..24 * 60).step_by(7) {
                    let Some(first) = minutes.iter().position(|m| *m == utc_minute) else {
                        continue;
                    };
                    assert_eq!(
                        minutes_into_day(zone, day, utc_minute),
                        i32::try_from(first).unwrap(),
                        "{zone} {day} {utc_minute}"
                    );
                }
            }
        }
    }

    fn weekdays() -> Calendar {
        use Weekday::*;
        Calendar::new(
            chrono_tz::Europe::Prague,
            NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            &[Mon, Tue, Wed, Thu, Fri],
            [date("2026-12-24"), date("2026-12-25")],
        )
    }

    fn at(zone: Tz, time: &str) -> Calendar {
        Calendar::new(
            zone,
            NaiveTime::parse_from_str(time, "%H:%M").unwrap(),
            &[Weekday::Sun, Weekday::Mon],
            [],
        )
    }

    #[test]
    fn a_handover_time_in_a_dst_gap_is_the_first_instant_after_it() {
        // Prague skips 02:00-03:00 on 2026-03-29; New York on 2026-03-08.
        let prague = at(chrono_tz::Europe::Prague, "02:30");
        assert_eq!(
            prague.handover_instant(date("2026-03-29")).to_rfc3339(),
            "2026-03-29T01:00:00+00:00"
        );
        let new_york = at(chrono_tz::America::New_York, "02:15");
        assert_eq!(
            new_york.handover_instant(date("2026-03-08")).to_rfc3339(),
            "2026-03-08T07:00:00+00:00"
        );
        // Outside the gap, the wall-clock time as it is.
        assert_eq!(
            new_york.handover_instant(date("2026-03-09")).to_rfc3339(),
            "2026-03-09T06:15:00+00:00"
        );
    }

    #[test]
    fn a_handover_time_in_a_dst_overlap_is_its_first_occurrence() {
        // Prague's 02:00-03:00 occurs twice on 2026-10-25 (first at UTC+2); New York's
        // 01:00-02:00 on 2026-11-01 (first at UTC-4).
        let prague = at(chrono_tz::Europe::Prague, "02:30");
        assert_eq!(
            prague.handover_instant(date("2026-10-25")).to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
        let new_york = at(chrono_tz::America::New_York, "01:30");
        assert_eq!(
            new_york.handover_instant(date("2026-11-01")).to_rfc3339(),
            "2026-11-01T05:30:00+00:00"
        );
    }

    #[test]
    fn weekends_and_holidays_are_skipped() {
        let cal = weekdays();
        assert_eq!(cal.next_working_day(date("2026-11-27")), date("2026-11-30"));
        assert_eq!(cal.next_working_day(date("2026-12-23")), date("2026-12-28"));
        assert_eq!(
            cal.previous_working_day(date("2026-12-28")),
            date("2026-12-23")
        );
        assert!(!cal.is_working_day(date("2026-12-24")));
    }

    #[test]
    fn counts_working_days_in_a_half_open_span() {
        let cal = weekdays();
        assert_eq!(
            cal.working_days_between(date("2026-11-23"), date("2026-11-24")),
            1
        );
        assert_eq!(
            cal.working_days_between(date("2026-11-27"), date("2026-11-29")),
            0
        );
        assert_eq!(
            cal.working_days_between(date("2026-12-23"), date("2026-12-28")),
            1
        );
    }

    #[test]
    fn team_day_follows_the_team_time_zone() {
        let cal = weekdays();
        let late_utc: DateTime<Utc> = "2026-11-23T23:30:00Z".parse().unwrap();
        assert_eq!(cal.today(late_utc), date("2026-11-24"));
    }

    #[test]
    fn handover_instant_respects_dst() {
        let cal = weekdays();
        // 17:00 in Prague is 16:00 UTC in winter and 15:00 UTC in summer.
        assert_eq!(
            cal.handover_instant(date("2026-03-27")).to_rfc3339(),
            "2026-03-27T16:00:00+00:00"
        );
        assert_eq!(
            cal.handover_instant(date("2026-03-30")).to_rfc3339(),
            "2026-03-30T15:00:00+00:00"
        );
    }
}
