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

/// One list makes the enum, [`Code::ALL`] (in the order docs/check.md lists the codes)
/// and the names: a new code cannot be missing from any of them.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// What kind of problem a diagnostic reports, for programs (the `check` report,
        /// `serve`'s log) to act on without reading message text. The names are stable:
        /// they are what `guidegen check` prints and what `[check] allow` names
        /// (docs/check.md has them all).
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
        )]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order docs/check.md lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name shown to users, e.g. `author-note`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// An internal link leads to no page or file.
    BrokenLink => "broken-link",
    /// A link's `#fragment` names no heading or id on the page it leads to.
    BrokenAnchor => "broken-anchor",
    /// An image is not there.
    MissingImage => "missing-image",
    /// A relative link from one language's pages into another's.
    CrossLanguageLink => "cross-language-link",
    /// A link to an example file in the repository that `examples/` does not have.
    DeadExampleLink => "dead-example-link",
    /// `{{ ... }}`: text still to be written.
    AuthorNote => "author-note",
    /// A page with no text (headings and notes aside).
    EmptyPage => "empty-page",
    /// A page marked `draft: true`.
    DraftPage => "draft-page",
    /// A page named after its file: no `title:`, no leading `# Title`.
    MissingTitle => "missing-title",
    /// A chapter of a guide with examples that shows none.
    NoExample => "no-example",
    /// A page with no translation into another language of the site.
    Untranslated => "untranslated",
    /// A translation that shows other example files, or another number of code blocks
    /// or headings, than the page it translates.
    TranslationDrift => "translation-drift",
    /// Prose mostly in another language's script.
    WrongLanguage => "wrong-language",
    /// An example file no page shows.
    UnusedExample => "unused-example",
    /// Code pasted in a page that nearly matches an example file but has drifted.
    ExampleDrift => "example-drift",
    /// An `X_chosen` value that is not among `X_possible`.
    ChosenNotPossible => "chosen-not-possible",
    /// A code block's language is not known to the highlighter.
    UnknownLanguage => "unknown-language",
    /// A slot names a variable no level defines.
    UnknownVariable => "unknown-variable",
    /// Two pages would be written to one file.
    DuplicateOutput => "duplicate-output",
    /// A server directive (`<!--#include ...-->`) written in a page or template: nginx
    /// would run it for every reader.
    ServerDirective => "server-directive",
    /// A code fence still open at the end of a file: the rest of it is shown as code.
    UnclosedCodeBlock => "unclosed-code-block",
    /// Text no reader sees: a comment never closed, a heading inside an HTML block, a
    /// link definition no link uses.
    HiddenText => "hidden-text",
    /// An author note `{{` never closed: published as prose, not reported as unfinished.
    UnclosedNote => "unclosed-note",
    /// An `<<if>>` or `<<else>>` branch that no page of any guide shows.
    NeverShown => "never-shown",
    /// An example file that does not parse: YAML, JSON, TOML, a Dockerfile, a `.env`
    /// file, or code its language's own tool refuses (`guidegen test`).
    ExampleSyntax => "example-syntax",
    /// A Go template action of a Helm or werf file never closed, a block without its
    /// `{{ end }}`, or a function Helm and werf do not know (`guidegen test`).
    ExampleTemplate => "example-template",
    /// A Helm chart without a valid Chart.yaml (`guidegen test`).
    HelmChart => "helm-chart",
    /// A template reads a `.Values` key its chart's values.yaml does not define.
    UndefinedValue => "undefined-value",
    /// Example files whose syntax was not checked: their language's tool is not installed.
    NotChecked => "not-checked",
    /// A step's test failed (`guidegen test`; `check` reports the last result).
    StepFailed => "step-failed",
    /// A step's test ran past its timeout and was stopped.
    StepTimeout => "step-timeout",
    /// A step's test wrote into the step's folder (a reader's copy would change).
    StepWrote => "step-wrote",
    /// A step changed since its test last ran (`check`, from `guidegen test`'s results).
    StepUntested => "step-untested",
    /// Any other problem that stops the build.
    BuildError => "build-error",
    /// Any other warning of the build.
    BuildWarning => "build-warning",
}

impl Code {
    /// The code named `name`.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
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
            | Code::ExampleSyntax
            | Code::ExampleTemplate
            | Code::HelmChart
            | Code::StepFailed
            | Code::StepTimeout
            | Code::BuildError => Level::Error,
            _ => Level::Warning,
        }
    }
}
