//! URLs and `/`-separated relative paths: percent-encoding, a page's URL relative to
//! another page, absolute URLs under a language's base URL, and `..` normalisation.

/// Percent-encode what may not appear raw in a URL path (`/` is kept).
pub(crate) fn encode_path(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// The URL of `to` relative to the page at `from` (both output paths under a language
/// root). Folders end with `/` (`index.html` is implied).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = {
        let mut v: Vec<&str> = from.split('/').collect();
        v.pop();
        v
    };
    let mut to_parts: Vec<&str> = to.split('/').collect();
    let file = to_parts.pop().unwrap_or("");
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut s = "../".repeat(from_dir.len() - common);
    for p in to_parts.iter().skip(common) {
        s.push_str(&encode_path(p));
        s.push('/');
    }
    if file != "index.html" {
        s.push_str(&encode_path(file));
    }
    if s.is_empty() {
        return "./".to_string();
    }
    // `step:one.html` or `javascript:x` would be read as a URL scheme: keep it a path.
    let first = s.split('/').next().unwrap_or("");
    if first.contains(':') {
        s.insert_str(0, "./");
    }
    s
}

/// Absolute URL of an output path under a language's base URL.
pub(crate) fn absolute(base: &str, out: &str) -> String {
    let path = out.strip_suffix("index.html").unwrap_or(out);
    let enc: Vec<String> = path.split('/').map(encode_path).collect();
    format!("{}/{}", base.trim_end_matches('/'), enc.join("/"))
}

/// `https://werf.io/guides` -> `/guides/`; `/` -> `/`; `` -> `/`.
pub(crate) fn base_path_of(base_url: &str) -> String {
    let after_scheme = match base_url.find("://") {
        Some(i) => {
            let rest = &base_url[i + 3..];
            rest.find('/').map(|j| &rest[j..]).unwrap_or("")
        }
        None => base_url,
    };
    let p = after_scheme.trim_matches('/');
    if p.is_empty() {
        "/".to_string()
    } else {
        format!("/{p}/")
    }
}

/// Join `target` onto the folder `dir` (both `/`-separated and relative; a `target`
/// starting with `/` starts at the root) and resolve `.` and `..`. `None` when `..`
/// would leave the root.
pub(crate) fn normalize(dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for s in target.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colon_never_makes_a_path_a_url_scheme() {
        assert_eq!(relative("a/x.html", "a/step:one.html"), "./step:one.html");
        assert_eq!(
            relative("x.html", "javascript:alert(1)"),
            "./javascript:alert(1)"
        );
        assert_eq!(
            relative("x.html", "javascript:alert(1)/"),
            "./javascript:alert(1)/"
        );
        assert_eq!(relative("a/b/x.html", "a/c:d/y.html"), "../c:d/y.html");
    }

    #[test]
    fn relative_urls() {
        assert_eq!(
            relative("flask/100_basic/010_build.html", "flask/010_intro.html"),
            "../010_intro.html"
        );
        assert_eq!(relative("flask/010_intro.html", "flask/index.html"), "./");
        assert_eq!(relative("flask/010_intro.html", "index.html"), "../");
        assert_eq!(relative("index.html", "flask/index.html"), "flask/");
        assert_eq!(relative("flask/a.html", "flask/b/c.html"), "b/c.html");
        assert_eq!(
            relative("flask/a.html", "flask/введение.html"),
            "%D0%B2%D0%B2%D0%B5%D0%B4%D0%B5%D0%BD%D0%B8%D0%B5.html"
        );
    }

    #[test]
    fn absolute_urls() {
        assert_eq!(
            absolute("https://werf.io/guides", "flask/index.html"),
            "https://werf.io/guides/flask/"
        );
        assert_eq!(
            absolute("https://werf.io/guides", "index.html"),
            "https://werf.io/guides/"
        );
        assert_eq!(absolute("", "a/b.html"), "/a/b.html");
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path_of("https://werf.io/guides"), "/guides/");
        assert_eq!(base_path_of("https://werf.io"), "/");
        assert_eq!(base_path_of("/docs/en"), "/docs/en/");
    }

    #[test]
    fn normalize_paths() {
        assert_eq!(
            normalize("flask/100_basic", "../010_intro.md").as_deref(),
            Some("flask/010_intro.md")
        );
        assert_eq!(
            normalize("flask", "./a/b.md").as_deref(),
            Some("flask/a/b.md")
        );
        assert_eq!(normalize("", "../x.md"), None);
        assert_eq!(normalize("a/b", "/c").as_deref(), Some("c"));
    }
}
