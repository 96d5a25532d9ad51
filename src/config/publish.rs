//! `[publish]`: how the site sits inside a host site. The werf guides are published
//! inside werf.io, whose nginx fills server-side includes (`<!--#include virtual=... -->`)
//! with its own head, top navigation and footer; these options make every page ask for
//! them, and choose the colour scheme the host uses. Off by default: `build` output
//! stays a self-contained site.

use serde::Serialize;

pub(crate) use super::raw::{ColorScheme, HostedSearch};
use super::raw::{RawPublish, find_key};
use crate::diag::Diagnostic;

/// `[publish]`, resolved. Templates see it as `publish`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Publish {
    /// Virtual path included at the top of `<head>`.
    pub ssi_head: Option<String>,
    /// Virtual path included first in `<body>`: the host's top navigation.
    pub ssi_header: Option<String>,
    /// Virtual path included last in `<body>`.
    pub ssi_footer: Option<String>,
    pub color_scheme: ColorScheme,
    /// Classes of `<html>`: `gg-hosted` under a host header, `gg-light`/`gg-dark`.
    pub html_class: String,
    /// Inside a host site (a host header is included): where the guides' search goes.
    pub hosted: bool,
    pub search: HostedSearch,
    /// The height of the host's sticky or fixed header (a CSS length), when known;
    /// else the page measures it.
    pub header_height: Option<String>,
}

/// The includes of werf.io, for `chrome = "werf.io"`.
const WERF_IO: [&str; 3] = [
    "/includes/head-common.html",
    "/includes/topnav.html",
    "/includes/footer.html",
];

pub(super) fn resolve(text: &str, raw: RawPublish) -> Result<Publish, Diagnostic> {
    let profile = match raw.chrome.as_deref() {
        None => [None; 3],
        Some("werf.io") => WERF_IO.map(Some),
        Some(other) => {
            let d = Diagnostic::error(
                "book.toml",
                format!("[publish] chrome '{other}' is not a known host site"),
            )
            .with_help("use chrome = \"werf.io\", or set ssi_head, ssi_header and ssi_footer");
            return Err(located(d, text, "chrome"));
        }
    };
    let pick = |key: &str, own: Option<String>, default: Option<&str>| {
        let v = own.or_else(|| default.map(str::to_string));
        match v {
            Some(p) if !valid_virtual(&p) => Err(located(
                Diagnostic::error(
                    "book.toml",
                    format!("[publish] {key} '{p}' is not a path on the host site"),
                )
                .with_help("write an absolute path such as \"/includes/topnav.html\" (letters, digits, / . _ - ~ only)"),
                text,
                key,
            )),
            v => Ok(v.filter(|p| !p.is_empty())),
        }
    };
    let ssi_head = pick("ssi_head", raw.ssi_head, profile[0])?;
    let ssi_header = pick("ssi_header", raw.ssi_header, profile[1])?;
    let ssi_footer = pick("ssi_footer", raw.ssi_footer, profile[2])?;
    let color_scheme = raw.color_scheme.unwrap_or_default();
    let header_height = match raw.header_height {
        Some(h) if !valid_length(&h) => {
            let d = Diagnostic::error(
                "book.toml",
                format!("[publish] header_height '{h}' is not a CSS length"),
            )
            .with_help("write a length such as \"90px\" or \"5.5rem\"");
            return Err(located(d, text, "header_height"));
        }
        h => h,
    };
    let mut classes = Vec::new();
    if ssi_header.is_some() {
        classes.push("gg-hosted");
    }
    match color_scheme {
        ColorScheme::Auto => {}
        ColorScheme::Light => classes.push("gg-light"),
        ColorScheme::Dark => classes.push("gg-dark"),
    }
    Ok(Publish {
        hosted: ssi_header.is_some(),
        ssi_head,
        ssi_header,
        ssi_footer,
        color_scheme,
        html_class: classes.join(" "),
        search: raw.search.unwrap_or_default(),
        header_height,
    })
}

/// An include inside the guides themselves (`/guides/en/index.html` when a language is
/// published under `/guides`) would put pages into pages without end: nginx answers
/// nothing while it tries. `bases`: the languages' base URLs.
pub(super) fn not_inside(text: &str, p: &Publish, bases: &[&str]) -> Result<(), Diagnostic> {
    let keys = [
        ("ssi_head", &p.ssi_head),
        ("ssi_header", &p.ssi_header),
        ("ssi_footer", &p.ssi_footer),
    ];
    for (key, path) in keys {
        let Some(path) = path else { continue };
        for base in bases {
            let base_path = match base.split_once("://") {
                Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
                None => base,
            };
            let base_path = base_path.trim_end_matches('/');
            if !base_path.is_empty()
                && (path == base_path || path.starts_with(&format!("{base_path}/")))
            {
                let d = Diagnostic::error(
                    "book.toml",
                    format!("[publish] {key} '{path}' is inside the guides ({base}): pages would include pages without end"),
                )
                .with_help("include a file of the host site, outside the guides (werf.io's are under /includes/)");
                return Err(located(d, text, key));
            }
        }
    }
    Ok(())
}

/// A CSS length of a number and a unit (`90px`, `5.5rem`), nothing else (it is written
/// into a stylesheet).
fn valid_length(h: &str) -> bool {
    let unit = h.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let number = &h[..h.len() - unit.len()];
    !number.is_empty() && number.parse::<f64>().is_ok() && ["px", "rem", "em", "vh"].contains(&unit)
}

/// A path nginx can include and an HTML comment can hold: absolute, plain characters,
/// no `..` and no `--` (which would end the comment). Empty turns an include off.
fn valid_virtual(p: &str) -> bool {
    p.is_empty()
        || (p.starts_with('/')
            && !p.contains("..")
            && !p.contains("--")
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-~".contains(c)))
}

fn located(d: Diagnostic, text: &str, key: &str) -> Diagnostic {
    match find_key(text, key) {
        Some((s, e)) => d.at(text, s, e),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publish(toml: &str) -> Result<Publish, Diagnostic> {
        let raw: super::super::raw::RawConfig = toml::from_str(toml).unwrap();
        resolve(toml, raw.publish)
    }

    #[test]
    fn off_by_default() {
        let p = publish("").unwrap();
        assert_eq!(p, Publish::default());
    }

    #[test]
    fn werf_io_profile_and_overrides() {
        let p = publish(
            "[publish]\nchrome = \"werf.io\"\nssi_footer = \"\"\ncolor_scheme = \"light\"\n",
        )
        .unwrap();
        assert_eq!(p.ssi_head.as_deref(), Some("/includes/head-common.html"));
        assert_eq!(p.ssi_header.as_deref(), Some("/includes/topnav.html"));
        assert_eq!(p.ssi_footer, None);
        assert_eq!(p.html_class, "gg-hosted gg-light");
    }

    #[test]
    fn a_path_that_could_break_out_of_the_comment_is_refused() {
        for bad in ["includes/x.html", "/a/../b", "/x-->y", "/a\" onload=\"x"] {
            let t = format!("[publish]\nssi_header = '{bad}'\n");
            let e = publish(&t).unwrap_err().to_string();
            assert!(
                e.contains("book.toml:2:1: [publish] ssi_header"),
                "{bad}: {e}"
            );
        }
        let e = publish("[publish]\nchrome = \"werf\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a known host site"), "{e}");
    }
}
