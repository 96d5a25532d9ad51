//! Dependencies as data: what each page read (Markdown files, example paths), so a
//! change on disk maps to exactly the pages it touches. `check` reads the same data.

use std::collections::HashSet;
use std::path::PathBuf;

use super::Build;
use crate::content::PageId;

/// What a page was built from: change any of these and the page must be rebuilt.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct PageDeps {
    /// Markdown files (the page's own, partials, skeleton chapters), absolute.
    pub files: Vec<PathBuf>,
    /// Paths under `examples/` (files, and folders for trees and diffs).
    pub examples: Vec<String>,
}

impl Build {
    /// Pages whose output depends on any of the changed paths (absolute), for `serve`.
    pub fn affected(&self, changed: &[PathBuf]) -> HashSet<PageId> {
        let ex_root = self.model.examples.root().to_path_buf();
        let mut out = HashSet::new();
        for (i, d) in PageId::all(self.results.len()).zip(self.results.iter().map(|r| &r.deps)) {
            let hit = changed.iter().any(|c| {
                d.files.iter().any(|f| f == c)
                    || c.strip_prefix(&ex_root).is_ok_and(|rel| {
                        let rel = rel.to_string_lossy().replace('\\', "/");
                        d.examples
                            .iter()
                            .any(|e| e == &rel || rel.starts_with(&format!("{e}/")) || e.is_empty())
                    })
            });
            if hit {
                out.insert(i);
            }
        }
        out
    }
}
