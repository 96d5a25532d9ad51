//! The pages of one guide folder (already merged with its skeleton): chapters and
//! sections in order, with titles, permalinks and the variables each page sees.

use serde_json::{Map, Value};

use super::read::{Dir, FileRef};
use super::{FileId, GuideId, Loader, NavNode, Page, PageId, PageKind, find_fm_key};
use crate::config::SectionPages;
use crate::diag::Diagnostic;
use crate::syntax::markdown::leading_h1;
use crate::util::confine::{self, Refusal};
use crate::util::text::{humanize, natural_cmp, weight_cmp};
use crate::vars::{bool_var, merge, str_var};

/// Where a folder's pages sit: their language, guide, folder, inherited variables and
/// enclosing sections.
pub(super) struct Folder<'a> {
    pub(super) lang: &'a str,
    pub(super) guide: GuideId,
    /// The folder under `content/<lang>/`, e.g. `flask/100_basic`.
    pub(super) rel: &'a str,
    pub(super) vars: &'a Map<String, Value>,
    pub(super) parents: &'a [PageId],
}

/// A page read from a file: what it is and what it gets when its frontmatter says
/// nothing (`title:`, `permalink:`).
struct PageSpec {
    file: FileRef,
    kind: PageKind,
    key: String,
    default_out: String,
    default_title: String,
    /// The folder its relative links start from.
    src_dir: String,
}

/// An entry of a folder, in reading order.
enum Item<'d> {
    File(&'d str, FileRef),
    Dir(&'d str, &'d Dir),
}

impl Loader<'_> {
    /// Pages of one folder (already merged with a skeleton), in order.
    pub(super) fn dir_pages(&mut self, at: &Folder<'_>, dir: &Dir) -> Vec<NavNode> {
        let mut nodes = Vec::new();
        for item in self.ordered(dir) {
            let node = match item {
                Item::File(name, f) => self.chapter(at, name, f),
                Item::Dir(name, d) => self.section(at, name, d),
            };
            nodes.push(node);
        }
        nodes
    }

    /// A folder's files and subfolders without drafts (unless wanted), by `weight:`, then
    /// by name in natural order.
    fn ordered<'d>(&self, dir: &'d Dir) -> Vec<Item<'d>> {
        let fm = |f: FileRef| &self.site.files[f.file].frontmatter;
        let skip = |f: Option<FileRef>| f.is_some_and(|f| bool_var(fm(f), "draft")) && !self.drafts;
        let weight =
            |f: Option<FileRef>| f.and_then(|f| fm(f).get("weight").and_then(Value::as_i64));
        let mut items: Vec<(Option<i64>, &str, Item<'d>)> = Vec::new();
        for (n, f) in &dir.files {
            if !skip(Some(*f)) {
                items.push((weight(Some(*f)), n, Item::File(n, *f)));
            }
        }
        for (n, d) in &dir.dirs {
            if !skip(d.index) {
                items.push((weight(d.index), n, Item::Dir(n, d)));
            }
        }
        items.sort_by(|a, b| weight_cmp(a.0, b.0).then_with(|| natural_cmp(a.1, b.1)));
        items.into_iter().map(|(_, _, i)| i).collect()
    }

    fn chapter(&mut self, at: &Folder<'_>, name: &str, f: FileRef) -> NavNode {
        let stem = name.trim_end_matches(".md");
        let page = self.file_page(
            at,
            PageSpec {
                file: f,
                kind: PageKind::Chapter,
                key: format!("{}/{name}", at.rel),
                default_out: format!("{}/{stem}.html", at.rel),
                default_title: humanize(stem),
                src_dir: at.rel.to_string(),
            },
        );
        NavNode {
            page,
            children: Vec::new(),
        }
    }

    /// A subfolder: its `_index.md` page (or a generated one) and the pages inside it.
    fn section(&mut self, at: &Folder<'_>, name: &str, d: &Dir) -> NavNode {
        let sub_rel = format!("{}/{name}", at.rel);
        let section_out = match self.config.section_pages {
            SectionPages::Folder => format!("{sub_rel}/index.html"),
            SectionPages::File => format!("{sub_rel}.html"),
        };
        let mut sec_vars = at.vars.clone();
        let page = match d.index {
            Some(f) => {
                merge(&mut sec_vars, &self.site.files[f.file].frontmatter);
                self.file_page(
                    at,
                    PageSpec {
                        file: f,
                        kind: PageKind::Section,
                        key: format!("{sub_rel}/"),
                        default_out: section_out,
                        default_title: humanize(name),
                        src_dir: sub_rel.clone(),
                    },
                )
            }
            None => self.push_page(Page {
                kind: PageKind::Section,
                key: format!("{sub_rel}/"),
                out: section_out,
                title: humanize(name),
                guide: Some(at.guide),
                vars: at.vars.clone(),
                src_dir: sub_rel.clone(),
                parents: at.parents.to_vec(),
                ..Page::new(at.lang)
            }),
        };
        let mut parents = at.parents.to_vec();
        parents.push(page);
        let inner = Folder {
            lang: at.lang,
            guide: at.guide,
            rel: &sub_rel,
            vars: &sec_vars,
            parents: &parents,
        };
        let children = self.dir_pages(&inner, d);
        NavNode { page, children }
    }

    fn file_page(&mut self, at: &Folder<'_>, spec: PageSpec) -> PageId {
        let file = &self.site.files[spec.file.file];
        let fm = file.frontmatter.clone();
        let mut v = at.vars.clone();
        merge(&mut v, &fm);
        let mut body = file.body_start..file.text.len();
        let heading = leading_h1(&file.text, body.clone());
        let untitled = heading.is_none() && str_var(&fm, "title").is_none();
        let title = match (str_var(&fm, "title"), heading) {
            (Some(t), Some((h, after))) => {
                // A leading `# Title` equal to the frontmatter title is not repeated.
                if h == t {
                    body = after..body.end;
                }
                t
            }
            (Some(t), None) => t,
            (None, Some((h, after))) => {
                body = after..body.end;
                h
            }
            (None, None) => spec.default_title,
        };
        let out = match str_var(&fm, "permalink") {
            Some(p) => {
                match permalink_out(&p) {
                    Ok(o) => o,
                    Err(why) => {
                        let f = &self.site.files[spec.file.file];
                        let mut d = Diagnostic::error(&f.rel, format!("permalink '{p}' {why}"))
                        .with_help("write a path under the language's root, e.g. `permalink: flask/start`");
                        if let Some((s, e)) = find_fm_key(&f.text, "permalink") {
                            d = d.at(&f.text, s, e);
                        }
                        self.diags.push(d);
                        spec.default_out
                    }
                }
            }
            None => spec.default_out,
        };
        let aliases = self.aliases(spec.file.file, &fm);
        self.push_page(Page {
            kind: spec.kind,
            file: Some(spec.file.file),
            aliases,
            body,
            key: spec.key,
            out,
            title,
            description: str_var(&fm, "description").unwrap_or_default(),
            guide: Some(at.guide),
            vars: v,
            draft: bool_var(&fm, "draft"),
            from_skeleton: spec.file.skeleton,
            untitled,
            // A skeleton chapter's relative links resolve like the guide's own.
            src_dir: spec.src_dir,
            parents: at.parents.to_vec(),
            ..Page::new(at.lang)
        })
    }
}

impl Loader<'_> {
    /// The `aliases:` of a page's frontmatter (a path or a list of them, as written: value
    /// slots in them are filled once the variables are known).
    fn aliases(&mut self, file: FileId, fm: &Map<String, Value>) -> Vec<String> {
        match fm.get("aliases") {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(_) => {
                let f = &self.site.files[file];
                let mut d = Diagnostic::error(
                    &f.rel,
                    "frontmatter key 'aliases' must be a path or a list of paths",
                )
                .with_help("the old URLs of the page under the language's root, e.g. `aliases: [flask/100_basic.html]`");
                if let Some((s, e)) = find_fm_key(&f.text, "aliases") {
                    d = d.at(&f.text, s, e);
                }
                self.diags.push(d);
                Vec::new()
            }
        }
    }
}

/// The output path of an alias (an old URL of a page): a path under the language's
/// root, as a permalink is.
pub(crate) fn alias_out(p: &str) -> Result<String, BadPermalink> {
    permalink_out(p)
}

/// Why a `permalink:` (or an alias) is refused; shown after the path it names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BadPermalink {
    #[error("is a URL; a permalink is a path under the language's base URL")]
    Url,
    #[error(
        "has a `:`, which a browser reads as a URL scheme (`javascript:`) and some systems refuse in file names"
    )]
    Colon,
    #[error("leads outside the language's folder")]
    Climbs,
    #[error("{0}")]
    Refused(Refusal),
}

/// The output path of `permalink: p`: a path under the language's root (a leading `/`
/// is that root), confined to it, `.html` added, `index.html` for a folder.
fn permalink_out(p: &str) -> Result<String, BadPermalink> {
    if p.contains("://") {
        return Err(BadPermalink::Url);
    }
    if p.contains(':') {
        return Err(BadPermalink::Colon);
    }
    let folder =
        p.ends_with('/') || p.ends_with("/.") || p.ends_with("/..") || p == "." || p.is_empty();
    let joined = confine::join("", p).map_err(|r| match r {
        Refusal::Climbs => BadPermalink::Climbs,
        other => BadPermalink::Refused(other),
    })?;
    Ok(if joined.is_empty() || folder {
        if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        }
    } else if joined.ends_with(".html") {
        joined
    } else {
        format!("{joined}.html")
    })
}

#[cfg(test)]
mod tests {
    use super::permalink_out;

    #[test]
    fn permalinks_stay_in_the_language_folder() {
        assert_eq!(
            permalink_out("flask/start").as_deref(),
            Ok("flask/start.html")
        );
        assert_eq!(permalink_out("/flask/").as_deref(), Ok("flask/index.html"));
        assert_eq!(permalink_out("a/./b/../c.html").as_deref(), Ok("a/c.html"));
        assert_eq!(permalink_out("/").as_deref(), Ok("index.html"));
        for bad in [
            "../../../victim",
            "../en/node/010_hello",
            "../",
            "a\\b",
            "https://x.io/y",
            "javascript:alert(1)",
            "/a/b:c/",
        ] {
            assert!(permalink_out(bad).is_err(), "{bad}");
        }
    }
}
