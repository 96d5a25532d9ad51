//! Links, anchors and images, checked on what the site emits (so links from the theme,
//! the sidebar and the language switcher are checked too), without the network: every
//! internal `href`/`src` of every page leads to an emitted file, every `#fragment` to an
//! id on that page. A link written in Markdown is reported where it is written; a link
//! from the theme names its template. Links to example files in the repository must
//! name a file `examples/` has.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use super::html::{Scan, scan};
use super::{External, Findings};
use crate::content::{PageId, PageKind};
use crate::diag::{Code, Diagnostic};
use crate::pipeline::{At, Build};
use crate::util::confine;

/// Where a URL leads, seen from a page.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file of the site (`lang/path`), and the fragment if any.
    Internal { path: String, frag: String },
    /// Another site.
    External,
    /// Nothing to check (`mailto:`, `tel:`, `data:`, an empty `#`).
    Skip,
    /// A path that cannot be part of the site (it climbs out, or leaves the base path).
    Outside(&'static str),
}

/// One HTML document of the site: its output path, the page it renders (none for the
/// 404 pages) and what it links to.
struct Doc {
    path: String,
    page: Option<PageId>,
    scan: Scan,
}

/// Check every link of every page; return the external links (if `list_external`).
pub(super) fn check(found: &mut Findings<'_>, list_external: bool) -> Vec<External> {
    let b = found.build();
    let emitted: HashSet<String> = b.files().iter().map(|(p, _)| p.clone()).collect();
    let mut docs: Vec<(String, Option<PageId>, &str)> = b
        .page_ids()
        .filter_map(|id| {
            let o = b.page(id)?;
            Some((format!("{}/{}", o.lang, o.out), Some(id), o.html.as_str()))
        })
        .collect();
    for e in b.extra.iter().filter(|e| e.out.ends_with(".html")) {
        docs.push((format!("{}/{}", e.lang, e.out), None, e.html.as_str()));
    }
    let docs: Vec<Doc> = docs
        .into_par_iter()
        .map(|(path, page, html)| Doc {
            path,
            page,
            scan: scan(html),
        })
        .collect();
    let ids: HashMap<&str, &HashSet<String>> = docs
        .iter()
        .map(|d| (d.path.as_str(), &d.scan.ids))
        .collect();
    let bases = bases(b);
    let mut external: BTreeMap<String, External> = BTreeMap::new();
    for doc in &docs {
        let mut written = written_links(b, doc.page);
        for href in &doc.scan.links {
            let mine = written.get_mut(&href.url).and_then(|v| {
                if v.is_empty() {
                    None
                } else {
                    Some(v.remove(0))
                }
            });
            let (at, as_written) = match &mine {
                Some((at, w)) => (Some(*at), w.as_str()),
                None => (None, href.url.as_str()),
            };
            let lang = doc.path.split('/').next().unwrap_or("");
            let target = resolve(&doc.path, lang, &href.url, &bases);
            let place = Place {
                b,
                doc,
                at,
                url: as_written,
                image: href.tag == "img",
            };
            match target {
                Target::Skip => {}
                Target::External => {
                    if list_external {
                        let e = external
                            .entry(href.url.clone())
                            .or_insert_with(|| External {
                                url: href.url.clone(),
                                count: 0,
                                first: place.diagnostic(String::new()),
                            });
                        e.count += 1;
                    }
                }
                Target::Outside(why) => place.report(found, Code::BrokenLink, why.to_string()),
                Target::Internal { path, frag } => {
                    check_internal(found, &place, lang, &path, &frag, &emitted, &ids);
                }
            }
        }
    }
    dead_example_links(found);
    external.into_values().collect()
}

/// A link being checked: the page it is on and where it is written.
struct Place<'a> {
    b: &'a Build,
    doc: &'a Doc,
    /// Where the Markdown holds it (`None`: the theme made it).
    at: Option<At>,
    url: &'a str,
    image: bool,
}

impl Place<'_> {
    /// A diagnostic at the link: its source line, or the template that made it.
    fn diagnostic(&self, message: String) -> Diagnostic {
        match self.at.flatten() {
            Some((f, off)) => {
                let sf = &self.b.model.site.files[f];
                Diagnostic::error(&sf.rel, message).at_file(sf, off, off + 1)
            }
            None => {
                let template = template_of(self.b, self.doc.page);
                let origin = self.b.model.theme.origin(template);
                Diagnostic::error(origin, message).with_note(format!(
                    "the theme's {template} (or a template it includes) makes this link"
                ))
            }
        }
    }

    fn report(&self, found: &mut Findings<'_>, code: Code, why: String) {
        let what = if self.image { "image" } else { "link" };
        let d = self
            .diagnostic(format!("{what} '{}' {why}", self.url))
            .with_note(format!("on {}", self.doc.path));
        found.add(code, d, self.doc.page);
    }
}

fn check_internal(
    found: &mut Findings<'_>,
    place: &Place<'_>,
    lang: &str,
    path: &str,
    frag: &str,
    emitted: &HashSet<String>,
    ids: &HashMap<&str, &HashSet<String>>,
) {
    let code = if place.image {
        Code::MissingImage
    } else {
        Code::BrokenLink
    };
    let file = if emitted.contains(path) {
        path.to_string()
    } else if emitted.contains(&format!("{path}/index.html")) {
        format!("{path}/index.html")
    } else {
        place.report(
            found,
            code,
            format!("leads to {path}, which the site does not have"),
        );
        return;
    };
    let target_lang = path.split('/').next().unwrap_or("");
    if target_lang != lang && !place.url.contains("://") && place.at.flatten().is_some() {
        let d = place
            .diagnostic(format!(
                "link '{}' leads into the {target_lang} pages by a relative path, which breaks where languages are published on different hosts",
                place.url
            ))
            .with_help("link the other language's page by its absolute URL");
        found.add(Code::CrossLanguageLink, d, place.doc.page);
    }
    if frag.is_empty() || !file.ends_with(".html") {
        return;
    }
    let frag = percent_encoding::percent_decode_str(frag).decode_utf8_lossy();
    if ids
        .get(file.as_str())
        .is_some_and(|s| !s.contains(frag.as_ref()))
    {
        let d = place
            .diagnostic(format!(
                "link '{}' leads to #{frag}, which {file} has no heading or id for",
                place.url
            ))
            .with_note(format!("on {}", place.doc.path));
        found.add(Code::BrokenAnchor, d, place.doc.page);
    }
}

/// The template a page is rendered with.
fn template_of(b: &Build, page: Option<PageId>) -> &'static str {
    match page.map(|id| b.model.site.pages[id].kind) {
        Some(PageKind::LangLanding) => "index.html",
        Some(PageKind::GuideLanding) => "guide.html",
        Some(PageKind::Section) => "section.html",
        Some(PageKind::Chapter) => "page.html",
        None => "404.html",
    }
}

/// The links written in page `id`'s Markdown, by the URL it emits, in order: where each
/// is written and how.
fn written_links(b: &Build, id: Option<PageId>) -> HashMap<String, Vec<(At, String)>> {
    let mut m: HashMap<String, Vec<(At, String)>> = HashMap::new();
    if let Some(f) = id.and_then(|id| b.facts(id)) {
        for (l, at) in &f.links {
            m.entry(l.url.clone())
                .or_default()
                .push((*at, l.written.clone()));
        }
    }
    m
}

/// A language's published base: its code, base URL and base path (`/guides/`).
struct Base {
    lang: String,
    url: String,
    path: String,
}

fn bases(b: &Build) -> Vec<Base> {
    b.model
        .config
        .languages
        .iter()
        .map(|l| Base {
            lang: l.code.clone(),
            url: l.base_url.trim_end_matches('/').to_string(),
            path: crate::util::url::base_path_of(&l.base_url),
        })
        .collect()
}

/// Where `url`, on the page at `page` (`lang/...`), leads.
fn resolve(page: &str, lang: &str, url: &str, bases: &[Base]) -> Target {
    let url = url.trim();
    let (before_frag, frag) = match url.split_once('#') {
        Some((a, f)) => (a, f.to_string()),
        None => (url, String::new()),
    };
    let path_part = before_frag.split('?').next().unwrap_or("");
    if before_frag.is_empty() {
        return if frag.is_empty() {
            Target::Skip
        } else {
            Target::Internal {
                path: page.to_string(),
                frag,
            }
        };
    }
    let scheme = path_part
        .find(':')
        .filter(|&i| !path_part[..i].contains('/'))
        .map(|i| path_part[..i].to_ascii_lowercase());
    let decoded = percent_encoding::percent_decode_str(path_part)
        .decode_utf8_lossy()
        .into_owned();
    match scheme.as_deref() {
        Some("http" | "https") => {
            for base in bases {
                if let Some(rest) = decoded
                    .strip_prefix(&base.url)
                    .filter(|r| r.is_empty() || r.starts_with('/'))
                {
                    return internal(&base.lang, "", rest, frag);
                }
            }
            Target::External
        }
        Some(_) => Target::Skip,
        None if decoded.starts_with("//") => Target::External,
        None if decoded.starts_with('/') => {
            let base = bases.iter().find(|b| b.lang == lang);
            match base.and_then(|b| decoded.strip_prefix(b.path.trim_end_matches('/'))) {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                    internal(lang, "", rest, frag)
                }
                _ => Target::Outside("leaves the site's base path"),
            }
        }
        None => {
            let dir = page.rsplit_once('/').map_or("", |x| x.0);
            let folder = decoded.ends_with('/');
            match confine::join(dir, &decoded) {
                Ok(p) if p.is_empty() => Target::Outside("leads outside the site"),
                Ok(p) => Target::Internal {
                    path: if folder { format!("{p}/index.html") } else { p },
                    frag,
                },
                Err(_) => Target::Outside("leads outside the site"),
            }
        }
    }
}

/// `rest` (a path under language `lang`'s root) as an internal target.
fn internal(lang: &str, dir: &str, rest: &str, frag: String) -> Target {
    let folder = rest.is_empty() || rest.ends_with('/');
    match confine::join(dir, rest) {
        Ok(p) => {
            let full = if p.is_empty() {
                format!("{lang}/index.html")
            } else if folder {
                format!("{lang}/{p}/index.html")
            } else {
                format!("{lang}/{p}")
            };
            Target::Internal { path: full, frag }
        }
        Err(_) => Target::Outside("leads outside the site"),
    }
}

/// Links written in pages to `[examples] repo_url/...` must name a file or folder that
/// `examples/` has (the repository's examples are this site's `examples/`).
fn dead_example_links(found: &mut Findings<'_>) {
    let b = found.build();
    let Some(repo) = b.model.config.examples_repo_url.as_deref() else {
        return;
    };
    let prefix = format!("{}/", repo.trim_end_matches('/'));
    let root = b.model.examples.root().to_path_buf();
    let mut seen = HashSet::new();
    for id in b.page_ids() {
        let Some(f) = b.facts(id) else {
            continue;
        };
        for (l, at) in &f.links {
            let Some(rest) = l.url.strip_prefix(&prefix) else {
                continue;
            };
            let rest = rest.split(['#', '?']).next().unwrap_or("");
            let rel = percent_encoding::percent_decode_str(rest).decode_utf8_lossy();
            let exists = confine::join("", &rel).is_ok_and(|r| root.join(r).exists());
            if exists || !seen.insert((at.map(|a| (a.0, a.1)), l.url.clone())) {
                continue;
            }
            let d = match at {
                Some((file, off)) => {
                    let sf = &b.model.site.files[*file];
                    Diagnostic::error(
                        &sf.rel,
                        format!("link to example '{rel}', which examples/ does not have"),
                    )
                    .at_file(sf, *off, off + 1)
                }
                None => Diagnostic::error(
                    "",
                    format!("link to example '{rel}', which examples/ does not have"),
                ),
            }
            .with_help("show the file with <<example \"...\">>, or fix the path");
            found.add(Code::DeadExampleLink, d, Some(id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bases() -> Vec<Base> {
        vec![
            Base {
                lang: "en".into(),
                url: "https://werf.io/guides".into(),
                path: "/guides/".into(),
            },
            Base {
                lang: "ru".into(),
                url: "https://ru.werf.io/guides".into(),
                path: "/guides/".into(),
            },
        ]
    }

    fn t(path: &str, frag: &str) -> Target {
        Target::Internal {
            path: path.into(),
            frag: frag.into(),
        }
    }

    #[test]
    fn urls_resolve_like_a_browser() {
        let b = bases();
        let p = "en/flask/100_basic/010_build.html";
        assert_eq!(
            resolve(p, "en", "../010_intro.html#x", &b),
            t("en/flask/010_intro.html", "x")
        );
        assert_eq!(
            resolve(p, "en", "./", &b),
            t("en/flask/100_basic/index.html", "")
        );
        assert_eq!(resolve(p, "en", "#top", &b), t(p, "top"));
        assert_eq!(
            resolve(p, "en", "https://ru.werf.io/guides/flask/", &b),
            t("ru/flask/index.html", "")
        );
        assert_eq!(
            resolve(p, "en", "/guides/flask/x.html", &b),
            t("en/flask/x.html", "")
        );
        assert_eq!(
            resolve(p, "en", "%D0%B2.html", &b),
            t("en/flask/100_basic/в.html", "")
        );
        assert_eq!(
            resolve(p, "en", "https://example.com/", &b),
            Target::External
        );
        assert_eq!(resolve(p, "en", "mailto:a@b.c", &b), Target::Skip);
        assert!(matches!(
            resolve(p, "en", "../../../../x.html", &b),
            Target::Outside(_)
        ));
        assert!(matches!(
            resolve(p, "en", "/other/x.html", &b),
            Target::Outside(_)
        ));
    }
}
