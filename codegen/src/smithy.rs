//! The Smithy front end: a Smithy JSON AST (IDL 2.0, and 1.0) → the shape graph.
//!
//! The result is the model the botocore front end reads from the `service-2.json` that AWS
//! generates from the same Smithy model, so that everything after the front end cannot tell the
//! two apart. That fixes a few choices:
//!
//! - The model is the closure of the one `service` shape: its operations (directly or through
//!   resources), their inputs, outputs and errors, and every shape their members reach. Shapes
//!   outside it are not read (botocore does not have them either).
//! - Shapes are named by the name part of their id (`com.amazonaws.sagemaker#Tag` → `Tag`), or as
//!   the service's `rename` says. Two shapes of the closure with the same name are an error naming
//!   both ids, except a prelude shape (`smithy.api#String`) and a model shape that read the same.
//! - `smithy.api#Unit` as an operation's input or output means none; as a member target it is an
//!   empty structure named `Unit`, as botocore has it.
//! - Member traits go to the member, target traits to the target shape: documentation,
//!   deprecation, `timestampFormat` and `required` of a member are the member's own traits.
//! - A length minimum of 0 is no minimum: it constrains nothing, and botocore leaves it out on
//!   most shapes (not all: which ones, the Smithy model cannot tell, as it has `min: 0` on both).
//! - `byte` and `short` are integers; `set` (Smithy 1.0) is a list. `bigInteger` and
//!   `bigDecimal` are rejected: the shape graph has no arbitrary-precision number and mapping
//!   them to `i64`/`f64` would lose digits silently.
//! - `mediaType: "application/json"` (or `…+json`) on a string target makes the member a JSON
//!   value (botocore's `jsonvalue`).
//! - Read but not carried, since the shape graph (like botocore) has no place for them and every
//!   generated member is optional anyway: `default`, `clientOptional`, `box`, `addedDefault`;
//!   constraint traits (`length`, `pattern`, `range`) applied to a member rather than to its
//!   target; `httpError` on anything but an error structure.
//! - `smithy.api#requestCompression` is botocore's `requestcompression`.
//! - An operation's errors are its own, then the service's, without the error of endpoint
//!   discovery (`aws.api#clientEndpointDiscovery`), as in botocore.
//! - Carried although botocore lacks them: enum member names ([`EnumValue::name`]), enum member
//!   documentation, intEnums, and the HTTP status of an error (`smithy.api#httpError`).
//! - Mixins are flattened (members of the mixins first, then the shape's own; traits of the
//!   mixins except `smithy.api#mixin` and its `localTraits`, the shape's own winning), then
//!   `apply` entries add their traits.
//!
//! The endpoint rule set (`smithy.rules#endpointRuleSet`) is not part of the shape graph yet;
//! [`endpoint_rule_set`] returns it.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ModelError;
use crate::ir::{
    Deprecation, EnumValue, Exception, Fault, IntegerShape, Length, List, Map, Member, Model, Number, Operation,
    Protocol, Range, RequestCompression, Service, Shape, ShapeKind, StringShape, Structure, TimestampFormat,
};

/// The prelude's namespace.
const PRELUDE: &str = "smithy.api";
/// The prelude's unit type: "no value".
const UNIT: &str = "smithy.api#Unit";

/// A reference to a shape: `{"target": "ns#Name"}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AstRef {
    target: String,
}

/// A member: its target and the traits applied to the member itself.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AstMember {
    target: String,
    #[serde(default)]
    traits: IndexMap<String, Value>,
}

/// One entry of the `shapes` object. Fields a kind does not use stay empty; fields of kinds the
/// generator does not read (resource identifiers, properties) are ignored.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AstShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    traits: IndexMap<String, Value>,
    #[serde(default)]
    members: IndexMap<String, AstMember>,
    member: Option<AstMember>,
    key: Option<AstMember>,
    value: Option<AstMember>,
    input: Option<AstRef>,
    output: Option<AstRef>,
    #[serde(default)]
    errors: Vec<AstRef>,
    version: Option<String>,
    #[serde(default)]
    operations: Vec<AstRef>,
    #[serde(default)]
    resources: Vec<AstRef>,
    #[serde(default)]
    rename: BTreeMap<String, String>,
    create: Option<AstRef>,
    put: Option<AstRef>,
    read: Option<AstRef>,
    update: Option<AstRef>,
    delete: Option<AstRef>,
    list: Option<AstRef>,
    #[serde(default)]
    collection_operations: Vec<AstRef>,
    #[serde(default)]
    mixins: Vec<AstRef>,
}

/// Reads a Smithy JSON AST model. `file` names the file in error messages.
pub fn parse(file: &str, text: &str) -> Result<Model, ModelError> {
    let ast = Ast::read(file, text)?;
    let service_id = ast.service_id()?;
    let closure = ast.closure(&service_id)?;
    let names = ast.names(&service_id, &closure)?;
    let cx = Convert { ast: &ast, names: &names };

    let mut shapes: BTreeMap<String, (String, Shape)> = BTreeMap::new();
    for id in &closure.shapes {
        let shape = cx.shape(id)?;
        match shapes.get(&shape.name) {
            None => {
                shapes.insert(shape.name.clone(), (id.clone(), shape));
            }
            // A prelude shape and a model shape of the same name that read the same are one.
            Some((other, same)) if *same == shape && (is_prelude(id) || is_prelude(other)) => {}
            Some((other, _)) => {
                return Err(ast.error_at(
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
    let mut operation_ids: BTreeMap<String, &String> = BTreeMap::new();
    for id in &closure.operations {
        let operation = cx.operation(id, &service_id)?;
        if let Some(other) = operation_ids.insert(operation.name.clone(), id) {
            return Err(ast.error_at(
                id,
                format!("operation {id}"),
                format!("its name `{}` is also the name of {other}; operation names must be unique", operation.name),
            ));
        }
        operations.insert(operation.name.clone(), operation);
    }

    let service = cx.service(&service_id)?;
    Ok(Model { service, operations, shapes: shapes.into_iter().map(|(name, (_, shape))| (name, shape)).collect() })
}

/// The endpoint rule set (the `smithy.rules#endpointRuleSet` trait of the service shape), if the
/// text is a Smithy JSON AST with one service that has it.
pub fn endpoint_rule_set(text: &str) -> Option<Value> {
    let root: Value = serde_json::from_str(text).ok()?;
    let mut services =
        root.get("shapes")?.as_object()?.values().filter(|shape| shape.get("type") == Some(&Value::from("service")));
    let service = services.next()?;
    if services.next().is_some() {
        return None;
    }
    service.get("traits")?.get("smithy.rules#endpointRuleSet").cloned()
}

/// Whether a shape id is in the prelude.
fn is_prelude(id: &str) -> bool {
    id.split_once('#').is_some_and(|(namespace, _)| namespace == PRELUDE)
}

/// The name part of a shape id.
fn name_of(id: &str) -> &str {
    id.split_once('#').map_or(id, |(_, name)| name)
}

/// The kind of a prelude shape, if `id` names one.
fn prelude_kind(id: &str) -> Option<ShapeKind> {
    let (PRELUDE, name) = id.split_once('#')? else {
        return None;
    };
    Some(match name {
        "String" => ShapeKind::String(StringShape::default()),
        "Blob" => ShapeKind::Blob(Length::default()),
        "Boolean" | "PrimitiveBoolean" => ShapeKind::Boolean,
        "Byte" | "PrimitiveByte" | "Short" | "PrimitiveShort" | "Integer" | "PrimitiveInteger" => {
            ShapeKind::Integer(IntegerShape::default())
        }
        "Long" | "PrimitiveLong" => ShapeKind::Long(Range::default()),
        "Float" | "PrimitiveFloat" => ShapeKind::Float(Range::default()),
        "Double" | "PrimitiveDouble" => ShapeKind::Double(Range::default()),
        "Timestamp" => ShapeKind::Timestamp(None),
        "Document" => ShapeKind::Document,
        "Unit" => ShapeKind::Structure(Structure::default()),
        _ => return None,
    })
}

/// The parsed file: shapes by id, mixins flattened and `apply` entries applied.
struct Ast<'a> {
    file: &'a str,
    text: &'a str,
    shapes: BTreeMap<String, AstShape>,
}

/// The shapes and operations of a service.
struct Closure {
    /// Operation ids, sorted.
    operations: BTreeSet<String>,
    /// Data shape ids (prelude ids included), sorted.
    shapes: BTreeSet<String>,
}

impl<'a> Ast<'a> {
    fn read(file: &'a str, text: &'a str) -> Result<Self, ModelError> {
        let root: Value = serde_json::from_str(text).map_err(|e| ModelError::json(file, &e))?;
        let root = root.as_object().ok_or_else(|| ModelError::file(file, "expected a JSON object at the top level"))?;
        match root.get("smithy") {
            Some(Value::String(version)) if ["1", "1.0", "2", "2.0"].contains(&version.as_str()) => {}
            Some(other) => {
                return Err(ModelError::at(
                    file,
                    "smithy",
                    format!("expected the Smithy IDL version \"1.0\" or \"2.0\", found {other}"),
                ));
            }
            None => return Err(ModelError::file(file, "missing the `smithy` version: not a Smithy JSON AST")),
        }
        let shapes_value = match root.get("shapes") {
            None => return Err(ModelError::file(file, "missing the `shapes` section")),
            Some(Value::Object(shapes)) => shapes,
            Some(_) => return Err(ModelError::at(file, "shapes", "expected an object of shapes")),
        };

        let mut ast = Ast { file, text, shapes: BTreeMap::new() };
        let mut applies = Vec::new();
        for (id, value) in shapes_value {
            let place = format!("shape {id}");
            let Some((namespace, name)) = id.split_once('#') else {
                return Err(ast.error_at(id, place, "a shape id must be absolute: `namespace#Name`"));
            };
            if value.get("type").and_then(Value::as_str) == Some("apply") {
                let traits = match value.get("traits") {
                    Some(Value::Object(traits)) => traits.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                    _ => return Err(ast.error_at(id, place, "an `apply` entry needs an object of `traits`")),
                };
                applies.push((id.clone(), traits));
                continue;
            }
            if namespace.is_empty() || name.is_empty() || name.contains('$') {
                return Err(ast.error_at(id, place, "a shape id must be `namespace#Name`"));
            }
            let shape: AstShape =
                serde_json::from_value(value.clone()).map_err(|e| ast.error_at(id, place, e.to_string()))?;
            ast.shapes.insert(id.clone(), shape);
        }
        ast.flatten_mixins()?;
        for (id, traits) in applies {
            ast.apply(&id, traits)?;
        }
        Ok(ast)
    }

    /// An error about the shape (or member) `id`, with the line where the shape is defined.
    fn error_at(&self, id: &str, location: impl Into<String>, message: impl Into<String>) -> ModelError {
        let mut error = ModelError::at(self.file, location, message);
        let shape_id = id.split_once('$').map_or(id, |(shape, _)| shape);
        error.line = line_of_key(self.text, shape_id);
        error
    }

    /// Replaces each shape that uses mixins by the shape with their members and traits.
    fn flatten_mixins(&mut self) -> Result<(), ModelError> {
        let with_mixins: Vec<String> =
            self.shapes.iter().filter(|(_, shape)| !shape.mixins.is_empty()).map(|(id, _)| id.clone()).collect();
        let mut done = BTreeMap::new();
        for id in &with_mixins {
            self.flattened(id, &mut done, &mut Vec::new())?;
        }
        for (id, shape) in done {
            self.shapes.insert(id, shape);
        }
        Ok(())
    }

    /// The shape `id` with its mixins applied, memoised in `done`; `path` detects cycles.
    fn flattened(
        &self,
        id: &str,
        done: &mut BTreeMap<String, AstShape>,
        path: &mut Vec<String>,
    ) -> Result<AstShape, ModelError> {
        if let Some(shape) = done.get(id) {
            return Ok(shape.clone());
        }
        let place = format!("shape {id}");
        let Some(own) = self.shapes.get(id) else {
            let user = path.last().map_or(id, String::as_str);
            return Err(self.error_at(user, format!("shape {user}"), format!("mixin `{id}` is not in the model")));
        };
        if path.iter().any(|p| p == id) {
            return Err(self.error_at(id, place, format!("mixins form a cycle: {} → {id}", path.join(" → "))));
        }
        if own.mixins.is_empty() {
            return Ok(own.clone());
        }
        path.push(id.to_string());
        let mut shape = own.clone();
        shape.members = IndexMap::new();
        shape.traits = IndexMap::new();
        for mixin in &own.mixins {
            let mixin_shape = self.flattened(&mixin.target, done, path)?;
            if !mixin_shape.traits.contains_key("smithy.api#mixin") {
                return Err(self.error_at(
                    id,
                    place,
                    format!("uses `{}` as a mixin, but it has no `smithy.api#mixin` trait", mixin.target),
                ));
            }
            let local: Vec<String> = mixin_shape.traits["smithy.api#mixin"]
                .get("localTraits")
                .and_then(Value::as_array)
                .map(|traits| traits.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default();
            for (name, value) in &mixin_shape.traits {
                if name != "smithy.api#mixin" && !local.contains(name) {
                    shape.traits.insert(name.clone(), value.clone());
                }
            }
            for (name, member) in &mixin_shape.members {
                shape.members.insert(name.clone(), member.clone());
            }
            for (slot, from) in [
                (&mut shape.member, &mixin_shape.member),
                (&mut shape.key, &mixin_shape.key),
                (&mut shape.value, &mixin_shape.value),
            ] {
                if slot.is_none() {
                    slot.clone_from(from);
                }
            }
        }
        for (name, value) in &own.traits {
            shape.traits.insert(name.clone(), value.clone());
        }
        for (name, member) in &own.members {
            match shape.members.get_mut(name) {
                // A member redeclared to add traits keeps its place and gains them.
                Some(inherited) => {
                    inherited.target.clone_from(&member.target);
                    for (trait_name, value) in &member.traits {
                        inherited.traits.insert(trait_name.clone(), value.clone());
                    }
                }
                None => {
                    shape.members.insert(name.clone(), member.clone());
                }
            }
        }
        shape.mixins.clear();
        path.pop();
        done.insert(id.to_string(), shape.clone());
        Ok(shape)
    }

    /// Adds the traits of an `apply` entry to the shape or member `id`.
    fn apply(&mut self, id: &str, traits: Vec<(String, Value)>) -> Result<(), ModelError> {
        let place = format!("apply {id}");
        let (shape_id, member) = match id.split_once('$') {
            Some((shape, member)) => (shape, Some(member)),
            None => (id, None),
        };
        let Some(shape) = self.shapes.get_mut(shape_id) else {
            return Err(self.error_at(id, place, format!("applies traits to `{shape_id}`, which is not in the model")));
        };
        let target = match member {
            None => &mut shape.traits,
            Some(member) => {
                let slot = match (shape.kind.as_str(), member) {
                    ("list" | "set", "member") => shape.member.as_mut(),
                    ("map", "key") => shape.key.as_mut(),
                    ("map", "value") => shape.value.as_mut(),
                    _ => shape.members.get_mut(member),
                };
                match slot {
                    Some(slot) => &mut slot.traits,
                    None => {
                        return Err(self.error_at(
                            id,
                            place,
                            format!("applies traits to member `{member}`, which `{shape_id}` does not have"),
                        ));
                    }
                }
            }
        };
        for (name, value) in traits {
            match target.get_mut(&name) {
                None => {
                    target.insert(name, value);
                }
                Some(existing) if *existing == value => {}
                // List traits are merged; any other conflict is an error.
                Some(Value::Array(existing)) if value.is_array() => {
                    existing.extend(value.as_array().into_iter().flatten().cloned());
                }
                Some(_) => {
                    return Err(self.error_at(
                        id,
                        place,
                        format!("applies trait `{name}`, which the shape already has with another value"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The id of the model's one service shape.
    fn service_id(&self) -> Result<String, ModelError> {
        let services: Vec<&String> =
            self.shapes.iter().filter(|(_, shape)| shape.kind == "service").map(|(id, _)| id).collect();
        match services.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(ModelError::file(self.file, "the model has no `service` shape")),
            [first, second, ..] => Err(self.error_at(
                second,
                format!("shape {second}"),
                format!("the model has more than one service ({first} and {second}); expected exactly one"),
            )),
        }
    }

    /// The shape a reference in `from` (a shape or member id) points at, which must be of one
    /// of the kinds in `kinds`.
    fn resolve(&self, from: &str, what: &str, target: &str, kinds: &[&str]) -> Result<&AstShape, ModelError> {
        let location = describe(from);
        let Some(shape) = self.shapes.get(target) else {
            return Err(self.error_at(from, location, format!("{what} `{target}` is not in the model")));
        };
        if !kinds.contains(&shape.kind.as_str()) {
            return Err(self.error_at(
                from,
                location,
                format!("{what} `{target}` is a {}, expected a {}", shape.kind, kinds.join(" or ")),
            ));
        }
        Ok(shape)
    }

    /// The operations and data shapes of the service `service_id`.
    fn closure(&self, service_id: &str) -> Result<Closure, ModelError> {
        let service = &self.shapes[service_id];
        let mut operations = BTreeSet::new();
        let mut resources: Vec<(String, String)> =
            service.resources.iter().map(|r| (service_id.to_string(), r.target.clone())).collect();
        let mut seen_resources = BTreeSet::new();
        for operation in &service.operations {
            self.resolve(service_id, "operation", &operation.target, &["operation"])?;
            operations.insert(operation.target.clone());
        }
        while let Some((from, id)) = resources.pop() {
            if !seen_resources.insert(id.clone()) {
                continue;
            }
            let resource = self.resolve(&from, "resource", &id, &["resource"])?;
            let lifecycle = [&resource.create, &resource.put, &resource.read, &resource.update, &resource.delete];
            let lifecycle = lifecycle.into_iter().chain([&resource.list]).flatten();
            for operation in lifecycle.chain(&resource.operations).chain(&resource.collection_operations) {
                self.resolve(&id, "operation", &operation.target, &["operation"])?;
                operations.insert(operation.target.clone());
            }
            resources.extend(resource.resources.iter().map(|r| (id.clone(), r.target.clone())));
        }

        let mut stack: Vec<(String, String)> = Vec::new();
        for id in &operations {
            let operation = &self.shapes[id];
            for io in [&operation.input, &operation.output].into_iter().flatten() {
                if io.target != UNIT {
                    stack.push((id.clone(), io.target.clone()));
                }
            }
            for error in self.operation_errors(service_id, id) {
                stack.push((id.clone(), error.target.clone()));
            }
        }
        let mut shapes = BTreeSet::new();
        while let Some((from, id)) = stack.pop() {
            if shapes.contains(&id) {
                continue;
            }
            if prelude_kind(&id).is_some() {
                shapes.insert(id);
                continue;
            }
            let Some(shape) = self.shapes.get(&id) else {
                return Err(self.error_at(
                    &from,
                    describe(&from),
                    format!("refers to `{id}`, which is not in the model"),
                ));
            };
            if matches!(shape.kind.as_str(), "service" | "operation" | "resource") {
                return Err(self.error_at(
                    &from,
                    describe(&from),
                    format!("refers to `{id}`, a {}, where a data shape is expected", shape.kind),
                ));
            }
            let members: Vec<(&str, &AstMember)> = match shape.kind.as_str() {
                "structure" | "union" => shape.members.iter().map(|(name, m)| (name.as_str(), m)).collect(),
                "list" | "set" => shape.member.iter().map(|m| ("member", m)).collect(),
                "map" => [("key", &shape.key), ("value", &shape.value)]
                    .into_iter()
                    .filter_map(|(name, m)| m.as_ref().map(|m| (name, m)))
                    .collect(),
                _ => Vec::new(),
            };
            for (name, member) in members {
                stack.push((format!("{id}${name}"), member.target.clone()));
            }
            shapes.insert(id);
        }
        Ok(Closure { operations, shapes })
    }

    /// The errors of the operation `id`: its own, then the service's, except the error of
    /// endpoint discovery (`aws.api#clientEndpointDiscovery`), which belongs to that mechanism
    /// (botocore leaves it out too; the generator does not discover endpoints).
    fn operation_errors(&self, service_id: &str, id: &str) -> Vec<&AstRef> {
        let service = &self.shapes[service_id];
        let discovery_error = service
            .traits
            .get("aws.api#clientEndpointDiscovery")
            .and_then(|discovery| discovery.get("error"))
            .and_then(Value::as_str);
        let own = self.shapes[id].errors.iter();
        own.chain(&service.errors).filter(|error| Some(error.target.as_str()) != discovery_error).collect()
    }

    /// The IR name of every shape and operation of the closure.
    fn names(&self, service_id: &str, closure: &Closure) -> Result<BTreeMap<String, String>, ModelError> {
        let rename = &self.shapes[service_id].rename;
        for (id, name) in rename {
            if !closure.shapes.contains(id) && !closure.operations.contains(id) {
                return Err(self.error_at(
                    service_id,
                    format!("shape {service_id}, rename"),
                    format!("renames `{id}`, which is not a shape of the service"),
                ));
            }
            if name.is_empty() || name.contains(['#', '$', '.']) {
                return Err(self.error_at(
                    service_id,
                    format!("shape {service_id}, rename"),
                    format!("renames `{id}` to `{name}`, which is not a shape name"),
                ));
            }
        }
        let ids = closure.shapes.iter().chain(&closure.operations);
        Ok(ids.map(|id| (id.clone(), rename.get(id).cloned().unwrap_or_else(|| name_of(id).to_string()))).collect())
    }
}

/// How an error message names a shape (`ns#Name`) or member (`ns#Name$member`) id.
fn describe(id: &str) -> String {
    match id.split_once('$') {
        Some((shape, member)) => format!("shape {shape}, member {member}"),
        None => format!("shape {id}"),
    }
}

/// Converts shapes of the closure into the shape graph.
struct Convert<'a> {
    ast: &'a Ast<'a>,
    names: &'a BTreeMap<String, String>,
}

/// The traits of a shape or member, read with errors that name it.
struct Traits<'a> {
    ast: &'a Ast<'a>,
    /// The shape or member id.
    id: &'a str,
    traits: &'a IndexMap<String, Value>,
}

impl<'a> Traits<'a> {
    fn error(&self, message: impl Into<String>) -> ModelError {
        self.ast.error_at(self.id, describe(self.id), message)
    }

    fn has(&self, name: &str) -> bool {
        self.traits.contains_key(&format!("smithy.api#{name}"))
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.traits.get(&format!("smithy.api#{name}"))
    }

    fn string(&self, name: &str) -> Result<Option<String>, ModelError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(self.error(format!("trait `smithy.api#{name}` must be a string, found {other}"))),
        }
    }

    fn documentation(&self) -> Result<Option<String>, ModelError> {
        self.string("documentation")
    }

    fn deprecated(&self) -> Result<Option<Deprecation>, ModelError> {
        match self.get("deprecated") {
            None => Ok(None),
            Some(Value::Object(fields)) => match fields.get("message") {
                None => Ok(Some(Deprecation { message: None })),
                Some(Value::String(message)) => Ok(Some(Deprecation { message: Some(message.clone()) })),
                Some(other) => {
                    Err(self.error(format!("trait `smithy.api#deprecated`: `message` must be a string, found {other}")))
                }
            },
            Some(other) => Err(self.error(format!("trait `smithy.api#deprecated` must be an object, found {other}"))),
        }
    }

    fn timestamp_format(&self) -> Result<Option<TimestampFormat>, ModelError> {
        match self.string("timestampFormat")?.as_deref() {
            None => Ok(None),
            Some("epoch-seconds") => Ok(Some(TimestampFormat::EpochSeconds)),
            Some("date-time") => Ok(Some(TimestampFormat::DateTime)),
            Some("http-date") => Ok(Some(TimestampFormat::HttpDate)),
            Some(other) => Err(self
                .error(format!("unknown timestampFormat `{other}` (expected date-time, epoch-seconds or http-date)"))),
        }
    }

    /// The `length` trait. A minimum of 0 constrains nothing and is left out, as botocore does.
    fn length(&self) -> Result<Length, ModelError> {
        let Some(value) = self.get("length") else {
            return Ok(Length::default());
        };
        let fields = value
            .as_object()
            .ok_or_else(|| self.error(format!("trait `smithy.api#length` must be an object, found {value}")))?;
        let bound = |which: &str| -> Result<Option<u64>, ModelError> {
            match fields.get(which) {
                None => Ok(None),
                Some(Value::Number(n)) => n
                    .as_u64()
                    .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                    .map(Some)
                    .ok_or_else(|| {
                        self.error(format!(
                            "trait `smithy.api#length`: `{which}` must be a non-negative integer, found {n}"
                        ))
                    }),
                Some(other) => Err(self.error(format!(
                    "trait `smithy.api#length`: `{which}` must be a non-negative integer, found {other}"
                ))),
            }
        };
        Ok(Length { min: bound("min")?.filter(|min| *min != 0), max: bound("max")? })
    }

    fn range(&self) -> Result<Range, ModelError> {
        let Some(value) = self.get("range") else {
            return Ok(Range::default());
        };
        let fields = value
            .as_object()
            .ok_or_else(|| self.error(format!("trait `smithy.api#range` must be an object, found {value}")))?;
        let bound = |which: &str| -> Result<Option<Number>, ModelError> {
            match fields.get(which) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(match n.as_i64() {
                    Some(i) => Number::Int(i),
                    None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
                })),
                Some(other) => {
                    Err(self.error(format!("trait `smithy.api#range`: `{which}` must be a number, found {other}")))
                }
            }
        };
        Ok(Range { min: bound("min")?, max: bound("max")? })
    }

    /// Whether the `mediaType` trait says the text is JSON.
    fn json_media_type(&self) -> Result<bool, ModelError> {
        Ok(self.string("mediaType")?.is_some_and(|media| {
            let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        }))
    }
}

impl<'a> Convert<'a> {
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
            return Ok(Shape { name, kind, documentation: None, deprecated: None, sensitive: false });
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
                })
            }
            "map" => ShapeKind::Map(Map {
                key: self.name(&ast.key.as_ref().ok_or_else(|| error("a map needs a `key`".into()))?.target),
                value: self.name(&ast.value.as_ref().ok_or_else(|| error("a map needs a `value`".into()))?.target),
                length: traits.length()?,
                sparse: traits.has("sparse"),
            }),
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
        })
    }

    fn structure(&self, id: &str, ast: &AstShape, traits: &Traits) -> Result<Structure, ModelError> {
        let mut members = Vec::with_capacity(ast.members.len());
        for (member_name, member) in &ast.members {
            let member_id = format!("{id}${member_name}");
            let member_traits = self.traits(&member_id, &member.traits);
            // The JSON-ness of a string lives on the target (or, rarely, the member).
            let target_json = match self.ast.shapes.get(&member.target) {
                Some(target) if target.kind == "string" => {
                    self.traits(&member.target, &target.traits).json_media_type()?
                }
                _ => false,
            };
            members.push(Member {
                name: member_name.clone(),
                wire_name: member_traits.string("jsonName")?.unwrap_or_else(|| member_name.clone()),
                target: self.name(&member.target),
                documentation: member_traits.documentation()?,
                required: member_traits.has("required"),
                idempotency_token: member_traits.has("idempotencyToken"),
                deprecated: member_traits.deprecated()?,
                timestamp_format: member_traits.timestamp_format()?,
                json_value: target_json || member_traits.json_media_type()?,
                host_label: member_traits.has("hostLabel"),
            });
        }
        let exception = match traits.get("error") {
            None => None,
            Some(fault) => {
                let fault = match fault.as_str() {
                    Some("client") => Fault::Client,
                    Some("server") => Fault::Server,
                    _ => {
                        return Err(traits.error(format!(
                            "trait `smithy.api#error` must be \"client\" or \"server\", found {fault}"
                        )));
                    }
                };
                let http_status = match traits.get("httpError") {
                    None => None,
                    Some(status) => Some(
                        status
                            .as_u64()
                            .and_then(|s| u16::try_from(s).ok())
                            .filter(|s| (100..=599).contains(s))
                            .ok_or_else(|| {
                                traits.error(format!(
                                    "trait `smithy.api#httpError` must be an HTTP status, found {status}"
                                ))
                            })?,
                    ),
                };
                // On the awsJson wire the error code is the shape's name.
                Some(Exception { code: name_of(id).to_string(), http_status, fault })
            }
        };
        Ok(Structure { members, exception })
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
            values.push(EnumValue { name: field("name")?, value, documentation: field("documentation")? });
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
            values.push(EnumValue { name: Some(member_name.clone()), value, documentation: traits.documentation()? });
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
        })
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
        let protocol = if ast.traits.contains_key("aws.protocols#awsJson1_1") {
            Protocol::AwsJson1_1
        } else if ast.traits.contains_key("aws.protocols#awsJson1_0") {
            Protocol::AwsJson1_0
        } else {
            let found: Vec<&str> = ast
                .traits
                .keys()
                .map(String::as_str)
                .filter(|t| t.contains("protocols#") || *t == "aws.protocols#ec2Query")
                .collect();
            let found =
                if found.is_empty() { "no protocol trait".to_string() } else { format!("`{}`", found.join("`, `")) };
            return Err(traits.error(format!(
                "protocol {found} is not supported; this generator speaks `aws.protocols#awsJson1_0` and \
                 `aws.protocols#awsJson1_1`"
            )));
        };
        let api_version = ast.version.clone().ok_or_else(|| traits.error("the service needs a `version`"))?;
        Ok(Service {
            full_name: traits.string("title")?.unwrap_or_else(|| sdk_id.clone()),
            sdk_id,
            api_version,
            protocol,
            target_prefix,
            signing_name,
            endpoint_prefix,
            documentation: traits.documentation()?,
        })
    }
}

/// The 1-based line of `"key":` in the text, found textually: shape ids are unique keys, so the
/// first occurrence followed by a colon is the shape's definition.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let needle = format!("\"{key}\"");
    let mut from = 0;
    while let Some(offset) = text[from..].find(&needle) {
        let at = from + offset;
        if text[at + needle.len()..].trim_start().starts_with(':') {
            return Some(text[..at].matches('\n').count() + 1);
        }
        from = at + needle.len();
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn model(shapes: Value) -> String {
        let mut all = serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "example#Svc": {
                    "type": "service",
                    "version": "2024-01-01",
                    "operations": [{"target": "example#Op"}],
                    "traits": {
                        "aws.api#service": {"sdkId": "Svc", "endpointPrefix": "svc"},
                        "aws.auth#sigv4": {"name": "svc"},
                        "aws.protocols#awsJson1_0": {}
                    }
                },
                "example#Op": {"type": "operation", "input": {"target": "example#OpInput"}, "output": {"target": "smithy.api#Unit"}}
            }
        });
        for (id, shape) in shapes.as_object().unwrap() {
            all["shapes"][id] = shape.clone();
        }
        serde_json::to_string_pretty(&all).unwrap()
    }

    fn error(shapes: Value) -> String {
        parse("m.json", &model(shapes)).unwrap_err().to_string()
    }

    #[test]
    fn unit_output_is_no_output_and_prelude_targets_become_shapes() {
        let m = parse(
            "m.json",
            &model(serde_json::json!({
                "example#OpInput": {"type": "structure", "members": {
                    "A": {"target": "smithy.api#String"}, "B": {"target": "smithy.api#PrimitiveLong"}
                }}
            })),
        )
        .unwrap();
        assert_eq!(m.operations["Op"].output, None);
        assert_eq!(m.operations["Op"].input.as_deref(), Some("OpInput"));
        assert_eq!(m.shapes.keys().collect::<Vec<_>>(), ["OpInput", "PrimitiveLong", "String"]);
        assert_eq!(m.service.target_prefix, "Svc");
        assert_eq!(m.service.protocol, Protocol::AwsJson1_0);
    }

    #[test]
    fn a_name_clash_names_both_ids() {
        let e = error(serde_json::json!({
            "example#OpInput": {"type": "structure", "members": {"A": {"target": "other#Thing"}, "B": {"target": "example#Thing"}}},
            "other#Thing": {"type": "string"},
            "example#Thing": {"type": "integer"}
        }));
        assert!(e.contains("example#Thing") && e.contains("other#Thing"), "{e}");
        assert!(e.starts_with("m.json:"), "{e}");
    }

    #[test]
    fn a_missing_target_names_the_member_and_the_line() {
        let text = model(serde_json::json!({
            "example#OpInput": {"type": "structure", "members": {"A": {"target": "example#Nope"}}}
        }));
        let e = parse("m.json", &text).unwrap_err();
        assert_eq!(e.location.as_deref(), Some("shape example#OpInput, member A"));
        assert!(e.message.contains("`example#Nope`"), "{e}");
        let line = e.line.expect("a line");
        assert!(text.lines().nth(line - 1).unwrap().contains("\"example#OpInput\""), "{e}");
    }

    #[test]
    fn malformed_shapes_are_errors_not_panics() {
        for shape in [
            serde_json::json!({"type": "list"}),
            serde_json::json!({"type": "map", "key": {"target": "smithy.api#String"}}),
            serde_json::json!({"type": "structure", "members": {"A": {}}}),
            serde_json::json!({"type": "structure", "members": 3}),
            serde_json::json!({"type": "string", "traits": {"smithy.api#length": {"min": -1}}}),
            serde_json::json!({"type": "string", "traits": {"smithy.api#length": 5}}),
            serde_json::json!({"type": "structure", "traits": {"smithy.api#error": "nobody"}}),
            serde_json::json!({"type": "structure", "traits": {"smithy.api#deprecated": true}}),
            serde_json::json!({"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit"}}}),
            serde_json::json!({"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}}),
            serde_json::json!({"type": "bigDecimal"}),
            serde_json::json!({"type": "frobnicate"}),
            serde_json::json!({"type": "timestamp", "traits": {"smithy.api#timestampFormat": "unix"}}),
            serde_json::json!({"type": "structure", "mixins": [{"target": "example#OpInput"}]}),
        ] {
            let e = error(serde_json::json!({"example#OpInput": shape.clone()}));
            assert!(e.contains("example#OpInput"), "{shape}: {e}");
            assert!(e.starts_with("m.json:"), "{shape}: {e}");
        }
    }

    #[test]
    fn files_that_are_not_smithy_models_are_errors() {
        for (text, expected) in [
            ("[]", "expected a JSON object"),
            ("{\"smithy\": \"3.0\", \"shapes\": {}}", "Smithy IDL version"),
            ("{\"smithy\": \"2.0\", \"shapes\": {}}", "no `service` shape"),
            ("{\"smithy\": \"2.0\"", "ends early"),
        ] {
            let e = parse("m.json", text).unwrap_err().to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }

    #[test]
    fn mixins_and_apply_are_flattened() {
        let m = parse(
            "m.json",
            &model(serde_json::json!({
                "example#Base": {"type": "structure", "members": {"Id": {"target": "smithy.api#String"}},
                    "traits": {"smithy.api#mixin": {}, "smithy.api#documentation": "Base."}},
                "example#OpInput": {"type": "structure", "mixins": [{"target": "example#Base"}],
                    "members": {"Extra": {"target": "smithy.api#Integer"}}},
                "example#OpInput$Id": {"type": "apply", "traits": {"smithy.api#required": {}}}
            })),
        )
        .unwrap();
        let shape = m.shape("OpInput");
        assert_eq!(shape.documentation.as_deref(), Some("Base."));
        let ShapeKind::Structure(s) = &shape.kind else { panic!("a structure") };
        let members: Vec<(&str, bool)> = s.members.iter().map(|m| (m.name.as_str(), m.required)).collect();
        assert_eq!(members, [("Id", true), ("Extra", false)]);
        assert!(!m.shapes.contains_key("Base"));
    }

    #[test]
    fn service_errors_join_every_operation_but_the_endpoint_discovery_error_does_not() {
        let mut text: Value = serde_json::from_str(&model(serde_json::json!({
            "example#OpInput": {"type": "structure", "members": {}},
            "example#Busy": {"type": "structure", "traits": {"smithy.api#error": "server"}},
            "example#Moved": {"type": "structure", "traits": {"smithy.api#error": "client", "smithy.api#httpError": 421}},
            "example#Denied": {"type": "structure", "traits": {"smithy.api#error": "client"}}
        })))
        .unwrap();
        let service = &mut text["shapes"]["example#Svc"];
        service["errors"] = serde_json::json!([{"target": "example#Busy"}]);
        service["traits"]["aws.api#clientEndpointDiscovery"] =
            serde_json::json!({"operation": "example#Op", "error": "example#Moved"});
        text["shapes"]["example#Op"]["errors"] =
            serde_json::json!([{"target": "example#Moved"}, {"target": "example#Denied"}, {"target": "example#Busy"}]);
        let m = parse("m.json", &text.to_string()).unwrap();
        assert_eq!(m.operations["Op"].errors, ["Denied", "Busy"]);
        assert!(!m.shapes.contains_key("Moved"), "only endpoint discovery refers to it");
    }

    #[test]
    fn the_endpoint_rule_set_is_the_service_trait() {
        let mut text: Value = serde_json::from_str(&model(serde_json::json!({}))).unwrap();
        text["shapes"]["example#Svc"]["traits"]["smithy.rules#endpointRuleSet"] = serde_json::json!({"version": "1.0"});
        let rules = endpoint_rule_set(&text.to_string());
        assert_eq!(rules, Some(serde_json::json!({"version": "1.0"})));
        assert_eq!(endpoint_rule_set(&model(serde_json::json!({}))), None);
    }
}
