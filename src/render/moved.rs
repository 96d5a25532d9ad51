//! What a published site keeps for the URLs it had and the host it lives in: a redirect
//! page at each `aliases:` path (works on any static host: `rel=canonical` and a meta
//! refresh), the same redirects as an nginx `map` (`redirects.map`, which the deploy
//! kit turns into real 301s that keep the host), and the tiles of the guides that a
//! host site includes in its own pages (`includes/landing-tiles.html`).

use serde::Serialize;

use super::{OutPage, Renderer};
use crate::content::{Page, PageId};
use crate::diag::Diagnostic;
use crate::util::html::escape;
use crate::util::url::{absolute as abs_url, base_path_of, encode_path, relative};

/// The nginx map of a language's redirects, at its output root.
pub(crate) const REDIRECTS: &str = "redirects.map";
/// The tiles fragment a host site includes, at each language's output root.
pub(crate) const TILES: &str = "includes/landing-tiles.html";

/// One guide as a tile.
#[derive(Serialize)]
struct Tile {
    title: String,
    description: String,
    /// Absolute URL of the guide's start page.
    url: String,
    language: String,
    framework: String,
    package_manager: String,
}

/// `assets/hosted.css` of a site inside a host (`[publish]`): the height of the host's
/// sticky header when book.toml gives it, so the sidebar and table of contents stop
/// below it even without JavaScript (`guidegen.js` measures it otherwise).
pub(crate) fn hosted_css(p: &crate::config::Publish) -> String {
    let mut css = String::from("/* Written by guidegen from [publish] in book.toml. */\n");
    if let Some(h) = &p.header_height {
        css.push_str(&format!(
            ":root.gg-hosted {{ --gg-host-header: {h}; --gg-sticky-top: {h}; }}\n"
        ));
    }
    css
}

impl Renderer<'_> {
    /// The redirect page at `alias` (an output path) to page `id`.
    pub(crate) fn redirect(&self, id: PageId, alias: &str) -> OutPage {
        let p = &self.site.pages[id];
        let t = self.theme.strings(&p.lang);
        let to = relative(alias, &p.out);
        let abs = abs_url(self.base(&p.lang), &p.out);
        let moved = t.get("moved").map_or("This page has moved", String::as_str);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{abs}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n<p>{moved}: <a href=\"{to}\">{title}</a></p>\n</body>\n</html>\n",
            lang = escape(&p.lang),
            title = escape(&p.title),
            abs = escape(&abs),
            to = escape(&to),
            moved = escape(moved),
        );
        OutPage {
            lang: p.lang.clone(),
            out: alias.to_string(),
            html,
        }
    }

    /// `redirects.map` of `lang`: `"old path" "new path";` per alias (paths from the
    /// host's root), for nginx's `map $uri ... { include ...; }`. An alias whose path
    /// nginx could not read back as written (quotes, `$`, spaces) has its redirect page
    /// only.
    pub(crate) fn redirects_map(&self, lang: &str) -> OutPage {
        let base = base_path_of(self.base(lang));
        let url = |out: &str| {
            let path = out.strip_suffix("index.html").unwrap_or(out);
            format!("{base}{path}")
        };
        let plain = |s: &str| {
            !s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "\"\\$;{}'".contains(c))
        };
        let mut lines = vec![
            "# Written by guidegen: the old URLs of the pages (aliases:) and where they are now."
                .to_string(),
        ];
        for p in self.site.pages.iter().filter(|p| p.lang == lang) {
            let to = encode_path(&url(&p.out));
            for a in &p.aliases {
                let mut from = vec![url(a)];
                if a.ends_with("index.html") {
                    from.push(format!("{base}{a}"));
                }
                for f in from.into_iter().filter(|f| plain(f) && plain(&to)) {
                    lines.push(format!("\"{f}\" \"{to}\";"));
                }
            }
        }
        OutPage {
            lang: lang.to_string(),
            out: REDIRECTS.to_string(),
            html: lines.join("\n") + "\n",
        }
    }

    /// The tiles of `lang`'s guides (template `tiles.html`), a fragment with no `<html>`
    /// around it, for a host site to include in its own pages.
    pub(crate) fn tiles(&self, lang: &str) -> Result<OutPage, Diagnostic> {
        let tiles: Vec<Tile> = self
            .site
            .guides
            .iter()
            .filter(|g| g.lang == lang)
            .map(|g| {
                let landing: &Page = &self.site.pages[g.landing];
                Tile {
                    title: landing.title.clone(),
                    description: landing.description.clone(),
                    url: abs_url(self.base(lang), &landing.out),
                    language: self.stack_var(g, "language").unwrap_or_default(),
                    framework: self.stack_var(g, "framework").unwrap_or_default(),
                    package_manager: self.package_manager(g).unwrap_or_default(),
                }
            })
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert("lang", lang);
        ctx.insert("guides", &tiles);
        ctx.insert("t", self.theme.strings(lang));
        let html = self.theme.render("tiles.html", &ctx).map_err(|e| {
            self.theme
                .render_error("tiles.html", &e, &format!("{lang}/{TILES}"))
        })?;
        Ok(OutPage {
            lang: lang.to_string(),
            out: TILES.to_string(),
            html,
        })
    }
}
