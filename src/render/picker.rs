//! Choosing a guide by stack: the picker of a language's landing page (guides grouped
//! by programming language, then framework, each with its package manager and one-line
//! description) and, on every page of a guide, the switcher to the same chapter in the
//! guides of other stacks built on the same skeleton.
//!
//! The stack comes from each guide's frontmatter: `language`, `framework`, and
//! `package_manager` (or `package_managers_chosen`, the werf guides' name), shown by
//! their `[names]` display names. Guides keep the site's order (book.toml, weights).

use serde::Serialize;

use super::Renderer;
use crate::content::{Guide, Page};
use crate::util::url::relative as rel_url;

/// One programming language of the picker.
#[derive(Serialize)]
pub(super) struct Stack {
    name: String,
    frameworks: Vec<Framework>,
}

#[derive(Serialize)]
pub(super) struct Framework {
    name: String,
    guides: Vec<Picked>,
}

#[derive(Serialize)]
pub(super) struct Picked {
    title: String,
    url: String,
    description: String,
    package_manager: String,
}

/// A guide of the same skeleton, as the switcher offers it.
#[derive(Serialize)]
pub(super) struct Sibling {
    /// `Python · Flask · pip`.
    label: String,
    url: String,
    current: bool,
    /// The guide has no page for this chapter: the link leads to its start page.
    start_page: bool,
}

impl Renderer<'_> {
    /// The value of `key` in guide `g`'s frontmatter, by its display name.
    pub(super) fn stack_var(&self, g: &Guide, key: &str) -> Option<String> {
        let vars = &self.site.pages[g.landing].vars;
        let raw = match vars.get(key)? {
            serde_json::Value::String(s) if !s.trim().is_empty() => {
                crate::vars::text(s).to_string()
            }
            _ => return None,
        };
        Some(self.config.display_name(&g.lang, &raw).to_string())
    }

    pub(super) fn package_manager(&self, g: &Guide) -> Option<String> {
        self.stack_var(g, "package_manager")
            .or_else(|| self.stack_var(g, "package_managers_chosen"))
    }

    /// The landing page's guides grouped by language and framework; empty when no
    /// guide of `p`'s language names its stack (the page lists them plainly).
    pub(super) fn stacks(&self, p: &Page) -> Vec<Stack> {
        let guides: Vec<&Guide> = self
            .site
            .guides
            .iter()
            .filter(|g| g.lang == p.lang)
            .collect();
        if !guides.iter().any(|g| {
            self.stack_var(g, "language").is_some() || self.stack_var(g, "framework").is_some()
        }) {
            return Vec::new();
        }
        let other = self
            .theme
            .strings(&p.lang)
            .get("other_guides")
            .cloned()
            .unwrap_or_else(|| "Other".into());
        let mut stacks: Vec<Stack> = Vec::new();
        for g in guides {
            let lang = self
                .stack_var(g, "language")
                .unwrap_or_else(|| other.clone());
            let framework = self
                .stack_var(g, "framework")
                .unwrap_or_else(|| lang.clone());
            let landing = &self.site.pages[g.landing];
            let picked = Picked {
                title: landing.title.clone(),
                url: rel_url(&p.out, &landing.out),
                description: landing.description.clone(),
                package_manager: self.package_manager(g).unwrap_or_default(),
            };
            let stack = match stacks.iter().position(|s| s.name == lang) {
                Some(i) => &mut stacks[i],
                None => {
                    stacks.push(Stack {
                        name: lang,
                        frameworks: Vec::new(),
                    });
                    let last = stacks.len() - 1;
                    &mut stacks[last]
                }
            };
            match stack.frameworks.iter_mut().find(|f| f.name == framework) {
                Some(f) => f.guides.push(picked),
                None => stack.frameworks.push(Framework {
                    name: framework,
                    guides: vec![picked],
                }),
            }
        }
        stacks
    }

    /// For a page of a guide that extends a skeleton: every guide of that skeleton in
    /// the page's language, each linked at the same chapter (or at its start page when
    /// it has no such chapter). Empty when the guide stands alone.
    pub(super) fn siblings(&self, p: &Page) -> Vec<Sibling> {
        let Some(gid) = p.guide else {
            return Vec::new();
        };
        let guide = &self.site.guides[gid];
        let skeleton = |g: &Guide| match self.site.pages[g.landing].vars.get("extends") {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let Some(mine) = skeleton(guide) else {
            return Vec::new();
        };
        let same: Vec<&Guide> = self
            .site
            .guides
            .iter()
            .filter(|g| g.lang == p.lang && skeleton(g).as_deref() == Some(mine.as_str()))
            .collect();
        if same.len() < 2 {
            return Vec::new();
        }
        // The chapter's place inside its guide: its key without the guide's name.
        let rest = p.key.strip_prefix(&format!("{}/", guide.name));
        same.into_iter()
            .map(|g| {
                let target = rest
                    .and_then(|r| self.site.page_by_key(&p.lang, &format!("{}/{r}", g.name)))
                    .filter(|&q| {
                        self.site.pages[q]
                            .guide
                            .is_some_and(|qg| self.site.guides[qg].name == g.name)
                    });
                let to = target.unwrap_or(g.landing);
                let label = [
                    self.stack_var(g, "language"),
                    self.stack_var(g, "framework"),
                    self.package_manager(g),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>();
                let label = if label.is_empty() {
                    g.title.clone()
                } else {
                    label.join(" · ")
                };
                Sibling {
                    label,
                    url: rel_url(&p.out, &self.site.pages[to].out),
                    current: g.name == guide.name,
                    start_page: target.is_none(),
                }
            })
            .collect()
    }
}
