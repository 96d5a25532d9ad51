//! The files of `static/`, copied into every language: listed with links that stay
//! inside the site followed (links that leave it or loop are errors), and checked for
//! what the server would run (a server directive in an HTML file).

use std::path::Path;

use crate::diag::{Diagnostic, refused};
use crate::util::confine::{Found, Jail};

/// The files of `static/` (links that stay inside the site followed), and the links
/// that leave it or loop, as errors.
/// An HTML file of `static/` that holds a server directive is an error: the server
/// would run it for every reader.
pub(super) fn statics(root: &Path) -> (Vec<Found>, Vec<Diagnostic>) {
    let (found, refusals) = Jail::new(root).walk(&root.join("static"), &[]);
    let mut diags: Vec<Diagnostic> = refusals.iter().map(|(p, r)| refused(root, p, r)).collect();
    for f in &found {
        let html = f.rel.rsplit('.').next().is_some_and(|e| {
            ["html", "htm", "shtml", "xhtml"].contains(&e.to_ascii_lowercase().as_str())
        });
        let Some(text) = html.then(|| std::fs::read(&f.abs).ok()).flatten() else {
            continue;
        };
        let text = String::from_utf8_lossy(&text);
        if let Some(at) = text.find(crate::util::html::SERVER_DIRECTIVE) {
            diags.push(
                Diagnostic::error(
                    format!("static/{}", f.rel),
                    "a server directive (`<!--#...-->`) in a static page: the server would run it for every reader",
                )
                .with_code(crate::diag::Code::ServerDirective)
                .with_help("remove it; the host's includes are written by guidegen from [publish] in book.toml")
                .at(&text, at, at + 5),
            );
        }
    }
    (found, diags)
}
