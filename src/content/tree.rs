//! The pages of one guide folder (already merged with its skeleton): chapters and
//! sections in order, with titles, permalinks and the variables each page sees.

use serde_json::{Map, Value};

use super::read::{Dir, FileRef};
use super::{Loader, NavNode, Page, PageId, PageKind};
use crate::syntax::markdown::leading_h1;
use crate::util::text::{humanize, natural_cmp, weight_cmp};
use crate::vars::{bool_var, merge, str_var};

impl Loader<'_> {
    pub(super) fn dir_pages(
        &mut self,
        lang: &str,
        gid: usize,
        rel: &str,
        dir: &Dir,
        vars: &Map<String, Value>,
        parents: &[PageId],
    ) -> Vec<NavNode> {
        enum Item<'d> {
            File(&'d str, FileRef),
            Dir(&'d str, &'d Dir),
        }
        let mut items: Vec<(Option<i64>, &str, Item)> = Vec::new();
        for (n, f) in &dir.files {
            let fm = &self.site.files[f.file].frontmatter;
            if bool_var(fm, "draft") && !self.drafts {
                continue;
            }
            items.push((
                fm.get("weight").and_then(Value::as_i64),
                n,
                Item::File(n, *f),
            ));
        }
        for (n, d) in &dir.dirs {
            let w = d.index.and_then(|i| {
                self.site.files[i.file]
                    .frontmatter
                    .get("weight")
                    .and_then(Value::as_i64)
            });
            if let Some(i) = d.index
                && bool_var(&self.site.files[i.file].frontmatter, "draft")
                && !self.drafts
            {
                continue;
            }
            items.push((w, n, Item::Dir(n, d)));
        }
        items.sort_by(|a, b| weight_cmp(a.0, b.0).then_with(|| natural_cmp(a.1, b.1)));
        let mut nodes = Vec::new();
        for (_, _, item) in items {
            match item {
                Item::File(name, f) => {
                    let stem = name.trim_end_matches(".md");
                    let key = format!("{rel}/{name}");
                    let page = self.file_page(
                        lang,
                        gid,
                        rel,
                        f,
                        vars,
                        PageKind::Chapter,
                        &key,
                        format!("{rel}/{stem}.html"),
                        humanize(stem),
                        parents,
                    );
                    if let Some(p) = page {
                        nodes.push(NavNode {
                            page: p,
                            children: Vec::new(),
                        });
                    }
                }
                Item::Dir(name, d) => {
                    let sub_rel = format!("{rel}/{name}");
                    let mut sec_vars = vars.clone();
                    let page = match d.index {
                        Some(f) => {
                            merge(&mut sec_vars, &self.site.files[f.file].frontmatter);
                            self.file_page(
                                lang,
                                gid,
                                &sub_rel,
                                f,
                                vars,
                                PageKind::Section,
                                &format!("{sub_rel}/"),
                                format!("{sub_rel}/index.html"),
                                humanize(name),
                                parents,
                            )
                        }
                        None => {
                            let v = vars.clone();
                            let title = humanize(name);
                            Some(self.push_page(Page {
                                kind: PageKind::Section,
                                key: format!("{sub_rel}/"),
                                out: format!("{sub_rel}/index.html"),
                                title,
                                guide: Some(gid),
                                vars: v,
                                src_dir: sub_rel.clone(),
                                parents: parents.to_vec(),
                                ..Page::new(lang)
                            }))
                        }
                    };
                    let Some(page) = page else { continue };
                    let mut sub_parents = parents.to_vec();
                    sub_parents.push(page);
                    let children = self.dir_pages(lang, gid, &sub_rel, d, &sec_vars, &sub_parents);
                    nodes.push(NavNode { page, children });
                }
            }
        }
        nodes
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn file_page(
        &mut self,
        lang: &str,
        gid: usize,
        rel_dir: &str,
        f: FileRef,
        vars: &Map<String, Value>,
        kind: PageKind,
        key: &str,
        default_out: String,
        default_title: String,
        parents: &[PageId],
    ) -> Option<PageId> {
        let file = &self.site.files[f.file];
        let fm = file.frontmatter.clone();
        let mut v = vars.clone();
        merge(&mut v, &fm);
        let mut body = file.body_start..file.text.len();
        let title = match str_var(&fm, "title") {
            Some(t) => {
                // A leading `# Title` equal to the frontmatter title is not repeated.
                if let Some((h, after)) = leading_h1(&file.text, body.clone())
                    && h == t
                {
                    body = after..body.end;
                }
                t
            }
            None => match leading_h1(&file.text, body.clone()) {
                Some((h, after)) => {
                    body = after..body.end;
                    h
                }
                None => default_title,
            },
        };
        let out = match str_var(&fm, "permalink") {
            Some(p) => permalink_out(&p),
            None => default_out,
        };
        Some(self.push_page(Page {
            kind,
            file: Some(f.file),
            body,
            key: key.to_string(),
            out,
            title,
            description: str_var(&fm, "description").unwrap_or_default(),
            guide: Some(gid),
            vars: v,
            draft: bool_var(&fm, "draft"),
            from_skeleton: f.skeleton,
            // A skeleton chapter's relative links resolve like the guide's own.
            src_dir: rel_dir.to_string(),
            parents: parents.to_vec(),
            ..Page::new(lang)
        }))
    }
}

pub(super) fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn permalink_out(p: &str) -> String {
    let p = p.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else if p.ends_with(".html") {
        p.to_string()
    } else {
        format!("{p}.html")
    }
}
