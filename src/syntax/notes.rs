//! Author-note delimiters (spec section 7): `{{ ... }}` in prose, never inside code.

use std::ops::Range;

use super::markdown::in_ranges;

/// Positions of note delimiters in `text[range]` outside the `code` ranges:
/// (offset, is_opener), paired outermost-first; unmatched delimiters stay text.
pub(crate) fn delimiters(
    text: &str,
    range: Range<usize>,
    code: &[Range<usize>],
) -> Vec<(usize, bool)> {
    let b = text.as_bytes();
    let mut raw = Vec::new();
    let mut i = range.start;
    while i + 1 < range.end.min(b.len()) {
        if b[i] == b'{' && b[i + 1] == b'{' && !in_ranges(code, i) && (i == 0 || b[i - 1] != b'\\')
        {
            raw.push((i, true));
            i += 2;
        } else if b[i] == b'}' && b[i + 1] == b'}' && !in_ranges(code, i) {
            raw.push((i, false));
            i += 2;
        } else {
            i += 1;
        }
    }
    let mut keep = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (pos, open) in raw {
        if open {
            stack.push(pos);
        } else if let Some(o) = stack.pop()
            && stack.is_empty()
        {
            keep.push((o, true));
            keep.push((pos, false));
        }
    }
    keep.sort();
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_outside_code_only() {
        let t = "a {{ note {{ inner }} }} `{{ code }}` }}";
        let (a, b) = (t.find('`').unwrap(), t.rfind('`').unwrap() + 1);
        let code: Vec<std::ops::Range<usize>> = std::iter::once(a..b).collect();
        let d = delimiters(t, 0..t.len(), &code);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0], (2, true));
        assert!(!d[1].1);
    }
}
