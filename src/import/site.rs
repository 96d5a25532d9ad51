//! The files that describe the new site: each page's frontmatter (its variables, the
//! permalink or alias that keeps its URL), each guide's `_guide.md`, and `book.toml`
//! (both languages at their base URLs, section pages as files, the examples'
//! repository, werf.io's chrome when the site was published inside it).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::jekyll::{Page, Repo};

/// Keys of Jekyll's that mean nothing to guidegen.
pub(super) const JEKYLL_KEYS: &[&str] = &[
    "layout",
    "sidebar",
    "toc",
    "multilang",
    "sitemap_include",
    "lang",
    "permalink",
];

/// The frontmatter: title, description, the page's variables (those the guide does not
/// already give), and the permalink when guidegen would put the page elsewhere.
pub(super) fn front_matter(
    page: &Page,
    guide_vars: &Map<String, Value>,
    url: &str,
    new_url: &str,
    section: bool,
) -> String {
    let mut s = String::from("---\n");
    for (k, v) in &page.front {
        if JEKYLL_KEYS.contains(&k.as_str()) || guide_vars.get(k) == Some(v) {
            continue;
        }
        let v = match (k.as_str(), v) {
            ("examples", Value::String(e)) => Value::String(
                e.trim_start_matches('/')
                    .trim_start_matches("examples/")
                    .to_string(),
            ),
            _ => v.clone(),
        };
        s.push_str(&format!("{k}: {}\n", yaml_value(&v)));
    }
    if !section && url != new_url {
        s.push_str(&format!(
            "permalink: {}\n",
            yaml_value(&Value::String(url.to_string()))
        ));
    }
    // A section's page is published beside its folder; an old URL elsewhere redirects.
    if section && url != new_url {
        s.push_str(&format!(
            "aliases: [{}]\n",
            yaml_value(&Value::String(url.to_string()))
        ));
    }
    if page.front.get("layout").and_then(Value::as_str) == Some("wip") {
        s.push_str("# Jekyll marked this page work in progress (layout: wip).\n");
    }
    s.push_str("---\n\n");
    s
}

/// A value as YAML: JSON is YAML's flow style.
fn yaml_value(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

pub(super) fn guide_file(title: &str, vars: &Map<String, Value>) -> String {
    let mut s = format!(
        "---\ntitle: {}\n",
        yaml_value(&Value::String(title.to_string()))
    );
    for (k, v) in vars {
        if !JEKYLL_KEYS.contains(&k.as_str()) && k != "title" {
            s.push_str(&format!("{k}: {}\n", yaml_value(v)));
        }
    }
    s.push_str("---\n");
    s
}

/// book.toml: both languages with their base URLs, section pages as files, the
/// examples' repository, and the variables conditions test that no page defines.
pub(crate) fn book_toml(
    repo: &Repo,
    defined: &BTreeSet<String>,
    cond_vars: &BTreeSet<String>,
    hosted: bool,
) -> String {
    let default = repo
        .langs
        .iter()
        .find(|l| l.code == "en")
        .or(repo.langs.first())
        .map_or("en", |l| l.code.as_str());
    let mut s = String::from(
        "# Made by `guidegen import` from a Jekyll repository; IMPORT.md says what became what.\n",
    );
    s.push_str(&format!(
        "[book]\ntitle = \"Guides\"\ndefault_language = \"{default}\"\n\n"
    ));
    s.push_str("# Jekyll published a section's page beside its folder (100_basic.html).\n[build]\nsection_pages = \"file\"\n\n");
    for l in &repo.langs {
        s.push_str(&format!(
            "[languages.{}]\ntitle = {}\nbase_url = \"{}{}\"\n\n",
            l.code,
            yaml_value(&Value::String(l.title.clone())),
            l.url,
            repo.baseurl
        ));
    }
    if hosted {
        s.push_str("# The Jekyll site made includes/landing-tiles.html for werf.io to include: it is\n# published inside werf.io (docs/publishing.md), and guidegen makes the tiles there.\n[publish]\nchrome = \"werf.io\"\n\n");
    }
    if let Some(url) = &repo.examples_url {
        s.push_str(&format!("[examples]\nrepo_url = \"{url}\"\n\n"));
    }
    s.push_str("# The Jekyll guides showed a few files of each example step and linked to the rest\n# on GitHub: the files no page shows are many, and not a fault of the import.\n# Remove this to list them (`guidegen check`).\n[check]\nallow = [\"unused-example\"]\n\n");
    let missing: Vec<&String> = cond_vars.iter().filter(|v| !defined.contains(*v)).collect();
    if !missing.is_empty() {
        s.push_str(
            "# Tested by conditions, set by no page: Jekyll read them as false.\n[variables]\n",
        );
        for v in missing {
            s.push_str(&format!("{v} = false\n"));
        }
    }
    s
}
