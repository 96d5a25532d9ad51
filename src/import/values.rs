//! Liquid's values while importing: `{{ output }}` as a slot where the value is a page
//! variable (a partial serves every page that includes it), else its value when it is
//! known now (`site.url`, `site.data.*`, an include's parameter, an assigned value,
//! with the filters the guides use), else an author note.

use serde_json::Value;

use super::convert::Conv;

impl Conv<'_, '_> {
    /// `{{ expr }}`: a value known now, a slot for a page variable, or a note.
    pub(super) fn output(&mut self, expr: &str, at: usize) -> String {
        let bare = expr.split('|').next().unwrap_or("").trim();
        if let Some(s) = self.slot_text(expr) {
            self.out.count("page variable → slot");
            return s;
        }
        match self.eval(expr) {
            Some(v) => {
                self.out.count("output (evaluated)");
                v
            }
            None if bare.starts_with("include.") || bare.starts_with("page.") => self.note(
                at,
                format!("`{bare}` is not set here: Jekyll printed nothing"),
            ),
            None => self.note(at, format!("the output `{expr}`")),
        }
    }

    /// `page.x`, with `append`, `prepend` and the URL filters, as text with a slot: the
    /// value stays the page's own (a partial serves every page that includes it).
    fn slot_text(&self, expr: &str) -> Option<String> {
        let mut parts = expr.split('|');
        let var = parts.next()?.trim().strip_prefix("page.")?;
        let mut v = match var {
            "title" => "<<page.title>>".to_string(),
            v if valid_slot_name(v) && self.ctx.vars.contains_key(v) => format!("<<{v}|raw>>"),
            _ => return None,
        };
        let mut filtered = false;
        for f in parts {
            filtered = true;
            let (name, arg) = match f.split_once(':') {
                Some((n, a)) => (
                    n.trim(),
                    Some(self.value(a.trim()).or_else(|| unquote(a.trim()))?),
                ),
                None => (f.trim(), None),
            };
            v = match (name, arg) {
                ("append", Some(a)) => v + &a,
                ("prepend", Some(a)) => a + &v,
                ("markdownify", None) => v,
                ("relative_url", None) => url_join(self.ctx.baseurl, &v),
                ("absolute_url", None) => {
                    self.ctx.lang.url.clone() + &url_join(self.ctx.baseurl, &v)
                }
                _ => return None,
            };
        }
        if !filtered && var != "title" {
            // A value shown in prose: its display name, as guidegen shows values.
            v = format!("<<{var}>>");
        }
        Some(v)
    }

    /// The value of a Liquid expression, when it is known without building the site.
    pub(super) fn eval(&self, expr: &str) -> Option<String> {
        self.eval_with(expr, false)
    }

    /// `lenient`: a variable that is not set is empty, as Liquid prints it (for values
    /// that are computed, not shown: `assign`, filter arguments).
    pub(super) fn eval_with(&self, expr: &str, lenient: bool) -> Option<String> {
        let mut parts = expr.split('|');
        let head = parts.next()?.trim();
        let known = |t: &str| {
            self.value(t).or_else(|| {
                (lenient && (t.starts_with("page.") || t.starts_with("include."))).then(String::new)
            })
        };
        let mut v = known(head)?;
        for f in parts {
            let (name, arg) = match f.split_once(':') {
                Some((n, a)) => (
                    n.trim(),
                    Some(known(a.trim()).or_else(|| unquote(a.trim()))?),
                ),
                None => (f.trim(), None),
            };
            v = match (name, arg) {
                ("append", Some(a)) => v + &a,
                ("prepend", Some(a)) => a + &v,
                ("strip", None) => v.trim().to_string(),
                ("downcase", None) => v.to_lowercase(),
                ("upcase", None) => v.to_uppercase(),
                ("markdownify", None) => v,
                ("relative_url", None) => url_join(self.ctx.baseurl, &v),
                ("absolute_url", None) => {
                    self.ctx.lang.url.clone() + &url_join(self.ctx.baseurl, &v)
                }
                _ => return None,
            };
        }
        Some(v)
    }

    /// A value: a string, `site.url`, a page or include variable, an assigned one.
    pub(super) fn value(&self, term: &str) -> Option<String> {
        if let Some(s) = unquote(term) {
            return Some(s);
        }
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        if let Some(path) = term.strip_prefix("site.data.") {
            return self.ctx.repo.data(&self.ctx.lang.code, path);
        }
        if let Some(k) = term.strip_prefix("site.") {
            return match k {
                "url" => Some(self.ctx.lang.url.clone()),
                "baseurl" => Some(self.ctx.baseurl.to_string()),
                "site_lang" => Some(self.ctx.lang.code.clone()),
                _ => None,
            };
        }
        if let Some(k) = term.strip_prefix("page.") {
            return self.ctx.vars.get(k).and_then(scalar);
        }
        if let Some(k) = term.strip_prefix("include.") {
            return self.ctx.include.and_then(|m| m.get(k)).and_then(scalar);
        }
        if term == "true" || term == "false" {
            return Some(term.to_string());
        }
        self.assigned.get(term).cloned()
    }
}

/// Jekyll's `relative_url`: the base URL path and the path, one `/` between.
fn url_join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// `"text"` or `'text'` unquoted.
pub(super) fn unquote(s: &str) -> Option<String> {
    let s = s.trim();
    let q = s.chars().next()?;
    if (q == '"' || q == '\'') && s.len() >= 2 && s.ends_with(q) {
        Some(s[1..s.len() - 1].to_string())
    } else {
        None
    }
}

/// A name guidegen accepts in a slot.
pub(super) fn valid_slot_name(n: &str) -> bool {
    n.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
