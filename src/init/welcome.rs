//! What `guidegen init` says when it is done: what it made, and the commands to run
//! next, written so they can be pasted (this program's name as the user can type it,
//! the folder quoted for the shell).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The message after `guidegen init` made `files` files in `dir`.
pub fn welcome(dir: &Path, files: usize) -> String {
    let mut s = format!(
        "Created a guide site in {} ({files} files): English and Russian, one guide on a shared skeleton, and its examples.\n",
        dir.display()
    );
    let root = if dir == Path::new(".") {
        String::new()
    } else {
        format!(" --root {}", shell_word(&dir.display().to_string()))
    };
    let (me, on_path) = invocation();
    let _ = writeln!(s, "\nNext:");
    let _ = writeln!(
        s,
        "  {me} serve{root}    # preview it at http://127.0.0.1:3000/en/, reloading on save"
    );
    let _ = writeln!(
        s,
        "  {me} check{root}    # what is unfinished, before you publish"
    );
    if !on_path {
        let _ = writeln!(
            s,
            "\n(guidegen is not on your PATH; `cargo install --path .` in its repository puts it there)"
        );
    }
    s
}

/// How to run this guidegen again, as the user can type it: `guidegen` when that name
/// on the PATH is this very program, else the path it was started from.
fn invocation() -> (String, bool) {
    let me = std::env::current_exe().ok();
    let same = |p: PathBuf| {
        let found = p.join("guidegen");
        found.is_file()
            && found.canonicalize().ok() == me.as_ref().and_then(|m| m.canonicalize().ok())
    };
    let on_path = std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(same));
    if on_path {
        return ("guidegen".into(), true);
    }
    let shown = me.map_or_else(|| "guidegen".into(), |m| m.display().to_string());
    (shell_word(&shown), false)
}

/// `s` as one word of a POSIX shell command line.
pub(crate) fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_alphanumeric() || "/._-+:@%,=".contains(c))
        && !s.is_empty()
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
