//! Reading the content tree: each Markdown file once (BOM, UTF-8, frontmatter, types of
//! the keys that mean something), folders into a [`Dir`] tree, and a skeleton's tree
//! laid under a guide's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{FileId, Loader, SourceFile, find_fm_key, frontmatter};
use crate::diag::{Diagnostic, display_path, refused};
use crate::source::locate;
use crate::util::confine::Refusal;

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
                "draft"
                    if !v.is_boolean()
                        && v.as_str().and_then(crate::vars::written_bool).is_none() =>
                {
                    "true or false"
                }
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

    /// The text of a Markdown file: UTF-8 (else an error at the first bad byte), without
    /// a byte-order mark, NUL bytes shown as U+FFFD (with a warning).
    fn decode(&mut self, rel: &Path, bytes: Vec<u8>) -> Option<String> {
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
                        rel,
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
        // NUL never reaches a page: CommonMark reads it as U+FFFD, and so does guidegen,
        // in code and in slots too.
        let text = if text.contains('\0') {
            let at = text.find('\0').unwrap_or(0);
            let d = Diagnostic::warning(rel, "the file contains NUL bytes, shown as \u{FFFD}")
                .at(&text, at, at + 1)
                .with_help("remove them; an editor or a copy from a binary file left them");
            self.diags.push(d);
            text.replace('\0', "\u{FFFD}")
        } else {
            text
        };
        Some(text)
    }

    /// Read (once) and parse the frontmatter of a Markdown file.
    pub(super) fn read(&mut self, abs: &Path) -> Option<FileId> {
        if let Some(id) = self.by_abs.get(abs) {
            return Some(*id);
        }
        if let Err(r) = self.jail.follow(abs) {
            self.refused(abs, &r);
            return None;
        }
        if let Some(old) = self.reuse.get(abs) {
            let id = FileId::new(self.site.files.len());
            self.site.files.push(SourceFile {
                rel: old.rel.clone(),
                abs: old.abs.clone(),
                text: old.text.clone(),
                frontmatter: old.frontmatter.clone(),
                body_start: old.body_start,
                lines: Default::default(),
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
        let text = self.decode(&rel, bytes)?;
        let split = frontmatter::split(&text);
        if split.unclosed {
            let d = Diagnostic::warning(
                &rel,
                "the file starts with `---` but no line closes the frontmatter; it is read as Markdown",
            )
            .at(&text, 0, 3)
            .with_help("end the frontmatter with a line holding only `---`");
            self.diags.push(d);
        }
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
            text: text.into(),
            frontmatter: fm.into(),
            body_start,
            lines: Default::default(),
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
        let out = Dir::default();
        let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if self.scanning.contains(&real) {
            let d = Diagnostic::error(self.rel(dir), "a loop of symbolic links")
                .with_help("remove the link that leads back into a folder above it");
            self.diags.push(d);
            return out;
        }
        self.scanning.push(real);
        let out = self.scan_entries(dir, lang, rel_dir, collect_assets, out);
        self.scanning.pop();
        out
    }

    fn scan_entries(
        &mut self,
        dir: &Path,
        lang: &str,
        rel_dir: &str,
        collect_assets: bool,
        mut out: Dir,
    ) -> Dir {
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
            if let Err(r) = self.jail.follow(&path) {
                self.refused(&path, &r);
                continue;
            }
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
            } else if let Some(d) = not_a_page(&self.rel(&path), &name) {
                // Copied as a file all the same (it may be meant for download).
                self.diags.push(d);
                if collect_assets
                    && self
                        .site
                        .asset_index
                        .insert((lang.to_string(), child_rel.clone()))
                {
                    self.site.assets.push((lang.to_string(), child_rel, path));
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

    /// A link in the content that leaves the site or loops: an error naming it.
    pub(super) fn refused(&mut self, path: &Path, r: &Refusal) {
        self.diags.push(refused(&self.config.root, path, r));
    }
}

/// A file named like Markdown that is not `.md` (`030_docs.markdown`, `030_docs.MD`):
/// published as a file, never as the page its author wrote.
fn not_a_page(rel: &Path, name: &str) -> Option<Diagnostic> {
    let (stem, ext) = name.rsplit_once('.')?;
    if !matches!(
        ext.to_ascii_lowercase().as_str(),
        "md" | "markdown" | "mdown" | "mkd"
    ) {
        return None;
    }
    Some(
        Diagnostic::warning(rel, format!("{name} is not built as a page: only files ending in .md are pages, so it is published as a file"))
            .with_code(crate::diag::Code::HiddenText)
            .with_help(format!("rename it to {stem}.md")),
    )
}

/// `dir/name`, or `name` at the top.
fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}
