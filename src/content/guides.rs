//! A language's guides: partials, the landing page, folder guides (with the skeleton
//! they extend) and single-file guides, in order; registering a guide and its pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::read::Dir;
use super::{FileId, Guide, Loader, NavNode, Page, PageId, PageKind, find_fm_key};
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
        let lconf = self.config.language(lang).cloned();
        let mut base_vars = self.config.variables.clone();
        if let Some(l) = &lconf {
            merge(&mut base_vars, &l.variables);
        }
        base_vars.insert("lang".into(), Value::String(lang.into()));

        // Partials.
        let partial_dir = root.join("_partials");
        let mut partials = BTreeMap::new();
        if partial_dir.is_dir() {
            for e in walkdir::WalkDir::new(&partial_dir).sort_by_file_name() {
                let Ok(e) = e else { continue };
                let p = e.path();
                if p.extension().is_some_and(|x| x == "md")
                    && let Ok(r) = p.strip_prefix(&partial_dir)
                {
                    let name = r.with_extension("").to_string_lossy().replace('\\', "/");
                    if let Some(id) = self.read(p) {
                        partials.insert(name, id);
                    }
                }
            }
        }
        self.site.partials.insert(lang.to_string(), partials);

        // Landing page (created now; guides fill its listing later in render).
        let landing_id = self.site.pages.len();
        let (landing_file, landing_fm) = if root.join("_index.md").is_file() {
            let f = self.read(&root.join("_index.md"));
            let fm = f
                .map(|f| self.site.files[f].frontmatter.clone())
                .unwrap_or_default();
            (f, fm)
        } else {
            (None, Map::new())
        };
        let mut vars = base_vars.clone();
        merge(&mut vars, &landing_fm);
        let title = landing_fm
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| lconf.as_ref().map(|l| l.title.clone()))
            .unwrap_or_default();
        let body = landing_file
            .map(|f| self.site.files[f].body_start..self.site.files[f].text.len())
            .unwrap_or(0..0);
        self.push_page(Page {
            kind: PageKind::LangLanding,
            file: landing_file,
            body,
            key: String::new(),
            out: "index.html".into(),
            title,
            description: str_var(&landing_fm, "description")
                .or_else(|| lconf.as_ref().map(|l| l.description.clone()))
                .unwrap_or_default(),
            vars,
            ..Page::new(lang)
        });
        self.site.landings.insert(lang.to_string(), landing_id);

        if !root.is_dir() {
            return;
        }
        let top = self.scan_dir(&root, lang, "", true);
        // Folder guides.
        let mut guides: Vec<(String, Dir)> = top.dirs.into_iter().collect();
        guides.sort_by(|a, b| natural_cmp(&a.0, &b.0));
        let mut entries: Vec<(String, GuideSource)> = guides
            .into_iter()
            .map(|(n, d)| (n, GuideSource::Folder(d)))
            .collect();
        for (name, f) in top.files {
            let stem = name.trim_end_matches(".md").to_string();
            entries.push((stem, GuideSource::SingleFile(f.file)));
        }
        entries.sort_by(|a, b| natural_cmp(&a.0, &b.0));
        // Weight on guide landing orders guides too.
        let mut weighted: Vec<(Option<i64>, String, GuideSource)> = entries
            .into_iter()
            .map(|(n, s)| {
                let w = match &s {
                    GuideSource::Folder(d) => d.index.and_then(|i| {
                        self.site.files[i.file]
                            .frontmatter
                            .get("weight")
                            .and_then(Value::as_i64)
                    }),
                    GuideSource::SingleFile(f) => self.site.files[*f]
                        .frontmatter
                        .get("weight")
                        .and_then(Value::as_i64),
                };
                (w, n, s)
            })
            .collect();
        weighted.sort_by(|a, b| weight_cmp(a.0, b.0).then_with(|| natural_cmp(&a.1, &b.1)));
        for (_, name, src) in weighted {
            match src {
                GuideSource::Folder(d) => self.folder_guide(lang, &root, &name, d, &base_vars),
                GuideSource::SingleFile(f) => self.single_file_guide(lang, &name, f, &base_vars),
            }
        }
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
        let mut dir = dir;
        if let Some(ext) = guide_fm.get("extends") {
            let guide_index = dir.index;
            match ext.as_str() {
                Some(skel) if skel.starts_with('_') && root.join(skel).is_dir() => {
                    // Images beside skeleton chapters are copied into each guide.
                    let mut base_dir = self.scan_dir(&root.join(skel), lang, name, true);
                    base_dir.mark_skeleton();
                    // The skeleton's own _guide.md/_index.md is not the guide's landing.
                    base_dir.index = None;
                    dir = dir.overlay(base_dir);
                    dir.index = guide_index;
                }
                _ => {
                    let shown = match ext {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let f = guide_index.map(|i| i.file);
                    let mut d = Diagnostic::error(
                        f.map(|f| self.site.files[f].rel.clone())
                            .unwrap_or_else(|| PathBuf::from(format!("content/{lang}/{name}"))),
                        format!(
                            "extends: '{shown}' names no skeleton folder content/{lang}/{shown}/"
                        ),
                    );
                    if let Some(f) = f {
                        let file = &self.site.files[f];
                        if let Some(at) = find_fm_key(&file.text, "extends") {
                            d = d.at(&file.text, at.0, at.1);
                        }
                    }
                    let skeletons = self.skeleton_names(root);
                    if let Some(s) = closest(&shown, skeletons.iter().map(String::as_str)) {
                        d = d.with_help(format!("did you mean '{s}'?"));
                    } else if skeletons.is_empty() {
                        d = d.with_help(format!(
                            "create content/{lang}/_skeleton/ with the shared chapters"
                        ));
                    }
                    self.diags.push(d);
                    return;
                }
            }
        }
        let mut vars = base.clone();
        merge(&mut vars, &guide_fm);
        vars.insert("guide".into(), Value::String(name.into()));
        let gid = self.site.guides.len();
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
        let nav = self.dir_pages(lang, gid, name, &dir, &vars, &[]);
        self.finish_guide(gid, nav);
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
        gid: usize,
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
        let id = self.site.pages.len();
        let url_vars = serde_json::json!({ "title": p.title.clone(), "url": p.out.clone() });
        p.vars.insert("page".into(), url_vars);
        self.site.pages.push(p);
        id
    }

    pub(super) fn finish_guide(&mut self, gid: usize, nav: Vec<NavNode>) {
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
