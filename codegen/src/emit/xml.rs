//! Emits the response side of the awsQuery and ec2 protocols: `FromXml` for structures,
//! unions and enums read from responses. A structure reads its children by name, one match
//! arm per member: `Some(child.read()?)` for most, `xml::push`/`xml::insert` for an item of a
//! flattened list or map; attributes are read from the element before its children.
//!
//! Names follow botocore's `QueryParser`: a member's element is its `locationName` (a flattened
//! list whose member has one takes that instead); lists' items are `member` or their
//! `locationName`, maps' entries `entry` with `key` and `value` or their names. Timestamps are
//! read in the member's format first, then in any other, as botocore reads them.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::query::{element_name, format_tokens, is_flattened, timestamp_format};
use crate::ir::{Location, Member, ShapeKind, Structure, TimestampFormat};
use crate::naming::ident;

/// Whether a value of `target` is read by its own `FromXml` impl (the generic list and map
/// impls use the default names).
fn is_plain(cx: &Context, target: &str, format: Option<TimestampFormat>) -> bool {
    match &cx.shape(target).kind {
        ShapeKind::Timestamp(_) => timestamp_format(cx, format, target).is_none(),
        ShapeKind::List(list) => {
            list.member_name.is_none() && !list.flattened && is_plain(cx, &list.member, list.member_timestamp_format)
        }
        ShapeKind::Map(map) => {
            map.key_name.is_none() && map.value_name.is_none() && !map.flattened && is_plain(cx, &map.value, None)
        }
        _ => true,
    }
}

/// An expression reading the element `child` as a value of `target`, giving
/// `Result<T, XmlError>`; `owned` when `child` is the `XmlElement` itself rather than a
/// `&mut XmlElement`.
fn read_expr(cx: &Context, target: &str, format: Option<TimestampFormat>, owned: bool) -> TokenStream {
    let xml = cx.runtime_module("xml");
    if is_plain(cx, target, format) {
        return quote!(child.read());
    }
    let child = if owned { quote!(&mut child) } else { quote!(child) };
    match &cx.shape(target).kind {
        ShapeKind::List(list) => {
            let member = list.member_name.as_deref().unwrap_or("member");
            if is_plain(cx, &list.member, list.member_timestamp_format) {
                quote!(#xml::read_list(#child, #member))
            } else {
                let item = read_expr(cx, &list.member, list.member_timestamp_format, false);
                quote!(#xml::read_list_with(#child, #member, |child| #item))
            }
        }
        ShapeKind::Map(map) => {
            let (k, v) = (map.key_name.as_deref().unwrap_or("key"), map.value_name.as_deref().unwrap_or("value"));
            if is_plain(cx, &map.value, None) {
                quote!(#xml::read_map(#child, "entry", #k, #v))
            } else {
                let item = read_expr(cx, &map.value, None, false);
                quote!(#xml::read_map_with(#child, "entry", #k, #v, |child| #item))
            }
        }
        _ => {
            let format = format_tokens(timestamp_format(cx, format, target).unwrap_or(TimestampFormat::DateTime));
            quote!(child.read_timestamp(#format))
        }
    }
}

/// The statement reading member `field` from the element `child`.
fn read_member(cx: &Context, member: &Member, field: &proc_macro2::Ident) -> TokenStream {
    let xml = cx.runtime_module("xml");
    let flattened = is_flattened(cx, member);
    match &cx.shape(&member.target).kind {
        ShapeKind::List(list) if flattened => {
            if is_plain(cx, &list.member, list.member_timestamp_format) {
                quote!(#xml::push(&mut out.#field, &mut child)?)
            } else {
                let item = read_expr(cx, &list.member, list.member_timestamp_format, false);
                quote!(#xml::push_with(&mut out.#field, &mut child, |child| #item)?)
            }
        }
        ShapeKind::Map(map) if flattened => {
            let (k, v) = (map.key_name.as_deref().unwrap_or("key"), map.value_name.as_deref().unwrap_or("value"));
            if is_plain(cx, &map.value, None) {
                quote!(#xml::insert(&mut out.#field, &mut child, #k, #v)?)
            } else {
                let item = read_expr(cx, &map.value, None, false);
                quote!(#xml::insert_with(&mut out.#field, &mut child, #k, #v, |child| #item)?)
            }
        }
        _ => {
            let read = read_expr(cx, &member.target, member.timestamp_format, true);
            quote!(out.#field = Some(#read?))
        }
    }
}

/// Whether a member is read from a response's body: a member bound to the request's URI or
/// query string has no place in a response, whose body may hold it (restXml's
/// "IgnoreQueryParamsInResponse").
pub(super) fn in_response_body(member: &Member) -> bool {
    !matches!(
        member.location,
        Some(Location::Header(_) | Location::PrefixHeaders(_) | Location::StatusCode | Location::Payload)
    )
}

/// `FromXml` for a structure: attributes first, then each child by name; unknown children
/// are passed over.
pub fn structure_from_xml(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let (attributes, elements): (Vec<&Member>, Vec<&Member>) =
        structure.members.iter().filter(|m| in_response_body(m)).partition(|m| m.xml_attribute);
    let attributes: Vec<TokenStream> = attributes
        .iter()
        .map(|member| {
            let field = ident(cx.names.field(shape, &member.name));
            let name = member.xml_name.as_ref().unwrap_or(&member.name);
            quote!(#field: element.attribute(#name)?,)
        })
        .collect();
    let start = if attributes.is_empty() {
        quote!(Self::default())
    } else {
        quote!(Self { #(#attributes)* ..Self::default() })
    };
    let body = if elements.is_empty() {
        quote! {
            let out = #start;
            element.skip()?;
            Ok(out)
        }
    } else {
        // Two members of one element name (a model error) read into the first.
        let mut seen = std::collections::BTreeSet::new();
        let elements = elements.into_iter().filter(|member| seen.insert(element_name(cx, member)));
        let arms = elements.map(|member| {
            let field = ident(cx.names.field(shape, &member.name));
            let name = element_name(cx, member);
            let read = read_member(cx, member, &field);
            quote!(#name => #read,)
        });
        quote! {
            let mut out = #start;
            while let Some(mut child) = element.next_child()? {
                match child.local_name() {
                    #(#arms)*
                    _ => child.skip()?,
                }
            }
            Ok(out)
        }
    };
    quote! {
        impl #runtime::xml::FromXml for #type_name {
            fn read_xml(element: &mut #runtime::xml::XmlElement<'_, '_>) -> Result<Self, #runtime::xml::XmlError> {
                #body
            }
        }
    }
}

/// `FromXml` for a union: the one member element (an unknown one is kept by name).
pub fn union_from_xml(cx: &Context, shape: &str, union: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let arms = union.members.iter().map(|member| {
        let variant = ident(cx.names.variant(shape, &member.name));
        let name = element_name(cx, member);
        let read = read_expr(cx, &member.target, member.timestamp_format, true);
        quote!(#name => Self::#variant(#read?),)
    });
    quote! {
        impl #runtime::xml::FromXml for #type_name {
            fn read_xml(element: &mut #runtime::xml::XmlElement<'_, '_>) -> Result<Self, #runtime::xml::XmlError> {
                let mut found = None;
                while let Some(mut child) = element.next_child()? {
                    let member = match child.local_name() {
                        #(#arms)*
                        name => {
                            let name = name.to_string();
                            child.skip()?;
                            Self::Unknown(#runtime::unknown::UnknownMember { name, value: ::aws_smithy_types::Document::Null })
                        }
                    };
                    if found.replace(member).is_some() {
                        return Err(element.invalid("a union holds one member, found several"));
                    }
                }
                found.ok_or_else(|| element.invalid("a union needs one member, found none"))
            }
        }
    }
}

/// `FromXml` (and `FromXmlText`, for attributes) for a string enum or an intEnum: any value
/// is kept.
pub fn enum_from_xml(cx: &Context, shape: &str, int: bool) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let from = if int {
        quote!(<i32 as #runtime::xml::FromXmlText>::from_xml_text(text).map(Self::from))
    } else {
        quote!(Ok(Self::from(text)))
    };
    quote! {
        impl #runtime::xml::FromXmlText for #type_name {
            fn from_xml_text(text: &str) -> Result<Self, String> {
                #from
            }
        }

        impl #runtime::xml::FromXml for #type_name {
            fn read_xml(element: &mut #runtime::xml::XmlElement<'_, '_>) -> Result<Self, #runtime::xml::XmlError> {
                let text = element.text()?;
                <Self as #runtime::xml::FromXmlText>::from_xml_text(&text).map_err(|message| element.invalid(message))
            }
        }
    }
}
