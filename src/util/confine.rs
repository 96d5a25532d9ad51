//! Confinement: the one rule for every path an author controls (example paths,
//! `examples:`, partials, `extends:`, images, links, static and theme files, permalinks,
//! the output folder). A path is taken as written, `/`-separated and relative to a
//! folder; it is resolved lexically (`.`, `..`), then on disk (symbolic links), and it
//! must stay inside its [`Jail`]. Walks follow links that stay inside, refuse those that
//! leave, and never loop.

use std::collections::HashSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use super::url::normalize;

/// Why a path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `..` climbs above the folder the path must stay in.
    Climbs,
    /// A backslash, a drive letter or another absolute form.
    NotPortable,
    /// A NUL byte.
    Nul,
    /// A symbolic link on the way leads outside; the link (as found) and its target.
    Symlink { link: PathBuf, target: PathBuf },
    /// Symbolic links that lead back into a folder already being walked.
    Loop { link: PathBuf },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Climbs => f.write_str("leads outside its folder"),
            Refusal::NotPortable => f.write_str("contains a backslash or a drive letter"),
            Refusal::Nul => f.write_str("contains a NUL byte"),
            Refusal::Symlink { target, .. } => {
                write!(f, "is a symbolic link to {}, outside", target.display())
            }
            Refusal::Loop { .. } => f.write_str("is a loop of symbolic links"),
        }
    }
}

/// Join `rel` (as written; starting with `/` means from the root) onto the folder `base`
/// (relative to the root) and resolve `.` and `..`: the lexical part of confinement.
pub(crate) fn join(base: &str, rel: &str) -> Result<String, Refusal> {
    if rel.contains('\0') {
        return Err(Refusal::Nul);
    }
    let drive =
        rel.len() >= 2 && rel.as_bytes()[1] == b':' && rel.as_bytes()[0].is_ascii_alphabetic();
    if rel.contains('\\') || drive || base.contains('\\') {
        return Err(Refusal::NotPortable);
    }
    // The folder may itself be written by an author (`examples: ../..`).
    let base = normalize("", base).ok_or(Refusal::Climbs)?;
    normalize(&base, rel).ok_or(Refusal::Climbs)
}

/// A folder that paths must stay inside, as written and as it really is on disk.
#[derive(Debug, Clone)]
pub(crate) struct Jail {
    root: PathBuf,
    real: PathBuf,
}

/// A file found by [`Jail::walk`].
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Path relative to the walked folder, `/`-separated, as found (links not resolved).
    pub rel: String,
    /// The path to read (inside the jail; a link's own path).
    pub abs: PathBuf,
}

impl Jail {
    /// A jail at `root`. A root that does not exist holds nothing.
    pub(crate) fn new(root: &Path) -> Jail {
        let real = root.canonicalize().unwrap_or_else(|_| absolute(root));
        Jail {
            root: root.to_path_buf(),
            real,
        }
    }

    /// The folder as given.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Is the real (resolved) path `p` inside the jail?
    pub(crate) fn holds(&self, real: &Path) -> bool {
        real.starts_with(&self.real)
    }

    /// Check `rel` (already joined, relative to the root) on disk: every symbolic link on
    /// the way must resolve inside. A path that does not exist (yet) is fine as long as
    /// the part that exists stays inside. Returns the path under the root.
    pub(crate) fn check(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let abs = if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        };
        // The deepest part of the path that exists decides.
        let mut probe = abs.clone();
        loop {
            match probe.canonicalize() {
                Ok(real) => {
                    return if self.holds(&real) {
                        Ok(abs)
                    } else {
                        Err(Refusal::Symlink {
                            link: probe,
                            target: real,
                        })
                    };
                }
                Err(e) if e.raw_os_error() == Some(40) => {
                    // ELOOP: too many levels of symbolic links.
                    return Err(Refusal::Loop { link: probe });
                }
                Err(_) => {
                    if !probe.pop() || !probe.starts_with(&self.root) {
                        return Ok(abs);
                    }
                }
            }
        }
    }

    /// Every file under `dir` (a folder inside the jail), sorted by path. Symbolic links
    /// to files and folders inside the jail are followed; links that leave it and links
    /// that loop are returned as refusals, never followed. Folders named in `skip` are
    /// not entered.
    pub(crate) fn walk(&self, dir: &Path, skip: &[&str]) -> (Vec<Found>, Vec<(PathBuf, Refusal)>) {
        let mut w = Walk {
            jail: self,
            skip,
            files: Vec::new(),
            refused: Vec::new(),
            stack: HashSet::new(),
        };
        if let Ok(real) = dir.canonicalize() {
            if self.holds(&real) {
                w.stack.insert(real);
                w.dir(dir, "");
            } else {
                w.refused.push((
                    dir.to_path_buf(),
                    Refusal::Symlink {
                        link: dir.to_path_buf(),
                        target: real,
                    },
                ));
            }
        }
        (w.files, w.refused)
    }

    /// The entry at `path` as a walk sees it: `Ok(Some(real))` to follow, `Ok(None)` for
    /// a plain entry, or a refusal for a link that leaves the jail or loops.
    pub(crate) fn follow(&self, path: &Path) -> Result<Option<PathBuf>, Refusal> {
        let Ok(meta) = path.symlink_metadata() else {
            return Ok(None);
        };
        if !meta.file_type().is_symlink() {
            return Ok(None);
        }
        match path.canonicalize() {
            Ok(real) if self.holds(&real) => Ok(Some(real)),
            Ok(real) => Err(Refusal::Symlink {
                link: path.to_path_buf(),
                target: real,
            }),
            Err(e) if e.raw_os_error() == Some(40) => Err(Refusal::Loop {
                link: path.to_path_buf(),
            }),
            // A dangling link: refused if it points outside, else nothing to follow (reading
            // it fails like reading a missing file).
            Err(_) => {
                let target = std::fs::read_link(path).unwrap_or_default();
                let lexical = absolute(&path.parent().unwrap_or(Path::new("/")).join(&target));
                if lexical.starts_with(&self.real) || lexical.starts_with(absolute(&self.root)) {
                    Ok(None)
                } else {
                    Err(Refusal::Symlink {
                        link: path.to_path_buf(),
                        target,
                    })
                }
            }
        }
    }
}

/// The state of one walk: what was found, what was refused, and the real folders on the
/// current path (a link back into one of them is a loop).
struct Walk<'j> {
    jail: &'j Jail,
    skip: &'j [&'j str],
    files: Vec<Found>,
    refused: Vec<(PathBuf, Refusal)>,
    stack: HashSet<PathBuf>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path, rel: &str) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<(String, PathBuf)> = rd
            .flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .collect();
        entries.sort();
        for (name, path) in entries {
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let real = match self.jail.follow(&path) {
                Ok(r) => r,
                Err(refusal) => {
                    self.refused.push((path, refusal));
                    continue;
                }
            };
            let is_dir = match &real {
                Some(r) => r.is_dir(),
                None => path.symlink_metadata().is_ok_and(|m| m.is_dir()),
            };
            if !is_dir {
                if path.is_file() {
                    self.files.push(Found {
                        rel: child_rel,
                        abs: path,
                    });
                }
                continue;
            }
            if self.skip.contains(&name.as_str()) {
                continue;
            }
            let key = real.unwrap_or_else(|| path.canonicalize().unwrap_or(path.clone()));
            if !self.stack.insert(key.clone()) {
                self.refused
                    .push((path.clone(), Refusal::Loop { link: path }));
                continue;
            }
            self.dir(&path, &child_rel);
            self.stack.remove(&key);
        }
    }
}

/// `p` made absolute against the current folder, with `.` and `..` resolved, without
/// touching the disk.
pub(crate) fn absolute(p: &Path) -> PathBuf {
    let mut out = if p.is_absolute() {
        PathBuf::from("/")
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn absolute_paths_resolve_dots() {
        assert_eq!(
            absolute(Path::new("/a/b/../../../c/./d")),
            PathBuf::from("/c/d")
        );
    }

    #[test]
    fn lexical_rules() {
        assert_eq!(
            join("flask/010", "../020/app.py"),
            Ok("flask/020/app.py".into())
        );
        assert_eq!(join("flask", "/shared/x"), Ok("shared/x".into()));
        assert_eq!(join("a", "../../x"), Err(Refusal::Climbs));
        assert_eq!(join("../../etc", "passwd"), Err(Refusal::Climbs));
        assert_eq!(join("a/../b", "c"), Ok("b/c".into()));
        assert_eq!(join("", "a\\b"), Err(Refusal::NotPortable));
        assert_eq!(join("", "C:/x"), Err(Refusal::NotPortable));
        assert_eq!(join("", "a\0b"), Err(Refusal::Nul));
    }

    #[test]
    fn links_inside_work_links_outside_and_loops_are_refused() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("site");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/f.txt"), "x").unwrap();
        std::fs::write(t.path().join("secret"), "s").unwrap();
        symlink(root.join("a/b"), root.join("inside")).unwrap();
        symlink(t.path().join("secret"), root.join("out.txt")).unwrap();
        symlink(".", root.join("a/self")).unwrap();
        symlink("..", root.join("a/b/up")).unwrap();
        symlink("/etc", root.join("etc")).unwrap();
        let jail = Jail::new(&root);
        let (files, refused) = jail.walk(&root, &[]);
        let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, vec!["a/b/f.txt", "inside/f.txt"]);
        let kinds: Vec<String> = refused
            .iter()
            .map(|(p, r)| format!("{}: {r}", p.strip_prefix(&root).unwrap().display()))
            .collect();
        assert!(
            kinds
                .iter()
                .any(|k| k.starts_with("out.txt: is a symbolic link")),
            "{kinds:?}"
        );
        assert!(
            kinds
                .iter()
                .any(|k| k.starts_with("etc: is a symbolic link")),
            "{kinds:?}"
        );
        assert!(
            kinds.iter().any(|k| k.starts_with("a/self: is a loop")),
            "{kinds:?}"
        );
        assert!(jail.check("out.txt").is_err());
        assert!(jail.check("inside/f.txt").is_ok());
        assert!(jail.check("not/there/yet").is_ok());
        assert!(jail.check("etc/passwd").is_err());
    }
}
