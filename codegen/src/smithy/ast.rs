//! Reading a Smithy JSON AST: the typed `shapes` entries, mixins flattened and `apply` entries
//! applied, and the service's closure (its operations and the data shapes they reach) with the
//! name each gets.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::{UNIT, name_of, prelude_kind};
use crate::error::ModelError;
use crate::front_end::line_of_key;

/// How deep mixins may nest (a mixin of a mixin of ...): real models nest two or three deep, and
/// the flattening recurses once per level.
const MAX_MIXIN_DEPTH: usize = 32;

/// A reference to a shape: `{"target": "ns#Name"}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AstRef {
    pub(super) target: String,
}

/// A member: its target and the traits applied to the member itself.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AstMember {
    pub(super) target: String,
    #[serde(default)]
    pub(super) traits: IndexMap<String, Value>,
}

/// One entry of the `shapes` object. Fields a kind does not use stay empty; fields of kinds the
/// generator does not read (resource identifiers, properties) are ignored.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AstShape {
    #[serde(rename = "type")]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) traits: IndexMap<String, Value>,
    #[serde(default)]
    pub(super) members: IndexMap<String, AstMember>,
    pub(super) member: Option<AstMember>,
    pub(super) key: Option<AstMember>,
    pub(super) value: Option<AstMember>,
    pub(super) input: Option<AstRef>,
    pub(super) output: Option<AstRef>,
    #[serde(default)]
    pub(super) errors: Vec<AstRef>,
    pub(super) version: Option<String>,
    #[serde(default)]
    pub(super) operations: Vec<AstRef>,
    #[serde(default)]
    pub(super) resources: Vec<AstRef>,
    #[serde(default)]
    pub(super) rename: BTreeMap<String, String>,
    pub(super) create: Option<AstRef>,
    pub(super) put: Option<AstRef>,
    pub(super) read: Option<AstRef>,
    pub(super) update: Option<AstRef>,
    pub(super) delete: Option<AstRef>,
    pub(super) list: Option<AstRef>,
    #[serde(default)]
    pub(super) collection_operations: Vec<AstRef>,
    #[serde(default)]
    pub(super) mixins: Vec<AstRef>,
}

/// The parsed file: shapes by id, mixins flattened and `apply` entries applied.
pub(super) struct Ast<'a> {
    file: &'a str,
    text: &'a str,
    pub(super) shapes: BTreeMap<String, AstShape>,
}

/// The shapes and operations of a service.
pub(super) struct Closure {
    /// Operation ids, sorted.
    pub(super) operations: BTreeSet<String>,
    /// Data shape ids (prelude ids included), sorted.
    pub(super) shapes: BTreeSet<String>,
}

impl<'a> Ast<'a> {
    pub(super) fn read(file: &'a str, text: &'a str) -> Result<Self, ModelError> {
        // `Value`'s `FromStr`: serde_json's optimised parser (see botocore::parse).
        let root: Value = text.parse().map_err(|e| ModelError::json(file, &e))?;
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
            let shape = AstShape::deserialize(value).map_err(|e| ast.error_at(id, place, e.to_string()))?;
            ast.shapes.insert(id.clone(), shape);
        }
        ast.flatten_mixins()?;
        for (id, traits) in applies {
            ast.apply(&id, traits)?;
        }
        Ok(ast)
    }

    /// An error about the shape (or member) `id`, with the line where the shape is defined.
    pub(super) fn error_at(&self, id: &str, location: impl Into<String>, message: impl Into<String>) -> ModelError {
        let mut error = ModelError::at(self.file, location, message);
        let shape_id = id.split_once('$').map_or(id, |(shape, _)| shape);
        error.line = line_of_key(self.text, Some("shapes"), shape_id);
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
        // The flattening recurses once per level: a hostile chain must not overflow the stack.
        if path.len() >= MAX_MIXIN_DEPTH {
            return Err(self.error_at(id, place, format!("mixins nest more than {MAX_MIXIN_DEPTH} deep")));
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
    pub(super) fn service_id(&self) -> Result<String, ModelError> {
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
    pub(super) fn resolve(
        &self,
        from: &str,
        what: &str,
        target: &str,
        kinds: &[&str],
    ) -> Result<&AstShape, ModelError> {
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
    pub(super) fn closure(&self, service_id: &str) -> Result<Closure, ModelError> {
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
    pub(super) fn operation_errors(&self, service_id: &str, id: &str) -> Vec<&AstRef> {
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
    pub(super) fn names(&self, service_id: &str, closure: &Closure) -> Result<BTreeMap<String, String>, ModelError> {
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
pub(super) fn describe(id: &str) -> String {
    match id.split_once('$') {
        Some((shape, member)) => format!("shape {shape}, member {member}"),
        None => format!("shape {id}"),
    }
}
