//! The rule set: its typed model (parameters, rules, conditions, expressions, templates and the
//! calls of standard library functions) and its parsing from `endpoint-rule-set-1.json`, which
//! checks every name a rule refers to and the arity of every call.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::{EndpointError, Parameter, child, invalid};

/// The name of the rule set document in errors.
pub(super) const RULE_SET: &str = "rule set";

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl Kind {
    /// The type's name in messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Boolean => "boolean",
            Kind::StringArray => "string array",
        }
    }
}

/// A value during evaluation. "Unset" is `None` around it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer (the indices of `substring`).
    Int(i64),
    /// An array, e.g. a `stringArray` parameter or an ARN's `resourceId`.
    Array(Vec<Value>),
    /// A record, e.g. a partition or a parsed URL.
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// The value for a JSON literal; `None` for `null` and numbers that are not integers.
    pub(super) fn from_json(json: &Json) -> Option<Value> {
        match json {
            Json::Null => None,
            Json::Bool(b) => Some(Value::Bool(*b)),
            Json::Number(n) => n.as_i64().map(Value::Int),
            Json::String(s) => Some(Value::String(s.clone())),
            Json::Array(items) => Some(Value::Array(items.iter().filter_map(Value::from_json).collect())),
            Json::Object(fields) => Some(Value::Object(
                fields.iter().filter_map(|(k, v)| Value::from_json(v).map(|v| (k.clone(), v))).collect(),
            )),
        }
    }

    /// The kind of value, for messages.
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Array(_) => "an array",
            Value::Object(_) => "a record",
        }
    }
}

/// One rule, with where it is in the rule set.
#[derive(Clone, Debug)]
pub(super) struct Rule {
    /// The rule's JSON path, for evaluation errors.
    pub(super) place: String,
    /// All must hold for the rule to apply.
    pub(super) conditions: Vec<Condition>,
    /// What the rule gives when it applies.
    pub(super) kind: RuleKind,
}

/// What a rule gives.
#[derive(Clone, Debug)]
pub(super) enum RuleKind {
    /// An endpoint.
    Endpoint(EndpointTemplate),
    /// An error with this message.
    Error(Expr),
    /// The first of these rules that applies (none: the next sibling is tried).
    Tree(Vec<Rule>),
}

/// An `endpoint` rule's result, before evaluation.
#[derive(Clone, Debug)]
pub(super) struct EndpointTemplate {
    /// The URL.
    pub(super) url: Expr,
    /// Literal properties, whose strings are templates.
    pub(super) properties: Vec<(String, Literal)>,
    /// Header name → value expressions.
    pub(super) headers: Vec<(String, Vec<Expr>)>,
}

/// A condition: a function call, its result optionally bound to a name.
#[derive(Clone, Debug)]
pub(super) struct Condition {
    /// The call.
    pub(super) call: Call,
    /// Whether the result is bound (to the next slot of the scope).
    pub(super) assigns: bool,
}

/// An expression: a literal, a template, a reference or a call.
#[derive(Clone, Debug)]
pub(super) enum Expr {
    /// A boolean or integer literal.
    Literal(Value),
    /// A string, with `{Name}` and `{Name#path}` references.
    Template(Template),
    /// `{"ref": "Name"}`: the value in scope slot `slot`.
    Ref {
        /// The slot in the scope (parameters first, then bound names in binding order).
        slot: usize,
    },
    /// `{"fn": .., "argv": [..]}`.
    Call(Box<Call>),
    /// An array of expressions.
    Array(Vec<Expr>),
}

/// A string template.
#[derive(Clone, Debug)]
pub(super) struct Template {
    /// Text and references, in order.
    pub(super) parts: Vec<Part>,
}

/// A piece of a [`Template`].
#[derive(Clone, Debug)]
pub(super) enum Part {
    /// Literal text.
    Text(String),
    /// `{Name}` or `{Name#path}`.
    Ref {
        /// The reference as written, for messages.
        written: String,
        /// The slot of `Name`.
        slot: usize,
        /// The `getAttr` path after `#` (empty for none).
        path: Vec<Step>,
    },
}

/// A step of a `getAttr` path: `name` or `[index]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// A field of a record.
    Field(String),
    /// An element of an array.
    Index(usize),
}

/// A property value: JSON whose strings are templates.
#[derive(Clone, Debug)]
pub(super) enum Literal {
    /// `null`, a boolean or a number: copied as is.
    Json(Json),
    /// A string template.
    Template(Template),
    /// An array.
    Array(Vec<Literal>),
    /// An object.
    Object(Vec<(String, Literal)>),
}

/// A call of a standard library function, with its arguments.
#[derive(Clone, Debug)]
pub(super) enum Call {
    /// `isSet(value)`: whether the value is set.
    IsSet(Expr),
    /// `not(bool)`.
    Not(Expr),
    /// `getAttr(value, "path")`.
    GetAttr(Expr, Vec<Step>),
    /// `booleanEquals(a, b)`.
    BooleanEquals(Expr, Expr),
    /// `stringEquals(a, b)`.
    StringEquals(Expr, Expr),
    /// `substring(input, start, stop, reverse)`.
    Substring(Expr, Expr, Expr, Expr),
    /// `uriEncode(value)`.
    UriEncode(Expr),
    /// `parseURL(value)`.
    ParseUrl(Expr),
    /// `isValidHostLabel(value, allowSubDomains)`.
    IsValidHostLabel(Expr, Expr),
    /// `aws.partition(region)`.
    Partition(Expr),
    /// `aws.parseArn(value)`.
    ParseArn(Expr),
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
    IsVirtualHostableS3Bucket(Expr, Expr),
}

impl Call {
    /// The function's name in the rule set.
    pub(super) fn name(&self) -> &'static str {
        match self {
            Call::IsSet(_) => "isSet",
            Call::Not(_) => "not",
            Call::GetAttr(..) => "getAttr",
            Call::BooleanEquals(..) => "booleanEquals",
            Call::StringEquals(..) => "stringEquals",
            Call::Substring(..) => "substring",
            Call::UriEncode(_) => "uriEncode",
            Call::ParseUrl(_) => "parseURL",
            Call::IsValidHostLabel(..) => "isValidHostLabel",
            Call::Partition(_) => "aws.partition",
            Call::ParseArn(_) => "aws.parseArn",
            Call::IsVirtualHostableS3Bucket(..) => "aws.isVirtualHostableS3Bucket",
        }
    }
}

/// Parses a rule set into its parameters and rules.
pub(super) fn parse_rule_set(json: &Json) -> Result<(Vec<Parameter>, Vec<Rule>), EndpointError> {
    let version = json.get("version").and_then(Json::as_str).unwrap_or_default();
    if !(version == "1" || version.starts_with("1.")) {
        return Err(invalid(RULE_SET, "version", format!("expected version 1.x, found {:?}", json.get("version"))));
    }
    let declared = match json.get("parameters") {
        Some(Json::Object(parameters)) => parameters,
        _ => return Err(invalid(RULE_SET, "parameters", "expected an object")),
    };
    let mut parameters = Vec::with_capacity(declared.len());
    for (name, spec) in declared {
        parameters.push(parse_parameter(name, spec)?);
    }
    let mut parser = RuleParser { scope: parameters.iter().map(|p| p.name.clone()).collect() };
    let rules = parser.rules(json.get("rules"), "rules")?;
    Ok((parameters, rules))
}

/// Parses one parameter declaration.
pub(super) fn parse_parameter(name: &str, spec: &Json) -> Result<Parameter, EndpointError> {
    let place = format!("parameters.{name}");
    if !spec.is_object() {
        return Err(invalid(RULE_SET, &place, "expected an object"));
    }
    let kind = match spec.get("type").and_then(Json::as_str).map(str::to_ascii_lowercase).as_deref() {
        Some("string") => Kind::String,
        Some("boolean") => Kind::Boolean,
        Some("stringarray") => Kind::StringArray,
        _ => {
            return Err(invalid(RULE_SET, &child(&place, "type"), "expected `string`, `boolean` or `stringArray`"));
        }
    };
    let text = |key: &str| -> Result<Option<String>, EndpointError> {
        match spec.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(RULE_SET, &child(&place, key), "expected a string")),
        }
    };
    let built_in = text("builtIn")?;
    let documentation = text("documentation")?;
    let required = match spec.get("required") {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(_) => return Err(invalid(RULE_SET, &child(&place, "required"), "expected a boolean")),
    };
    let default = match (kind, spec.get("default")) {
        (_, None | Some(Json::Null)) => None,
        (Kind::String, Some(Json::String(s))) => Some(Value::String(s.clone())),
        (Kind::Boolean, Some(Json::Bool(b))) => Some(Value::Bool(*b)),
        (Kind::StringArray, Some(Json::Array(items))) if items.iter().all(Json::is_string) => {
            Some(Value::Array(items.iter().filter_map(Value::from_json).collect()))
        }
        (_, Some(_)) => {
            return Err(invalid(RULE_SET, &child(&place, "default"), format!("expected a {}", kind.name())));
        }
    };
    Ok(Parameter { name: name.to_owned(), kind, built_in, required, default, documentation })
}

/// Parses rules, tracking the names in scope so every reference can be checked and turned
/// into a slot.
pub(super) struct RuleParser {
    /// Names in scope: the parameters, then the names bound by enclosing conditions.
    pub(super) scope: Vec<String>,
}

impl RuleParser {
    /// Parses an array of rules at `place`.
    fn rules(&mut self, json: Option<&Json>, place: &str) -> Result<Vec<Rule>, EndpointError> {
        let list =
            json.and_then(Json::as_array).ok_or_else(|| invalid(RULE_SET, place, "expected an array of rules"))?;
        let mut rules = Vec::with_capacity(list.len());
        for (i, rule) in list.iter().enumerate() {
            let mark = self.scope.len();
            let parsed = self.rule(rule, &format!("{place}[{i}]"));
            self.scope.truncate(mark);
            rules.push(parsed?);
        }
        Ok(rules)
    }

    /// Parses one rule; the names its conditions bind stay in scope (the caller drops them).
    fn rule(&mut self, json: &Json, place: &str) -> Result<Rule, EndpointError> {
        if !json.is_object() {
            return Err(invalid(RULE_SET, place, "expected a rule object"));
        }
        let conditions_place = child(place, "conditions");
        let listed = match json.get("conditions") {
            None => &[][..],
            Some(Json::Array(list)) => &list[..],
            Some(_) => return Err(invalid(RULE_SET, &conditions_place, "expected an array")),
        };
        let mut conditions = Vec::with_capacity(listed.len());
        for (i, condition) in listed.iter().enumerate() {
            let place = format!("{conditions_place}[{i}]");
            let call = self.call(condition, &place)?;
            let assigns = match condition.get("assign") {
                None | Some(Json::Null) => false,
                Some(Json::String(name)) => {
                    if self.scope.contains(name) {
                        return Err(invalid(
                            RULE_SET,
                            &child(&place, "assign"),
                            format!("`{name}` is already in scope and cannot be bound again"),
                        ));
                    }
                    self.scope.push(name.clone());
                    true
                }
                Some(_) => return Err(invalid(RULE_SET, &child(&place, "assign"), "expected a string")),
            };
            conditions.push(Condition { call, assigns });
        }
        let kind = match json.get("type").and_then(Json::as_str) {
            Some("endpoint") => RuleKind::Endpoint(self.endpoint(json.get("endpoint"), &child(place, "endpoint"))?),
            Some("error") => {
                let message =
                    json.get("error").ok_or_else(|| invalid(RULE_SET, place, "an error rule needs `error`"))?;
                RuleKind::Error(self.expr(message, &child(place, "error"))?)
            }
            Some("tree") => RuleKind::Tree(self.rules(json.get("rules"), &child(place, "rules"))?),
            _ => return Err(invalid(RULE_SET, &child(place, "type"), "expected `endpoint`, `error` or `tree`")),
        };
        Ok(Rule { place: place.to_owned(), conditions, kind })
    }

    /// Parses an endpoint rule's `endpoint`.
    fn endpoint(&mut self, json: Option<&Json>, place: &str) -> Result<EndpointTemplate, EndpointError> {
        let json = json.filter(|j| j.is_object()).ok_or_else(|| invalid(RULE_SET, place, "expected an object"))?;
        let url = json.get("url").ok_or_else(|| invalid(RULE_SET, place, "an endpoint needs `url`"))?;
        let url = self.expr(url, &child(place, "url"))?;
        let properties = match json.get("properties") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Object(fields)) => {
                let mut properties = Vec::with_capacity(fields.len());
                for (key, value) in fields {
                    properties.push((key.clone(), self.literal(value, &child(&child(place, "properties"), key))?));
                }
                properties
            }
            Some(_) => return Err(invalid(RULE_SET, &child(place, "properties"), "expected an object")),
        };
        let headers = match json.get("headers") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Object(fields)) => {
                let mut headers = Vec::with_capacity(fields.len());
                for (name, values) in fields {
                    let place = child(&child(place, "headers"), name);
                    let values = values.as_array().ok_or_else(|| invalid(RULE_SET, &place, "expected an array"))?;
                    let values = values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| self.expr(v, &format!("{place}[{i}]")))
                        .collect::<Result<Vec<_>, _>>()?;
                    headers.push((name.clone(), values));
                }
                headers
            }
            Some(_) => return Err(invalid(RULE_SET, &child(place, "headers"), "expected an object")),
        };
        Ok(EndpointTemplate { url, properties, headers })
    }

    /// Parses a property value: JSON whose strings are templates.
    fn literal(&self, json: &Json, place: &str) -> Result<Literal, EndpointError> {
        Ok(match json {
            Json::String(s) => Literal::Template(self.template(s, place)?),
            Json::Array(items) => Literal::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.literal(item, &format!("{place}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(fields) => Literal::Object(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.literal(v, &child(place, k))?)))
                    .collect::<Result<_, EndpointError>>()?,
            ),
            other => Literal::Json(other.clone()),
        })
    }

    /// The slot of `name`, or an error saying it is not in scope.
    fn slot(&self, name: &str, place: &str) -> Result<usize, EndpointError> {
        self.scope.iter().rposition(|n| n == name).ok_or_else(|| {
            invalid(RULE_SET, place, format!("`{name}` is neither a parameter nor bound by a condition"))
        })
    }

    /// Parses an expression.
    fn expr(&self, json: &Json, place: &str) -> Result<Expr, EndpointError> {
        match json {
            Json::String(s) => Ok(Expr::Template(self.template(s, place)?)),
            Json::Bool(b) => Ok(Expr::Literal(Value::Bool(*b))),
            Json::Number(n) => n
                .as_i64()
                .map(|i| Expr::Literal(Value::Int(i)))
                .ok_or_else(|| invalid(RULE_SET, place, "expected an integer")),
            Json::Array(items) => Ok(Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.expr(item, &format!("{place}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )),
            Json::Object(fields) if fields.contains_key("fn") => Ok(Expr::Call(Box::new(self.call(json, place)?))),
            Json::Object(fields) => match fields.get("ref") {
                Some(Json::String(name)) => Ok(Expr::Ref { slot: self.slot(name, &child(place, "ref"))? }),
                _ => Err(invalid(RULE_SET, place, "expected `{\"ref\": name}` or `{\"fn\": .., \"argv\": [..]}`")),
            },
            Json::Null => Err(invalid(RULE_SET, place, "expected an expression, found null")),
        }
    }

    /// Parses a function call `{"fn": name, "argv": [..]}`, checking the function and its arity.
    fn call(&self, json: &Json, place: &str) -> Result<Call, EndpointError> {
        let name = json.get("fn").and_then(Json::as_str).ok_or_else(|| invalid(RULE_SET, place, "expected `fn`"))?;
        let argv_place = child(place, "argv");
        let argv = json
            .get("argv")
            .and_then(Json::as_array)
            .ok_or_else(|| invalid(RULE_SET, &argv_place, "expected an array"))?;
        let arity = match name {
            "isSet" | "not" | "uriEncode" | "parseURL" | "aws.partition" | "aws.parseArn" => 1,
            "getAttr" | "booleanEquals" | "stringEquals" | "isValidHostLabel" | "aws.isVirtualHostableS3Bucket" => 2,
            "substring" => 4,
            _ => return Err(invalid(RULE_SET, &child(place, "fn"), format!("unknown function `{name}`"))),
        };
        if argv.len() != arity {
            return Err(invalid(
                RULE_SET,
                &argv_place,
                format!("`{name}` takes {arity} argument(s), found {}", argv.len()),
            ));
        }
        let arg = |i: usize| -> Result<Expr, EndpointError> {
            match argv.get(i) {
                Some(json) => self.expr(json, &format!("{argv_place}[{i}]")),
                None => Err(invalid(RULE_SET, &argv_place, format!("`{name}` is missing argument {i}"))),
            }
        };
        Ok(match name {
            "isSet" => Call::IsSet(arg(0)?),
            "not" => Call::Not(arg(0)?),
            "getAttr" => {
                let path_place = format!("{argv_place}[1]");
                let path = argv
                    .get(1)
                    .and_then(Json::as_str)
                    .ok_or_else(|| invalid(RULE_SET, &path_place, "expected a path string"))?;
                Call::GetAttr(arg(0)?, parse_path(path).map_err(|m| invalid(RULE_SET, &path_place, m))?)
            }
            "booleanEquals" => Call::BooleanEquals(arg(0)?, arg(1)?),
            "stringEquals" => Call::StringEquals(arg(0)?, arg(1)?),
            "substring" => Call::Substring(arg(0)?, arg(1)?, arg(2)?, arg(3)?),
            "uriEncode" => Call::UriEncode(arg(0)?),
            "parseURL" => Call::ParseUrl(arg(0)?),
            "isValidHostLabel" => Call::IsValidHostLabel(arg(0)?, arg(1)?),
            "aws.partition" => Call::Partition(arg(0)?),
            "aws.parseArn" => Call::ParseArn(arg(0)?),
            _ => Call::IsVirtualHostableS3Bucket(arg(0)?, arg(1)?),
        })
    }

    /// Parses a template: `{Name}` and `{Name#path}` refer to values, `{{` and `}}` are braces.
    fn template(&self, text: &str, place: &str) -> Result<Template, EndpointError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = text.get(at + 1..).unwrap_or_default();
                    let Some(end) = rest.find('}').filter(|&end| !rest.get(..end).unwrap_or_default().contains('{'))
                    else {
                        return Err(invalid(RULE_SET, place, format!("unclosed `{{` in template {text:?}")));
                    };
                    let written = rest.get(..end).unwrap_or_default();
                    let (name, path) = match written.split_once('#') {
                        Some((name, path)) => (name, parse_path(path).map_err(|m| invalid(RULE_SET, place, m))?),
                        None => (written, Vec::new()),
                    };
                    if name.is_empty() {
                        return Err(invalid(RULE_SET, place, format!("empty reference in template {text:?}")));
                    }
                    let slot = self.slot(name, place)?;
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Ref { written: written.to_owned(), slot, path });
                    // Skip the reference and its closing brace.
                    while chars.next_if(|&(i, _)| i <= at + 1 + end).is_some() {}
                }
                '}' => return Err(invalid(RULE_SET, place, format!("unmatched `}}` in template {text:?}"))),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template { parts })
    }
}

/// Parses a `getAttr` path: fields separated by `.`, each optionally followed by `[index]`s,
/// e.g. `name`, `name.sub`, `resourceId[2]`.
pub(super) fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (field, mut indices) = match part.find('[') {
            Some(at) => (part.get(..at).unwrap_or_default(), part.get(at..).unwrap_or_default()),
            None => (part, ""),
        };
        if field.is_empty() && indices.is_empty() {
            return Err(format!("empty step in the attribute path {path:?}"));
        }
        if !field.is_empty() {
            steps.push(Step::Field(field.to_owned()));
        }
        while !indices.is_empty() {
            let index = indices
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(digits, rest)| Some((digits.parse::<usize>().ok()?, rest)));
            let Some((index, rest)) = index else {
                return Err(format!("expected `[index]` in the attribute path {path:?}"));
            };
            steps.push(Step::Index(index));
            indices = rest;
        }
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{PARTITIONS_JSON, RULE_SET_JSON};
    use super::super::{EndpointParams, EndpointResolver};

    fn load_error(rule_set: &str) -> String {
        EndpointResolver::new(rule_set, PARTITIONS_JSON).expect_err("the rule set is refused").to_string()
    }

    #[test]
    fn a_malformed_rule_set_is_an_error_naming_the_place() {
        let unknown = RULE_SET_JSON.replace(
            r#""fn": "isSet", "argv": [ { "ref": "Endpoint" } ]"#,
            r#""fn": "isSett", "argv": [ { "ref": "Endpoint" } ]"#,
        );
        assert_eq!(
            load_error(&unknown),
            "invalid endpoint rule set at `rules[0].conditions[0].fn`: unknown function `isSett`"
        );

        let arity = RULE_SET_JSON.replace(r#"[ { "ref": "UseFIPS" }, true ]"#, r#"[ { "ref": "UseFIPS" } ]"#);
        assert_eq!(
            load_error(&arity),
            "invalid endpoint rule set at `rules[1].rules[0].conditions[0].argv`: `booleanEquals` takes 2 argument(s), found 1"
        );

        let unbound = RULE_SET_JSON.replace("{P#dnsSuffix}\" }", "{Q#dnsSuffix}\" }");
        assert_eq!(
            load_error(&unbound),
            "invalid endpoint rule set at `rules[1].rules[1].endpoint.url`: `Q` is neither a parameter nor bound by a condition"
        );

        let out_of_scope =
            RULE_SET_JSON.replace("\"error\": \"Invalid Configuration: Missing Region\"", "\"error\": \"{P#name}\"");
        assert!(load_error(&out_of_scope).starts_with("invalid endpoint rule set at `rules[2].error`"));

        let rebound = RULE_SET_JSON.replace("\"assign\": \"P\"", "\"assign\": \"Region\"");
        assert!(load_error(&rebound).contains("`Region` is already in scope"));

        let unclosed = RULE_SET_JSON.replace("https://svc.{Region}", "https://svc.{Region");
        assert_eq!(
            load_error(&unclosed),
            r#"invalid endpoint rule set at `rules[1].rules[1].endpoint.url`: unclosed `{` in template "https://svc.{Region.{P#dnsSuffix}""#
        );
        let unmatched = RULE_SET_JSON.replace("https://svc.{Region}", "https://svc.Region}");
        assert!(load_error(&unmatched).contains("unmatched `}` in template"));

        let bad_type = RULE_SET_JSON.replace(
            "\"type\": \"tree\"\n            },\n            { \"conditions\": []",
            "\"type\": \"forest\"\n            },\n            { \"conditions\": []",
        );
        assert_eq!(
            load_error(&bad_type),
            "invalid endpoint rule set at `rules[1].type`: expected `endpoint`, `error` or `tree`"
        );

        assert_eq!(load_error("{"), "invalid endpoint rule set at `line 1, column 1`: EOF while parsing an object");
        let too_deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            load_error(&too_deep),
            "invalid endpoint rule set at `line 1, column 128`: recursion limit exceeded"
        );
        assert!(load_error(r#"{"version": "2.0", "parameters": {}, "rules": []}"#).contains("expected version 1.x"));
    }

    #[test]
    fn templates_escape_braces_by_doubling() {
        let rule_set = r#"{"version": "1.0", "parameters": {"R": {"type": "string", "default": "r"}},
            "rules": [{"conditions": [], "endpoint": {"url": "https://{{x}}.{R}.}}"}, "type": "endpoint"}]}"#;
        let endpoint =
            EndpointResolver::new(rule_set, PARTITIONS_JSON).unwrap().resolve(&EndpointParams::new()).unwrap();
        assert_eq!(endpoint.url, "https://{x}.r.}");
    }
}
