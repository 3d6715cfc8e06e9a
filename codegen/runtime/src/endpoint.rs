//! Endpoints from a service's endpoint rule set, interpreted at run time.
//!
//! A service model comes with an *endpoint rule set* (`endpoint-rule-set-1.json`, the Smithy
//! rules engine, version 1.0): declared parameters (region, FIPS, dual-stack, a custom endpoint
//! ...) and a tree of rules. Each rule has conditions, which call functions of a small standard
//! library and may bind their results to names; the first rule whose conditions all hold gives
//! the endpoint (a URL, properties such as the signing scope, and headers) or an error message.
//! The `aws.partition` function maps a region to its partition (`aws`, `aws-cn`, `aws-us-gov`
//! ...) from `partitions.json`.
//!
//! [`EndpointResolver::new`] parses both documents once into typed rules, checking every name
//! a rule refers to and the arity of every call, so a malformed rule set is an error naming
//! its place (e.g. `rules[1].rules[0].conditions[2].argv[0]`) rather than a surprise at request
//! time. [`EndpointResolver::resolve`] evaluates the rules for one set of [`EndpointParams`].
//!
//! ```text
//! let resolver = EndpointResolver::new(RULE_SET_JSON, PARTITIONS_JSON)?;
//! let params = EndpointParams::new().region("eu-west-1").use_fips(false).use_dual_stack(false);
//! let endpoint = resolver.resolve(&params)?;
//! assert_eq!(endpoint.url, "https://api.sagemaker.eu-west-1.amazonaws.com");
//! ```
//!
//! The semantics follow botocore's `endpoint_provider.py`, whose test cases this interpreter
//! passes (`cargo xtask endpoint-tests`); where botocore leans on Python quirks, the Smithy
//! specification decides instead (noted at each function).

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;

use regex::Regex;
use serde_json::{Map, Value as Json};

/// The built-in parameter for the client's region.
const BUILT_IN_REGION: &str = "AWS::Region";
/// The built-in parameter for "use the FIPS endpoint".
const BUILT_IN_USE_FIPS: &str = "AWS::UseFIPS";
/// The built-in parameter for "use the dual-stack (IPv4 and IPv6) endpoint".
const BUILT_IN_USE_DUAL_STACK: &str = "AWS::UseDualStack";
/// The built-in parameter for an endpoint URL set by the user.
const BUILT_IN_ENDPOINT: &str = "SDK::Endpoint";

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// Why an endpoint could not be resolved, or a rule set could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The rule set or the partitions document is not what this interpreter understands.
    Invalid {
        /// `rule set` or `partitions`.
        document: &'static str,
        /// Where in the document, as a JSON path, e.g. `rules[0].conditions[1]`.
        place: String,
        /// What is wrong there.
        message: String,
    },
    /// A required parameter has no value and no default.
    MissingParameter {
        /// The parameter's name in the rule set, e.g. `Region`.
        name: String,
    },
    /// A parameter was given a value of the wrong type.
    ParameterType {
        /// The parameter's name in the rule set.
        name: String,
        /// The type the rule set declares: `string`, `boolean` or `string array`.
        expected: &'static str,
    },
    /// An `error` rule matched: the configuration cannot be served, e.g. FIPS with a custom
    /// endpoint. The message is the rule set's own.
    Rule {
        /// The rule's message, e.g. `Invalid Configuration: Missing Region`.
        message: String,
    },
    /// No rule matched (a complete rule set ends with a catch-all, so this is a rule set bug).
    NoMatch,
    /// A function got a value it cannot work with, e.g. a string where a boolean belongs.
    Evaluation {
        /// The rule being evaluated, as a JSON path.
        place: String,
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Invalid { document, place, message } => {
                write!(f, "invalid endpoint {document} at `{place}`: {message}")
            }
            EndpointError::MissingParameter { name } => {
                write!(f, "the endpoint parameter `{name}` is required but has no value")
            }
            EndpointError::ParameterType { name, expected } => {
                write!(f, "the endpoint parameter `{name}` must be a {expected}")
            }
            EndpointError::Rule { message } => f.write_str(message),
            EndpointError::NoMatch => f.write_str("no endpoint rule matched the parameters"),
            EndpointError::Evaluation { place, message } => {
                write!(f, "cannot evaluate the endpoint rule at `{place}`: {message}")
            }
        }
    }
}

impl Error for EndpointError {}

/// A value for an endpoint parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// For a `string` parameter.
    String(String),
    /// For a `boolean` parameter.
    Bool(bool),
    /// For a `stringArray` parameter.
    StringArray(Vec<String>),
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::String(value.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        ParamValue::String(value)
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        ParamValue::Bool(value)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(value: Vec<String>) -> Self {
        ParamValue::StringArray(value)
    }
}

/// The inputs of one resolution: built-ins from the client's configuration, and parameters
/// set by name.
///
/// A parameter takes, in order: the value set by its name with [`set`](Self::set), the value
/// of its `builtIn` (e.g. `AWS::Region`, set by [`region`](Self::region)), its default.
/// Built-ins the rule set does not declare are ignored, as are unknown names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointParams {
    by_name: BTreeMap<String, ParamValue>,
    built_ins: BTreeMap<String, ParamValue>,
}

impl EndpointParams {
    /// No parameters: every one takes its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the `AWS::Region` built-in, e.g. `us-east-1`.
    pub fn region(self, region: impl Into<String>) -> Self {
        self.built_in(BUILT_IN_REGION, ParamValue::String(region.into()))
    }

    /// Sets the `AWS::UseFIPS` built-in.
    pub fn use_fips(self, use_fips: bool) -> Self {
        self.built_in(BUILT_IN_USE_FIPS, ParamValue::Bool(use_fips))
    }

    /// Sets the `AWS::UseDualStack` built-in.
    pub fn use_dual_stack(self, use_dual_stack: bool) -> Self {
        self.built_in(BUILT_IN_USE_DUAL_STACK, ParamValue::Bool(use_dual_stack))
    }

    /// Sets the `SDK::Endpoint` built-in: a URL the user chose instead of the service's.
    pub fn endpoint(self, url: impl Into<String>) -> Self {
        self.built_in(BUILT_IN_ENDPOINT, ParamValue::String(url.into()))
    }

    /// Sets any built-in by its name in the rule set, e.g. `AWS::Auth::AccountId`.
    pub fn built_in(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.built_ins.insert(name.into(), value.into());
        self
    }

    /// Sets a parameter by its name in the rule set, e.g. `set("UseFIPS", true)`; this wins
    /// over the parameter's built-in.
    pub fn set(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.by_name.insert(name.into(), value.into());
        self
    }
}

/// The endpoint a rule set chose.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedEndpoint {
    /// The URL requests go to, e.g. `https://api.sagemaker.us-east-1.amazonaws.com`.
    pub url: String,
    /// Headers to add to every request, name → values.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Everything else the rule said, e.g. `authSchemes`.
    pub properties: Map<String, Json>,
}

/// The SigV4 signing scope an endpoint asks for (an entry named `sigv4` in its
/// `authSchemes` property). A `None` field means "the client's own": the region it was
/// configured with, the signing name of the service model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigV4Scope<'a> {
    /// `signingRegion`, e.g. `us-east-1` for a global endpoint.
    pub signing_region: Option<&'a str>,
    /// `signingName`, e.g. `s3-outposts`.
    pub signing_name: Option<&'a str>,
    /// `disableDoubleEncoding`: sign the path as sent, without encoding it a second time.
    pub disable_double_encoding: bool,
}

impl ResolvedEndpoint {
    /// The first `sigv4` entry of the `authSchemes` property. `None` when there is no
    /// `authSchemes` (sign with the client's region and the model's signing name) or no entry
    /// named `sigv4` in it (the endpoint wants another scheme, e.g. `sigv4a`).
    pub fn sigv4(&self) -> Option<SigV4Scope<'_>> {
        let schemes = self.properties.get("authSchemes")?.as_array()?;
        let scheme = schemes.iter().find(|s| s.get("name").and_then(Json::as_str) == Some("sigv4"))?;
        Some(SigV4Scope {
            signing_region: scheme.get("signingRegion").and_then(Json::as_str),
            signing_name: scheme.get("signingName").and_then(Json::as_str),
            disable_double_encoding: scheme.get("disableDoubleEncoding").and_then(Json::as_bool).unwrap_or(false),
        })
    }
}

/// A parsed rule set and partitions document, ready to resolve endpoints.
///
/// Build it once (e.g. in a `OnceLock`) and share it: resolving only reads it.
#[derive(Debug)]
pub struct EndpointResolver {
    parameters: Vec<Parameter>,
    rules: Vec<Rule>,
    partitions: Vec<Partition>,
    /// The partition used for a region no partition claims: `aws`, or else the first.
    fallback_partition: usize,
}

impl EndpointResolver {
    /// Parses an endpoint rule set (`endpoint-rule-set-1.json`) and the partitions
    /// (`partitions.json`). Each error names the document and the place in it.
    pub fn new(rule_set_json: &str, partitions_json: &str) -> Result<Self, EndpointError> {
        let rule_set: Json = serde_json::from_str(rule_set_json).map_err(|e| invalid(RULE_SET, "", e.to_string()))?;
        let partitions: Json =
            serde_json::from_str(partitions_json).map_err(|e| invalid(PARTITIONS, "", e.to_string()))?;
        let partitions = parse_partitions(&partitions)?;
        let fallback_partition = partitions.iter().position(|p| p.id == "aws").unwrap_or(0);
        let (parameters, rules) = parse_rule_set(&rule_set)?;
        Ok(EndpointResolver { parameters, rules, partitions, fallback_partition })
    }

    /// The endpoint for `params`, or the error a rule gives for them.
    pub fn resolve(&self, params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
        let mut scope = Vec::with_capacity(self.parameters.len() + 8);
        for parameter in &self.parameters {
            let given = params
                .by_name
                .get(&parameter.name)
                .or_else(|| parameter.built_in.as_ref().and_then(|b| params.built_ins.get(b)));
            let value = match given {
                Some(value) => Some(parameter.accept(value)?),
                None => parameter.default.clone(),
            };
            if value.is_none() && parameter.required {
                return Err(EndpointError::MissingParameter { name: parameter.name.clone() });
            }
            scope.push(value);
        }
        let mut evaluation = Evaluation { resolver: self, scope };
        evaluation.rules(&self.rules)?.ok_or(EndpointError::NoMatch)
    }

    /// The parameters the rule set declares, in its order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }
}

/// A parameter a rule set declares.
#[derive(Clone, Debug)]
pub struct Parameter {
    name: String,
    kind: Kind,
    built_in: Option<String>,
    required: bool,
    default: Option<Value>,
    documentation: Option<String>,
}

impl Parameter {
    /// The name rules refer to it by, e.g. `UseFIPS`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The built-in it takes its value from, e.g. `AWS::UseFIPS`.
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }

    /// Whether it must have a value (its default counts).
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// What the rule set says about it.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    /// `value` as this parameter's type, or the error saying which type it wants.
    fn accept(&self, value: &ParamValue) -> Result<Value, EndpointError> {
        match (self.kind, value) {
            (Kind::String, ParamValue::String(s)) => Ok(Value::String(s.clone())),
            (Kind::Boolean, ParamValue::Bool(b)) => Ok(Value::Bool(*b)),
            (Kind::StringArray, ParamValue::StringArray(items)) => {
                Ok(Value::Array(items.iter().cloned().map(Value::String).collect()))
            }
            _ => Err(EndpointError::ParameterType { name: self.name.clone(), expected: self.kind.name() }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The parsed form
// ---------------------------------------------------------------------------------------------

/// The name of the rule set document in errors.
const RULE_SET: &str = "rule set";
/// The name of the partitions document in errors.
const PARTITIONS: &str = "partitions";

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl Kind {
    /// The type's name in messages.
    fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Boolean => "boolean",
            Kind::StringArray => "string array",
        }
    }
}

/// A value during evaluation. "Unset" is `None` around it.
#[derive(Clone, Debug, PartialEq)]
enum Value {
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
    fn from_json(json: &Json) -> Option<Value> {
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
    fn kind(&self) -> &'static str {
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
struct Rule {
    /// The rule's JSON path, for evaluation errors.
    place: String,
    /// All must hold for the rule to apply.
    conditions: Vec<Condition>,
    /// What the rule gives when it applies.
    kind: RuleKind,
}

/// What a rule gives.
#[derive(Clone, Debug)]
enum RuleKind {
    /// An endpoint.
    Endpoint(EndpointTemplate),
    /// An error with this message.
    Error(Expr),
    /// The first of these rules that applies (none: the next sibling is tried).
    Tree(Vec<Rule>),
}

/// An `endpoint` rule's result, before evaluation.
#[derive(Clone, Debug)]
struct EndpointTemplate {
    /// The URL.
    url: Expr,
    /// Literal properties, whose strings are templates.
    properties: Vec<(String, Literal)>,
    /// Header name → value expressions.
    headers: Vec<(String, Vec<Expr>)>,
}

/// A condition: a function call, its result optionally bound to a name.
#[derive(Clone, Debug)]
struct Condition {
    /// The call.
    call: Call,
    /// Whether the result is bound (to the next slot of the scope).
    assigns: bool,
}

/// An expression: a literal, a template, a reference or a call.
#[derive(Clone, Debug)]
enum Expr {
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
struct Template {
    /// Text and references, in order.
    parts: Vec<Part>,
}

/// A piece of a [`Template`].
#[derive(Clone, Debug)]
enum Part {
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
enum Step {
    /// A field of a record.
    Field(String),
    /// An element of an array.
    Index(usize),
}

/// A property value: JSON whose strings are templates.
#[derive(Clone, Debug)]
enum Literal {
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
enum Call {
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
    fn name(&self) -> &'static str {
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

/// A partition from `partitions.json`.
#[derive(Clone, Debug)]
struct Partition {
    /// E.g. `aws-cn`.
    id: String,
    /// `regionRegex`, anchored at the start as Python's `re.match` is.
    region_regex: Regex,
    /// The regions listed by name.
    regions: Vec<String>,
    /// `outputs`, with `name` set to the id: what `aws.partition` returns.
    outputs: Value,
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// An [`EndpointError::Invalid`].
fn invalid(document: &'static str, place: &str, message: impl Into<String>) -> EndpointError {
    EndpointError::Invalid { document, place: place.to_owned(), message: message.into() }
}

/// `place.key`, or `key` at the top.
fn child(place: &str, key: &str) -> String {
    if place.is_empty() { key.to_owned() } else { format!("{place}.{key}") }
}

/// Parses `partitions.json`.
fn parse_partitions(json: &Json) -> Result<Vec<Partition>, EndpointError> {
    let list = json
        .get("partitions")
        .and_then(Json::as_array)
        .ok_or_else(|| invalid(PARTITIONS, "partitions", "expected an array of partitions"))?;
    if list.is_empty() {
        return Err(invalid(PARTITIONS, "partitions", "no partitions"));
    }
    let mut partitions = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let place = format!("partitions[{i}]");
        let id = entry
            .get("id")
            .and_then(Json::as_str)
            .ok_or_else(|| invalid(PARTITIONS, &child(&place, "id"), "expected a string"))?;
        let pattern = entry
            .get("regionRegex")
            .and_then(Json::as_str)
            .ok_or_else(|| invalid(PARTITIONS, &child(&place, "regionRegex"), "expected a string"))?;
        let region_regex = Regex::new(&format!("^(?:{pattern})"))
            .map_err(|e| invalid(PARTITIONS, &child(&place, "regionRegex"), e.to_string()))?;
        let regions = match entry.get("regions") {
            None => Vec::new(),
            Some(Json::Object(regions)) => regions.keys().cloned().collect(),
            Some(_) => return Err(invalid(PARTITIONS, &child(&place, "regions"), "expected an object")),
        };
        let mut outputs = match entry.get("outputs") {
            Some(Json::Object(outputs)) => outputs
                .iter()
                .filter_map(|(k, v)| Value::from_json(v).map(|v| (k.clone(), v)))
                .collect::<BTreeMap<_, _>>(),
            _ => return Err(invalid(PARTITIONS, &child(&place, "outputs"), "expected an object")),
        };
        outputs.insert("name".to_owned(), Value::String(id.to_owned()));
        partitions.push(Partition { id: id.to_owned(), region_regex, regions, outputs: Value::Object(outputs) });
    }
    Ok(partitions)
}

/// Parses a rule set into its parameters and rules.
fn parse_rule_set(json: &Json) -> Result<(Vec<Parameter>, Vec<Rule>), EndpointError> {
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
fn parse_parameter(name: &str, spec: &Json) -> Result<Parameter, EndpointError> {
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
struct RuleParser {
    /// Names in scope: the parameters, then the names bound by enclosing conditions.
    scope: Vec<String>,
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
fn parse_path(path: &str) -> Result<Vec<Step>, String> {
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

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/// One resolution in progress.
struct Evaluation<'r> {
    /// The rules and partitions.
    resolver: &'r EndpointResolver,
    /// Values by slot: the parameters, then the names bound by the conditions so far.
    scope: Vec<Option<Value>>,
}

impl<'r> Evaluation<'r> {
    /// The result of the first rule that applies: `None` when none does.
    fn rules(&mut self, rules: &[Rule]) -> Result<Option<ResolvedEndpoint>, EndpointError> {
        for rule in rules {
            let mark = self.scope.len();
            let result = self.rule(rule);
            self.scope.truncate(mark);
            if let Some(endpoint) = result? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    /// The result of `rule`: `None` when its conditions do not all hold.
    fn rule(&mut self, rule: &Rule) -> Result<Option<ResolvedEndpoint>, EndpointError> {
        let at = |message: String| EndpointError::Evaluation { place: rule.place.clone(), message };
        for condition in &rule.conditions {
            let value = self.call(&condition.call).map_err(at)?;
            let holds = !matches!(value, None | Some(Value::Bool(false)));
            if condition.assigns {
                self.scope.push(value);
            }
            if !holds {
                return Ok(None);
            }
        }
        match &rule.kind {
            RuleKind::Tree(rules) => self.rules(rules),
            RuleKind::Error(message) => {
                let message = self.string(message, "the error message").map_err(at)?;
                Err(EndpointError::Rule { message })
            }
            RuleKind::Endpoint(endpoint) => {
                let url = self.string(&endpoint.url, "the URL").map_err(at)?;
                let mut properties = Map::new();
                for (key, value) in &endpoint.properties {
                    properties.insert(key.clone(), self.literal(value).map_err(at)?);
                }
                let mut headers = BTreeMap::new();
                for (name, values) in &endpoint.headers {
                    let values = values
                        .iter()
                        .map(|v| self.string(v, "a header value"))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(at)?;
                    headers.insert(name.clone(), values);
                }
                Ok(Some(ResolvedEndpoint { url, headers, properties }))
            }
        }
    }

    /// Evaluates `expr`, which must give a string (`what` names it in the error).
    fn string(&self, expr: &Expr, what: &str) -> Result<String, String> {
        match self.expr(expr)? {
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(format!("{what} is {}, not a string", other.kind())),
            None => Err(format!("{what} is not set")),
        }
    }

    /// Evaluates a property value.
    fn literal(&self, literal: &Literal) -> Result<Json, String> {
        Ok(match literal {
            Literal::Json(json) => json.clone(),
            Literal::Template(template) => Json::String(self.template(template)?),
            Literal::Array(items) => Json::Array(items.iter().map(|i| self.literal(i)).collect::<Result<_, _>>()?),
            Literal::Object(fields) => Json::Object(
                fields.iter().map(|(k, v)| Ok((k.clone(), self.literal(v)?))).collect::<Result<_, String>>()?,
            ),
        })
    }

    /// Fills in a template; every reference must be a set string.
    fn template(&self, template: &Template) -> Result<String, String> {
        let mut out = String::new();
        for part in &template.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Ref { written, slot, path } => {
                    let value = self.scope.get(*slot).and_then(Option::as_ref).and_then(|v| get_attr(v, path));
                    match value {
                        Some(Value::String(s)) => out.push_str(s),
                        Some(other) => return Err(format!("`{{{written}}}` is {}, not a string", other.kind())),
                        None => return Err(format!("`{{{written}}}` is not set")),
                    }
                }
            }
        }
        Ok(out)
    }

    /// Evaluates an expression; `None` is "unset".
    fn expr(&self, expr: &Expr) -> Result<Option<Value>, String> {
        match expr {
            Expr::Literal(value) => Ok(Some(value.clone())),
            Expr::Template(template) => self.template(template).map(|s| Some(Value::String(s))),
            Expr::Ref { slot } => Ok(self.scope.get(*slot).cloned().flatten()),
            Expr::Call(call) => self.call(call),
            Expr::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.expr(item)?.ok_or("an array element is not set")?);
                }
                Ok(Some(Value::Array(values)))
            }
        }
    }

    /// Calls a standard library function.
    fn call(&self, call: &Call) -> Result<Option<Value>, String> {
        let name = call.name();
        let bool_result = |b: bool| Ok(Some(Value::Bool(b)));
        match call {
            Call::IsSet(value) => bool_result(self.expr(value)?.is_some()),
            Call::Not(value) => match self.expr(value)? {
                None => bool_result(true),
                Some(Value::Bool(b)) => bool_result(!b),
                Some(other) => Err(format!("`not` takes a boolean, got {}", other.kind())),
            },
            Call::GetAttr(value, path) => Ok(self.expr(value)?.as_ref().and_then(|v| get_attr(v, path)).cloned()),
            // An unset argument makes an equality false, as an `Option` compared with a value.
            Call::BooleanEquals(a, b) => match (self.expr(a)?, self.expr(b)?) {
                (Some(Value::Bool(a)), Some(Value::Bool(b))) => bool_result(a == b),
                (None, _) | (_, None) => bool_result(false),
                (a, b) => Err(mismatch(name, "booleans", a, b)),
            },
            Call::StringEquals(a, b) => match (self.expr(a)?, self.expr(b)?) {
                (Some(Value::String(a)), Some(Value::String(b))) => bool_result(a == b),
                (None, _) | (_, None) => bool_result(false),
                (a, b) => Err(mismatch(name, "strings", a, b)),
            },
            Call::Substring(input, start, stop, reverse) => {
                let Some(input) = self.optional_string(name, input)? else { return Ok(None) };
                let (start, stop, reverse) = match (self.expr(start)?, self.expr(stop)?, self.expr(reverse)?) {
                    (Some(Value::Int(start)), Some(Value::Int(stop)), Some(Value::Bool(reverse))) => {
                        (start, stop, reverse)
                    }
                    _ => return Err("`substring` takes a string, two integers and a boolean".to_owned()),
                };
                Ok(substring(&input, start, stop, reverse).map(Value::String))
            }
            Call::UriEncode(value) => Ok(self.optional_string(name, value)?.map(|s| Value::String(uri_encode(&s)))),
            Call::ParseUrl(value) => Ok(self.optional_string(name, value)?.and_then(|s| parse_url(&s))),
            Call::IsValidHostLabel(value, subdomains) => {
                let subdomains = self.flag(name, subdomains)?;
                let value = self.optional_string(name, value)?;
                bool_result(value.is_some_and(|v| is_valid_host_label(&v, subdomains)))
            }
            Call::Partition(region) => {
                let region = self.optional_string(name, region)?;
                Ok(self.partition(region.as_deref()).map(|p| p.outputs.clone()))
            }
            Call::ParseArn(value) => Ok(self.optional_string(name, value)?.and_then(|s| parse_arn(&s))),
            Call::IsVirtualHostableS3Bucket(value, subdomains) => {
                let subdomains = self.flag(name, subdomains)?;
                let value = self.optional_string(name, value)?;
                bool_result(value.is_some_and(|v| is_virtual_hostable_s3_bucket(&v, subdomains)))
            }
        }
    }

    /// Evaluates an argument of `function` that must be a string when set.
    fn optional_string(&self, function: &str, expr: &Expr) -> Result<Option<String>, String> {
        match self.expr(expr)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{function}` takes a string, got {}", other.kind())),
        }
    }

    /// Evaluates an argument of `function` that must be a boolean.
    fn flag(&self, function: &str, expr: &Expr) -> Result<bool, String> {
        match self.expr(expr)? {
            Some(Value::Bool(b)) => Ok(b),
            Some(other) => Err(format!("`{function}` takes a boolean flag, got {}", other.kind())),
            None => Err(format!("`{function}` takes a boolean flag, got an unset value")),
        }
    }

    /// The partition of `region` (botocore's order: the first partition that lists the region
    /// or whose `regionRegex` matches it), else `aws` (else the first partition).
    fn partition(&self, region: Option<&str>) -> Option<&'r Partition> {
        let partitions = &self.resolver.partitions;
        let found = region.and_then(|region| {
            partitions.iter().find(|p| p.regions.iter().any(|r| r == region) || p.region_regex.is_match(region))
        });
        found.or_else(|| partitions.get(self.resolver.fallback_partition))
    }
}

/// The message for an equality of values that are not both `expected`.
fn mismatch(function: &str, expected: &str, a: Option<Value>, b: Option<Value>) -> String {
    let kind = |v: Option<Value>| v.map_or("unset", |v| v.kind());
    format!("`{function}` compares two {expected}, got {} and {}", kind(a), kind(b))
}

// ---------------------------------------------------------------------------------------------
// The standard library
// ---------------------------------------------------------------------------------------------

/// `getAttr`: follows `path` into `value`; `None` for a missing field or index, or a step
/// that does not fit the value.
fn get_attr<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    let mut value = value;
    for step in path {
        value = match (step, value) {
            (Step::Field(name), Value::Object(fields)) => fields.get(name)?,
            (Step::Index(index), Value::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

/// `substring`: the bytes `start..stop` of an ASCII string, counted from the end when
/// `reverse`; `None` when the range does not fit or the string is not ASCII.
fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    let (Ok(start), Ok(stop)) = (usize::try_from(start), usize::try_from(stop)) else { return None };
    if !input.is_ascii() || start >= stop || input.len() < stop {
        return None;
    }
    let (from, to) = if reverse { (input.len() - stop, input.len() - start) } else { (start, stop) };
    input.get(from..to).map(str::to_owned)
}

/// `uriEncode`: percent-encodes every UTF-8 byte except the unreserved `A-Z a-z 0-9 - . _ ~`.
fn uri_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `isValidHostLabel`: 1 to 63 ASCII letters, digits and `-`, not starting or ending with
/// `-`; with `subdomains`, every `.`-separated label must be one.
fn is_valid_host_label(value: &str, subdomains: bool) -> bool {
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if subdomains { value.split('.').all(label) } else { label(value) }
}

/// `aws.isVirtualHostableS3Bucket`: a host label (or labels, with `subdomains`) of at least
/// three characters, in lower case, that does not look like an IPv4 address.
fn is_virtual_hostable_s3_bucket(value: &str, subdomains: bool) -> bool {
    value.len() >= 3
        && !value.bytes().any(|b| b.is_ascii_uppercase())
        && !looks_like_ipv4(value)
        && is_valid_host_label(value, subdomains)
}

/// Four dot-separated groups of one to three digits (values are not checked, as botocore).
fn looks_like_ipv4(host: &str) -> bool {
    let groups: Vec<&str> = host.split('.').collect();
    groups.len() == 4 && groups.iter().all(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
}

/// `parseURL`: an `http` or `https` URL without a query, as a record of `scheme`,
/// `authority`, `path` (as written), `normalizedPath` (dot segments and empty segments
/// removed, starting and ending with `/`) and `isIp`. `None` for anything else, including a
/// port that is not a number up to 65535, or whitespace and control characters.
///
/// botocore also percent-encodes `normalizedPath` again (`quote`); that is left out, as the
/// Smithy specification has the path as written. A fragment is ignored, as botocore does.
fn parse_url(url: &str) -> Option<Value> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let rest = match rest.split_once('?') {
        Some((_, query)) if !query.is_empty() => return None,
        Some((before, _)) => before,
        None => rest,
    };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        let port = match after {
            "" => "",
            _ => after.strip_prefix(':')?,
        };
        (format!("[{inside}]"), port)
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), port),
            None => (host_port.to_owned(), ""),
        }
    };
    if host.is_empty()
        || (!port.is_empty() && (!port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err()))
    {
        return None;
    }
    let is_ip = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(inside) => {
            // An IPv6 address, optionally with a zone (`%25eth0` in a URL).
            let address = inside.split_once('%').map_or(inside, |(address, _)| address);
            address.parse::<std::net::Ipv6Addr>().is_ok()
        }
        None => looks_like_ipv4(&host),
    };
    let mut fields = BTreeMap::new();
    fields.insert("scheme".to_owned(), Value::String(scheme));
    fields.insert("authority".to_owned(), Value::String(authority.to_owned()));
    fields.insert("path".to_owned(), Value::String(path.to_owned()));
    fields.insert("normalizedPath".to_owned(), Value::String(normalize_path(path)));
    fields.insert("isIp".to_owned(), Value::Bool(is_ip));
    Some(Value::Object(fields))
}

/// `path` without `.`, `..` and empty segments, starting and ending with `/` (botocore's
/// `remove_dot_segments`).
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    for segment in segments {
        out.push_str(segment);
        out.push('/');
    }
    out
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource` as a record of
/// `partition`, `service`, `region`, `accountId` and `resourceId` (the resource split on `:`
/// and `/`). `None` when it is not an ARN, or its partition, service or resource is empty.
fn parse_arn(value: &str) -> Option<Value> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else { return None };
    if *arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource.split([':', '/']).map(|s| Value::String(s.to_owned())).collect();
    let mut fields = BTreeMap::new();
    fields.insert("partition".to_owned(), Value::String((*partition).to_owned()));
    fields.insert("service".to_owned(), Value::String((*service).to_owned()));
    fields.insert("region".to_owned(), Value::String((*region).to_owned()));
    fields.insert("accountId".to_owned(), Value::String((*account).to_owned()));
    fields.insert("resourceId".to_owned(), Value::Array(resource_id));
    Some(Value::Object(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two partitions, enough for the tests.
    const PARTITIONS_JSON: &str = r#"{
        "version": "1.1",
        "partitions": [
            {
                "id": "aws",
                "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
                "regions": { "aws-global": { "description": "global" } },
                "outputs": { "name": "aws", "dnsSuffix": "amazonaws.com", "supportsFIPS": true }
            },
            {
                "id": "aws-cn",
                "regionRegex": "^cn\\-\\w+\\-\\d+$",
                "regions": {},
                "outputs": { "name": "aws-cn", "dnsSuffix": "amazonaws.com.cn", "supportsFIPS": false }
            }
        ]
    }"#;

    /// A small rule set in the shape of the real ones: a custom endpoint, then FIPS, then the
    /// regional endpoint, then an error.
    const RULE_SET_JSON: &str = r#"{
        "version": "1.0",
        "parameters": {
            "Region": { "builtIn": "AWS::Region", "required": false, "type": "String" },
            "UseFIPS": { "builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean" },
            "Endpoint": { "builtIn": "SDK::Endpoint", "required": false, "type": "String" }
        },
        "rules": [
            {
                "conditions": [ { "fn": "isSet", "argv": [ { "ref": "Endpoint" } ] } ],
                "endpoint": { "url": { "ref": "Endpoint" }, "headers": { "x-custom": [ "yes", "{Endpoint}" ] } },
                "type": "endpoint"
            },
            {
                "conditions": [
                    { "fn": "isSet", "argv": [ { "ref": "Region" } ] },
                    { "fn": "aws.partition", "argv": [ { "ref": "Region" } ], "assign": "P" }
                ],
                "rules": [
                    {
                        "conditions": [ { "fn": "booleanEquals", "argv": [ { "ref": "UseFIPS" }, true ] } ],
                        "rules": [
                            {
                                "conditions": [
                                    { "fn": "booleanEquals", "argv": [ { "fn": "getAttr", "argv": [ { "ref": "P" }, "supportsFIPS" ] }, true ] }
                                ],
                                "endpoint": {
                                    "url": "https://svc-fips.{Region}.{P#dnsSuffix}",
                                    "properties": { "authSchemes": [ { "name": "sigv4", "signingName": "svc", "signingRegion": "{Region}" } ] }
                                },
                                "type": "endpoint"
                            },
                            { "conditions": [], "error": "FIPS is not supported in {P#name}", "type": "error" }
                        ],
                        "type": "tree"
                    },
                    { "conditions": [], "endpoint": { "url": "https://svc.{Region}.{P#dnsSuffix}" }, "type": "endpoint" }
                ],
                "type": "tree"
            },
            { "conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error" }
        ]
    }"#;

    fn resolver() -> EndpointResolver {
        EndpointResolver::new(RULE_SET_JSON, PARTITIONS_JSON).expect("the test rule set loads")
    }

    fn url(params: EndpointParams) -> String {
        resolver().resolve(&params).expect("an endpoint").url
    }

    fn load_error(rule_set: &str) -> String {
        EndpointResolver::new(rule_set, PARTITIONS_JSON).expect_err("the rule set is refused").to_string()
    }

    fn record(fields: &[(&str, Value)]) -> Option<Value> {
        Some(Value::Object(fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()))
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn a_region_resolves_to_its_partitions_dns_suffix() {
        assert_eq!(url(EndpointParams::new().region("eu-west-1")), "https://svc.eu-west-1.amazonaws.com");
        assert_eq!(url(EndpointParams::new().region("cn-north-1")), "https://svc.cn-north-1.amazonaws.com.cn");
    }

    #[test]
    fn a_region_no_partition_claims_falls_back_to_aws() {
        assert_eq!(url(EndpointParams::new().region("mars-east-1")), "https://svc.mars-east-1.amazonaws.com");
    }

    #[test]
    fn a_region_listed_by_name_matches_without_the_regex() {
        assert_eq!(url(EndpointParams::new().region("aws-global")), "https://svc.aws-global.amazonaws.com");
    }

    #[test]
    fn fips_gives_the_fips_endpoint_and_its_signing_scope() {
        let endpoint = resolver().resolve(&EndpointParams::new().region("us-east-1").use_fips(true)).unwrap();
        assert_eq!(endpoint.url, "https://svc-fips.us-east-1.amazonaws.com");
        let scope = endpoint.sigv4().expect("a sigv4 auth scheme");
        assert_eq!(scope.signing_region, Some("us-east-1"));
        assert_eq!(scope.signing_name, Some("svc"));
        assert!(!scope.disable_double_encoding);
    }

    #[test]
    fn an_error_rule_gives_its_message_with_templates_filled_in() {
        let error = resolver().resolve(&EndpointParams::new().region("cn-north-1").use_fips(true)).unwrap_err();
        assert_eq!(error, EndpointError::Rule { message: "FIPS is not supported in aws-cn".to_owned() });
        let error = resolver().resolve(&EndpointParams::new()).unwrap_err();
        assert_eq!(error.to_string(), "Invalid Configuration: Missing Region");
    }

    #[test]
    fn a_custom_endpoint_is_used_as_is_with_headers() {
        let endpoint = resolver().resolve(&EndpointParams::new().endpoint("http://localhost:4566")).unwrap();
        assert_eq!(endpoint.url, "http://localhost:4566");
        assert_eq!(endpoint.headers["x-custom"], vec!["yes".to_owned(), "http://localhost:4566".to_owned()]);
        assert!(endpoint.properties.is_empty());
        assert_eq!(endpoint.sigv4(), None);
    }

    #[test]
    fn a_parameter_set_by_name_wins_over_its_built_in() {
        let params = EndpointParams::new().region("us-east-1").set("Region", "eu-west-1");
        assert_eq!(url(params), "https://svc.eu-west-1.amazonaws.com");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused() {
        let error = resolver().resolve(&EndpointParams::new().region("us-east-1").set("UseFIPS", "yes")).unwrap_err();
        assert_eq!(error, EndpointError::ParameterType { name: "UseFIPS".to_owned(), expected: "boolean" });
    }

    #[test]
    fn a_required_parameter_without_value_or_default_is_an_error() {
        let rule_set = RULE_SET_JSON.replace(
            r#""Region": { "builtIn": "AWS::Region", "required": false"#,
            r#""Region": { "builtIn": "AWS::Region", "required": true"#,
        );
        let resolver = EndpointResolver::new(&rule_set, PARTITIONS_JSON).unwrap();
        let error = resolver.resolve(&EndpointParams::new()).unwrap_err();
        assert_eq!(error, EndpointError::MissingParameter { name: "Region".to_owned() });
    }

    #[test]
    fn the_parameters_are_listed_with_their_built_ins() {
        let resolver = resolver();
        let built_ins: Vec<_> = resolver.parameters().iter().map(|p| (p.name(), p.built_in())).collect();
        assert!(built_ins.contains(&("UseFIPS", Some("AWS::UseFIPS"))));
        assert!(resolver.parameters().iter().any(|p| p.name() == "UseFIPS" && p.is_required()));
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

        assert!(load_error("{").starts_with("invalid endpoint rule set at ``: EOF"));
        assert!(load_error(r#"{"version": "2.0", "parameters": {}, "rules": []}"#).contains("expected version 1.x"));
        let bad_partitions = EndpointResolver::new(RULE_SET_JSON, r#"{"partitions": []}"#).unwrap_err();
        assert_eq!(bad_partitions.to_string(), "invalid endpoint partitions at `partitions`: no partitions");
    }

    #[test]
    fn a_type_error_at_run_time_names_the_rule() {
        let rule_set = r#"{"version": "1.0", "parameters": {"Flag": {"type": "string", "default": "x"}},
            "rules": [{"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
                       "endpoint": {"url": "https://x"}, "type": "endpoint"}]}"#;
        let error =
            EndpointResolver::new(rule_set, PARTITIONS_JSON).unwrap().resolve(&EndpointParams::new()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot evaluate the endpoint rule at `rules[0]`: `booleanEquals` compares two booleans, got a string and a boolean"
        );
    }

    #[test]
    fn when_no_rule_matches_the_error_says_so() {
        let rule_set = r#"{"version": "1.0", "parameters": {}, "rules": []}"#;
        let error =
            EndpointResolver::new(rule_set, PARTITIONS_JSON).unwrap().resolve(&EndpointParams::new()).unwrap_err();
        assert_eq!(error, EndpointError::NoMatch);
    }

    #[test]
    fn templates_escape_braces_by_doubling() {
        let rule_set = r#"{"version": "1.0", "parameters": {"R": {"type": "string", "default": "r"}},
            "rules": [{"conditions": [], "endpoint": {"url": "https://{{x}}.{R}.}}"}, "type": "endpoint"}]}"#;
        let endpoint =
            EndpointResolver::new(rule_set, PARTITIONS_JSON).unwrap().resolve(&EndpointParams::new()).unwrap();
        assert_eq!(endpoint.url, "https://{x}.r.}");
    }

    #[test]
    fn get_attr_follows_fields_and_indices() {
        assert_eq!(
            parse_path("a.b[0]").unwrap(),
            vec![Step::Field("a".into()), Step::Field("b".into()), Step::Index(0)]
        );
        assert_eq!(parse_path("resourceId[2]").unwrap(), vec![Step::Field("resourceId".into()), Step::Index(2)]);
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[x]").is_err());
        let arn = parse_arn("arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap").unwrap();
        assert_eq!(get_attr(&arn, &parse_path("resourceId[1]").unwrap()), Some(&s("my-ap")));
        assert_eq!(get_attr(&arn, &parse_path("resourceId[2]").unwrap()), None);
        assert_eq!(get_attr(&arn, &parse_path("region").unwrap()), Some(&s("us-east-1")));
        assert_eq!(get_attr(&arn, &parse_path("nope.deeper").unwrap()), None);
        assert_eq!(get_attr(&s("text"), &parse_path("[0]").unwrap()), None);
    }

    #[test]
    fn parse_url_splits_an_http_url() {
        assert_eq!(
            parse_url("https://example.com"),
            record(&[
                ("scheme", s("https")),
                ("authority", s("example.com")),
                ("path", s("")),
                ("normalizedPath", s("/")),
                ("isIp", Value::Bool(false)),
            ])
        );
        assert_eq!(
            parse_url("http://127.0.0.1:8080/a/./b/../c"),
            record(&[
                ("scheme", s("http")),
                ("authority", s("127.0.0.1:8080")),
                ("path", s("/a/./b/../c")),
                ("normalizedPath", s("/a/c/")),
                ("isIp", Value::Bool(true)),
            ])
        );
        let ipv6 = parse_url("https://[::1]:443/path/").unwrap();
        assert_eq!(get_attr(&ipv6, &[Step::Field("isIp".into())]), Some(&Value::Bool(true)));
        assert_eq!(get_attr(&ipv6, &[Step::Field("authority".into())]), Some(&s("[::1]:443")));
        assert_eq!(get_attr(&ipv6, &[Step::Field("normalizedPath".into())]), Some(&s("/path/")));
        assert!(parse_url("HTTPS://example.com?").is_some());
    }

    #[test]
    fn parse_url_refuses_queries_other_schemes_and_bad_ports() {
        assert_eq!(parse_url("https://example.com?x=1"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("example.com"), None);
        assert_eq!(parse_url("https://example.com:port"), None);
        assert_eq!(parse_url("https://example.com:70000"), None);
        assert_eq!(parse_url("https://exa mple.com"), None);
        assert_eq!(parse_url("https://[::1"), None);
        assert_eq!(parse_url("https://"), None);
    }

    #[test]
    fn is_valid_host_label_checks_one_label_or_each_with_subdomains() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a-", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.-b", true));
        assert!(!is_valid_host_label("é", false));
    }

    #[test]
    fn substring_counts_from_the_start_or_with_reverse_from_the_end() {
        assert_eq!(substring("abcdef", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true).as_deref(), Some("cdef"));
        assert_eq!(substring("abcdef", 1, 3, true).as_deref(), Some("de"));
        assert_eq!(substring("abcdef", 0, 6, false).as_deref(), Some("abcdef"));
        assert_eq!(substring("abcdef", 2, 2, false), None);
        assert_eq!(substring("abcdef", 0, 7, false), None);
        assert_eq!(substring("abcdé", 0, 2, false), None);
        assert_eq!(substring("abcdef", -1, 2, false), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(uri_encode("a b/c:d?e"), "a%20b%2Fc%3Ad%3Fe");
        assert_eq!(uri_encode("é"), "%C3%A9");
    }

    #[test]
    fn parse_arn_splits_the_resource_on_colons_and_slashes() {
        assert_eq!(
            parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint:my/thing"),
            record(&[
                ("partition", s("aws")),
                ("service", s("s3")),
                ("region", s("us-west-2")),
                ("accountId", s("123456789012")),
                ("resourceId", Value::Array(vec![s("accesspoint"), s("my"), s("thing")])),
            ])
        );
        assert!(parse_arn("arn:aws:iam::123456789012:user/x").is_some());
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("arn:aws:s3"), None);
        assert_eq!(parse_arn("urn:aws:s3:r:a:b"), None);
    }

    #[test]
    fn virtual_hostable_buckets_are_lower_case_labels_and_not_ip_addresses() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
    }
}
