//! Painting tokens: syntect's parser gives each piece of a line its scope stack, and
//! each theme's rules give a stack its look; a line becomes spans whose classes name the
//! light and the dark theme's colour (`gg-l3 gg-d7`), one span per run of tokens that look
//! alike. Classes for colours rather than for scopes: a scope-classed block was three
//! quarters markup (a 140 KB page with 5 KB of code text; 44 KB painted).

use std::sync::OnceLock;

use syntect::highlighting::{
    Color, FontStyle, Highlighter, Style, StyleModifier, Theme, ThemeItem,
};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

pub(super) fn highlight_with(
    set: &SyntaxSet,
    syntax: &SyntaxReference,
    code: &str,
) -> Option<String> {
    let p = painter();
    let mut parse = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 2);
    let mut tokens: Vec<(Paint, &str)> = Vec::new();
    PAINTS.with_borrow_mut(|paints| {
        if paints.len() > PAINTS_LIMIT {
            paints.clear();
        }
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, set).ok()?;
            tokens.clear();
            let mut pos = 0;
            for (end, op) in ops
                .iter()
                .map(|(e, op)| (*e, Some(op)))
                .chain([(line.len(), None)])
            {
                if end > pos {
                    let paint = match paints.get(stack.as_slice()) {
                        Some(&paint) => paint,
                        None => {
                            let paint = p.paint(stack.as_slice());
                            paints.insert(stack.as_slice().to_vec(), paint);
                            paint
                        }
                    };
                    tokens.push((paint, &line[pos..end]));
                    pos = end;
                }
                if let Some(op) = op {
                    stack.apply(op).ok()?;
                }
            }
            paint_line(&mut out, &tokens);
        }
        Some(out)
    })
}

/// The look of each scope stack met on this thread: resolving a stack against a theme's
/// rules was a sixth of a build's time, and a site meets a few thousand stacks.
type Paints = std::collections::HashMap<Vec<Scope>, Paint, crate::util::fxhash::Fx>;
const PAINTS_LIMIT: usize = 1 << 16;
thread_local! {
    static PAINTS: std::cell::RefCell<Paints> = std::cell::RefCell::default();
}

/// A token's look in the light and in the dark theme: a palette index each (`None`:
/// the theme's default text colour) and font-style bits each.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Paint {
    light: (Option<u8>, u8),
    dark: (Option<u8>, u8),
}

impl Paint {
    const PLAIN: Paint = Paint {
        light: (None, 0),
        dark: (None, 0),
    };

    fn underlined(self) -> bool {
        (self.light.1 | self.dark.1) & FontStyle::UNDERLINE.bits() != 0
    }

    /// The opening tag: `gg-lN`/`gg-dN` for the light and the dark theme's colour N,
    /// `gg-lb gg-li gg-lu`/`gg-db gg-di gg-du` for bold, italic, underline (`gg-`, as
    /// every class of the theme, so a host site's CSS never styles them by chance).
    fn open_tag(self, out: &mut String) {
        use std::fmt::Write;
        let mut classes = String::new();
        for (prefix, (colour, font)) in [("gg-l", self.light), ("gg-d", self.dark)] {
            if let Some(i) = colour {
                let _ = write!(classes, " {prefix}{i}");
            }
            for (bit, c) in FONT_CLASSES {
                if font & bit.bits() != 0 {
                    let _ = write!(classes, " {prefix}{c}");
                }
            }
        }
        let _ = write!(out, "<span class=\"{}\">", classes.trim_start());
    }
}

pub(super) const FONT_CLASSES: [(FontStyle, char); 3] = [
    (FontStyle::BOLD, 'b'),
    (FontStyle::ITALIC, 'i'),
    (FontStyle::UNDERLINE, 'u'),
];

/// One line's tokens as HTML: neighbours that look alike share a span, a blank between
/// two tokens of one look joins them (a blank shows no colour unless underlined), and
/// every span closes before the line ends, so each line stands alone.
fn paint_line(out: &mut String, tokens: &[(Paint, &str)]) {
    let body = |t: &str| t.trim_end_matches(['\n', '\r']).len();
    let blank = |p: Paint, t: &str| !p.underlined() && t.bytes().all(|b| b == b' ' || b == b'\t');
    let mut open: Option<Paint> = None;
    for (i, &(paint, text)) in tokens.iter().enumerate() {
        let (text, end) = text.split_at(body(text));
        let paint = if blank(paint, text) {
            // Kept in the open span when the next token that shows looks the same.
            let next = tokens[i + 1..]
                .iter()
                .find(|&&(p, t)| !blank(p, &t[..body(t)]))
                .map(|&(p, _)| p);
            match open {
                Some(o) if next == Some(o) => o,
                _ => Paint::PLAIN,
            }
        } else {
            paint
        };
        if open != Some(paint) {
            if open.take().is_some() {
                out.push_str("</span>");
            }
            if paint != Paint::PLAIN {
                paint.open_tag(out);
                open = Some(paint);
            }
        }
        crate::util::html::escape_into(text, out);
        if !end.is_empty() {
            if open.take().is_some() {
                out.push_str("</span>");
            }
            out.push_str(end);
        }
    }
    if open.is_some() {
        out.push_str("</span>");
    }
}

/// A theme ready to paint tokens: its highlighter and its palette, the colours its
/// rules set in the order of the rules (a token's colour is one of them, or the theme's
/// default text colour).
pub(super) struct Painted {
    highlighter: Highlighter<'static>,
    default: Color,
    pub(super) palette: Vec<Color>,
}

impl Painted {
    fn new(theme: &'static Theme) -> Painted {
        let mut palette: Vec<Color> = Vec::new();
        for item in &theme.scopes {
            if let Some(c) = item.style.foreground
                && !palette.contains(&c)
            {
                palette.push(c);
            }
        }
        let highlighter = Highlighter::new(theme);
        Painted {
            default: highlighter.get_default().foreground,
            highlighter,
            palette,
        }
    }

    fn paint(&self, s: Style) -> (Option<u8>, u8) {
        let colour = if s.foreground == self.default {
            None
        } else {
            self.palette
                .iter()
                .position(|&c| c == s.foreground)
                .and_then(|i| u8::try_from(i).ok())
        };
        (colour, s.font_style.bits())
    }
}

pub(super) struct Painter {
    pub(super) light: Painted,
    pub(super) dark: Painted,
}

impl Painter {
    fn paint(&self, stack: &[Scope]) -> Paint {
        Paint {
            light: self
                .light
                .paint(self.light.highlighter.style_for_stack(stack)),
            dark: self
                .dark
                .paint(self.dark.highlighter.style_for_stack(stack)),
        }
    }
}

/// The light theme (InspiredGithub) and the dark one (OneHalfDark), each with one rule
/// of guidegen's own: template delimiters (`{{`, `}}`), which neither theme styles,
/// stand out from the YAML around them, bold in the colour of the theme's keywords.
pub(super) fn painter() -> &'static Painter {
    static THEMES: OnceLock<(Theme, Theme)> = OnceLock::new();
    static P: OnceLock<Painter> = OnceLock::new();
    P.get_or_init(|| {
        use two_face::theme::EmbeddedThemeName;
        let (light, dark) = THEMES.get_or_init(|| {
            let themes = two_face::theme::extra();
            let with_delimiters = |name, (r, g, b)| {
                let mut t: Theme = themes.get(name).clone();
                if let Ok(scope) = "punctuation.section.embedded.begin.go-template, punctuation.section.embedded.end.go-template"
                    .parse() {
                    t.scopes.push(ThemeItem {
                        scope,
                        style: StyleModifier {
                            foreground: Some(Color { r, g, b, a: 0xff }),
                            background: None,
                            font_style: Some(FontStyle::BOLD),
                        },
                    });
                }
                t
            };
            (
                with_delimiters(EmbeddedThemeName::InspiredGithub, (0xa7, 0x1d, 0x5d)),
                with_delimiters(EmbeddedThemeName::OneHalfDark, (0xc6, 0x78, 0xdd)),
            )
        });
        Painter {
            light: Painted::new(light),
            dark: Painted::new(dark),
        }
    })
}
