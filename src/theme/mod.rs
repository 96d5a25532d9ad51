//! The theme: Tera templates, UI strings per language and static assets. The default
//! theme is embedded in the binary, so a site without `theme/` builds; a site's `theme/`
//! overrides it file by file (`theme/templates/*.html`, `theme/static/*`, keys of
//! `theme/i18n/<lang>.toml`). Templates are bounded ([`bounds`], [`functions`]): a theme comes with
//! the repository, and a pull request can change it.

mod bounds;
pub(crate) use bounds::{STUB, stub_block};
mod functions;
mod templates;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tera::{Context, Tera};

use crate::diag::{Diagnostic, refused};
use crate::util::confine::Jail;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../theme/templates/base.html")),
    ("nav.html", include_str!("../../theme/templates/nav.html")),
    (
        "head_extra.html",
        include_str!("../../theme/templates/head_extra.html"),
    ),
    ("page.html", include_str!("../../theme/templates/page.html")),
    (
        "section.html",
        include_str!("../../theme/templates/section.html"),
    ),
    (
        "guide.html",
        include_str!("../../theme/templates/guide.html"),
    ),
    (
        "index.html",
        include_str!("../../theme/templates/index.html"),
    ),
    ("404.html", include_str!("../../theme/templates/404.html")),
    (
        "tiles.html",
        include_str!("../../theme/templates/tiles.html"),
    ),
    (
        "search.html",
        include_str!("../../theme/templates/search.html"),
    ),
];

const STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../../theme/static/style.css")),
    (
        "guidegen.js",
        include_str!("../../theme/static/guidegen.js"),
    ),
    ("search.js", include_str!("../../theme/static/search.js")),
    (
        "stemmers.js",
        include_str!("../../vendor/snowball/stemmers.js"),
    ),
    (
        "favicon.svg",
        include_str!("../../theme/static/favicon.svg"),
    ),
];

const STRINGS: &[(&str, &str)] = &[
    ("en", include_str!("../../theme/i18n/en.toml")),
    ("ru", include_str!("../../theme/i18n/ru.toml")),
];

/// UI strings of one language: key -> text.
pub(crate) type Strings = HashMap<String, String>;

/// Why a template could not make a page.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RenderError {
    /// Tera's error, with its causes on one line.
    #[error("{}", templates::tera_error(.0))]
    Template(tera::Error),
    #[error("the page is not valid UTF-8: {0}")]
    NotUtf8(#[from] std::string::FromUtf8Error),
    /// A server directive the page would carry (its start).
    #[error("the page would carry a server directive the server runs for every reader: {0}")]
    ServerDirective(String),
}

pub(crate) struct Theme {
    tera: Tera,
    /// Template name -> where it comes from (`theme/templates/x` or `(built-in theme)/x`).
    origins: BTreeMap<String, String>,
    /// Template name -> itself and every template it uses (extends, includes, imports).
    families: BTreeMap<String, Vec<String>>,
    /// lang -> key -> text.
    strings: HashMap<String, Strings>,
    /// Files served under `<lang>/assets/`: name -> bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// The assets the site's `theme/static/` gives (the rest are built in).
    overridden: std::collections::BTreeSet<String>,
    /// A hash of every template, string and asset: a build cached with another theme
    /// is not reused.
    pub fingerprint: u128,
}

impl Theme {
    /// The embedded theme with the site's `theme/` overrides; templates may read the
    /// environment variables named in `env` (`[build] template_env`). Every problem is
    /// reported; the theme is returned only when there are none.
    pub(crate) fn load(
        root: &Path,
        languages: &[String],
        env: &[String],
    ) -> (Option<Theme>, Vec<Diagnostic>) {
        let jail = Jail::new(root);
        let env = functions::read_env(env);
        let (
            templates::Templates {
                tera,
                origins,
                families,
                hash: sources_hash,
            },
            mut diags,
        ) = templates::templates(&jail, &env);
        let (strings, d) = strings(&jail, languages);
        diags.extend(d);
        let (assets, overridden, d) = assets(&jail);
        diags.extend(d);
        if diags.is_empty() {
            let fingerprint = fingerprint(sources_hash, &strings, &assets);
            let theme = Theme {
                tera,
                origins,
                families,
                strings,
                assets,
                overridden,
                fingerprint,
            };
            (Some(theme), diags)
        } else {
            (None, diags)
        }
    }

    /// The UI strings of `lang` (empty for a language the site does not have).
    pub(crate) fn strings(&self, lang: &str) -> &Strings {
        static EMPTY: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
        self.strings
            .get(lang)
            .unwrap_or_else(|| EMPTY.get_or_init(HashMap::new))
    }

    /// A rendering error of `template`, as a diagnostic on the file it most likely
    /// comes from: the first of the template's family the site overrides (the built-in
    /// theme is tested), else the template itself. `page` is the page being rendered,
    /// named in a note, so one faulty template is one error, not one per page.
    pub(crate) fn render_error(
        &self,
        template: &str,
        error: &RenderError,
        page: &str,
    ) -> Diagnostic {
        let family = self
            .families
            .get(template)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let culprit = family
            .iter()
            .map(|t| self.origin(t))
            .find(|o| o.starts_with("theme/"))
            .unwrap_or_else(|| self.origin(template));
        let names: Vec<&str> = family.iter().map(String::as_str).collect();
        Diagnostic::error(
            culprit,
            format!(
                "template {template} failed ({}): {error}",
                if names.len() > 1 {
                    format!("with {}", names[1..].join(", "))
                } else {
                    "alone".to_string()
                }
            ),
        )
        .with_note(format!("while rendering {page}"))
    }

    /// Where asset `name` (under `assets/`) comes from, as shown to users.
    pub(crate) fn asset_origin(&self, name: &str) -> String {
        if self.overridden.contains(name) {
            format!("theme/static/{name}")
        } else {
            format!("the theme's assets/{name}")
        }
    }

    /// Where template `name` comes from, as shown to users.
    pub(crate) fn origin(&self, name: &str) -> String {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("(built-in theme)/{name}"))
    }

    /// Render `template` with `ctx`, within the bounds of [`functions`]; the error names
    /// the template chain.
    pub(crate) fn render(&self, template: &str, ctx: &Context) -> Result<String, RenderError> {
        functions::start_page();
        let mut out = functions::Capped(Vec::new());
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(RenderError::Template)?;
        Ok(String::from_utf8(out.0)?)
    }
}

/// A hash of the theme's template sources (`sources`), strings and assets.
fn fingerprint(
    sources: u128,
    strings: &HashMap<String, Strings>,
    assets: &BTreeMap<String, Vec<u8>>,
) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&sources.to_le_bytes());
    let mut langs: Vec<_> = strings.iter().collect();
    langs.sort_by(|a, b| a.0.cmp(b.0));
    for (lang, s) in langs {
        let mut keys: Vec<_> = s.iter().collect();
        keys.sort();
        h.update(lang.as_bytes());
        for (k, v) in keys {
            h.update(k.as_bytes());
            h.update(&[0]);
            h.update(v.as_bytes());
            h.update(&[0]);
        }
    }
    for (name, bytes) in assets {
        h.update(name.as_bytes());
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.digest128()
}

/// UI strings per language: English, then the embedded language, then `theme/i18n/`.
fn strings(jail: &Jail, languages: &[String]) -> (HashMap<String, Strings>, Vec<Diagnostic>) {
    let dir = jail.root().join("theme");
    let mut diags = Vec::new();
    let mut strings = HashMap::new();
    let en = parse_strings(STRINGS[0].1);
    for lang in languages {
        let mut m = en.clone();
        if let Some((_, s)) = STRINGS.iter().find(|(l, _)| l == lang) {
            m.extend(parse_strings(s));
        }
        let p = dir.join("i18n").join(format!("{lang}.toml"));
        if let Err(r) = jail.check(&format!("theme/i18n/{lang}.toml")) {
            diags.push(refused(jail.root(), &p, &r));
        } else if p.is_file() {
            let shown = format!("theme/i18n/{lang}.toml");
            match std::fs::read_to_string(&p) {
                Ok(text) => match toml::from_str::<Strings>(&text) {
                    Ok(over) => m.extend(over),
                    Err(e) => {
                        let mut d = Diagnostic::error(shown, e.message().to_string());
                        if let Some(sp) = e.span() {
                            d = d.at(&text, sp.start, sp.end);
                        }
                        diags.push(d);
                    }
                },
                Err(e) => diags.push(Diagnostic::error(shown, format!("cannot read: {e}"))),
            }
        }
        m.entry("language_name".into())
            .or_insert_with(|| lang.clone());
        strings.insert(lang.clone(), m);
    }
    (strings, diags)
}

/// The embedded assets, the generated `highlight.css`, then `theme/static/` overrides.
fn assets(
    jail: &Jail,
) -> (
    BTreeMap<String, Vec<u8>>,
    std::collections::BTreeSet<String>,
    Vec<Diagnostic>,
) {
    let (found, refusals) = jail.walk(&jail.root().join("theme/static"), &[]);
    let mut diags: Vec<Diagnostic> = refusals
        .iter()
        .map(|(p, r)| refused(jail.root(), p, r))
        .collect();
    let mut assets: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(n, s)| (n.to_string(), s.as_bytes().to_vec()))
        .collect();
    assets.insert("highlight.css".into(), crate::highlight::css().into_bytes());
    let mut overridden = std::collections::BTreeSet::new();
    for w in found {
        match std::fs::read(&w.abs) {
            Ok(b) => {
                overridden.insert(w.rel.clone());
                assets.insert(w.rel, b);
            }
            Err(err) => diags.push(Diagnostic::error(
                format!("theme/static/{}", w.rel),
                format!("cannot read: {err}"),
            )),
        }
    }
    (assets, overridden, diags)
}

/// An embedded strings file (tested below, so it always parses).
fn parse_strings(s: &str) -> Strings {
    toml::from_str(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_strings_parse_and_cover_english() {
        let en: Strings = toml::from_str(STRINGS[0].1).expect("en.toml parses");
        for (lang, text) in STRINGS {
            let m: Strings = toml::from_str(text).expect("embedded strings parse");
            for key in en.keys() {
                assert!(m.contains_key(key), "{lang} lacks '{key}'");
            }
        }
    }

    #[test]
    fn the_builtin_theme_loads() {
        let (theme, diags) =
            Theme::load(Path::new("/nonexistent"), &["en".into(), "ru".into()], &[]);
        assert!(diags.is_empty(), "{diags:?}");
        let theme = theme.expect("theme");
        assert_eq!(
            theme.strings("ru").get("language_name").map(String::as_str),
            Some("Русский")
        );
        assert!(theme.assets.contains_key("highlight.css"));
    }
}
