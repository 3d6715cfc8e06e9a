//! The JMESPath of waiter acceptors, compiled at generation time into Rust over the typed
//! output: member paths (`A.B`), `[]` projections (`A[].B`), `length()`, the comparisons
//! `== != < <= > >=` against members or literals (`` `0` ``, `'text'`), `&&`, `||` and
//! parentheses. That covers every waiter of the `json` services of botocore 1.44.5 but two
//! filter expressions (`[?...]`, DynamoDB's and ECS's); anything else is an error at generation
//! time. The generated code walks the output's fields and gives the leaves as
//! `runtime::waiter::Value`s for the comparison: nothing is interpreted at run time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Model, ShapeKind};

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// Member names and `[]` projections from the output.
    Path(Vec<Step>),
    /// `length(expr)`.
    Length(Box<Expr>),
    /// A comparison.
    Compare(&'static str, Box<Expr>, Box<Expr>),
    /// `a && b`.
    And(Box<Expr>, Box<Expr>),
    /// `a || b`.
    Or(Box<Expr>, Box<Expr>),
    /// A JSON literal (`` `0` ``) or raw string (`'x'`).
    Literal(serde_json::Value),
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// A member.
    Field(String),
    /// `[]`: what follows applies to every element of the list, and the results are flattened.
    Flatten,
}

/// Parses `text`; the error says what is not supported.
pub fn parse(text: &str) -> Result<Expr, String> {
    let mut parser = Parser { text, pos: 0 };
    let expr = parser.or()?;
    parser.skip_space();
    if parser.pos < text.len() {
        return Err(parser.unsupported());
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
            "the JMESPath at `{}` is not supported (member paths, `[]`, length(), comparisons, &&, || only)",
            self.rest()
        )
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat("||") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.comparison()?;
        while self.eat("&&") {
            left = Expr::And(Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let left = self.primary()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                return Ok(Expr::Compare(op, Box::new(left), Box::new(self.primary()?)));
            }
        }
        Ok(left)
    }

    fn identifier(&mut self) -> Option<String> {
        self.skip_space();
        let len = self.rest().find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(self.rest().len());
        if len == 0 || self.rest().starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let name = self.rest()[..len].to_string();
        self.pos += len;
        Some(name)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        self.skip_space();
        if self.eat("(") {
            let inner = self.or()?;
            return if self.eat(")") { Ok(inner) } else { Err(self.unsupported()) };
        }
        if self.eat("`") {
            let end = self.rest().find('`').ok_or_else(|| self.unsupported())?;
            let value: serde_json::Value = serde_json::from_str(&self.rest()[..end]).map_err(|_| self.unsupported())?;
            self.pos += end + 1;
            return Ok(Expr::Literal(value));
        }
        if self.eat("'") {
            let end = self.rest().find('\'').ok_or_else(|| self.unsupported())?;
            let value = self.rest()[..end].to_string();
            self.pos += end + 1;
            return Ok(Expr::Literal(serde_json::Value::String(value)));
        }
        let start = self.pos;
        let Some(name) = self.identifier() else { return Err(self.unsupported()) };
        if self.eat("(") {
            if name != "length" {
                self.pos = start;
                return Err(self.unsupported());
            }
            let argument = self.or()?;
            return if self.eat(")") { Ok(Expr::Length(Box::new(argument))) } else { Err(self.unsupported()) };
        }
        let mut steps = vec![Step::Field(name)];
        loop {
            if self.rest().starts_with("[]") {
                self.pos += 2;
                steps.push(Step::Flatten);
            } else if self.rest().starts_with('.') {
                self.pos += 1;
                match self.identifier() {
                    Some(name) => steps.push(Step::Field(name)),
                    None => return Err(self.unsupported()),
                }
            } else if self.rest().starts_with('[') {
                return Err(self.unsupported());
            } else {
                return Ok(Expr::Path(steps));
            }
        }
    }
}

/// Compiles `expr` into a Rust expression of type `runtime::waiter::Value` over `output`, a
/// `&` of the Rust type of structure `output_shape`. `field` gives the Rust field name of a
/// member (shape, member) and `boxed` whether it is boxed; `runtime` is the path of the
/// runtime module.
pub fn compile(
    model: &Model,
    field: &dyn Fn(&str, &str) -> String,
    boxed: &dyn Fn(&str, &str) -> bool,
    runtime: &TokenStream,
    output_shape: &str,
    expr: &Expr,
) -> Result<TokenStream, String> {
    let cx = Compiler { model, field, boxed, runtime, depth: std::cell::Cell::new(0) };
    cx.expr(expr, output_shape)
}

struct Compiler<'a> {
    model: &'a Model,
    field: &'a dyn Fn(&str, &str) -> String,
    boxed: &'a dyn Fn(&str, &str) -> bool,
    runtime: &'a TokenStream,
    depth: std::cell::Cell<usize>,
}

impl Compiler<'_> {
    fn expr(&self, expr: &Expr, output_shape: &str) -> Result<TokenStream, String> {
        let runtime = self.runtime;
        Ok(match expr {
            Expr::Path(steps) => self.steps(quote!(output), output_shape, steps, true)?,
            Expr::Length(inner) => {
                let inner = self.expr(inner, output_shape)?;
                quote!((#inner).length())
            }
            Expr::Compare(op, left, right) => {
                let variant = format_ident!(
                    "{}",
                    match *op {
                        "==" => "Eq",
                        "!=" => "Ne",
                        "<" => "Lt",
                        "<=" => "Le",
                        ">" => "Gt",
                        _ => "Ge",
                    }
                );
                let (left, right) = (self.expr(left, output_shape)?, self.expr(right, output_shape)?);
                quote!((#left).compare(#runtime::waiter::Comparison::#variant, &(#right)))
            }
            Expr::And(left, right) => {
                let (left, right) = (self.expr(left, output_shape)?, self.expr(right, output_shape)?);
                quote!({ let left = #left; if left.is_truthy() { #right } else { left } })
            }
            Expr::Or(left, right) => {
                let (left, right) = (self.expr(left, output_shape)?, self.expr(right, output_shape)?);
                quote!({ let left = #left; if left.is_truthy() { left } else { #right } })
            }
            Expr::Literal(value) => literal(runtime, value)?,
        })
    }

    /// `current` is an `Option<&T>` of shape `shape`, or a `&T` at the `root`.
    fn steps(&self, current: TokenStream, shape: &str, steps: &[Step], root: bool) -> Result<TokenStream, String> {
        let runtime = self.runtime;
        let Some((step, rest)) = steps.split_first() else {
            return if root { Err("an empty path".to_string()) } else { self.value(current, shape) };
        };
        match step {
            Step::Field(name) => {
                let Some(ShapeKind::Structure(structure)) = self.model.shapes.get(shape).map(|s| &s.kind) else {
                    return Err(format!("`{shape}` is not a structure, so it has no member `{name}`"));
                };
                let member = structure
                    .members
                    .iter()
                    .find(|m| &m.name == name)
                    .ok_or_else(|| format!("structure `{shape}` has no member `{name}`"))?;
                let field = crate::naming::ident(&(self.field)(shape, name));
                // A boxed member derefs to its value.
                let access = if (self.boxed)(shape, name) { quote!(as_deref) } else { quote!(as_ref) };
                let next = if root {
                    quote!(#current.#field.#access())
                } else {
                    quote!(#current.and_then(|value| value.#field.#access()))
                };
                self.steps(next, &member.target, rest, false)
            }
            Step::Flatten => {
                let Some(ShapeKind::List(list)) = self.model.shapes.get(shape).map(|s| &s.kind).filter(|_| !root)
                else {
                    return Err(format!("`[]` of `{shape}`, which is not a list"));
                };
                let depth = self.depth.get();
                self.depth.set(depth + 1);
                let element = format_ident!("element{depth}");
                let inner = self.steps(quote!(Some(#element)), &list.member, rest, false)?;
                self.depth.set(depth);
                let elements = if list.sparse { quote!(list.iter().flatten()) } else { quote!(list.iter()) };
                // A later `[]` flattens into this projection, as JMESPath's does.
                let flatten = if rest.contains(&Step::Flatten) {
                    quote!(.flat_map(|value| match value { #runtime::waiter::Value::List(values) => values, value => vec![value] }))
                } else {
                    quote!()
                };
                Ok(quote! {
                    #runtime::waiter::Value::List(
                        #current.into_iter().flat_map(|list| #elements).map(|#element| #inner)
                            #flatten
                            .filter(|value| *value != #runtime::waiter::Value::Null)
                            .collect()
                    )
                })
            }
        }
    }

    /// The `Value` of `current`, an `Option<&T>` of shape `shape`.
    fn value(&self, current: TokenStream, shape: &str) -> Result<TokenStream, String> {
        let runtime = self.runtime;
        let value = quote!(#runtime::waiter::Value);
        let kind = &self.model.shapes.get(shape).ok_or_else(|| format!("no shape `{shape}`"))?.kind;
        let leaf = match kind {
            ShapeKind::String(s) if s.enum_values.is_some() => quote!(#value::String(value.value())),
            ShapeKind::String(_) => quote!(#value::String(value.as_str())),
            ShapeKind::Integer(i) if i.enum_values.is_some() => {
                return Err(format!("`{shape}` is an intEnum, which a waiter cannot compare"));
            }
            ShapeKind::Integer(_) | ShapeKind::Float(_) => quote!(#value::Number(f64::from(*value))),
            // JMESPath numbers are doubles: a long past 2^53 compares rounded.
            ShapeKind::Long(_) => quote!(#value::Number(*value as f64)),
            ShapeKind::Double(_) => quote!(#value::Number(*value)),
            ShapeKind::Boolean => quote!(#value::Bool(*value)),
            ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Document => {
                return Ok(quote!(#current.map_or(#value::Null, |_| #value::Object(true))));
            }
            ShapeKind::Map(_) => quote!(#value::Object(!value.is_empty())),
            ShapeKind::List(list) => {
                let depth = self.depth.get();
                self.depth.set(depth + 1);
                let element = format_ident!("element{depth}");
                let inner = self.value(quote!(Some(#element)), &list.member)?;
                self.depth.set(depth);
                let elements = if list.sparse { quote!(value.iter().flatten()) } else { quote!(value.iter()) };
                quote!(#value::List(#elements.map(|#element| #inner).collect()))
            }
            ShapeKind::Timestamp(_) | ShapeKind::Blob(_) => {
                return Err(format!("`{shape}` is a {}, which a waiter cannot compare", kind.label()));
            }
        };
        Ok(quote!(#current.map_or(#value::Null, |value| #leaf)))
    }
}

/// A literal as a `Value`.
pub fn literal(runtime: &TokenStream, value: &serde_json::Value) -> Result<TokenStream, String> {
    Ok(match value {
        serde_json::Value::Null => quote!(#runtime::waiter::Value::Null),
        serde_json::Value::Bool(b) => quote!(#runtime::waiter::Value::Bool(#b)),
        serde_json::Value::Number(n) => {
            let n = n.as_f64().unwrap_or_default();
            quote!(#runtime::waiter::Value::Number(#n))
        }
        serde_json::Value::String(s) => quote!(#runtime::waiter::Value::String(#s)),
        other => return Err(format!("the literal `{other}` is not supported (null, booleans, numbers, strings)")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Step {
        Step::Field(name.to_string())
    }

    #[test]
    fn parses_the_subset() {
        assert_eq!(parse("Table.TableStatus").unwrap(), Expr::Path(vec![field("Table"), field("TableStatus")]));
        assert_eq!(
            parse("Reservations[].Instances[].State.Name").unwrap(),
            Expr::Path(vec![
                field("Reservations"),
                Step::Flatten,
                field("Instances"),
                Step::Flatten,
                field("State"),
                field("Name")
            ])
        );
        let length = Expr::Length(Box::new(Expr::Path(vec![field("A")])));
        assert_eq!(
            parse("length(A) > `0` && B == 'x' || C").unwrap(),
            Expr::Or(
                Box::new(Expr::And(
                    Box::new(Expr::Compare(">", Box::new(length), Box::new(Expr::Literal(serde_json::json!(0))))),
                    Box::new(Expr::Compare(
                        "==",
                        Box::new(Expr::Path(vec![field("B")])),
                        Box::new(Expr::Literal(serde_json::json!("x")))
                    )),
                )),
                Box::new(Expr::Path(vec![field("C")])),
            )
        );
        assert_eq!(parse("(A)").unwrap(), Expr::Path(vec![field("A")]));
    }

    #[test]
    fn anything_else_is_an_error_that_quotes_it() {
        for (text, at) in [
            ("A[?B == 'x']", "[?B == 'x']"),
            ("A[0]", "[0]"),
            ("A[-1].B", "[-1].B"),
            ("contains(A, 'x')", "contains(A, 'x')"),
            ("!A", "!A"),
            ("A | B", "| B"),
            ("A.*", "*"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(&format!("at `{at}`")), "{text}: {error}");
            assert!(error.contains("not supported"), "{text}: {error}");
        }
    }
}
