//! The model's `pattern` constraints: which the `regex` crate can check, and the statics that
//! hold them in the generated crate.

use proc_macro2::TokenStream;
use quote::quote;

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

/// Whether `pattern` can be checked, and if not, why.
pub fn pattern_support(pattern: &str) -> PatternSupport {
    // The same whole-value form as the runtime's `Pattern::compile`.
    match regex::RegexBuilder::new(&format!("^(?:{pattern})$")).size_limit(PATTERN_SIZE_LIMIT).build() {
        Err(e) => PatternSupport::Unsupported(e.to_string().lines().last().unwrap_or_default().trim().to_string()),
        Ok(_) if MATCH_ANYTHING.contains(&pattern) => PatternSupport::Vacuous,
        Ok(_) => PatternSupport::Checked,
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
