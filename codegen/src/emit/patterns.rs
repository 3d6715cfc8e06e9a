//! The model's `pattern` constraints: which the `regex` crate can check, and the statics that
//! hold them in the generated crate.

use proc_macro2::TokenStream;
use quote::quote;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

use super::context::Context;
use crate::ir::ShapeKind;
use crate::naming::ident;

/// Whether a model pattern can be checked with the `regex` crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternSupport {
    /// It compiles and is checked.
    Checked,
    /// It matches every value (`[\S\s]*`): there is nothing to check.
    Vacuous,
    /// The `regex` crate cannot compile it (look-around, back-references): not checked.
    Unsupported(String),
}

/// The compiled-size limit of patterns, the same as the runtime's (`Pattern::SIZE_LIMIT`):
/// character classes such as `[\p{L}\p{N}]{0,1024}` need more than regex's default 10 MiB.
const PATTERN_SIZE_LIMIT: usize = 64 << 20;

/// Whether `pattern` can be checked, and if not, why: what compiling it with the runtime's
/// `Pattern::compile` would answer, mostly without compiling it (see [`fits_size_limit`]).
pub fn pattern_support(pattern: &str) -> PatternSupport {
    // The same whole-value form as the runtime's `Pattern::compile`; regex-syntax's default
    // parser is the `regex` crate's (Unicode, UTF-8, nesting limit 250), so a pattern it
    // rejects is one `regex` rejects, with the same message.
    let whole = format!("^(?:{pattern})$");
    let hir = match regex_syntax::Parser::new().parse(&whole) {
        Err(e) => return unsupported(&e),
        Ok(hir) => hir,
    };
    // Past the syntax, compiling can only fail on the size limit: compile for real only when
    // the automaton might come near it.
    if !fits_size_limit(&hir)
        && let Err(e) = compile(&whole)
    {
        return unsupported(&e);
    }
    if MATCH_ANYTHING.contains(&pattern) { PatternSupport::Vacuous } else { PatternSupport::Checked }
}

/// Compiles `whole` as the runtime does (`Pattern::compile`).
fn compile(whole: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(whole).size_limit(PATTERN_SIZE_LIMIT).build()
}

fn unsupported(error: &dyn std::fmt::Display) -> PatternSupport {
    // The last line of the message: the earlier ones repeat the pattern and point into it.
    PatternSupport::Unsupported(error.to_string().lines().last().unwrap_or_default().trim().to_string())
}

/// How much more heap the NFA compiler may use while building than the finished NFA holds
/// (its builder keeps states the NFA drops; measured at up to 1.3 for Unicode classes).
const BUILDER_OVERHEAD: f64 = 1.5;

/// Whether `hir` surely compiles within the size limit. Compiling is what costs: a bounded
/// repetition `x{0,1024}` is compiled into 1024 copies of `x`, and `[\p{L}\p{N}]` alone is
/// thousands of states. So the pattern is compiled with each repetition kept to one copy
/// (forward, and reverse as `regex` also builds it), and that size, times the most copies any
/// part gets and the builder's overhead, bounds the real one. `false` means "compile to know".
fn fits_size_limit(hir: &Hir) -> bool {
    let copies = most_copies(hir);
    let one_copy = one_copy(hir);
    let size = |reverse: bool| {
        let config = thompson::Config::new().shrink(false).reverse(reverse).which_captures(if reverse {
            WhichCaptures::None
        } else {
            WhichCaptures::All
        });
        thompson::Compiler::new().configure(config).build_from_hir(&one_copy).ok().map(|nfa| nfa.memory_usage())
    };
    let (Some(forward), Some(reverse)) = (size(false), size(true)) else { return false };
    let bound = forward.max(reverse) as f64 * copies as f64 * BUILDER_OVERHEAD;
    bound <= PATTERN_SIZE_LIMIT as f64
}

/// The most copies of any part of `hir` its compiled automaton holds: the product of the copy
/// counts of the repetitions around it (`x{m,n}` holds `n` copies, `x{m,}` `m` and a loop;
/// one more each, to be safe).
fn most_copies(hir: &Hir) -> u64 {
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => 1,
        HirKind::Repetition(rep) => {
            let copies = u64::from(rep.max.unwrap_or(rep.min).max(rep.min)) + 1;
            copies.saturating_mul(most_copies(&rep.sub))
        }
        HirKind::Capture(capture) => most_copies(&capture.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().map(most_copies).max().unwrap_or(1),
    }
}

/// `hir` with every repetition holding at most one copy: `x{0,1024}` becomes `x?`, `x{3,}`
/// becomes `x+`.
fn one_copy(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min.min(1),
            max: rep.max.map(|max| max.min(1)),
            greedy: rep.greedy,
            sub: Box::new(one_copy(&rep.sub)),
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            index: capture.index,
            name: capture.name.clone(),
            sub: Box::new(one_copy(&capture.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(one_copy).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(one_copy).collect()),
    }
}

/// Patterns that match every string, the only ones whose check is skipped.
const MATCH_ANYTHING: &[&str] = &["[\\S\\s]*", "[\\s\\S]*", "(?s).*"];

/// The statics holding the model's patterns, one per string shape that has one.
pub fn patterns_module(cx: &Context) -> TokenStream {
    let runtime = cx.runtime();
    let statics = cx.patterns.iter().map(|(shape, support)| {
        let pattern = match &cx.shape(shape).kind {
            ShapeKind::String(s) => s.pattern.clone().unwrap_or_default(),
            _ => String::new(),
        };
        let name = ident(&super::validate::pattern_static(shape));
        let doc = format!(" The pattern of `{shape}`.");
        match support {
            PatternSupport::Checked => quote! {
                #[doc = #doc]
                pub(crate) static #name: #runtime::validate::Pattern = #runtime::validate::Pattern::new(#pattern);
            },
            PatternSupport::Vacuous => {
                let note = format!(" The pattern of `{shape}`, {pattern:?}, matches every value: not checked.");
                quote!(#[doc = #note] #[allow(dead_code)] pub(crate) const #name: &str = #pattern;)
            }
            PatternSupport::Unsupported(reason) => {
                let note = format!(" The pattern of `{shape}`, {pattern:?}, is not supported by the `regex` crate ({reason}): not checked.");
                quote!(#[doc = #note] #[allow(dead_code)] pub(crate) const #name: &str = #pattern;)
            }
        }
    });
    quote!(#![doc = " The model's patterns, compiled on first use by the validation."] #(#statics)*)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What compiling answers: the check `pattern_support` must agree with.
    fn by_compiling(pattern: &str) -> PatternSupport {
        match compile(&format!("^(?:{pattern})$")) {
            Err(e) => unsupported(&e),
            Ok(_) if MATCH_ANYTHING.contains(&pattern) => PatternSupport::Vacuous,
            Ok(_) => PatternSupport::Checked,
        }
    }

    #[test]
    fn agrees_with_compiling_on_every_pattern_of_the_models() {
        let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
        let mut patterns = std::collections::BTreeSet::new();
        for service in std::fs::read_dir(&models).unwrap() {
            let service = service.unwrap().path();
            let Ok(versions) = std::fs::read_dir(&service) else { continue };
            for version in versions {
                let Ok(text) = std::fs::read_to_string(version.unwrap().path().join("service-2.json")) else {
                    continue;
                };
                let model: serde_json::Value = serde_json::from_str(&text).unwrap();
                for shape in model["shapes"].as_object().unwrap().values() {
                    if let Some(pattern) = shape["pattern"].as_str() {
                        patterns.insert(pattern.to_string());
                    }
                }
            }
        }
        assert!(patterns.len() > 250, "found {} patterns under {}", patterns.len(), models.display());
        for pattern in &patterns {
            assert_eq!(pattern_support(pattern), by_compiling(pattern), "for {pattern:?}");
        }
    }

    #[test]
    fn agrees_with_compiling_on_syntax_errors_and_vacuous_patterns() {
        for pattern in
            ["a(?!b)", "(a)\\1", "\\p{NoSuchClass}", "[a-", "(", "\\xFFFFFFFF", "[\\S\\s]*", "(?s).*", "a{3,2}"]
        {
            assert_eq!(pattern_support(pattern), by_compiling(pattern), "for {pattern:?}");
        }
        assert!(
            matches!(pattern_support("a(?=b)"), PatternSupport::Unsupported(reason) if reason.contains("look-around"))
        );
    }

    #[test]
    fn agrees_with_compiling_near_the_size_limit() {
        // The reverse automaton of 1024 copies of this class takes 53 MB to build, of 1,800
        // more than the 64 MiB limit; between them the check compiles to know.
        let class = r"[\p{L}\p{M}\p{Z}\p{N}\p{P}]";
        for copies in [64, 1024, 1300, 1800] {
            let pattern = format!("{class}{{0,{copies}}}");
            assert_eq!(pattern_support(&pattern), by_compiling(&pattern), "for {pattern:?}");
        }
        assert_eq!(pattern_support(&format!("{class}{{0,1024}}")), PatternSupport::Checked);
        assert!(matches!(pattern_support(&format!("{class}{{0,1800}}")), PatternSupport::Unsupported(_)));
        // Nested repetitions multiply.
        let nested = format!("({class}{{0,40}}){{0,50}}");
        assert_eq!(pattern_support(&nested), by_compiling(&nested));
    }

    #[test]
    fn copies_multiply_through_nesting() {
        let hir = |p: &str| regex_syntax::Parser::new().parse(p).unwrap();
        assert_eq!(most_copies(&hir("abc")), 1);
        assert_eq!(most_copies(&hir("a{0,10}")), 11);
        assert_eq!(most_copies(&hir("(a{2,3}b){4,}c*")), 4 * 5);
        assert_eq!(most_copies(&hir("a{0,4294967295}{0,4294967295}{0,4294967295}")), u64::MAX);
    }
}
