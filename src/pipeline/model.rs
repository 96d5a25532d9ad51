//! The loaded site ([`Model`]): what `config` and `content` produce, with the theme, the
//! example files and the build's options. Loaded once; the render pass reads it and
//! never changes it, so it renders again as often as asked (`serve` keeps one and
//! renders the pages an edit touches). Only a rebuild swaps in a new content load.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{BuildOptions, Failure, outputs, statics, titles};
use crate::config::{Config, NotesMode};
use crate::content::{self, PageId};
use crate::diag::{Code, Diagnostic};
use crate::examples::ExampleStore;
use crate::markdown::Renderers;
use crate::render::Renderer;
use crate::slots;
use crate::theme::Theme;
use crate::util::confine::Found;

/// A site loaded and checked, ready to render.
pub struct Model {
    pub(crate) config: Config,
    pub(crate) site: content::Site,
    pub(crate) theme: Theme,
    pub(crate) examples: ExampleStore,
    /// Sources parsed once per loaded site (see `slots::ParseCache`).
    pub(crate) parsed: slots::ParseCache,
    /// lang -> the absolute URL the language is published at (or served from).
    pub(crate) base_urls: HashMap<String, String>,
    pub(crate) notes: NotesMode,
    /// The files of `static/`, copied into every language.
    pub(crate) statics: Vec<Found>,
    /// Keep what `check` reads of every page, and render pages in error too.
    pub(crate) collect: bool,
    /// Kinds of findings accepted by the command line (`build --allow`).
    pub(crate) allow: Vec<Code>,
    /// Where the site is written.
    pub(crate) out_dir: PathBuf,
    /// What renders each kind of block of a page (code, examples, trees, diffs…).
    pub(crate) renderers: Renderers,
}

impl Model {
    /// Configuration, content and theme, every problem of them: the model, and the
    /// warnings (and, for `check`, the errors it goes on past).
    pub(crate) fn load(opts: &BuildOptions) -> Result<(Model, Vec<Diagnostic>), Failure> {
        let root = &opts.root;
        let config = Config::load(root).map_err(|d| Failure {
            diagnostics: vec![d],
        })?;
        // Content and theme are both checked, so one build reports every problem.
        let (site, mut diags) = content::load(&config, opts.drafts);
        diags.extend(config.warnings.iter().cloned());
        let (theme, theme_diags) =
            Theme::load(root, &config.language_codes(), &config.template_env);
        diags.extend(theme_diags);
        // `check` goes on past files in error, so that it can check every other page.
        let stop = !opts.collect && diags.iter().any(Diagnostic::is_error);
        let (Some(mut site), Some(mut theme), false) = (site, theme, stop) else {
            return Err(Failure::from(diags));
        };
        if config.publish.hosted {
            theme.assets.insert(
                "hosted.css".into(),
                crate::render::hosted_css(&config.publish).into_bytes(),
            );
        }
        let base_urls = opts.base_urls.clone().unwrap_or_else(|| {
            config
                .languages
                .iter()
                .map(|l| (l.code.clone(), l.base_url.clone()))
                .collect()
        });
        let (statics, refusals) = statics::statics(root);
        diags.extend(refusals);
        titles::resolve_titles(&config, &mut site, &mut diags);
        diags.extend(outputs::check(&config, &site, &theme, &statics));
        if diags.iter().any(Diagnostic::is_error) && !opts.collect {
            return Err(Failure::from(diags));
        }
        let model = Model {
            notes: opts.notes.unwrap_or(match (opts.publish, config.notes) {
                (true, NotesMode::Warn) => NotesMode::Deny,
                (_, mode) => mode,
            }),
            out_dir: opts.out.clone().unwrap_or_else(|| config.out_dir.clone()),
            examples: ExampleStore::new(root),
            config,
            site,
            theme,
            parsed: slots::ParseCache::default(),
            base_urls,
            statics,
            collect: opts.collect,
            allow: opts.allow.clone(),
            renderers: Renderers::default(),
        };
        Ok((model, diags))
    }

    /// The renderer of the site's pages.
    pub(crate) fn renderer(&self) -> Renderer<'_> {
        Renderer {
            config: &self.config,
            site: &self.site,
            theme: &self.theme,
            base_urls: &self.base_urls,
        }
    }

    /// Where page `id` is written, under the output folder: `en/node/010_hello.html`.
    pub fn output_path(&self, id: PageId) -> String {
        let p = &self.site.pages[id];
        format!("{}/{}", p.lang, p.out)
    }

    /// Every page of the site, in the order of [`PageId`]s.
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> + use<> {
        PageId::all(self.site.pages.len())
    }

    /// Does the site accept findings of kind `c` (`[check] allow` of book.toml, or
    /// `guidegen build --allow`)?
    pub(crate) fn allows(&self, c: Code) -> bool {
        self.config.check_allow.contains(&c) || self.allow.contains(&c)
    }

    /// List `static/` again (serve: a static file changed).
    pub(super) fn reload_statics(&mut self) -> Result<(), Failure> {
        let (found, mut diags) = statics::statics(&self.config.root);
        diags.extend(outputs::check(
            &self.config,
            &self.site,
            &self.theme,
            &found,
        ));
        if !diags.is_empty() {
            return Err(Failure::from(diags));
        }
        self.statics = found;
        Ok(())
    }
}
