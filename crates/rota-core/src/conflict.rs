//! Git's conflict markers, which rota refuses to read past: a leaf module that the list and
//! the log both use.

use std::ops::Range;

/// A line that git writes around a merge conflict.
pub fn is_conflict_marker(line: &str) -> bool {
    line.starts_with("<<<<<<< ")
        || line.starts_with(">>>>>>> ")
        || line.starts_with("||||||| ")
        || line == "<<<<<<<"
        || line == ">>>>>>>"
        || line == "|||||||"
        || line == "======="
}

/// The span of the first line that is a git conflict marker, if any.
pub fn find_conflict_marker(text: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        if is_conflict_marker(bare) {
            return Some(offset..offset + bare.len());
        }
        offset += line.len();
    }
    None
}

/// What to do about a merge git stopped on `path`, said the same wherever rota finds one (a
/// marker in the list or the log, a file git holds as unmerged): finish it with rota's merge
/// driver, which any rota command registers in the clone.
pub fn finish_merge(path: &std::path::Path) -> String {
    format!(
        "finish the merge with rota's merge driver (any rota command registers it in this clone): `git checkout -m {path}`, `git add {path}`, then `git commit` (or `git rebase --continue`)",
        path = path.display()
    )
}
