//! Single-file guides (spec section 4): one Markdown file whose top-level `#` headings
//! (outside fenced code) start chapters; the text before the first is the landing page.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{Map, Value};

use super::{FileId, GuideId, Loader, NavNode, Page, PageKind};
use crate::syntax::markdown::{FenceTracker, h1};
use crate::util::text::{humanize, slugify};
use crate::vars::{bool_var, merge, str_var};

impl Loader<'_> {
    pub(super) fn single_file_guide(
        &mut self,
        lang: &str,
        name: &str,
        file: FileId,
        base: &Map<String, Value>,
    ) {
        let f = &self.site.files[file];
        let fm = f.frontmatter.clone();
        if bool_var(&fm, "draft") && !self.drafts {
            return;
        }
        let chapters = split_chapters(&f.text, f.body_start);
        let mut vars = base.clone();
        merge(&mut vars, &fm);
        vars.insert("guide".into(), Value::String(name.into()));
        let gid = GuideId::new(self.site.guides.len());
        let title = str_var(&fm, "title").unwrap_or_else(|| humanize(name));
        let intro_end = chapters
            .first()
            .map(|c| c.heading_start)
            .unwrap_or(f.text.len());
        let landing = Page {
            file: Some(file),
            body: f.body_start..intro_end,
            description: str_var(&fm, "description").unwrap_or_default(),
            ..Page::new(lang)
        };
        self.push_guide(lang, name, gid, title, &vars, landing);
        let mut nav = Vec::new();
        let mut used: HashMap<String, usize> = HashMap::new();
        for (i, ch) in chapters.into_iter().enumerate() {
            // The slug comes from the heading as readers see it (slots filled).
            let shown = crate::vars::expand_inline(self.config, lang, &vars, &ch.title)
                .unwrap_or_else(|_| ch.title.clone());
            let mut slug = ch.id.clone().unwrap_or_else(|| slugify(&shown));
            if slug.is_empty() || slug == "index" {
                slug = format!("chapter-{}", i + 1);
            }
            let n = used.entry(slug.clone()).or_insert(0);
            if *n > 0 {
                slug = format!("{slug}-{n}");
            }
            *n += 1;
            let page = self.push_page(Page {
                kind: PageKind::Chapter,
                file: Some(file),
                body: ch.body,
                key: format!("{name}/{slug}.html"),
                out: format!("{name}/{slug}.html"),
                title: ch.title,
                guide: Some(gid),
                vars: vars.clone(),
                ordinal: Some(i),
                ..Page::new(lang)
            });
            nav.push(NavNode {
                page,
                children: Vec::new(),
            });
        }
        self.finish_guide(gid, nav);
    }
}

pub(super) struct Chapter {
    pub title: String,
    pub id: Option<String>,
    pub heading_start: usize,
    pub body: Range<usize>,
}

/// Split a single-file guide at top-level `#` headings outside fenced code.
pub(super) fn split_chapters(text: &str, start: usize) -> Vec<Chapter> {
    let mut out: Vec<Chapter> = Vec::new();
    let mut fences = FenceTracker::default();
    let mut off = start;
    for line in text[start..].split_inclusive('\n') {
        let in_code = fences.line(line.trim_end_matches(['\n', '\r']));
        if !in_code && let Some((title, id)) = h1(line) {
            if let Some(last) = out.last_mut() {
                last.body.end = off;
            }
            out.push(Chapter {
                title,
                id,
                heading_start: off,
                body: off + line.len()..text.len(),
            });
        }
        off += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_split_outside_fences_only() {
        let t = "intro\n# One\ntext\n```bash\n# not a heading\n```\n# Two {#two}\n ```\n# in indented fence\n```\n";
        let c = split_chapters(t, 0);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].title, "One");
        assert_eq!(c[1].id.as_deref(), Some("two"));
        assert!(t[c[0].body.clone()].contains("# not a heading"));
        assert!(t[c[1].body.clone()].contains("# in indented fence"));
        assert_eq!(&t[..c[0].heading_start], "intro\n");
    }
}
