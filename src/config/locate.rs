//! Which folder is the site: the one holding `book.toml`, found as cargo finds its
//! package (the current folder, else the nearest one above it), and the one wording of
//! "this is not a guidegen site" that every command uses.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// The one wording of "this is not a guidegen site" (`searched`: the folders above
/// `dir` were looked in too).
pub(crate) fn not_a_site(dir: &Path, searched: bool) -> Diagnostic {
    let shown = if dir.as_os_str().is_empty() || dir == Path::new(".") {
        std::env::current_dir().map_or_else(|_| ".".into(), |d| d.display().to_string())
    } else {
        dir.display().to_string()
    };
    let where_ = if searched {
        "in this folder or in any folder above it"
    } else {
        "in this folder"
    };
    Diagnostic::error(
        shown,
        format!("no book.toml {where_}: this is not a guidegen site"),
    )
    .with_help("run guidegen in the site's folder (the one holding book.toml), pass --root DIR, or start a site with `guidegen init`")
}

/// The site to work on, as cargo finds its package: `explicit` (`--root DIR`) must
/// hold book.toml; without it, the current folder or the nearest folder above it that
/// does. The folder, and a line saying which was taken when it is not the current one.
pub fn locate_site(explicit: Option<&Path>) -> Result<(PathBuf, Option<String>), Diagnostic> {
    if let Some(dir) = explicit {
        return if dir.join("book.toml").is_file() {
            Ok((dir.to_path_buf(), None))
        } else {
            Err(not_a_site(dir, false))
        };
    }
    let here = std::env::current_dir()
        .map_err(|e| Diagnostic::error(".", format!("cannot read the current folder: {e}")))?;
    for dir in here.ancestors() {
        if dir.join("book.toml").is_file() {
            let note = (dir != here).then(|| {
                format!(
                    "guidegen: using the site in {} (its book.toml)",
                    dir.display()
                )
            });
            return Ok((dir.to_path_buf(), note));
        }
    }
    Err(not_a_site(Path::new("."), true))
}
