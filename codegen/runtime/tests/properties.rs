//! Property tests of the runtime's parsers of outside input: the shared config files
//! (`~/.aws/config`, `~/.aws/credentials`), the endpoint rule interpreter (rule sets and
//! parameters), and the JSON-level readers (typed values from JSON, error responses).
//!
//! Whatever the input, they give a value or a typed error that names its place, and never
//! panic. The number of cases is fixed per test so the run stays short; `PROPTEST_CASES=N`
//! raises it for a longer fuzzing run. Failures are not persisted to files: a case a run finds
//! is kept as a plain `#[test]` at the end of this file.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document};
use awsgen_runtime::endpoint::{EndpointError, EndpointParams, EndpointResolver, ParamValue};
use awsgen_runtime::json::{self, FromJson, JsonWriter};
use awsgen_runtime::path::Path;
use awsgen_runtime::profile::{FileKind, Profile, ProfileError, SharedFile};
use awsgen_runtime::protocol;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

#[path = "common/json_values.rs"]
mod json_values;
use json_values::any_json;
#[path = "common/json_walk.rs"]
mod json_walk;
use json_walk::{Step, child_mut, locate, splice};

/// SageMaker's endpoint rule set and the partitions, as the generated client embeds them.
const RULE_SET: &str = include_str!("../../../models/sagemaker/2017-07-24/endpoint-rule-set-1.json");
const PARTITIONS: &str = include_str!("../../../models/partitions.json");

/// `cases` cases (or `PROPTEST_CASES`), nothing written to disk, shrinking bounded.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 1024, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------------------------------------
// Shared config files
// ---------------------------------------------------------------------------------------------

const CONFIG_PATH: &str = "/home/prop/.aws/config";
const CREDENTIALS_PATH: &str = "/home/prop/.aws/credentials";

fn shared(kind: FileKind, text: &str) -> SharedFile {
    let path = match kind {
        FileKind::Config => CONFIG_PATH,
        FileKind::Credentials => CREDENTIALS_PATH,
    };
    SharedFile::new(kind, path, Some(text.to_string()))
}

fn missing(kind: FileKind) -> SharedFile {
    SharedFile::new(kind, "/nowhere", None)
}

/// Selects `name` from `text` read as a file of `kind` (the other file missing).
fn select(kind: FileKind, text: &str, name: &str) -> Result<Profile, ProfileError> {
    match kind {
        FileKind::Config => Profile::select(name, &shared(kind, text), &missing(FileKind::Credentials)),
        FileKind::Credentials => Profile::select(name, &missing(FileKind::Config), &shared(kind, text)),
    }
}

/// A parse error names the file, and a line of it; neither it nor its `Debug` repeats `secret`.
fn check_profile_error(error: &ProfileError, kind: FileKind, text: &str, secret: &str) -> Result<(), TestCaseError> {
    let shown = format!("{error} {error:?}");
    match error {
        ProfileError::Parse { path, line, message } => {
            let expected = match kind {
                FileKind::Config => CONFIG_PATH,
                FileKind::Credentials => CREDENTIALS_PATH,
            };
            prop_assert_eq!(path, &PathBuf::from(expected));
            let lines = text.strip_prefix('\u{feff}').unwrap_or(text).lines().count();
            prop_assert!((1..=lines).contains(line), "line {} of {}: {}", line, lines, shown);
            prop_assert!(!message.is_empty());
            prop_assert!(error.to_string().contains(&format!("{expected}, line {line}")), "{}", shown);
        }
        other => prop_assert!(false, "not a parse error: {other:?}"),
    }
    prop_assert!(secret.is_empty() || !shown.contains(secret), "the error repeats a value: {}", shown);
    Ok(())
}

fn kinds() -> impl Strategy<Value = FileKind> {
    prop_oneof![Just(FileKind::Config), Just(FileKind::Credentials)]
}

/// Lines a shared config file may have, right or wrong.
fn profile_lines() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[default]".to_string()),
        "\\[profile [a-z0-9 ]{0,6}\\]",
        "\\[sso-session [a-z]{1,5}\\]",
        "\\[[^\\]\\n]{0,8}\\]?[ #;a-z]{0,4}",
        "[A-Za-z_]{1,8} ?= ?[^\\n]{0,12}",
        "[ \\t]{1,3}[a-z_]{1,6} = [a-z0-9]{0,6}",
        "[#;][^\\n]{0,10}",
        "[ \\t=#;\\[\\]]{0,4}",
        "[^\\n]{0,16}",
    ]
}

/// A valid profile name: no whitespace, brackets, comment characters or `=`.
fn profile_names() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.@+-]{1,10}"
}

/// A property value as written after `= `: no control characters, no surrounding whitespace,
/// and no `#` or `;` that would start a comment (at the start, or after whitespace).
fn values() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{0,16}".prop_map(|raw| {
        let raw = raw.trim_matches([' ', '\t']);
        let mut out = String::with_capacity(raw.len());
        let mut after_space = true;
        for c in raw.chars() {
            let c = if after_space && (c == '#' || c == ';') { '_' } else { c };
            after_space = c == ' ' || c == '\t';
            out.push(c);
        }
        out
    })
}

/// One profile as generated: its properties (lowercase keys), each with the case it is
/// written in, its continuation lines, and a trailing comment.
#[derive(Clone, Debug)]
struct GenProperty {
    key: String,
    upper: u64,
    value: String,
    continuation: Vec<String>,
    comment: Option<String>,
}

fn properties() -> impl Strategy<Value = Vec<GenProperty>> {
    let property = (
        "[a-z_][a-z0-9_]{0,12}",
        any::<u64>(),
        values(),
        prop::collection::vec("[a-z0-9_]{1,6}( = [a-z0-9.=]{1,6})?", 0..3),
        prop::option::of("[^\\p{Cc}]{0,10}"),
    )
        .prop_map(|(key, upper, value, continuation, comment)| GenProperty {
            key,
            upper,
            value,
            continuation,
            comment,
        });
    prop::collection::vec(property, 0..5).prop_map(|mut list| {
        // Keys are unique (case-insensitively): a repeated key's later value would win.
        let mut seen = std::collections::BTreeSet::new();
        list.retain(|p| seen.insert(p.key.clone()));
        list
    })
}

/// Writes a file of `kind` with the profiles, between other lines the format allows; returns
/// its text and what each profile should read as.
fn write_file(
    kind: FileKind,
    profiles: &[(String, Vec<GenProperty>)],
    crlf: bool,
    bom: bool,
    extras: &[String],
) -> (String, BTreeMap<String, BTreeMap<String, String>>) {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    if bom {
        text.push('\u{feff}');
    }
    let mut expected: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut extra = extras.iter().cycle();
    for (index, (name, properties)) in profiles.iter().enumerate() {
        // Comments and blank lines between sections.
        if let Some(line) = extra.next().filter(|_| !extras.is_empty()) {
            text.push_str(&format!("# {line}{eol}{eol}"));
        }
        let header = match kind {
            FileKind::Config if name == "default" && index % 2 == 0 => "[default]".to_string(),
            FileKind::Config => format!("[profile {name}]"),
            FileKind::Credentials => format!("[{name}]"),
        };
        let header_comment = if index % 3 == 1 { " ; a comment" } else { "" };
        text.push_str(&format!("{header}{header_comment}{eol}"));
        let entry = expected.entry(name.clone()).or_default();
        for property in properties {
            let written_key: String = property
                .key
                .chars()
                .enumerate()
                .map(|(i, c)| if property.upper >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c })
                .collect();
            let comment = property.comment.as_ref().map(|c| format!(" # {c}")).unwrap_or_default();
            text.push_str(&format!("{written_key} = {}{comment}{eol}", property.value));
            let mut value = property.value.clone();
            for line in &property.continuation {
                text.push_str(&format!("  {line}{eol}"));
                value.push('\n');
                value.push_str(line);
            }
            entry.insert(property.key.clone(), value);
        }
        // A section that is not a profile, which must change nothing.
        if kind == FileKind::Config && index % 2 == 1 {
            text.push_str(&format!("[sso-session {name}]{eol}sso_region = elsewhere{eol}"));
        }
        if kind == FileKind::Credentials && index % 2 == 1 {
            text.push_str(&format!("[profile {name}]{eol}aws_access_key_id = ignored{eol}"));
        }
    }
    (text, expected)
}

fn profiles() -> impl Strategy<Value = Vec<(String, Vec<GenProperty>)>> {
    prop::collection::vec((prop_oneof![Just("default".to_string()), profile_names()], properties()), 1..4).prop_map(
        |mut list| {
            let mut seen = std::collections::BTreeSet::new();
            list.retain(|(name, _)| seen.insert(name.clone()));
            list
        },
    )
}

proptest! {
    #![proptest_config(config(256))]

    /// Random lines: a profile or a parse error naming the file and a line, never the text.
    #[test]
    fn profile_files_of_random_lines(
        kind in kinds(),
        lines in prop::collection::vec(profile_lines(), 0..12),
        crlf in any::<bool>(),
        secret in "S3CR3T[A-Z0-9]{10}",
        at in any::<Index>(),
        name in prop_oneof![Just("default".to_string()), profile_names()],
    ) {
        let mut lines = lines;
        // A secret somewhere, in a line that may or may not be valid.
        let place = at.index(lines.len() + 1);
        lines.insert(place, format!("aws_secret_access_key {secret}"));
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        match select(kind, &text, &name) {
            Ok(profile) => prop_assert_eq!(profile.name(), name.as_str()),
            Err(error) => check_profile_error(&error, kind, &text, &secret)?,
        }
    }

    /// Arbitrary text, including control characters and unusual Unicode.
    #[test]
    fn profile_files_of_arbitrary_text(kind in kinds(), text in "\\PC{0,64}|(.|\\r|\\n|\\t){0,64}") {
        if let Err(error) = select(kind, &text, "default") {
            check_profile_error(&error, kind, &text, "")?;
        }
    }

    /// A valid file reads back as exactly the profiles and values written.
    #[test]
    fn profile_files_round_trip(
        kind in kinds(),
        profiles in profiles(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        extras in prop::collection::vec("[^\\p{Cc}]{0,12}", 0..3),
    ) {
        let (text, expected) = write_file(kind, &profiles, crlf, bom, &extras);
        for (name, properties) in &expected {
            let profile = select(kind, &text, name).map_err(|e| TestCaseError::fail(format!("{e} in {text:?}")))?;
            prop_assert!(profile.is_defined(), "{} not found in {:?}", name, text);
            let read: BTreeMap<String, String> =
                profile.keys().map(|k| (k.to_string(), profile.get(k).unwrap_or_default().to_string())).collect();
            prop_assert_eq!(&read, properties, "in {:?}", text);
        }
        let absent = select(kind, &text, "no-such-profile-here").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!absent.is_defined());
    }

    /// A valid file with a few characters replaced: a profile or a located error.
    #[test]
    fn profile_files_mutated(
        kind in kinds(),
        profiles in profiles(),
        edits in prop::collection::vec((any::<Index>(), 0usize..4, "[\\[\\] =#;\\t\\r\\na-z\u{feff}é]{0,3}"), 1..4),
    ) {
        let (mut text, _) = write_file(kind, &profiles, false, false, &[]);
        for (at, len, with) in &edits {
            text = splice(&text, *at, *len, with);
        }
        for (name, _) in &profiles {
            if let Err(error) = select(kind, &text, name) {
                check_profile_error(&error, kind, &text, "")?;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Endpoint rules
// ---------------------------------------------------------------------------------------------

/// The real rule set, loaded once.
fn resolver() -> &'static EndpointResolver {
    static RESOLVER: std::sync::OnceLock<EndpointResolver> = std::sync::OnceLock::new();
    RESOLVER.get_or_init(|| EndpointResolver::new(RULE_SET, PARTITIONS).expect("the real rule set loads"))
}

fn rule_set() -> Value {
    serde_json::from_str(RULE_SET).expect("the rule set is JSON")
}

/// Strings a rule set holds: function names (some unknown), references, templates (some
/// broken), attribute paths, types, and random text.
fn rule_strings() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "isSet",
                "not",
                "getAttr",
                "booleanEquals",
                "stringEquals",
                "substring",
                "uriEncode",
                "parseURL",
                "isValidHostLabel",
                "aws.partition",
                "aws.parseArn",
                "aws.isVirtualHostableS3Bucket",
                "noSuchFn",
                "Region",
                "UseFIPS",
                "UseDualStack",
                "Endpoint",
                "PartitionResult",
                "url",
                "Undefined",
                "endpoint",
                "error",
                "tree",
                "String",
                "Boolean",
                "stringArray",
                "AWS::Region",
                "SDK::Endpoint",
                "1.0",
                "2.0",
                "name",
                "dnsSuffix",
                "supportsFIPS",
                "resourceId[0]",
                "a..b",
                "x[",
                "[0]",
                "{Region}",
                "{Undefined}",
                "{PartitionResult#dnsSuffix}",
                "{Region#x[2]}",
                "https://{Region}.example.com",
                "{",
                "}",
                "{{}}",
                "{}",
                "{Region",
                "Region}",
                "{#}",
                "{Region#}",
                "",
            ][..]
        )
        .prop_map(str::to_string),
        "[A-Za-z0-9{}#\\[\\]._:/-]{0,12}",
        "\\PC{0,6}",
    ]
}

/// Keys a rule set has.
const RULE_KEYS: &[&str] = &[
    "version",
    "parameters",
    "rules",
    "conditions",
    "type",
    "fn",
    "argv",
    "ref",
    "assign",
    "endpoint",
    "error",
    "url",
    "properties",
    "headers",
    "authSchemes",
    "builtIn",
    "required",
    "default",
    "documentation",
];

fn rule_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![any::<i64>(), -3i64..70].prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        rule_strings().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(RULE_KEYS).prop_map(str::to_string), inner.clone()), 0..4)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            (
                prop::sample::select(
                    &[
                        "isSet",
                        "not",
                        "getAttr",
                        "booleanEquals",
                        "stringEquals",
                        "substring",
                        "aws.partition",
                        "parseURL",
                        "nope"
                    ][..]
                ),
                prop::collection::vec(inner, 0..5)
            )
                .prop_map(|(name, argv)| serde_json::json!({"fn": name, "argv": argv})),
        ]
    })
}

#[derive(Clone, Debug)]
enum Edit {
    Replace(Value),
    Remove,
    Insert(String, Value),
    Rename(String),
    Duplicate,
    /// Wrap the node in `levels` tree rules (or calls of `not`), to nest deeper.
    Nest(usize),
}

fn rule_edits() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => rule_json().prop_map(Edit::Replace),
        3 => Just(Edit::Remove),
        2 => (prop::sample::select(RULE_KEYS).prop_map(str::to_string), rule_json()).prop_map(|(k, v)| Edit::Insert(k, v)),
        2 => rule_strings().prop_map(Edit::Rename),
        1 => Just(Edit::Duplicate),
        1 => (1usize..60).prop_map(Edit::Nest),
    ]
}

/// Where a walk starts (mostly inside the rules), its selectors, and the edit at its end.
type RuleMutation = (Option<&'static str>, Vec<Index>, Edit);

fn rule_mutations() -> impl Strategy<Value = Vec<RuleMutation>> {
    let start = prop_oneof![1 => Just(None), 4 => Just(Some("rules")), 1 => Just(Some("parameters")), 1 => Just(Some("partitions"))];
    prop::collection::vec((start, prop::collection::vec(any::<Index>(), 0..12), rule_edits()), 1..4)
}

fn mutate(root: &mut Value, start: Option<&str>, walk: &[Index], edit: &Edit) {
    let steps = match start.filter(|key| root.get(key).is_some()) {
        Some(key) => {
            let mut steps = vec![Step::Key(key.to_string())];
            steps.extend(locate(&root[key], walk));
            steps
        }
        None => locate(root, walk),
    };
    let Some((last, parents)) = steps.split_last() else {
        if let Edit::Replace(value) = edit {
            *root = value.clone();
        }
        return;
    };
    let mut parent = &mut *root;
    for step in parents {
        parent = child_mut(parent, step);
    }
    match edit {
        Edit::Replace(value) => *child_mut(parent, last) = value.clone(),
        Edit::Remove => match (parent, last) {
            (Value::Object(fields), Step::Key(key)) => {
                fields.remove(key);
            }
            (Value::Array(items), Step::At(at)) => {
                items.remove(*at);
            }
            _ => {}
        },
        Edit::Insert(key, value) => {
            if let Value::Object(fields) = child_mut(parent, last) {
                fields.insert(key.clone(), value.clone());
            }
        }
        Edit::Rename(new) => {
            if let (Value::Object(fields), Step::Key(key)) = (parent, last)
                && let Some(value) = fields.remove(key)
            {
                fields.insert(new.clone(), value);
            }
        }
        Edit::Duplicate => match (parent, last) {
            (Value::Object(fields), Step::Key(key)) => {
                let copy = fields[key.as_str()].clone();
                fields.insert(format!("{key}2"), copy);
            }
            (Value::Array(items), Step::At(at)) => {
                let copy = items[*at].clone();
                items.insert(*at, copy);
            }
            _ => {}
        },
        Edit::Nest(levels) => {
            let node = child_mut(parent, last);
            let mut value = node.take();
            let rule = value.get("type").is_some();
            for _ in 0..*levels {
                value = if rule {
                    serde_json::json!({"type": "tree", "conditions": [], "rules": [value]})
                } else {
                    serde_json::json!({"fn": "not", "argv": [value]})
                };
            }
            *node = value;
        }
    }
}

/// Follows a place as the interpreter writes it (`rules[1].conditions[0].argv[2]`) into
/// `document`: every step but the last must exist (the last may be what is missing).
fn place_exists(document: &Value, place: &str) -> bool {
    // Split into keys and indices; a key may itself hold dots (a property or header name), so
    // at an object the longest run of dotted parts that is a key is taken.
    let mut parts: Vec<String> = Vec::new();
    for piece in place.split('.') {
        let (key, mut rest) = match piece.find('[') {
            Some(at) => piece.split_at(at),
            None => (piece, ""),
        };
        parts.push(key.to_string());
        while let Some(index) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            parts.push(format!("[{}]", index.0));
            rest = index.1;
        }
    }
    let mut node = document;
    let mut i = 0;
    while i < parts.len() {
        let last = i + 1 == parts.len();
        let part = &parts[i];
        if let Some(index) = part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            match (node, index.parse::<usize>()) {
                (Value::Array(items), Ok(at)) if at < items.len() => node = &items[at],
                _ => return last,
            }
            i += 1;
            continue;
        }
        if part.is_empty() && i == 0 && parts.len() == 1 {
            return true;
        }
        let Value::Object(fields) = node else { return last };
        // The longest dotted run that is a key.
        let found = (i..parts.len()).rev().find_map(|end| {
            let key = parts[i..=end].join(".");
            fields.get(&key).map(|child| (end, child))
        });
        match found {
            Some((end, child)) => {
                node = child;
                i = end + 1;
            }
            None => return last,
        }
    }
    true
}

/// The outcome of loading a rule set: an `Invalid` error names the rule set and a place in it.
fn check_load(document: &Value, result: &Result<EndpointResolver, EndpointError>) -> Result<(), TestCaseError> {
    if let Err(error) = result {
        match error {
            EndpointError::Invalid { document: which, place, message } => {
                prop_assert_eq!(*which, "rule set", "{}", error);
                prop_assert!(!message.is_empty());
                if place.starts_with("line ") {
                    // The text is the document written back, so only nesting can make it unparsable.
                    prop_assert!(message.contains("recursion limit"), "{}", error);
                } else {
                    prop_assert!(
                        place_exists(document, place),
                        "the place `{}` is not in the document: {}",
                        place,
                        error
                    );
                }
            }
            other => prop_assert!(false, "loading gave {other:?}"),
        }
    }
    Ok(())
}

/// Parameters as a client might set them, and some no client would.
fn params() -> impl Strategy<Value = EndpointParams> {
    let region = prop_oneof![
        "[a-z]{2}-[a-z]{3,9}-[0-9]{1,2}",
        prop::sample::select(
            &["us-east-1", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "aws-global", "eu-isoe-west-1"][..]
        )
        .prop_map(str::to_string),
        "\\PC{0,12}",
        ".{0,6}",
    ];
    let endpoint = prop_oneof!["https?://[a-z0-9.:\\[\\]@%/-]{0,20}", "\\PC{0,12}",];
    (
        prop::option::of(region),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(endpoint),
        prop::collection::vec(
            (
                prop::sample::select(&["Region", "UseFIPS", "UseDualStack", "Endpoint", "Other"][..]),
                prop_oneof![
                    any::<bool>().prop_map(ParamValue::Bool),
                    "\\PC{0,8}".prop_map(ParamValue::String),
                    prop::collection::vec("[a-z]{0,4}", 0..3).prop_map(ParamValue::StringArray),
                ],
            ),
            0..2,
        ),
    )
        .prop_map(|(region, fips, dual_stack, endpoint, by_name)| {
            let mut params = EndpointParams::new();
            if let Some(region) = region {
                params = params.region(region);
            }
            if let Some(fips) = fips {
                params = params.use_fips(fips);
            }
            if let Some(dual_stack) = dual_stack {
                params = params.use_dual_stack(dual_stack);
            }
            if let Some(endpoint) = endpoint {
                params = params.endpoint(endpoint);
            }
            for (name, value) in by_name {
                params = params.set(name, value);
            }
            params
        })
}

proptest! {
    #![proptest_config(config(256))]

    /// A mutated rule set loads or is refused with its place; one that loads resolves any
    /// parameters to an endpoint or an error.
    #[test]
    fn mutated_rule_sets(mutations in rule_mutations(), params in params()) {
        let mut document = rule_set();
        for (start, walk, edit) in &mutations {
            mutate(&mut document, *start, walk, edit);
        }
        let text = serde_json::to_string(&document).expect("serialisable");
        let loaded = EndpointResolver::new(&text, PARTITIONS);
        check_load(&document, &loaded)?;
        if let Ok(resolver) = loaded
            && let Ok(endpoint) = resolver.resolve(&params)
        {
            prop_assert!(endpoint.sigv4().is_none() || endpoint.properties.contains_key("authSchemes"));
        }
    }

    /// The real rule set with any parameters: an endpoint or a typed error, never a panic.
    #[test]
    fn random_parameters(params in params()) {
        let resolver = resolver();
        // An empty `SDK::Endpoint` is set, and the rules use it as the URL: the client never
        // passes one (it checks the URL it is given first).
        if let Err(EndpointError::Invalid { .. }) = resolver.resolve(&params) {
            prop_assert!(false, "a loaded rule set cannot be invalid");
        }
    }

    /// A region of the usual form resolves to an HTTPS URL with the region in it, or to an
    /// error rule (e.g. dual-stack in a partition without it).
    #[test]
    fn well_formed_regions(region in "[a-z]{2}-[a-z]{4,9}-[0-9]{1,2}", fips in any::<bool>(), dual_stack in any::<bool>()) {
        let resolver = resolver();
        let params = EndpointParams::new().region(region.clone()).use_fips(fips).use_dual_stack(dual_stack);
        match resolver.resolve(&params) {
            Ok(endpoint) => {
                prop_assert!(endpoint.url.starts_with("https://"), "{}", endpoint.url);
                prop_assert!(endpoint.url.contains(&region), "{}", endpoint.url);
            }
            Err(EndpointError::Rule { message }) => prop_assert!(!message.is_empty()),
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    /// A mutated partitions document loads or is refused, naming it.
    #[test]
    fn mutated_partitions(mutations in rule_mutations(), region in "\\PC{0,12}") {
        let mut document: Value = serde_json::from_str(PARTITIONS).expect("JSON");
        for (start, walk, edit) in &mutations {
            mutate(&mut document, *start, walk, edit);
        }
        match EndpointResolver::new(RULE_SET, &serde_json::to_string(&document).expect("serialisable")) {
            Ok(resolver) => {
                let _ = resolver.resolve(&EndpointParams::new().region(region).use_fips(false).use_dual_stack(false));
            }
            Err(EndpointError::Invalid { document, place, message }) => {
                prop_assert_eq!(document, "partitions");
                prop_assert!(!place.is_empty());
                prop_assert!(!message.is_empty());
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    /// Text that is not JSON, or JSON of the wrong shape.
    #[test]
    fn rule_set_text_cut_or_spliced(at in any::<Index>(), len in 0usize..6, with in "[\\[\\]{}\",:a-z0-9]{0,3}") {
        let text = splice(RULE_SET, at, len, &with);
        if let Err(error) = EndpointResolver::new(&text, PARTITIONS) {
            prop_assert!(matches!(error, EndpointError::Invalid { document: "rule set", .. }), "{error:?}");
        }
        let cut = &RULE_SET[..at.index(RULE_SET.len())];
        prop_assert!(EndpointResolver::new(cut, PARTITIONS).is_err());
    }
}

/// `levels` tree rules, one inside the other, around an error rule, in a rule set.
fn nested_trees(levels: usize) -> String {
    let open = r#"{"type": "tree", "conditions": [], "rules": ["#;
    let inner = r#"{"type": "error", "conditions": [], "error": "deep"}"#;
    format!(
        r#"{{"version": "1.0", "parameters": {{}}, "rules": [{}{inner}{}]}}"#,
        open.repeat(levels),
        "]}".repeat(levels)
    )
}

/// A hostile rule set of 100,000 nested tree rules is refused (serde_json's recursion limit),
/// without overflowing the stack; one as deep as that limit allows loads and evaluates.
#[test]
fn deeply_nested_rule_sets_are_refused_or_evaluated() {
    match EndpointResolver::new(&nested_trees(100_000), PARTITIONS) {
        Err(EndpointError::Invalid { document: "rule set", message, .. }) => {
            assert!(message.contains("recursion limit"), "{message}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let resolver = EndpointResolver::new(&nested_trees(60), PARTITIONS).expect("60 levels are within the limit");
    assert_eq!(resolver.resolve(&EndpointParams::new()), Err(EndpointError::Rule { message: "deep".into() }));

    // Calls nested as deep as the limit allows, as a condition.
    let not = |levels: usize| {
        format!(
            r#"{}{{"fn": "isSet", "argv": [{{"ref": "Region"}}]}}{}"#,
            r#"{"fn": "not", "argv": ["#.repeat(levels),
            "]}".repeat(levels)
        )
    };
    for (levels, loads) in [(60, true), (100_000, false)] {
        let text = format!(
            r#"{{"version": "1.0", "parameters": {{"Region": {{"type": "String"}}}}, "rules": [{{"type": "error", "conditions": [{}], "error": "x"}}]}}"#,
            not(levels)
        );
        match EndpointResolver::new(&text, PARTITIONS) {
            Ok(resolver) => {
                assert!(loads);
                let _ = resolver.resolve(&EndpointParams::new().region("us-east-1"));
            }
            Err(error) => assert!(!loads, "{error}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON-level readers
// ---------------------------------------------------------------------------------------------

/// Reads `value` as `T` at `Items[3]`: a value, or an error whose path starts there.
fn read_at<T: FromJson>(value: &Value) -> Result<Option<T>, TestCaseError> {
    let root = Path::Root;
    let items = root.key("Items");
    let at = items.index(3);
    match T::from_json(value, &at) {
        Ok(read) => Ok(Some(read)),
        Err(error) => {
            prop_assert!(error.path.starts_with("Items[3]"), "{}", error);
            prop_assert!(error.to_string().starts_with("at `Items[3]"), "{}", error);
            prop_assert!(!error.message.is_empty());
            Ok(None)
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// Every reader, on any JSON value: a value or an error with its path.
    #[test]
    fn typed_readers_on_any_value(value in any_json()) {
        read_at::<String>(&value)?;
        read_at::<bool>(&value)?;
        let small = read_at::<i32>(&value)?;
        let big = read_at::<i64>(&value)?;
        if let Some(small) = small {
            prop_assert_eq!(big, Some(i64::from(small)));
        }
        if let (Value::Number(n), Some(big)) = (&value, big) {
            prop_assert!(n.as_i64() == Some(big) || n.as_f64() == Some(big as f64), "{} read as {}", n, big);
        }
        read_at::<f32>(&value)?;
        read_at::<f64>(&value)?;
        read_at::<Blob>(&value)?;
        read_at::<DateTime>(&value)?;
        prop_assert!(read_at::<Document>(&value)?.is_some());
        read_at::<Vec<String>>(&value)?;
        read_at::<Vec<Vec<i32>>>(&value)?;
        read_at::<HashMap<String, Vec<DateTime>>>(&value)?;
        read_at::<Box<HashMap<String, f64>>>(&value)?;
        let root = Path::Root;
        for format in [Format::EpochSeconds, Format::DateTime, Format::HttpDate] {
            if let Err(error) = json::timestamp(&value, &root.key("When"), format) {
                prop_assert!(error.path == "When", "{}", error);
            }
        }
    }

    /// What the writer writes, serde_json reads as the same string; and the reader reads it back.
    /// The escapes are serde_json's own, byte for byte (the writer skips clean text eight bytes
    /// at a time, so escapes are placed anywhere in long runs of text).
    #[test]
    fn written_strings_read_back(text in "(\\PC|[\\x00-\\x1f\\x7f\"\\\\]|[a-z]{1,9})*") {
        let mut writer = JsonWriter::new();
        writer.string(&text);
        let written = writer.into_string();
        prop_assert_eq!(&written, &serde_json::to_string(&text).expect("a string serialises"));
        let parsed: Value = serde_json::from_str(&written).map_err(|e| TestCaseError::fail(format!("{e}: {written}")))?;
        prop_assert_eq!(String::from_json(&parsed, &Path::Root).ok(), Some(text));
    }

    /// Written doubles read back as the same value (NaN and the infinities as strings).
    #[test]
    fn written_doubles_read_back(number in any::<f64>()) {
        let mut writer = JsonWriter::new();
        writer.double(number);
        let written = writer.into_string();
        let parsed: Value = serde_json::from_str(&written).map_err(|e| TestCaseError::fail(format!("{e}: {written}")))?;
        let read = f64::from_json(&parsed, &Path::Root).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(read.to_bits() == number.to_bits() || (read.is_nan() && number.is_nan()), "{} read as {}", number, read);
        // The forms other encoders use: with an exponent, and Rust's `Debug`.
        for other in [format!("{number:e}"), format!("{number:?}")] {
            if let Ok(parsed) = serde_json::from_str::<Value>(&other) {
                let read = f64::from_json(&parsed, &Path::Root).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(read.to_bits(), number.to_bits(), "{} read as {}", other, read);
            }
        }
    }

    /// An error response of any status, headers and body: metadata and a body, or a reason.
    #[test]
    fn error_responses(
        status in 300u16..600,
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..64),
            any_json().prop_map(|v| v.to_string().into_bytes()),
            ("\\PC{0,20}", "\\PC{0,20}", "\\PC{0,20}").prop_map(|(code, kind, message)| {
                serde_json::json!({"code": code, "__type": kind, "message": message}).to_string().into_bytes()
            }),
        ],
        headers in prop::collection::vec((prop::sample::select(&["x-amzn-errortype", "x-amzn-requestid", "content-type"][..]), prop::collection::vec(any::<u8>(), 0..16)), 0..3),
    ) {
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            if let Ok(value) = http::HeaderValue::from_bytes(&value) {
                map.append(name, value);
            }
        }
        match protocol::aws_json::read_error(status, &map, &body) {
            Ok((metadata, _)) => {
                prop_assert_eq!(metadata.status, status);
                prop_assert!(!metadata.code.is_empty());
            }
            Err(reason) => prop_assert!(reason.starts_with("the error body is not JSON"), "{}", reason),
        }
        let excerpt = protocol::excerpt(&body);
        prop_assert!(!excerpt.chars().any(char::is_control), "{:?}", excerpt);
        prop_assert!(excerpt.chars().count() <= 240, "{:?}", excerpt);
    }
}

/// Deep nesting is refused by serde_json's recursion limit before any reader walks it.
#[test]
fn deeply_nested_json_is_refused_before_reading() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let error = serde_json::from_str::<Value>(&deep).expect_err("too deep");
    assert!(error.to_string().contains("recursion limit"), "{error}");
    // As deep as the limit allows: the recursive readers cope.
    let deepest = format!("{}{}", "[".repeat(127), "]".repeat(127));
    let value: Value = serde_json::from_str(&deepest).expect("within the limit");
    assert!(Document::from_json(&value, &Path::Root).is_ok());
    assert!(Vec::<Vec<String>>::from_json(&value, &Path::Root).is_err());
}

/// Found by `written_doubles_read_back`: a double the writer writes in full (Rust's `Display`,
/// no exponent), or with an exponent as services do, was read back one unit in the last place
/// off while serde_json parsed floats approximately (before its `float_roundtrip` feature).
#[test]
fn long_doubles_read_back_exactly() {
    for number in [6.374117209444874e211, 1.0384031527163238e-199] {
        let mut writer = JsonWriter::new();
        writer.double(number);
        let parsed: Value = serde_json::from_str(&writer.into_string()).expect("JSON");
        assert_eq!(f64::from_json(&parsed, &Path::Root).ok(), Some(number));
        let parsed: Value = serde_json::from_str(&format!("{number:e}")).expect("JSON");
        assert_eq!(f64::from_json(&parsed, &Path::Root).ok(), Some(number));
    }
}

// ---------------------------------------------------------------------------------------------
// Endpoint settings from the environment and the profile
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    /// Any values for the S3 and account-ID settings (the `s3 =` sub-section included): each
    /// setting is taken or reported with the variable or key it came from, and an explicit
    /// setting is never replaced.
    #[test]
    fn endpoint_settings_from_any_values(
        values in prop::collection::btree_map(
            prop_oneof![
                Just("AWS_S3_USE_ARN_REGION"),
                Just("s3_disable_multiregion_access_points"),
                Just("AWS_ACCOUNT_ID_ENDPOINT_MODE"),
                Just("s3"),
            ],
            prop_oneof!["(?i)true|false|path|virtual|auto|preferred|required", "\\PC{0,12}", "\n[a-z_]{0,24} = [a-zA-Z]{0,8}(\n[a-z_ =]{0,20}){0,3}"],
            0..4,
        ),
        explicit in any::<Option<bool>>(),
    ) {
        use awsgen_runtime::endpoint_settings::EndpointSettings;
        let mut settings = EndpointSettings { force_path_style: explicit, ..Default::default() };
        let lookup = |variable: &str, key: &str| values.get(variable).or_else(|| values.get(key)).cloned();
        let problems = settings.load_env(&lookup);
        match values.get("AWS_S3_USE_ARN_REGION").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("true") => prop_assert_eq!(settings.s3_use_arn_region, Some(true)),
            Some("false") => prop_assert_eq!(settings.s3_use_arn_region, Some(false)),
            Some(_) => prop_assert!(problems.iter().any(|p| p.contains("AWS_S3_USE_ARN_REGION"))),
            None => {}
        }
        if explicit.is_some() {
            prop_assert_eq!(settings.force_path_style, explicit);
        }
        for problem in &problems {
            prop_assert!(
                ["AWS_S3_USE_ARN_REGION", "AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", "AWS_ACCOUNT_ID_ENDPOINT_MODE", "the profile's s3"]
                    .iter()
                    .any(|name| problem.contains(name)),
                "{}", problem
            );
        }
        if let Some(mode) = &settings.account_id_endpoint_mode {
            prop_assert!(["preferred", "disabled", "required"].contains(&mode.as_str()));
        }
    }
}
