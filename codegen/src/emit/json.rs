//! Emits the awsJson serialisation of structures and unions: `ToJson` for shapes sent in
//! requests, `FromJson` for shapes read from responses through `read_json`, straight from the
//! body's tokens (a parsed `serde_json::Value`, as error bodies are, goes through the trait's
//! default `from_json`, which reads the value's text). Members go through the runtime's generic
//! readers and writers; only timestamp formats and sparse collections need code of their own.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::ir::{Member, ShapeKind, Structure, TimestampFormat};
use crate::naming::ident;

fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(::aws_smithy_types::date_time::Format::EpochSeconds),
        TimestampFormat::DateTime => quote!(::aws_smithy_types::date_time::Format::DateTime),
        TimestampFormat::HttpDate => quote!(::aws_smithy_types::date_time::Format::HttpDate),
    }
}

/// Whether writing a value of `target` needs more than its `ToJson` impl.
fn write_is_special(cx: &Context, target: &str, format: Option<TimestampFormat>) -> bool {
    match &cx.shape(target).kind {
        ShapeKind::Timestamp(_) => cx.timestamp_format(format, target).is_some(),
        ShapeKind::List(list) => write_is_special(cx, &list.member, list.member_timestamp_format),
        ShapeKind::Map(map) => write_is_special(cx, &map.value, None),
        _ => false,
    }
}

/// Whether reading a value of `target` needs more than its `FromJson` impl.
fn read_is_special(cx: &Context, target: &str, format: Option<TimestampFormat>) -> bool {
    match &cx.shape(target).kind {
        ShapeKind::Timestamp(_) => cx.timestamp_format(format, target).is_some(),
        ShapeKind::List(list) => list.sparse || read_is_special(cx, &list.member, list.member_timestamp_format),
        ShapeKind::Map(map) => map.sparse || read_is_special(cx, &map.value, None),
        _ => false,
    }
}

/// A statement writing `value` (a reference) into `writer` (a `&mut JsonWriter`).
fn write_stmt(
    cx: &Context,
    target: &str,
    format: Option<TimestampFormat>,
    writer: TokenStream,
    value: TokenStream,
) -> TokenStream {
    let json = cx.runtime_module("json");
    if !write_is_special(cx, target, format) {
        return quote!(#json::write_value(#writer, #value););
    }
    match &cx.shape(target).kind {
        ShapeKind::Timestamp(_) => {
            let format = format_tokens(cx.timestamp_format(format, target).unwrap_or(TimestampFormat::EpochSeconds));
            quote!(#writer.timestamp(#value, #format);)
        }
        ShapeKind::List(list) => {
            let inner = write_stmt(cx, &list.member, list.member_timestamp_format, quote!(writer), quote!(value));
            let inner = if list.sparse {
                quote!(match value { Some(value) => { #inner } None => writer.null(), })
            } else {
                inner
            };
            quote!(#json::write_list_with(#writer, #value, |writer, value| { #inner });)
        }
        ShapeKind::Map(map) => {
            let inner = write_stmt(cx, &map.value, None, quote!(writer), quote!(value));
            let inner = if map.sparse {
                quote!(match value { Some(value) => { #inner } None => writer.null(), })
            } else {
                inner
            };
            quote!(#json::write_map_with(#writer, #value, |writer, value| { #inner });)
        }
        _ => quote!(#json::write_value(#writer, #value);),
    }
}

/// A body reader: something callable as `(reader, path) -> Result<T, JsonError>`, reading the
/// next value of a `JsonReader`.
fn body_reader(cx: &Context, target: &str, format: Option<TimestampFormat>) -> TokenStream {
    let json = cx.runtime_module("json");
    if !read_is_special(cx, target, format) {
        return quote!(#json::read_next);
    }
    match &cx.shape(target).kind {
        ShapeKind::Timestamp(_) => {
            let format = format_tokens(cx.timestamp_format(format, target).unwrap_or(TimestampFormat::EpochSeconds));
            quote!(|reader, path| #json::read_timestamp(reader, path, #format))
        }
        ShapeKind::List(list) => {
            let inner = body_reader(cx, &list.member, list.member_timestamp_format);
            let read = if list.sparse { quote!(read_sparse_list_with) } else { quote!(read_list_with) };
            quote!(|reader, path| #json::#read(reader, path, #inner))
        }
        ShapeKind::Map(map) => {
            let inner = body_reader(cx, &map.value, None);
            let read = if map.sparse { quote!(read_sparse_map_with) } else { quote!(read_map_with) };
            quote!(|reader, path| #json::#read(reader, path, #inner))
        }
        _ => quote!(#json::read_next),
    }
}

/// A call reading the next value of `reader` at `path` as a `target` (see [`read_call`]).
fn body_read_call(cx: &Context, target: &str, format: Option<TimestampFormat>, path: TokenStream) -> TokenStream {
    let json = cx.runtime_module("json");
    if !read_is_special(cx, target, format) {
        return quote!(#json::read_next(reader, #path));
    }
    match &cx.shape(target).kind {
        ShapeKind::Timestamp(_) => {
            let format = format_tokens(cx.timestamp_format(format, target).unwrap_or(TimestampFormat::EpochSeconds));
            quote!(#json::read_timestamp(reader, #path, #format))
        }
        ShapeKind::List(list) => {
            let inner = body_reader(cx, &list.member, list.member_timestamp_format);
            let read = if list.sparse { quote!(read_sparse_list_with) } else { quote!(read_list_with) };
            quote!(#json::#read(reader, #path, #inner))
        }
        ShapeKind::Map(map) => {
            let inner = body_reader(cx, &map.value, None);
            let read = if map.sparse { quote!(read_sparse_map_with) } else { quote!(read_map_with) };
            quote!(#json::#read(reader, #path, #inner))
        }
        _ => quote!(#json::read_next(reader, #path)),
    }
}

/// An expression reading one member from `reader` (at `path`) into `Option<T>`.
fn body_read_member(cx: &Context, member: &Member) -> TokenStream {
    let json = cx.runtime_module("json");
    if read_is_special(cx, &member.target, member.timestamp_format) {
        let read = body_reader(cx, &member.target, member.timestamp_format);
        quote!(#json::read_optional_with(reader, &path, #read)?)
    } else {
        quote!(#json::read_optional(reader, &path)?)
    }
}

/// The statement that writes one present member (bound to `value`) into `object`.
pub(super) fn write_member(cx: &Context, member: &Member, key: TokenStream) -> TokenStream {
    if write_is_special(cx, &member.target, member.timestamp_format) {
        write_stmt(cx, &member.target, member.timestamp_format, quote!(object.key(#key)), quote!(value))
    } else {
        quote!(object.member(#key, value);)
    }
}

/// The members a structure's JSON holds: all but a streaming payload, which is the whole body
/// of its message and never JSON.
fn json_members<'a>(cx: &Context, shape: &str, structure: &'a Structure) -> Vec<&'a Member> {
    structure.members.iter().filter(|member| !cx.streaming_payload(shape, member)).collect()
}

/// `ToJson` for a structure.
pub fn structure_to_json(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let json_members = json_members(cx, shape, structure);
    let members = json_members.iter().map(|member| {
        let field = ident(cx.names.field(shape, &member.name));
        let key = &member.wire_name;
        let write = write_member(cx, member, quote!(#key));
        quote!(if let Some(value) = &self.#field { #write })
    });
    let body = if json_members.is_empty() {
        quote!(drop(writer.object());)
    } else {
        quote!(let mut object = writer.object(); #(#members)*)
    };
    quote! {
        impl #runtime::json::ToJson for #type_name {
            fn write_json(&self, writer: &mut #runtime::json::JsonWriter) {
                #body
            }
        }
    }
}

/// `FromJson` for a structure: unknown keys are ignored, `null` is absent.
pub fn structure_from_json(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let type_name = ident(cx.names.type_name(shape));
    let runtime = cx.runtime();
    let json_members = json_members(cx, shape, structure);
    let body_arms = json_members.iter().map(|member| {
        let field = ident(cx.names.field(shape, &member.name));
        let key = &member.wire_name;
        let read = body_read_member(cx, member);
        quote!(#key => out.#field = #read,)
    });
    let read_body = if json_members.is_empty() {
        quote! {
            reader.begin_object(path)?;
            while reader.next_key(path)?.is_some() {
                reader.skip(path)?;
            }
            Ok(Self::default())
        }
    } else {
        quote! {
            let mut out = Self::default();
            reader.begin_object(path)?;
            while let Some(key) = reader.next_key(path)? {
                let path = path.key(&key);
                match &*key {
                    #(#body_arms)*
                    _ => reader.skip(&path)?,
                }
            }
            Ok(out)
        }
    };
    quote! {
        impl #runtime::json::FromJson for #type_name {
            fn read_json(
                reader: &mut #runtime::json::JsonReader<'_>,
                path: &#runtime::path::Path<'_>,
            ) -> Result<Self, #runtime::json::JsonError> {
                #read_body
            }
        }
    }
}

/// `ToJson` for a union: the one member that is set; an unknown member is written back as read.
pub fn union_to_json(cx: &Context, shape: &str, union: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let arms = union.members.iter().map(|member| {
        let variant = ident(cx.names.variant(shape, &member.name));
        let key = &member.wire_name;
        let write = write_member(cx, member, quote!(#key));
        quote!(Self::#variant(value) => { #write })
    });
    quote! {
        impl #runtime::json::ToJson for #type_name {
            fn write_json(&self, writer: &mut #runtime::json::JsonWriter) {
                let mut object = writer.object();
                match self {
                    #(#arms)*
                    Self::Unknown(unknown) => object.member(&unknown.name, &unknown.value),
                }
            }
        }
    }
}

/// `FromJson` for a union: exactly one non-null member; `__type` is ignored; an unknown
/// member is kept.
pub fn union_from_json(cx: &Context, shape: &str, union: &Structure) -> TokenStream {
    let type_name = ident(cx.names.type_name(shape));
    let runtime = cx.runtime();
    let body_arms = union.members.iter().map(|member| {
        let variant = ident(cx.names.variant(shape, &member.name));
        let key = &member.wire_name;
        let read = body_read_call(cx, &member.target, member.timestamp_format, quote!(&member_path));
        quote!(#key => Self::#variant(#read?),)
    });
    quote! {
        impl #runtime::json::FromJson for #type_name {
            fn read_json(
                reader: &mut #runtime::json::JsonReader<'_>,
                path: &#runtime::path::Path<'_>,
            ) -> Result<Self, #runtime::json::JsonError> {
                // A key given twice counts once, the last value winning, as in a parsed object.
                let mut found: Option<(::std::borrow::Cow<'_, str>, Self)> = None;
                reader.begin_object(path)?;
                while let Some(key) = reader.next_key(path)? {
                    let member_path = path.key(&key);
                    if key == "__type" {
                        reader.skip(&member_path)?;
                        continue;
                    }
                    if reader.take_null(&member_path)? {
                        if found.as_ref().is_some_and(|(name, _)| *name == key) {
                            found = None;
                        }
                        continue;
                    }
                    let member = match &*key {
                        #(#body_arms)*
                        _ => Self::Unknown(#runtime::unknown::UnknownMember {
                            name: key.to_string(),
                            value: #runtime::json::read_next(reader, &member_path)?,
                        }),
                    };
                    if found.as_ref().is_some_and(|(name, _)| *name != key) {
                        return Err(#runtime::json::JsonError::invalid(path, "a union holds one member, found several"));
                    }
                    found = Some((key, member));
                }
                found.map(|(_, member)| member).ok_or_else(|| {
                    #runtime::json::JsonError::invalid(path, "a union needs one member, found none")
                })
            }
        }
    }
}
