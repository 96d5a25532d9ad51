//! Reading the content tree: each Markdown file once (BOM, UTF-8, frontmatter, types of
//! the keys that mean something), folders into a [`Dir`] tree, and a skeleton's tree
//! laid under a guide's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::tree::join_rel;
use super::{FileId, Loader, SourceFile, find_fm_key, frontmatter};
use crate::diag::{Diagnostic, display_path};
use crate::source::locate;

#[derive(Debug, Default, Clone)]
pub(super) struct Dir {
    pub(super) index: Option<FileRef>,
    pub(super) files: BTreeMap<String, FileRef>,
    pub(super) dirs: BTreeMap<String, Dir>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct FileRef {
    pub(super) file: FileId,
    pub(super) skeleton: bool,
}

impl Dir {
    /// Overlay `self` (the guide) onto `base` (the skeleton): the guide's files win.
    pub(super) fn overlay(self, mut base: Dir) -> Dir {
        if self.index.is_some() {
            base.index = self.index;
        }
        for (k, v) in self.files {
            base.files.insert(k, v);
        }
        for (k, v) in self.dirs {
            let merged = match base.dirs.remove(&k) {
                Some(b) => v.overlay(b),
                None => v,
            };
            base.dirs.insert(k, merged);
        }
        base
    }

    pub(super) fn mark_skeleton(&mut self) {
        if let Some(i) = &mut self.index {
            i.skeleton = true;
        }
        for f in self.files.values_mut() {
            f.skeleton = true;
        }
        for d in self.dirs.values_mut() {
            d.mark_skeleton();
        }
    }
}

impl Loader<'_> {
    pub(super) fn rel(&self, p: &Path) -> PathBuf {
        display_path(&self.config.root, p)
    }

    /// Keys that mean something to guidegen must have the right type (spec section 3).
    pub(super) fn check_types(&mut self, rel: &Path, text: &str, fm: &Map<String, Value>) {
        const STRINGS: &[&str] = &["title", "description", "permalink", "examples", "extends"];
        for (key, v) in fm {
            let want = match key.as_str() {
                "weight" if !v.is_i64() => "a whole number, e.g. `weight: 10`",
                "draft" if !v.is_boolean() => "true or false",
                k if STRINGS.contains(&k)
                    && !(v.is_string() || (k != "extends" && v.is_number())) =>
                {
                    "a string"
                }
                _ => continue,
            };
            let mut d = Diagnostic::error(rel, format!("frontmatter key '{key}' must be {want}"));
            if let Some((s, e)) = find_fm_key(text, key) {
                d = d.at(text, s, e);
            }
            self.diags.push(d);
        }
    }

    /// Read (once) and parse the frontmatter of a Markdown file.
    pub(super) fn read(&mut self, abs: &Path) -> Option<FileId> {
        if let Some(id) = self.by_abs.get(abs) {
            return Some(*id);
        }
        if let Some(old) = self.reuse.get(abs) {
            let id = FileId::new(self.site.files.len());
            self.site.files.push(SourceFile {
                rel: old.rel.clone(),
                abs: old.abs.clone(),
                text: old.text.clone(),
                frontmatter: old.frontmatter.clone(),
                body_start: old.body_start,
            });
            self.by_abs.insert(abs.to_path_buf(), id);
            return Some(id);
        }
        let rel = self.rel(abs);
        let bytes = match std::fs::read(abs) {
            Ok(b) => b,
            Err(e) => {
                self.diags
                    .push(Diagnostic::error(&rel, format!("cannot read file: {e}")));
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                let at = locate(&prefix, prefix.len(), prefix.len());
                let (line, col) = (at.line, at.column);
                self.diags.push(
                    Diagnostic::error(
                        &rel,
                        format!(
                            "file is not valid UTF-8 (invalid byte at line {line}, column {col})"
                        ),
                    )
                    .with_help("save the file as UTF-8"),
                );
                return None;
            }
        };
        let text = match text.strip_prefix('\u{feff}') {
            Some(t) => t.to_string(),
            None => text,
        };
        let split = frontmatter::split(&text);
        let fm = match frontmatter::parse(&rel, &text, &split) {
            Ok(m) => m,
            Err(d) => {
                self.diags.push(d);
                Map::new()
            }
        };
        self.check_types(&rel, &text, &fm);
        let body_start = split.body_start;
        let id = FileId::new(self.site.files.len());
        self.site.files.push(SourceFile {
            rel,
            abs: abs.to_path_buf(),
            text,
            frontmatter: fm,
            body_start,
        });
        self.by_abs.insert(abs.to_path_buf(), id);
        Some(id)
    }

    pub(super) fn scan_dir(
        &mut self,
        dir: &Path,
        lang: &str,
        rel_dir: &str,
        collect_assets: bool,
    ) -> Dir {
        let mut out = Dir::default();
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                let rel = self.rel(dir);
                self.diags
                    .push(Diagnostic::error(rel, format!("cannot read folder: {e}")));
                return out;
            }
        };
        entries.sort();
        for path in entries {
            let name = match path.file_name().and_then(|n| n.to_str()) {
                Some(n) => n.to_string(),
                None => continue,
            };
            if name.starts_with('.') {
                continue;
            }
            let child_rel = join_rel(rel_dir, &name);
            if path.is_dir() {
                if name.starts_with('_') {
                    continue;
                }
                let sub = self.scan_dir(&path, lang, &child_rel, collect_assets);
                out.dirs.insert(name, sub);
            } else if name.ends_with(".md") {
                if name == "_index.md" || name == "_guide.md" {
                    if let Some(f) = self.read(&path) {
                        out.index = Some(FileRef {
                            file: f,
                            skeleton: false,
                        });
                    }
                } else if !name.starts_with('_')
                    && let Some(f) = self.read(&path)
                {
                    out.files.insert(
                        name,
                        FileRef {
                            file: f,
                            skeleton: false,
                        },
                    );
                }
            } else if collect_assets
                && !name.starts_with('_')
                // The guide's own file wins over a skeleton's at the same path.
                && self.site.asset_index.insert((lang.to_string(), child_rel.clone()))
            {
                self.site.assets.push((lang.to_string(), child_rel, path));
            }
        }
        out
    }
}
