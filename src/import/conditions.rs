//! `{% if %}` and `{% unless %}` with their `elsif` and `else`: on values known while
//! importing (a fragment's parameters, assigned values) the branch taken is written;
//! on page variables they become `<<if>>`; anything else keeps every branch, each
//! marked with a note.

use super::convert::Conv;
use super::values::{unquote, valid_slot_name};

/// `{% if %}`/`{% unless %}` … `{% elsif %}` … `{% else %}` … `{% endif %}`.
pub(super) fn conditional(
    c: &mut Conv<'_, '_>,
    kw: &str,
    args: &str,
    at: usize,
    source: &str,
) -> String {
    let end = if kw == "if" { "endif" } else { "endunless" };
    let mut branches: Vec<(Option<String>, String)> = Vec::new();
    let mut cond = Some(if kw == "unless" {
        format!("!({args})")
    } else {
        args.to_string()
    });
    loop {
        let (body, stop) = c.run(&["elsif", "else", end]);
        branches.push((cond.clone(), body));
        match stop {
            Some(("elsif", a)) => cond = Some(a.to_string()),
            Some(("else", _)) => cond = None,
            Some(_) => break,
            None => return c.unclosed(at, kw, source) + &join_all(&branches),
        }
    }
    // Known now (include parameters, assigned values): the branch taken.
    let known: Option<Vec<bool>> = branches
        .iter()
        .map(|(cnd, _)| cnd.as_ref().map_or(Some(true), |x| static_cond(c, x)))
        .collect();
    if let Some(k) = known {
        c.out.count("if on known values (evaluated)");
        return branches
            .into_iter()
            .zip(k)
            .find(|(_, t)| *t)
            .map(|((_, b), _)| b)
            .unwrap_or_default();
    }
    let slots: Option<Vec<Option<String>>> = branches
        .iter()
        .map(|(cnd, _)| match cnd {
            None => Some(None),
            Some(x) => slot_cond(x).map(Some),
        })
        .collect();
    if let Some(slots) = slots {
        for s in slots.iter().flatten() {
            let var = s.trim_start_matches("not ").split(' ').next().unwrap_or("");
            c.out.cond_vars.insert(var.to_string());
        }
        c.out.count("if on page variables → <<if>>");
        let mut s = String::new();
        let mut opened = 0;
        for (i, ((_, body), cond)) in branches.iter().zip(&slots).enumerate() {
            match cond {
                Some(x) if i == 0 => s.push_str(&format!("<<if {x}>>")),
                Some(x) => {
                    s.push_str(&format!("<<else>><<if {x}>>"));
                    opened += 1;
                }
                None => s.push_str("<<else>>"),
            }
            s.push_str(body);
        }
        s.push_str(&"<<end>>".repeat(opened + 1));
        return s;
    }
    let n = c.note(
        at,
        format!("the condition `{source}`: every branch is kept, each marked"),
    );
    n + &join_all(&branches)
}

fn join_all(branches: &[(Option<String>, String)]) -> String {
    branches
        .iter()
        .map(|(cnd, b)| match cnd {
            Some(x) => format!("{{{{Jekyll showed this when {x}:}}}}{b}"),
            None => format!("{{{{Jekyll showed this otherwise:}}}}{b}"),
        })
        .collect()
}

/// A condition on values known now: `include.x`, `include.x == "y"`, assigned values.
fn static_cond(c: &Conv<'_, '_>, cond: &str) -> Option<bool> {
    let (neg, cond) = match cond.strip_prefix("!(").and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (true, inner),
        None => (false, cond),
    };
    let words: Vec<&str> = cond.split_whitespace().collect();
    let known = |t: &str| {
        if t.starts_with("page.") {
            return None;
        }
        c.value(t)
            .or_else(|| (t.starts_with("include.")).then(String::new))
    };
    let truthy = |v: &str| !v.is_empty() && v != "false" && v != "nil";
    let r = match words.as_slice() {
        [t] => truthy(&known(t)?),
        [t, op, v] if *op == "==" || *op == "!=" => {
            let a = known(t)?;
            let b = unquote(v).or_else(|| known(v))?;
            (a == b) == (*op == "==")
        }
        _ => return None,
    };
    Some(r != neg)
}

/// A condition on page variables as guidegen writes it: `page.x`, `page.x == "y"`,
/// `page.x != "y"`, negated for `unless`.
fn slot_cond(cond: &str) -> Option<String> {
    let (neg, cond) = match cond.strip_prefix("!(").and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (true, inner),
        None => (false, cond),
    };
    let words: Vec<&str> = cond.split_whitespace().collect();
    let var = |t: &str| {
        t.strip_prefix("page.")
            .filter(|v| valid_slot_name(v))
            .map(str::to_string)
    };
    let s = match words.as_slice() {
        [t] => {
            let v = var(t)?;
            if neg { format!("not {v}") } else { v }
        }
        [t, op, v] if (*op == "==" || *op == "!=") => {
            let name = var(t)?;
            let lit = match *v {
                "true" => {
                    return Some(if (*op == "==") != neg {
                        name
                    } else {
                        format!("not {name}")
                    });
                }
                "false" => {
                    return Some(if (*op == "==") != neg {
                        format!("not {name}")
                    } else {
                        name
                    });
                }
                _ => unquote(v)?,
            };
            let op = if (*op == "==") != neg { "==" } else { "!=" };
            format!("{name} {op} \"{}\"", lit.replace('"', ""))
        }
        _ => return None,
    };
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions() {
        assert_eq!(slot_cond("page.a").as_deref(), Some("a"));
        assert_eq!(slot_cond("!(page.a)").as_deref(), Some("not a"));
        assert_eq!(slot_cond("page.a == \"b\"").as_deref(), Some("a == \"b\""));
        assert_eq!(slot_cond("page.a == false").as_deref(), Some("not a"));
        assert_eq!(slot_cond("page.a and page.b"), None);
    }
}
