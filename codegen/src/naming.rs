//! Every Rust name the generator emits comes from here: case conversion with heck, Rust
//! keywords, names that would shadow std or the crate's own items, and collisions after case
//! conversion. Collisions are resolved in sorted order, so the same model gives the same names.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::ir::{Model, ShapeKind};

/// Rust keywords (strict and reserved, all editions).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
    "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names a generated type must not take: the prelude and std items that generated code
/// names unqualified, and the crate's own top-level items.
const RESERVED_TYPES: &[&str] = &[
    // The runtime's errors, re-exported beside the modelled ones in `error`.
    "ErrorMetadata",
    "InvalidInput",
    "OperationError",
    "Problem",
    "ProblemKind",
    "RequestError",
    "Box",
    "Clone",
    "Client",
    "Config",
    "Debug",
    "Default",
    "Display",
    "Eq",
    "Err",
    "Error",
    "From",
    "FromStr",
    "Hash",
    "HashMap",
    "Into",
    "Itertools",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "ServiceError",
    "Some",
    "String",
    "Sync",
    "ToString",
    "Type",
    "Vec",
];

/// Method names a member-derived setter must not take: inherent methods would shadow these
/// trait methods (`x.clone()` calling a setter), or clash with generated methods.
const RESERVED_METHODS: &[&str] = &[
    "as_ref",
    "borrow",
    "check_required",
    "clone",
    "default",
    "eq",
    "fmt",
    "from",
    "hash",
    "into",
    "ne",
    "new",
    "send",
    "to_owned",
    "to_string",
    "type_id",
    "validate",
];

/// Turns a name that may be spelled `r#name` into an identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A snake_case identifier for a member, function or module: keywords become raw identifiers
/// where Rust allows it and take a `_` suffix where it does not.
pub fn snake(name: &str) -> String {
    let snake = name.to_snake_case();
    let snake = if snake.is_empty() { "value".to_string() } else { snake };
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) { format!("n{snake}") } else { snake };
    escape_keyword(snake)
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The plain text of a possibly raw identifier (`r#type` → `type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// An UpperCamelCase name for a type or variant: never empty, never starting with a digit.
fn upper_camel(name: &str) -> String {
    let camel = name.to_upper_camel_case();
    if camel.is_empty() {
        String::new()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    }
}

/// Gives `candidate` a numeric suffix until `taken` does not hold it, then takes it.
fn claim(taken: &mut HashSet<String>, candidate: String) -> String {
    if taken.insert(candidate.clone()) {
        return candidate;
    }
    (2..)
        .map(|n| format!("{candidate}{n}"))
        .find(|name| taken.insert(name.clone()))
        .expect("an unbounded range always finds a free name")
}

/// Names of the generated items for one model.
#[derive(Debug, Default)]
pub struct Names {
    types: BTreeMap<String, String>,
    modules: BTreeMap<String, String>,
    fields: BTreeMap<(String, String), String>,
    variants: BTreeMap<(String, String), String>,
}

impl Names {
    /// Names every shape in `shapes` (those that become Rust types, and the members and enum
    /// values of those) and reserves the names the operations' modules use.
    pub fn new(model: &Model, shapes: &BTreeSet<String>, operations: &[String]) -> Names {
        let mut names = Names::default();
        let mut taken_types: HashSet<String> = RESERVED_TYPES.iter().map(|s| s.to_string()).collect();
        for operation in operations {
            let base = upper_camel(operation);
            for suffix in ["Error", "FluentBuilder"] {
                taken_types.insert(format!("{base}{suffix}"));
            }
        }
        let mut taken_modules: HashSet<String> =
            ["error", "operation", "primitives", "runtime", "types", "client", "config", "service_error"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let inputs: HashSet<&str> = model.operations.values().filter_map(|op| op.input.as_deref()).collect();
        for name in shapes {
            let shape = model.shape(name);
            if !generates_type(&shape.kind) {
                continue;
            }
            let camel = upper_camel(name);
            let camel = if camel.is_empty() { "Shape".to_string() } else { camel };
            let camel = if RESERVED_TYPES.contains(&camel.as_str()) { format!("{camel}Value") } else { camel };
            let type_name = claim(&mut taken_types, camel);
            let module = claim(&mut taken_modules, snake(&type_name));
            names.types.insert(name.clone(), type_name);
            names.modules.insert(name.clone(), module);

            match &shape.kind {
                ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                    let mut taken: HashSet<String> = HashSet::new();
                    let mut methods: HashSet<String> = RESERVED_METHODS.iter().map(|s| s.to_string()).collect();
                    if inputs.contains(name.as_str()) {
                        // An input's setters are also the fluent builder's, beside its own methods.
                        methods.extend(["input", "with_input", "prepare_request"].map(String::from));
                    }
                    if matches!(&shape.kind, ShapeKind::Structure(s) if s.exception.is_some()) {
                        // Exceptions carry a field and a method of their own.
                        taken.insert("error_metadata".to_string());
                        methods.extend(["error_metadata", "error_message", "set_error_metadata"].map(String::from));
                    }
                    for member in &s.members {
                        let mut field = snake(&member.name);
                        // The setter pair must not clash with another member's or a trait's.
                        while methods.contains(unraw(&field)) || methods.contains(&format!("set_{}", unraw(&field))) {
                            field = format!("{}_value", unraw(&field));
                        }
                        let field = claim(&mut taken, field);
                        methods.insert(unraw(&field).to_string());
                        methods.insert(format!("set_{}", unraw(&field)));
                        names.fields.insert((name.clone(), member.name.clone()), field);
                    }
                    if matches!(shape.kind, ShapeKind::Union(_)) {
                        let mut taken: HashSet<String> = ["Unknown".to_string()].into();
                        for member in &s.members {
                            let variant = upper_camel(&member.name);
                            let variant = claim(&mut taken, variant_fallback(variant));
                            names.variants.insert((name.clone(), member.name.clone()), variant);
                        }
                    }
                }
                ShapeKind::String(s) => {
                    let mut taken: HashSet<String> = ["Unknown".to_string()].into();
                    for value in s.enum_values.iter().flatten() {
                        let variant = upper_camel(&value.value);
                        let variant = match variant.as_str() {
                            "Unknown" | "Self" => format!("{variant}Value"),
                            _ => variant_fallback(variant),
                        };
                        let variant = claim(&mut taken, variant);
                        names.variants.insert((name.clone(), value.value.clone()), variant);
                    }
                }
                ShapeKind::Integer(i) => {
                    let mut taken: HashSet<String> = ["Unknown".to_string()].into();
                    for (value_name, _) in i.enum_values.iter().flatten() {
                        let variant = claim(&mut taken, variant_fallback(upper_camel(value_name)));
                        names.variants.insert((name.clone(), value_name.clone()), variant);
                    }
                }
                _ => {}
            }
        }
        names
    }

    /// The Rust type name of a shape that generates a type.
    pub fn type_name(&self, shape: &str) -> &str {
        &self.types[shape]
    }

    /// The module (and file stem) of a shape that generates a type.
    pub fn module(&self, shape: &str) -> &str {
        &self.modules[shape]
    }

    /// The field name of a member (may be a raw identifier such as `r#type`).
    pub fn field(&self, shape: &str, member: &str) -> &str {
        &self.fields[&(shape.to_string(), member.to_string())]
    }

    /// The variant name of an enum value, intEnum value name or union member.
    pub fn variant(&self, shape: &str, value: &str) -> &str {
        &self.variants[&(shape.to_string(), value.to_string())]
    }
}

fn variant_fallback(variant: String) -> String {
    if variant.is_empty() { "Empty".to_string() } else { variant }
}

/// Whether a shape of this kind becomes a Rust type of its own (the others map to std types).
pub fn generates_type(kind: &ShapeKind) -> bool {
    match kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => true,
        ShapeKind::String(s) => s.enum_values.is_some(),
        ShapeKind::Integer(i) => i.enum_values.is_some(),
        _ => false,
    }
}

/// The module of an operation (`CreateModelPackage` → `create_model_package`).
pub fn operation_module(operation: &str) -> String {
    snake(operation)
}

/// The client method of an operation: the module name, escaped for the client's own methods.
pub fn operation_method(operation: &str) -> String {
    let method = snake(operation);
    if ["config", "new", "clone", "from_config", "with_config", "fmt"].contains(&unraw(&method)) {
        format!("{}_operation", unraw(&method))
    } else {
        method
    }
}

/// The UpperCamelCase base of the names of an operation's items (`{base}Error`, ...).
pub fn operation_type_base(operation: &str) -> String {
    upper_camel(operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_identifiers_or_take_a_suffix() {
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("Match"), "r#match");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("Crate"), "crate_");
        assert_eq!(snake("ModelPackageARN"), "model_package_arn");
        assert_eq!(snake("3Prefix"), "n3prefix");
    }

    #[test]
    fn raw_names_become_raw_identifiers() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("image").to_string(), "image");
    }

    #[test]
    fn enum_values_become_variants() {
        assert_eq!(upper_camel("ml.p4d.24xlarge"), "MlP4d24xlarge");
        assert_eq!(upper_camel("24xlarge"), "V24xlarge");
        assert_eq!(upper_camel("PendingManualApproval"), "PendingManualApproval");
    }
}
