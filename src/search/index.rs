//! The search index of one language, as files the page script loads on first use:
//!
//! - `search/index.js`: the manifest (how many sections, the first section of each
//!   page, the first stem of each term shard, how sections are chunked);
//! - `search/t<N>.js`: term shards, stems in order, each stem with its postings as
//!   `[section, weight, section, weight, ...]` (weights are BM25 scores x 100, computed
//!   here, so the browser only adds them up);
//! - `search/d<N>.js`: the sections themselves (page URL, page and guide title, anchor,
//!   heading, prose) in chunks of [`CHUNK`], for the results a query shows.
//!
//! Each file is a script calling `ggSearchLoad(name, data)`, so the index also loads
//! when the site is opened from disk (`file://`), where `fetch` is not allowed.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use super::Doc;

/// Sections per `d<N>.js` chunk.
const CHUNK: usize = 64;
/// About this many bytes of postings per term shard.
const SHARD_BYTES: usize = 48 * 1024;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The index files of one language, each handed to `emit` (path under the language
/// root, content); `names` are the stems by number.
pub(crate) fn files(docs: &[&Doc], names: &[Arc<str>], emit: &mut dyn FnMut(String, String)) {
    // stem -> [(section, weighted count)], sections in order.
    let mut terms: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
    let mut lengths: Vec<u32> = Vec::new();
    let mut first: Vec<u32> = Vec::new();
    for doc in docs {
        first.push(lengths.len() as u32);
        for s in &doc.sections {
            let id = lengths.len() as u32;
            for &(stem, count) in &s.terms {
                if let Some(name) = names.get(stem as usize) {
                    terms.entry(name).or_default().push((id, count));
                }
            }
            lengths.push(s.len);
        }
    }
    let shards = shards(&terms, &lengths);
    drop(terms);
    let mut manifest = format!(
        "{{\"v\":1,\"sections\":{},\"chunk\":{CHUNK},\"pages\":{:?},\"shards\":[",
        lengths.len(),
        first
    );
    for (i, (stem, _)) in shards.iter().enumerate() {
        if i > 0 {
            manifest.push(',');
        }
        json_string(&mut manifest, stem);
    }
    manifest.push_str("]}");
    let mut put = |name: &str, data: &str| {
        let (path, text) = script(name, data);
        emit(path, text);
    };
    put("index", &manifest);
    for (i, (_, body)) in shards.into_iter().enumerate() {
        put(&format!("t{i}"), &format!("{{{body}}}"));
    }
    let all: Vec<(&Doc, &super::Section)> = docs
        .iter()
        .flat_map(|d| d.sections.iter().map(move |s| (*d, s)))
        .collect();
    for (i, chunk) in all.chunks(CHUNK).enumerate() {
        let entries: Vec<String> = chunk.iter().map(|(d, s)| section(d, s)).collect();
        put(&format!("d{i}"), &format!("[{}]", entries.join(",")));
    }
}

/// The term shards, stems in order: (first stem, the shard's JSON object body). Each
/// posting's weight is its BM25 score x 100.
fn shards<'a>(
    terms: &HashMap<&'a str, Vec<(u32, u32)>>,
    lengths: &[u32],
) -> Vec<(&'a str, String)> {
    let mut stems: Vec<&str> = terms.keys().copied().collect();
    stems.sort_unstable();
    let n = lengths.len().max(1) as f64;
    let avg = (lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / n).max(1.0);
    let mut shards: Vec<(&str, String)> = Vec::new();
    for stem in stems {
        let Some(postings) = terms.get(stem) else {
            continue;
        };
        let df = postings.len() as f64;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        if shards
            .last()
            .is_none_or(|(_, body)| body.len() > SHARD_BYTES)
        {
            shards.push((stem, String::new()));
        }
        let Some((_, body)) = shards.last_mut() else {
            continue;
        };
        if !body.is_empty() {
            body.push(',');
        }
        json_string(body, stem);
        body.push_str(":[");
        for (k, &(sec, count)) in postings.iter().enumerate() {
            let tf = f64::from(count) / 2.0;
            let len = f64::from(lengths[sec as usize]);
            let score = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg));
            let weight = ((score * 100.0).round() as u32).max(1);
            let _ = write!(body, "{}{sec},{weight}", if k > 0 { "," } else { "" });
        }
        body.push(']');
    }
    shards
}

/// A section as a JSON array: page URL, page title, guide, anchor, heading, prose.
fn section(d: &Doc, s: &super::Section) -> String {
    let mut e = String::from("[");
    for (i, field) in [&d.url, &d.title, &d.guide, &s.anchor, &s.heading, &s.text]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            e.push(',');
        }
        json_string(&mut e, field);
    }
    e.push(']');
    e
}

/// `s` as a JSON string, appended to `out`. `<` is written `\u003c`, so no `</script>`
/// can end anything early.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `search/<name>.js`: a script handing `data` (JSON) to the page.
fn script(name: &str, data: &str) -> (String, String) {
    (
        format!("search/{name}.js"),
        format!("ggSearchLoad(\"{name}\",{data});\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Doc, Stems};

    fn doc(stems: &Stems, url: &str, title: &str, text: &str) -> Doc {
        Doc::new(
            stems,
            url.into(),
            title.into(),
            "G".into(),
            &format!("<p>{text}</p>"),
        )
    }

    #[test]
    fn postings_are_stems_with_weights_in_valid_json() {
        let stems = Stems::default();
        let a = doc(
            &stems,
            "a.html",
            "Сборка образа",
            "Собираем образы. &lt;/script&gt; \"q\"",
        );
        let b = doc(&stems, "b.html", "Деплой", "Выкатываем приложение");
        let mut files: Vec<(String, String)> = Vec::new();
        super::super::files(&[&a, &b], &stems, &mut |p, t| files.push((p, t)));
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["search/index.js", "search/t0.js", "search/d0.js"]);
        let json = |(name, text): &(String, String)| -> serde_json::Value {
            let stem = name.trim_start_matches("search/").trim_end_matches(".js");
            let body = text
                .strip_prefix(&format!("ggSearchLoad(\"{stem}\","))
                .and_then(|t| t.strip_suffix(");\n"))
                .expect("a ggSearchLoad call");
            serde_json::from_str(body).expect("valid JSON")
        };
        let manifest = json(&files[0]);
        assert_eq!(manifest["pages"], serde_json::json!([0, 1]));
        assert_eq!(manifest["sections"], 2);
        // `образа` (title) and `образы` (text) share the stem `образ`, in section 0 only.
        let terms = json(&files[1]);
        assert_eq!(terms["образ"][0], 0);
        assert_eq!(terms["образ"].as_array().map(Vec::len), Some(2));
        assert!(terms.get("депл").is_some(), "{terms}");
        let d0 = json(&files[2]);
        assert_eq!(d0[0][5], "Собираем образы. </script> \"q\"");
        assert!(!files[2].1.contains("</script>"));
    }
}
