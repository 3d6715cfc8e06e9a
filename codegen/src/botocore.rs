//! The botocore front end: `service-2.json` → the shape graph.
//!
//! The file is read with serde into typed structs that ignore the fields the generator does not
//! use, one shape at a time, so an error names the shape (and its line) it came from.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ModelError;
use crate::front_end::{length_bound, line_of_key, range_bound};
use crate::ir::{
    Deprecation, EnumValue, Exception, Http, HttpChecksum, IntegerShape, Length, List, Location, Map, Member, Model,
    Operation, Protocol, Range, RequestCompression, Service, Shape, ShapeKind, StringShape, Structure, TimestampFormat,
    XmlNamespace,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    api_version: String,
    protocol: String,
    /// The protocols in the service's order of preference (newer models); `protocol` is the
    /// first of them.
    protocols: Option<Vec<String>>,
    json_version: Option<String>,
    xml_namespace: Option<BotoXmlNamespace>,
    #[serde(default)]
    aws_query_compatible: Option<Value>,
    target_prefix: Option<String>,
    signing_name: Option<String>,
    endpoint_prefix: String,
    service_id: Option<String>,
    service_full_name: Option<String>,
}

#[derive(Deserialize)]
struct ShapeRef {
    shape: String,
    /// The member that is the whole body, given on the operation's reference instead of the
    /// shape (botocore merges it into the shape's serialization).
    payload: Option<String>,
    /// The root element of a restXml body, on an operation's input reference (merged into the
    /// shape's serialization the same way).
    #[serde(rename = "locationName")]
    location_name: Option<String>,
    #[serde(rename = "xmlNamespace")]
    xml_namespace: Option<BotoXmlNamespace>,
}

/// A shape's own `location` and `locationName` (botocore merges them under a member's): a
/// member whose reference gives no location is bound where its target says.
type ShapeLocations = BTreeMap<String, (String, Option<String>)>;

/// `xmlNamespace`: a URI string, or `{"uri": .., "prefix": ..}`.
#[derive(Clone, Deserialize)]
#[serde(untagged)]
enum BotoXmlNamespace {
    Uri(String),
    Full { uri: String, prefix: Option<String> },
}

impl From<BotoXmlNamespace> for XmlNamespace {
    fn from(namespace: BotoXmlNamespace) -> Self {
        match namespace {
            BotoXmlNamespace::Uri(uri) => XmlNamespace { uri, prefix: None },
            BotoXmlNamespace::Full { uri, prefix } => XmlNamespace { uri, prefix },
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BotoHttp {
    method: Option<String>,
    request_uri: Option<String>,
    response_code: Option<u16>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BotoOperation {
    input: Option<ShapeRef>,
    output: Option<ShapeRef>,
    #[serde(default)]
    errors: Vec<ShapeRef>,
    documentation: Option<String>,
    #[serde(default)]
    deprecated: bool,
    deprecated_message: Option<String>,
    endpoint: Option<Endpoint>,
    requestcompression: Option<BotoRequestCompression>,
    http: Option<BotoHttp>,
    authtype: Option<String>,
    auth: Option<Vec<String>>,
    static_context_params: Option<Value>,
    operation_context_params: Option<Value>,
    http_checksum: Option<BotoHttpChecksum>,
    #[serde(default)]
    http_checksum_required: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BotoHttpChecksum {
    #[serde(default)]
    request_checksum_required: bool,
    request_algorithm_member: Option<String>,
    request_validation_mode_member: Option<String>,
    #[serde(default)]
    response_algorithms: Vec<String>,
}

#[derive(Deserialize)]
struct BotoRequestCompression {
    #[serde(default)]
    encodings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Endpoint {
    host_prefix: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BotoMember {
    shape: String,
    documentation: Option<String>,
    #[serde(default)]
    idempotency_token: bool,
    #[serde(default)]
    deprecated: bool,
    deprecated_message: Option<String>,
    timestamp_format: Option<String>,
    location_name: Option<String>,
    #[serde(default)]
    host_label: bool,
    location: Option<String>,
    #[serde(default)]
    xml_attribute: bool,
    #[serde(default)]
    flattened: bool,
    xml_namespace: Option<BotoXmlNamespace>,
    query_name: Option<String>,
    #[serde(default)]
    jsonvalue: bool,
    context_param: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorTrait {
    code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BotoShape {
    #[serde(rename = "type")]
    kind: String,
    members: Option<IndexMap<String, BotoMember>>,
    member: Option<BotoMember>,
    key: Option<BotoMember>,
    value: Option<BotoMember>,
    #[serde(default)]
    required: Vec<String>,
    min: Option<serde_json::Number>,
    max: Option<serde_json::Number>,
    pattern: Option<String>,
    #[serde(rename = "enum")]
    enum_values: Option<Vec<String>>,
    documentation: Option<String>,
    #[serde(default)]
    deprecated: bool,
    deprecated_message: Option<String>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    exception: bool,
    error: Option<ErrorTrait>,
    #[serde(default)]
    union: bool,
    #[serde(default)]
    document: bool,
    timestamp_format: Option<String>,
    #[serde(default)]
    sparse: bool,
    #[serde(default)]
    streaming: bool,
    #[serde(default)]
    eventstream: bool,
    #[serde(default)]
    flattened: bool,
    location_name: Option<String>,
    xml_namespace: Option<BotoXmlNamespace>,
    /// The member that is the whole body (REST protocols).
    payload: Option<String>,
}

/// Reads a botocore `service-2.json`. `file` names the file in error messages.
pub fn parse(file: &str, text: &str) -> Result<Model, ModelError> {
    // `Value`'s `FromStr` runs the parser serde_json compiled (optimised even in the dev
    // profile, Cargo.toml), where `serde_json::from_str` would compile it here.
    let root: Value = text.parse().map_err(|e| ModelError::json(file, &e))?;
    let root = root.as_object().ok_or_else(|| ModelError::file(file, "expected a JSON object at the top level"))?;
    let section =
        |name: &str| root.get(name).ok_or_else(|| ModelError::file(file, format!("missing the `{name}` section")));

    let metadata: Metadata =
        Metadata::deserialize(section("metadata")?).map_err(|e| ModelError::at(file, "metadata", e.to_string()))?;
    let mut service = service(file, metadata, root.get("documentation"))?;
    if let Some(params) = root.get("clientContextParams") {
        service.client_context_params = crate::front_end::client_context_params(params)
            .map_err(|e| ModelError::at(file, "clientContextParams", e))?;
    }

    let shapes_value =
        section("shapes")?.as_object().ok_or_else(|| ModelError::at(file, "shapes", "expected an object of shapes"))?;
    let shape_locations: ShapeLocations = shapes_value
        .iter()
        .filter_map(|(name, value)| {
            let location = value.get("location")?.as_str()?.to_string();
            let location_name = value.get("locationName").and_then(Value::as_str).map(str::to_string);
            Some((name.clone(), (location, location_name)))
        })
        .collect();
    let mut shapes = BTreeMap::new();
    for (name, value) in shapes_value {
        let place = |what: String| {
            let mut error = ModelError::at(file, format!("shape {name}"), what);
            error.line = line_of_key(text, Some("shapes"), name);
            error
        };
        // From the borrowed value, without copying the shape first.
        let boto = BotoShape::deserialize(value).map_err(|e| place(e.to_string()))?;
        let shape = convert_shape(name, boto, &shape_locations).map_err(place)?;
        shapes.insert(name.clone(), shape);
    }
    // botocore may say `streaming` on the member (S3's `Body` of PutObject and UploadPart)
    // rather than on its blob; the IR has it on the shape, as Smithy does.
    for target in streaming_member_targets(shapes_value) {
        if let Some(shape) = shapes.get_mut(&target) {
            shape.streaming = true;
        }
    }

    let operations_value = section("operations")?
        .as_object()
        .ok_or_else(|| ModelError::at(file, "operations", "expected an object of operations"))?;
    let mut operations = BTreeMap::new();
    for (name, value) in operations_value {
        let boto = BotoOperation::deserialize(value).map_err(|e| {
            let mut error = ModelError::at(file, format!("operation {name}"), e.to_string());
            error.line = line_of_key(text, Some("operations"), name);
            error
        })?;
        for reference in [&boto.input, &boto.output].into_iter().flatten() {
            if let Some(payload) = &reference.payload {
                set_payload(&mut shapes, &reference.shape, payload)
                    .map_err(|e| ModelError::at(file, format!("operation {name}"), e))?;
            }
            // The reference's root element name and namespace, where the shape has none of its
            // own (as Smithy's `@xmlName` on the input structure decides the root).
            if let Some(shape) = shapes.get_mut(&reference.shape) {
                if shape.xml_name.is_none() {
                    shape.xml_name = reference.location_name.clone();
                }
                if shape.xml_namespace.is_none() {
                    shape.xml_namespace = reference.xml_namespace.clone().map(XmlNamespace::from);
                }
            }
        }
        let operation = convert_operation(name, boto).map_err(|e| {
            let mut error = ModelError::at(file, format!("operation {name}"), e);
            error.line = line_of_key(text, Some("operations"), name);
            error
        })?;
        operations.insert(name.clone(), operation);
    }

    // botocore keeps the rule set in a file of its own; the caller adds it.
    let model = Model {
        service,
        operations,
        shapes,
        endpoint_rule_set: None,
        paginators: BTreeMap::new(),
        unsupported_paginators: BTreeMap::new(),
        waiters: BTreeMap::new(),
    };
    check_references(file, text, &model)?;
    Ok(model)
}

fn service(file: &str, metadata: Metadata, docs: Option<&Value>) -> Result<Service, ModelError> {
    let json_version = metadata.json_version.as_deref();
    let names = metadata.protocols.clone().unwrap_or_else(|| vec![metadata.protocol.clone()]);
    let mut protocols = Vec::new();
    for name in &names {
        let protocol = Protocol::from_name(name, json_version).ok_or_else(|| match name.as_str() {
            "json" => ModelError::at(
                file,
                "metadata.jsonVersion",
                format!("protocol `json` needs \"1.0\" or \"1.1\", found {json_version:?}"),
            ),
            _ => ModelError::at(file, "metadata.protocols", format!("unknown protocol `{name}`")),
        })?;
        if !protocols.contains(&protocol) {
            protocols.push(protocol);
        }
    }
    let protocol = protocols.iter().copied().find(|p| p.is_generated()).ok_or_else(|| {
        ModelError::at(
            file,
            "metadata.protocols",
            format!(
                "protocol `{}` is not supported; this generator speaks {}",
                names.join("`, `"),
                supported_protocols()
            ),
        )
    })?;
    let target_prefix = metadata.target_prefix.unwrap_or_default();
    if protocol.json_version().is_some() && target_prefix.is_empty() {
        return Err(ModelError::at(file, "metadata.targetPrefix", "a json-protocol service needs a target prefix"));
    }
    let sdk_id = match metadata.service_id {
        Some(id) => id,
        None if !target_prefix.is_empty() => target_prefix.clone(),
        None => metadata.endpoint_prefix.clone(),
    };
    Ok(Service {
        full_name: metadata.service_full_name.unwrap_or_else(|| sdk_id.clone()),
        sdk_id,
        api_version: metadata.api_version,
        protocol,
        protocols,
        target_prefix,
        xml_namespace: metadata.xml_namespace.map(XmlNamespace::from),
        query_compatible: metadata.aws_query_compatible.is_some(),
        signing_name: metadata.signing_name.unwrap_or_else(|| metadata.endpoint_prefix.clone()),
        endpoint_prefix: metadata.endpoint_prefix,
        documentation: docs.and_then(Value::as_str).map(str::to_string),
        client_context_params: Vec::new(),
    })
}

/// The protocols the generator emits, for messages: `` `json` (awsJson 1.0 and 1.1) ``.
pub fn supported_protocols() -> String {
    let names: Vec<String> =
        Protocol::ALL.iter().filter(|p| p.is_generated()).map(|p| format!("`{}`", p.name())).collect();
    names.join(", ")
}

/// Binds `member` of structure `shape` to the body, as a `payload` on an operation's reference
/// to it says (the member keeps a location of its own, if it has one).
fn set_payload(shapes: &mut BTreeMap<String, Shape>, shape: &str, member: &str) -> Result<(), String> {
    let Some(Shape { kind: ShapeKind::Structure(structure), .. }) = shapes.get_mut(shape) else {
        return Err(format!("`payload` is given on `{shape}`, which is not a structure"));
    };
    let member = structure
        .members
        .iter_mut()
        .find(|m| m.name == member)
        .ok_or_else(|| format!("`payload` names `{member}`, which is not a member of `{shape}`"))?;
    member.location.get_or_insert(Location::Payload);
    Ok(())
}

fn convert_operation(name: &str, boto: BotoOperation) -> Result<Operation, String> {
    Ok(Operation {
        name: name.to_string(),
        input: boto.input.map(|r| r.shape),
        output: boto.output.map(|r| r.shape),
        // Some models list an error twice (CloudTrail's StartImport); one variant each.
        errors: boto.errors.into_iter().fold(Vec::new(), |mut errors, r| {
            if !errors.contains(&r.shape) {
                errors.push(r.shape);
            }
            errors
        }),
        documentation: boto.documentation,
        deprecated: deprecation(boto.deprecated, boto.deprecated_message),
        host_prefix: boto.endpoint.and_then(|e| e.host_prefix),
        request_compression: boto.requestcompression.map(|c| RequestCompression { encodings: c.encodings }),
        http: boto
            .http
            .map(|h| Http {
                method: h.method.unwrap_or_else(|| "POST".to_string()),
                request_uri: h.request_uri.unwrap_or_else(|| "/".to_string()),
                response_code: h.response_code,
            })
            .unwrap_or_else(|| Http { method: "POST".to_string(), request_uri: "/".to_string(), response_code: None }),
        // `authtype: none` (older models) or an `auth` list that is empty or only `smithy.api#noAuth`.
        unsigned: boto.authtype.as_deref() == Some("none")
            || boto.auth.is_some_and(|auth| auth.iter().all(|a| a == "smithy.api#noAuth")),
        http_checksum: http_checksum(boto.http_checksum, boto.http_checksum_required),
        static_context_params: boto
            .static_context_params
            .as_ref()
            .map(crate::front_end::static_context_params)
            .transpose()?
            .unwrap_or_default(),
        operation_context_params: boto
            .operation_context_params
            .as_ref()
            .map(crate::front_end::operation_context_params)
            .transpose()?
            .unwrap_or_default(),
    })
}

/// The operation's `httpChecksum` and `httpChecksumRequired`, as one.
fn http_checksum(trait_value: Option<BotoHttpChecksum>, required: bool) -> Option<HttpChecksum> {
    if trait_value.is_none() && !required {
        return None;
    }
    let trait_value = trait_value.unwrap_or(BotoHttpChecksum {
        request_checksum_required: false,
        request_algorithm_member: None,
        request_validation_mode_member: None,
        response_algorithms: Vec::new(),
    });
    Some(HttpChecksum {
        request_required: required || trait_value.request_checksum_required,
        request_algorithm_member: trait_value.request_algorithm_member,
        request_validation_mode_member: trait_value.request_validation_mode_member,
        response_algorithms: trait_value.response_algorithms,
    })
}

/// The shapes that a member marked `streaming: true` targets.
fn streaming_member_targets(shapes: &serde_json::Map<String, Value>) -> Vec<String> {
    shapes
        .values()
        .filter_map(|shape| shape.get("members")?.as_object())
        .flat_map(|members| members.values())
        .filter(|member| member.get("streaming").and_then(Value::as_bool) == Some(true))
        .filter_map(|member| member.get("shape")?.as_str().map(str::to_string))
        .collect()
}

fn deprecation(deprecated: bool, message: Option<String>) -> Option<Deprecation> {
    (deprecated || message.is_some()).then_some(Deprecation { message })
}

fn convert_shape(name: &str, boto: BotoShape, shape_locations: &ShapeLocations) -> Result<Shape, String> {
    let length = length(&boto)?;
    let range = range(&boto)?;
    let kind = match boto.kind.as_str() {
        "structure" if boto.document => ShapeKind::Document,
        "structure" => {
            let structure = structure(name, &boto, shape_locations)?;
            if boto.union { ShapeKind::Union(structure) } else { ShapeKind::Structure(structure) }
        }
        "list" => {
            let member = boto.member.as_ref().ok_or("a list needs a `member`")?;
            ShapeKind::List(List {
                member: member.shape.clone(),
                member_timestamp_format: timestamp_format(member.timestamp_format.as_deref())?,
                length,
                sparse: boto.sparse,
                member_name: member.location_name.clone(),
                member_namespace: member.xml_namespace.clone().map(XmlNamespace::from),
                flattened: boto.flattened,
            })
        }
        "map" => {
            let key = boto.key.as_ref().ok_or("a map needs a `key`")?;
            let value = boto.value.as_ref().ok_or("a map needs a `value`")?;
            ShapeKind::Map(Map {
                key: key.shape.clone(),
                value: value.shape.clone(),
                length,
                sparse: boto.sparse,
                key_name: key.location_name.clone(),
                value_name: value.location_name.clone(),
                key_namespace: key.xml_namespace.clone().map(XmlNamespace::from),
                value_namespace: value.xml_namespace.clone().map(XmlNamespace::from),
                flattened: boto.flattened,
            })
        }
        // `character` is a legacy botocore type: a string (of one character).
        "string" | "character" => ShapeKind::String(StringShape {
            enum_values: boto.enum_values.as_ref().map(|values| {
                values.iter().map(|value| EnumValue { value: value.clone(), documentation: None }).collect()
            }),
            length,
            pattern: boto.pattern.clone(),
        }),
        "integer" => ShapeKind::Integer(IntegerShape { enum_values: None, range }),
        "long" => ShapeKind::Long(range),
        "float" => ShapeKind::Float(range),
        "double" => ShapeKind::Double(range),
        "boolean" => ShapeKind::Boolean,
        "timestamp" => ShapeKind::Timestamp(timestamp_format(boto.timestamp_format.as_deref())?),
        "blob" => ShapeKind::Blob(length),
        other => {
            return Err(format!(
                "unknown shape type `{other}` (expected structure, list, map, string, integer, \
                 long, float, double, boolean, timestamp or blob)"
            ));
        }
    };
    Ok(Shape {
        name: name.to_string(),
        kind,
        documentation: boto.documentation,
        deprecated: deprecation(boto.deprecated, boto.deprecated_message),
        sensitive: boto.sensitive,
        streaming: boto.streaming,
        event_stream: boto.eventstream,
        xml_name: boto.location_name,
        xml_namespace: boto.xml_namespace.map(XmlNamespace::from),
    })
}

fn structure(name: &str, boto: &BotoShape, shape_locations: &ShapeLocations) -> Result<Structure, String> {
    let empty = IndexMap::new();
    let members_in = boto.members.as_ref().unwrap_or(&empty);
    for required in &boto.required {
        if !members_in.contains_key(required) {
            return Err(format!("`required` names `{required}`, which is not a member"));
        }
    }
    if let Some(payload) = &boto.payload
        && !members_in.contains_key(payload)
    {
        return Err(format!("`payload` names `{payload}`, which is not a member"));
    }
    let mut members = Vec::with_capacity(members_in.len());
    for (member_name, member) in members_in {
        let from_shape = shape_locations.get(&member.shape).filter(|_| member.location.is_none());
        let location_name = member.location_name.clone().or_else(|| from_shape.and_then(|(_, name)| name.clone()));
        let location = match member.location.as_deref().or(from_shape.map(|(location, _)| location.as_str())) {
            None if boto.payload.as_deref() == Some(member_name.as_str()) => Some(Location::Payload),
            None => None,
            Some(location) => {
                let name = || location_name.clone().unwrap_or_else(|| member_name.clone());
                Some(match location {
                    "uri" => Location::Label(name()),
                    "querystring" if location_name.is_none() => Location::QueryParams,
                    "querystring" => Location::Query(name()),
                    "header" => Location::Header(name()),
                    "headers" => Location::PrefixHeaders(location_name.clone().unwrap_or_default()),
                    "statusCode" => Location::StatusCode,
                    other => {
                        return Err(format!(
                            "member {member_name}: unknown location `{other}` (expected uri, querystring, header, \
                             headers or statusCode)"
                        ));
                    }
                })
            }
        };
        members.push(Member {
            name: member_name.clone(),
            wire_name: member.location_name.clone().unwrap_or_else(|| member_name.clone()),
            target: member.shape.clone(),
            documentation: member.documentation.clone(),
            required: boto.required.contains(member_name),
            idempotency_token: member.idempotency_token,
            deprecated: deprecation(member.deprecated, member.deprecated_message.clone()),
            timestamp_format: timestamp_format(member.timestamp_format.as_deref())
                .map_err(|e| format!("member {member_name}: {e}"))?,
            host_label: member.host_label,
            location,
            xml_attribute: member.xml_attribute,
            flattened: member.flattened,
            xml_namespace: member.xml_namespace.clone().map(XmlNamespace::from),
            query_name: member.query_name.clone(),
            xml_name: member.location.is_none().then(|| member.location_name.clone()).flatten(),
            json_value: member.jsonvalue,
            context_param: member
                .context_param
                .as_ref()
                .map(crate::front_end::context_param)
                .transpose()
                .map_err(|e| format!("member {member_name}: {e}"))?,
        });
    }
    let exception = (boto.exception || boto.error.is_some())
        .then(|| Exception { code: name.to_string(), query_code: boto.error.as_ref().and_then(|e| e.code.clone()) });
    Ok(Structure { members, exception })
}

fn timestamp_format(format: Option<&str>) -> Result<Option<TimestampFormat>, String> {
    match format {
        None => Ok(None),
        Some("unixTimestamp") => Ok(Some(TimestampFormat::EpochSeconds)),
        Some("iso8601") => Ok(Some(TimestampFormat::DateTime)),
        Some("rfc822") => Ok(Some(TimestampFormat::HttpDate)),
        Some(other) => Err(format!("unknown timestampFormat `{other}` (expected unixTimestamp, iso8601 or rfc822)")),
    }
}

fn length(boto: &BotoShape) -> Result<Length, String> {
    let bound = |n: &Option<serde_json::Number>, which: &str| {
        n.as_ref().map(|n| length_bound(which, &Value::Number(n.clone()))).transpose()
    };
    match boto.kind.as_str() {
        "string" | "character" | "blob" | "list" | "map" => {
            Ok(Length { min: bound(&boto.min, "min")?, max: bound(&boto.max, "max")? })
        }
        _ => Ok(Length::default()),
    }
}

fn range(boto: &BotoShape) -> Result<Range, String> {
    let bound = |n: &Option<serde_json::Number>| n.as_ref().map(range_bound);
    match boto.kind.as_str() {
        "integer" | "long" | "float" | "double" => Ok(Range { min: bound(&boto.min), max: bound(&boto.max) }),
        _ => Ok(Range::default()),
    }
}

/// Every reference (operation input/output/errors, members, list members, map keys and values)
/// must name a shape of the model.
fn check_references(file: &str, text: &str, model: &Model) -> Result<(), ModelError> {
    let missing = |location: String, target: &str, section: &str, key: &str| {
        let mut error =
            ModelError::at(file, location, format!("refers to shape `{target}`, which is not in the model"));
        error.line = line_of_key(text, Some(section), key);
        error
    };
    for (name, operation) in &model.operations {
        let refs = operation.input.iter().map(|s| ("input", s));
        let refs = refs.chain(operation.output.iter().map(|s| ("output", s)));
        let refs = refs.chain(operation.errors.iter().map(|s| ("errors", s)));
        for (what, target) in refs {
            if !model.shapes.contains_key(target) {
                return Err(missing(format!("operation {name}, {what}"), target, "operations", name));
            }
        }
    }
    for (name, shape) in &model.shapes {
        let targets: Vec<(String, &String)> = match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                s.members.iter().map(|m| (format!("shape {name}, member {}", m.name), &m.target)).collect()
            }
            ShapeKind::List(list) => vec![(format!("shape {name}, list member"), &list.member)],
            ShapeKind::Map(map) => {
                vec![(format!("shape {name}, map key"), &map.key), (format!("shape {name}, map value"), &map.value)]
            }
            _ => Vec::new(),
        };
        for (location, target) in targets {
            if !model.shapes.contains_key(target) {
                return Err(missing(location, target, "shapes", name));
            }
        }
    }
    Ok(())
}

/// A paginator of botocore's `paginators-1.json`: tokens and result keys are a string or a list
/// of strings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BotoPaginator {
    input_token: OneOrMany,
    output_token: OneOrMany,
    limit_key: Option<String>,
    #[serde(default)]
    result_key: OneOrMany,
    more_results: Option<String>,
    #[serde(default)]
    non_aggregate_keys: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
    #[default]
    None,
}

impl From<OneOrMany> for Vec<String> {
    fn from(value: OneOrMany) -> Self {
        match value {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
            OneOrMany::None => Vec::new(),
        }
    }
}

/// Reads botocore's `paginators-1.json` (`{"pagination": {"ListFoo": {...}}}`); `file` names it
/// in errors, which also name the paginator. The paths are checked against the shapes by
/// [`Model::with_paginators`]. Paginators with a JMESPath expression other than a member path
/// (`a.b`) come second, with why: botocore evaluates them, the generator does not.
#[allow(clippy::type_complexity)]
pub fn paginators(
    file: &str,
    text: &str,
) -> Result<(BTreeMap<String, crate::ir::Paginator>, BTreeMap<String, String>), ModelError> {
    #[derive(Deserialize)]
    struct File {
        pagination: IndexMap<String, Value>,
    }
    let document: File = serde_json::from_str(text).map_err(|e| ModelError::json(file, &e))?;
    let mut paginators = BTreeMap::new();
    let mut unsupported = BTreeMap::new();
    'paginators: for (name, value) in document.pagination {
        let boto: BotoPaginator = serde_json::from_value(value).map_err(|e| {
            let mut error = ModelError::at(file, format!("paginator {name}"), e.to_string());
            error.line = line_of_key(text, Some("pagination"), &name);
            error
        })?;
        let paginator = crate::ir::Paginator {
            input_tokens: boto.input_token.into(),
            output_tokens: boto.output_token.into(),
            limit_key: boto.limit_key,
            result_keys: boto.result_key.into(),
            more_results: boto.more_results,
            non_aggregate_keys: boto.non_aggregate_keys,
        };
        for path in paginator.output_tokens.iter().chain(&paginator.result_keys).chain(&paginator.more_results) {
            if !path.split('.').all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')) {
                let why = format!("`{path}` is a JMESPath expression, not a member path (`Member` or `Member.Nested`)");
                unsupported.insert(name, why);
                continue 'paginators;
            }
        }
        paginators.insert(name, paginator);
    }
    Ok((paginators, unsupported))
}

/// botocore's `paginators-1.json` text with a `paginators-1.sdk-extras.json` merged over it, as
/// botocore's loader merges it: the extras' `merge` object is merged key by key into the
/// paginators document, objects recursively, any other value replacing the original. The files
/// are named in errors by `file` and `extras_file`.
pub fn merge_sdk_extras(file: &str, text: &str, extras_file: &str, extras: &str) -> Result<String, ModelError> {
    fn merge(into: &mut serde_json::Map<String, Value>, from: serde_json::Map<String, Value>) {
        for (key, value) in from {
            match (into.get_mut(&key), value) {
                (Some(Value::Object(into)), Value::Object(from)) => merge(into, from),
                (_, value) => {
                    into.insert(key, value);
                }
            }
        }
    }
    let mut document: Value = serde_json::from_str(text).map_err(|e| ModelError::json(file, &e))?;
    let extras: Value = serde_json::from_str(extras).map_err(|e| ModelError::json(extras_file, &e))?;
    let Some(Value::Object(additions)) = extras.get("merge").cloned() else {
        return Err(ModelError::file(extras_file, "expected a `merge` object at the top level"));
    };
    let Value::Object(object) = &mut document else {
        return Err(ModelError::file(file, "expected a JSON object at the top level"));
    };
    merge(object, additions);
    Ok(document.to_string())
}

#[cfg(test)]
mod paginator_tests {
    use super::*;

    #[test]
    fn sdk_extras_merge_into_the_paginators_as_botocore_merges_them() {
        let base = r#"{"pagination": {"Search": {"input_token": "NextToken", "output_token": "NextToken",
            "result_key": "Results"}, "ListA": {"input_token": "T", "output_token": "T"}}}"#;
        let extras = r#"{"version": 1.0, "merge": {"pagination": {"Search": {"non_aggregate_keys": ["TotalHits"]}}}}"#;
        let merged = merge_sdk_extras("p.json", base, "e.json", extras).unwrap();
        let (paginators, unsupported) = paginators("p.json", &merged).unwrap();
        assert!(unsupported.is_empty());
        assert_eq!(paginators["Search"].non_aggregate_keys, ["TotalHits"]);
        assert_eq!(paginators["Search"].result_keys, ["Results"]);
        assert_eq!(paginators["ListA"].input_tokens, ["T"]);
        let error = merge_sdk_extras("p.json", base, "e.json", r#"{"version": 1.0}"#).unwrap_err();
        assert_eq!(error.to_string(), "e.json: expected a `merge` object at the top level");
    }

    #[test]
    fn paginators_read_nested_tokens_several_result_keys_and_more_results() {
        let text = r#"{"pagination": {"ListNested": {"input_token": "Marker", "output_token": "Page.Next",
            "limit_key": "Limit", "more_results": "IsTruncated", "result_key": ["Things", "Others"]}}}"#;
        let (paginators, _) = paginators("p.json", text).unwrap();
        let nested = &paginators["ListNested"];
        assert_eq!(nested.output_tokens, ["Page.Next"]);
        assert_eq!(nested.result_keys, ["Things", "Others"]);
        assert_eq!(nested.more_results.as_deref(), Some("IsTruncated"));
        assert_eq!(nested.limit_key.as_deref(), Some("Limit"));
    }
}

/// Reads botocore's `waiters-2.json` (`{"version": 2, "waiters": {"Name": {...}}}`); `file`
/// names it in errors, which also name the waiter and acceptor.
///
/// botocore waits a fixed `delay` between at most `maxAttempts` attempts; the generated waiters
/// follow the Smithy specification instead (exponential backoff with jitter, bounded by the
/// caller's `max_wait`), with the `delay` as the minimum delay and Smithy's default maximum,
/// 120 s (or the `delay`, when longer), as AWS's Smithy models converted from botocore have it.
/// `maxAttempts` is not used: the caller's `max_wait` bounds the wait.
pub fn waiters(file: &str, text: &str) -> Result<BTreeMap<String, crate::ir::Waiter>, ModelError> {
    use crate::ir::{Acceptor, AcceptorState, Matcher, PathComparator};
    #[derive(Deserialize)]
    struct File {
        waiters: IndexMap<String, Value>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct BotoWaiter {
        operation: String,
        delay: u64,
        #[allow(dead_code)]
        max_attempts: u64,
        description: Option<String>,
        acceptors: Vec<BotoAcceptor>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct BotoAcceptor {
        matcher: String,
        state: String,
        expected: Value,
        argument: Option<String>,
    }
    let document: File = serde_json::from_str(text).map_err(|e| ModelError::json(file, &e))?;
    let mut waiters = BTreeMap::new();
    for (name, value) in document.waiters {
        let at = format!("waiter {name}");
        let boto: BotoWaiter = serde_json::from_value(value).map_err(|e| {
            let mut error = ModelError::at(file, &at, e.to_string());
            error.line = line_of_key(text, Some("waiters"), &name);
            error
        })?;
        if boto.delay == 0 {
            return Err(ModelError::at(file, &at, "`delay` must be at least 1 second"));
        }
        let mut acceptors = Vec::new();
        for (index, acceptor) in boto.acceptors.into_iter().enumerate() {
            let at = format!("waiter {name}, acceptor {index}");
            let state = match acceptor.state.as_str() {
                "success" => AcceptorState::Success,
                "failure" => AcceptorState::Failure,
                "retry" => AcceptorState::Retry,
                other => {
                    return Err(ModelError::at(
                        file,
                        &at,
                        format!("unknown state `{other}` (success, failure or retry)"),
                    ));
                }
            };
            let path = |comparator| match (&acceptor.argument, &acceptor.expected) {
                (Some(path), expected @ (Value::String(_) | Value::Bool(_) | Value::Number(_))) => {
                    Ok(Matcher::Output { path: path.clone(), expected: expected.clone(), comparator })
                }
                (None, _) => {
                    Err(ModelError::at(file, &at, format!("a `{}` matcher needs an `argument`", acceptor.matcher)))
                }
                (Some(_), other) => {
                    Err(ModelError::at(file, &at, format!("`expected` {other} is not a string, boolean or number")))
                }
            };
            let matcher = match acceptor.matcher.as_str() {
                "path" => path(PathComparator::Equals)?,
                "pathAll" => path(PathComparator::All)?,
                "pathAny" => path(PathComparator::Any)?,
                "error" => match &acceptor.expected {
                    Value::String(code) => Matcher::ErrorType(code.clone()),
                    // botocore: `true` matches any error, `false` any success.
                    Value::Bool(error) => Matcher::Success(!error),
                    other => {
                        return Err(ModelError::at(
                            file,
                            &at,
                            format!("`expected` {other} of an `error` matcher is not an error code or boolean"),
                        ));
                    }
                },
                "status" => match acceptor.expected.as_u64().and_then(|s| u16::try_from(s).ok()) {
                    Some(status) => Matcher::Status(status),
                    None => {
                        return Err(ModelError::at(
                            file,
                            &at,
                            "`expected` of a `status` matcher is not an HTTP status",
                        ));
                    }
                },
                other => {
                    return Err(ModelError::at(
                        file,
                        &at,
                        format!("unknown matcher `{other}` (path, pathAll, pathAny, error or status)"),
                    ));
                }
            };
            acceptors.push(Acceptor { state, matcher });
        }
        let waiter = crate::ir::Waiter {
            operation: boto.operation,
            documentation: boto.description,
            min_delay: boto.delay,
            max_delay: boto.delay.max(120),
            acceptors,
        };
        waiters.insert(name, waiter);
    }
    Ok(waiters)
}

#[cfg(test)]
mod waiter_tests {
    use super::waiters;
    use crate::ir::{AcceptorState, Matcher, PathComparator};

    #[test]
    fn reads_every_matcher_and_maps_the_delay() {
        let text = r#"{"version": 2, "waiters": {"Up": {"operation": "Describe", "delay": 15, "maxAttempts": 40,
            "acceptors": [
                {"matcher": "path", "argument": "S", "expected": "ok", "state": "success"},
                {"matcher": "pathAll", "argument": "L[].S", "expected": "ok", "state": "success"},
                {"matcher": "pathAny", "argument": "L[].S", "expected": "bad", "state": "failure"},
                {"matcher": "error", "expected": "NotFound", "state": "retry"},
                {"matcher": "error", "expected": true, "state": "failure"},
                {"matcher": "status", "expected": 404, "state": "failure"}]}}}"#;
        let waiters = waiters("w.json", text).unwrap();
        let up = &waiters["Up"];
        assert_eq!((up.operation.as_str(), up.min_delay, up.max_delay), ("Describe", 15, 120));
        let matchers: Vec<&Matcher> = up.acceptors.iter().map(|a| &a.matcher).collect();
        assert!(matches!(matchers[0], Matcher::Output { comparator: PathComparator::Equals, .. }));
        assert!(matches!(matchers[1], Matcher::Output { comparator: PathComparator::All, .. }));
        assert!(matches!(matchers[2], Matcher::Output { comparator: PathComparator::Any, .. }));
        assert_eq!(matchers[3], &Matcher::ErrorType("NotFound".into()));
        assert_eq!(matchers[4], &Matcher::Success(false));
        assert_eq!(matchers[5], &Matcher::Status(404));
        assert_eq!(up.acceptors[3].state, AcceptorState::Retry);
    }

    #[test]
    fn errors_name_the_file_waiter_and_acceptor() {
        let text = r#"{"waiters": {"Up": {"operation": "D", "delay": 5, "maxAttempts": 1,
            "acceptors": [{"matcher": "path", "argument": "S", "expected": "ok", "state": "success"},
                          {"matcher": "bogus", "expected": "x", "state": "success"}]}}}"#;
        let error = waiters("w.json", text).unwrap_err().to_string();
        assert!(error.starts_with("w.json: waiter Up, acceptor 1: unknown matcher `bogus`"), "{error}");
        let text = r#"{"waiters": {"Up": {"operation": "D", "delay": 5, "maxAttempts": 1,
            "acceptors": [{"matcher": "path", "expected": "ok", "state": "done"}]}}}"#;
        let error = waiters("w.json", text).unwrap_err().to_string();
        assert!(error.contains("waiter Up, acceptor 0: unknown state `done`"), "{error}");
    }
}
