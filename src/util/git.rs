//! The commit a folder's git checkout is at, read from `.git` the way git itself stores
//! it (no `git` program needed): `HEAD`, then the branch it names in `refs/heads/` or
//! `packed-refs`. Worktrees and submodules (a `.git` file pointing elsewhere) are
//! followed. Used for `{commit}` in `[examples] repo_url`.
//!
//! Architecture invariant: nothing here imports from the rest of the crate.

use std::path::{Path, PathBuf};

/// The 40-hex commit of the checkout holding `dir`, if `dir` is inside one.
pub(crate) fn head_commit(dir: &Path) -> Option<String> {
    let git = git_dir(dir)?;
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(name) = head.strip_prefix("ref:").map(str::trim) else {
        return is_sha(head).then(|| head.to_string());
    };
    // A worktree keeps its HEAD; branches live in the main repository (`commondir`).
    let common = match std::fs::read_to_string(git.join("commondir")) {
        Ok(c) => git.join(c.trim()),
        Err(_) => git.clone(),
    };
    for base in [&git, &common] {
        if let Ok(sha) = std::fs::read_to_string(base.join(name)) {
            let sha = sha.trim();
            if is_sha(sha) {
                return Some(sha.to_string());
            }
        }
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|l| {
        let (sha, r) = l.split_once(' ')?;
        (r.trim() == name && is_sha(sha)).then(|| sha.to_string())
    })
}

/// The git folder of the checkout holding `dir`: the nearest `.git` folder above it, or
/// where a `.git` file (`gitdir: ...`) points.
fn git_dir(dir: &Path) -> Option<PathBuf> {
    let start = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    for d in start.ancestors() {
        let dot = d.join(".git");
        if dot.is_dir() {
            return Some(dot);
        }
        if dot.is_file() {
            let text = std::fs::read_to_string(&dot).ok()?;
            let to = text.trim().strip_prefix("gitdir:")?.trim();
            return Some(d.join(to));
        }
    }
    None
}

fn is_sha(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "3f2a9c0d4b5e6f708192a3b4c5d6e7f8091a2b3c";

    fn repo(head: &str) -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        let git = t.path().join(".git");
        std::fs::create_dir_all(git.join("refs/heads")).unwrap();
        std::fs::write(git.join("HEAD"), head).unwrap();
        std::fs::create_dir_all(t.path().join("site/content")).unwrap();
        t
    }

    #[test]
    fn a_branch_a_packed_branch_and_a_detached_head() {
        let t = repo("ref: refs/heads/main\n");
        std::fs::write(t.path().join(".git/refs/heads/main"), format!("{SHA}\n")).unwrap();
        assert_eq!(head_commit(&t.path().join("site")).as_deref(), Some(SHA));

        let t = repo("ref: refs/heads/guides\n");
        std::fs::write(
            t.path().join(".git/packed-refs"),
            format!("# pack-refs with: peeled fully-peeled sorted\n{SHA} refs/heads/guides\n"),
        )
        .unwrap();
        assert_eq!(head_commit(t.path()).as_deref(), Some(SHA));

        let t = repo(&format!("{SHA}\n"));
        assert_eq!(head_commit(t.path()).as_deref(), Some(SHA));
    }

    #[test]
    fn a_worktree_and_no_checkout() {
        let main = repo("ref: refs/heads/main\n");
        std::fs::write(main.path().join(".git/refs/heads/main"), "0".repeat(40)).unwrap();
        let wt_git = main.path().join(".git/worktrees/wt");
        std::fs::create_dir_all(&wt_git).unwrap();
        std::fs::write(wt_git.join("HEAD"), "ref: refs/heads/feature\n").unwrap();
        std::fs::write(wt_git.join("commondir"), "../..\n").unwrap();
        std::fs::write(main.path().join(".git/refs/heads/feature"), SHA).unwrap();
        let wt = tempfile::tempdir().unwrap();
        std::fs::write(
            wt.path().join(".git"),
            format!("gitdir: {}\n", wt_git.display()),
        )
        .unwrap();
        assert_eq!(head_commit(wt.path()).as_deref(), Some(SHA));

        let none = tempfile::tempdir().unwrap();
        // A temporary folder is in no checkout (unless the system's /tmp is one).
        if git_dir(none.path()).is_none() {
            assert_eq!(head_commit(none.path()), None);
        }
    }
}
