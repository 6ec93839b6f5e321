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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Passing over a block of lines to its last heading leaves the reader where reading each
    /// line does, however the text is cut into blocks.
    #[test]
    fn passing_to_the_last_heading_reads_as_every_line_does(
        lines in prop::collection::vec(line(), 0..40),
        cuts in prop::collection::vec(0usize..40, 0..6),
        ends_with_newline in any::<bool>(),
    ) {
        let mut text = lines.join("\n");
        if ends_with_newline && !text.is_empty() {
            text.push('\n');
        }
        let mut every = Blocks::new();
        for line in crate::scan::lines(text.as_bytes()) {
            every.read(line);
        }
        // Cut after whole lines, as the block reader hands them out.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut bounds: Vec<usize> = cuts
            .iter()
            .filter_map(|&c| starts.get(c).copied())
            .chain([0, text.len()])
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut passing = Blocks::new();
        for pair in bounds.windows(2) {
            let block = &text.as_bytes()[pair[0]..pair[1]];
            let passed = passing.pass_to_last_heading(block);
            for line in crate::scan::lines(&block[passed..]) {
                passing.read(line);
            }
        }
        prop_assert_eq!(&passing, &every, "{:#?}", lines);
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

/// Typed text: rota's own words, everything that would open a block at the start of a line,
/// raw HTML and comments, entities, backslashes, autolinks kept and not, the Markdown an
/// engineer chooses, and any character.
fn typed(chosen: bool) -> impl Strategy<Value = String> {
    let mut pieces = vec![
        "<ingress-nginx>",
        "</div>",
        "<div class=\"x\">",
        "<!-- hidden -->",
        "<!--",
        "-->",
        "<?php",
        "?>",
        "<!DOCTYPE html>",
        "<![CDATA[",
        "<br/>",
        "<db1101:5432>",
        "<alice@example.org>",
        "<1st@example.org>",
        "< ",
        "<",
        ">",
        "# ",
        "## 2026-11-23 Mon",
        "### Handover 16:05 UTC: a → b",
        "> ",
        "1. ",
        "2) ",
        "- ",
        "+ ",
        "|",
        "| a | b |",
        "|---|---|",
        "===",
        "---",
        "    ",
        "  ",
        "\\",
        "\\\\",
        "\\<",
        "\\&",
        "&amp;",
        "&#35;",
        "&#x23;",
        "&copy;",
        "&nosuch;",
        "& ",
        ";",
        "#tag",
        "C:\\path\\",
        "\t",
        "\n",
        "\r\n",
        "ü",
        "→",
        "日本",
        "\u{1b}",
        "\u{2028}",
        "a",
        "word",
        " ",
        "  ",
    ];
    if chosen {
        pieces.extend([
            "`",
            "``",
            "```",
            "~~~",
            "`code <b> &amp; \\`",
            "``a`b``",
            "*",
            "*em*",
            "**strong**",
            "_",
            "_em_",
            "~~gone~~",
            "[",
            "]",
            "[link](https://example.org/a_b?c=1&d=2)",
            "[t](<x y>)",
            "![img](https://example.org/i.png)",
            "<https://example.org/a?b=1&c=2>",
            "<HTTP://EXAMPLE.ORG>",
            "<mailto:alice@example.org>",
            "<https://a b>",
        ]);
    }
    // Without chosen Markdown, no character that could pair into it (a code span, emphasis,
    // strikethrough, a link) comes from the random ones either: fences mid-line are code
    // spans or strikethrough, so they count as chosen too.
    let piece = prop_oneof![
        8 => prop::sample::select(pieces),
        1 => any::<char>()
            .prop_filter("chosen Markdown", move |c| chosen || !"`*_~[]".contains(*c))
            .prop_map(|c| &*Box::leak(c.to_string().into_boxed_str())),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// `text` as `rota log` keeps it: one line, trimmed, controls shown as escapes.
fn as_logged(text: &str) -> String {
    crate::safe::printable(&text.trim().replace(['\n', '\r'], " ")).into_owned()
}

/// What pulldown-cmark, with GitHub's tables, strikethrough and task lists, makes of `doc`:
/// its block tags in order, whether it has raw HTML, and the text (code spans' too) of each
/// list item and paragraph.
fn forge_reading(doc: &str) -> (Vec<String>, bool, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let (mut blocks, mut html, mut texts) = (Vec::new(), false, Vec::new());
    for event in Parser::new_ext(doc, options) {
        match event {
            // Inline Markdown the engineer chose: its text is counted below.
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. },
            ) => {}
            Event::Start(Tag::Item | Tag::Paragraph) => {
                blocks.push(format!("{event:?}"));
                texts.push(String::new());
            }
            Event::Start(tag) => blocks.push(format!("{:?}", Event::Start(tag))),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {}
            Event::Html(_) | Event::InlineHtml(_) => html = true,
            Event::Text(text) | Event::Code(text) => {
                if let Some(last) = texts.last_mut() {
                    last.push_str(&text);
                }
            }
            Event::TaskListMarker(done) => {
                if let Some(last) = texts.last_mut() {
                    last.push_str(if done { "[x] " } else { "[ ] " });
                }
            }
            _ => {}
        }
    }
    (blocks, html, texts)
}

/// The lines rota writes typed text into, each as a forge reads it in a log.
fn written_lines(text: &str) -> [(String, &'static str); 3] {
    let escaped = escape_text(text);
    [
        (
            format!("- 09:14 UTC alice: {escaped}\n- 09:15 UTC bob: next\n"),
            "09:14 UTC alice: ",
        ),
        (
            format!("+ [ ] 16:05 UTC alice: open: {escaped}\n\nRound 1: **b**\n"),
            "[ ] 16:05 UTC alice: open: ",
        ),
        (
            format!("Note for bob: {escaped}\n\nRound 1: **b**\n"),
            "Note for bob: ",
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// What is written reads back as what was typed.
    #[test]
    fn typed_text_reads_back_as_typed(text in typed(true)) {
        let text = as_logged(&text);
        let written = escape_text(&text);
        prop_assert_eq!(unescape_text(&written), text.as_str(), "written {:?}", written);
    }

    /// On a forge, typed text opens no block and no raw HTML, whatever Markdown it holds.
    #[test]
    fn typed_text_opens_no_block_and_no_html(text in typed(true)) {
        let text = as_logged(&text);
        for (doc, _) in written_lines(&text) {
            let (blocks, html, _) = forge_reading(&doc);
            prop_assert!(!html, "{doc:?}");
            let shape = if doc.starts_with("- ") {
                vec!["Start(List(None))", "Start(Item)", "Start(Item)"]
            } else if doc.starts_with("+ ") {
                vec!["Start(List(None))", "Start(Item)", "Start(Paragraph)"]
            } else {
                vec!["Start(Paragraph)", "Start(Paragraph)"]
            };
            prop_assert_eq!(blocks, shape, "{:?}", doc);
        }
    }

    /// Without Markdown the engineer chose, a forge shows every character typed.
    #[test]
    fn a_forge_shows_typed_text_as_typed(text in typed(false)) {
        let text = as_logged(&text);
        prop_assume!(!text.is_empty()); // rota writes no empty entry, note or item
        for (doc, prefix) in written_lines(&text) {
            let (_, html, texts) = forge_reading(&doc);
            prop_assert!(!html, "{doc:?}");
            prop_assert_eq!(&texts[0], &format!("{prefix}{text}"), "{:?}", doc);
        }
    }
}

/// How typed text is written: what a forge would hide or read as structure, escaped; the
/// Markdown the engineer chose, kept.
#[test]
fn typed_text_is_written_as_a_forge_shows_it() {
    for (typed, written) in [
        // Raw HTML: GitHub would drop the tag, and the words with it.
        (
            "upgraded <ingress-nginx> to 4.11",
            "upgraded \\<ingress-nginx> to 4.11",
        ),
        ("<!-- not hidden -->", "\\<!-- not hidden -->"),
        (
            "</div> <?php ?> <!DOCTYPE x>",
            "\\</div> \\<?php ?> \\<!DOCTYPE x>",
        ),
        // After rota's words on the line, nothing here can open a block.
        ("# heading", "# heading"),
        ("> quote", "> quote"),
        ("```rust", "```rust"),
        ("~~~", "~~~"),
        ("1. item", "1. item"),
        ("| a | b |", "| a | b |"),
        ("===", "==="),
        // Autolinks that would lose their brackets are text; http(s) and mailto are kept.
        ("<db1101:5432>", "\\<db1101:5432>"),
        ("mail <alice@example.org>", "mail \\<alice@example.org>"),
        (
            "<https://example.org/?a=1&b=2>",
            "<https://example.org/?a=1&b=2>",
        ),
        ("<mailto:alice@example.org>", "<mailto:alice@example.org>"),
        ("a < b, c <- d, <3", "a < b, c <- d, <3"),
        // Entities would read as another character; a backslash would vanish.
        (
            "&amp; &#35; &copy; & AT&T",
            "\\&amp; \\&#35; \\&copy; & AT&T",
        ),
        ("C:\\Users\\*\\ \\n", "C:\\Users\\\\*\\ \\n"),
        ("ends in \\", "ends in \\\\"),
        // Code spans, emphasis and links stay the engineer's.
        (
            "ran `kubectl get <pod> -o json | jq .a\\b` and *then* **this**",
            "ran `kubectl get <pod> -o json | jq .a\\b` and *then* **this**",
        ),
        (
            "see [the runbook](https://wiki/x_y?a&b) or <https://wiki>",
            "see [the runbook](https://wiki/x_y?a&b) or <https://wiki>",
        ),
        // An unclosed backtick is text, and what follows it is escaped as text.
        ("`<b>", "`\\<b>"),
    ] {
        assert_eq!(escape_text(typed), written, "{typed:?}");
        assert_eq!(unescape_text(written), typed, "{written:?}");
    }
}

/// The escaping is what keeps the words: written as typed, a forge drops them.
#[test]
fn written_as_typed_a_forge_hides_the_tag() {
    let (_, html, texts) = forge_reading("- 09:14 UTC a: upgraded <ingress-nginx> to 4.11\n");
    assert!(html);
    assert_eq!(texts[0], "09:14 UTC a: upgraded  to 4.11");
    let escaped = format!(
        "- 09:14 UTC a: {}\n",
        escape_text("upgraded <ingress-nginx> to 4.11")
    );
    let (_, html, texts) = forge_reading(&escaped);
    assert!(!html);
    assert_eq!(texts[0], "09:14 UTC a: upgraded <ingress-nginx> to 4.11");
}

#[test]
fn log_headings_open_the_entries_after_a_record() {
    let at = "2026-11-23T16:30:00Z".parse().unwrap();
    assert_eq!(log_heading(at), "### Log 16:30 UTC");
    assert!(is_log_heading("### Log 16:30 UTC\r"));
    assert_eq!(block_start_minute("### Log 16:30 UTC"), Some(16 * 60 + 30));
    // Every record of rota's starts a block: a take-back's kind is two words.
    assert_eq!(
        block_start_minute("### Taken back 16:20 UTC: b"),
        Some(16 * 60 + 20)
    );
    assert_eq!(
        block_start_minute("### Correction 08:00 UTC: a"),
        Some(8 * 60)
    );
    assert_eq!(block_start_minute("### 16:20 UTC"), None);
    assert_eq!(
        block_start_minute("### Notes for 16:20 UTC"),
        Some(16 * 60 + 20)
    );
    assert_eq!(block_start_minute("### Taken  back 16:20 UTC"), None);
    assert!(!is_log_heading("### Log"));
    assert!(is_heading_within_day("### Handover 16:05 UTC: a → b"));
    assert!(is_heading_within_day("#### Notes"));
    assert!(!is_heading_within_day("### Log 16:30 UTC"));
    assert!(!is_heading_within_day("## 2026-11-23 Mon"));
    assert!(!is_heading_within_day("###nospace"));
}

proptest! {
    /// The fast search for a line that may open a block finds what looking at every line finds.
    #[test]
    fn any_may_open_block_looks_at_every_line(lines in prop::collection::vec(line(), 0..30)) {
        let text = lines.join("\n");
        let each = text.split('\n').any(|l| may_open_block(l.as_bytes()));
        prop_assert_eq!(any_may_open_block(text.as_bytes()), each);
    }
}

#[test]
fn a_fence_in_a_nested_list_item_ends_with_the_item() {
    // Found by the property test: the fence opens inside the nested item (four spaces), and
    // the lines after it, less indented, end the item and the fence with it.
    let text = "- Served: Mon 2026-11-23 (a)\n  - nested\n    ```  \n  -->\n</script>\n## 2026-02-01 Thu\n";
    assert_eq!(reading(text), (vec![5], vec![]));
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn record_headings_read_back_as_written() {
    let handover = HandoverHeading {
        time: "16:05",
        from: "alice",
        to: "bob",
    };
    assert_eq!(handover.to_string(), "### Handover 16:05 UTC: alice → bob");
    assert_eq!(
        HandoverHeading::parse(&handover.to_string()),
        Some(handover)
    );
    for kind in [Signed::Correction, Signed::TakenBack] {
        let signed = SignedHeading {
            kind,
            time: "16:20",
            by: "bob",
        };
        let line = signed.to_string();
        assert_eq!(SignedHeading::parse(&line), Some(signed));
        assert_eq!(
            SignedHeading::parse(&line).unwrap().minute(),
            Some(16 * 60 + 20)
        );
    }
    assert_eq!(
        SignedHeading::parse("### Correction by hand"),
        Some(SignedHeading {
            kind: Signed::Correction,
            time: "",
            by: ""
        }),
        "a correction heading without its signature still opens one"
    );
    assert_eq!(
        HandoverHeading::parse("### Handover 25:00 UTC: a → b"),
        None
    );
}

#[test]
fn a_handover_records_body_lines_read_back_as_written() {
    let days = [day("2026-11-23"), day("2026-11-24")];
    for covering_for in [None, Some("carol")] {
        let served = Served {
            days: days.to_vec(),
            by: "alice",
            covering_for,
        };
        let line = served.to_string();
        assert_eq!(BodyLine::parse(&line), BodyLine::Served(served));
    }
    assert_eq!(
        Served {
            days: days.to_vec(),
            by: "alice",
            covering_for: Some("bob")
        }
        .to_string(),
        "- Served: Mon 2026-11-23, Tue 2026-11-24 (alice, covering for bob)"
    );
    let next = next_line(day("2026-11-25"), "bob");
    assert_eq!(next, "- Next: Wed 2026-11-25 (bob)");
    assert_eq!(
        BodyLine::parse(&next),
        BodyLine::Next(Some(day("2026-11-25")))
    );
    assert_eq!(
        BodyLine::parse(&run_by_line("carol")),
        BodyLine::RunBy("carol")
    );
    assert_eq!(
        BodyLine::parse(&no_one_line(&days)),
        BodyLine::NoOne(days.to_vec())
    );
    let note = "watch <db2> & \\ the `<queue>`";
    assert_eq!(
        BodyLine::parse(&note_line("bob", note)),
        BodyLine::Note(note.into())
    );
    // Written for the reader only: they change nothing the parser reads.
    for line in [
        late_line(2),
        checklist_line("Checked the consoles", true, "all <green>"),
        on_call_again_line("alice", &days),
    ] {
        assert_eq!(BodyLine::parse(&line), BodyLine::Other, "{line}");
    }
}

#[test]
fn items_read_back_as_written() {
    for open in [true, false] {
        let what = "renew the <wiki> cert & key";
        let line = item_line(open, "16:05", "alice", what);
        assert!(is_item_line(&line));
        let BodyLine::Item(item) = BodyLine::parse(&line) else {
            panic!("{line}")
        };
        assert_eq!(
            (item.open, item.time, item.author, item.what().as_ref()),
            (open, "16:05", "alice", what)
        );
    }
}

#[test]
fn round_lines_read_back_as_written() {
    let round = RoundLine {
        number: 3,
        new_shuffle: true,
        names: vec![
            (Mark::Served, "carol"),
            (Mark::OnCall, "bob"),
            (Mark::ToCome, "dave"),
        ],
    };
    let line = round.to_string();
    assert_eq!(line, "Round 3 (new shuffle): ~~carol~~, **bob**, dave");
    assert_eq!(BodyLine::parse(&line), BodyLine::Round(Some(round.clone())));
    let same = RoundLine {
        new_shuffle: false,
        ..round
    };
    assert_eq!(RoundLine::parse(&same.to_string()), Some(same));
}

#[test]
fn the_lines_that_name_a_record_read_back_as_written() {
    let name = RecordName {
        written: Some(day("2026-11-23")),
        time: "16:10",
        from: "alice",
        to: "carol",
        runner: Some("dave"),
    };
    let standing = RecordName {
        time: "16:05",
        to: "bob",
        runner: Some("alice"),
        ..name
    };
    let line = void_line(&name, &[day("2026-11-23")], &standing);
    assert_eq!(
        line,
        "- Void: handover 2026-11-23 16:10 UTC alice → carol run by dave: Mon 2026-11-23 was already handed over at 16:05 UTC (alice → bob, run by alice)"
    );
    assert_eq!(void(&line), Some(name));
    let line = taken_back_handover_line(&name);
    assert_eq!(
        line,
        "- Handover: 2026-11-23 16:10 UTC alice → carol run by dave"
    );
    assert_eq!(taken_back_handover(&line), Some(name));
    let unnamed = RecordName {
        runner: None,
        ..name
    };
    assert_eq!(
        taken_back_handover(&taken_back_handover_line(&unnamed)),
        Some(unnamed)
    );
}

#[test]
fn entries_and_the_title_read_back_as_written() {
    let text = "restarted <ingress-nginx> & \\ its pods";
    let line = entry_line("09:14", "alice", text);
    let (time, author, written) = entry_parts(&line).unwrap();
    assert_eq!(
        (time, author, unescape_text(written).as_ref()),
        ("09:14", "alice", text)
    );
    let header = new_log_header("Cloud SRE");
    assert_eq!(
        title_team(header.lines().next().unwrap()),
        Some("Cloud SRE")
    );
    assert!(is_section_heading(&header));
}

/// The Rust files under `dir`, with the modules declared test-only (`#[cfg(test)] mod x;`)
/// left out.
fn sources(dir: &std::path::Path, found: &mut Vec<(std::path::PathBuf, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut test_only = Vec::new();
    for path in &entries {
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(path).unwrap();
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for pair in lines.windows(2) {
                if let ["#[cfg(test)]", module] = pair
                    && let Some(name) = module
                        .strip_prefix("mod ")
                        .and_then(|m| m.strip_suffix(';'))
                {
                    test_only.push(name.to_string());
                }
            }
            found.push((path.clone(), text));
        }
    }
    found.retain(|(path, _)| {
        let stem = path.file_stem().unwrap().to_string_lossy();
        !(path.parent() == Some(dir) && test_only.iter().any(|t| *t == stem))
    });
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() && !test_only.contains(&name) {
            sources(&path, found);
        }
    }
}

/// The code of a source file outside its tests: no comment lines, nothing from the tests
/// module (`#[cfg(test)] mod tests {`) on.
fn code_outside_tests(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut code = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1).map_or("", |l| l.trim());
        if line.trim() == "#[cfg(test)]" && next.starts_with("mod ") && next.ends_with('{') {
            break;
        }
        if !line.trim_start().starts_with("//") {
            code.push((i + 1, *line));
        }
    }
    code
}

/// Log syntax written as a string literal outside logformat: a line's prefix, or what a line
/// is split at. Found in a file of `rota-core` other than logformat, or in the binary's.
fn log_syntax_outside_logformat() -> Vec<String> {
    let quoted = |s: &str| format!("\"{s}");
    // rota-core writes no other Markdown: any of these is the log's.
    let core: Vec<String> = [
        TOP_HEADING,
        DAY_HEADING,
        RECORD_HEADING,
        ENTRY,
        SERVED,
        NEXT,
        RUN_BY,
        NO_ONE,
        NOTE_FOR,
        ROUND,
        VOID,
        TAKEN_BACK_HANDOVER,
        ON_CALL_AGAIN,
        OPEN_ITEM,
        DONE_ITEM,
        TITLE,
        COVERING_FOR,
        NEW_SHUFFLE,
        RUN_BY_WORDS,
        "* [",
        "- Late",
        " UTC",
        " → \"",
        "~~\"",
        "**\"",
        "\\n#",
        "open: ",
        "done: ",
    ]
    .iter()
    .map(|s| quoted(s))
    .collect();
    // The binary also writes chat messages, Markdown for `rota diff` and a web page: only the
    // literals those never hold.
    let cli: Vec<String> = [
        TITLE,
        DAY_HEADING,
        RECORD_HEADING,
        HANDOVER,
        SERVED,
        NEXT,
        RUN_BY,
        NO_ONE,
        VOID,
        TAKEN_BACK_HANDOVER,
        ON_CALL_AGAIN,
        OPEN_ITEM,
        DONE_ITEM,
        " UTC: ",
        " → \"",
        "~~",
        "**",
    ]
    .iter()
    .map(|s| quoted(s))
    .collect();
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for (dir, literals) in [
        (manifest.join("src"), &core),
        (manifest.join("../../src"), &cli),
    ] {
        if !dir.is_dir() {
            continue; // the binary's sources, when the library is built on its own
        }
        let mut files = Vec::new();
        sources(&dir, &mut files);
        for (path, text) in files {
            if path.ends_with("logformat.rs")
                || path.parent().is_some_and(|p| p.ends_with("logformat"))
            {
                continue;
            }
            for (number, line) in code_outside_tests(&text) {
                for literal in literals {
                    if line.contains(literal.as_str()) {
                        found.push(format!(
                            "{}:{number}: {literal}: {}",
                            path.display(),
                            line.trim()
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_log_syntax_outside_logformat() {
    let found = log_syntax_outside_logformat();
    assert!(
        found.is_empty(),
        "log syntax outside logformat:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_heading_a_forge_shows_as_rotas_but_written_otherwise_is_named() {
    for (line, written) in [
        (
            "###\tHandover 16:05 UTC: a → b",
            "### Handover 16:05 UTC: a → b",
        ),
        (
            " ### Handover 16:05 UTC: a → b",
            "### Handover 16:05 UTC: a → b",
        ),
        ("   ## 2026-11-23 Mon", "## 2026-11-23 Mon"),
        (
            "###  Taken back 16:20 UTC: b",
            "### Taken back 16:20 UTC: b",
        ),
        ("##\t2026-11-23 Mon", "## 2026-11-23 Mon"),
    ] {
        assert_eq!(
            heading_read_otherwise(line).as_deref(),
            Some(written),
            "{line:?}"
        );
    }
    for line in [
        "### Handover 16:05 UTC: a → b",
        "## 2026-11-23 Mon",
        "    ### Handover 16:05 UTC: a → b",
        "###Handover 16:05 UTC: a → b",
        "### Notes",
        "#### Handover 16:05 UTC: a → b",
        // rota reads these as its own: nothing differs.
        "## 2026-11-23 Mon ##",
        "text ### Handover",
    ] {
        assert_eq!(heading_read_otherwise(line), None, "{line:?}");
    }
}
