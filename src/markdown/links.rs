//! Links and images of a page: `.md` links rewritten to page URLs (a link to no page is
//! a problem at its source offset), files beside the page resolved as assets, and every
//! link noted in the page's [`Facts`](super::Facts) for `check`.

use pulldown_cmark::{CowStr, Event, Tag};

use super::{Ctx, LinkFact, Rendered};
use crate::diag::{Code, Problem};
use crate::syntax::markdown::fill_code_values;

fn is_external(url: &str) -> bool {
    url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("data:")
        || url.starts_with("javascript:")
        || url.starts_with('/')
        || url.starts_with('#')
        || url.starts_with("//")
}

fn split_fragment(url: &str) -> (&str, &str) {
    match url.find('#') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    }
}

pub(super) fn rewrite_inline<'a>(
    e: Event<'a>,
    offset: usize,
    ctx: &Ctx<'_>,
    r: &mut Rendered,
) -> Event<'a> {
    match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let written = dest_url.to_string();
            let dest = rewrite_link(&dest_url, offset, ctx, r)
                .map(CowStr::from)
                .unwrap_or(dest_url);
            r.facts.links.push(LinkFact {
                url: dest.to_string(),
                written,
                offset,
            });
            Event::Start(Tag::Link {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let written = dest_url.to_string();
            let dest = if is_external(&dest_url) {
                dest_url
            } else {
                let (path, frag) = split_fragment(&dest_url);
                let decoded = percent_encoding::percent_decode_str(path)
                    .decode_utf8_lossy()
                    .to_string();
                match (ctx.resolve_asset)(&decoded) {
                    Some(u) => CowStr::from(format!("{u}{frag}")),
                    None => {
                        r.warnings.push(
                            Problem::new(format!("image '{decoded}' not found next to the page"))
                                .at(offset..offset + 1)
                                .with_code(Code::MissingImage)
                                .help("put the image beside the Markdown file that shows it"),
                        );
                        dest_url
                    }
                }
            };
            r.facts.links.push(LinkFact {
                url: dest.to_string(),
                written,
                offset,
            });
            Event::Start(Tag::Image {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        Event::Text(t) => {
            r.facts.prose(&t);
            Event::Text(t)
        }
        Event::Code(t) => match fill_code_values(&t, ctx.code_values) {
            std::borrow::Cow::Owned(filled) => Event::Code(CowStr::from(filled)),
            std::borrow::Cow::Borrowed(_) => Event::Code(t),
        },
        other => other,
    }
}

fn rewrite_link(url: &str, offset: usize, ctx: &Ctx<'_>, r: &mut Rendered) -> Option<String> {
    if is_external(url) || url.is_empty() {
        return None;
    }
    let (path, frag) = split_fragment(url);
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .to_string();
    if decoded.ends_with(".md") {
        match (ctx.resolve_link)(&decoded) {
            Some(u) => Some(format!("{u}{frag}")),
            None => {
                r.broken_links.push(
                    Problem::new(format!("link to '{decoded}': no such page"))
                        .at(offset..offset + 1)
                        .with_code(Code::BrokenLink),
                );
                None
            }
        }
    } else {
        // A link to a file beside the page (a PDF, an image) is copied and resolved.
        (ctx.resolve_asset)(&decoded).map(|u| format!("{u}{frag}"))
    }
}
