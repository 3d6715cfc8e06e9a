//! Emits the request side of the awsQuery and ec2 protocols: `ToQuery` for structures and
//! unions sent in requests, and for enums. A member is one line, a call of the runtime's
//! `QueryWriter` under its serialized name; only timestamp formats and collections of
//! collections need a closure of their own.
//!
//! Names follow botocore's `QuerySerializer` and `EC2QuerySerializer`: awsQuery uses the
//! member's `locationName` (a flattened list whose member has one takes that instead), ec2 its
//! `queryName`, else its `locationName` capitalised, else its name; the writer itself knows that
//! ec2 lists have no `member.` and that an empty ec2 list writes nothing.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::ir::{Member, Protocol, ShapeKind, Structure, TimestampFormat};
use crate::naming::ident;

/// `aws_smithy_types`' name of a timestamp format.
pub(super) fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(::aws_smithy_types::date_time::Format::EpochSeconds),
        TimestampFormat::DateTime => quote!(::aws_smithy_types::date_time::Format::DateTime),
        TimestampFormat::HttpDate => quote!(::aws_smithy_types::date_time::Format::HttpDate),
    }
}

/// The format of a timestamp value of `target` when it is not the query protocols' default,
/// ISO 8601 (`None` for other shapes).
pub(super) fn timestamp_format(
    cx: &Context,
    member_format: Option<TimestampFormat>,
    target: &str,
) -> Option<TimestampFormat> {
    match &cx.shape(target).kind {
        ShapeKind::Timestamp(shape_format) => {
            member_format.or(*shape_format).filter(|f| *f != TimestampFormat::DateTime)
        }
        _ => None,
    }
}

/// Whether a member's list or map is flattened (on the member or on its shape).
pub(super) fn is_flattened(cx: &Context, member: &Member) -> bool {
    member.flattened
        || match &cx.shape(&member.target).kind {
            ShapeKind::List(list) => list.flattened,
            ShapeKind::Map(map) => map.flattened,
            _ => false,
        }
}

/// The name a member is written under in a request.
fn member_key(cx: &Context, member: &Member) -> String {
    if cx.model.service.protocol != Protocol::Ec2Query {
        return element_name(cx, member);
    }
    if let Some(name) = &member.query_name {
        return name.clone();
    }
    // The `locationName` when there is one, else the member name, capitalised (as Smithy's
    // ec2Query says; botocore leaves a member name as it is, and fails the suites' cases of
    // lowercase member names).
    let name = member.xml_name.as_ref().unwrap_or(&member.name);
    let mut chars = name.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The element name of a member in awsQuery requests and in responses of both protocols: its
/// `locationName`, else its name; but the items of a list *shape* that is flattened are named
/// by the list's member (botocore's rule, for the hand-written models that flatten the shape:
/// SimpleDB's `Attribute` items), where a list flattened *on the member* (as models converted
/// from Smithy's `@xmlFlattened` do) keeps the member's name (Smithy's rule).
pub(super) fn element_name(cx: &Context, member: &Member) -> String {
    let own = member.xml_name.as_ref().unwrap_or(&member.name);
    match &cx.shape(&member.target).kind {
        ShapeKind::List(list) if list.flattened && !member.flattened => {
            list.member_name.as_ref().unwrap_or(own).clone()
        }
        _ => own.clone(),
    }
}

/// Whether an item of a collection of `target` is written by its own `ToQuery` impl (the
/// generic list and map impls use the default names, `member`, `entry`, `key`, `value`).
pub(super) fn item_is_plain(cx: &Context, target: &str, format: Option<TimestampFormat>) -> bool {
    match &cx.shape(target).kind {
        ShapeKind::Timestamp(_) => timestamp_format(cx, format, target).is_none(),
        ShapeKind::List(_) | ShapeKind::Map(_) => false,
        _ => true,
    }
}

/// How a value is reached: a field of `self` (boxed or not) or a bound reference.
#[derive(Clone, Copy)]
pub(super) enum Value<'a> {
    Field(&'a proc_macro2::Ident, bool),
    Bound(bool),
}

impl Value<'_> {
    /// `Option<&T>` of the value.
    pub(super) fn option(self) -> TokenStream {
        match self {
            Value::Field(field, false) => quote!(self.#field.as_ref()),
            Value::Field(field, true) => quote!(self.#field.as_deref()),
            Value::Bound(false) => quote!(Some(value)),
            Value::Bound(true) => quote!(Some(&**value)),
        }
    }

    /// `Option<&[T]>` of a list value.
    pub(super) fn slice(self) -> TokenStream {
        match self {
            Value::Field(field, false) => quote!(self.#field.as_deref()),
            Value::Field(field, true) => quote!(self.#field.as_deref().map(Vec::as_slice)),
            Value::Bound(_) => quote!(Some(value.as_slice())),
        }
    }
}

/// The statement writing the value of `target` (`value`) under `prefix` and `name`.
fn write_stmt(
    cx: &Context,
    target: &str,
    format: Option<TimestampFormat>,
    flattened: bool,
    name: TokenStream,
    value: Value<'_>,
) -> TokenStream {
    match &cx.shape(target).kind {
        ShapeKind::List(list) => {
            let member = list.member_name.as_deref().unwrap_or("member");
            let items = value.slice();
            let plain = item_is_plain(cx, &list.member, list.member_timestamp_format) && !list.sparse;
            match (flattened, plain) {
                (false, true) => quote!(out.list(key, #name, #member, #items);),
                (true, true) => quote!(out.flat_list(key, #name, #items);),
                (_, false) => {
                    let member = if flattened { quote!(None) } else { quote!(Some(#member)) };
                    let mut item = write_item(cx, &list.member, list.member_timestamp_format);
                    if list.sparse {
                        item = quote!(if let Some(item) = item { #item });
                    }
                    quote!(out.list_with(key, #name, #member, #items, |out, key, item| { #item });)
                }
            }
        }
        ShapeKind::Map(map) => {
            let (k, v) = (map.key_name.as_deref().unwrap_or("key"), map.value_name.as_deref().unwrap_or("value"));
            let entries = value.option();
            if item_is_plain(cx, &map.value, None) && !map.sparse {
                let write = if flattened { quote!(flat_map) } else { quote!(map) };
                quote!(out.#write(key, #name, #k, #v, #entries);)
            } else {
                let entry = if flattened { quote!(None) } else { quote!(Some("entry")) };
                let mut item = write_item(cx, &map.value, None);
                if map.sparse {
                    item = quote!(if let Some(item) = item { #item });
                }
                quote!(out.map_with(key, #name, #entry, (#k, #v), #entries, |out, key, item| { #item });)
            }
        }
        _ => match timestamp_format(cx, format, target) {
            Some(format) => {
                let (value, format) = (value.option(), format_tokens(format));
                quote!(out.timestamp(key, #name, #value, #format);)
            }
            None => {
                let value = value.option();
                quote!(out.member(key, #name, #value);)
            }
        },
    }
}

/// The statement writing one item (`item: &T`) of a collection of `target` at `key`.
fn write_item(cx: &Context, target: &str, format: Option<TimestampFormat>) -> TokenStream {
    let runtime = cx.runtime();
    if item_is_plain(cx, target, format) {
        return quote!(#runtime::query::ToQuery::write_query(item, out, key););
    }
    if let Some(format) = timestamp_format(cx, format, target) {
        let format = format_tokens(format);
        return quote!(out.timestamp(key, "", Some(item), #format););
    }
    // A collection in a collection: written under the item's key.
    let inner = write_stmt(cx, target, format, false, quote!(""), Value::Bound(false));
    quote!(let value = item; #inner)
}

/// `ToQuery` for a structure: each set member under its name.
pub fn structure_to_query(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let members: Vec<TokenStream> = structure
        .members
        .iter()
        .filter(|member| member.location.is_none())
        .map(|member| {
            let field = ident(cx.names.field(shape, &member.name));
            let name = member_key(cx, member);
            let value = Value::Field(&field, cx.is_boxed(shape, member));
            write_stmt(cx, &member.target, member.timestamp_format, is_flattened(cx, member), quote!(#name), value)
        })
        .collect();
    let (out, key) = if members.is_empty() { (quote!(_out), quote!(_key)) } else { (quote!(out), quote!(key)) };
    quote! {
        impl #runtime::query::ToQuery for #type_name {
            fn write_query(&self, #out: &mut #runtime::query::QueryWriter, #key: &str) {
                #(#members)*
            }
        }
    }
}

/// `ToQuery` for a union: the member that is set; an unknown member writes nothing.
pub fn union_to_query(cx: &Context, shape: &str, union: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let arms = union.members.iter().map(|member| {
        let variant = ident(cx.names.variant(shape, &member.name));
        let name = member_key(cx, member);
        let value = Value::Bound(cx.is_boxed(shape, member));
        let write =
            write_stmt(cx, &member.target, member.timestamp_format, is_flattened(cx, member), quote!(#name), value);
        quote!(Self::#variant(value) => { #write })
    });
    quote! {
        impl #runtime::query::ToQuery for #type_name {
            fn write_query(&self, out: &mut #runtime::query::QueryWriter, key: &str) {
                match self {
                    #(#arms)*
                    Self::Unknown(_) => {}
                }
            }
        }
    }
}

/// `ToQuery` for a string enum (its value) or an intEnum (its number).
pub fn enum_to_query(cx: &Context, shape: &str, int: bool) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let write = if int {
        quote!(#runtime::query::ToQuery::write_query(&self.value(), out, key))
    } else {
        quote!(out.pair(key, self.value()))
    };
    quote! {
        impl #runtime::query::ToQuery for #type_name {
            fn write_query(&self, out: &mut #runtime::query::QueryWriter, key: &str) {
                #write
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{CrateOptions, OperationFilter, RuntimeSource};

    /// The generated file of `path` for a Smithy model of protocol `protocol` whose input has a
    /// member renamed with `@xmlName` (and `@ec2QueryName` on another) and a flattened list.
    fn smithy_file(protocol: &str, path: &str) -> String {
        let model = format!(
            r#"{{"smithy": "2.0", "shapes": {{
            "ex#Svc": {{"type": "service", "version": "2020-01-01", "operations": [{{"target": "ex#Op"}}],
                "traits": {{"aws.api#service": {{"sdkId": "Svc"}}, "aws.auth#sigv4": {{"name": "svc"}}, "aws.protocols#{protocol}": {{}}}}}},
            "ex#Op": {{"type": "operation", "input": {{"target": "ex#OpInput"}}, "output": {{"target": "ex#OpOutput"}}}},
            "ex#OpInput": {{"type": "structure", "members": {{
                "renamed": {{"target": "smithy.api#String", "traits": {{"smithy.api#xmlName": "Other"}}}},
                "queried": {{"target": "smithy.api#String", "traits": {{"aws.protocols#ec2QueryName": "Q"}}}},
                "items": {{"target": "ex#Items", "traits": {{"smithy.api#xmlFlattened": {{}}}}}}}}}},
            "ex#OpOutput": {{"type": "structure", "members": {{
                "renamed": {{"target": "smithy.api#String", "traits": {{"smithy.api#xmlName": "Other"}}}},
                "items": {{"target": "ex#Items", "traits": {{"smithy.api#xmlFlattened": {{}}}}}}}}}},
            "ex#Items": {{"type": "list", "member": {{"target": "smithy.api#String", "traits": {{"smithy.api#xmlName": "Item"}}}}}}
        }}}}"#
        );
        let options = CrateOptions {
            crate_name: Some("svc".to_string()),
            model_label: "svc.json".to_string(),
            command: "test".to_string(),
            standalone: true,
            runtime: RuntimeSource::Crate { path: "../runtime".to_string() },
        };
        let emitted = crate::generate("svc.json", &model, &OperationFilter::All, &options).unwrap();
        let file = emitted.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
        file.contents.clone()
    }

    #[test]
    fn aws_query_names_members_by_xml_name() {
        let input = smithy_file("awsQuery", "src/types/op_input.rs");
        assert!(input.contains(r#"out.member(key, "Other", self.renamed.as_ref());"#), "{input}");
        assert!(input.contains(r#"out.member(key, "queried", self.queried.as_ref());"#), "{input}");
        // A list flattened on the member is named by the member.
        assert!(input.contains(r#"out.flat_list(key, "items", self.items.as_deref());"#), "{input}");
        let output = smithy_file("awsQuery", "src/types/op_output.rs");
        assert!(output.contains(r#""Other" => out.renamed = Some(child.read()?),"#), "{output}");
        assert!(output.contains(r#""items" => crate::runtime::xml::push(&mut out.items, &mut child)?,"#), "{output}");
    }

    #[test]
    fn ec2_names_members_by_query_name_else_capitalised() {
        let input = smithy_file("ec2Query", "src/types/op_input.rs");
        assert!(input.contains(r#"out.member(key, "Other", self.renamed.as_ref());"#), "{input}");
        assert!(input.contains(r#"out.member(key, "Q", self.queried.as_ref());"#), "{input}");
        assert!(input.contains(r#"out.flat_list(key, "Items", self.items.as_deref());"#), "{input}");
    }
}
