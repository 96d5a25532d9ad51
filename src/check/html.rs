//! What a page's HTML links to and which anchors it has: a small, tolerant scan of the
//! tags (the HTML is guidegen's own, plus what authors wrote raw), not a DOM. Comments,
//! `<script>` and `<style>` contents are skipped; attribute values are entity-decoded.

/// A link found in a page: the attribute's value and the tag it sits on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Href {
    pub(super) url: String,
    /// `a`, `img`, `link`, `script`, `source`, ...
    pub(super) tag: String,
}

/// The links (`href`, `src`) and anchors (`id`, `name`) of a page.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub(super) links: Vec<Href>,
    pub(super) ids: std::collections::HashSet<String>,
}

/// Scan `html` for links and anchors.
pub(super) fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|k| i + k) {
        i = lt + 1;
        if html[lt..].starts_with("<!--") {
            i = html[lt..].find("-->").map_or(html.len(), |k| lt + k + 3);
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |k| i + k);
        let name = html[i..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let (attrs, end) = attributes(html, name_end);
        i = end;
        for (k, v) in attrs {
            match k.as_str() {
                "href" | "src" => out.links.push(Href {
                    url: v,
                    tag: name.clone(),
                }),
                "id" => {
                    out.ids.insert(v);
                }
                "name" if name == "a" => {
                    out.ids.insert(v);
                }
                _ => {}
            }
        }
        // The text of these elements is not markup.
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = find_ci(html, i, &close).unwrap_or(html.len());
        }
        if i >= b.len() {
            break;
        }
    }
    out
}

/// Case-insensitive search of an ASCII needle from `from`.
fn find_ci(h: &str, from: usize, needle: &str) -> Option<usize> {
    let lower = h.get(from..)?.to_ascii_lowercase();
    lower.find(needle).map(|k| from + k)
}

/// The attributes of a tag starting at `i` (after its name), and where the tag ends.
fn attributes(h: &str, mut i: usize) -> (Vec<(String, String)>, usize) {
    let b = h.as_bytes();
    let mut out = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (out, i);
        }
        if b[i] == b'>' {
            return (out, i + 1);
        }
        let k0 = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = h[k0..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (v, next) = value(h, i);
            out.push((key, decode_entities(&v)));
            i = next;
        } else if !key.is_empty() {
            out.push((key, String::new()));
        } else {
            i += 1;
        }
    }
}

/// An attribute value at `i`: quoted with `"` or `'`, or bare.
fn value(h: &str, i: usize) -> (String, usize) {
    let b = h.as_bytes();
    match b.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = h[i + 1..].find(q as char).map_or(h.len(), |k| i + 1 + k);
            (h[i + 1..end].to_string(), (end + 1).min(h.len()))
        }
        _ => {
            let end = h[i..]
                .find(|c: char| c.is_whitespace() || c == '>')
                .map_or(h.len(), |k| i + k);
            (h[i..end].to_string(), end)
        }
    }
}

/// Decode the character references HTML attributes use (`&amp;`, `&#39;`, `&#x2F;`).
pub(super) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(semi) = after.find(';').filter(|&k| k <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..semi];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_and_anchors() {
        let h = r#"<!-- <a href="no"> --><h2 id="установка">x</h2><a class=x href='a.html#b&amp;c'>y</a>
<img src=pic.png alt="x > y"><script>var a = "<a href='inside'>";</script><a name=old></a>
<link rel="stylesheet" href="../assets/style.css">"#;
        let s = scan(h);
        let urls: Vec<&str> = s.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, vec!["a.html#b&c", "pic.png", "../assets/style.css"]);
        assert!(s.ids.contains("установка") && s.ids.contains("old"));
        assert_eq!(decode_entities("&#39;&#x41;&lt;&bogus;"), "'A<&bogus;");
    }
}
