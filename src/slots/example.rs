//! The slots that show example files: `<<example>>`, `<<tree>>` and `<<diff>>`, with
//! their arguments checked and the culprit argument located on error.

use std::ops::Range;

use super::Block;
use super::eval::Eval;
use crate::content::FileId;
use crate::diag::Problem;
use crate::examples;
use crate::syntax::slot::{Arg, Slot};
use crate::util::text::closest as did_you_mean;
use crate::vars::{self, expand_inline};

/// The value of `key="..."`.
fn named<'s>(s: &'s Slot, key: &str) -> Option<&'s str> {
    s.args.iter().find_map(|(a, _)| match a {
        Arg::Named(k, v) if k == key => Some(v.as_str()),
        _ => None,
    })
}

/// The first quoted argument (a path).
fn first_str(s: &Slot) -> Option<String> {
    s.args.iter().find_map(|(a, _)| match a {
        Arg::Str(p) => Some(p.clone()),
        _ => None,
    })
}

/// Where to point at for a problem with argument `key` (the whole slot if absent).
fn arg_span(s: &Slot, key: Option<&str>) -> Range<usize> {
    s.args
        .iter()
        .find(|(a, _)| match (a, key) {
            (Arg::Named(k, _), Some(key)) => k == key,
            (Arg::Str(_), None) => true,
            _ => false,
        })
        .map(|a| a.1.clone())
        .unwrap_or(s.span.clone())
}

impl Eval<'_, '_> {
    fn check_args(&mut self, file: FileId, s: &Slot, allowed: &[&str], positional: usize) -> bool {
        let mut ok = true;
        let mut pos = 0;
        for (a, span) in &s.args {
            let p = match a {
                Arg::Named(k, _) if !allowed.contains(&k.as_str()) => {
                    Problem::new(format!("unknown argument '{k}' for <<{}>>", s.name))
                        .suggest(did_you_mean(k, allowed.iter().copied()))
                        .help_unless_suggested(format!(
                            "<<{}>> takes: {}",
                            s.name,
                            allowed.join(", ")
                        ))
                }
                Arg::Word(w) => Problem::new(format!("unexpected '{w}' in <<{}>>", s.name))
                    .help("quote paths and values: \"...\""),
                Arg::Str(_) => {
                    pos += 1;
                    continue;
                }
                Arg::Named(..) => continue,
            };
            self.diag(file, p, span);
            ok = false;
        }
        if pos > positional {
            let p = Problem::new(format!(
                "<<{}>> takes at most {positional} quoted path",
                s.name
            ));
            self.diag(file, p, &s.span);
            ok = false;
        }
        ok
    }

    /// A quoted argument with its value slots filled (`"<<app_file>>"`).
    fn fill(&mut self, file: FileId, s: &Slot, v: &str) -> Option<String> {
        if !v.contains("<<") {
            return Some(v.to_string());
        }
        match expand_inline(self.env.config, self.env.lang, self.env.vars, v) {
            Ok(x) => Some(x),
            Err(p) => {
                self.diag(file, p.unlocated(), &s.span);
                None
            }
        }
    }

    fn examples_dir(&self) -> String {
        vars::examples_dir(self.env.vars)
    }

    /// Remember that the page reads `rel` under `examples/`.
    fn uses(&mut self, rel: &str) {
        if !self.out.examples_used.iter().any(|e| e == rel) {
            self.out.examples_used.push(rel.to_string());
        }
    }

    /// Resolve a path argument; a problem points at argument `key` (the path if `None`).
    fn resolve_path(
        &mut self,
        file: FileId,
        s: &Slot,
        path: &str,
        want_dir: bool,
        key: Option<&str>,
    ) -> Option<examples::Resolved> {
        let base = self.examples_dir();
        match self.env.examples.resolve(&base, path, want_dir) {
            Ok(r) => {
                self.uses(&r.rel);
                Some(r)
            }
            Err(p) => {
                self.diag(file, p, &arg_span(s, key));
                None
            }
        }
    }

    pub(super) fn example(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &["snippet", "lines", "lang", "title"], 1) {
            return None;
        }
        let Some(path) = first_str(s) else {
            let p = Problem::new("<<example>> needs a path: <<example \"werf.yaml\">>");
            self.diag(file, p, &s.span);
            return None;
        };
        let path = self.fill(file, s, &path)?;
        let resolved = self.resolve_path(file, s, &path, false, None)?;
        let opts = examples::ShowOptions {
            snippet: named(s, "snippet").map(str::to_string),
            lines: named(s, "lines").map(str::to_string),
            lang: named(s, "lang").map(str::to_string),
            title: named(s, "title").map(str::to_string),
            page_lang: self.env.lang.to_string(),
        };
        match self.env.examples.show(&resolved, &opts) {
            Ok(mut shown) => {
                if let Some(t) = &opts.title {
                    match expand_inline(self.env.config, self.env.lang, self.env.vars, t) {
                        Ok(t) => shown.title = t,
                        Err(p) => self.diag(file, p.unlocated(), &s.span),
                    }
                }
                if !self.out.shown.contains(&resolved.rel) {
                    self.out.shown.push(resolved.rel.clone());
                }
                Some(Block::Example(shown))
            }
            Err(p) => {
                let span = arg_span(s, Some(p.arg.unwrap_or("lines")));
                self.diag(file, p, &span);
                None
            }
        }
    }

    pub(super) fn tree(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &[], 1) {
            return None;
        }
        let path = first_str(s).unwrap_or_else(|| ".".to_string());
        let path = self.fill(file, s, &path)?;
        let resolved = self.resolve_path(file, s, &path, true, None)?;
        match self.env.examples.tree(&resolved) {
            Ok(mut t) => {
                // The first line is the folder as the author wrote it, like `tree DIR`.
                t.root = path;
                Some(Block::Tree(t))
            }
            Err(p) => {
                self.diag(file, p, &s.span);
                None
            }
        }
    }

    pub(super) fn diff(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &["from"], 1) {
            return None;
        }
        let Some(from) = named(s, "from")
            .map(str::to_string)
            .and_then(|f| self.fill(file, s, &f))
        else {
            let p = Problem::new(
                "<<diff>> needs from=\"DIR\": the examples folder of the previous step",
            );
            self.diag(file, p, &s.span);
            return None;
        };
        let one = match first_str(s) {
            Some(o) => Some(self.fill(file, s, &o)?),
            None => None,
        };
        let base = self.examples_dir();
        let old = match self.env.examples.resolve(&base, &from, true) {
            Ok(r) => r,
            Err(p) => {
                self.diag(file, p, &arg_span(s, Some("from")));
                return None;
            }
        };
        let new = match self.env.examples.resolve(&base, ".", true) {
            Ok(r) => r,
            Err(p) => {
                self.diag(file, p, &s.span);
                return None;
            }
        };
        self.uses(&old.rel);
        self.uses(&new.rel);
        match self
            .env
            .examples
            .diff(&old, &new, one.as_deref(), self.env.lang)
        {
            Ok(d) => Some(Block::Diff(d)),
            Err(p) => {
                self.diag(file, p, &s.span);
                None
            }
        }
    }
}
