//! What a build is asked to do ([`BuildOptions`]) and what it reports it did
//! ([`Stats`], the summary line).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::NotesMode;
use crate::util::text::plural;

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holding book.toml).
    pub root: PathBuf,
    /// The output folder; `None`: `[build] out_dir` of book.toml.
    pub out: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Replace each language's base URL (serve: the local server's).
    pub base_urls: Option<HashMap<String, String>>,
    /// Override `[build] notes` (serve shows notes even when the site hides them).
    pub notes: Option<NotesMode>,
    /// Keep what `check` reads of every page (links, code blocks, prose counts), and go
    /// on past errors: pages are rendered as well as they can be, so one mistake hides
    /// no other finding, and the errors are among the build's diagnostics.
    pub collect: bool,
    /// Reuse and fill the build cache in `.guidegen-cache/` (`build_and_write` only;
    /// `guidegen build --no-cache` turns it off).
    pub cache: bool,
    /// A build for publishing (`guidegen build --publish`): author notes are errors,
    /// unless book.toml hides them (`[build] notes = "hide"`).
    pub publish: bool,
    /// Kinds of findings this build accepts (`guidegen build --allow broken-link`),
    /// besides `[check] allow` of book.toml: they are warnings, not errors.
    pub allow: Vec<crate::diag::Code>,
}

impl BuildOptions {
    /// Build the site at `root` as `guidegen build` does, with book.toml's settings.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            base_urls: None,
            notes: None,
            collect: false,
            cache: true,
            publish: false,
            allow: Vec::new(),
        }
    }
}

/// What a build made, for its one-line summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Languages built.
    pub languages: usize,
    /// Guides, counted once per language.
    pub guides: usize,
    /// Pages rendered, every language.
    pub pages: usize,
    /// Warnings reported.
    pub warnings: usize,
    /// Pages taken unchanged from the build cache.
    pub cached: usize,
    /// Wall time of the build.
    pub elapsed: Duration,
}

impl Stats {
    /// What a build of `model` made: `pages` pages, `cached` of them from the build
    /// cache, with `diags`, started at `started`.
    pub(crate) fn of(
        model: &super::Model,
        pages: usize,
        diags: &[crate::diag::Diagnostic],
        cached: usize,
        started: std::time::Instant,
    ) -> Stats {
        Stats {
            languages: model.config.languages.len(),
            guides: model.site.guides.len(),
            pages,
            warnings: diags
                .iter()
                .filter(|d| d.level == crate::diag::Level::Warning)
                .count(),
            cached,
            elapsed: started.elapsed(),
        }
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Built {}, {}, {} with {} in {:.2} s",
            plural(self.languages, "language"),
            plural(self.guides, "guide"),
            plural(self.pages, "page"),
            plural(self.warnings, "warning"),
            self.elapsed.as_secs_f64()
        )?;
        if self.cached > 0 {
            write!(f, " ({} unchanged, from the cache)", self.cached)?;
        }
        Ok(())
    }
}
