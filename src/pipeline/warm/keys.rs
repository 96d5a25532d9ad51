//! What a cached page is keyed by: the site as a whole ([`site_key`]), the page itself
//! ([`Warm::page_key`]), and the hashes of the files it read.

use super::Warm;
use crate::content::PageId;
use crate::output::cache::hash;
use crate::pipeline::model::Model;

impl Warm {
    /// What page `id` depends on directly: the site and the page itself.
    pub(super) fn page_key(&self, b: &Model, id: PageId) -> u128 {
        let p = &b.site.pages[id];
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.site_key.to_le_bytes());
        h.update(p.lang.as_bytes());
        h.update(&[0]);
        h.update(p.out.as_bytes());
        h.update(&[0]);
        h.update(
            serde_json::to_string(&p.vars)
                .unwrap_or_default()
                .as_bytes(),
        );
        if let Some(f) = p.file.map(|f| &b.site.files[f]) {
            h.update(f.rel.to_string_lossy().as_bytes());
            h.update(&[0]);
            h.update(f.text.get(p.body.clone()).unwrap_or("").as_bytes());
        }
        h.digest128()
    }

    /// The hash of a Markdown file the page read (`None`: not part of the site now).
    pub(super) fn file_hash(&self, b: &Model, rel: &str) -> Option<u128> {
        let abs = b.config.root.join(rel);
        let i = *self.files.get(&abs)?;
        let once = self.file_hashes.get(i)?;
        Some(*once.get_or_init(|| hash(b.site.files[i].text.as_bytes())))
    }

    /// The hash of what a page sees at `rel` under `examples/`: a file's bytes, a
    /// folder's tree of names and contents, or nothing.
    pub(super) fn example_hash(&self, b: &Model, rel: &str) -> u128 {
        self.examples.get_or_insert_with(rel.to_string(), || {
            let path = b.examples.root().join(rel);
            if path.is_file() {
                return std::fs::read(&path).map_or(0, |bytes| hash(&bytes));
            }
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            let walk = walkdir::WalkDir::new(&path)
                .sort_by_file_name()
                .follow_links(false);
            for e in walk.into_iter().flatten() {
                h.update(
                    e.path()
                        .strip_prefix(&path)
                        .unwrap_or(e.path())
                        .to_string_lossy()
                        .as_bytes(),
                );
                h.update(&[0]);
                if e.file_type().is_file() {
                    h.update(
                        &std::fs::read(e.path())
                            .map_or(0, |b| hash(&b))
                            .to_le_bytes(),
                    );
                }
            }
            if path.exists() { h.digest128() } else { 0 }
        })
    }
}

/// Everything every page depends on: guidegen's version, book.toml, the theme, the
/// build's options, and the shape of the site.
/// guidegen's version and the program itself (a rebuilt guidegen of the same version
/// may render differently): its size and modification time. Highlighted blocks depend
/// on nothing else (the grammars and themes are built in).
pub(super) fn program_key() -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(m) = std::env::current_exe().ok().and_then(|e| e.metadata().ok()) {
        h.update(&m.len().to_le_bytes());
        if let Ok(t) = m.modified().and_then(|t| {
            t.duration_since(std::time::UNIX_EPOCH)
                .map_err(std::io::Error::other)
        }) {
            h.update(&t.as_nanos().to_le_bytes());
        }
    }
    h.digest128()
}

pub(super) fn site_key(b: &Model) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&program_key().to_le_bytes());
    h.update(&std::fs::read(b.config.root.join("book.toml")).unwrap_or_default());
    h.update(&b.theme.fingerprint.to_le_bytes());
    // What draws the blocks (a renderer that changes its output changes its key).
    h.update(&b.renderers.key().to_le_bytes());
    let mut bases: Vec<_> = b.base_urls.iter().collect();
    bases.sort();
    // `{commit}` in repo_url changes with the checkout, not with book.toml.
    h.update(format!("{bases:?}|{:?}|{:?}", b.notes, b.config.examples_repo_url).as_bytes());
    for p in &b.site.pages {
        let line = format!(
            "{}|{}|{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}|{}|{:?}\n",
            p.lang,
            p.out,
            p.title,
            p.description,
            p.draft,
            p.kind,
            p.guide,
            p.parents,
            p.prev,
            p.next,
            p.translations,
            p.key,
            p.untitled,
            p.from_skeleton,
            p.aliases
        );
        h.update(line.as_bytes());
    }
    for g in &b.site.guides {
        h.update(
            format!(
                "{}|{}|{}|{:?}|{:?}\n",
                g.lang, g.name, g.title, g.landing, g.nav
            )
            .as_bytes(),
        );
    }
    for f in &b.statics {
        h.update(format!("static|{}\n", f.rel).as_bytes());
    }
    for (lang, rel, _) in &b.site.assets {
        h.update(format!("{lang}|{rel}\n").as_bytes());
    }
    h.digest128()
}
