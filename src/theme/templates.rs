//! The theme's templates: the embedded ones with the site's `theme/templates/`
//! overrides, checked against the bounds ([`super::bounds`]) and compiled by Tera.

use std::collections::BTreeMap;

use tera::Tera;

use super::{TEMPLATES, bounds, functions};
use crate::diag::{Diagnostic, refused};
use crate::util::confine::Jail;

/// The compiled templates and what is known of them.
pub(super) struct Templates {
    pub(super) tera: Tera,
    /// Template name -> where it comes from.
    pub(super) origins: BTreeMap<String, String>,
    /// Template name -> itself and every template it uses.
    pub(super) families: BTreeMap<String, Vec<String>>,
    /// A hash of their sources (and of the environment they may read).
    pub(super) hash: u128,
}

/// The embedded templates, then `theme/templates/` overrides, compiled by Tera and
/// checked against the bounds; and a hash of their sources.
pub(super) fn templates(
    jail: &Jail,
    env: &BTreeMap<String, String>,
) -> (Templates, Vec<Diagnostic>) {
    let (found, refusals) = jail.walk(&jail.root().join("theme/templates"), &[]);
    let mut diags: Vec<Diagnostic> = refusals
        .iter()
        .map(|(p, r)| refused(jail.root(), p, r))
        .collect();
    let mut sources: BTreeMap<String, (String, String)> = TEMPLATES
        .iter()
        .map(|(n, s)| {
            (
                n.to_string(),
                (format!("(built-in theme)/{n}"), s.to_string()),
            )
        })
        .collect();
    for w in found {
        let shown = format!("theme/templates/{}", w.rel);
        match std::fs::read_to_string(&w.abs) {
            Ok(s) => {
                sources.insert(w.rel, (shown, s));
            }
            Err(err) => diags.push(Diagnostic::error(
                shown,
                format!("cannot read template: {err}"),
            )),
        }
    }
    let checked = bounds::check(&sources);
    let families = checked.families;
    diags.extend(checked.diags);
    let mut tera = Tera::default();
    functions::register(&mut tera, env);
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which mangles every URL in attributes.
    tera.set_escape_fn(crate::util::html::escape);
    let list: Vec<(String, String)> = sources
        .iter()
        .map(|(n, (_, s))| (n.clone(), s.clone()))
        .collect();
    if checked.extends_circle {
        // Reported above; Tera would recurse on it without end.
    } else if let Err(e) = tera.add_raw_templates(list) {
        // Find which template failed, for the message.
        let mut msg = tera_error(&e);
        let culprit = sources
            .iter()
            .find(|(n, _)| msg.contains(n.as_str()))
            .map(|(_, (p, _))| p.clone());
        if msg.is_empty() {
            msg = e.to_string();
        }
        diags.push(Diagnostic::error(
            culprit.unwrap_or_else(|| "theme/templates".into()),
            format!("template error: {msg}"),
        ));
    }
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    // What templates read of the environment is part of what they make.
    for (k, v) in env {
        h.update(k.as_bytes());
        h.update(&[0]);
        h.update(v.as_bytes());
        h.update(&[0]);
    }
    for (n, (_, src)) in &sources {
        h.update(n.as_bytes());
        h.update(&(src.len() as u64).to_le_bytes());
        h.update(src.as_bytes());
    }
    let origins = sources.into_iter().map(|(n, (p, _))| (n, p)).collect();
    let t = Templates {
        tera,
        origins,
        families,
        hash: h.digest128(),
    };
    (t, diags)
}

/// A Tera error with its causes, on one line.
pub(crate) fn tera_error(e: &tera::Error) -> String {
    use std::error::Error;
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ")
}
