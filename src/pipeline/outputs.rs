//! Every output path has one source. Pages, files beside the content, `static/`, the
//! theme's assets and what a build makes itself (each language's `404.html`,
//! `sitemap.xml`, `robots.txt`, the search index in `search/`, a big guide's `nav.js`,
//! `redirects.map`, the tiles for a host site) and the redirect pages of `aliases:`
//! share one folder per language; two of them at one path is an error that names both,
//! never one silently replacing the other (`permalink: "404"` once lost its page to
//! the generated 404, and a `static/sitemap.xml` the generated sitemap). The one
//! exception is asked for by name: `[build] static_replaces` lets a file of `static/`
//! replace a file guidegen makes (a site's own `robots.txt`). Two pages at one path are
//! reported by `content` already.

use std::collections::BTreeMap;

use crate::config::{Config, GENERATED};
use crate::content::{Site, find_fm_key};
use crate::diag::{Code, Diagnostic};
use crate::render::{REDIRECTS, TILES};
use crate::theme::Theme;
use crate::util::confine::Found;

/// Where to report a collision: a file, and where in its text (a `permalink:`).
#[derive(Clone)]
struct At {
    file: String,
    span: Option<(usize, usize, String)>,
}

/// Who writes an output path.
struct Source {
    /// As shown to users.
    shown: String,
    /// A file guidegen makes at a fixed path ([`GENERATED`]).
    made: Option<&'static str>,
    /// A source file of the site (else guidegen makes it).
    at: Option<At>,
}

impl Source {
    fn made(what: &str, path: Option<&'static str>) -> Source {
        Source {
            shown: format!("{what}, which guidegen makes"),
            made: path,
            at: None,
        }
    }

    fn file(shown: String) -> Source {
        Source {
            at: Some(At {
                file: shown.clone(),
                span: None,
            }),
            shown,
            made: None,
        }
    }
}

/// The paths taken so far.
struct Claims<'a> {
    config: &'a Config,
    /// (language, path) -> its source.
    taken: BTreeMap<(String, String), Source>,
    /// Folders guidegen fills whole (`<lang>/search/`), with what fills them.
    prefixes: Vec<(String, &'static str)>,
    diags: Vec<Diagnostic>,
}

/// Check that no two sources write one output path.
pub(super) fn check(
    config: &Config,
    site: &Site,
    theme: &Theme,
    statics: &[Found],
) -> Vec<Diagnostic> {
    let mut c = Claims {
        config,
        taken: BTreeMap::new(),
        prefixes: Vec::new(),
        diags: Vec::new(),
    };
    c.generated(site, theme);
    for p in &site.pages {
        let file = p.file.map(|f| &site.files[f]);
        let src = Source {
            shown: file.map_or_else(
                || format!("a page of content/{}/", p.lang),
                |f| f.rel.display().to_string(),
            ),
            made: None,
            at: file.map(|f| At {
                file: f.rel.display().to_string(),
                span: find_fm_key(&f.text, "permalink").map(|(s, e)| (s, e, f.text.to_string())),
            }),
        };
        c.claim(&p.lang, p.out.clone(), src, false);
        for a in &p.aliases {
            let src = Source {
                shown: format!(
                    "an alias of {}",
                    file.map_or_else(|| p.out.clone(), |f| f.rel.display().to_string())
                ),
                made: None,
                at: file.map(|f| At {
                    file: f.rel.display().to_string(),
                    span: find_fm_key(&f.text, "aliases").map(|(s, e)| (s, e, f.text.to_string())),
                }),
            };
            c.claim(&p.lang, a.clone(), src, false);
        }
    }
    for (lang, rel, abs) in &site.assets {
        let shown = abs.strip_prefix(&config.root).unwrap_or(abs);
        c.claim(
            lang,
            rel.clone(),
            Source::file(shown.display().to_string()),
            false,
        );
    }
    for l in &config.languages {
        for f in statics {
            let src = Source::file(format!("static/{}", f.rel));
            c.claim(&l.code, f.rel.clone(), src, true);
        }
    }
    let mut diags = c.diags;
    diags.sort_by(|a, b| a.path.cmp(&b.path));
    diags
}

impl Claims<'_> {
    /// What guidegen makes in every language, and the theme's assets.
    fn generated(&mut self, site: &Site, theme: &Theme) {
        for l in &self.config.languages {
            let lang = &l.code;
            let what = ["the 404 page", "robots.txt", "the sitemap"];
            for (out, what) in GENERATED.into_iter().zip(what) {
                let src = Source::made(what, Some(out));
                self.taken.insert((lang.clone(), out.into()), src);
            }
            let map = Source::made("the redirects of the aliases (for nginx)", None);
            self.taken.insert((lang.clone(), REDIRECTS.into()), map);
            if self.config.publish.hosted {
                let tiles = Source::made("the guides' tiles for the host site", None);
                self.taken.insert((lang.clone(), TILES.into()), tiles);
            }
            for name in theme.assets.keys() {
                let src = Source {
                    shown: theme.asset_origin(name),
                    made: None,
                    at: None,
                };
                self.taken
                    .insert((lang.clone(), format!("assets/{name}")), src);
            }
            if self.config.search {
                let what = "the search index (search/)";
                self.prefixes.push((format!("{lang}/search/"), what));
            }
        }
        for g in &site.guides {
            let landing = &site.pages[g.landing];
            let dir = landing.out.rfind('/').map_or("", |i| &landing.out[..=i]);
            let out = format!("{dir}{}", crate::render::NAV_SCRIPT);
            let src = Source::made("the guide's navigation script", None);
            self.taken.insert((g.lang.clone(), out), src);
        }
    }

    /// `src` writes `lang/out`: an error if something else does.
    fn claim(&mut self, lang: &str, out: String, src: Source, from_static: bool) {
        let path = format!("{lang}/{out}");
        let here = self.taken.get(&(lang.to_string(), out.clone()));
        let replaceable = here
            .and_then(|s| s.made)
            .is_some_and(|m| self.config.static_replaces.iter().any(|r| r == m));
        if from_static && replaceable {
            return;
        }
        let other = here.map(|s| s.shown.clone()).or_else(|| {
            self.prefixes
                .iter()
                .find(|(p, _)| path.starts_with(p.as_str()))
                .map(|(_, w)| format!("{w}, which guidegen makes"))
        });
        match other {
            Some(other) => {
                let generated = here.is_some_and(|s| s.made.is_some());
                self.diags
                    .push(collision(&path, &src, &other, from_static && generated));
            }
            None => {
                self.taken.insert((lang.to_string(), out), src);
            }
        }
    }
}

fn collision(path: &str, src: &Source, other: &str, may_replace: bool) -> Diagnostic {
    let at = src.at.clone().unwrap_or_else(|| At {
        file: src.shown.clone(),
        span: None,
    });
    let mut d = Diagnostic::error(at.file, format!("two sources would be written to {path}"))
        .with_code(Code::DuplicateOutput)
        .with_note(format!("the other one is {other}"))
        .with_help(if may_replace {
            "to replace the file guidegen makes on purpose, name it in [build] static_replaces of book.toml; else rename this file"
        } else {
            "rename or move one of them (a page: give it another `permalink:`)"
        });
    if let Some((s, e, text)) = at.span {
        d = d.at(&text, s, e);
    }
    d
}
