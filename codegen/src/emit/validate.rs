//! Emits `Validate` for shapes that are sent: required members always, the model's
//! constraints (length, pattern, range, list and map sizes) when the report asks for them.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::context::Context;
use crate::ir::{Length, Number, Range, ShapeKind, Structure};
use crate::naming::ident;

fn option_u64(bound: Option<u64>) -> TokenStream {
    match bound {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

/// An integer literal; a negative one is a negated literal, as Rust spells it.
fn int_literal(i: i64) -> TokenStream {
    let magnitude = Literal::u64_unsuffixed(i.unsigned_abs());
    if i < 0 { quote!(-#magnitude) } else { quote!(#magnitude) }
}

/// A float literal, negated like [`int_literal`].
fn float_literal(f: f64) -> TokenStream {
    let magnitude = Literal::f64_unsuffixed(f.abs());
    if f < 0.0 { quote!(-#magnitude) } else { quote!(#magnitude) }
}

fn string_length_check(length: &Length, value: TokenStream) -> Option<TokenStream> {
    if length.min.is_none() && length.max.is_none() {
        return None;
    }
    let (min, max) = (option_u64(length.min), option_u64(length.max));
    Some(quote!(report.string_length(&path, #value, #min, #max);))
}

fn length_check(length: &Length, measured: TokenStream) -> Option<TokenStream> {
    if length.min.is_none() && length.max.is_none() {
        return None;
    }
    let (min, max) = (option_u64(length.min), option_u64(length.max));
    Some(quote!(report.length(&path, #measured, #min, #max);))
}

fn range_check(range: &Range, value: TokenStream, float: bool) -> Option<TokenStream> {
    if range.min.is_none() && range.max.is_none() {
        return None;
    }
    let bound = |n: Option<Number>| match (n, float) {
        (None, _) => quote!(None),
        (Some(Number::Int(i)), false) => {
            let i = int_literal(i);
            quote!(Some(#i))
        }
        (Some(Number::Int(i)), true) => {
            let f = float_literal(i as f64);
            quote!(Some(#f))
        }
        (Some(Number::Float(f)), true) => {
            let f = float_literal(f);
            quote!(Some(#f))
        }
        // A fractional bound on an integer: truncation keeps the same integers inside.
        (Some(Number::Float(f)), false) => {
            let i = int_literal(f as i64);
            quote!(Some(#i))
        }
    };
    let (min, max) = (bound(range.min), bound(range.max));
    Some(if float {
        quote!(report.range_float(&path, #value, #min, #max);)
    } else {
        quote!(report.range(&path, #value, #min, #max);)
    })
}

/// Statements checking `value` (a reference to a value of `target`) at `path`; empty when the
/// shape has nothing to check.
pub fn check_stmts(cx: &Context, target: &str, value: TokenStream) -> TokenStream {
    let runtime = cx.runtime();
    let shape = cx.shape(target);
    match &shape.kind {
        ShapeKind::String(s) => {
            if s.enum_values.is_some() {
                // Enum values may be newer than the model; no constraint applies to them.
                return TokenStream::new();
            }
            let mut checks = Vec::new();
            checks.extend(string_length_check(&s.length, value.clone()));
            if cx.patterns.get(target) == Some(&super::PatternSupport::Checked) {
                let pattern = ident(&pattern_static(target));
                let root = &cx.root;
                checks.push(quote!(report.pattern(&path, #value, &#root::patterns::#pattern);));
            }
            constraints_only(checks)
        }
        ShapeKind::Integer(i) if i.enum_values.is_none() => {
            constraints_only(range_check(&i.range, quote!(i64::from(*#value)), false).into_iter().collect())
        }
        ShapeKind::Long(range) => constraints_only(range_check(range, quote!(*#value), false).into_iter().collect()),
        ShapeKind::Float(range) => {
            constraints_only(range_check(range, quote!(f64::from(*#value)), true).into_iter().collect())
        }
        ShapeKind::Double(range) => constraints_only(range_check(range, quote!(*#value), true).into_iter().collect()),
        ShapeKind::Blob(length) => {
            constraints_only(length_check(length, quote!(#value.as_ref().len())).into_iter().collect())
        }
        ShapeKind::List(list) => {
            let size = constraints_only(length_check(&list.length, quote!(#value.len())).into_iter().collect());
            let inner = check_stmts(cx, &list.member, quote!(value));
            let elements = if inner.is_empty() {
                inner
            } else if list.sparse {
                quote! {
                    for (index, value) in #value.iter().enumerate() {
                        if let Some(value) = value {
                            let path = path.index(index);
                            #inner
                        }
                    }
                }
            } else {
                quote! {
                    for (index, value) in #value.iter().enumerate() {
                        let path = path.index(index);
                        #inner
                    }
                }
            };
            quote!(#size #elements)
        }
        ShapeKind::Map(map) => {
            let size = constraints_only(length_check(&map.length, quote!(#value.len())).into_iter().collect());
            let key_checks = check_stmts(cx, &map.key, quote!(key_text));
            let value_checks = check_stmts(cx, &map.value, quote!(value));
            let value_checks = if map.sparse && !value_checks.is_empty() {
                quote!(if let Some(value) = value { #value_checks })
            } else {
                value_checks
            };
            if key_checks.is_empty() && value_checks.is_empty() {
                return size;
            }
            let entries = if value_checks.is_empty() {
                quote!(for key in #value.keys())
            } else {
                quote!(for (key, value) in #value)
            };
            quote! {
                #size
                #entries {
                    let key_text = #runtime::json::MapKey::as_key(key);
                    let path = path.key(key_text);
                    #key_checks
                    #value_checks
                }
            }
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            quote!(#runtime::validate::Validate::validate_into(#value, &path, report);)
        }
        _ => TokenStream::new(),
    }
}

/// Constraint checks need no guard: the report skips them unless it checks constraints.
fn constraints_only(checks: Vec<TokenStream>) -> TokenStream {
    quote!(#(#checks)*)
}

/// The name of the static holding a string shape's pattern.
pub fn pattern_static(shape: &str) -> String {
    format!("{}_PATTERN", heck::ToShoutySnakeCase::to_shouty_snake_case(shape))
}

/// `Validate` for a structure.
pub fn structure_validate(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let type_name = ident(cx.names.type_name(shape));
    let runtime = cx.runtime();
    let members: Vec<TokenStream> = structure
        .members
        .iter()
        .filter_map(|member| {
            let field = ident(cx.names.field(shape, &member.name));
            let key = &member.name;
            let checks = check_stmts(cx, &member.target, quote!(value));
            let body = match (member.required, checks.is_empty()) {
                (false, true) => return None,
                (false, false) => quote!(if let Some(value) = &self.#field { #checks }),
                (true, true) => quote!(if self.#field.is_none() { report.missing(&path); }),
                (true, false) => quote! {
                    match &self.#field {
                        Some(value) => { #checks }
                        None => report.missing(&path),
                    }
                },
            };
            Some(quote!({
                let path = path.key(#key);
                #body
            }))
        })
        .collect();
    let (path, report) =
        if members.is_empty() { (quote!(_path), quote!(_report)) } else { (quote!(path), quote!(report)) };
    quote! {
        impl #runtime::validate::Validate for #type_name {
            fn validate_into(&self, #path: &#runtime::path::Path<'_>, #report: &mut #runtime::validate::Report) {
                #(#members)*
            }
        }
    }
}

/// `Validate` for a union: the member that is set.
pub fn union_validate(cx: &Context, shape: &str, union: &Structure) -> TokenStream {
    let type_name = ident(cx.names.type_name(shape));
    let runtime = cx.runtime();
    let arms: Vec<(proc_macro2::Ident, TokenStream)> = union
        .members
        .iter()
        .filter_map(|member| {
            let variant = ident(cx.names.variant(shape, &member.name));
            let key = &member.name;
            let checks = check_stmts(cx, &member.target, quote!(value));
            (!checks.is_empty()).then(|| {
                (
                    variant,
                    quote! {
                        let path = path.key(#key);
                        #checks
                    },
                )
            })
        })
        .collect();
    let (path, report, body) = match arms.as_slice() {
        [] => (quote!(_path), quote!(_report), TokenStream::new()),
        [(variant, checks)] => (quote!(path), quote!(report), quote!(if let Self::#variant(value) = self { #checks })),
        arms => {
            let arms = arms.iter().map(|(variant, checks)| quote!(Self::#variant(value) => { #checks }));
            (quote!(path), quote!(report), quote!(match self { #(#arms)* _ => {} }))
        }
    };
    quote! {
        impl #runtime::validate::Validate for #type_name {
            fn validate_into(&self, #path: &#runtime::path::Path<'_>, #report: &mut #runtime::validate::Report) {
                #body
            }
        }
    }
}

/// `check_required` and `validate` on an operation input.
pub fn input_checks(cx: &Context, name: &str) -> TokenStream {
    let type_name = ident(cx.names.type_name(name));
    let runtime = cx.runtime();
    quote! {
        impl #type_name {
            /// Checks that every member the model requires is set, at any depth, and reports
            /// each missing one with its path. The client runs this before sending.
            pub fn check_required(&self) -> Result<(), #runtime::validate::InvalidInput> {
                #runtime::validate::check(self, #runtime::validate::Checks::Required)
            }

            /// Checks required members and every constraint of the model (lengths, patterns,
            /// ranges, list and map sizes), reporting each violation with its path. The client
            /// runs this before sending when its config turns validation on.
            pub fn validate(&self) -> Result<(), #runtime::validate::InvalidInput> {
                #runtime::validate::check(self, #runtime::validate::Checks::All)
            }
        }
    }
}
