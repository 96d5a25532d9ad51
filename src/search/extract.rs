//! The text of a rendered page, as search indexes it: split into sections at `h2`/`h3`
//! headings (so a result can open the page at its section), prose apart from code, and
//! without what a reader would not search for (author notes, copy buttons, heading
//! anchors, the list of files used). The HTML is guidegen's own, well formed; this walks its tags.

use crate::util::html::unescape;

/// One part of a page: before the first heading, or from a heading to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Part {
    /// The heading's id (empty: the top of the page).
    pub anchor: String,
    pub heading: String,
    /// Prose: paragraphs, lists, tables, inline code, file names.
    pub text: String,
    /// Code blocks.
    pub code: String,
}

/// Elements whose text search leaves out, by class.
const SKIP_CLASSES: &[&str] = &[
    "gg-note",
    "gg-note-summary",
    "gg-anchor",
    "gg-copy",
    "gg-files",
];
/// Elements whose text search leaves out, by name.
const SKIP_TAGS: &[&str] = &["button", "script", "style", "template"];
/// Inline elements: no word break at their tags.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "code", "em", "i", "kbd", "mark", "s", "small", "span", "strong", "sub",
    "sup", "u",
];

pub(crate) fn sections(html: &str) -> Vec<Part> {
    let mut out = vec![Part::default()];
    let mut skip: Option<(String, usize)> = None;
    let mut pre = 0usize;
    let mut in_heading = false;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest, skip.is_some(), pre > 0, in_heading);
            break;
        };
        push_text(&mut out, &rest[..lt], skip.is_some(), pre > 0, in_heading);
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let bare = tag.trim_start_matches('/');
        let end = bare
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(bare.len());
        let lower;
        let name = if bare[..end].bytes().any(|b| b.is_ascii_uppercase()) {
            lower = bare[..end].to_ascii_lowercase();
            lower.as_str()
        } else {
            &bare[..end]
        };
        if let Some((skipped, depth)) = &mut skip {
            if skipped == name && !tag.ends_with('/') {
                if closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
                if *depth == 0 {
                    skip = None;
                }
            }
            continue;
        }
        if !closing && (SKIP_TAGS.contains(&name) || has_class(tag, SKIP_CLASSES)) {
            skip = Some((name.to_string(), 1));
            continue;
        }
        match (name, closing) {
            // Highlighted code is mostly tags: take its text in one sweep.
            ("pre", false) if pre == 0 => {
                let end = rest.find("</pre>").unwrap_or(rest.len());
                let code = strip_tags(&rest[..end]);
                push_text(&mut out, &code, false, true, false);
                push_text(&mut out, " ", false, true, false);
                rest = &rest[end..];
                pre += 1;
            }
            ("pre", false) => pre += 1,
            ("pre", true) => pre = pre.saturating_sub(1),
            ("h2" | "h3", false) => {
                out.push(Part {
                    anchor: attr(tag, "id").unwrap_or_default(),
                    ..Part::default()
                });
                in_heading = true;
            }
            ("h2" | "h3", true) => in_heading = false,
            _ => {}
        }
        if !INLINE.contains(&name) {
            push_text(&mut out, " ", false, pre > 0, in_heading);
        }
    }
    for s in &mut out {
        s.heading = squash(&s.heading);
        s.text = squash(&s.text);
        s.code = squash(&s.code);
    }
    // The top of a page that starts with a heading is empty.
    if out.len() > 1 && out[0].text.is_empty() && out[0].code.is_empty() {
        out.remove(0);
    }
    out
}

fn push_text(out: &mut [Part], raw: &str, skipped: bool, code: bool, heading: bool) {
    if skipped || raw.is_empty() {
        return;
    }
    let Some(s) = out.last_mut() else { return };
    let text: std::borrow::Cow<'_, str> = if raw.contains('&') {
        unescape(raw).into()
    } else {
        raw.into()
    };
    if heading {
        s.heading.push_str(&text);
    } else if code {
        s.code.push_str(&text);
    } else {
        s.text.push_str(&text);
    }
}

/// The text of an HTML fragment without any tag.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 4);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        match rest[lt..].find('>') {
            Some(gt) => rest = &rest[lt + gt + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whitespace runs as one space, trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Does the tag have one of `classes` (all of which start with `gg-`)?
fn has_class(tag: &str, classes: &[&str]) -> bool {
    (tag.contains("\"gg-") || tag.contains(" gg-"))
        && attr(tag, "class").is_some_and(|v| v.split_whitespace().any(|c| classes.contains(&c)))
}

/// The value of attribute `name` in a tag's text (quoted with `"`, as guidegen writes).
fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}=\"");
    let at = tag.find(&pat)? + pat.len();
    let end = tag[at..].find('"')?;
    Some(unescape(&tag[at..at + end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_headings_and_keeps_code_apart() {
        let html = concat!(
            "<p>Intro &amp; <code>werf.yaml</code></p>\n",
            "<p><span class=\"gg-note\" role=\"note\">secret note</span></p>",
            "<div class=\"gg-code\"><pre><code><span class=\"hl-x\">werf</span> build</code></pre>",
            "<button class=\"gg-copy\" type=\"button\">Copy</button></div>",
            "<h2 id=\"сборка\">Сборка<a class=\"gg-anchor\" href=\"#x\">#</a></h2>",
            "<ul><li>one</li><li>two</li></ul>",
            "<h3 id=\"x&amp;y\">Deep <em>part</em></h3><p>Text</p>",
        );
        let s = sections(html);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].text, "Intro & werf.yaml");
        assert_eq!(s[0].code, "werf build");
        assert_eq!(
            (s[1].anchor.as_str(), s[1].heading.as_str()),
            ("сборка", "Сборка")
        );
        assert_eq!(s[1].text, "one two");
        assert_eq!(
            (s[2].anchor.as_str(), s[2].heading.as_str()),
            ("x&y", "Deep part")
        );
        assert!(!format!("{s:?}").contains("secret") && !format!("{s:?}").contains("Copy"));
    }

    #[test]
    fn a_page_that_starts_with_a_heading_has_no_empty_top() {
        let s = sections("<h2 id=\"a\">A</h2><p>x</p>");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].anchor, "a");
    }
}
