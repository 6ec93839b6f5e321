//! HTML for the published page: escaping, which link targets are safe, and Markdown rendered
//! so that nothing in it can run. The team's files are untrusted (anyone who can push writes
//! them), and the page is served to everyone who reads it.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// `text` for an HTML text node or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a link may point at `url`: http, https, mailto, or a relative URL. Anything else
/// (`javascript:`, `data:`, `vbscript:`...) could run or carry code. Browsers ignore tabs,
/// newlines and leading spaces and controls in a scheme, so those are ignored here too.
pub fn is_safe_url(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    // A scheme is what comes before the first `:`, if no `/`, `?` or `#` comes first.
    match url.find([':', '/', '?', '#']) {
        Some(i) if url[i..].starts_with(':') => {
            let scheme = url[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Markdown as HTML (CommonMark with tables, strikethrough and task lists). Raw HTML is shown
/// as text, not passed through; a link to an unsafe URL keeps its text and loses its target;
/// an image becomes a link to it, so the page makes no request of its own.
pub fn markdown(text: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: if is_safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("#")
            },
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn only_web_mail_and_relative_links_are_safe() {
        for url in [
            "https://example.org/x",
            "http://example.org",
            "MAILTO:a@example.org",
            "runbooks/db.md",
            "/absolute/path",
            "#section",
            "?q=a:b",
            "x/y:z",
        ] {
            assert!(is_safe_url(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<b>",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe_url(url), "{url:?}");
        }
    }

    #[test]
    fn markdown_renders_without_raw_html_or_unsafe_links() {
        let html = markdown(
            "# When it breaks\n\n- call <b>Bob</b>\n- [run](javascript:alert(1)) [docs](https://example.org)\n\n<script>alert(1)</script>\n\n![logo](https://example.org/logo.png)\n",
        );
        assert_eq!(
            html,
            "<h1>When it breaks</h1>\n<ul>\n<li>call &lt;b&gt;Bob&lt;/b&gt;</li>\n<li><a href=\"#\">run</a> <a href=\"https://example.org\">docs</a></li>\n</ul>\n&lt;script&gt;alert(1)&lt;/script&gt;\n<p><a href=\"https://example.org/logo.png\">logo</a></p>\n"
        );
    }
}
