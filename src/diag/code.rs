//! The kinds of problem ([`Code`]) and how bad each is ([`Level`]): stable names that
//! `check` prints, `[check] allow` accepts and docs/check.md documents, kept apart from
//! how a problem is printed.

/// How bad a problem is: an error stops the build; a warning is reported.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Level {
    /// The site cannot be built (or, in `check`, must not be published).
    Error,
    /// Worth fixing; the site builds.
    Warning,
}

/// What kind of problem a diagnostic reports, for programs (the `check` report, `serve`'s
/// log) to act on without reading message text. The names are stable: they are what
/// `guidegen check` prints and what `[check] allow` names (docs/check.md has them all).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Code {
    /// `{{ ... }}`: text still to be written.
    AuthorNote,
    /// An internal link leads to no page or file.
    BrokenLink,
    /// A link's `#fragment` names no heading or id on the page it leads to.
    BrokenAnchor,
    /// An image is not there.
    MissingImage,
    /// A relative link from one language's pages into another's.
    CrossLanguageLink,
    /// A link to an example file in the repository that `examples/` does not have.
    DeadExampleLink,
    /// A page with no text (headings and notes aside).
    EmptyPage,
    /// A page marked `draft: true`.
    DraftPage,
    /// A page named after its file: no `title:`, no leading `# Title`.
    MissingTitle,
    /// A chapter of a guide with examples that shows none.
    NoExample,
    /// A page with no translation into another language of the site.
    Untranslated,
    /// A translation that shows other example files, or another number of code blocks
    /// or headings, than the page it translates.
    TranslationDrift,
    /// Prose mostly in another language's script.
    WrongLanguage,
    /// An example file no page shows.
    UnusedExample,
    /// Code pasted in a page that nearly matches an example file but has drifted.
    ExampleDrift,
    /// An `X_chosen` value that is not among `X_possible`.
    ChosenNotPossible,
    /// A code block's language is not known to the highlighter.
    UnknownLanguage,
    /// A slot names a variable no level defines.
    UnknownVariable,
    /// Two pages would be written to one file.
    DuplicateOutput,
    /// A server directive (`<!--#include ...-->`) written in a page or template: nginx
    /// would run it for every reader.
    ServerDirective,
    /// A code fence still open at the end of a file: the rest of it is shown as code.
    UnclosedCodeBlock,
    /// Text no reader sees: a comment never closed, a heading inside an HTML block, a
    /// link definition no link uses.
    HiddenText,
    /// An author note `{{` never closed: published as prose, not reported as unfinished.
    UnclosedNote,
    /// An `<<if>>` or `<<else>>` branch that no page of any guide shows.
    NeverShown,
    /// Any other problem that stops the build.
    BuildError,
    /// Any other warning of the build.
    BuildWarning,
}

impl Code {
    /// Every code, in the order docs/check.md lists them.
    pub const ALL: [Code; 26] = [
        Code::BrokenLink,
        Code::BrokenAnchor,
        Code::MissingImage,
        Code::CrossLanguageLink,
        Code::DeadExampleLink,
        Code::AuthorNote,
        Code::EmptyPage,
        Code::DraftPage,
        Code::MissingTitle,
        Code::NoExample,
        Code::Untranslated,
        Code::TranslationDrift,
        Code::WrongLanguage,
        Code::UnusedExample,
        Code::ExampleDrift,
        Code::ChosenNotPossible,
        Code::UnknownLanguage,
        Code::UnknownVariable,
        Code::DuplicateOutput,
        Code::ServerDirective,
        Code::UnclosedCodeBlock,
        Code::HiddenText,
        Code::UnclosedNote,
        Code::NeverShown,
        Code::BuildError,
        Code::BuildWarning,
    ];

    /// The stable name shown to users, e.g. `author-note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::AuthorNote => "author-note",
            Code::BrokenLink => "broken-link",
            Code::BrokenAnchor => "broken-anchor",
            Code::MissingImage => "missing-image",
            Code::CrossLanguageLink => "cross-language-link",
            Code::DeadExampleLink => "dead-example-link",
            Code::EmptyPage => "empty-page",
            Code::DraftPage => "draft-page",
            Code::MissingTitle => "missing-title",
            Code::NoExample => "no-example",
            Code::Untranslated => "untranslated",
            Code::TranslationDrift => "translation-drift",
            Code::WrongLanguage => "wrong-language",
            Code::UnusedExample => "unused-example",
            Code::ExampleDrift => "example-drift",
            Code::ChosenNotPossible => "chosen-not-possible",
            Code::UnknownLanguage => "unknown-language",
            Code::UnknownVariable => "unknown-variable",
            Code::DuplicateOutput => "duplicate-output",
            Code::ServerDirective => "server-directive",
            Code::UnclosedCodeBlock => "unclosed-code-block",
            Code::HiddenText => "hidden-text",
            Code::UnclosedNote => "unclosed-note",
            Code::NeverShown => "never-shown",
            Code::BuildError => "build-error",
            Code::BuildWarning => "build-warning",
        }
    }

    /// The code named `name`.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// How `check` rates a finding of this kind: broken things are errors (the site must
    /// not be published), unfinished things warnings.
    pub fn level(self) -> Level {
        match self {
            Code::BrokenLink
            | Code::BrokenAnchor
            | Code::DeadExampleLink
            | Code::ChosenNotPossible
            | Code::UnknownVariable
            | Code::DuplicateOutput
            | Code::ServerDirective
            | Code::BuildError => Level::Error,
            _ => Level::Warning,
        }
    }
}
