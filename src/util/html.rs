//! HTML escaping: the one function every stage, the theme and the dev server use; and
//! its inverse for the text of guidegen's own HTML (search).

/// Escape text for HTML element content and for attribute values in either quoting:
/// `<`, `>`, `&`, `"` and `'` become character references.
/// The start of a server-side include directive, as nginx (and Apache) read it
/// anywhere in a page.
pub(crate) const SERVER_DIRECTIVE: &str = "<!--#";

pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    escape_into(s, &mut o);
    o
}

/// [`escape`], appending to `out`.
pub(crate) fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Character references in text back to characters: the named ones [`escape`] and
/// pulldown-cmark write, and numeric ones. Anything else is kept as written.
pub(crate) fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
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
    fn escapes_markup_and_both_quotes() {
        assert_eq!(
            escape("<a href='x'>\"&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(escape("Привет"), "Привет");
    }

    #[test]
    fn unescape_reverses_escape() {
        let s = "<a href='x'>\"&\"</a> Привет &#8212; &#x41;";
        assert_eq!(unescape(&escape(s)), s);
        assert_eq!(
            unescape("&#8212;&#x41;&nbsp;&bogus; & x"),
            "\u{2014}A\u{a0}&bogus; & x"
        );
    }
}
