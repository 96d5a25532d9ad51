//! `search`: a search index per language, built from the rendered pages, for the
//! search box of every page. Words are stemmed on both sides (Russian and English
//! Snowball), so a query in one form finds another (`сборка` finds `сборки`). The
//! index is split into small files that the page script loads on first use; see
//! [`index`] for the format and docs/publishing.md for serving it.
//!
//! Pagefind was the researched choice; measured on the 480-page corpus it added about
//! 130 % to a build (1.6 s of indexing on a 1.2 s build) and 12 MB to the binary, so
//! guidegen builds its own small index from the text it already has.

mod extract;
mod index;
mod words;

use std::collections::HashMap;
use std::sync::Arc;

use crate::util::fxhash::Fx;
use words::Stemmers;

/// One page as search sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Doc {
    /// The page's URL relative to its language root (`flask/010_intro.html`, `flask/`).
    pub url: String,
    pub title: String,
    /// The title of the page's guide (empty outside guides).
    pub guide: String,
    pub sections: Vec<Section>,
}

/// One section of a page, ready for the index: what is shown, and its stems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Section {
    pub anchor: String,
    pub heading: String,
    /// Prose, cut to [`TEXT_CHARS`], for snippets.
    pub text: String,
    /// Stem -> weighted count (see [`index`]), in stem order.
    pub terms: Vec<(Arc<str>, u32)>,
    /// Length in weighted words.
    pub len: u32,
}

/// Prose kept per section for snippets.
const TEXT_CHARS: usize = 4000;

/// How much one occurrence counts, by where it is (x2: code counts half).
const IN_TEXT: u32 = 2;
const IN_CODE: u32 = 1;
const IN_HEADING: u32 = 8;
const IN_TITLE: u32 = 6;

impl Doc {
    /// A page from its rendered article HTML: its sections, their words stemmed (this
    /// runs for every page in parallel; [`files`] only merges).
    pub(crate) fn new(url: String, title: String, guide: String, html: &str) -> Doc {
        Stemmers::with(|stemmers| Doc::with(stemmers, url, title, guide, html))
    }

    fn with(stemmers: &mut Stemmers, url: String, title: String, guide: String, html: &str) -> Doc {
        let sections = extract::sections(html)
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let mut counts: HashMap<Arc<str>, u32, Fx> = HashMap::default();
                let mut len = 0;
                let mut add = |text: &str, w: u32| {
                    stemmers.each(text, |stem| {
                        match counts.get_mut(stem) {
                            Some(n) => *n += w,
                            None => {
                                counts.insert(stem.clone(), w);
                            }
                        }
                        len += w;
                    });
                };
                add(&s.text, IN_TEXT);
                add(&s.code, IN_CODE);
                add(&s.heading, IN_HEADING);
                if i == 0 {
                    add(&title, IN_TITLE);
                }
                let mut terms: Vec<(Arc<str>, u32)> = counts.into_iter().collect();
                terms.sort_unstable();
                let text = match s.text.char_indices().nth(TEXT_CHARS) {
                    Some((cut, _)) => s.text[..cut].to_string(),
                    None => s.text,
                };
                Section {
                    anchor: s.anchor,
                    heading: s.heading,
                    text,
                    terms,
                    len: len / 2,
                }
            })
            .collect();
        Doc {
            url,
            title,
            guide,
            sections,
        }
    }
}

/// The index files of one language's pages, in site order: (path under the language
/// root, content).
pub(crate) fn files(docs: &[&Doc]) -> Vec<(String, String)> {
    index::files(docs)
}
