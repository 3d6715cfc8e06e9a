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
//!
//! The parts: `rules` is the rule set's typed model and its parsing, `partitions` the
//! partitions document, `eval` the evaluator and `functions` the standard library it calls.

mod eval;
mod functions;
mod partitions;
mod rules;

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;

use serde_json::{Map, Value as Json};

use eval::Evaluation;
use partitions::{PARTITIONS, Partitions};
use rules::{Kind, RULE_SET, Rule, Value, parse_rule_set};

/// The built-in parameter for the client's region.
const BUILT_IN_REGION: &str = "AWS::Region";
/// The built-in parameter for "use the FIPS endpoint".
const BUILT_IN_USE_FIPS: &str = "AWS::UseFIPS";
/// The built-in parameter for "use the dual-stack (IPv4 and IPv6) endpoint".
const BUILT_IN_USE_DUAL_STACK: &str = "AWS::UseDualStack";
/// The built-in parameter for an endpoint URL set by the user.
const BUILT_IN_ENDPOINT: &str = "SDK::Endpoint";

/// Why an endpoint could not be resolved, or a rule set could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The rule set or the partitions document is not what this interpreter understands.
    Invalid {
        /// `rule set` or `partitions`.
        document: &'static str,
        /// Where in the document, as a JSON path, e.g. `rules[0].conditions[1]`, or as
        /// `line L, column C` for text that is not JSON.
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
    /// The names of the `authSchemes` entries, in the rule's order of preference (empty when
    /// the endpoint has none), e.g. `["sigv4a", "sigv4"]`.
    pub fn auth_scheme_names(&self) -> Vec<&str> {
        let schemes = self.properties.get("authSchemes").and_then(Json::as_array);
        schemes.into_iter().flatten().filter_map(|s| s.get("name").and_then(Json::as_str)).collect()
    }

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
    partitions: Partitions,
}

impl EndpointResolver {
    /// Parses an endpoint rule set (`endpoint-rule-set-1.json`) and the partitions
    /// (`partitions.json`). Each error names the document and the place in it.
    pub fn new(rule_set_json: &str, partitions_json: &str) -> Result<Self, EndpointError> {
        let rule_set: Json = serde_json::from_str(rule_set_json).map_err(|e| unparsable(RULE_SET, &e))?;
        let partitions: Json = serde_json::from_str(partitions_json).map_err(|e| unparsable(PARTITIONS, &e))?;
        let partitions = Partitions::parse(&partitions)?;
        let (parameters, rules) = parse_rule_set(&rule_set)?;
        Ok(EndpointResolver { parameters, rules, partitions })
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

/// An [`EndpointError::Invalid`].
fn invalid(document: &'static str, place: &str, message: impl Into<String>) -> EndpointError {
    EndpointError::Invalid { document, place: place.to_owned(), message: message.into() }
}

/// An [`EndpointError::Invalid`] for text that is not JSON (or nests deeper than serde_json's
/// recursion limit): the place is the line and column, which serde_json's message also ends with.
fn unparsable(document: &'static str, error: &serde_json::Error) -> EndpointError {
    let place = format!("line {}, column {}", error.line(), error.column());
    let message = error.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    };
    EndpointError::Invalid { document, place, message }
}

/// `place.key`, or `key` at the top.
fn child(place: &str, key: &str) -> String {
    if place.is_empty() { key.to_owned() } else { format!("{place}.{key}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two partitions, enough for the tests.
    pub(super) const PARTITIONS_JSON: &str = r#"{
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
    pub(super) const RULE_SET_JSON: &str = r#"{
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

    pub(super) fn resolver() -> EndpointResolver {
        EndpointResolver::new(RULE_SET_JSON, PARTITIONS_JSON).expect("the test rule set loads")
    }

    pub(super) fn url(params: EndpointParams) -> String {
        resolver().resolve(&params).expect("an endpoint").url
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
}
