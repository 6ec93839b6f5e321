use super::*;
use proptest::prelude::*;

/// How rota reads each line: the headings (`## ` and `### ` at column 0) and the entries it
/// sees, by line index.
fn rota_reading(lines: &[String]) -> (Vec<usize>, Vec<usize>) {
    let mut blocks = Blocks::new();
    let (mut headings, mut entries) = (Vec::new(), Vec::new());
    for (i, line) in lines.iter().enumerate() {
        if blocks.read(line.as_bytes()) == Seen::Code {
            continue;
        }
        if line.starts_with(DAY_HEADING) || line.starts_with(RECORD_HEADING) {
            headings.push(i);
        } else if entry_parts(line).is_some() {
            entries.push(i);
        }
    }
    (headings, entries)
}

/// What pulldown-cmark shows: the headings and list items that begin at column 0 of a line
/// shaped as rota's.
fn commonmark_reading(lines: &[String]) -> (Vec<usize>, Vec<usize>) {
    use pulldown_cmark::{Event, Parser, Tag};
    let text = lines.join("\n") + "\n";
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_at = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
    let (mut headings, mut entries) = (Vec::new(), Vec::new());
    for (event, range) in Parser::new(&text).into_offset_iter() {
        let i = line_at(range.start);
        if range.start != starts[i] {
            continue;
        }
        let line = &lines[i];
        match event {
            Event::Start(Tag::Heading { .. })
                if line.starts_with(DAY_HEADING) || line.starts_with(RECORD_HEADING) =>
            {
                headings.push(i);
            }
            Event::Start(Tag::Item) if entry_parts(line).is_some() => entries.push(i),
            _ => {}
        }
    }
    headings.dedup();
    entries.dedup();
    (headings, entries)
}

/// Lines of a log a hand (or an attacker) could write: rota's own lines, and every way of
/// opening and closing a block, at every indentation that matters.
fn line() -> impl Strategy<Value = String> {
    let indent = prop_oneof![Just(""), Just(" "), Just("  "), Just("   "), Just("    ")];
    let fence = (
        indent.clone(),
        prop_oneof![Just('`'), Just('~')],
        3usize..6,
        prop_oneof![
            Just(""),
            Just("markdown"),
            Just(" text"),
            Just("a`b"),
            Just("  "),
            Just("~")
        ],
    )
        .prop_map(|(indent, ch, len, info)| {
            format!("{indent}{}{info}", ch.to_string().repeat(len))
        });
    let html = prop_oneof![
        Just("<!--"),
        Just("<!-- note -->"),
        Just("-->"),
        Just("a comment ends -->"),
        Just("<div>"),
        Just("</div>"),
        Just("<pre>"),
        Just("</pre>"),
        Just("<script src=x>"),
        Just("</script>"),
        Just("<ingress-nginx>"),
        Just("<span class=\"x\">"),
        Just("</span>"),
        Just("<a href='y' title=z>"),
        Just("<?php"),
        Just("?>"),
        Just("<!DOCTYPE html"),
        Just(">"),
        Just("<![CDATA["),
        Just("]]>"),
        Just("<br/>"),
        Just("<table><tr>"),
        Just("upgraded <ingress-nginx> to 4.11"),
    ];
    let rota = prop_oneof![
        (1u32..28).prop_map(|d| format!("## 2026-02-{d:02} Thu")),
        Just("### Handover 16:05 UTC: a → b".to_string()),
        Just("### Taken back 16:20 UTC: b".to_string()),
        Just("- Served: Mon 2026-11-23 (a)".to_string()),
        Just("Round 1: ~~a~~, **b**".to_string()),
        Just("* [x] checked".to_string()),
        Just("+ [ ] 16:05 UTC a: open: x".to_string()),
        "[a-c]{1,2}".prop_map(|who| format!("- 09:14 UTC {who}: did it")),
    ];
    let other = prop_oneof![
        Just(""),
        Just(""),
        Just("text"),
        Just("  continued"),
        Just("    indented code"),
        Just("> quoted"),
        Just("> ```"),
        Just(">"),
        Just("- item"),
        Just("  - nested"),
        Just("-"),
        Just("1. first"),
        Just("2) second"),
        Just("---"),
        Just("==="),
        Just("***"),
        Just("# Notes"),
        Just("\t```"),
    ];
    prop_oneof![
        3 => rota,
        2 => fence,
        2 => (indent, html).prop_map(|(i, h)| format!("{i}{h}")),
        2 => other.prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// rota reads as headings and entries exactly what a CommonMark renderer shows as such.
    #[test]
    fn rota_reads_what_commonmark_shows(lines in prop::collection::vec(line(), 0..40)) {
        prop_assert_eq!(rota_reading(&lines), commonmark_reading(&lines), "{:#?}", lines);
    }
}

fn reading(text: &str) -> (Vec<usize>, Vec<usize>) {
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let rota = rota_reading(&lines);
    assert_eq!(rota, commonmark_reading(&lines), "{text}");
    rota
}

#[test]
fn a_fence_closes_only_with_its_own_character_at_least_as_long() {
    // Issue 19, finding 1: a `~~~markdown` block holding ``` lines and a forged record.
    let text = "~~~markdown\n```\n### Taken back 16:20 UTC: b\n```\n~~~\n## 2026-11-23 Mon\n";
    assert_eq!(reading(text), (vec![5], vec![]));
    let text = "````\n```\n## 2026-11-23 Mon\n````\n- 09:00 UTC a: x\n";
    assert_eq!(reading(text), (vec![], vec![4]));
    // An info string makes a line an opener, never a closer.
    let text = "```\n```text\n## 2026-11-23 Mon\n```\n";
    assert_eq!(reading(text), (vec![], vec![]));
}

#[test]
fn html_blocks_and_comments_hide_what_they_hold() {
    let text = "<!--\n## 2026-11-23 Mon\n-->\n## 2026-11-24 Tue\n";
    assert_eq!(reading(text), (vec![3], vec![]));
    let text = "<div>\n### Handover 16:05 UTC: a → b\n\n### Handover 16:06 UTC: a → b\n";
    assert_eq!(reading(text), (vec![3], vec![]));
}

#[test]
fn a_fence_in_a_list_item_ends_with_the_item() {
    let text = "- 09:00 UTC a: x\n  ```\n## 2026-11-23 Mon\n- 10:00 UTC a: y\n";
    assert_eq!(reading(text), (vec![2], vec![0, 3]));
    let mut blocks = Blocks::new();
    for line in text.lines().take(2) {
        blocks.read(line.as_bytes());
    }
    assert_eq!(blocks.open_block(), None);
    assert!(blocks.needs_blank_line());
}

#[test]
fn the_open_block_is_named_by_its_line() {
    let mut blocks = Blocks::new();
    for line in ["# Log", "", "~~~~", "```", "~~~"] {
        blocks.read(line.as_bytes());
    }
    assert_eq!(blocks.open_block(), Some(3));
    blocks.read(b"~~~~ ");
    assert_eq!(blocks.open_block(), None);
    assert!(blocks.is_clear());
}
