//! Emits the request side of restXml's bodies: `ToXml` for structures, unions and enums sent
//! in requests. A member is one line, a call of the runtime's `XmlWriter` under its element
//! name; only timestamp formats and collections of collections need a closure of their own.
//!
//! Names follow botocore's `RestXMLSerializer`: a member's element is its `locationName`
//! (`xmlName`), else its name, and a flattened list's items take that name too; a wrapped
//! list's items are its member's `locationName`, else `member`; a map's entries are `entry`
//! (or, flattened, the member's name) with `key` and `value` or their names. A namespace
//! (`xmlns` or `xmlns:prefix`) is declared on the element of the member, or of the shape, that
//! has one; `xmlAttribute` members are attributes of their structure's element.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::query::{Value, format_tokens, is_flattened, item_is_plain, timestamp_format};
use crate::ir::{Member, ShapeKind, Structure, TimestampFormat, XmlNamespace};
use crate::naming::ident;

/// `Some(("xmlns[:prefix]", uri))` of a namespace, or `None`.
pub(super) fn namespace_tokens(namespace: Option<&XmlNamespace>) -> TokenStream {
    match namespace {
        Some(XmlNamespace { uri, prefix }) => {
            let attribute = match prefix {
                Some(prefix) => format!("xmlns:{prefix}"),
                None => "xmlns".to_string(),
            };
            quote!(Some((#attribute, #uri)))
        }
        None => quote!(None),
    }
}

/// The namespace declared on a member's element: the member's, else its target's.
pub(super) fn member_namespace<'a>(cx: &'a Context, member: &'a Member) -> Option<&'a XmlNamespace> {
    member.xml_namespace.as_ref().or(cx.shape(&member.target).xml_namespace.as_ref())
}

/// The element (or attribute) name of a member in a request.
pub(super) fn member_name(member: &Member) -> &str {
    member.xml_name.as_deref().unwrap_or(&member.name)
}

/// The statement writing `value` of `target` as the element `name` (an expression of `&str`).
fn write_stmt(
    cx: &Context,
    target: &str,
    format: Option<TimestampFormat>,
    flattened: bool,
    name: TokenStream,
    namespace: TokenStream,
    value: Value<'_>,
) -> TokenStream {
    match &cx.shape(target).kind {
        ShapeKind::List(list) => {
            let member = list.member_name.as_deref().unwrap_or("member");
            let items = value.slice();
            let item_namespace = namespace_tokens(list.member_namespace.as_ref());
            let plain = item_is_plain(cx, &list.member, list.member_timestamp_format)
                && !list.sparse
                && list.member_namespace.is_none();
            match (flattened, plain) {
                (false, true) => quote!(out.list(#name, #namespace, #member, #items);),
                (true, true) => quote!(out.flat_list(#name, #namespace, #items);),
                (_, false) => {
                    let member = if flattened { quote!(None) } else { quote!(Some(#member)) };
                    let mut item = write_item(cx, &list.member, list.member_timestamp_format, item_namespace);
                    if list.sparse {
                        item = quote!(if let Some(item) = item { #item });
                    }
                    quote!(out.list_with(#name, #namespace, #member, #items, |out, name, item| { #item });)
                }
            }
        }
        ShapeKind::Map(map) => {
            let (k, v) = (map.key_name.as_deref().unwrap_or("key"), map.value_name.as_deref().unwrap_or("value"));
            let entries = value.option();
            let plain_names = map.key_namespace.is_none() && map.value_namespace.is_none();
            if item_is_plain(cx, &map.value, None) && !map.sparse && plain_names {
                let write = if flattened { quote!(flat_map) } else { quote!(map) };
                quote!(out.#write(#name, #namespace, (#k, #v), #entries);)
            } else {
                let entry = if flattened { quote!(None) } else { quote!(Some("entry")) };
                let mut item = write_item(cx, &map.value, None, namespace_tokens(map.value_namespace.as_ref()));
                if map.sparse {
                    item = quote!(if let Some(item) = item { #item });
                }
                let key_namespace = namespace_tokens(map.key_namespace.as_ref());
                quote!(out.map_with(#name, #namespace, #entry, (#k, #v), #key_namespace, #entries, |out, name, item| { #item });)
            }
        }
        _ => match timestamp_format(cx, format, target) {
            Some(format) => {
                let (value, format) = (value.option(), format_tokens(format));
                quote!(out.timestamp(#name, #namespace, #value, #format);)
            }
            None => {
                let value = value.option();
                quote!(out.member(#name, #namespace, #value);)
            }
        },
    }
}

/// The statement writing one item (`item: &T`) of a collection of `target` as the element
/// `name`, declaring `namespace` on it.
fn write_item(cx: &Context, target: &str, format: Option<TimestampFormat>, namespace: TokenStream) -> TokenStream {
    if item_is_plain(cx, target, format) {
        return quote!(out.element(name, #namespace, item););
    }
    if let Some(format) = timestamp_format(cx, format, target) {
        let format = format_tokens(format);
        return quote!(out.timestamp(name, #namespace, Some(item), #format););
    }
    // A collection in a collection: written as the element `name`.
    let inner = write_stmt(cx, target, format, false, quote!(name), namespace, Value::Bound(false));
    quote!(let value = item; #inner)
}

/// `ToXml` for a structure: its `xmlAttribute` members as attributes, the others as children,
/// in model order; members bound to the HTTP message are not in the body.
pub fn structure_to_xml(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let (attributes, elements): (Vec<&Member>, Vec<&Member>) =
        structure.members.iter().filter(|m| m.location.is_none()).partition(|m| m.xml_attribute);
    let attributes: Vec<TokenStream> = attributes
        .iter()
        .map(|member| {
            let field = ident(cx.names.field(shape, &member.name));
            let name = member_name(member);
            let value = Value::Field(&field, cx.is_boxed(shape, member)).option();
            quote!(out.attribute_member(#name, #value);)
        })
        .collect();
    let elements: Vec<TokenStream> = elements
        .iter()
        .map(|member| {
            let field = ident(cx.names.field(shape, &member.name));
            let name = member_name(member);
            let namespace = namespace_tokens(member_namespace(cx, member));
            let value = Value::Field(&field, cx.is_boxed(shape, member));
            let flattened = is_flattened(cx, member);
            write_stmt(cx, &member.target, member.timestamp_format, flattened, quote!(#name), namespace, value)
        })
        .collect();
    let attributes = (!attributes.is_empty()).then(|| {
        quote! {
            fn write_attributes(&self, out: &mut #runtime::xml::XmlWriter) {
                #(#attributes)*
            }
        }
    });
    let out = if elements.is_empty() { quote!(_out) } else { quote!(out) };
    quote! {
        impl #runtime::xml::ToXml for #type_name {
            #attributes

            fn write_content(&self, #out: &mut #runtime::xml::XmlWriter) {
                #(#elements)*
            }
        }
    }
}

/// `ToXml` for a union: the member that is set; an unknown member writes nothing.
pub fn union_to_xml(cx: &Context, shape: &str, union: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let arms = union.members.iter().map(|member| {
        let variant = ident(cx.names.variant(shape, &member.name));
        let name = member_name(member);
        let namespace = namespace_tokens(member_namespace(cx, member));
        let value = Value::Bound(cx.is_boxed(shape, member));
        let flattened = is_flattened(cx, member);
        let write = write_stmt(cx, &member.target, member.timestamp_format, flattened, quote!(#name), namespace, value);
        quote!(Self::#variant(value) => { #write })
    });
    quote! {
        impl #runtime::xml::ToXml for #type_name {
            fn write_content(&self, out: &mut #runtime::xml::XmlWriter) {
                match self {
                    #(#arms)*
                    Self::Unknown(_) => {}
                }
            }
        }
    }
}

/// `ToXml` for a string enum (its value) or an intEnum (its number), as text or an attribute.
pub fn enum_to_xml(cx: &Context, shape: &str, int: bool) -> TokenStream {
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let text = quote!(self.value().to_string());
    let write = if int { quote!(out.text(&#text)) } else { quote!(out.text(self.value())) };
    quote! {
        impl #runtime::xml::ToXml for #type_name {
            fn write_content(&self, out: &mut #runtime::xml::XmlWriter) {
                #write;
            }

            fn attribute_text(&self) -> Option<String> {
                Some(#text)
            }
        }
    }
}
