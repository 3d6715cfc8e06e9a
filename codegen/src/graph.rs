//! Walks the shape graph: the closure of the selected operations, and the members that need a
//! `Box` because they close a cycle of direct containment.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::ModelError;
use crate::ir::{Model, Operation, ShapeKind};

/// What the emitters need from the graph walk.
#[derive(Debug)]
pub struct Selection {
    /// The selected operations, sorted.
    pub operations: Vec<String>,
    /// Every shape reachable from them (inputs, outputs, errors), sorted.
    pub shapes: BTreeSet<String>,
    /// Members (shape, member) whose Rust field must be boxed.
    pub boxed: BTreeSet<(String, String)>,
    /// Shapes reachable from the inputs: they need writing and validating.
    pub sent: BTreeSet<String>,
    /// Shapes reachable from the outputs and errors: they need reading.
    pub received: BTreeSet<String>,
    /// Every modelled error of the model, sorted: a service may answer any operation with an
    /// error the model defines but the operation does not list, and it is still read as its type.
    pub exceptions: Vec<String>,
}

impl Selection {
    /// The model's errors that `operation` does not list, sorted.
    pub fn unlisted_errors<'a>(&'a self, operation: &Operation) -> Vec<&'a str> {
        self.exceptions.iter().filter(|e| !operation.errors.contains(e)).map(String::as_str).collect()
    }
}

/// Which operations to generate.
#[derive(Clone, Debug)]
pub enum OperationFilter {
    /// Every operation of the service.
    All,
    /// These operations, by model name.
    Only(Vec<String>),
}

/// Why an operation of a REST service is not generated, if it is not: its input or output has
/// an event-stream member (a binary-framed stream of events, not implemented yet).
/// `OperationFilter::All` leaves such operations out; naming one is an error.
pub fn unsupported_operation(model: &Model, operation: &Operation) -> Option<String> {
    if !model.service.protocol.is_rest() {
        return None;
    }
    for (side, shape) in [("input", &operation.input), ("output", &operation.output)] {
        let Some(shape) = shape else { continue };
        let ShapeKind::Structure(s) = &model.shape(shape).kind else { continue };
        if let Some(member) = s.members.iter().find(|m| model.shape(&m.target).event_stream) {
            return Some(format!(
                "its {side} member `{}` is an event stream, which the generator does not implement yet",
                member.name
            ));
        }
    }
    None
}

/// Selects the operations and computes their closure. `file` names the model in errors.
pub fn select(file: &str, model: &Model, filter: &OperationFilter) -> Result<Selection, ModelError> {
    let operations: Vec<String> = match filter {
        OperationFilter::All => model
            .operations
            .iter()
            .filter(|(_, operation)| unsupported_operation(model, operation).is_none())
            .map(|(name, _)| name.clone())
            .collect(),
        OperationFilter::Only(names) => {
            for name in names {
                if !model.operations.contains_key(name) {
                    let close: Vec<&str> = model
                        .operations
                        .keys()
                        .filter(|op| op.eq_ignore_ascii_case(name) || op.contains(name.as_str()))
                        .take(5)
                        .map(String::as_str)
                        .collect();
                    let hint =
                        if close.is_empty() { String::new() } else { format!(" (did you mean {}?)", close.join(", ")) };
                    return Err(ModelError::at(
                        file,
                        format!("operation {name}"),
                        format!("the model has no operation `{name}`{hint}"),
                    ));
                }
            }
            for name in names {
                if let Some(why) = unsupported_operation(model, &model.operations[name]) {
                    return Err(ModelError::at(
                        file,
                        format!("operation {name}"),
                        format!("`{name}` cannot be generated: {why}"),
                    ));
                }
            }
            let set: BTreeSet<String> = names.iter().cloned().collect();
            set.into_iter().collect()
        }
    };

    let chosen = || operations.iter().map(|name| &model.operations[name]);
    let sent = closure(model, chosen().flat_map(|op| op.input.iter()));
    let exceptions: Vec<String> = model
        .shapes
        .iter()
        .filter(|(_, shape)| matches!(&shape.kind, ShapeKind::Structure(s) if s.exception.is_some()))
        .map(|(name, _)| name.clone())
        .collect();
    let received =
        closure(model, chosen().flat_map(|op| op.output.iter().chain(op.errors.iter())).chain(exceptions.iter()));
    let shapes: BTreeSet<String> = sent.union(&received).cloned().collect();
    let boxed = recursive_members(model, &shapes);
    Ok(Selection { operations, shapes, boxed, sent, received, exceptions })
}

/// Every shape reachable from `roots`.
fn closure<'a>(model: &Model, roots: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    let mut shapes = BTreeSet::new();
    let mut stack: Vec<String> = roots.cloned().collect();
    while let Some(name) = stack.pop() {
        if shapes.insert(name.clone()) {
            stack.extend(targets(&model.shape(&name).kind).into_iter().map(str::to_string));
        }
    }
    shapes
}

/// Shapes a shape refers to.
pub fn targets(kind: &ShapeKind) -> Vec<&str> {
    match kind {
        ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members.iter().map(|m| m.target.as_str()).collect(),
        ShapeKind::List(list) => vec![list.member.as_str()],
        ShapeKind::Map(map) => vec![map.key.as_str(), map.value.as_str()],
        _ => Vec::new(),
    }
}

/// Members that close a cycle of direct containment. A structure or union holds its members
/// inline (`Option<T>`), so a cycle through such members has infinite size; lists and maps
/// already allocate, so edges through them are not containment. Each member whose source and
/// target lie in one strongly connected component of the containment graph is boxed.
fn recursive_members(model: &Model, shapes: &BTreeSet<String>) -> BTreeSet<(String, String)> {
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for name in shapes {
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &model.shape(name).kind {
            let direct = s
                .members
                .iter()
                .map(|m| m.target.as_str())
                .filter(|target| matches!(model.shape(target).kind, ShapeKind::Structure(_) | ShapeKind::Union(_)));
            edges.insert(name.as_str(), direct.collect());
        }
    }
    let component = strongly_connected_components(&edges);
    let mut boxed = BTreeSet::new();
    for name in shapes {
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &model.shape(name).kind {
            for member in &s.members {
                let (Some(a), Some(b)) = (component.get(name.as_str()), component.get(member.target.as_str())) else {
                    continue;
                };
                // Same component: either a self-loop or a longer cycle through both.
                if a == b {
                    boxed.insert((name.clone(), member.name.clone()));
                }
            }
        }
    }
    boxed
}

/// Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack.
fn strongly_connected_components<'a>(edges: &BTreeMap<&'a str, Vec<&'a str>>) -> BTreeMap<&'a str, usize> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut component: BTreeMap<&str, usize> = BTreeMap::new();
    let mut next_index = 0;
    let mut next_component = 0;
    let no_edges = Vec::new();

    for &root in edges.keys() {
        if index.contains_key(root) {
            continue;
        }
        // Each frame: the node and how many of its edges have been followed.
        let mut frames: Vec<(&str, usize)> = vec![(root, 0)];
        index.insert(root, next_index);
        low.insert(root, next_index);
        next_index += 1;
        stack.push(root);
        on_stack.insert(root);
        while let Some(&mut (node, ref mut next_edge)) = frames.last_mut() {
            let out = edges.get(node).unwrap_or(&no_edges);
            if let Some(&target) = out.get(*next_edge) {
                *next_edge += 1;
                if !index.contains_key(target) {
                    index.insert(target, next_index);
                    low.insert(target, next_index);
                    next_index += 1;
                    stack.push(target);
                    on_stack.insert(target);
                    frames.push((target, 0));
                } else if on_stack.contains(target) {
                    let lowest = low[node].min(index[target]);
                    low.insert(node, lowest);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                let lowest = low[parent].min(low[node]);
                low.insert(parent, lowest);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack.remove(member);
                    component.insert(member, next_component);
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}
