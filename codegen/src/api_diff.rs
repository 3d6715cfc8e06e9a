//! What changed in the API of the generated operations between two releases of a model: the
//! summary `cargo xtask update-model` prints for the pull request.
//!
//! Both models are restricted to what is generated from them: the closure ([`graph::select`])
//! of the selected operations. Shapes and members are matched by their model names. Each change
//! is classified by what it does to the generated crate's users:
//!
//! - **breaking**: an operation, a shape, a member or an enum value disappears (code that names
//!   it no longer compiles); a member targets a shape of another Rust type (another structure,
//!   union or enum, or another kind of value), or a shape is of another kind; a member of a shape the client sends becomes required (code still compiles, but a
//!   call that leaves it unset now fails in the client's required-member check, before it is
//!   sent);
//! - **not breaking**: an operation, a shape, a member or an enum value appears (every member
//!   is an `Option` set through a builder, enums and unions are open with an `Unknown` variant,
//!   so no existing code stops compiling or matching); a member stops being required; a member
//!   of a shape that is only received becomes required (received members are `Option` whatever
//!   the model says); a member targets another shape of the same Rust type (e.g. one string
//!   shape for another, whose constraints may differ);
//! - **documentation only**: the documentation of an operation, a shape, a member or an enum
//!   value differs and nothing else in it does; only counted.
//!
//! Other differences (length, range and pattern constraints, errors an operation lists,
//! deprecations) are not reported.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::error::ModelError;
use crate::graph::{self, OperationFilter, Selection};
use crate::ir::{Model, Shape, ShapeKind, Structure};

/// Whether a change can break code that uses the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled, or a call that succeeded, may not any more.
    Breaking,
    /// Existing code keeps compiling and behaving the same.
    NotBreaking,
}

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A selected operation appeared in the model.
    OperationAdded,
    /// A selected operation is no longer in the model.
    OperationRemoved,
    /// A shape entered the closure of the selected operations.
    ShapeAdded,
    /// A shape left the closure of the selected operations.
    ShapeRemoved,
    /// A shape is of another kind (e.g. a string became an enum, a structure a union).
    ShapeKindChanged,
    /// A structure or union has a new member.
    MemberAdded,
    /// A structure or union lost a member.
    MemberRemoved,
    /// A member targets another shape.
    MemberTargetChanged,
    /// A member became required.
    MemberBecameRequired,
    /// A member stopped being required.
    MemberNoLongerRequired,
    /// An enum or intEnum has a new value.
    EnumValueAdded,
    /// An enum or intEnum lost a value.
    EnumValueRemoved,
}

impl ChangeKind {
    /// A short plural label for the counts.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operations added",
            ChangeKind::OperationRemoved => "operations removed",
            ChangeKind::ShapeAdded => "shapes added",
            ChangeKind::ShapeRemoved => "shapes removed",
            ChangeKind::ShapeKindChanged => "shapes of another kind",
            ChangeKind::MemberAdded => "members added",
            ChangeKind::MemberRemoved => "members removed",
            ChangeKind::MemberTargetChanged => "members of another type",
            ChangeKind::MemberBecameRequired => "members became required",
            ChangeKind::MemberNoLongerRequired => "members no longer required",
            ChangeKind::EnumValueAdded => "enum values added",
            ChangeKind::EnumValueRemoved => "enum values removed",
        }
    }
}

/// One change, with where it is (`Shape`, `Shape.Member`, `Enum = VALUE` or the operation).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Breaking or not.
    pub impact: Impact,
    /// What changed.
    pub kind: ChangeKind,
    /// Where: an operation, shape or `Shape.Member` name, or `Enum: VALUE`.
    pub at: String,
    /// More detail (old and new target, why it is breaking), possibly empty.
    pub detail: String,
}

/// The differences between two models for the selected operations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiDiff {
    /// The changes, sorted by impact, kind and place.
    pub changes: Vec<Change>,
    /// Operations, shapes, members and enum values whose documentation alone changed.
    pub documentation_only: usize,
    /// The number of operations and shapes compared on each side (old, new).
    pub compared: ((usize, usize), (usize, usize)),
}

/// Compares the operations `filter` selects, and their closures, in `old` and `new`. An
/// operation of the filter that one model lacks is reported as added or removed; one that
/// both lack is an error. `old_file` and `new_file` name the models in errors.
pub fn diff(
    old_file: &str,
    old: &Model,
    new_file: &str,
    new: &Model,
    filter: &OperationFilter,
) -> Result<ApiDiff, ModelError> {
    let present = |model: &Model| match filter {
        OperationFilter::All => OperationFilter::All,
        OperationFilter::Only(names) => {
            OperationFilter::Only(names.iter().filter(|n| model.operations.contains_key(*n)).cloned().collect())
        }
    };
    if let OperationFilter::Only(names) = filter
        && names.iter().any(|n| !old.operations.contains_key(n) && !new.operations.contains_key(n))
    {
        // An operation in neither model is a mistake: the new model's error names it.
        graph::select(new_file, new, filter)?;
    }
    let old_selection = graph::select(old_file, old, &present(old))?;
    let new_selection = graph::select(new_file, new, &present(new))?;
    let mut differ = Differ { old, new, new_selection: &new_selection, changes: Vec::new(), documentation_only: 0 };

    let old_ops: BTreeSet<&String> = old_selection.operations.iter().collect();
    let new_ops: BTreeSet<&String> = new_selection.operations.iter().collect();
    for name in new_ops.difference(&old_ops) {
        differ.push(Impact::NotBreaking, ChangeKind::OperationAdded, name.to_string(), String::new());
    }
    for name in old_ops.difference(&new_ops) {
        differ.push(Impact::Breaking, ChangeKind::OperationRemoved, name.to_string(), String::new());
    }
    for name in old_ops.intersection(&new_ops) {
        let (a, b) = (&old.operations[*name], &new.operations[*name]);
        if a.input != b.input || a.output != b.output {
            differ.push(
                Impact::Breaking,
                ChangeKind::ShapeKindChanged,
                name.to_string(),
                format!(
                    "input/output {} → {}",
                    io(a.input.as_deref(), a.output.as_deref()),
                    io(b.input.as_deref(), b.output.as_deref())
                ),
            );
        } else if a.documentation != b.documentation {
            differ.documentation_only += 1;
        }
    }

    for name in new_selection.shapes.difference(&old_selection.shapes) {
        let kind = new.shape(name).kind.label();
        differ.push(Impact::NotBreaking, ChangeKind::ShapeAdded, name.clone(), kind.to_string());
    }
    for name in old_selection.shapes.difference(&new_selection.shapes) {
        let kind = old.shape(name).kind.label();
        differ.push(Impact::Breaking, ChangeKind::ShapeRemoved, name.clone(), kind.to_string());
    }
    for name in old_selection.shapes.intersection(&new_selection.shapes) {
        differ.shape(old.shape(name), new.shape(name));
    }
    differ.changes.sort();
    Ok(ApiDiff {
        changes: differ.changes,
        documentation_only: differ.documentation_only,
        compared: (
            (old_selection.operations.len(), old_selection.shapes.len()),
            (new_selection.operations.len(), new_selection.shapes.len()),
        ),
    })
}

/// What decides a member's Rust type: the name of a structure, union or enum (each its own
/// type), the element types of a list or map, the kind of anything else (a string is a
/// `String` whatever its shape is called or constrains).
fn rust_type(model: &Model, name: &str) -> String {
    let mut seen = BTreeSet::new();
    rust_type_in(model, name, &mut seen)
}

fn rust_type_in(model: &Model, name: &str, seen: &mut BTreeSet<String>) -> String {
    let Some(shape) = model.shapes.get(name) else { return name.to_string() };
    match &shape.kind {
        ShapeKind::List(list) if seen.insert(name.to_string()) => {
            format!("list of {}", rust_type_in(model, &list.member, seen))
        }
        ShapeKind::Map(map) if seen.insert(name.to_string()) => {
            format!("map of {} to {}", rust_type_in(model, &map.key, seen), rust_type_in(model, &map.value, seen))
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List(_) | ShapeKind::Map(_) => name.to_string(),
        ShapeKind::String(s) if s.enum_values.is_some() => name.to_string(),
        ShapeKind::Integer(i) if i.enum_values.is_some() => name.to_string(),
        kind => kind.label().to_string(),
    }
}

fn io(input: Option<&str>, output: Option<&str>) -> String {
    format!("{}/{}", input.unwrap_or("-"), output.unwrap_or("-"))
}

struct Differ<'a> {
    old: &'a Model,
    new: &'a Model,
    new_selection: &'a Selection,
    changes: Vec<Change>,
    documentation_only: usize,
}

impl Differ<'_> {
    fn push(&mut self, impact: Impact, kind: ChangeKind, at: String, detail: String) {
        self.changes.push(Change { impact, kind, at, detail });
    }

    fn shape(&mut self, old: &Shape, new: &Shape) {
        let before = self.changes.len();
        let mut nested_docs = 0;
        match (&old.kind, &new.kind) {
            (ShapeKind::Structure(a), ShapeKind::Structure(b)) | (ShapeKind::Union(a), ShapeKind::Union(b)) => {
                nested_docs = self.members(&old.name, a, b);
            }
            (ShapeKind::String(a), ShapeKind::String(b)) if a.enum_values.is_some() == b.enum_values.is_some() => {
                let values = |s: &crate::ir::StringShape| -> Vec<(String, Option<String>)> {
                    s.enum_values.iter().flatten().map(|v| (v.value.clone(), v.documentation.clone())).collect()
                };
                nested_docs = self.enum_values(&old.name, &values(a), &values(b));
            }
            (ShapeKind::Integer(a), ShapeKind::Integer(b)) if a.enum_values.is_some() == b.enum_values.is_some() => {
                let values = |s: &crate::ir::IntegerShape| -> Vec<(String, Option<String>)> {
                    s.enum_values.iter().flatten().map(|(name, value)| (format!("{name} ({value})"), None)).collect()
                };
                nested_docs = self.enum_values(&old.name, &values(a), &values(b));
            }
            (a, b) if a.label() != b.label() => {
                self.push(
                    Impact::Breaking,
                    ChangeKind::ShapeKindChanged,
                    old.name.clone(),
                    format!("{} → {}", a.label(), b.label()),
                );
            }
            _ => {}
        }
        self.documentation_only += nested_docs;
        if self.changes.len() == before && old.documentation != new.documentation {
            self.documentation_only += 1;
        }
    }

    /// Compares the members of a structure or union; returns how many changed in documentation
    /// alone.
    fn members(&mut self, shape: &str, old: &Structure, new: &Structure) -> usize {
        let mut docs = 0;
        for member in &new.members {
            let at = format!("{shape}.{}", member.name);
            let Some(before) = old.members.iter().find(|m| m.name == member.name) else {
                let detail = if member.required { "required".to_string() } else { String::new() };
                // A new required member of a sent shape: calls without it fail the client's check.
                let impact = if member.required && self.new_selection.sent.contains(shape) {
                    Impact::Breaking
                } else {
                    Impact::NotBreaking
                };
                self.push(impact, ChangeKind::MemberAdded, at, detail);
                continue;
            };
            let mut changed = false;
            if before.target != member.target {
                changed = true;
                let (was, is) = (rust_type(self.old, &before.target), rust_type(self.new, &member.target));
                self.push(
                    if was == is { Impact::NotBreaking } else { Impact::Breaking },
                    ChangeKind::MemberTargetChanged,
                    at.clone(),
                    format!("{} → {}", before.target, member.target),
                );
            }
            if before.required != member.required {
                changed = true;
                if member.required {
                    let sent = self.new_selection.sent.contains(shape);
                    let (impact, detail) = if sent {
                        (Impact::Breaking, "sent: a call without it now fails the client's required check")
                    } else {
                        (Impact::NotBreaking, "received only: the field stays an Option")
                    };
                    self.push(impact, ChangeKind::MemberBecameRequired, at.clone(), detail.to_string());
                } else {
                    self.push(Impact::NotBreaking, ChangeKind::MemberNoLongerRequired, at.clone(), String::new());
                }
            }
            if !changed && before.documentation != member.documentation {
                docs += 1;
            }
        }
        for member in &old.members {
            if !new.members.iter().any(|m| m.name == member.name) {
                self.push(
                    Impact::Breaking,
                    ChangeKind::MemberRemoved,
                    format!("{shape}.{}", member.name),
                    String::new(),
                );
            }
        }
        docs
    }

    /// Compares enum values (value, documentation); returns how many changed in documentation
    /// alone.
    fn enum_values(
        &mut self,
        shape: &str,
        old: &[(String, Option<String>)],
        new: &[(String, Option<String>)],
    ) -> usize {
        let mut docs = 0;
        for (value, doc) in new {
            match old.iter().find(|(v, _)| v == value) {
                None => self.push(
                    Impact::NotBreaking,
                    ChangeKind::EnumValueAdded,
                    format!("{shape}: {value}"),
                    String::new(),
                ),
                Some((_, before)) if before != doc => docs += 1,
                Some(_) => {}
            }
        }
        for (value, _) in old {
            if !new.iter().any(|(v, _)| v == value) {
                self.push(Impact::Breaking, ChangeKind::EnumValueRemoved, format!("{shape}: {value}"), String::new());
            }
        }
        docs
    }
}

impl ApiDiff {
    /// How many changes of each kind, in [`ChangeKind`] order.
    pub fn counts(&self) -> Vec<(ChangeKind, usize)> {
        let mut counts: std::collections::BTreeMap<ChangeKind, usize> = std::collections::BTreeMap::new();
        for change in &self.changes {
            *counts.entry(change.kind).or_default() += 1;
        }
        counts.into_iter().collect()
    }

    /// The changes of one impact.
    pub fn of(&self, impact: Impact) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.impact == impact)
    }

    /// The summary as Markdown: `title` as the heading, counts, then the breaking and the
    /// non-breaking changes (at most `limit` lines each, the rest counted), then the
    /// documentation-only count. The order is deterministic.
    pub fn to_markdown(&self, title: &str, limit: usize) -> String {
        let mut out = String::new();
        let breaking = self.of(Impact::Breaking).count();
        let not_breaking = self.of(Impact::NotBreaking).count();
        let ((old_ops, old_shapes), (new_ops, new_shapes)) = self.compared;
        let _ = writeln!(out, "## {title}\n");
        let _ = writeln!(
            out,
            "Compared: {old_ops} operations and {old_shapes} shapes before, {new_ops} operations and \
             {new_shapes} shapes after.\n"
        );
        let _ = writeln!(
            out,
            "**{breaking} breaking, {not_breaking} not breaking, {} documentation only.**\n",
            self.documentation_only
        );
        for (kind, count) in self.counts() {
            let _ = writeln!(out, "- {}: {count}", kind.label());
        }
        if !self.changes.is_empty() {
            out.push('\n');
        }
        for (impact, heading) in [(Impact::Breaking, "Breaking"), (Impact::NotBreaking, "Not breaking")] {
            let changes: Vec<&Change> = self.of(impact).collect();
            let _ = writeln!(out, "### {heading} ({})\n", changes.len());
            if changes.is_empty() {
                let _ = writeln!(out, "None.\n");
                continue;
            }
            let lines = lines(&changes);
            for line in lines.iter().take(limit) {
                let _ = writeln!(out, "- {line}");
            }
            if lines.len() > limit {
                let _ = writeln!(out, "- … and {} more", lines.len() - limit);
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "### Documentation only\n\n{} operations, shapes, members or enum values changed only in their \
             documentation.",
            self.documentation_only
        );
        out
    }
}

/// One line per change, except that the values added to (or removed from) one enum share a line.
fn lines(changes: &[&Change]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut at = 0;
    while at < changes.len() {
        let change = changes[at];
        if matches!(change.kind, ChangeKind::EnumValueAdded | ChangeKind::EnumValueRemoved) {
            let shape = change.at.split(": ").next().unwrap_or_default();
            let same: Vec<&str> = changes[at..]
                .iter()
                .take_while(|c| c.kind == change.kind && c.at.split(": ").next() == Some(shape))
                .map(|c| c.at.split_once(": ").map_or("", |(_, value)| value))
                .collect();
            let values: Vec<String> = same.iter().map(|v| format!("`{v}`")).collect();
            let what = if change.kind == ChangeKind::EnumValueAdded { "added to" } else { "removed from" };
            lines.push(format!("{} enum value(s) {what} `{shape}`: {}", same.len(), values.join(", ")));
            at += same.len();
            continue;
        }
        let detail = if change.detail.is_empty() { String::new() } else { format!(" ({})", change.detail) };
        lines.push(format!("{}: `{}`{detail}", singular(change.kind), change.at));
        at += 1;
    }
    lines
}

fn singular(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::OperationAdded => "operation added",
        ChangeKind::OperationRemoved => "operation removed",
        ChangeKind::ShapeAdded => "shape added",
        ChangeKind::ShapeRemoved => "shape removed",
        ChangeKind::ShapeKindChanged => "kind changed",
        ChangeKind::MemberAdded => "member added",
        ChangeKind::MemberRemoved => "member removed",
        ChangeKind::MemberTargetChanged => "member type changed",
        ChangeKind::MemberBecameRequired => "became required",
        ChangeKind::MemberNoLongerRequired => "no longer required",
        ChangeKind::EnumValueAdded => "enum value added",
        ChangeKind::EnumValueRemoved => "enum value removed",
    }
}
