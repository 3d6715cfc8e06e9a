//! The shape graph: one intermediate representation that every model front end produces and
//! every emitter reads. Nothing here knows which model format a shape came from.

use std::collections::BTreeMap;

use crate::error::ModelError;

/// A whole service model: metadata, operations and shapes, keyed by their model names.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Service-wide metadata.
    pub service: Service,
    /// Operations by name.
    pub operations: BTreeMap<String, Operation>,
    /// Shapes by name (the shape name without namespace).
    pub shapes: BTreeMap<String, Shape>,
    /// The service's endpoint rule set, as JSON text: a Smithy service's
    /// `smithy.rules#endpointRuleSet` trait, or botocore's `endpoint-rule-set-1.json`, which
    /// lives beside `service-2.json` and is added with [`Model::with_endpoint_rule_set`].
    pub endpoint_rule_set: Option<String>,
    /// Paginators by operation name: botocore's `paginators-1.json` (beside `service-2.json`,
    /// added with [`Model::with_paginators`]) or Smithy's `smithy.api#paginated` trait.
    pub paginators: BTreeMap<String, Paginator>,
    /// Paginators of botocore's `paginators-1.json` that the generator cannot follow (a token
    /// or result at a JMESPath expression other than a member path, such as Kinesis's
    /// `StreamDescription.Shards[-1].ShardId`), by operation, with why: their operations are
    /// generated without a paginator, and `cargo xtask codegen` lists them.
    pub unsupported_paginators: BTreeMap<String, String>,
    /// Waiters by name: botocore's `waiters-2.json` (beside `service-2.json`, added with
    /// [`Model::with_waiters`]) or Smithy's `smithy.waiters#waitable` trait.
    pub waiters: BTreeMap<String, Waiter>,
}

/// A waiter: an operation called until one of its acceptors decides.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// The operation it calls.
    pub operation: String,
    /// The documentation, if any (HTML or plain text).
    pub documentation: Option<String>,
    /// The minimum delay between attempts, in seconds. Smithy's `minDelay` (default 2), or
    /// botocore's `delay`, its fixed delay.
    pub min_delay: u64,
    /// The maximum delay between attempts, in seconds. Smithy's `maxDelay` (default 120); from
    /// botocore, Smithy's default 120 (or the fixed delay, when that is longer), as AWS's own
    /// Smithy models converted from botocore's waiters have it.
    pub max_delay: u64,
    /// The acceptors, in order: the first that matches decides.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor of a waiter.
#[derive(Clone, Debug, PartialEq)]
pub struct Acceptor {
    /// What a match means: `success`, `failure` or `retry`.
    pub state: AcceptorState,
    /// What it matches.
    pub matcher: Matcher,
}

/// What a matching acceptor means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// The waiter succeeds.
    Success,
    /// The waiter fails.
    Failure,
    /// The waiter asks again.
    Retry,
}

/// What an acceptor looks at.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// A JMESPath expression over the output compared with `expected`: botocore's `path`
    /// (Smithy's `stringEquals`/`booleanEquals`), `pathAll` (`allStringEquals`) and `pathAny`
    /// (`anyStringEquals`).
    Output {
        /// The JMESPath expression.
        path: String,
        /// What it is compared with: a string, boolean or number.
        expected: serde_json::Value,
        /// How.
        comparator: PathComparator,
    },
    /// An error with this code.
    ErrorType(String),
    /// `true`: any success; `false`: any error (Smithy's `success`; botocore's `error` with a
    /// boolean is the opposite: `true` is any error).
    Success(bool),
    /// An HTTP status code (botocore's `status`).
    Status(u16),
}

/// How a path matcher compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathComparator {
    /// The value equals the expected one.
    Equals,
    /// The value is a non-empty list all of whose elements equal it.
    All,
    /// The value is a list one of whose elements equals it.
    Any,
}

/// How an operation's results come in pages: which input member takes the token, where the
/// output gives the next one, and where the results are. Paths are member names joined with
/// `.` (`a.b` is member `b` of the structure in member `a`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paginator {
    /// The input members that take the tokens (usually one, `NextToken`).
    pub input_tokens: Vec<String>,
    /// Where the output gives the tokens, in the order of `input_tokens`.
    pub output_tokens: Vec<String>,
    /// The input member that sets the page size (e.g. `MaxResults`), if any.
    pub limit_key: Option<String>,
    /// Where the output gives the results; the first is the one `max_items` counts.
    pub result_keys: Vec<String>,
    /// An output member that says whether there are more pages, if any.
    pub more_results: Option<String>,
    /// Output members that are not results but the same on every page (botocore's
    /// `non_aggregate_keys`).
    pub non_aggregate_keys: Vec<String>,
}

/// The wire protocol a service speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// `awsJson1_0`: botocore `json` with `jsonVersion` 1.0.
    AwsJson1_0,
    /// `awsJson1_1`: botocore `json` with `jsonVersion` 1.1.
    AwsJson1_1,
    /// `restJson1`: botocore `rest-json`.
    RestJson1,
    /// `awsQuery`: botocore `query`.
    AwsQuery,
    /// `ec2Query`: botocore `ec2`.
    Ec2Query,
    /// `rpcv2Cbor`: botocore `smithy-rpc-v2-cbor`.
    RpcV2Cbor,
    /// `restXml`: botocore `rest-xml`.
    RestXml,
}

impl Protocol {
    /// Every protocol, in the order the generator prefers them when a model lists several and
    /// no flag chooses: the model's own order decides first (see [`Service::protocols`]); this
    /// order only lists them.
    pub const ALL: [Protocol; 7] = [
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
        Protocol::RestJson1,
        Protocol::AwsQuery,
        Protocol::Ec2Query,
        Protocol::RpcV2Cbor,
        Protocol::RestXml,
    ];

    /// The JSON version of an awsJson protocol, used in the `Content-Type` header.
    pub fn json_version(self) -> Option<&'static str> {
        match self {
            Protocol::AwsJson1_0 => Some("1.0"),
            Protocol::AwsJson1_1 => Some("1.1"),
            _ => None,
        }
    }

    /// The protocol's Smithy name, e.g. `restJson1`, as `--protocol` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "awsJson1_0",
            Protocol::AwsJson1_1 => "awsJson1_1",
            Protocol::RestJson1 => "restJson1",
            Protocol::AwsQuery => "awsQuery",
            Protocol::Ec2Query => "ec2Query",
            Protocol::RpcV2Cbor => "rpcv2Cbor",
            Protocol::RestXml => "restXml",
        }
    }

    /// The protocol of a Smithy name (`restJson1`) or a botocore one (`rest-json`; botocore's
    /// `json` needs the model's `jsonVersion`, given as `json_version`).
    pub fn from_name(name: &str, json_version: Option<&str>) -> Option<Protocol> {
        Some(match name {
            "awsJson1_0" => Protocol::AwsJson1_0,
            "awsJson1_1" => Protocol::AwsJson1_1,
            "json" => match json_version {
                Some("1.0") => Protocol::AwsJson1_0,
                Some("1.1") => Protocol::AwsJson1_1,
                _ => return None,
            },
            "restJson1" | "rest-json" => Protocol::RestJson1,
            "awsQuery" | "query" => Protocol::AwsQuery,
            "ec2Query" | "ec2" => Protocol::Ec2Query,
            "rpcv2Cbor" | "smithy-rpc-v2-cbor" => Protocol::RpcV2Cbor,
            "restXml" | "rest-xml" => Protocol::RestXml,
            _ => return None,
        })
    }

    /// Whether the generator can emit a client speaking this protocol.
    pub fn is_generated(self) -> bool {
        matches!(
            self,
            Protocol::AwsJson1_0
                | Protocol::AwsJson1_1
                | Protocol::RestJson1
                | Protocol::AwsQuery
                | Protocol::Ec2Query
                | Protocol::RpcV2Cbor
                | Protocol::RestXml
        )
    }

    /// Whether requests carry HTTP bindings (labels, query, headers, payload).
    pub fn is_rest(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml)
    }
}

/// The HTTP request line of an operation (botocore `http`, Smithy `@http`): used by the REST
/// protocols; the RPC protocols ignore it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Http {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The URI template, e.g. `/2015-03-31/functions/{FunctionName}/invocations?x=y`.
    pub request_uri: String,
    /// The status code of a success, when the model gives one.
    pub response_code: Option<u16>,
}

/// Where a member goes in an HTTP message, when not in the body (botocore `location`, Smithy
/// `@httpLabel` and friends). Only members of an operation's input, output or error structure
/// are bound; the same structure nested elsewhere is all body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A `{label}` of the URI template, by its name in the template.
    Label(String),
    /// A query parameter of this name.
    Query(String),
    /// A map whose entries are query parameters (`@httpQueryParams`).
    QueryParams,
    /// A header of this name.
    Header(String),
    /// A map whose entries are headers named with this prefix (`@httpPrefixHeaders`).
    PrefixHeaders(String),
    /// The HTTP status code of the response.
    StatusCode,
    /// The whole body (botocore's structure-level `payload`, Smithy `@httpPayload`).
    Payload,
}

/// An XML namespace (`xmlNamespace`): the URI and an optional prefix.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlNamespace {
    /// The namespace URI.
    pub uri: String,
    /// The prefix, when not the default namespace.
    pub prefix: Option<String>,
}

/// Service metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The SDK identifier (`serviceId`, Smithy `sdkId`), e.g. `SageMaker`.
    pub sdk_id: String,
    /// The full human name, e.g. `Amazon SageMaker Service`.
    pub full_name: String,
    /// The API version, e.g. `2017-07-24`.
    pub api_version: String,
    /// The wire protocol the client speaks: the first of [`Service::protocols`] the generator
    /// emits, unless [`Model::with_protocol`] chose another.
    pub protocol: Protocol,
    /// Every protocol the model says the service speaks, in the model's order of preference.
    pub protocols: Vec<Protocol>,
    /// The prefix of the `X-Amz-Target` header, e.g. `SageMaker` (awsJson); the service name
    /// in the path of rpcv2Cbor; empty when the model has none.
    pub target_prefix: String,
    /// The service's XML namespace (restXml), if any.
    pub xml_namespace: Option<XmlNamespace>,
    /// The service is `awsQueryCompatible`: its errors carry the query protocol's codes in
    /// the `x-amzn-query-error` header.
    pub query_compatible: bool,
    /// The SigV4 signing name, e.g. `sagemaker`.
    pub signing_name: String,
    /// The endpoint prefix, e.g. `api.sagemaker`.
    pub endpoint_prefix: String,
    /// Service documentation (HTML).
    pub documentation: Option<String>,
    /// The endpoint parameters a client sets for every call (botocore `clientContextParams`,
    /// Smithy `smithy.rules#clientContextParams`), e.g. S3's `ForcePathStyle`.
    pub client_context_params: Vec<ClientContextParam>,
}

/// An endpoint parameter the client's configuration sets (`clientContextParams`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientContextParam {
    /// The parameter's name in the rule set, e.g. `ForcePathStyle`.
    pub name: String,
    /// Its type.
    pub kind: ClientContextParamKind,
    /// What the model says about it.
    pub documentation: Option<String>,
}

/// The type of a [`ClientContextParam`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientContextParamKind {
    /// `boolean`.
    Boolean,
    /// `string`.
    String,
}

/// A constant an operation gives an endpoint parameter (`staticContextParams`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaticParamValue {
    /// A boolean, e.g. S3's `UseS3ExpressControlEndpoint: true`.
    Bool(bool),
    /// A string, e.g. ACM's `ServiceType: "ACM"`.
    String(String),
    /// A list of strings.
    StringArray(Vec<String>),
}

/// An endpoint parameter an operation takes from its input by a path (`operationContextParams`),
/// e.g. DynamoDB's `ResourceArnList` from `keys(RequestItems)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationContextParam {
    /// The parameter's name in the rule set.
    pub name: String,
    /// The JMESPath-like path into the input (see [`crate::context_path`]).
    pub path: String,
}

/// One operation of the service.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The operation name, e.g. `CreateModelPackage`.
    pub name: String,
    /// The input structure, if the operation takes one.
    pub input: Option<String>,
    /// The output structure, if the operation returns one.
    pub output: Option<String>,
    /// The modelled errors.
    pub errors: Vec<String>,
    /// Documentation (HTML).
    pub documentation: Option<String>,
    /// Set when the operation is deprecated.
    pub deprecated: Option<Deprecation>,
    /// A host prefix template such as `{Foo}.data.`, if any.
    pub host_prefix: Option<String>,
    /// Request compression the service accepts for this operation, if any.
    pub request_compression: Option<RequestCompression>,
    /// The HTTP method and URI (REST protocols).
    pub http: Http,
    /// The operation is sent unsigned (botocore `authtype: none`, Smithy `@optionalAuth` or
    /// `@auth([])`).
    pub unsigned: bool,
    /// Endpoint parameters the operation sets to constants (`staticContextParams`): name, value.
    pub static_context_params: Vec<(String, StaticParamValue)>,
    /// Endpoint parameters the operation takes from its input by a path (`operationContextParams`).
    pub operation_context_params: Vec<OperationContextParam>,
    /// Checksums of the request and response bodies (`httpChecksum`, `httpChecksumRequired`).
    pub http_checksum: Option<HttpChecksum>,
}

/// The `httpChecksum` trait (with the older `httpChecksumRequired`): which request checksum
/// the operation requires or accepts, and which response checksums it can validate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpChecksum {
    /// A request checksum is required (`requestChecksumRequired`, or `httpChecksumRequired`).
    pub request_required: bool,
    /// The input member naming the request checksum's algorithm (S3's `ChecksumAlgorithm`).
    pub request_algorithm_member: Option<String>,
    /// The input member that asks for response validation (S3's `ChecksumMode`).
    pub request_validation_mode_member: Option<String>,
    /// The algorithms a response may carry a checksum in, e.g. `CRC32`.
    pub response_algorithms: Vec<String>,
}

/// The `requestcompression` trait: the client may compress the request body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestCompression {
    /// The encodings the service accepts, in order of preference (e.g. `gzip`).
    pub encodings: Vec<String>,
}

/// A deprecation notice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deprecation {
    /// Why, or what to use instead.
    pub message: Option<String>,
}

/// A named shape with its traits.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The shape name.
    pub name: String,
    /// What kind of value it is, with kind-specific traits.
    pub kind: ShapeKind,
    /// Documentation (HTML).
    pub documentation: Option<String>,
    /// Set when the shape is deprecated.
    pub deprecated: Option<Deprecation>,
    /// Values of this shape must not be printed.
    pub sensitive: bool,
    /// A blob (or string) sent or received as a stream (`streaming`).
    pub streaming: bool,
    /// A structure or union that is an event stream (`eventstream`).
    pub event_stream: bool,
    /// The element name of the shape as an XML payload root (botocore `locationName` on the
    /// shape, Smithy `@xmlName`), when not the shape name.
    pub xml_name: Option<String>,
    /// The shape's XML namespace, if any.
    pub xml_namespace: Option<XmlNamespace>,
}

/// The kinds of shapes, with the constraints each can carry.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapeKind {
    /// A structure (also an exception, when `exception` is set).
    Structure(Structure),
    /// A tagged union: exactly one member is set.
    Union(Structure),
    /// A list.
    List(List),
    /// A map with string keys.
    Map(Map),
    /// A string, possibly an enum.
    String(StringShape),
    /// A 32-bit integer, possibly an intEnum.
    Integer(IntegerShape),
    /// A 64-bit integer.
    Long(Range),
    /// A 32-bit float.
    Float(Range),
    /// A 64-bit float.
    Double(Range),
    /// A boolean.
    Boolean,
    /// A point in time.
    Timestamp(Option<TimestampFormat>),
    /// Bytes (base64 on the JSON wire).
    Blob(Length),
    /// An untyped JSON document.
    Document,
}

impl ShapeKind {
    /// A short name for messages and summaries.
    pub fn label(&self) -> &'static str {
        match self {
            ShapeKind::Structure(s) if s.exception.is_some() => "exception",
            ShapeKind::Structure(_) => "structure",
            ShapeKind::Union(_) => "union",
            ShapeKind::List(_) => "list",
            ShapeKind::Map(_) => "map",
            ShapeKind::String(s) if s.enum_values.is_some() => "enum",
            ShapeKind::String(_) => "string",
            ShapeKind::Integer(i) if i.enum_values.is_some() => "intEnum",
            ShapeKind::Integer(_) => "integer",
            ShapeKind::Long(_) => "long",
            ShapeKind::Float(_) => "float",
            ShapeKind::Double(_) => "double",
            ShapeKind::Boolean => "boolean",
            ShapeKind::Timestamp(_) => "timestamp",
            ShapeKind::Blob(_) => "blob",
            ShapeKind::Document => "document",
        }
    }
}

/// Members of a structure or union, in model order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Structure {
    /// Members in model order.
    pub members: Vec<Member>,
    /// Set when the structure is a modelled error.
    pub exception: Option<Exception>,
}

/// What makes a structure a modelled error.
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    /// The code the service's protocol names the error by: the shape name, or for awsQuery
    /// and ec2 the query code when the model gives one (see [`Model::normalize`]).
    pub code: String,
    /// The error's code in the query protocols (botocore `error.code`, Smithy
    /// `@awsQueryError`), kept only for services that speak a query protocol or are
    /// `awsQueryCompatible`.
    pub query_code: Option<String>,
}

/// A member of a structure or union.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The member name in the model.
    pub name: String,
    /// The key on the JSON wire (the member name unless the model renames it).
    pub wire_name: String,
    /// The target shape name.
    pub target: String,
    /// Documentation (HTML).
    pub documentation: Option<String>,
    /// The model marks the member required.
    pub required: bool,
    /// The member is filled with a fresh UUID when the caller leaves it empty.
    pub idempotency_token: bool,
    /// Set when the member is deprecated.
    pub deprecated: Option<Deprecation>,
    /// A member-level timestamp format, overriding the target's.
    pub timestamp_format: Option<TimestampFormat>,
    /// The member fills a `{label}` of the operation's host prefix.
    pub host_label: bool,
    /// Where the member goes in the HTTP message, when not in the body.
    pub location: Option<Location>,
    /// The member is an XML attribute of its structure's element (`xmlAttribute`).
    pub xml_attribute: bool,
    /// The member's list or map is flattened in XML and query (`xmlFlattened`, botocore
    /// `flattened` on the member).
    pub flattened: bool,
    /// The member's XML namespace, if any.
    pub xml_namespace: Option<XmlNamespace>,
    /// The ec2 protocol's name for the member (`ec2QueryName`, botocore `queryName`).
    pub query_name: Option<String>,
    /// The member's element name in XML and its name in query requests, when the model gives
    /// one (botocore `locationName` of a body member, Smithy `@xmlName`); kept only for services
    /// that speak an XML protocol (see [`Model::normalize`]).
    pub xml_name: Option<String>,
    /// A string member that holds JSON text, base64-encoded in a header (botocore
    /// `jsonvalue`; Smithy `@mediaType` with a JSON type on the target).
    pub json_value: bool,
    /// The endpoint parameter an input member's value sets (botocore `contextParam`, Smithy
    /// `smithy.rules#contextParam`), e.g. `Bucket`.
    pub context_param: Option<String>,
}

/// A list shape.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    /// The element shape.
    pub member: String,
    /// A member-level timestamp format for the elements, if any.
    pub member_timestamp_format: Option<TimestampFormat>,
    /// Size constraints.
    pub length: Length,
    /// Null elements are kept (`@sparse`).
    pub sparse: bool,
    /// The XML and query name of the elements (botocore `member.locationName`, Smithy
    /// `@xmlName` on the member), when not `member`.
    pub member_name: Option<String>,
    /// The XML namespace declared on each element (botocore `member.xmlNamespace`, Smithy
    /// `@xmlNamespace` on the member).
    pub member_namespace: Option<XmlNamespace>,
    /// The list is flattened in XML and query (botocore `flattened` on the shape).
    pub flattened: bool,
}

/// A map shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    /// The key shape (a string shape).
    pub key: String,
    /// The value shape.
    pub value: String,
    /// Size constraints.
    pub length: Length,
    /// Null values are kept (`@sparse`).
    pub sparse: bool,
    /// The XML and query name of the keys, when not `key`.
    pub key_name: Option<String>,
    /// The XML and query name of the values, when not `value`.
    pub value_name: Option<String>,
    /// The XML namespace declared on each key element.
    pub key_namespace: Option<XmlNamespace>,
    /// The XML namespace declared on each value element.
    pub value_namespace: Option<XmlNamespace>,
    /// The map is flattened in XML and query (botocore `flattened` on the shape).
    pub flattened: bool,
}

/// A string shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StringShape {
    /// Known values, when the string is an enum.
    pub enum_values: Option<Vec<EnumValue>>,
    /// Length in Unicode scalar values.
    pub length: Length,
    /// A regular expression the value must match (not anchored).
    pub pattern: Option<String>,
}

/// One known value of a string enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The exact string on the wire.
    pub value: String,
    /// Documentation (HTML).
    pub documentation: Option<String>,
}

/// An integer shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IntegerShape {
    /// Known values, when the integer is an intEnum: (name, value).
    pub enum_values: Option<Vec<(String, i32)>>,
    /// Range constraint.
    pub range: Range,
}

/// A length constraint (strings, blobs, lists, maps).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Length {
    /// Inclusive minimum.
    pub min: Option<u64>,
    /// Inclusive maximum.
    pub max: Option<u64>,
}

/// A range constraint on a number.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Range {
    /// Inclusive minimum.
    pub min: Option<Number>,
    /// Inclusive maximum.
    pub max: Option<Number>,
}

/// A number from the model, kept exact when it is an integer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer bound.
    Int(i64),
    /// A fractional bound.
    Float(f64),
}

/// How a timestamp is written on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch, with fractions (the awsJson default).
    EpochSeconds,
    /// RFC 3339 date-time.
    DateTime,
    /// RFC 7231 IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`).
    HttpDate,
}

impl Model {
    /// The model speaking `protocol` (`--protocol`) instead of the one the front end chose: it
    /// must be one the model lists and one the generator emits.
    pub fn with_protocol(mut self, protocol: Protocol) -> Result<Model, String> {
        if !self.service.protocols.contains(&protocol) {
            let listed: Vec<&str> = self.service.protocols.iter().map(|p| p.name()).collect();
            return Err(format!(
                "the model does not list protocol `{}` (it lists `{}`)",
                protocol.name(),
                listed.join("`, `")
            ));
        }
        if !protocol.is_generated() {
            return Err(format!("protocol `{}` is not generated yet", protocol.name()));
        }
        self.service.protocol = protocol;
        self.settle_error_codes();
        Ok(self)
    }

    /// Sets every error's [`Exception::code`] for the protocol the client speaks: the query
    /// code for awsQuery and ec2, else the shape name.
    fn settle_error_codes(&mut self) {
        let query = matches!(self.service.protocol, Protocol::AwsQuery | Protocol::Ec2Query);
        for shape in self.shapes.values_mut() {
            if let ShapeKind::Structure(Structure { exception: Some(exception), .. }) = &mut shape.kind {
                exception.code = match (&exception.query_code, query) {
                    (Some(code), true) => code.clone(),
                    _ => shape.name.clone(),
                };
            }
        }
    }

    /// The model with `rule_set` (JSON text) as its endpoint rule set.
    pub fn with_endpoint_rule_set(mut self, rule_set: Option<String>) -> Model {
        if rule_set.is_some() {
            self.endpoint_rule_set = rule_set;
        }
        self
    }

    /// The model with botocore's `paginators-1.json` (its text; `file` names it in errors) as
    /// its paginators, checked against the shapes: every token and result path must lead
    /// through structure members of the operation's input or output.
    pub fn with_paginators(mut self, file: &str, text: &str) -> Result<Model, ModelError> {
        (self.paginators, self.unsupported_paginators) = crate::botocore::paginators(file, text)?;
        self.check_paginators(file)?;
        Ok(self)
    }

    /// The model with botocore's `waiters-2.json` (its text; `file` names it in errors) as its
    /// waiters; each waiter's operation must exist.
    pub fn with_waiters(mut self, file: &str, text: &str) -> Result<Model, ModelError> {
        self.waiters = crate::botocore::waiters(file, text)?;
        for (name, waiter) in &self.waiters {
            if !self.operations.contains_key(&waiter.operation) {
                return Err(ModelError::at(
                    file,
                    format!("waiter {name}"),
                    format!("the model has no operation `{}`", waiter.operation),
                ));
            }
        }
        self.check_waiters(file)?;
        Ok(self)
    }

    /// Checks that every waiter's acceptor paths compile against its operation's output (see
    /// [`crate::waiter_path`]); errors name `file`, the waiter and the acceptor.
    pub fn check_waiters(&self, file: &str) -> Result<(), ModelError> {
        let runtime = quote::quote!(runtime);
        for (name, waiter) in &self.waiters {
            let Some(operation) = self.operations.get(&waiter.operation) else {
                return Err(ModelError::at(
                    file,
                    format!("waiter {name}"),
                    format!("the model has no operation `{}`", waiter.operation),
                ));
            };
            for (index, acceptor) in waiter.acceptors.iter().enumerate() {
                let Matcher::Output { path, .. } = &acceptor.matcher else { continue };
                let at = format!("waiter {name}, acceptor {index}");
                let Some(output) = operation.output.as_deref() else {
                    return Err(ModelError::at(file, at, format!("`{path}`: the operation has no output")));
                };
                crate::waiter_path::parse(path)
                    .and_then(|expr| {
                        crate::waiter_path::compile(
                            self,
                            &|_, member| crate::naming::snake(member),
                            &|_, _| false,
                            &runtime,
                            output,
                            &expr,
                        )
                    })
                    .map_err(|problem| ModelError::at(file, &at, format!("path `{path}`: {problem}")))?;
            }
        }
        Ok(())
    }

    /// Checks the endpoint-parameter bindings: every `operationContextParams` path compiles
    /// against its operation's input (see [`crate::context_path`]), every `contextParam`
    /// member holds a string, boolean or list of strings. Errors name `file`, the operation or
    /// shape, and the parameter.
    pub fn check_endpoint_params(&self, file: &str) -> Result<(), ModelError> {
        let runtime = quote::quote!(runtime);
        for (name, operation) in &self.operations {
            for param in &operation.operation_context_params {
                let at = format!("operation {name}, operation context parameter {}", param.name);
                let Some(input) = operation.input.as_deref() else {
                    return Err(ModelError::at(file, at, "the operation has no input"));
                };
                crate::context_path::parse(&param.path)
                    .and_then(|expr| {
                        crate::context_path::compile(
                            self,
                            &|_, member| crate::naming::snake(member),
                            &|_, _| false,
                            &runtime,
                            input,
                            &expr,
                        )
                    })
                    .map_err(|problem| ModelError::at(file, &at, format!("path `{}`: {problem}", param.path)))?;
            }
        }
        for (name, shape) in &self.shapes {
            let ShapeKind::Structure(structure) = &shape.kind else { continue };
            for member in &structure.members {
                let Some(param) = &member.context_param else { continue };
                crate::context_path::context_param_conversion(self, &member.target).map_err(|problem| {
                    ModelError::at(
                        file,
                        format!("shape {name}, member {}", member.name),
                        format!("context parameter {param}: {problem}"),
                    )
                })?;
            }
        }
        Ok(())
    }

    /// Checks that every paginator's operation exists and that its paths lead through the
    /// members of the operation's input and output; errors name `file`, the paginator and the
    /// path.
    pub fn check_paginators(&self, file: &str) -> Result<(), ModelError> {
        for (name, paginator) in &self.paginators {
            let at = format!("paginator {name}");
            let Some(operation) = self.operations.get(name) else {
                return Err(ModelError::at(file, at, "the model has no operation of that name"));
            };
            if paginator.input_tokens.is_empty() || paginator.input_tokens.len() != paginator.output_tokens.len() {
                return Err(ModelError::at(
                    file,
                    at,
                    format!(
                        "needs as many output tokens as input tokens, at least one (has {} and {})",
                        paginator.output_tokens.len(),
                        paginator.input_tokens.len()
                    ),
                ));
            }
            let input = [(operation.input.as_deref(), "input", &paginator.input_tokens)];
            let limit: Vec<String> = paginator.limit_key.iter().cloned().collect();
            let more: Vec<String> = paginator.more_results.iter().cloned().collect();
            let checks = input.into_iter().chain([
                (operation.input.as_deref(), "limit key", &limit),
                (operation.output.as_deref(), "output token", &paginator.output_tokens),
                (operation.output.as_deref(), "result key", &paginator.result_keys),
                (operation.output.as_deref(), "more_results", &more),
                (operation.output.as_deref(), "non-aggregate key", &paginator.non_aggregate_keys),
            ]);
            for (shape, what, paths) in checks {
                for path in paths {
                    if let Err(problem) = self.resolve_path(shape, path) {
                        return Err(ModelError::at(file, &at, format!("{what} `{path}`: {problem}")));
                    }
                }
            }
        }
        Ok(())
    }

    /// The shape a member path (`a.b`) leads to from structure `shape`, and the members on the
    /// way.
    pub fn resolve_path<'a>(&'a self, shape: Option<&str>, path: &str) -> Result<Vec<&'a Member>, String> {
        let mut current = shape.ok_or("the operation has no such structure")?.to_string();
        let mut members = Vec::new();
        for segment in path.split('.') {
            let Some(ShapeKind::Structure(structure)) = self.shapes.get(&current).map(|s| &s.kind) else {
                return Err(format!("`{current}` is not a structure, so it has no member `{segment}`"));
            };
            let member = structure
                .members
                .iter()
                .find(|m| m.name == segment)
                .ok_or_else(|| format!("structure `{current}` has no member `{segment}`"))?;
            current = member.target.clone();
            members.push(member);
        }
        Ok(members)
    }

    /// The shape called `name`; front ends guarantee every reference resolves.
    pub fn shape(&self, name: &str) -> &Shape {
        &self.shapes[name]
    }

    /// Leaves out of the request what the endpoint rules put in the endpoint: an operation
    /// whose input gives its `Bucket` label to the rules (`contextParam`, S3) loses `/{Bucket}`
    /// from the front of its URI, and one that gives its `AccountId` (S3 Control) loses
    /// `{AccountId}.` from its host prefix, as botocore's `remove_bucket_from_url_paths_from_model`
    /// and `remove_accid_host_prefix_from_model` do: the rules already put them in the host or
    /// path, so they would otherwise be sent twice.
    pub fn remove_what_endpoint_rules_bind(&mut self) {
        let shapes = &self.shapes;
        for operation in self.operations.values_mut() {
            let Some(ShapeKind::Structure(input)) =
                operation.input.as_ref().and_then(|i| shapes.get(i)).map(|s| &s.kind)
            else {
                continue;
            };
            let bound =
                |name: &str| input.members.iter().any(|m| m.name == name && m.context_param.as_deref() == Some(name));
            if bound("Bucket")
                && let Some(rest) = operation.http.request_uri.strip_prefix("/{Bucket}")
                && !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '+' || c == '}')
            {
                operation.http.request_uri = if rest.starts_with('/') { rest.to_string() } else { format!("/{rest}") };
            }
            if bound("AccountId")
                && let Some(prefix) = &operation.host_prefix
                && let Some(rest) = prefix.strip_prefix("{AccountId}.")
            {
                operation.host_prefix = (!rest.is_empty()).then(|| rest.to_string());
            }
        }
    }

    /// Puts what the formats say differently in one form, so that the same service read from
    /// botocore JSON or the Smithy JSON AST gives the same model:
    /// - a pattern is matched against the whole value, as AWS services validate it, so its
    ///   outer `^` and `$` say nothing more and are dropped (botocore drops some of them, and
    ///   not always both);
    /// - a minimum length of 0 constrains nothing and is dropped (botocore drops most);
    /// - an operation's errors are sorted by name (the formats list them in different orders);
    /// - an error's code is its shape name, or its query code for the query protocols; the
    ///   query code is dropped where no query protocol reads it;
    /// - the XML namespaces of a service that speaks no XML protocol say nothing and are
    ///   dropped (botocore keeps a JSON service's old `xmlNamespace`); so are the HTTP bindings
    ///   of a service that speaks no REST protocol (Smithy models keep some for awsJson).
    pub fn normalize(&mut self) {
        let speaks_xml = self
            .service
            .protocols
            .iter()
            .any(|p| matches!(p, Protocol::AwsQuery | Protocol::Ec2Query | Protocol::RestXml));
        if !speaks_xml {
            self.service.xml_namespace = None;
            for shape in self.shapes.values_mut() {
                shape.xml_namespace = None;
                if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &mut shape.kind {
                    for member in &mut s.members {
                        member.xml_name = None;
                    }
                }
            }
        }
        let query_codes = self.service.query_compatible
            || self.service.protocols.iter().any(|p| matches!(p, Protocol::AwsQuery | Protocol::Ec2Query));
        if !query_codes {
            for shape in self.shapes.values_mut() {
                if let ShapeKind::Structure(Structure { exception: Some(exception), .. }) = &mut shape.kind {
                    exception.query_code = None;
                }
            }
        }
        self.settle_error_codes();
        if !self.service.protocols.iter().any(|p| p.is_rest()) {
            for shape in self.shapes.values_mut() {
                if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &mut shape.kind {
                    for member in &mut s.members {
                        member.location = None;
                        member.json_value = false;
                    }
                }
            }
        }
        for shape in self.shapes.values_mut() {
            match &mut shape.kind {
                ShapeKind::String(s) => {
                    if let Some(pattern) = &mut s.pattern {
                        *pattern = strip_anchors(pattern).to_string();
                    }
                    s.length.drop_zero_min();
                }
                ShapeKind::List(List { length, .. }) | ShapeKind::Map(Map { length, .. }) | ShapeKind::Blob(length) => {
                    length.drop_zero_min();
                }
                _ => {}
            }
        }
        for operation in self.operations.values_mut() {
            operation.errors.sort();
        }
    }
}

impl Length {
    fn drop_zero_min(&mut self) {
        if self.min == Some(0) {
            self.min = None;
        }
    }
}

/// `^abc$` → `abc`: a leading `^` and a trailing `$` that is not escaped.
pub fn strip_anchors(pattern: &str) -> &str {
    let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
    match pattern.strip_suffix('$') {
        // An odd number of backslashes before `$` escapes it.
        Some(rest) if rest.chars().rev().take_while(|c| *c == '\\').count() % 2 == 0 => rest,
        _ => pattern,
    }
}

#[cfg(test)]
mod tests {
    /// A restXml model with one operation per case: (name, request URI, host prefix).
    fn model(operations: &[(&str, &str, Option<&str>)], bound: bool) -> super::Model {
        let context = |name: &str| if bound { serde_json::json!({"name": name}) } else { serde_json::Value::Null };
        let mut ops = serde_json::Map::new();
        for (name, uri, prefix) in operations {
            let mut op = serde_json::json!({"http": {"method": "GET", "requestUri": uri}, "input": {"shape": "In"}});
            if let Some(prefix) = prefix {
                op["endpoint"] = serde_json::json!({"hostPrefix": prefix});
            }
            ops.insert((*name).to_string(), op);
        }
        let mut bucket = serde_json::json!({"shape": "S", "location": "uri", "locationName": "Bucket"});
        let mut account = serde_json::json!({"shape": "S", "location": "header", "locationName": "x-amz-account-id", "hostLabel": true});
        if bound {
            bucket["contextParam"] = context("Bucket");
            account["contextParam"] = context("AccountId");
        }
        let text = serde_json::json!({
            "metadata": {"apiVersion": "2006-03-01", "protocol": "rest-xml", "endpointPrefix": "s3", "serviceId": "S3"},
            "operations": ops,
            "shapes": {
                "S": {"type": "string"},
                "In": {"type": "structure", "required": ["Bucket"], "members": {
                    "Bucket": bucket, "Key": {"shape": "S", "location": "uri", "locationName": "Key"}, "AccountId": account
                }}
            }
        });
        crate::parse_model("s3.json", &text.to_string()).unwrap()
    }

    #[test]
    fn the_bucket_and_account_the_rules_bind_leave_the_uri_and_host_prefix() {
        let cases = [
            ("Object", "/{Bucket}/{Key+}", None),
            ("Bucket", "/{Bucket}", None),
            ("Acl", "/{Bucket}?acl", None),
            ("Other", "/{BucketName}/x", None),
            ("Control", "/v20180820/jobs", Some("{AccountId}.")),
            ("Prefixed", "/", Some("{AccountId}.data.")),
        ];
        let stripped = model(&cases, true);
        let got = |m: &super::Model, op: &str| {
            (m.operations[op].http.request_uri.clone(), m.operations[op].host_prefix.clone())
        };
        assert_eq!(got(&stripped, "Object"), ("/{Key+}".to_string(), None));
        assert_eq!(got(&stripped, "Bucket"), ("/".to_string(), None));
        assert_eq!(got(&stripped, "Acl"), ("/?acl".to_string(), None));
        assert_eq!(got(&stripped, "Other"), ("/{BucketName}/x".to_string(), None));
        assert_eq!(got(&stripped, "Control"), ("/v20180820/jobs".to_string(), None));
        assert_eq!(got(&stripped, "Prefixed"), ("/".to_string(), Some("data.".to_string())));
        // Without `contextParam` the rules do not see them: nothing is removed.
        let kept = model(&cases, false);
        assert_eq!(got(&kept, "Object"), ("/{Bucket}/{Key+}".to_string(), None));
        assert_eq!(got(&kept, "Control"), ("/v20180820/jobs".to_string(), Some("{AccountId}.".to_string())));
    }
}
