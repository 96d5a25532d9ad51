//! A temporary copy of an example step, where `guidegen test` runs the step's test: in
//! the system's temporary folder (never inside the site, so a test can never change
//! the sources), removed with everything in it when it is dropped, whatever the test
//! left there.

use std::path::{Path, PathBuf};

/// A step copied into a temporary folder.
#[derive(Debug)]
pub(crate) struct StepCopy {
    /// Removes the folder when dropped.
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl StepCopy {
    /// Copy `files` (path inside the step, path to read) into a new temporary folder.
    pub(crate) fn new(files: &[(String, PathBuf)]) -> std::io::Result<StepCopy> {
        let dir = tempfile::Builder::new()
            .prefix("guidegen-test-")
            .tempdir()?;
        let path = dir.path().join("step");
        std::fs::create_dir_all(&path)?;
        for (rel, from) in files {
            let to = path.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(from, &to)?;
        }
        Ok(StepCopy { _dir: dir, path })
    }

    /// The copy's folder.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}
