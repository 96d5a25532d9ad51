//! A page's place in its guide: the sidebar, breadcrumbs and children. A guide's sidebar
//! is in every page of it, so a page would grow with its guide (1,000 chapters: 80 KB
//! of sidebar per page, 10,000: 780 KB). Up to [`EMBED_MAX`] entries the whole sidebar
//! is in each page; a bigger guide's pages carry a window of it (the path to the page
//! and [`WINDOW`] neighbours on each side at every level, the rest shown as gaps), and
//! the whole navigation is in one script per guide ([`Renderer::nav_script`]), loaded
//! by the page script and cached by the browser. Without JavaScript the window stays.

use serde_json::json;

use super::Renderer;
use super::view::{Nav, NavItem};
use crate::content::{Guide, NavNode, Page, PageId};
use crate::util::url::relative as rel_url;

/// Guides with at most this many sidebar entries carry their whole sidebar in every page.
pub(super) const EMBED_MAX: usize = 200;
/// Entries shown on each side of the path to the page, per level, in a windowed sidebar.
const WINDOW: usize = 8;
/// Children listed on a landing or section page; more are counted.
const CHILDREN_MAX: usize = 200;
/// Where a big guide's navigation script is, under the guide's folder.
pub(crate) const NAV_SCRIPT: &str = "nav.js";

fn count(nodes: &[NavNode]) -> usize {
    nodes.iter().map(|n| 1 + count(&n.children)).sum()
}

fn find_node(nodes: &[NavNode], id: PageId) -> Option<&NavNode> {
    for n in nodes {
        if n.page == id {
            return Some(n);
        }
        if let Some(f) = find_node(&n.children, id) {
            return Some(f);
        }
    }
    None
}

/// The folder of a guide's landing page (`flask/index.html` -> `flask/`).
fn guide_dir(landing: &Page) -> &str {
    match landing.out.rfind('/') {
        Some(i) => &landing.out[..=i],
        None => "",
    }
}

impl Renderer<'_> {
    /// The guide link, sidebar, breadcrumbs and children of page `id`.
    pub(super) fn nav(&self, id: PageId) -> Nav {
        let p = &self.site.pages[id];
        let Some(g) = p.guide.map(|g| &self.site.guides[g]) else {
            return Nav::default();
        };
        let mut breadcrumbs = Vec::new();
        if id != g.landing {
            breadcrumbs.push(self.link(p, g.landing));
        }
        breadcrumbs.extend(p.parents.iter().map(|&s| self.link(p, s)));
        let nodes: &[NavNode] = if id == g.landing {
            &g.nav
        } else {
            find_node(&g.nav, id).map_or(&[], |n| &n.children)
        };
        let children = nodes
            .iter()
            .take(CHILDREN_MAX)
            .map(|n| self.child(p, n.page))
            .collect();
        let big = count(&g.nav) > EMBED_MAX;
        let landing = &self.site.pages[g.landing];
        Nav {
            guide: Some(self.link(p, g.landing)),
            sidebar: if big {
                self.window(&g.nav, p, id)
            } else {
                self.items(&g.nav, p, id)
            },
            nav_script: big
                .then(|| rel_url(&p.out, &format!("{}{NAV_SCRIPT}", guide_dir(landing)))),
            breadcrumbs,
            children,
            more_children: nodes.len().saturating_sub(CHILDREN_MAX),
        }
    }

    fn item(&self, n: &NavNode, from: &Page, current: PageId, children: Vec<NavItem>) -> NavItem {
        let p = &self.site.pages[n.page];
        NavItem {
            title: p.title.clone(),
            url: rel_url(&from.out, &p.out),
            current: n.page == current,
            open: from.parents.contains(&n.page),
            draft: p.draft,
            children,
            gap: 0,
        }
    }

    /// The whole sidebar.
    fn items(&self, nodes: &[NavNode], from: &Page, current: PageId) -> Vec<NavItem> {
        nodes
            .iter()
            .map(|n| self.item(n, from, current, self.items(&n.children, from, current)))
            .collect()
    }

    /// The sidebar around the page: at each level the entry on the path to the page (or
    /// the first ones) with [`WINDOW`] neighbours each side; only the path is expanded.
    fn window(&self, nodes: &[NavNode], from: &Page, current: PageId) -> Vec<NavItem> {
        let on_path = |n: &NavNode| n.page == current || from.parents.contains(&n.page);
        let (lo, hi) = match nodes.iter().position(on_path) {
            Some(i) => (i.saturating_sub(WINDOW), (i + WINDOW + 1).min(nodes.len())),
            None => (0, (2 * WINDOW + 1).min(nodes.len())),
        };
        let gap = |n: usize| NavItem {
            title: String::new(),
            url: String::new(),
            current: false,
            open: false,
            draft: false,
            children: Vec::new(),
            gap: n,
        };
        let mut out = Vec::with_capacity(hi - lo + 2);
        if lo > 0 {
            out.push(gap(lo));
        }
        for n in &nodes[lo..hi] {
            let children = if on_path(n) {
                self.window(&n.children, from, current)
            } else {
                Vec::new()
            };
            out.push(self.item(n, from, current, children));
        }
        if hi < nodes.len() {
            out.push(gap(nodes.len() - hi));
        }
        out
    }

    /// A big guide's whole navigation as a script (`<guide>/nav.js`), or `None` for a
    /// guide small enough to be in every page: (path under the language, content).
    /// Entries are `[title, URL relative to the guide's folder, draft, children]`.
    pub(crate) fn nav_script(&self, g: &Guide) -> Option<(String, String)> {
        if count(&g.nav) <= EMBED_MAX {
            return None;
        }
        let landing = &self.site.pages[g.landing];
        let dir = guide_dir(landing);
        let entries = self.entries(&g.nav, &format!("{dir}index.html"));
        let data = json!(entries).to_string().replace("</", "<\\/");
        Some((
            format!("{dir}{NAV_SCRIPT}"),
            format!("ggNavLoad({data});\n"),
        ))
    }

    fn entries(&self, nodes: &[NavNode], from: &str) -> Vec<serde_json::Value> {
        nodes
            .iter()
            .map(|n| {
                let p = &self.site.pages[n.page];
                json!([
                    p.title,
                    rel_url(from, &p.out),
                    u8::from(p.draft),
                    self.entries(&n.children, from)
                ])
            })
            .collect()
    }
}
