//! `vendor/`: every file there is listed in `vendor/SHA256SUMS` and is byte for byte what
//! it records (the scripts that make the files check the rest: `--check` in
//! scripts/test). A hand edit, or a file added without its script, fails here.

use std::path::Path;

use sha2::{Digest, Sha256};

#[test]
fn vendored_files_are_what_their_checksums_say() {
    let vendor = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor");
    let sums = std::fs::read_to_string(vendor.join("SHA256SUMS")).expect("vendor/SHA256SUMS");
    let mut listed = Vec::new();
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let (want, name) = line.split_once("  ").expect("sha256sum's format");
        let bytes = std::fs::read(vendor.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got, want, "vendor/{name} is not what SHA256SUMS records");
        listed.push(name.to_string());
    }
    let mut found = Vec::new();
    for e in walkdir::WalkDir::new(&vendor).into_iter().flatten() {
        let rel = e
            .path()
            .strip_prefix(&vendor)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if e.file_type().is_file() && rel != "SHA256SUMS" && rel != "README.md" {
            found.push(rel);
        }
    }
    found.sort();
    listed.sort();
    assert_eq!(
        found, listed,
        "every file of vendor/ is in SHA256SUMS, and only those"
    );
    assert!(listed.len() >= 2);
}
