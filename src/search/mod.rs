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
use std::sync::{Arc, Mutex, PoisonError};

use crate::util::fxhash::Fx;
use words::Stemmers;

/// The stems of a build, numbered: a section keeps `(stem number, count)` pairs (8
/// bytes) instead of strings. Pages add to it from every worker thread; a page takes
/// the lock once.
#[derive(Debug, Default)]
pub(crate) struct Stems(Mutex<StemTable>);

#[derive(Debug, Default)]
struct StemTable {
    ids: HashMap<Arc<str>, u32, Fx>,
    names: Vec<Arc<str>>,
}

impl Stems {
    /// The numbers of `stems`, adding the new ones.
    fn number(&self, stems: impl Iterator<Item = Arc<str>>) -> Vec<u32> {
        let mut t = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        stems
            .map(|s| {
                if let Some(&id) = t.ids.get(&s) {
                    return id;
                }
                let id = t.names.len() as u32;
                t.names.push(s.clone());
                t.ids.insert(s, id);
                id
            })
            .collect()
    }

    /// The stems of `ids`.
    fn names_of(&self, ids: impl Iterator<Item = u32>) -> Vec<Arc<str>> {
        let t = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        ids.filter_map(|i| t.names.get(i as usize).cloned())
            .collect()
    }

    /// Every stem, by number.
    fn names(&self) -> Vec<Arc<str>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .names
            .clone()
    }
}

/// One page as search sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Doc {
    /// The page's URL relative to its language root (`flask/010_intro.html`, `flask/`).
    pub url: String,
    pub title: String,
    /// The title of the page's guide (empty outside guides).
    pub guide: String,
    pub sections: Vec<Section>,
    /// Where the sections' shown text went (see [`Doc::spill`]); `None`: still here.
    pub spilled: Option<Spilled>,
}

/// Where a page's shown text was stored by [`Doc::spill`]: the place its `put` gave and
/// the length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spilled {
    pub at: u64,
    pub len: u32,
}

/// One section of a page, ready for the index: what is shown, and its stems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Section {
    pub anchor: String,
    pub heading: String,
    /// Prose, cut to [`TEXT_CHARS`], for snippets.
    pub text: String,
    /// (stem number in [`Stems`], weighted count); see [`index`].
    pub terms: Vec<(u32, u32)>,
    /// Length in weighted words.
    pub len: u32,
}

/// How often each stem occurs in a section (weighted), by the address of its shared
/// string (see [`words::Stemmers::each`]).
type StemCounts = HashMap<usize, (Arc<str>, u32), Fx>;

/// Prose kept per section for snippets (a match further on shows the section's start).
const TEXT_CHARS: usize = 1500;

/// How much one occurrence counts, by where it is (x2: code counts half).
const IN_TEXT: u32 = 2;
const IN_CODE: u32 = 1;
const IN_HEADING: u32 = 8;
const IN_TITLE: u32 = 6;

impl Doc {
    /// A page from its rendered article HTML: its sections, their words stemmed (this
    /// runs for every page in parallel; [`files`] only merges).
    pub(crate) fn new(stems: &Stems, url: String, title: String, guide: String, html: &str) -> Doc {
        let (sections, counts) = Stemmers::with(|stemmers| Doc::sections(stemmers, &title, html));
        // Number every stem of the page at once: one lock per page.
        let mut distinct: HashMap<usize, Arc<str>, Fx> = HashMap::default();
        for c in &counts {
            for (&addr, (stem, _)) in c {
                distinct.entry(addr).or_insert_with(|| stem.clone());
            }
        }
        let (addrs, names): (Vec<usize>, Vec<Arc<str>>) = distinct.into_iter().unzip();
        let ids: HashMap<usize, u32, Fx> = addrs
            .into_iter()
            .zip(stems.number(names.into_iter()))
            .collect();
        let sections = sections
            .into_iter()
            .zip(counts)
            .map(|(mut s, c)| {
                s.terms = c
                    .into_iter()
                    .filter_map(|(addr, (_, n))| Some((*ids.get(&addr)?, n)))
                    .collect();
                s.terms.sort_unstable();
                s
            })
            .collect();
        Doc {
            url,
            title,
            guide,
            sections,
            spilled: None,
        }
    }

    /// What the index shows of each section, a JSON array each (see [`index`]); they
    /// never contain a line break, which JSON strings escape, so they can be stored one
    /// per line.
    fn entries(&self) -> Vec<String> {
        self.sections
            .iter()
            .map(|s| index::section(self, s))
            .collect()
    }

    /// Move the text the index shows (anchors, headings, prose) out of memory until the
    /// index is written: `put` stores it and says where, or `None` to keep it here. The
    /// terms and lengths stay. A build keeps every page's document until the index is
    /// made, and the text was most of it. (The build cache takes its record first.)
    pub(crate) fn spill(&mut self, put: impl FnOnce(&[u8]) -> Option<u64>) {
        if self.spilled.is_some() || self.sections.is_empty() {
            return;
        }
        let shown = self.entries().join("\n");
        let Ok(len) = u32::try_from(shown.len()) else {
            return;
        };
        if let Some(at) = put(shown.as_bytes()) {
            for s in &mut self.sections {
                s.anchor = String::new();
                s.heading = String::new();
                s.text = String::new();
            }
            self.spilled = Some(Spilled { at, len });
        }
    }

    /// The shown lines of every section, from memory or from where they were spilled.
    fn shown_lines(&self, read: &Read<'_>) -> std::io::Result<Vec<String>> {
        let Some(sp) = self.spilled else {
            return Ok(self.entries());
        };
        let text = String::from_utf8(read(sp)?)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        if lines.len() != self.sections.len() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{}: the stored search text does not match its sections",
                    self.url
                ),
            ));
        }
        Ok(lines)
    }

    /// The sections of a page, and the stem counts of each.
    fn sections(
        stemmers: &mut Stemmers,
        title: &str,
        html: &str,
    ) -> (Vec<Section>, Vec<StemCounts>) {
        let mut all_counts = Vec::new();
        let sections = extract::sections(html)
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let mut counts: StemCounts = HashMap::default();
                let mut len = 0;
                let mut add = |text: &str, w: u32| {
                    stemmers.each(text, |stem| {
                        let addr = Arc::as_ptr(stem).cast::<u8>() as usize;
                        match counts.get_mut(&addr) {
                            Some((_, n)) => *n += w,
                            None => {
                                counts.insert(addr, (stem.clone(), w));
                            }
                        }
                        len += w;
                    });
                };
                add(&s.text, IN_TEXT);
                add(&s.code, IN_CODE);
                add(&s.heading, IN_HEADING);
                if i == 0 {
                    add(title, IN_TITLE);
                }
                all_counts.push(counts);
                let text = match s.text.char_indices().nth(TEXT_CHARS) {
                    Some((cut, _)) => s.text[..cut].to_string(),
                    None => s.text,
                };
                Section {
                    anchor: s.anchor,
                    heading: s.heading,
                    text,
                    terms: Vec::new(),
                    len: len / 2,
                }
            })
            .collect();
        (sections, all_counts)
    }
}

/// A page as search sees it, as the build cache keeps it (stems as words, not numbers:
/// numbers are only valid within one build).
#[derive(serde::Serialize, serde::Deserialize)]
struct DocRecord {
    url: String,
    title: String,
    guide: String,
    sections: Vec<SectionRecord>,
}

/// A section in the cache: anchor, heading, text, length in words, (stem, count)s.
type SectionRecord = (String, String, String, u32, Vec<(String, u32)>);

impl Doc {
    /// The page as the build cache keeps it.
    pub(crate) fn to_record(&self, stems: &Stems) -> Vec<u8> {
        let sections = self
            .sections
            .iter()
            .map(|s| {
                let names = stems.names_of(s.terms.iter().map(|t| t.0));
                let terms = names
                    .iter()
                    .zip(&s.terms)
                    .map(|(n, t)| (n.to_string(), t.1))
                    .collect();
                (
                    s.anchor.clone(),
                    s.heading.clone(),
                    s.text.clone(),
                    s.len,
                    terms,
                )
            })
            .collect();
        let r = DocRecord {
            url: self.url.clone(),
            title: self.title.clone(),
            guide: self.guide.clone(),
            sections,
        };
        serde_json::to_vec(&r).unwrap_or_default()
    }

    /// A page back from the build cache, its stems numbered in this build's `stems`.
    pub(crate) fn from_record(bytes: &[u8], stems: &Stems) -> Option<Doc> {
        let r: DocRecord = serde_json::from_slice(bytes).ok()?;
        let sections = r
            .sections
            .into_iter()
            .map(|(anchor, heading, text, len, terms)| {
                let ids = stems.number(terms.iter().map(|(n, _)| Arc::from(n.as_str())));
                let mut terms: Vec<(u32, u32)> =
                    ids.into_iter().zip(terms.iter().map(|t| t.1)).collect();
                terms.sort_unstable();
                Section {
                    anchor,
                    heading,
                    text,
                    terms,
                    len,
                }
            })
            .collect();
        Some(Doc {
            url: r.url,
            title: r.title,
            guide: r.guide,
            sections,
            spilled: None,
        })
    }
}

/// Reads back what [`Doc::spill`] stored.
pub(crate) type Read<'a> = dyn Fn(Spilled) -> std::io::Result<Vec<u8>> + 'a;

/// The index files of one language's pages, in site order, each handed to `emit` as
/// (path under the language root, content) as soon as it is made; `read` brings back
/// spilled text. Fails only when spilled text cannot be read.
pub(crate) fn files(
    docs: &[&Doc],
    stems: &Stems,
    read: &Read<'_>,
    emit: &mut dyn FnMut(String, String),
) -> std::io::Result<()> {
    index::files(docs, &stems.names(), read, emit)
}
