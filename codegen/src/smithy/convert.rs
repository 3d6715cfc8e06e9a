//! Converting the shapes of a service's closure, read from the Smithy JSON AST, into the shape
//! graph.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::Value;

use super::ast::{Ast, AstRef, AstShape, Closure};
use super::traits::Traits;
use super::{UNIT, is_prelude, name_of, prelude_kind};
use crate::error::ModelError;
use crate::ir::{
    EnumValue, Exception, Http, HttpChecksum, IntegerShape, List, Map, Member, Model, Operation, Paginator, Protocol,
    RequestCompression, Service, Shape, ShapeKind, StringShape, Structure,
};

/// Converts shapes of the closure into the shape graph.
pub(super) struct Convert<'a> {
    pub(super) ast: &'a Ast<'a>,
    /// The IR name of every shape and operation of the closure.
    pub(super) names: &'a BTreeMap<String, String>,
}

impl<'a> Convert<'a> {
    /// The shape graph of the service `service_id`, whose closure the AST gave.
    pub(super) fn model(&self, service_id: &str, closure: &Closure) -> Result<Model, ModelError> {
        let mut shapes: BTreeMap<String, (String, Shape)> = BTreeMap::new();
        for id in &closure.shapes {
            let shape = self.shape(id)?;
            match shapes.get(&shape.name) {
                None => {
                    shapes.insert(shape.name.clone(), (id.clone(), shape));
                }
                // A prelude shape and a model shape of the same name that read the same are one.
                Some((other, same)) if *same == shape && (is_prelude(id) || is_prelude(other)) => {}
                Some((other, _)) => {
                    return Err(self.ast.error_at(
                        id,
                        format!("shape {id}"),
                        format!(
                            "its name `{}` is also the name of {other}; shape names must be unique in the \
                             service (add a `rename` to the service)",
                            shape.name
                        ),
                    ));
                }
            }
        }

        let mut operations = BTreeMap::new();
        let mut paginators = BTreeMap::new();
        let mut waiters = BTreeMap::new();
        let mut operation_ids: BTreeMap<String, &String> = BTreeMap::new();
        for id in &closure.operations {
            let operation = self.operation(id, service_id)?;
            if let Some(paginator) = self.paginator(id, service_id)? {
                paginators.insert(operation.name.clone(), paginator);
            }
            if let Some(value) = self.ast.shapes[id.as_str()].traits.get("smithy.waiters#waitable") {
                for (name, waiter) in
                    waitable(value, &operation.name).map_err(|(at, message)| self.ast.error_at(id, at, message))?
                {
                    waiters.insert(name, waiter);
                }
            }
            if let Some(other) = operation_ids.insert(operation.name.clone(), id) {
                return Err(self.ast.error_at(
                    id,
                    format!("operation {id}"),
                    format!(
                        "its name `{}` is also the name of {other}; operation names must be unique",
                        operation.name
                    ),
                ));
            }
            operations.insert(operation.name.clone(), operation);
        }

        let service = self.service(service_id)?;
        let endpoint_rule_set = self.ast.shapes[service_id]
            .traits
            .get("smithy.rules#endpointRuleSet")
            .map(|rules| serde_json::to_string_pretty(rules).unwrap_or_default());
        Ok(Model {
            service,
            operations,
            shapes: shapes.into_iter().map(|(name, (_, shape))| (name, shape)).collect(),
            endpoint_rule_set,
            paginators,
            unsupported_paginators: BTreeMap::new(),
            waiters,
        })
    }

    /// The operation's `smithy.api#paginated` trait, merged over the service's (which gives
    /// the members every paginated operation shares); `None` for an operation without it.
    fn paginator(&self, id: &str, service_id: &str) -> Result<Option<Paginator>, ModelError> {
        let traits = self.traits(id, &self.ast.shapes[id].traits);
        let Some(own) = traits.get("paginated") else { return Ok(None) };
        let service_traits = self.traits(service_id, &self.ast.shapes[service_id].traits);
        let field = |name: &str| -> Result<Option<String>, ModelError> {
            let value = own.get(name).or_else(|| service_traits.get("paginated").and_then(|s| s.get(name)));
            match value {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(other) => {
                    Err(traits.error(format!("trait `smithy.api#paginated`: `{name}` must be a string, found {other}")))
                }
            }
        };
        let (Some(input_token), Some(output_token)) = (field("inputToken")?, field("outputToken")?) else {
            return Err(traits.error(
                "trait `smithy.api#paginated` needs `inputToken` and `outputToken` (on the operation or the service)",
            ));
        };
        Ok(Some(Paginator {
            input_tokens: vec![input_token],
            output_tokens: vec![output_token],
            limit_key: field("pageSize")?,
            result_keys: field("items")?.into_iter().collect(),
            more_results: None,
            non_aggregate_keys: Vec::new(),
        }))
    }

    fn traits(&self, id: &'a str, traits: &'a IndexMap<String, Value>) -> Traits<'a> {
        Traits { ast: self.ast, id, traits }
    }

    /// The IR name of a shape or operation of the closure.
    fn name(&self, id: &str) -> String {
        self.names.get(id).cloned().unwrap_or_else(|| name_of(id).to_string())
    }

    /// Converts the data shape `id`.
    fn shape(&self, id: &str) -> Result<Shape, ModelError> {
        let name = self.name(id);
        if let Some(kind) = prelude_kind(id) {
            return Ok(Shape {
                name,
                kind,
                documentation: None,
                deprecated: None,
                sensitive: false,
                streaming: false,
                event_stream: false,
                xml_name: None,
                xml_namespace: None,
            });
        }
        let ast = &self.ast.shapes[id];
        let traits = self.traits(id, &ast.traits);
        let error = |message: String| traits.error(message);
        let kind = match ast.kind.as_str() {
            "structure" => ShapeKind::Structure(self.structure(id, ast, &traits)?),
            "union" => ShapeKind::Union(self.structure(id, ast, &traits)?),
            "list" | "set" => {
                let member = ast.member.as_ref().ok_or_else(|| error(format!("a {} needs a `member`", ast.kind)))?;
                let member_id = format!("{id}$member");
                let member_traits = self.traits(&member_id, &member.traits);
                ShapeKind::List(List {
                    member: self.name(&member.target),
                    member_timestamp_format: member_traits.timestamp_format()?,
                    length: traits.length()?,
                    sparse: traits.has("sparse"),
                    member_name: member_traits.string("xmlName")?,
                    member_namespace: member_traits.xml_namespace()?,
                    flattened: false,
                })
            }
            "map" => {
                let key = ast.key.as_ref().ok_or_else(|| error("a map needs a `key`".into()))?;
                let value = ast.value.as_ref().ok_or_else(|| error("a map needs a `value`".into()))?;
                let key_traits = self.traits(id, &key.traits);
                let value_traits = self.traits(id, &value.traits);
                ShapeKind::Map(Map {
                    key: self.name(&key.target),
                    value: self.name(&value.target),
                    length: traits.length()?,
                    sparse: traits.has("sparse"),
                    key_name: key_traits.string("xmlName")?,
                    value_name: value_traits.string("xmlName")?,
                    key_namespace: key_traits.xml_namespace()?,
                    value_namespace: value_traits.xml_namespace()?,
                    flattened: false,
                })
            }
            "string" => ShapeKind::String(StringShape {
                enum_values: self.enum_trait(&traits)?,
                length: traits.length()?,
                pattern: traits.string("pattern")?.map(|p| whole_value_pattern(&p)),
            }),
            "enum" => ShapeKind::String(StringShape {
                enum_values: Some(self.enum_members(id, ast)?),
                length: traits.length()?,
                pattern: traits.string("pattern")?.map(|p| whole_value_pattern(&p)),
            }),
            "intEnum" => ShapeKind::Integer(IntegerShape {
                enum_values: Some(self.int_enum_members(id, ast)?),
                range: traits.range()?,
            }),
            "byte" | "short" | "integer" => {
                ShapeKind::Integer(IntegerShape { enum_values: None, range: traits.range()? })
            }
            "long" => ShapeKind::Long(traits.range()?),
            "float" => ShapeKind::Float(traits.range()?),
            "double" => ShapeKind::Double(traits.range()?),
            "boolean" => ShapeKind::Boolean,
            "timestamp" => ShapeKind::Timestamp(traits.timestamp_format()?),
            "blob" => ShapeKind::Blob(traits.length()?),
            "document" => ShapeKind::Document,
            "bigInteger" | "bigDecimal" => {
                return Err(error(format!(
                    "`{}` is not supported: the generator has no arbitrary-precision number type, and \
                     reading it as a 64-bit number would lose digits",
                    ast.kind
                )));
            }
            other => {
                return Err(error(format!(
                    "unknown shape type `{other}` (expected structure, union, list, set, map, string, enum, \
                     intEnum, byte, short, integer, long, float, double, boolean, timestamp, blob or document)"
                )));
            }
        };
        Ok(Shape {
            name,
            kind,
            documentation: traits.documentation()?,
            deprecated: traits.deprecated()?,
            sensitive: traits.has("sensitive"),
            streaming: traits.has("streaming") && ast.kind != "union",
            event_stream: traits.has("streaming") && ast.kind == "union",
            xml_name: traits.string("xmlName")?,
            xml_namespace: traits.xml_namespace()?,
        })
    }

    fn structure(&self, id: &str, ast: &AstShape, traits: &Traits) -> Result<Structure, ModelError> {
        let mut members = Vec::with_capacity(ast.members.len());
        for (member_name, member) in &ast.members {
            let member_id = format!("{id}${member_name}");
            let member_traits = self.traits(&member_id, &member.traits);
            members.push(Member {
                name: member_name.clone(),
                wire_name: member_traits.string("jsonName")?.unwrap_or_else(|| member_name.clone()),
                target: self.name(&member.target),
                documentation: member_traits.documentation()?,
                required: member_traits.has("required"),
                idempotency_token: member_traits.has("idempotencyToken"),
                deprecated: member_traits.deprecated()?,
                timestamp_format: member_traits.timestamp_format()?,
                host_label: member_traits.has("hostLabel"),
                location: member_traits.location(member_name)?,
                xml_attribute: member_traits.has("xmlAttribute"),
                flattened: member_traits.has("xmlFlattened"),
                xml_namespace: member_traits.xml_namespace()?,
                query_name: member_traits
                    .traits
                    .get("aws.protocols#ec2QueryName")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                xml_name: member_traits.string("xmlName")?,
                json_value: self.has_json_media_type(&member.target),
                context_param: member_traits
                    .traits
                    .get("smithy.rules#contextParam")
                    .map(crate::front_end::context_param)
                    .transpose()
                    .map_err(|e| member_traits.error(e))?,
            });
        }
        let exception = match traits.get("error") {
            None => None,
            Some(fault) if matches!(fault.as_str(), Some("client" | "server")) => Some(Exception {
                code: name_of(id).to_string(),
                query_code: traits.field("aws.protocols#awsQueryError", "code")?,
            }),
            Some(fault) => {
                return Err(
                    traits.error(format!("trait `smithy.api#error` must be \"client\" or \"server\", found {fault}"))
                );
            }
        };
        Ok(Structure { members, exception })
    }

    /// Whether the shape `id` is a string whose `@mediaType` is JSON: botocore calls members
    /// targeting it `jsonvalue`.
    fn has_json_media_type(&self, id: &str) -> bool {
        self.ast.shapes.get(id).is_some_and(|shape| {
            shape.kind == "string"
                && shape.traits.get("smithy.api#mediaType").and_then(Value::as_str).is_some_and(|t| t.contains("json"))
        })
    }

    /// The values of a Smithy 1.0 `enum` trait on a string shape.
    fn enum_trait(&self, traits: &Traits) -> Result<Option<Vec<EnumValue>>, ModelError> {
        let Some(value) = traits.get("enum") else {
            return Ok(None);
        };
        let entries = value
            .as_array()
            .ok_or_else(|| traits.error(format!("trait `smithy.api#enum` must be a list, found {value}")))?;
        let mut values = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let field = |name: &str| -> Result<Option<String>, ModelError> {
                match entry.get(name) {
                    None => Ok(None),
                    Some(Value::String(text)) => Ok(Some(text.clone())),
                    Some(other) => Err(traits.error(format!(
                        "trait `smithy.api#enum`, entry {index}: `{name}` must be a string, found {other}"
                    ))),
                }
            };
            let value = field("value")?
                .ok_or_else(|| traits.error(format!("trait `smithy.api#enum`, entry {index}: missing `value`")))?;
            values.push(EnumValue { value, documentation: field("documentation")? });
        }
        Ok(Some(values))
    }

    /// The values of an `enum` shape: `enumValue`, else the member name.
    fn enum_members(&self, id: &str, ast: &AstShape) -> Result<Vec<EnumValue>, ModelError> {
        let mut values = Vec::with_capacity(ast.members.len());
        for (member_name, member) in &ast.members {
            let member_id = format!("{id}${member_name}");
            let traits = self.traits(&member_id, &member.traits);
            let value = match traits.get("enumValue") {
                None => member_name.clone(),
                Some(Value::String(value)) => value.clone(),
                Some(other) => {
                    return Err(traits.error(format!("trait `smithy.api#enumValue` must be a string, found {other}")));
                }
            };
            values.push(EnumValue { value, documentation: traits.documentation()? });
        }
        Ok(values)
    }

    /// The values of an `intEnum` shape; each member needs an `enumValue`.
    fn int_enum_members(&self, id: &str, ast: &AstShape) -> Result<Vec<(String, i32)>, ModelError> {
        let mut values = Vec::with_capacity(ast.members.len());
        for (member_name, member) in &ast.members {
            let member_id = format!("{id}${member_name}");
            let traits = self.traits(&member_id, &member.traits);
            let value =
                traits.get("enumValue").and_then(Value::as_i64).and_then(|v| i32::try_from(v).ok()).ok_or_else(
                    || traits.error("an intEnum member needs an `smithy.api#enumValue` that is a 32-bit integer"),
                )?;
            values.push((member_name.clone(), value));
        }
        Ok(values)
    }

    /// Converts the operation `id` of the service `service_id`.
    fn operation(&self, id: &str, service_id: &str) -> Result<Operation, ModelError> {
        let ast = &self.ast.shapes[id];
        let traits = self.traits(id, &ast.traits);
        let io = |io: &Option<AstRef>, what: &str| -> Result<Option<String>, ModelError> {
            match io {
                None => Ok(None),
                Some(r) if r.target == UNIT => Ok(None),
                Some(r) => {
                    self.ast.resolve(id, what, &r.target, &["structure"])?;
                    Ok(Some(self.name(&r.target)))
                }
            }
        };
        let mut errors: Vec<String> = Vec::new();
        for error in self.ast.operation_errors(service_id, id) {
            let shape = self.ast.resolve(id, "error", &error.target, &["structure"])?;
            if !shape.traits.contains_key("smithy.api#error") {
                return Err(traits.error(format!("error `{}` has no `smithy.api#error` trait", error.target)));
            }
            let name = self.name(&error.target);
            if !errors.contains(&name) {
                errors.push(name);
            }
        }
        let host_prefix = match traits.get("endpoint") {
            None => None,
            Some(endpoint) => Some(
                endpoint
                    .get("hostPrefix")
                    .and_then(Value::as_str)
                    .ok_or_else(|| traits.error("trait `smithy.api#endpoint` needs a string `hostPrefix`"))?
                    .to_string(),
            ),
        };
        let request_compression = match traits.get("requestCompression") {
            None => None,
            Some(compression) => {
                let encodings = compression.get("encodings").and_then(Value::as_array).and_then(|encodings| {
                    encodings.iter().map(|e| e.as_str().map(str::to_string)).collect::<Option<Vec<String>>>()
                });
                let encodings = encodings.ok_or_else(|| {
                    traits.error("trait `smithy.api#requestCompression` needs `encodings`, a list of strings")
                })?;
                Some(RequestCompression { encodings })
            }
        };
        Ok(Operation {
            name: self.name(id),
            input: io(&ast.input, "input")?,
            output: io(&ast.output, "output")?,
            errors,
            documentation: traits.documentation()?,
            deprecated: traits.deprecated()?,
            host_prefix,
            request_compression,
            http: self.http(&traits)?,
            // `@optionalAuth` (older models) or `@auth([])`: no signature.
            unsigned: traits.has("optionalAuth")
                || traits.get("auth").and_then(Value::as_array).is_some_and(|schemes| schemes.is_empty()),
            static_context_params: traits
                .traits
                .get("smithy.rules#staticContextParams")
                .map(crate::front_end::static_context_params)
                .transpose()
                .map_err(|e| traits.error(e))?
                .unwrap_or_default(),
            operation_context_params: traits
                .traits
                .get("smithy.rules#operationContextParams")
                .map(crate::front_end::operation_context_params)
                .transpose()
                .map_err(|e| traits.error(e))?
                .unwrap_or_default(),
            http_checksum: http_checksum(&traits)?,
        })
    }

    /// The `http` trait of an operation: method, URI and status code (POST `/` without it).
    fn http(&self, traits: &Traits) -> Result<Http, ModelError> {
        let Some(http) = traits.get("http") else {
            return Ok(Http { method: "POST".to_string(), request_uri: "/".to_string(), response_code: None });
        };
        let field = |name: &str| {
            http.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| traits.error(format!("trait `smithy.api#http` needs a string `{name}`")))
        };
        let response_code = match http.get("code") {
            None => None,
            Some(code) => Some(code.as_u64().and_then(|c| u16::try_from(c).ok()).ok_or_else(|| {
                traits.error(format!("trait `smithy.api#http`: `code` must be a status, found {code}"))
            })?),
        };
        Ok(Http { method: field("method")?, request_uri: field("uri")?, response_code })
    }

    /// The service metadata from the service shape `id`.
    fn service(&self, id: &str) -> Result<Service, ModelError> {
        let ast = &self.ast.shapes[id];
        let traits = self.traits(id, &ast.traits);
        let aws = ast.traits.get("aws.api#service").ok_or_else(|| {
            traits.error("the service needs the `aws.api#service` trait (its sdkId and endpointPrefix)")
        })?;
        let aws_field = |name: &str| -> Result<Option<String>, ModelError> {
            match aws.get(name) {
                None => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(other) => {
                    Err(traits.error(format!("trait `aws.api#service`: `{name}` must be a string, found {other}")))
                }
            }
        };
        let sdk_id = aws_field("sdkId")?.ok_or_else(|| traits.error("trait `aws.api#service` needs an `sdkId`"))?;
        let target_prefix = name_of(id).to_string();
        // The defaults of `aws.api#service`: the ARN namespace is the lowercased service name,
        // the endpoint prefix the ARN namespace.
        let arn_namespace = aws_field("arnNamespace")?.unwrap_or_else(|| target_prefix.to_ascii_lowercase());
        let endpoint_prefix = aws_field("endpointPrefix")?.unwrap_or(arn_namespace);
        let signing_name = match ast.traits.get("aws.auth#sigv4") {
            None => endpoint_prefix.clone(),
            Some(sigv4) => sigv4
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| traits.error("trait `aws.auth#sigv4` needs a string `name`"))?
                .to_string(),
        };
        // The protocol traits in the order the model applies them: the model's preference.
        let protocols: Vec<Protocol> = ast
            .traits
            .keys()
            .filter_map(|t| t.strip_prefix("aws.protocols#").or_else(|| t.strip_prefix("smithy.protocols#")))
            .filter_map(|name| Protocol::from_name(name, None))
            .collect();
        let Some(protocol) = protocols.iter().copied().find(|p| p.is_generated()) else {
            let found: Vec<&str> = ast
                .traits
                .keys()
                .map(String::as_str)
                .filter(|t| t.starts_with("aws.protocols#") || t.starts_with("smithy.protocols#"))
                .collect();
            let found =
                if found.is_empty() { "no protocol trait".to_string() } else { format!("`{}`", found.join("`, `")) };
            return Err(traits.error(format!(
                "protocol {found} is not supported; this generator speaks {}",
                crate::botocore::supported_protocols()
            )));
        };
        let api_version = ast.version.clone().ok_or_else(|| traits.error("the service needs a `version`"))?;
        Ok(Service {
            full_name: traits.string("title")?.unwrap_or_else(|| sdk_id.clone()),
            sdk_id,
            api_version,
            protocol,
            protocols,
            target_prefix,
            xml_namespace: traits.xml_namespace()?,
            query_compatible: ast.traits.contains_key("aws.protocols#awsQueryCompatible"),
            signing_name,
            endpoint_prefix,
            documentation: traits.documentation()?,
            client_context_params: traits
                .traits
                .get("smithy.rules#clientContextParams")
                .map(crate::front_end::client_context_params)
                .transpose()
                .map_err(|e| traits.error(e))?
                .unwrap_or_default(),
        })
    }
}

/// A Smithy pattern, which matches if found anywhere in the value, as the whole-value pattern
/// botocore and the IR use: `^abc$` is `abc`, `^abc` is `abc.*`, `abc$` is `.*abc`. A pattern
/// with neither anchor is kept as it is, as AWS's own conversion to botocore keeps it (all 384
/// patterns SageMaker's two models share then agree).
fn whole_value_pattern(pattern: &str) -> String {
    let starts = pattern.starts_with('^');
    let inner = crate::ir::strip_anchors(pattern);
    let ends = inner.len() + usize::from(starts) < pattern.len();
    match (starts, ends) {
        (true, false) => format!("{inner}.*"),
        (false, true) => format!(".*{inner}"),
        _ => inner.to_string(),
    }
}

/// The waiters of an operation's `smithy.waiters#waitable` trait; an error is the place
/// (`waiter X, acceptor N`) and what is wrong.
fn waitable(value: &Value, operation: &str) -> Result<Vec<(String, crate::ir::Waiter)>, (String, String)> {
    use crate::ir::{Acceptor, AcceptorState, Matcher, PathComparator};
    let Some(map) = value.as_object() else {
        return Err(("trait smithy.waiters#waitable".into(), "expected an object of waiters".into()));
    };
    let mut waiters = Vec::new();
    for (name, waiter) in map {
        let at = format!("waiter {name}");
        let delay = |key: &str, default: u64| match waiter.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_u64()
                .filter(|d| *d >= 1)
                .ok_or((at.clone(), format!("`{key}` is not a number of seconds of at least 1"))),
        };
        let min_delay = delay("minDelay", 2)?;
        let max_delay = delay("maxDelay", 120)?;
        if max_delay < min_delay {
            return Err((at, format!("`maxDelay` {max_delay} is less than `minDelay` {min_delay}")));
        }
        let mut acceptors = Vec::new();
        for (index, acceptor) in waiter.get("acceptors").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let at = format!("waiter {name}, acceptor {index}");
            let state = match acceptor.get("state").and_then(Value::as_str) {
                Some("success") => AcceptorState::Success,
                Some("failure") => AcceptorState::Failure,
                Some("retry") => AcceptorState::Retry,
                other => return Err((at, format!("state {other:?} is not success, failure or retry"))),
            };
            let matcher =
                acceptor.get("matcher").and_then(Value::as_object).ok_or((at.clone(), "no `matcher`".to_string()))?;
            let matcher = if let Some(output) = matcher.get("output") {
                let path = output
                    .get("path")
                    .and_then(Value::as_str)
                    .ok_or((at.clone(), "output matcher without `path`".to_string()))?;
                let expected = output
                    .get("expected")
                    .and_then(Value::as_str)
                    .ok_or((at.clone(), "output matcher without `expected`".to_string()))?;
                let (comparator, expected) = match output.get("comparator").and_then(Value::as_str) {
                    Some("stringEquals") => (PathComparator::Equals, Value::String(expected.into())),
                    Some("booleanEquals") => (PathComparator::Equals, Value::Bool(expected == "true")),
                    Some("allStringEquals") => (PathComparator::All, Value::String(expected.into())),
                    Some("anyStringEquals") => (PathComparator::Any, Value::String(expected.into())),
                    other => return Err((at, format!("comparator {other:?} is not one of Smithy's"))),
                };
                Matcher::Output { path: path.into(), expected, comparator }
            } else if let Some(code) = matcher.get("errorType").and_then(Value::as_str) {
                // An absolute shape id names the error by its shape name.
                Matcher::ErrorType(code.rsplit('#').next().unwrap_or(code).into())
            } else if let Some(success) = matcher.get("success").and_then(Value::as_bool) {
                Matcher::Success(success)
            } else {
                let kind = matcher.keys().next().cloned().unwrap_or_default();
                return Err((at, format!("matcher `{kind}` is not supported (output, errorType, success)")));
            };
            acceptors.push(Acceptor { state, matcher });
        }
        let documentation = waiter.get("documentation").and_then(Value::as_str).map(str::to_string);
        waiters.push((
            name.clone(),
            crate::ir::Waiter { operation: operation.into(), documentation, min_delay, max_delay, acceptors },
        ));
    }
    Ok(waiters)
}

/// An operation's `aws.protocols#httpChecksum` and `smithy.api#httpChecksumRequired`, as one.
fn http_checksum(traits: &Traits) -> Result<Option<HttpChecksum>, ModelError> {
    let required = traits.has("httpChecksumRequired");
    let Some(value) = traits.traits.get("aws.protocols#httpChecksum") else {
        return Ok(required.then(|| HttpChecksum { request_required: true, ..HttpChecksum::default() }));
    };
    let wrong = |field: &str, expected: &str| {
        traits.error(format!("trait `aws.protocols#httpChecksum` needs `{field}` to be {expected}"))
    };
    let Value::Object(fields) = value else {
        return Err(traits.error("trait `aws.protocols#httpChecksum` must be an object"));
    };
    let member = |field: &str| match fields.get(field) {
        None => Ok(None),
        Some(Value::String(name)) => Ok(Some(name.clone())),
        Some(_) => Err(wrong(field, "a member name")),
    };
    let request_required = match fields.get("requestChecksumRequired") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(wrong("requestChecksumRequired", "a boolean")),
    };
    let response_algorithms = match fields.get("responseAlgorithms") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| wrong("responseAlgorithms", "a list of strings"))?,
        Some(_) => return Err(wrong("responseAlgorithms", "a list of strings")),
    };
    Ok(Some(HttpChecksum {
        request_required: request_required || required,
        request_algorithm_member: member("requestAlgorithmMember")?,
        request_validation_mode_member: member("requestValidationModeMember")?,
        response_algorithms,
    }))
}
