//! `cargo xtask protocol-tests`: botocore's protocol test suites (json, rest-json, query, ec2,
//! smithy-rpc-v2-cbor, rest-xml and the query-compatible ones), run against clients that
//! the generator makes from each suite's own model.
//!
//! Each suite of the six files brings a small model (metadata and shapes) and cases that name
//! their operation in `given`. The harness turns each suite into a botocore `service-2.json`
//! and feeds it to the same generator as every real service, as one module of one crate under
//! `target/protocol-tests/` (a module per suite; a case whose operation's definition differs
//! from another case's of the same suite gets a module of its own). It adds the cases as code:
//! an input case builds its `params` with the generated builders and asks the client for the
//! signed request it would send (`prepare_request`); an output case hands the response to
//! the operation's `parse_response`. The crate is built once and run; it prints what the client
//! did for each case as a JSON line, and the harness compares that with what the case expects:
//! method, URI, headers, host and body (JSON compared as values) of a request; the result, or
//! the error's code, message and modelled members, of a response.
//!
//! The crate's hand-written part (the clients' config, observing requests and values, the case
//! loop) is the workspace crate `tests/protocol-harness`, where rustfmt and clippy see it; the
//! suites' clients depend on the runtime crate as every generated client does.
//!
//! The harness compares and never special-cases. The only cases not run are in [`SKIPPED`],
//! each with its reason.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};
use codegen::emit::Context;
use codegen::graph::OperationFilter;
use codegen::ir::ShapeKind;
use codegen::naming::{Names, generates_type, ident, operation_method, operation_module, operation_type_base, unraw};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value, json};

use crate::{Args, workspace_root};

#[path = "cbor_value.rs"]
mod cbor_value;

/// The suites, relative to [`SUITES_DIR`], in the order they are reported.
const FILES: &[&str] = &[
    "input/json.json",
    "output/json.json",
    "input/json_1_0.json",
    "output/json_1_0.json",
    "legacy/input/json.json",
    "legacy/output/json.json",
    // restJson1.
    "input/rest-json.json",
    "output/rest-json.json",
    "legacy/input/rest-json.json",
    "legacy/output/rest-json.json",
    // The query protocols (see `compare_query_request`).
    "input/query.json",
    "output/query.json",
    "legacy/input/query.json",
    "legacy/output/query.json",
    "input/ec2.json",
    "output/ec2.json",
    "legacy/input/ec2.json",
    "legacy/output/ec2.json",
    // rpcv2Cbor and the query-compatible json services.
    "input/json_1_0-query-compatible.json",
    "output/json_1_0-query-compatible.json",
    "input/smithy-rpc-v2-cbor.json",
    "output/smithy-rpc-v2-cbor.json",
    "input/smithy-rpc-v2-cbor-query-compatible.json",
    "output/smithy-rpc-v2-cbor-query-compatible.json",
    "input/smithy-rpc-v2-cbor-non-query-compatible.json",
    "output/smithy-rpc-v2-cbor-non-query-compatible.json",
    // restXml (see `compare_xml_request`).
    "input/rest-xml.json",
    "output/rest-xml.json",
    "legacy/input/rest-xml.json",
    "legacy/output/rest-xml.json",
];

/// Where the vendored suites are, relative to the workspace root.
const SUITES_DIR: &str = "tests/fixtures/botocore-1.44.5/tests/unit/protocols";

/// The cases not run, by (file, suite index, case index), each with why: only cases outside
/// what an awsJson or restJson1 client does, or that contradict another suite.
pub const SKIPPED: &[(&str, usize, usize, &str)] = &[
    (
        "input/rest-json.json",
        10,
        0,
        "expects `Content-MD5` for `httpChecksumRequired`, which botocore 1.44.5 replaced with a \
         CRC32 `x-amz-checksum-crc32` (as the client sends, see `checksum`); botocore's own \
         ignore list has this case (RestJsonHttpChecksumRequired)",
    ),
    (
        "legacy/input/rest-json.json",
        25,
        6,
        "forbids `Content-Length` on a POST with a body (botocore's serializer leaves it to the \
         transport); input/rest-json.json requires it on such requests (RestJsonTestPayloadBlob \
         and nine others): the Smithy suite's rule is kept",
    ),
    (
        "legacy/input/rest-json.json",
        0,
        0,
        "has no `params`: botocore's own runner runs only input cases with params (it is not an \
         input case there, and has no response to be an output case)",
    ),
    (
        "legacy/input/rest-json.json",
        5,
        0,
        "expects the query parameters of a map in the order the case's JSON lists them (botocore \
         compares URIs as strings and builds maps as OrderedDicts); a generated map is a HashMap \
         without order, whose parameters the client writes sorted by key: the same parameters, \
         `fizz` before `foo`",
    ),
    (
        "legacy/input/rest-json.json",
        26,
        0,
        "expects a list header joined with `,` (`one,two,three`); input/rest-json.json \
         (RestJsonInputAndOutputWithHeaders and others) expects `, ` (`a, b, c`) from the same \
         binding, and headers are compared as strings: the Smithy suite's form is kept",
    ),
    (
        "legacy/input/rest-json.json",
        26,
        1,
        "expects no header for an empty list; input/rest-json.json's RestJsonNullAndEmptyHeaders \
         expects an empty header (`X-C: \"\"`) for the same binding: the Smithy suite's rule is kept",
    ),
    (
        "legacy/output/rest-json.json",
        9,
        0,
        "expects header map keys in the wire's case (`X-bam`, `Content-Length`); the `http` crate \
         stores header names in lower case (HTTP names are case-insensitive), so the keys read \
         are `x-bam` and `content-length`",
    ),
    (
        "legacy/output/rest-json.json",
        12,
        0,
        "expects a `jsonvalue` header as the parsed JSON value (a Python object in botocore); the \
         client keeps it as its JSON text, a string, as output/rest-json.json's \
         MediaTypeHeaderOutputBase64 expects (`\"true\"`, not `true`)",
    ),
    (
        "legacy/output/json.json",
        3,
        1,
        "expects botocore's untyped parser, not an awsJson client: it wants the nulls of dense \
         lists kept (`[\"a\", null]`; only `@sparse` collections hold nulls, and a typed client's \
         dense list, `Vec<T>`, drops them) and an object `{}` returned for a member the model types \
         as a string (`MapType` is `\"type\": \"string\"`)",
    ),
    (
        "legacy/output/json.json",
        6,
        0,
        "an event stream (`eventstream` output, a binary-framed streaming body): outside the \
         request/response awsJson this client implements",
    ),
];

/// The query protocols' cases not run (see [`SKIPPED`]).
const QUERY_SKIPPED: &[(&str, usize, usize, &str)] = &[
    (
        "legacy/input/query.json",
        11,
        5,
        "numbers a map's entries in the order of the case's params (`entry.1` is `foo`, \
         `entry.2` is `bar`); a map here is a `HashMap`, which has no order, and is written in key \
         order (`entry.1` is `bar`): the same map, whose entries the service reads as a set",
    ),
    (
        "output/ec2.json",
        5,
        0,
        "the response's error has `<Message>Hi</Message>` and the case expects no message (it \
         gives no `errorMessage`); botocore's own run ignores this case \
         (protocol-tests-ignore-list.json)",
    ),
];

/// Why restXml cases that expect a map's entries in the case's order are skipped.
const MAP_ENTRIES_IN_KEY_ORDER: &str = "expects a map's entries in the order of the case's params (botocore builds maps as \
     OrderedDicts and compares the XML in order); a generated map is a `HashMap` without \
     order, whose entries the client writes sorted by key: the same entries, in key order \
     (as legacy/input/query.json#11.5 and legacy/input/rest-json.json#5.0)";

/// Why restXml cases that name a payload's root element after its target shape are skipped.
const PAYLOAD_ROOT_NAMED_BY_MEMBER: &str = "expects the payload's root element named by the target shape (Smithy), where the \
     model gives the payload member a `locationName` of its own; botocore names it by the \
     member's `locationName`, as S3 needs (CompleteMultipartUpload's member `MultipartUpload` \
     is sent as `<CompleteMultipartUpload>`, PutBucketLifecycleConfiguration's target \
     `BucketLifecycleConfiguration` as `<LifecycleConfiguration>`); botocore's own run \
     ignores this case (protocol-tests-ignore-list.json)";

/// Why restXml event-stream cases are skipped.
const REST_XML_EVENT_STREAM: &str = "an event stream (`eventstream` output, a binary-framed streaming body): outside the \
     request/response restXml this client implements (the generator leaves S3's \
     SelectObjectContent out for the same reason)";

/// The restXml cases not run (see [`SKIPPED`]).
const REST_XML_SKIPPED: &[(&str, usize, usize, &str)] = &[
    ("input/rest-xml.json", 8, 0, MAP_ENTRIES_IN_KEY_ORDER),
    ("input/rest-xml.json", 26, 0, MAP_ENTRIES_IN_KEY_ORDER),
    ("input/rest-xml.json", 47, 0, MAP_ENTRIES_IN_KEY_ORDER),
    ("input/rest-xml.json", 48, 0, MAP_ENTRIES_IN_KEY_ORDER),
    ("input/rest-xml.json", 14, 0, PAYLOAD_ROOT_NAMED_BY_MEMBER),
    ("input/rest-xml.json", 15, 0, PAYLOAD_ROOT_NAMED_BY_MEMBER),
    ("input/rest-xml.json", 16, 0, PAYLOAD_ROOT_NAMED_BY_MEMBER),
    ("input/rest-xml.json", 17, 0, PAYLOAD_ROOT_NAMED_BY_MEMBER),
    ("input/rest-xml.json", 39, 0, PAYLOAD_ROOT_NAMED_BY_MEMBER),
    (
        "output/rest-xml.json",
        9,
        0,
        "the response's error has `<Message>Hi</Message>` and the case expects no message (it \
         gives no `errorMessage`); botocore's own run ignores this case \
         (protocol-tests-ignore-list.json), as output/ec2.json#5.0",
    ),
    (
        "legacy/input/rest-xml.json",
        14,
        0,
        "expects the query parameters of a map in the order the case's JSON lists them; a \
         generated map is a `HashMap`, whose parameters the client writes sorted by key (as \
         legacy/input/rest-json.json#5.0)",
    ),
    ("legacy/input/rest-xml.json", 22, 5, MAP_ENTRIES_IN_KEY_ORDER),
    (
        "legacy/input/rest-xml.json",
        26,
        0,
        "expects a list header joined with `,`; input/rest-xml.json's InputAndOutputWithHeaders \
         expects `, ` from the same binding (as legacy/input/rest-json.json#26.0)",
    ),
    (
        "legacy/input/rest-xml.json",
        26,
        1,
        "expects no header for an empty list; input/rest-xml.json's NullAndEmptyHeaders \
         expects an empty header (`X-C: \"\"`) for the same binding: the Smithy suite's rule is \
         kept (as legacy/input/rest-json.json#26.1)",
    ),
    (
        "legacy/output/rest-xml.json",
        12,
        0,
        "expects a `jsonvalue` header as the parsed JSON value (a Python object in botocore); \
         the client keeps it as its JSON text, a string (as legacy/output/rest-json.json#12.0)",
    ),
    ("legacy/output/rest-xml.json", 14, 0, REST_XML_EVENT_STREAM),
    ("legacy/output/rest-xml.json", 14, 1, REST_XML_EVENT_STREAM),
    ("legacy/output/rest-xml.json", 14, 2, REST_XML_EVENT_STREAM),
];

/// The command, for generated files' headers.
const COMMAND: &str = "cargo xtask protocol-tests";

/// Metadata a `service-2.json` needs and the suites' models may leave out (they describe only
/// what their cases use): filled in when absent. None of them can change a case that omits it:
/// the endpoint is the case's own (or [`DEFAULT_ENDPOINT`]), and a suite without `jsonVersion`
/// or `targetPrefix` has only output cases.
const METADATA_DEFAULTS: &[(&str, &str)] = &[
    ("apiVersion", "2000-01-01"),
    ("endpointPrefix", "protocoltests"),
    ("jsonVersion", "1.0"),
    ("targetPrefix", "ProtocolTests"),
];

/// The endpoint of a client whose suite has no `clientEndpoint`.
const DEFAULT_ENDPOINT: &str = "https://example.com";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    Args::new(args).finish()?;
    let root = workspace_root();
    let out = root.join("target/protocol-tests");

    let cases = load_cases(&root)?;
    let plan = plan(&cases)?;
    write_crate(&root, &out, &plan)?;
    let stdout = build_and_run(&root, &out)?;
    let observed = parse_observations(&stdout)?;
    report(&cases, &plan, &observed)
}

/// One case, keyed by its file and indices.
struct Case {
    file: &'static str,
    suite: usize,
    index: usize,
    /// The suite's description and the case's id, to name it in messages.
    description: String,
    id: Option<String>,
    /// The suite (metadata, shapes, clientEndpoint) and the case itself.
    suite_json: Value,
    case: Value,
    skip: Option<&'static str>,
}

impl Case {
    fn key(&self) -> String {
        format!("{}#{}.{}", self.file, self.suite, self.index)
    }

    fn label(&self) -> String {
        let id = self.id.as_deref().map(|id| format!(" {id}")).unwrap_or_default();
        format!("{}{id} ({})", self.key(), self.description)
    }

    fn operation(&self) -> String {
        self.case["given"]["name"].as_str().unwrap_or("OperationName").to_string()
    }
}

fn load_cases(root: &Path) -> anyhow::Result<Vec<Case>> {
    let mut cases = Vec::new();
    for file in FILES {
        let path = root.join(SUITES_DIR).join(file);
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let suites: Value = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let suites = suites.as_array().with_context(|| format!("{}: expected a list of suites", path.display()))?;
        for (suite_index, suite) in suites.iter().enumerate() {
            let description = suite["description"].as_str().unwrap_or_default().to_string();
            let list = suite["cases"].as_array().with_context(|| format!("{file} suite {suite_index}: no cases"))?;
            for (index, case) in list.iter().enumerate() {
                let skip = SKIPPED
                    .iter()
                    .chain(QUERY_SKIPPED)
                    .chain(REST_XML_SKIPPED)
                    .find(|(f, s, c, _)| f == file && *s == suite_index && *c == index)
                    .map(|(_, _, _, reason)| *reason);
                cases.push(Case {
                    file,
                    suite: suite_index,
                    index,
                    description: description.clone(),
                    id: case["id"].as_str().map(str::to_string),
                    suite_json: suite.clone(),
                    case: case.clone(),
                    skip,
                });
            }
        }
    }
    for (file, suite, index, _) in SKIPPED.iter().chain(QUERY_SKIPPED).chain(REST_XML_SKIPPED) {
        if !cases.iter().any(|c| c.file == *file && c.suite == *suite && c.index == *index) {
            bail!("SKIPPED names {file}#{suite}.{index}, which is not a case");
        }
    }
    Ok(cases)
}

/// One generated module: a model, and the cases that run against it.
struct Module {
    name: String,
    /// The `service-2.json` text given to the generator.
    model_text: String,
    model_label: String,
    cases: Vec<usize>,
    endpoint: String,
}

/// What to generate: modules, and for each case that cannot run, why.
struct Plan {
    modules: Vec<Module>,
    /// Cases that failed before running (the generator rejected their model, or their
    /// params do not fit it), by index into the cases.
    failed_early: BTreeMap<usize, String>,
    /// Case code by case index, with the module it uses.
    case_code: BTreeMap<usize, (usize, TokenStream)>,
    /// Module code (the generated files) and the observation impls, by module index.
    module_files: BTreeMap<usize, Vec<codegen::GeneratedFile>>,
    observe_code: Vec<TokenStream>,
}

fn plan(cases: &[Case]) -> anyhow::Result<Plan> {
    // Group cases into modules: by suite, and apart from the suite when an operation of the
    // same name is defined differently.
    let mut modules: Vec<Module> = Vec::new();
    let mut defined: Vec<BTreeMap<String, Value>> = Vec::new();
    let mut suite_module: BTreeMap<(&str, usize), usize> = BTreeMap::new();
    for (case_index, case) in cases.iter().enumerate() {
        if case.skip.is_some() {
            continue;
        }
        let name = case.operation();
        let given = &case.case["given"];
        let module = match suite_module.get(&(case.file, case.suite)) {
            Some(&m) if defined[m].get(&name).is_none_or(|g| g == given) => m,
            existing => {
                let slug = case.file.trim_end_matches(".json").replace(['/', '.', '-'], "_");
                let name = if existing.is_some() {
                    format!("{slug}_{:02}_case_{:02}", case.suite, case.index)
                } else {
                    format!("{slug}_{:02}", case.suite)
                };
                modules.push(Module {
                    name,
                    model_text: String::new(),
                    model_label: format!("{SUITES_DIR}/{} suite {}", case.file, case.suite),
                    cases: Vec::new(),
                    endpoint: case.suite_json["clientEndpoint"].as_str().unwrap_or(DEFAULT_ENDPOINT).to_string(),
                });
                defined.push(BTreeMap::new());
                if existing.is_none() {
                    suite_module.insert((case.file, case.suite), modules.len() - 1);
                }
                modules.len() - 1
            }
        };
        defined[module].insert(name, given.clone());
        modules[module].cases.push(case_index);
    }

    let mut plan = Plan {
        modules: Vec::new(),
        failed_early: BTreeMap::new(),
        case_code: BTreeMap::new(),
        module_files: BTreeMap::new(),
        observe_code: Vec::new(),
    };
    for (module_index, (mut module, operations)) in modules.into_iter().zip(defined).enumerate() {
        let suite = &cases[module.cases[0]].suite_json;
        let mut metadata = suite["metadata"].as_object().cloned().unwrap_or_default();
        for (key, value) in METADATA_DEFAULTS {
            metadata.entry(key.to_string()).or_insert_with(|| Value::String(value.to_string()));
        }
        let model = json!({
            "version": "2.0",
            "metadata": metadata,
            "operations": operations,
            "shapes": suite["shapes"],
        });
        module.model_text = serde_json::to_string_pretty(&model)?;
        match generate_module(&module, module_index, cases, &mut plan) {
            Ok(()) => {}
            Err(e) => {
                for &case in &module.cases {
                    plan.failed_early.insert(case, format!("the generator rejected the suite's model: {e}"));
                }
            }
        }
        plan.modules.push(module);
    }
    Ok(plan)
}

/// Generates one module and the code of its cases.
fn generate_module(module: &Module, module_index: usize, cases: &[Case], plan: &mut Plan) -> anyhow::Result<()> {
    let model = codegen::parse_model(&module.model_label, &module.model_text)?;
    let selection = codegen::graph::select(&module.model_label, &model, &OperationFilter::All)?;
    let path = format!("crate::suites::{}", module.name);
    let options = codegen::CrateOptions {
        crate_name: Some("awsgen-protocol-tests".to_string()),
        model_label: module.model_label.clone(),
        command: COMMAND.to_string(),
        standalone: false,
        runtime: codegen::RuntimeSource::Crate { path: String::new() },
    };
    let emitted =
        codegen::emit::emit_module(&model, &selection, &options, &path).map_err(|e| anyhow::anyhow!("{e}"))?;
    let names = Names::new(&model, &selection.shapes, &selection.operations);
    let root: TokenStream = path.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let cx = Context::new(&model, &selection, &names, BTreeMap::new(), root, quote!(crate::runtime), false);

    let mut has_output_cases = false;
    for &case_index in &module.cases {
        let case = &cases[case_index];
        let code = if case.case.get("params").is_some() {
            input_case(&cx, case, &module.endpoint)
        } else {
            has_output_cases = true;
            output_case(&cx, case)
        };
        match code {
            Ok(code) => {
                plan.case_code.insert(case_index, (module_index, code));
            }
            Err(e) => {
                plan.failed_early.insert(case_index, format!("the case does not fit the generated client: {e:#}"));
            }
        }
    }
    if has_output_cases {
        plan.observe_code.push(observe_impls(&cx));
    }
    plan.module_files.insert(module_index, emitted.files);
    Ok(())
}

/// An input case: build the params, prepare the request, observe it.
fn input_case(cx: &Context, case: &Case, endpoint: &str) -> anyhow::Result<TokenStream> {
    let name = case.operation();
    let operation = &cx.model.operations[&name];
    let root = &cx.root;
    let method = ident(&operation_method(&name));
    let params = &case.case["params"];
    let with_input = match &operation.input {
        Some(input) => {
            let input = value(cx, input, params).with_context(|| "params")?;
            quote!(.with_input(#input))
        }
        None if params.as_object().is_some_and(Map::is_empty) => TokenStream::new(),
        None => bail!("params {params} for an operation without input"),
    };
    Ok(quote! {
        let client = #root::Client::new(crate::support::config(#endpoint));
        crate::support::observe_request(crate::support::block_on(client.#method() #with_input .prepare_request()))
    })
}

/// An output case: parse the response, observe the output or the error.
fn output_case(cx: &Context, case: &Case) -> anyhow::Result<TokenStream> {
    let name = case.operation();
    let root = &cx.root;
    let module = ident(&operation_module(&name));
    let response = &case.case["response"];
    let status = response["status_code"].as_u64().context("response.status_code")? as u16;
    let headers = response["headers"].as_object().cloned().unwrap_or_default();
    let headers = headers.iter().map(|(k, v)| {
        let v = v.as_str().unwrap_or_default();
        quote!((#k, #v))
    });
    let body = response["body"].as_str().unwrap_or_default();
    let response = match cbor_response_body(case)? {
        Some(bytes) => quote!(crate::support::response_bytes(#status, &[#(#headers),*], #bytes)),
        None => quote!(crate::support::response(#status, &[#(#headers),*], #body)),
    };
    Ok(quote! {
        let response = #response;
        crate::observe::outcome(#root::operation::#module::parse_response(&response))
    })
}

/// A Rust expression building `value` as a value of shape `shape`, through the generated types'
/// public API (`Default` and the setters, enum `From`, union variants).
fn value(cx: &Context, shape: &str, value: &Value) -> anyhow::Result<TokenStream> {
    let root = &cx.root;
    let expected = |what: &str| anyhow::anyhow!("shape {shape}: expected {what}, found {value}");
    Ok(match &cx.shape(shape).kind {
        ShapeKind::Structure(s) => {
            let object = value.as_object().ok_or_else(|| expected("an object"))?;
            let path = cx.type_path(shape);
            let mut setters = Vec::new();
            for (key, member_value) in object {
                let member = s
                    .members
                    .iter()
                    .find(|m| &m.name == key)
                    .ok_or_else(|| anyhow::anyhow!("shape {shape} has no member `{key}`"))?;
                let field = cx.names.field(shape, &member.name);
                if member_value.is_null() {
                    let set = format_ident!("set_{}", unraw(field));
                    setters.push(quote!(.#set(None)));
                } else if member.json_value && !member_value.is_string() {
                    // A `jsonvalue` member holds JSON text; the suites give the value itself.
                    let setter = ident(field);
                    let text = member_value.to_string();
                    setters.push(quote!(.#setter(::std::string::String::from(#text))));
                } else {
                    let setter = ident(field);
                    let inner = self::value(cx, &member.target, member_value).with_context(|| key.clone())?;
                    setters.push(quote!(.#setter(#inner)));
                }
            }
            quote!(#path::default() #(#setters)*)
        }
        ShapeKind::Union(u) => {
            let object = value.as_object().ok_or_else(|| expected("an object"))?;
            let [(key, member_value)] = object.iter().collect::<Vec<_>>()[..] else {
                return Err(expected("an object with one member"));
            };
            let member = u
                .members
                .iter()
                .find(|m| &m.name == key)
                .ok_or_else(|| anyhow::anyhow!("union {shape} has no member `{key}`"))?;
            let path = cx.type_path(shape);
            let variant = ident(cx.names.variant(shape, &member.name));
            let inner = self::value(cx, &member.target, member_value).with_context(|| key.clone())?;
            let inner = if cx.is_boxed(shape, member) { quote!(Box::new(#inner)) } else { inner };
            quote!(#path::#variant(#inner))
        }
        ShapeKind::List(list) => {
            let items = value.as_array().ok_or_else(|| expected("a list"))?;
            let element = cx.rust_type(&list.member);
            let mut exprs = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let expr = match (list.sparse, item.is_null()) {
                    (true, true) => quote!(None),
                    (true, false) => {
                        let inner = self::value(cx, &list.member, item).with_context(|| format!("[{i}]"))?;
                        quote!(Some(#inner))
                    }
                    (false, _) => self::value(cx, &list.member, item).with_context(|| format!("[{i}]"))?,
                };
                exprs.push(expr);
            }
            let element = if list.sparse { quote!(Option<#element>) } else { element };
            quote!(::std::vec::Vec::<#element>::from([#(#exprs),*]))
        }
        ShapeKind::Map(map) => {
            let entries = value.as_object().ok_or_else(|| expected("an object"))?;
            let key_type = cx.rust_type(&map.key);
            let value_type = cx.rust_type(&map.value);
            let mut exprs = Vec::new();
            for (key, item) in entries {
                let key_expr = self::value(cx, &map.key, &Value::String(key.clone()))?;
                let expr = match (map.sparse, item.is_null()) {
                    (true, true) => quote!(None),
                    (true, false) => {
                        let inner = self::value(cx, &map.value, item).with_context(|| key.clone())?;
                        quote!(Some(#inner))
                    }
                    (false, _) => self::value(cx, &map.value, item).with_context(|| key.clone())?,
                };
                exprs.push(quote!((#key_expr, #expr)));
            }
            let value_type = if map.sparse { quote!(Option<#value_type>) } else { value_type };
            quote!(::std::collections::HashMap::<#key_type, #value_type>::from([#(#exprs),*]))
        }
        ShapeKind::String(s) => {
            let text = value.as_str().ok_or_else(|| expected("a string"))?;
            if s.enum_values.is_some() {
                let path = cx.type_path(shape);
                quote!(#path::from(#text))
            } else {
                quote!(::std::string::String::from(#text))
            }
        }
        ShapeKind::Integer(i) => {
            let n = value.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(|| expected("an integer"))?;
            let literal = Literal::i32_suffixed(n);
            if i.enum_values.is_some() {
                let path = cx.type_path(shape);
                quote!(#path::from(#literal))
            } else {
                quote!(#literal)
            }
        }
        ShapeKind::Long(_) => {
            let literal = Literal::i64_suffixed(value.as_i64().ok_or_else(|| expected("an integer"))?);
            quote!(#literal)
        }
        ShapeKind::Float(_) => match special_float(value) {
            Some(name) => {
                let name = format_ident!("{name}");
                quote!(f32::#name)
            }
            None => {
                let literal = Literal::f32_suffixed(value.as_f64().ok_or_else(|| expected("a number"))? as f32);
                quote!(#literal)
            }
        },
        ShapeKind::Double(_) => match special_float(value) {
            Some(name) => {
                let name = format_ident!("{name}");
                quote!(f64::#name)
            }
            None => {
                let literal = Literal::f64_suffixed(value.as_f64().ok_or_else(|| expected("a number"))?);
                quote!(#literal)
            }
        },
        ShapeKind::Boolean => {
            let b = value.as_bool().ok_or_else(|| expected("a boolean"))?;
            quote!(#b)
        }
        ShapeKind::Timestamp(_) => {
            // The suites give timestamps as epoch seconds.
            match (value.as_i64(), value.as_f64()) {
                (Some(secs), _) => quote!(#root::primitives::DateTime::from_secs(#secs)),
                (None, Some(secs)) => quote!(#root::primitives::DateTime::from_secs_f64(#secs)),
                _ => return Err(expected("epoch seconds")),
            }
        }
        ShapeKind::Blob(_) => {
            // The suites give blobs as their (UTF-8) bytes.
            let text = value.as_str().ok_or_else(|| expected("a string"))?;
            quote!(#root::primitives::Blob::new(#text.as_bytes().to_vec()))
        }
        ShapeKind::Document => {
            let json = value.to_string();
            quote!(crate::support::document(#json))
        }
    })
}

/// `NAN`, `INFINITY` or `NEG_INFINITY` for the suites' names of the special floats.
fn special_float(value: &Value) -> Option<&'static str> {
    match value.as_str()? {
        "NaN" => Some("NAN"),
        "Infinity" => Some("INFINITY"),
        "-Infinity" => Some("NEG_INFINITY"),
        _ => None,
    }
}

/// `Observe` for every type a module reads, and `ObserveError` for its operations' errors:
/// each value as the suites write results (members by model name).
fn observe_impls(cx: &Context) -> TokenStream {
    let mut impls = Vec::new();
    for shape in &cx.selection.received {
        let kind = &cx.shape(shape).kind;
        if !generates_type(kind) {
            continue;
        }
        let path = cx.type_path(shape);
        let body = match kind {
            ShapeKind::Structure(s) => {
                let members = s.members.iter().map(|member| {
                    let field = ident(cx.names.field(shape, &member.name));
                    let name = &member.name;
                    quote! {
                        if let Some(value) = &self.#field {
                            object.insert(#name.to_string(), crate::observe::Observe::observe(value));
                        }
                    }
                });
                quote! {
                    #[allow(unused_mut)]
                    let mut object = ::serde_json::Map::new();
                    #(#members)*
                    ::serde_json::Value::Object(object)
                }
            }
            ShapeKind::Union(u) => {
                let arms = u.members.iter().map(|member| {
                    let variant = ident(cx.names.variant(shape, &member.name));
                    let name = &member.name;
                    quote!(Self::#variant(value) => (#name.to_string(), crate::observe::Observe::observe(value)),)
                });
                quote! {
                    let (key, value) = match self {
                        #(#arms)*
                        // As botocore gives a member it does not know.
                        Self::Unknown(unknown) => (
                            "SDK_UNKNOWN_MEMBER".to_string(),
                            ::serde_json::json!({ "name": unknown.name }),
                        ),
                    };
                    ::serde_json::Value::Object(::serde_json::Map::from_iter([(key, value)]))
                }
            }
            ShapeKind::String(_) => {
                impls.push(quote! {
                    impl crate::observe::ObserveKey for #path {
                        fn key(&self) -> String {
                            self.value().to_string()
                        }
                    }
                });
                quote!(::serde_json::Value::String(self.value().to_string()))
            }
            ShapeKind::Integer(_) => quote!(::serde_json::Value::from(self.value())),
            _ => continue,
        };
        impls.push(quote! {
            #[allow(deprecated)]
            impl crate::observe::Observe for #path {
                fn observe(&self) -> ::serde_json::Value {
                    #body
                }
            }
        });
    }
    let root = &cx.root;
    for name in &cx.selection.operations {
        let operation = &cx.model.operations[name];
        let module = ident(&operation_module(name));
        let error = format_ident!("{}Error", operation_type_base(name));
        let listed = operation.errors.iter().map(|shape| {
            let variant = ident(cx.names.type_name(shape));
            quote!(Self::#variant(error) => crate::observe::service_error(&error.error_metadata, error),)
        });
        let unlisted = cx.selection.unlisted_errors(operation);
        let unlisted_arm = if unlisted.is_empty() {
            TokenStream::new()
        } else {
            let arms = cx.selection.exceptions.iter().map(|shape| {
                let variant = ident(cx.names.type_name(shape));
                quote!(#root::error::ServiceError::#variant(error) => crate::observe::service_error(&error.error_metadata, error),)
            });
            quote!(Self::Unlisted(error) => match error { #(#arms)* },)
        };
        impls.push(quote! {
            impl crate::observe::ObserveError for #root::operation::#module::#error {
                fn observe_error(&self) -> ::serde_json::Value {
                    match self {
                        #(#listed)*
                        #unlisted_arm
                        Self::Unmodeled(metadata) => crate::observe::service_error(metadata, &()),
                        Self::Request(error) => crate::observe::failure(error),
                    }
                }
            }
        });
    }
    quote!(#(#impls)*)
}

fn write_crate(root: &Path, out: &Path, plan: &Plan) -> anyhow::Result<()> {
    let header = codegen::render::header(&format!("the suites in {SUITES_DIR}"), COMMAND);
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let runtime = codegen::emit::relative_path(out, &root.join("codegen/runtime"));
    let harness = codegen::emit::relative_path(out, &root.join("tests/protocol-harness"));
    files.insert(
        "Cargo.toml".to_string(),
        format!(
            "# Code generated by `{COMMAND}`; DO NOT EDIT.\n\
             [package]\n\
             name = \"awsgen-protocol-tests\"\n\
             version = \"0.1.0\"\n\
             edition = \"2024\"\n\
             publish = false\n\n\
             [workspace]\n\n\
             # As the workspace builds them, so the workspace's build of the dependencies is reused.\n\
             [profile.dev.package.\"*\"]\n\
             debug = false\n\n\
             [dependencies]\n\
             awsgen-runtime = {{ path = \"{runtime}\" }}\n\
             awsgen-protocol-harness = {{ path = \"{harness}\" }}\n\
             aws-smithy-types = \"1\"\n\
             serde_json = \"1\"\n"
        ),
    );
    // The hand-written part (config, observing values, the case loop) is the harness crate,
    // tests/protocol-harness; what is generated is the suites' clients, the cases, and how
    // the harness observes the generated types.
    let lib = quote! {
        #![doc = " botocore's JSON protocol test cases, run against generated clients."]
        pub mod cases;
        pub mod observed;
        #[rustfmt::skip]
        pub mod suites;
        pub use ::protocol_harness::{observe, support};
        pub use ::awsgen_runtime as runtime;
    };
    files.insert(
        "src/lib.rs".to_string(),
        codegen::render::rust_file("src/lib.rs", lib, &header).map_err(anyhow::Error::msg)?.contents,
    );
    let main = quote! {
        #![doc = " Runs every case and prints what the client did, a JSON line per case."]
        fn main() {
            ::protocol_harness::run(&awsgen_protocol_tests::cases::CASES);
        }
    };
    files.insert(
        "src/main.rs".to_string(),
        codegen::render::rust_file("src/main.rs", main, &header).map_err(anyhow::Error::msg)?.contents,
    );
    let impls = plan.observe_code.iter();
    let observed = quote! {
        #![doc = " How the harness observes the generated types."]
        #(#impls)*
    };
    files.insert(
        "src/observed.rs".to_string(),
        codegen::render::rust_file("src/observed.rs", observed, &header).map_err(anyhow::Error::msg)?.contents,
    );

    let mut suite_mods = Vec::new();
    for (index, module) in plan.modules.iter().enumerate() {
        let Some(module_files) = plan.module_files.get(&index) else { continue };
        let name = ident(&module.name);
        suite_mods.push(quote!(#[rustfmt::skip] pub mod #name;));
        for file in module_files {
            files.insert(format!("src/suites/{}/{}", module.name, file.path), file.contents.clone());
        }
    }
    let suites = quote! {
        #![doc = " A module per suite: the client the generator makes from the suite's model."]
        #(#suite_mods)*
    };
    files.insert(
        "src/suites/mod.rs".to_string(),
        codegen::render::rust_file("src/suites/mod.rs", suites, &header).map_err(anyhow::Error::msg)?.contents,
    );

    let mut case_fns = Vec::new();
    let mut table = Vec::new();
    for (case_index, (_module, code)) in &plan.case_code {
        let function = format_ident!("case_{case_index}");
        case_fns.push(quote!(fn #function() -> ::serde_json::Value { #code }));
        let key = format!("{case_index}");
        table.push(quote!((#key, #function)));
    }
    let count = table.len();
    let cases = quote! {
        #![doc = " Every case that runs, as a function returning what the client did."]
        #![allow(clippy::all)]
        #(#case_fns)*
        /// Every case by its index in the harness's list.
        pub const CASES: [::protocol_harness::Case; #count] = [#(#table),*];
    };
    files.insert(
        "src/cases.rs".to_string(),
        codegen::render::rust_file("src/cases.rs", cases, &header).map_err(anyhow::Error::msg)?.contents,
    );

    // The workspace's lock file, so the dependencies resolve to the versions the workspace
    // builds (and tests) with.
    let lock = fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    files.insert("Cargo.lock".to_string(), lock);

    write_tree(out, &files)
}

/// Writes `files` under `out`, leaving files whose contents are unchanged alone (so an
/// unchanged suite is not rebuilt) and removing files of earlier runs under `src/`.
fn write_tree(out: &Path, files: &BTreeMap<String, String>) -> anyhow::Result<()> {
    let mut stale: BTreeSet<_> = crate::codegen::files_under(&out.join("src"))?.into_iter().collect();
    for (relative, contents) in files {
        let path = out.join(relative);
        stale.remove(&path);
        if relative == "Cargo.lock" && path.exists() {
            // Cargo trims the lock file to what the crate uses; keep its version.
            continue;
        }
        if fs::read_to_string(&path).ok().as_deref() == Some(contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    for path in stale {
        fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

/// Builds the crate (sharing the workspace's target directory, so the dependencies the
/// workspace has built are reused) and runs it; returns its output.
fn build_and_run(root: &Path, out: &Path) -> anyhow::Result<String> {
    let target_dir: PathBuf = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let status = crate::cargo()
        .current_dir(out)
        .args(["build", "--quiet", "--bin", "awsgen-protocol-tests"])
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .context("running cargo build for the protocol tests")?;
    if !status.success() {
        bail!("the protocol test crate in {} does not build", out.display());
    }
    let binary = target_dir.join("debug").join(format!("awsgen-protocol-tests{}", std::env::consts::EXE_SUFFIX));
    let output = Command::new(&binary).output().with_context(|| format!("running {}", binary.display()))?;
    if !output.status.success() {
        bail!("{} exited with {}: {}", binary.display(), output.status, String::from_utf8_lossy(&output.stderr));
    }
    String::from_utf8(output.stdout).context("the runner's output is not UTF-8")
}

fn parse_observations(stdout: &str) -> anyhow::Result<BTreeMap<usize, Value>> {
    let mut observed = BTreeMap::new();
    for line in stdout.lines() {
        let value: Value = serde_json::from_str(line).with_context(|| format!("the runner printed {line:?}"))?;
        let key = value["key"].as_str().and_then(|k| k.parse().ok()).context("a line without a key")?;
        observed.insert(key, value["observed"].clone());
    }
    Ok(observed)
}

/// Compares, prints a line per file and the failures, and fails if any case failed.
fn report(cases: &[Case], plan: &Plan, observed: &BTreeMap<usize, Value>) -> anyhow::Result<()> {
    let mut totals = (0, 0, 0);
    let mut failures = Vec::new();
    let mut lines = Vec::new();
    for file in FILES {
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for (index, case) in cases.iter().enumerate().filter(|(_, c)| c.file == *file) {
            if case.skip.is_some() {
                skipped += 1;
                continue;
            }
            let verdict = match (plan.failed_early.get(&index), observed.get(&index)) {
                (Some(reason), _) => Err(reason.clone()),
                (None, Some(observed)) => compare(case, observed),
                (None, None) => Err("the runner printed nothing for this case".to_string()),
            };
            match verdict {
                Ok(()) => passed += 1,
                Err(why) => {
                    failed += 1;
                    failures.push(format!("FAILED {}: {why}", case.label()));
                }
            }
        }
        lines.push(format!("{file}: {passed} passed, {failed} failed, {skipped} skipped"));
        totals = (totals.0 + passed, totals.1 + failed, totals.2 + skipped);
    }
    for failure in &failures {
        println!("{failure}");
    }
    for (file, suite, index, reason) in SKIPPED.iter().chain(QUERY_SKIPPED).chain(REST_XML_SKIPPED) {
        println!("skipped {file}#{suite}.{index}: {reason}");
    }
    for line in lines {
        println!("{line}");
    }
    println!("{} passed, {} failed, {} skipped", totals.0, totals.1, totals.2);
    if totals.1 > 0 {
        bail!("{} protocol test case(s) failed", totals.1);
    }
    Ok(())
}

/// Compares what the client did with what the case expects.
fn compare(case: &Case, observed: &Value) -> Result<(), String> {
    if let Some(failure) = observed.get("failure") {
        return Err(format!("the client failed: {}", failure.as_str().unwrap_or_default()));
    }
    if let Some(expected) = case.case.get("serialized") {
        let endpoint = case.suite_json["clientEndpoint"].as_str().unwrap_or(DEFAULT_ENDPOINT);
        if is_query_file(case.file) {
            return compare_query_request(expected, &observed["request"], endpoint);
        }
        if is_cbor(case) {
            return compare_cbor_request(expected, &observed["request"], endpoint);
        }
        if is_rest_xml(case) {
            return compare_xml_request(expected, &observed["request"], endpoint);
        }
        compare_request(expected, &observed["request"], endpoint)
    } else if let Some(result) = case.case.get("result") {
        match observed.get("result") {
            Some(actual) => same("result", result, actual),
            None => Err(format!("expected the result {result}, the client gave {observed}")),
        }
    } else if let Some(members) = case.case.get("error") {
        let Some(actual) = observed.get("error") else {
            return Err(format!("expected an error, the client gave {observed}"));
        };
        let code = case.case.get("errorCode").cloned().unwrap_or(Value::Null);
        let message = case.case.get("errorMessage").cloned().unwrap_or(Value::Null);
        same("error code", &code, &actual["code"])?;
        same("error message", &message, &actual["message"])?;
        same("error members", members, &actual["members"])
    } else {
        Err("the case has neither `serialized`, `result` nor `error`".to_string())
    }
}

fn compare_request(expected: &Value, actual: &Value, endpoint: &str) -> Result<(), String> {
    let url = actual["url"].as_str().unwrap_or_default();
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (authority, path) = after_scheme.split_at(after_scheme.find('/').unwrap_or(after_scheme.len()));
    let path = if path.is_empty() { "/" } else { path };
    if let Some(method) = expected.get("method") {
        same("method", method, &actual["method"])?;
    }
    same("URI", expected.get("uri").unwrap_or(&json!("")), &json!(path))?;
    if let Some(host) = expected.get("host") {
        // The host and the endpoint's own path (which precedes the operation's path).
        let endpoint_path = endpoint.split_once("://").map_or(endpoint, |(_, rest)| rest);
        let endpoint_path = endpoint_path.find('/').map_or("", |slash| &endpoint_path[slash..]);
        let base = endpoint_path.trim_end_matches('/');
        same("host", host, &json!(format!("{authority}{base}")))?;
    }
    let headers: Vec<(String, String)> = actual["headers"]
        .as_array()
        .map(|h| {
            h.iter()
                .map(|pair| {
                    (
                        pair[0].as_str().unwrap_or_default().to_ascii_lowercase(),
                        pair[1].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let header = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    for (name, value) in expected["headers"].as_object().into_iter().flatten() {
        match header(name) {
            Some(actual) if Some(actual) == value.as_str() => {}
            Some(actual) => return Err(format!("header {name}: expected {value}, found {actual:?}")),
            None => return Err(format!("header {name}: expected {value}, found none")),
        }
    }
    for name in expected["forbidHeaders"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if let Some(actual) = header(name) {
            return Err(format!("header {name} must not be sent, found {actual:?}"));
        }
    }
    for name in expected["requireHeaders"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if header(name).is_none() {
            return Err(format!("header {name} must be sent, found none"));
        }
    }
    if let Some(body) = expected.get("body").and_then(Value::as_str) {
        let bytes = aws_base64_decode(actual["body"].as_str().unwrap_or_default())?;
        let text = String::from_utf8(bytes).map_err(|_| "the body is not UTF-8".to_string())?;
        match (serde_json::from_str::<Value>(body), serde_json::from_str::<Value>(&text)) {
            (Ok(expected), Ok(actual)) => same("body", &expected, &actual)?,
            (Ok(_), Err(e)) => return Err(format!("the body is not JSON ({e}): {text:?}")),
            (Err(_), _) if body == text => {}
            (Err(_), _) => return Err(format!("body: expected {body:?}, found {text:?}")),
        }
    }
    Ok(())
}

/// Whether the case's suite speaks rpcv2Cbor, whose bodies are base64 CBOR.
fn is_cbor(case: &Case) -> bool {
    case.suite_json["metadata"]["protocol"] == "smithy-rpc-v2-cbor"
}

/// The bytes of an rpcv2Cbor output case's response body, as a byte string literal; `None` for
/// the other protocols, whose bodies are text.
fn cbor_response_body(case: &Case) -> anyhow::Result<Option<Literal>> {
    if !is_cbor(case) {
        return Ok(None);
    }
    let body = case.case["response"]["body"].as_str().unwrap_or_default();
    let bytes = aws_base64_decode(body).map_err(|e| anyhow::anyhow!("response.body: {e}"))?;
    Ok(Some(Literal::byte_string(&bytes)))
}

/// Compares an rpcv2Cbor request: as any other but for the body, which is compared as decoded
/// CBOR values (see [`cbor_value`]); an empty expected body must be empty.
fn compare_cbor_request(expected: &Value, actual: &Value, endpoint: &str) -> Result<(), String> {
    let mut without_body = expected.clone();
    let expected_body = without_body.as_object_mut().and_then(|e| e.remove("body"));
    compare_request(&without_body, actual, endpoint)?;
    let Some(expected_body) = expected_body.as_ref().and_then(Value::as_str) else { return Ok(()) };
    let expected_bytes = aws_base64_decode(expected_body)?;
    let actual_bytes = aws_base64_decode(actual["body"].as_str().unwrap_or_default())?;
    if expected_bytes.is_empty() || actual_bytes.is_empty() {
        return if expected_bytes == actual_bytes {
            Ok(())
        } else {
            Err(format!("body: expected {} bytes, found {}", expected_bytes.len(), actual_bytes.len()))
        };
    }
    let expected = cbor_value::decode(&expected_bytes).map_err(|e| format!("the expected body: {e}"))?;
    let actual = cbor_value::decode(&actual_bytes).map_err(|e| format!("the body is not CBOR: {e}"))?;
    same("body", &expected, &actual)
}

/// Equal as JSON values: objects by keys, numbers by value (`1` equals `1.0`).
fn same(what: &str, expected: &Value, actual: &Value) -> Result<(), String> {
    if equal(expected, actual) { Ok(()) } else { Err(format!("{what}: expected {expected}, found {actual}")) }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(x), Some(y), _, _) => x == y,
            (_, _, Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| equal(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// Standard base64, as the runner prints bodies.
fn aws_base64_decode(text: &str) -> Result<Vec<u8>, String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|c| *c == byte).ok_or("the body is not base64")? as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// Whether a suite file is of the awsQuery or ec2 protocol, whose request bodies are forms.
fn is_query_file(file: &str) -> bool {
    file.ends_with("query.json") || file.ends_with("ec2.json")
}

/// Compares a request of the query protocols as botocore's own test (`test_protocols.py`) does,
/// on two points where it differs from the JSON protocols': the expected `Content-Type` gets
/// the `; charset=utf-8` the suites leave out (botocore adds it to the expectation, as its
/// serializer sends it), and the body is a form. The form is compared as its list of decoded
/// `key=value` pairs without regard to order (botocore compares the text, whose order is its
/// serializer's; a map's entries are written in key order here, a `HashMap` having none).
fn compare_query_request(expected: &Value, actual: &Value, endpoint: &str) -> Result<(), String> {
    let mut rest = expected.clone();
    let body = rest.as_object_mut().and_then(|e| e.remove("body"));
    if let Some(content_type) = rest["headers"].get_mut("Content-Type")
        && let Some(text) = content_type.as_str().filter(|t| !t.contains("charset=utf-8"))
    {
        *content_type = json!(format!("{text}; charset=utf-8"));
    }
    compare_request(&rest, actual, endpoint)?;
    let Some(body) = body.as_ref().and_then(Value::as_str) else { return Ok(()) };
    let bytes = aws_base64_decode(actual["body"].as_str().unwrap_or_default())?;
    let text = String::from_utf8(bytes).map_err(|_| "the body is not UTF-8".to_string())?;
    let (mut want, mut got) = (form_pairs(body)?, form_pairs(&text)?);
    want.sort();
    got.sort();
    if want == got { Ok(()) } else { Err(format!("body: expected {body:?}, found {text:?}")) }
}

/// The decoded `(key, value)` pairs of a form body; `+` is a space.
fn form_pairs(body: &str) -> Result<Vec<(String, String)>, String> {
    let decode = |text: &str| -> Result<String, String> {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = text.get(i + 1..i + 3).ok_or_else(|| format!("a bad escape in {text:?}"))?;
                    out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("a bad escape in {text:?}"))?);
                    i += 2;
                }
                byte => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8(out).map_err(|_| format!("{text:?} is not UTF-8 once decoded"))
    };
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

/// Whether the case's suite speaks restXml, whose bodies are XML.
fn is_rest_xml(case: &Case) -> bool {
    case.suite_json["metadata"]["protocol"] == "rest-xml"
}

/// Compares a restXml request as botocore's own test does: the expected `Content-Type` is not
/// compared (botocore sends none; this client sends `application/xml` for an XML body, as the
/// AWS SDKs do, and none for a raw payload, as botocore), and an XML body is compared as its
/// canonical tree with whitespace-only text dropped (botocore: C14N with `strip_text`); a body
/// that is not XML is compared as text.
fn compare_xml_request(expected: &Value, actual: &Value, endpoint: &str) -> Result<(), String> {
    let mut rest = expected.clone();
    let body = rest.as_object_mut().and_then(|e| e.remove("body"));
    if let Some(headers) = rest.get_mut("headers").and_then(Value::as_object_mut) {
        headers.retain(|name, _| !name.eq_ignore_ascii_case("content-type"));
    }
    compare_request(&rest, actual, endpoint)?;
    let Some(body) = body.as_ref().and_then(Value::as_str) else { return Ok(()) };
    let bytes = aws_base64_decode(actual["body"].as_str().unwrap_or_default())?;
    let text = String::from_utf8(bytes).map_err(|_| "the body is not UTF-8".to_string())?;
    match (xml_tree(body), xml_tree(&text)) {
        (Ok(want), Ok(got)) if want == got => Ok(()),
        (Ok(_), _) => Err(format!("body: expected {body:?}, found {text:?}")),
        (Err(_), _) if body == text => Ok(()),
        (Err(_), _) => Err(format!("body: expected {body:?}, found {text:?}")),
    }
}

/// An XML element as C14N compares it: its name as written, its attributes (namespace
/// declarations included) in order of name, its trimmed text and its children in order.
#[derive(Debug, PartialEq)]
struct XmlNode {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<XmlNode>,
}

/// The tree of an XML document.
fn xml_tree(text: &str) -> Result<XmlNode, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut stack: Vec<XmlNode> = Vec::new();
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(start) => {
                let name = start.name().into_inner().to_string();
                let mut attributes = Vec::new();
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|e| e.to_string())?;
                    let key = attribute.key.into_inner().to_string();
                    let value = decode_references(&attribute.value)?;
                    attributes.push((key, value));
                }
                attributes.sort();
                stack.push(XmlNode { name, attributes, text: String::new(), children: Vec::new() });
            }
            Event::Text(t) => {
                let decoded = t.xml10_content();
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&decoded);
                }
            }
            Event::GeneralRef(r) => {
                let c = decode_references(&format!("&{};", &*r))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&c);
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&data.xml10_content());
                }
            }
            Event::End(_) => {
                let mut node = stack.pop().ok_or("an end tag without a start")?;
                node.text = node.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::Eof => return Err("the document ends early".to_string()),
            _ => {}
        }
    }
}

/// `raw` with its entity and character references decoded.
fn decode_references(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').ok_or_else(|| format!("an unterminated reference in {raw:?}"))?;
        let name = &rest[at + 1..at + end];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ => match name.strip_prefix("#x") {
                Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                None => name.strip_prefix('#').and_then(|d| d.parse().ok()).and_then(char::from_u32),
            },
        };
        out.push(decoded.ok_or_else(|| format!("an unknown reference &{name}; in {raw:?}"))?);
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
