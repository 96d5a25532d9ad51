//! The werf guides' tags, one by one: what each becomes in guidegen (docs/import.md has
//! the table). Each counts what it did for the report; what cannot be converted stays
//! on the page as an author note.

use super::convert::{Conv, FILES_MARK};
use super::liquid::{first_arg, params};

/// `{% offtopic title="…" %}…{% endofftopic %}` → `<<details "…">>…<<end>>`.
pub(super) fn offtopic(c: &mut Conv<'_, '_>, args: &str, at: usize, source: &str) -> String {
    let p = params(args);
    let title = p
        .iter()
        .find(|(k, _)| *k == "title")
        .map_or("Details", |(_, v)| v)
        .replace('"', "'");
    let (body, stop) = c.run(&["endofftopic"]);
    if stop.is_none() {
        return c.unclosed(at, "offtopic", source) + &body;
    }
    c.out.count("offtopic → <<details>>");
    format!(
        "<<details \"{title}\">>\n{}\n<<end>>",
        body.trim_matches('\n')
    )
}

/// `{% filesused %}` list → `<<files>>` when the page shows example files with
/// `<<example>>`, else the list as written under its title (decided at the page's end).
pub(super) fn filesused(c: &mut Conv<'_, '_>, args: &str, at: usize, source: &str) -> String {
    let p = params(args);
    let title = p
        .iter()
        .find(|(k, _)| *k == "title")
        .map_or("", |(_, v)| v)
        .to_string();
    let (body, stop) = c.run(&["endfilesused"]);
    if stop.is_none() {
        return c.unclosed(at, "filesused", source) + &body;
    }
    let i = c.out.filesused.len();
    c.out.filesused.push((title, body.trim().to_string()));
    format!("{FILES_MARK}{i}{FILES_MARK}")
}

/// Resolve the `filesused` marks of a converted page.
pub(super) fn resolve_filesused(c: &mut super::Out, text: &str) -> String {
    let mut out = String::new();
    let mut parts = text.split(FILES_MARK);
    out.push_str(parts.next().unwrap_or(""));
    while let (Some(idx), Some(rest)) = (parts.next(), parts.next()) {
        let (title, list) = idx
            .parse::<usize>()
            .ok()
            .and_then(|i| c.filesused.get(i).cloned())
            .unwrap_or_default();
        if c.uses_examples {
            c.count("filesused → <<files>>");
            out.push_str("<<files>>");
        } else {
            c.count("filesused kept as a list (the page shows no example file)");
            if !title.is_empty() {
                out.push_str(&format!("**{title}**\n\n"));
            }
            out.push_str(&list);
        }
        out.push_str(rest);
    }
    out
}

/// A GitHub URL of a file under `examples/` → its path inside examples/.
fn example_of_url(url: &str) -> Option<String> {
    let i = url.find("/examples/")?;
    let rel = &url[i + "/examples/".len()..];
    (!rel.is_empty() && (url.contains("/blob/") || url.contains("/tree/") || url.starts_with('/')))
        .then(|| rel.split(['#', '?']).next().unwrap_or(rel).to_string())
}

/// The code of the only fenced block of `body`, if it is one.
fn only_fence(body: &str) -> Option<&str> {
    let t = body.trim();
    let first = t.lines().next()?;
    let fence = first.trim_start();
    if !(fence.starts_with("```") || fence.starts_with("~~~")) {
        return None;
    }
    let mark = &fence[..3];
    let rest = &t[first.len()..];
    let end = rest.rfind(mark)?;
    let after = rest[end + 3..].trim();
    after.is_empty().then(|| rest[..end].trim_matches('\n'))
}

fn same_code(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> Vec<String> {
        s.replace(super::convert::RAW_OPEN, "")
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
            .trim_matches('\n')
            .lines()
            .map(str::to_string)
            .collect()
    };
    norm(a) == norm(b)
}

/// `{% snippetcut name="…" url="…" %}` code `{% endsnippetcut %}` → `<<example>>` when
/// the code is the example file the URL names, else the code as pasted under a link to
/// the file (so `check` finds a copy that drifted).
pub(super) fn snippetcut(c: &mut Conv<'_, '_>, args: &str, at: usize, source: &str) -> String {
    let p = params(args);
    let get = |k: &str| p.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string());
    let (name, url) = (
        get("name").unwrap_or_default(),
        get("url").unwrap_or_default(),
    );
    let (body, stop) = c.run(&["endsnippetcut"]);
    if stop.is_none() {
        return c.unclosed(at, "snippetcut", source) + &body;
    }
    let inner = body.trim();
    // A snippetcut around an example the import already made (`include_file`).
    if inner.starts_with("<<example ") && !inner.contains('\n') {
        return inner.to_string();
    }
    if let (Some(rel), Some(code)) = (example_of_url(&url), only_fence(inner))
        && let Some(file) = c.ctx.repo.read(&format!("examples/{rel}"))
        && same_code(code, &file)
    {
        c.out
            .count("snippetcut → <<example>> (the code is the example file)");
        c.out.uses_examples = true;
        return format!("<<example \"/{rel}\">>");
    }
    c.out.count("snippetcut kept as pasted code");
    let head = if url.is_empty() || url == "#" {
        format!("`{name}`:")
    } else {
        format!("[`{name}`]({url}):")
    };
    format!("{head}\n\n{inner}")
}

/// `{% asset path alt="…" %}` → the image copied beside the page, shown with Markdown
/// (or `<img>` inside HTML).
pub(super) fn asset(c: &mut Conv<'_, '_>, args: &str, at: usize) -> String {
    let path = first_arg(args);
    let alt = params(args)
        .into_iter()
        .find(|(k, _)| *k == "alt")
        .map_or(String::new(), |(_, v)| v.to_string());
    let src = format!("assets/images/{path}");
    let Some(bytes) = c.ctx.repo.read_bytes(&src) else {
        c.out.warn(
            &c.file,
            c.text,
            c.tag_span(at),
            format!("the asset {src} does not exist"),
        );
        return c.note(
            at,
            format!("the image `{path}`, which the repository does not have"),
        );
    };
    let base = path.rsplit('/').next().unwrap_or(path);
    let dest_name = c.out.image_name(c.ctx.page_dir, path, base);
    c.out
        .images
        .insert(format!("{}/{dest_name}", c.ctx.page_dir), bytes);
    c.out.count("asset → image beside the page");
    let line_start = c.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let in_html = c.text[line_start..at].trim_start().starts_with('<');
    if in_html {
        format!(
            "<img src=\"{dest_name}\" alt=\"{}\">",
            alt.replace('"', "&quot;")
        )
    } else {
        format!("![{}]({dest_name})", alt.replace(['[', ']'], ""))
    }
}

/// `{% plantuml %}` → the SVG the Jekyll plugin cached for it, when one holds all its
/// words; else its source as a code block and a note.
pub(super) fn plantuml(c: &mut Conv<'_, '_>, at: usize, source: &str) -> String {
    let Some(body) = c.until("endplantuml") else {
        return c.unclosed(at, "plantuml", source);
    };
    let words: Vec<String> = body
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_string)
        .collect();
    let matches: Vec<&(String, String)> = c
        .ctx
        .svgs
        .iter()
        .filter(|(_, svg)| !words.is_empty() && words.iter().all(|w| svg.contains(w.as_str())))
        .collect();
    if let [(path, svg)] = matches.as_slice() {
        let base = path.rsplit('/').next().unwrap_or(path);
        let dest = c.out.image_name(c.ctx.page_dir, path, base);
        c.out.images.insert(
            format!("{}/{dest}", c.ctx.page_dir),
            svg.as_bytes().to_vec(),
        );
        c.out.count("plantuml → its cached SVG");
        let mut alt: Vec<&str> = Vec::new();
        for w in &words {
            if !alt.contains(&w.as_str()) {
                alt.push(w);
            }
        }
        return format!("![{}]({dest})", alt.join(", "));
    }
    let n = c.note(
        at,
        "a PlantUML diagram with no cached SVG: render it and show the image".into(),
    );
    format!("{n}\n\n```text\n{}\n```", body.trim_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_fences() {
        assert_eq!(
            example_of_url("https://github.com/werf/werf-guides/blob/master/examples/springboot/010_build/Dockerfile").as_deref(),
            Some("springboot/010_build/Dockerfile")
        );
        assert_eq!(only_fence("```yaml\na: 1\n```\n"), Some("a: 1"));
        assert_eq!(only_fence("text\n```yaml\na: 1\n```"), None);
    }
}
