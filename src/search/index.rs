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
/// root, content) as soon as it is made: term shards, the manifest, section chunks.
/// `names` are the stems by number; `read` brings back spilled section text.
pub(crate) fn files(
    docs: &[&Doc],
    names: &[Arc<str>],
    read: &super::Read<'_>,
    emit: &mut dyn FnMut(String, String),
) -> std::io::Result<()> {
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
    let mut put = |name: &str, data: &str| {
        let (path, text) = script(name, data);
        emit(path, text);
    };
    let starts = shards(&terms, &lengths, &mut |i, body| {
        put(&format!("t{i}"), &format!("{{{body}}}"));
    });
    drop(terms);
    let mut manifest = format!(
        "{{\"v\":1,\"sections\":{},\"chunk\":{CHUNK},\"pages\":{:?},\"shards\":[",
        lengths.len(),
        first
    );
    for (i, stem) in starts.iter().enumerate() {
        if i > 0 {
            manifest.push(',');
        }
        json_string(&mut manifest, stem);
    }
    manifest.push_str("]}");
    put("index", &manifest);
    // Sections in chunks of CHUNK, read back page by page.
    let mut chunk: Vec<String> = Vec::with_capacity(CHUNK);
    let mut n = 0;
    for doc in docs {
        for line in doc.shown_lines(read)? {
            chunk.push(line);
            if chunk.len() == CHUNK {
                put(&format!("d{n}"), &format!("[{}]", chunk.join(",")));
                chunk.clear();
                n += 1;
            }
        }
    }
    if !chunk.is_empty() {
        put(&format!("d{n}"), &format!("[{}]", chunk.join(",")));
    }
    Ok(())
}

/// The term shards, stems in order, each handed to `emit` (its number, its JSON object
/// body) as soon as it is full; the first stem of each. Each posting's weight is its
/// BM25 score x 100.
fn shards<'a>(
    terms: &HashMap<&'a str, Vec<(u32, u32)>>,
    lengths: &[u32],
    emit: &mut dyn FnMut(usize, &str),
) -> Vec<&'a str> {
    let mut stems: Vec<&str> = terms.keys().copied().collect();
    stems.sort_unstable();
    let n = lengths.len().max(1) as f64;
    let avg = (lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / n).max(1.0);
    let mut starts: Vec<&str> = Vec::new();
    let mut body = String::new();
    for stem in stems {
        let Some(postings) = terms.get(stem) else {
            continue;
        };
        let df = postings.len() as f64;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        if starts.is_empty() || body.len() > SHARD_BYTES {
            if !starts.is_empty() {
                emit(starts.len() - 1, &body);
                body.clear();
            }
            starts.push(stem);
        }
        if !body.is_empty() {
            body.push(',');
        }
        json_string(&mut body, stem);
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
    if !starts.is_empty() {
        emit(starts.len() - 1, &body);
    }
    starts
}

/// A section as a JSON array: page URL, page title, guide, anchor, heading, prose.
pub(super) fn section(d: &Doc, s: &super::Section) -> String {
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

    /// The index files of `docs`, nothing spilled.
    fn index(docs: &[&Doc], stems: &Stems) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = Vec::new();
        let read = |_: super::super::Spilled| -> std::io::Result<Vec<u8>> {
            panic!("nothing was spilled")
        };
        super::super::files(docs, stems, &read, &mut |p, t| files.push((p, t))).unwrap();
        files
    }

    #[test]
    fn spilled_text_comes_back_into_the_same_index() {
        let stems = Stems::default();
        let page = |i: usize| {
            let html = format!(
                "<p>Intro {i}.</p><h2 id=\"a\">Build\n{i}</h2><p>Собираем образ {i}: \"q\"\nnext line</p><h2 id=\"b\">Deploy</h2><p>Выкатываем.</p>"
            );
            Doc::new(
                &stems,
                format!("p{i}.html"),
                format!("Page {i}"),
                "G".into(),
                &html,
            )
        };
        // Enough sections for several chunks.
        let kept: Vec<Doc> = (0..50).map(page).collect();
        let mut spilled = kept.clone();
        let store = std::sync::Mutex::new(Vec::<u8>::new());
        for d in &mut spilled {
            d.spill(|bytes| {
                let mut s = store.lock().unwrap();
                let at = s.len() as u64;
                s.extend_from_slice(bytes);
                Some(at)
            });
            assert!(d.spilled.is_some());
            assert!(
                d.sections
                    .iter()
                    .all(|s| s.text.is_empty() && s.heading.is_empty())
            );
        }
        // A page that keeps its text (`put` declined) sits among spilled ones.
        let mut declined = page(99);
        declined.spill(|_| None);
        assert!(declined.spilled.is_none() && !declined.sections[0].text.is_empty());
        let store = store.into_inner().unwrap();
        let read = |sp: super::super::Spilled| -> std::io::Result<Vec<u8>> {
            Ok(store[sp.at as usize..sp.at as usize + sp.len as usize].to_vec())
        };
        let mut from_spill = Vec::new();
        let mut refs: Vec<&Doc> = spilled.iter().collect();
        refs.push(&declined);
        super::super::files(&refs, &stems, &read, &mut |p, t| from_spill.push((p, t))).unwrap();
        let mut refs: Vec<&Doc> = kept.iter().collect();
        let again = page(99);
        refs.push(&again);
        let in_memory = index(&refs, &stems);
        assert!(in_memory.iter().filter(|(n, _)| n.contains("/d")).count() > 2);
        assert_eq!(from_spill, in_memory);
        // Damaged spilled text is an error, never a wrong index.
        let bad = |_: super::super::Spilled| -> std::io::Result<Vec<u8>> { Ok(b"[1]".to_vec()) };
        let r = super::super::files(&[&spilled[0]], &stems, &bad, &mut |_, _| {});
        assert!(r.is_err());
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
        let files = index(&[&a, &b], &stems);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["search/t0.js", "search/index.js", "search/d0.js"]);
        let json = |(name, text): &(String, String)| -> serde_json::Value {
            let stem = name.trim_start_matches("search/").trim_end_matches(".js");
            let body = text
                .strip_prefix(&format!("ggSearchLoad(\"{stem}\","))
                .and_then(|t| t.strip_suffix(");\n"))
                .expect("a ggSearchLoad call");
            serde_json::from_str(body).expect("valid JSON")
        };
        let manifest = json(&files[1]);
        assert_eq!(manifest["pages"], serde_json::json!([0, 1]));
        assert_eq!(manifest["sections"], 2);
        // `образа` (title) and `образы` (text) share the stem `образ`, in section 0 only.
        let terms = json(&files[0]);
        assert_eq!(terms["образ"][0], 0);
        assert_eq!(terms["образ"].as_array().map(Vec::len), Some(2));
        assert!(terms.get("депл").is_some(), "{terms}");
        let d0 = json(&files[2]);
        assert_eq!(d0[0][5], "Собираем образы. </script> \"q\"");
        assert!(!files[2].1.contains("</script>"));
    }
}
