//! Warnings that more than one command gives, worded once: each takes what the domain found
//! and says it on the terminal.

use chrono::NaiveDate;

use crate::calendar::show_day;
use crate::timeline::Timeline;
use crate::ui::Ui;

/// After an override: an engineer now on call two working days in a row because of a change
/// on `changed` is allowed (a person asked for it), but said.
pub fn back_to_back(ui: &Ui, timeline: &Timeline, changed: &[NaiveDate]) {
    for (id, first, second) in timeline.back_to_back(changed) {
        ui.warn(
            &format!(
                "{id} is now on call two working days in a row ({} and {})",
                show_day(first),
                show_day(second)
            ),
            None,
        );
    }
}
