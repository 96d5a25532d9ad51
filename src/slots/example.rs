//! The slots that show example files: `<<example>>`, `<<tree>>` and `<<diff>>`, with
//! their arguments checked and the culprit argument located on error.

use super::Block;
use super::eval::Eval;
use crate::content::FileId;
use crate::examples;
use crate::syntax::slot::{Arg, Slot};
use crate::util::text::closest as did_you_mean;
use crate::vars::{self, expand_inline};

impl Eval<'_, '_> {
    pub(super) fn named<'s>(s: &'s Slot, key: &str) -> Option<&'s str> {
        s.args.iter().find_map(|(a, _)| match a {
            Arg::Named(k, v) if k == key => Some(v.as_str()),
            _ => None,
        })
    }

    pub(super) fn check_args(
        &mut self,
        file: FileId,
        s: &Slot,
        allowed: &[&str],
        positional: usize,
    ) -> bool {
        let mut ok = true;
        let mut pos = 0;
        for (a, span) in &s.args {
            match a {
                Arg::Named(k, _) if !allowed.contains(&k.as_str()) => {
                    let help = did_you_mean(k, allowed.iter().copied())
                        .map(|n| format!("did you mean '{n}'?"))
                        .or_else(|| Some(format!("<<{}>> takes: {}", s.name, allowed.join(", "))));
                    self.diag(
                        file,
                        format!("unknown argument '{k}' for <<{}>>", s.name),
                        span,
                        help,
                    );
                    ok = false;
                }
                Arg::Str(_) => pos += 1,
                Arg::Word(w) => {
                    self.diag(
                        file,
                        format!("unexpected '{w}' in <<{}>>", s.name),
                        span,
                        Some("quote paths and values: \"...\"".into()),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
        if pos > positional {
            self.diag(
                file,
                format!("<<{}>> takes at most {positional} quoted path", s.name),
                &s.span,
                None,
            );
            ok = false;
        }
        ok
    }

    /// A quoted argument with its value slots filled (`"<<app_file>>"`).
    pub(super) fn fill(&mut self, file: FileId, s: &Slot, v: &str) -> Option<String> {
        if !v.contains("<<") {
            return Some(v.to_string());
        }
        match expand_inline(self.env.config, self.env.lang, self.env.vars, v) {
            Ok(x) => Some(x),
            Err(m) => {
                self.diag(file, m, &s.span, None);
                None
            }
        }
    }

    pub(super) fn examples_dir(&self) -> String {
        vars::examples_dir(self.env.vars)
    }

    pub(super) fn resolve_path(
        &mut self,
        file: FileId,
        s: &Slot,
        path: &str,
        want_dir: bool,
    ) -> Option<examples::Resolved> {
        let base = self.examples_dir();
        match self.env.examples.resolve(&base, path, want_dir) {
            Ok(r) => {
                if !self.out.examples_used.contains(&r.rel) {
                    self.out.examples_used.push(r.rel.clone());
                }
                Some(r)
            }
            Err(e) => {
                let span = s
                    .args
                    .first()
                    .map(|a| a.1.clone())
                    .unwrap_or(s.span.clone());
                self.diag(file, e.message, &span, e.help);
                None
            }
        }
    }

    pub(super) fn example(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &["snippet", "lines", "lang", "title"], 1) {
            return None;
        }
        let Some(path) = s.args.iter().find_map(|(a, _)| match a {
            Arg::Str(p) => Some(p.clone()),
            _ => None,
        }) else {
            self.diag(
                file,
                "<<example>> needs a path: <<example \"werf.yaml\">>".into(),
                &s.span,
                None,
            );
            return None;
        };
        let path = self.fill(file, s, &path)?;
        let resolved = self.resolve_path(file, s, &path, false)?;
        let opts = examples::ShowOptions {
            snippet: Self::named(s, "snippet").map(str::to_string),
            lines: Self::named(s, "lines").map(str::to_string),
            lang: Self::named(s, "lang").map(str::to_string),
            title: Self::named(s, "title").map(str::to_string),
            page_lang: self.env.lang.to_string(),
            languages: self
                .env
                .config
                .languages
                .iter()
                .map(|l| l.code.clone())
                .collect(),
        };
        match self.env.examples.show(&resolved, &opts) {
            Ok(mut shown) => {
                if let Some(t) = &opts.title {
                    match expand_inline(self.env.config, self.env.lang, self.env.vars, t) {
                        Ok(t) => shown.title = t,
                        Err(m) => self.diag(file, m, &s.span, None),
                    }
                }
                if !self.out.shown.contains(&resolved.rel) {
                    self.out.shown.push(resolved.rel.clone());
                }
                Some(Block::Example(shown))
            }
            Err(e) => {
                let key = if e.message.contains("snippet") {
                    "snippet"
                } else {
                    "lines"
                };
                let span = s
                    .args
                    .iter()
                    .find(|(a, _)| matches!(a, Arg::Named(k, _) if k == key))
                    .map(|a| a.1.clone())
                    .unwrap_or(s.span.clone());
                self.diag(file, e.message, &span, e.help);
                None
            }
        }
    }

    pub(super) fn tree(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &[], 1) {
            return None;
        }
        let path = s
            .args
            .iter()
            .find_map(|(a, _)| match a {
                Arg::Str(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap_or_else(|| ".".to_string());
        let path = self.fill(file, s, &path)?;
        let resolved = self.resolve_path(file, s, &path, true)?;
        match self.env.examples.tree(&resolved) {
            Ok(mut t) => {
                // The first line is the folder as the author wrote it, like `tree DIR`.
                t.root = path;
                Some(Block::Tree(t))
            }
            Err(e) => {
                self.diag(file, e.message, &s.span, e.help);
                None
            }
        }
    }

    pub(super) fn diff(&mut self, file: FileId, s: &Slot) -> Option<Block> {
        if !self.check_args(file, s, &["from"], 1) {
            return None;
        }
        let Some(from) = Self::named(s, "from")
            .map(str::to_string)
            .and_then(|f| self.fill(file, s, &f))
        else {
            self.diag(
                file,
                "<<diff>> needs from=\"DIR\": the examples folder of the previous step".into(),
                &s.span,
                None,
            );
            return None;
        };
        let one = s.args.iter().find_map(|(a, _)| match a {
            Arg::Str(p) => Some(p.clone()),
            _ => None,
        });
        let one = match one {
            Some(o) => Some(self.fill(file, s, &o)?),
            None => None,
        };
        let base = self.examples_dir();
        let old = match self.env.examples.resolve(&base, &from, true) {
            Ok(r) => r,
            Err(e) => {
                let span = s
                    .args
                    .iter()
                    .find(|(a, _)| matches!(a, Arg::Named(k, _) if k == "from"))
                    .map(|a| a.1.clone())
                    .unwrap_or(s.span.clone());
                self.diag(file, e.message, &span, e.help);
                return None;
            }
        };
        let new = match self.env.examples.resolve(&base, ".", true) {
            Ok(r) => r,
            Err(e) => {
                self.diag(file, e.message, &s.span, e.help);
                return None;
            }
        };
        for r in [&old.rel, &new.rel] {
            if !self.out.examples_used.contains(r) {
                self.out.examples_used.push(r.clone());
            }
        }
        match self
            .env
            .examples
            .diff(&old, &new, one.as_deref(), self.env.lang)
        {
            Ok(d) => Some(Block::Diff(d)),
            Err(e) => {
                self.diag(file, e.message, &s.span, e.help);
                None
            }
        }
    }
}
