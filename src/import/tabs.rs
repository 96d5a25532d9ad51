//! The werf guides' tab groups, written as HTML: a `<div class="tabs">` of buttons
//! (`<a … onclick="openTab(event, …, 'tab_id')">Title</a>`), then one
//! `<div id="tab_id" class="tabs__content …">` per tab. A group whose every tab is
//! found right after its buttons becomes `<<tabs>> <<tab "Title">> … <<end>>`; any
//! other is left as it was and counted for the author's look.

/// Convert the tab groups of `text`: the new text, groups converted, groups left.
pub(super) fn convert(text: &str) -> (String, usize, usize) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let (mut done, mut left) = (0, 0);
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if t.starts_with("<div") && t.contains("class=\"tabs\"") {
            match group(&lines, i) {
                Some((s, next)) => {
                    out.push_str(&s);
                    done += 1;
                    i = next;
                    continue;
                }
                None => left += 1,
            }
        }
        out.push_str(lines[i]);
        i += 1;
    }
    (out, done, left)
}

/// The group whose buttons start at line `start`: its slots and the line after it.
fn group(lines: &[&str], start: usize) -> Option<(String, usize)> {
    let mut tabs: Vec<(String, String)> = Vec::new();
    let mut i = start + 1;
    // A button commented out (`<!-- <a …> -->`) is no tab.
    let mut in_comment = false;
    while i < lines.len() && !lines[i].trim().starts_with("</div>") {
        let l = lines[i];
        let was = in_comment;
        if l.contains("<!--") {
            in_comment = true;
        }
        if l.contains("-->") {
            in_comment = false;
        }
        if was || l.trim_start().starts_with("<!--") {
            i += 1;
            continue;
        }
        if let Some(a) = l.find("<a ") {
            let title = l[a..]
                .split_once('>')
                .map(|(_, r)| r)?
                .split("</a>")
                .next()?
                .trim();
            let call = l.split("openTab(").nth(1)?.split(')').next()?;
            let id = call
                .rsplit(',')
                .next()?
                .trim()
                .trim_matches(|c| c == '\'' || c == '"');
            tabs.push((title.to_string(), id.to_string()));
        }
        i += 1;
    }
    if tabs.is_empty() || i >= lines.len() {
        return None;
    }
    i += 1;
    // The tabs' contents follow, one `<div id=…>` each, in any order.
    let mut bodies: Vec<(String, String)> = Vec::new();
    let mut end = i;
    loop {
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        let Some(open) = lines.get(i).map(|l| l.trim()) else {
            break;
        };
        let Some(id) = open
            .strip_prefix("<div")
            .and_then(|r| r.split("id=\"").nth(1))
            .and_then(|r| r.split('"').next())
        else {
            break;
        };
        let (body, next) = div_body(lines, i)?;
        bodies.push((id.to_string(), body));
        i = next;
        end = next;
    }
    let mut s = String::from("<<tabs>>\n");
    for (title, id) in &tabs {
        let body = &bodies.iter().find(|(b, _)| b == id)?.1;
        // A tab may hold a group of its own.
        let (body, _, _) = convert(body);
        s.push_str(&format!("<<tab \"{}\">>\n", title.replace('"', "'")));
        s.push_str(body.trim_matches('\n'));
        s.push('\n');
    }
    if bodies.len() != tabs.len() {
        return None;
    }
    s.push_str("<<end>>\n");
    Some((s, end))
}

/// The inside of the `<div>` opened on line `start` (nested divs counted), and the line
/// after its `</div>`.
fn div_body(lines: &[&str], start: usize) -> Option<(String, usize)> {
    let mut depth = 0usize;
    let mut body = String::new();
    for (k, l) in lines.iter().enumerate().skip(start) {
        let opens = l.matches("<div").count();
        let closes = l.matches("</div>").count();
        if k > start {
            if depth + opens <= closes {
                return Some((body, k + 1));
            }
            body.push_str(l);
        }
        depth = (depth + opens).checked_sub(closes)?;
        if k == start && depth == 0 {
            return Some((String::new(), k + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_group_becomes_tabs() {
        let text = "A\n<div class=\"tabs\">\n<a href=\"#\" class=\"tabs__btn\" onclick=\"openTab(event, 'b', 'c', 'tab_one')\">One</a>\n<a href=\"#\" onclick=\"openTab(event, 'b', 'c', 'tab_two')\">Two</a>\n</div>\n\n<div id=\"tab_one\" class=\"tabs__content\" markdown=\"1\">\nFirst\n<div>inner</div>\n</div>\n\n<div id=\"tab_two\" class=\"tabs__content\" markdown=\"1\">\nSecond\n</div>\nB\n";
        let (out, done, left) = super::convert(text);
        assert_eq!((done, left), (1, 0));
        assert_eq!(
            out,
            "A\n<<tabs>>\n<<tab \"One\">>\nFirst\n<div>inner</div>\n<<tab \"Two\">>\nSecond\n<<end>>\nB\n"
        );
        let (_, done, left) = super::convert(
            "<div class=\"tabs\">\n<a onclick=\"openTab(event, 'x')\">X</a>\n</div>\n<p>no tab</p>\n",
        );
        assert_eq!((done, left), (0, 1));
    }
}
