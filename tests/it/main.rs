//! The one integration-test binary (ripgrep's layout): every module below is a group of
//! tests, sharing `common`. Unit tests live beside the code in `src/`.

/// Fixture sites, running the binary, reading output, snapshots.
mod common;

/// The architecture as invariants: layer rows, `//!` docs, who writes files.
mod architecture;
/// `guidegen build` on fixture sites: layout, slots, links, snapshots, seeds.
mod build;
/// The build cache: warm equals cold, edits invalidate exactly their dependents.
mod cache;
/// `guidegen check`: findings, formats, exit codes, the report.
mod check;
/// Bad input: located errors, non-zero exit, nothing written, no panic.
mod errors;
/// The fuzzing corpus, replayed.
mod fuzz;
/// Hostile input and clumsy use: confinement, escaping, bounds, the output folder.
mod hostile;
/// Published inside werf.io: failing includes, an ingress, old URLs, the chart.
mod hosting;
/// `guidegen import jekyll`: a werf-guides-like repository becomes a site (tests/fixtures/jekyll).
mod import;
/// `guidegen init`: the starter site.
mod init;
/// The deploy kit's nginx started for a test (a helper of `publish` and `hosting`).
mod kit;
/// No text lost silently: every way text can vanish is a located finding.
mod lost;
/// Publishing: nginx under /guides/ with SSI, sitemaps, search index, the deploy kit.
mod publish;
/// Incremental rebuilds through the library: which pages an edit renders again.
mod rebuild;
/// `guidegen serve` over real HTTP.
mod serve;
/// `guidegen test`: example files checked, steps' tests run (tests/fixtures/examples_test).
mod testing;
/// A repository that takes pull requests: a committed cache, pages, templates and
/// paths that try to harm the machine, the readers or the server.
mod untrusted;
/// `vendor/`: each file what its checksum says.
mod vendor;
