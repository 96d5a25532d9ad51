//! A language's guides: partials, the landing page, folder guides (with the skeleton
//! they extend) and single-file guides, in order; registering a guide and its pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::read::Dir;
use super::tree::Folder;
use super::{FileId, Guide, GuideId, Loader, NavNode, Page, PageId, PageKind, find_fm_key};
use crate::diag::Diagnostic;
use crate::util::text::{closest, humanize, natural_cmp, weight_cmp};
use crate::vars::{bool_var, merge, str_var};

enum GuideSource {
    Folder(Dir),
    SingleFile(FileId),
}

impl Loader<'_> {
    pub(super) fn load_language(&mut self, lang: &str) {
        let root = self.config.root.join("content").join(lang);
        let mut base_vars = self.config.variables.clone();
        if let Some(l) = self.config.language(lang) {
            merge(&mut base_vars, &l.variables);
        }
        base_vars.insert("lang".into(), Value::String(lang.into()));
        if let Err(r) = self.jail.check(&format!("content/{lang}")) {
            self.refused(&root, &r);
            return;
        }
        self.load_partials(lang, &root);
        self.landing_page(lang, &root, &base_vars);
        if !root.is_dir() {
            return;
        }
        let top = self.scan_dir(&root, lang, "", true);
        for (name, src) in self.ordered_guides(top) {
            match src {
                GuideSource::Folder(d) => self.folder_guide(lang, &root, &name, d, &base_vars),
                GuideSource::SingleFile(f) => self.single_file_guide(lang, &name, f, &base_vars),
            }
        }
    }

    /// `content/<lang>/_partials/**/*.md`, by name without `.md`.
    fn load_partials(&mut self, lang: &str, root: &Path) {
        let mut partials = BTreeMap::new();
        let (found, refused) = self.jail.walk(&root.join("_partials"), &[]);
        for (p, r) in refused {
            self.refused(&p, &r);
        }
        for w in found {
            if let Some(name) = w.rel.strip_suffix(".md")
                && let Some(id) = self.read(&w.abs)
            {
                partials.insert(name.to_string(), id);
            }
        }
        self.site.partials.insert(lang.to_string(), partials);
    }

    /// The language's landing page (created now; render lists the guides on it).
    fn landing_page(&mut self, lang: &str, root: &Path, base_vars: &Map<String, Value>) {
        let lconf = self.config.language(lang).cloned();
        let landing_id = PageId::new(self.site.pages.len());
        let index = root.join("_index.md");
        let file = if index.is_file() {
            self.read(&index)
        } else {
            None
        };
        let fm = file
            .map(|f| self.site.files[f].frontmatter.clone())
            .unwrap_or_default();
        let mut vars = base_vars.clone();
        merge(&mut vars, &fm);
        let title = fm
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| lconf.as_ref().map(|l| l.title.clone()))
            .unwrap_or_default();
        let body = file
            .map(|f| self.site.files[f].body_start..self.site.files[f].text.len())
            .unwrap_or(0..0);
        self.push_page(Page {
            kind: PageKind::LangLanding,
            file,
            body,
            key: String::new(),
            out: "index.html".into(),
            title,
            description: str_var(&fm, "description")
                .or_else(|| lconf.as_ref().map(|l| l.description.clone()))
                .unwrap_or_default(),
            vars,
            ..Page::new(lang)
        });
        self.site.landings.insert(lang.to_string(), landing_id);
    }

    /// The guides of a language folder (subfolders and single files) by the `weight:` of
    /// their landing page, then by name in natural order.
    fn ordered_guides(&self, top: Dir) -> Vec<(String, GuideSource)> {
        let mut entries: Vec<(String, GuideSource)> = top
            .dirs
            .into_iter()
            .map(|(n, d)| (n, GuideSource::Folder(d)))
            .collect();
        for (name, f) in top.files {
            let stem = name.trim_end_matches(".md").to_string();
            entries.push((stem, GuideSource::SingleFile(f.file)));
        }
        let weight = |f: FileId| {
            self.site.files[f]
                .frontmatter
                .get("weight")
                .and_then(Value::as_i64)
        };
        let mut weighted: Vec<(Option<i64>, String, GuideSource)> = entries
            .into_iter()
            .map(|(n, s)| {
                let w = match &s {
                    GuideSource::Folder(d) => d.index.and_then(|i| weight(i.file)),
                    GuideSource::SingleFile(f) => weight(*f),
                };
                (w, n, s)
            })
            .collect();
        weighted.sort_by(|a, b| weight_cmp(a.0, b.0).then_with(|| natural_cmp(&a.1, &b.1)));
        weighted.into_iter().map(|(_, n, s)| (n, s)).collect()
    }

    pub(super) fn folder_guide(
        &mut self,
        lang: &str,
        root: &Path,
        name: &str,
        dir: Dir,
        base: &Map<String, Value>,
    ) {
        let guide_fm = dir
            .index
            .map(|i| self.site.files[i.file].frontmatter.clone())
            .unwrap_or_default();
        if bool_var(&guide_fm, "draft") && !self.drafts {
            return;
        }
        let dir = match guide_fm.get("extends") {
            Some(ext) => match self.extend(lang, root, name, dir, ext) {
                Some(d) => d,
                None => return,
            },
            None => dir,
        };
        let mut vars = base.clone();
        merge(&mut vars, &guide_fm);
        vars.insert("guide".into(), Value::String(name.into()));
        let gid = GuideId::new(self.site.guides.len());
        let title = str_var(&guide_fm, "title").unwrap_or_else(|| humanize(name));
        let body = dir
            .index
            .map(|i| self.site.files[i.file].body_start..self.site.files[i.file].text.len())
            .unwrap_or(0..0);
        let landing = Page {
            file: dir.index.map(|i| i.file),
            body,
            description: str_var(&guide_fm, "description").unwrap_or_default(),
            src_dir: name.to_string(),
            ..Page::new(lang)
        };
        self.push_guide(lang, name, gid, title, &vars, landing);
        let at = Folder {
            lang,
            guide: gid,
            rel: name,
            vars: &vars,
            parents: &[],
        };
        let nav = self.dir_pages(&at, &dir);
        self.finish_guide(gid, nav);
    }

    /// A guide folder laid over the skeleton its `extends:` names (spec section 6), or
    /// `None` after reporting a skeleton that does not exist.
    fn extend(
        &mut self,
        lang: &str,
        root: &Path,
        name: &str,
        dir: Dir,
        ext: &Value,
    ) -> Option<Dir> {
        let guide_index = dir.index;
        // A skeleton is a folder of content/<lang>/ itself: one name, never a path,
        // and never the partials.
        if let Some(skel) = ext.as_str()
            && self.skeleton_names(root).iter().any(|s| s == skel)
            && !skel.contains(['/', '\\', '\0'])
        {
            // Images beside skeleton chapters are copied into each guide.
            let mut base_dir = self.scan_dir(&root.join(skel), lang, name, true);
            base_dir.mark_skeleton();
            // The skeleton's own _guide.md/_index.md is not the guide's landing.
            base_dir.index = None;
            let mut dir = dir.overlay(base_dir);
            dir.index = guide_index;
            return Some(dir);
        }
        let shown = match ext {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let f = guide_index.map(|i| i.file);
        let why = if shown == "_partials" {
            format!("extends: '{shown}' names the partials of content/{lang}/, not a skeleton")
        } else {
            format!("extends: '{shown}' names no skeleton folder content/{lang}/{shown}/")
        };
        let mut d = Diagnostic::error(
            f.map(|f| self.site.files[f].rel.clone())
                .unwrap_or_else(|| PathBuf::from(format!("content/{lang}/{name}"))),
            why,
        );
        if let Some(f) = f {
            let file = &self.site.files[f];
            if let Some(at) = find_fm_key(&file.text, "extends") {
                d = d.at(&file.text, at.0, at.1);
            }
        }
        let skeletons = self.skeleton_names(root);
        if let Some(s) = closest(&shown, skeletons.iter().map(String::as_str)) {
            d = d.with_suggestion(s);
        } else if skeletons.is_empty() {
            d = d.with_help(format!(
                "create content/{lang}/_skeleton/ with the shared chapters"
            ));
        }
        self.diags.push(d);
        None
    }

    pub(super) fn skeleton_names(&self, root: &Path) -> Vec<String> {
        let mut v = Vec::new();
        if let Ok(rd) = std::fs::read_dir(root) {
            for e in rd.flatten() {
                let n = e.file_name().to_string_lossy().to_string();
                if n.starts_with('_') && n != "_partials" && e.path().is_dir() {
                    v.push(n);
                }
            }
        }
        v.sort();
        v
    }

    pub(super) fn push_guide(
        &mut self,
        lang: &str,
        name: &str,
        gid: GuideId,
        title: String,
        vars: &Map<String, Value>,
        landing: Page,
    ) {
        let landing = self.push_page(Page {
            kind: PageKind::GuideLanding,
            key: format!("{name}/"),
            out: format!("{name}/index.html"),
            title: title.clone(),
            guide: Some(gid),
            vars: vars.clone(),
            ..landing
        });
        self.site.guides.push(Guide {
            lang: lang.into(),
            name: name.into(),
            title,
            landing,
            nav: Vec::new(),
            order: vec![landing],
        });
    }

    pub(super) fn push_page(&mut self, mut p: Page) -> PageId {
        let id = PageId::new(self.site.pages.len());
        let url_vars = serde_json::json!({ "title": p.title.clone(), "url": p.out.clone() });
        p.vars.insert("page".into(), url_vars);
        self.site.pages.push(p);
        id
    }

    pub(super) fn finish_guide(&mut self, gid: GuideId, nav: Vec<NavNode>) {
        fn flatten(n: &[NavNode], out: &mut Vec<PageId>) {
            for x in n {
                out.push(x.page);
                flatten(&x.children, out);
            }
        }
        let mut order = vec![self.site.guides[gid].landing];
        flatten(&nav, &mut order);
        for w in order.windows(2) {
            self.site.pages[w[0]].next = Some(w[1]);
            self.site.pages[w[1]].prev = Some(w[0]);
        }
        let g = &mut self.site.guides[gid];
        g.nav = nav;
        g.order = order;
    }
}
