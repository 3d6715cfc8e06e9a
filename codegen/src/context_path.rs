//! The paths of `operationContextParams`, compiled at generation time into Rust over the typed
//! input. The Smithy rules engine allows a subset of JMESPath there: identifiers and
//! sub-expressions (`A.B`), wildcard projections (`A[*].B`), flatten (`A[]`), multi-select
//! lists (`A[*].[B.C, D.E][]`) and `keys(A)`; the result must be a string or a list of strings.
//! Every path of botocore 1.44.5 (DynamoDB's five) is in it; anything else is an error at
//! generation time naming the text it stopped at.
//!
//! A path without projections, multi-selects or `keys()` that ends at a string gives a string
//! parameter (unset when a member on the way is); any other gives a list of strings: the
//! projection's non-null leaves in order, flattened as a trailing `[]` flattens them. Where
//! nothing is there the list is empty, where botocore's `jmespath.search` gives null for a
//! missing list (an unset parameter): the rule sets read only its elements, which neither has.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Model, ShapeKind};

/// A parsed path.
#[derive(Clone, Debug, PartialEq)]
pub enum PathExpr {
    /// A path from the input.
    Path(Vec<Step>),
    /// `keys(path)`: the keys of the map the path ends at.
    Keys(Vec<Step>),
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// A member.
    Field(String),
    /// `[*]` or `[]`: what follows applies to every element of the list.
    Project,
    /// `[a.b, c]`: each path from the current value, in order.
    MultiSelect(Vec<Vec<Step>>),
}

/// Parses `text`; the error says where it stopped.
pub fn parse(text: &str) -> Result<PathExpr, String> {
    let mut parser = Parser { text, pos: 0 };
    let expr = if parser.eat("keys(") {
        let path = parser.path()?;
        if !parser.eat(")") {
            return Err(parser.unsupported());
        }
        PathExpr::Keys(path)
    } else {
        PathExpr::Path(parser.path()?)
    };
    parser.skip_space();
    if parser.pos < text.len() {
        return Err(parser.unsupported());
    }
    let steps = match &expr {
        PathExpr::Path(steps) | PathExpr::Keys(steps) => steps,
    };
    // A multi-select gives a list per element; only a flatten right after it and at the end
    // turns that into the list of strings a parameter can take.
    if let Some(at) = steps.iter().position(|s| matches!(s, Step::MultiSelect(_)))
        && (matches!(expr, PathExpr::Keys(_)) || steps.len() != at + 2 || steps[at + 1] != Step::Project)
    {
        return Err(format!("`{text}`: a multi-select list must end the path, followed by `[]`"));
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn unsupported(&self) -> String {
        format!(
            "the path `{}` is not supported at `{}` (identifiers, `.`, `[*]`, `[]`, multi-select lists, keys() only)",
            self.text,
            self.rest()
        )
    }

    fn identifier(&mut self) -> Option<String> {
        self.skip_space();
        let length = self.rest().bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let first = self.rest().bytes().next()?;
        if length == 0 || first.is_ascii_digit() {
            return None;
        }
        let name = self.rest()[..length].to_string();
        self.pos += length;
        Some(name)
    }

    /// A path: an identifier, then `.identifier`, `.[multi-select]`, `[*]` and `[]` steps.
    fn path(&mut self) -> Result<Vec<Step>, String> {
        let mut steps = vec![Step::Field(self.identifier().ok_or_else(|| self.unsupported())?)];
        loop {
            if self.eat("[*]") || self.eat("[]") {
                steps.push(Step::Project);
            } else if self.eat(".") {
                if self.eat("[") {
                    let mut paths = vec![self.path()?];
                    while self.eat(",") {
                        paths.push(self.path()?);
                    }
                    if !self.eat("]") {
                        return Err(self.unsupported());
                    }
                    steps.push(Step::MultiSelect(paths));
                } else {
                    steps.push(Step::Field(self.identifier().ok_or_else(|| self.unsupported())?));
                }
            } else {
                return Ok(steps);
            }
        }
    }
}

/// Compiles `expr` into a Rust expression of type `Option<runtime::endpoint::ParamValue>` over
/// `input`, a `&` of the Rust type of structure `input_shape`. `field` gives the Rust field name
/// of a member (shape, member) and `boxed` whether it is boxed; `runtime` is the path of the
/// runtime module.
pub fn compile(
    model: &Model,
    field: &dyn Fn(&str, &str) -> String,
    boxed: &dyn Fn(&str, &str) -> bool,
    runtime: &TokenStream,
    input_shape: &str,
    expr: &PathExpr,
) -> Result<TokenStream, String> {
    let cx = Compiler { model, field, boxed, depth: std::cell::Cell::new(0) };
    let param_value = quote!(#runtime::endpoint::ParamValue);
    match expr {
        PathExpr::Path(steps) if !steps.iter().any(|s| !matches!(s, Step::Field(_))) => {
            if let Some(single) = cx.single(quote!(Some(input)), input_shape, steps)? {
                return Ok(quote!(#single.map(#param_value::String)));
            }
            let pushes = cx.pushes(quote!(input), input_shape, steps, false)?;
            Ok(quote!({ let mut values: Vec<String> = Vec::new(); #pushes Some(#param_value::StringArray(values)) }))
        }
        PathExpr::Path(steps) | PathExpr::Keys(steps) => {
            let keys = matches!(expr, PathExpr::Keys(_));
            let pushes = cx.pushes(quote!(input), input_shape, steps, keys)?;
            Ok(quote!({ let mut values: Vec<String> = Vec::new(); #pushes Some(#param_value::StringArray(values)) }))
        }
    }
}

struct Compiler<'a> {
    model: &'a Model,
    field: &'a dyn Fn(&str, &str) -> String,
    boxed: &'a dyn Fn(&str, &str) -> bool,
    depth: std::cell::Cell<usize>,
}

impl Compiler<'_> {
    /// The member `name` of structure `shape`: its Rust field and whether it is boxed, and its
    /// target shape.
    fn member(&self, shape: &str, name: &str) -> Result<(proc_macro2::Ident, TokenStream, String), String> {
        let Some(ShapeKind::Structure(structure)) = self.model.shapes.get(shape).map(|s| &s.kind) else {
            return Err(format!("`{shape}` is not a structure, so it has no member `{name}`"));
        };
        let member = structure
            .members
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| format!("structure `{shape}` has no member `{name}`"))?;
        let access = if (self.boxed)(shape, name) { quote!(as_deref) } else { quote!(as_ref) };
        Ok((crate::naming::ident(&(self.field)(shape, name)), access, member.target.clone()))
    }

    /// A path of fields only as an `Option<String>` expression from `current` (an
    /// `Option<&T>`), or `None` when it ends at a list (a list parameter).
    fn single(&self, current: TokenStream, shape: &str, steps: &[Step]) -> Result<Option<TokenStream>, String> {
        let Some((step, rest)) = steps.split_first() else {
            return match self.model.shapes.get(shape).map(|s| &s.kind) {
                Some(ShapeKind::List(_)) => Ok(None),
                // A plain string is cloned out; `.cloned()` is what clippy asks for.
                Some(ShapeKind::String(s)) if s.enum_values.is_none() => Ok(Some(quote!(#current.cloned()))),
                _ => {
                    let text = self.text(quote!(value), shape)?;
                    Ok(Some(quote!(#current.map(|value| #text))))
                }
            };
        };
        let Step::Field(name) = step else { return Err("a projection in a single path".to_string()) };
        let (field, access, target) = self.member(shape, name)?;
        self.single(quote!(#current.and_then(|value| value.#field.#access())), &target, rest)
    }

    /// Statements that push onto `values` the strings the path gives from `current` (a `&T`),
    /// or with `keys` the keys of the map it ends at.
    fn pushes(&self, current: TokenStream, shape: &str, steps: &[Step], keys: bool) -> Result<TokenStream, String> {
        let kind = &self.model.shapes.get(shape).ok_or_else(|| format!("no shape `{shape}`"))?.kind;
        let depth = self.depth.get();
        let next = format_ident!("value{depth}");
        let Some((step, rest)) = steps.split_first() else {
            return match kind {
                ShapeKind::Map(map) if keys => {
                    let text = self.text(quote!(key), &map.key)?;
                    Ok(quote!(for key in #current.keys() { values.push(#text); }))
                }
                _ if keys => Err(format!("keys() of `{shape}`, which is not a map")),
                ShapeKind::List(list) => {
                    let text = self.text(quote!(#next), &list.member)?;
                    let elements =
                        if list.sparse { quote!(#current.iter().flatten()) } else { quote!(#current.iter()) };
                    Ok(quote!(for #next in #elements { values.push(#text); }))
                }
                _ => {
                    let text = self.text(current, shape)?;
                    Ok(quote!(values.push(#text);))
                }
            };
        };
        self.depth.set(depth + 1);
        let result = match step {
            Step::Field(_) => {
                // The members up to the next projection, as one `Option` chain: one `if let`.
                let names: Vec<&String> = steps
                    .iter()
                    .map_while(|s| match s {
                        Step::Field(name) => Some(name),
                        _ => None,
                    })
                    .collect();
                let fields = names.len();
                let mut chain = current.clone();
                let mut target = shape.to_string();
                for (index, name) in names.into_iter().enumerate() {
                    let (field, access, next_target) = self.member(&target, name)?;
                    chain = if index == 0 {
                        quote!(#chain.#field.#access())
                    } else {
                        quote!(#chain.and_then(|value| value.#field.#access()))
                    };
                    target = next_target;
                }
                let inner = self.pushes(quote!(#next), &target, &steps[fields..], keys)?;
                Ok(quote!(if let Some(#next) = #chain { #inner }))
            }
            Step::Project => match kind {
                ShapeKind::List(list) => {
                    let inner = self.pushes(quote!(#next), &list.member, rest, keys)?;
                    let elements =
                        if list.sparse { quote!(#current.iter().flatten()) } else { quote!(#current.iter()) };
                    Ok(quote!(for #next in #elements { #inner }))
                }
                _ => Err(format!("a projection of `{shape}`, which is not a list")),
            },
            Step::MultiSelect(paths) => {
                // `parse` made sure only the `[]` that flattens it follows.
                let selected = paths
                    .iter()
                    .map(|path| self.pushes(current.clone(), shape, path, false))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(quote!(#(#selected)*))
            }
        };
        self.depth.set(depth);
        result
    }

    /// `value` (a `&T` of shape `shape`) as a `String`: a string or string enum only.
    fn text(&self, value: TokenStream, shape: &str) -> Result<TokenStream, String> {
        match self.model.shapes.get(shape).map(|s| &s.kind) {
            Some(ShapeKind::String(s)) if s.enum_values.is_some() => Ok(quote!(#value.value().to_string())),
            Some(ShapeKind::String(_)) => Ok(quote!(#value.clone())),
            _ => Err(format!("`{shape}` is not a string, which an endpoint parameter path must end at")),
        }
    }
}

/// The `ParamValue` variant and conversion of a `contextParam` member's `value` (a `&T` of
/// shape `target`): a string, a string enum, a boolean, or a list of (non-sparse) strings.
pub fn context_param_conversion(model: &Model, target: &str) -> Result<TokenStream, String> {
    let kind = &model.shapes.get(target).ok_or_else(|| format!("no shape `{target}`"))?.kind;
    let plain_string = |shape: &str| matches!(model.shapes.get(shape).map(|s| &s.kind), Some(ShapeKind::String(s)) if s.enum_values.is_none());
    Ok(match kind {
        ShapeKind::String(s) if s.enum_values.is_some() => quote!(String(value.value().to_string())),
        ShapeKind::String(_) => quote!(String(value.clone())),
        ShapeKind::Boolean => quote!(Bool(*value)),
        ShapeKind::List(list) if !list.sparse && plain_string(&list.member) => quote!(StringArray(value.clone())),
        other => return Err(format!("`{target}` is a {}, which an endpoint parameter cannot take", other.label())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Step {
        Step::Field(name.to_string())
    }

    #[test]
    fn parses_every_path_of_botocore() {
        assert_eq!(parse("keys(RequestItems)").unwrap(), PathExpr::Keys(vec![field("RequestItems")]));
        assert_eq!(
            parse("TableCreationParameters.TableName").unwrap(),
            PathExpr::Path(vec![field("TableCreationParameters"), field("TableName")])
        );
        assert_eq!(
            parse("TransactItems[*].Get.TableName").unwrap(),
            PathExpr::Path(vec![field("TransactItems"), Step::Project, field("Get"), field("TableName")])
        );
        assert_eq!(
            parse("TransactItems[*].[ConditionCheck.TableName, Put.TableName][]").unwrap(),
            PathExpr::Path(vec![
                field("TransactItems"),
                Step::Project,
                Step::MultiSelect(vec![
                    vec![field("ConditionCheck"), field("TableName")],
                    vec![field("Put"), field("TableName")]
                ]),
                Step::Project,
            ])
        );
        assert_eq!(
            parse("Delete.Objects[*].Key").unwrap(),
            PathExpr::Path(vec![field("Delete"), field("Objects"), Step::Project, field("Key")])
        );
    }

    #[test]
    fn anything_else_is_an_error_that_quotes_it() {
        for text in ["", "A.", "A[0]", "A[?b]", "length(A)", "A.[B, C]", "A.[B].C", "keys(A.[B][])", "1A", "A | B"] {
            let error = parse(text).unwrap_err();
            assert!(error.contains('`'), "{text}: {error}");
        }
    }

    /// A path made of the grammar's pieces, and its text.
    fn path_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let identifier = "[A-Za-z_][A-Za-z0-9_]{0,6}";
        let step = prop_oneof![
            identifier.prop_map(|name| format!(".{name}")),
            Just("[*]".to_string()),
            Just("[]".to_string()),
        ];
        (identifier, proptest::collection::vec(step, 0..5))
            .prop_map(|(first, steps)| format!("{first}{}", steps.concat()))
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(512),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any text parses or is refused with a message quoting it; never a panic.
        #[test]
        fn any_text_parses_or_is_quoted(text in "\\PC{0,30}") {
            if let Err(error) = parse(&text) {
                proptest::prop_assert!(error.contains(&format!("`{text}`")) || error.contains('`'), "{}", error);
            }
        }

        /// Paths of the grammar parse, the same with `keys()` around them, into as many steps as
        /// they have pieces.
        #[test]
        fn grammar_paths_parse(text in path_text()) {
            let pieces = text.matches('.').count() + text.matches('[').count() + 1;
            let Ok(PathExpr::Path(steps)) = parse(&text) else { panic!("{text} should parse") };
            proptest::prop_assert_eq!(steps.len(), pieces);
            proptest::prop_assert_eq!(parse(&format!("keys({text})")), Ok(PathExpr::Keys(steps)));
        }
    }
}
