//! Emits open enums: string enums and intEnums with a variant per known value and an `Unknown`
//! variant that keeps any other value, and unions with a variant per member.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{Context, deprecated_attr, doc_attrs};
use crate::ir::{IntegerShape, StringShape, Structure};
use crate::naming::ident;

/// A string enum: `value()`, `values()`, `From<&str>`, `FromStr`, `Display`, `AsRef<str>`, and
/// the wire impls (which never fail on an unknown value).
pub fn string_enum(cx: &Context, shape_name: &str, string: &StringShape) -> TokenStream {
    let shape = cx.shape(shape_name);
    let type_name = ident(cx.names.type_name(shape_name));
    let docs = doc_attrs(shape.documentation.as_deref(), &format!("The values of `{shape_name}`."));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let runtime = cx.runtime();
    let values = string.enum_values.as_deref().unwrap_or_default();
    let variants: Vec<_> = values.iter().map(|v| ident(cx.names.variant(shape_name, &v.value))).collect();
    let wire: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| {
        let fallback = format!("`{}`", v.value.replace('`', "'"));
        doc_attrs(v.documentation.as_deref(), &fallback)
    });
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #type_name {
            #( #variant_docs #variants, )*
            /// A value this version of the client does not know, kept exactly as received.
            Unknown(#runtime::unknown::UnknownValue),
        }

        impl #type_name {
            /// The value on the wire.
            pub fn value(&self) -> &str {
                match self {
                    #( Self::#variants => #wire, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the client knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#wire),*]
            }
        }

        impl From<&str> for #type_name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wire => Self::#variants, )*
                    other => Self::Unknown(#runtime::unknown::UnknownValue::new(other)),
                }
            }
        }

        impl std::str::FromStr for #type_name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.value())
            }
        }

        impl AsRef<str> for #type_name {
            fn as_ref(&self) -> &str {
                self.value()
            }
        }

        impl #runtime::json::ToJson for #type_name {
            fn write_json(&self, writer: &mut #runtime::json::JsonWriter) {
                writer.string(self.value());
            }
        }

        impl #runtime::json::FromJson for #type_name {
            fn read_json(
                reader: &mut #runtime::json::JsonReader<'_>,
                path: &#runtime::path::Path<'_>,
            ) -> Result<Self, #runtime::json::JsonError> {
                reader.read_str(path).map(|text| Self::from(&*text))
            }
        }

        impl #runtime::json::MapKey for #type_name {
            fn as_key(&self) -> &str {
                self.value()
            }

            fn from_key(key: &str) -> Self {
                Self::from(key)
            }
        }
    }
}

/// An intEnum: `value()`, `values()`, `From<i32>`, `Display`, and the wire impls.
pub fn int_enum(cx: &Context, shape_name: &str, integer: &IntegerShape) -> TokenStream {
    let shape = cx.shape(shape_name);
    let type_name = ident(cx.names.type_name(shape_name));
    let docs = doc_attrs(shape.documentation.as_deref(), &format!("The values of `{shape_name}`."));
    let runtime = cx.runtime();
    let values = integer.enum_values.as_deref().unwrap_or_default();
    let variants: Vec<_> = values.iter().map(|(name, _)| ident(cx.names.variant(shape_name, name))).collect();
    let numbers: Vec<i32> = values.iter().map(|(_, n)| *n).collect();
    let variant_docs = values.iter().map(|(name, n)| format!(" `{name}` (`{n}`)"));
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #type_name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the client does not know, kept exactly as received.
            Unknown(i32),
        }

        impl #type_name {
            /// The value on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #( Self::#variants => #numbers, )*
                    Self::Unknown(value) => *value,
                }
            }

            /// Every value this version of the client knows, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#numbers),*]
            }
        }

        impl From<i32> for #type_name {
            fn from(value: i32) -> Self {
                match value {
                    #( #numbers => Self::#variants, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl #runtime::json::ToJson for #type_name {
            fn write_json(&self, writer: &mut #runtime::json::JsonWriter) {
                writer.integer(i64::from(self.value()));
            }
        }

        impl #runtime::json::FromJson for #type_name {
            fn read_json(
                reader: &mut #runtime::json::JsonReader<'_>,
                path: &#runtime::path::Path<'_>,
            ) -> Result<Self, #runtime::json::JsonError> {
                <i32 as #runtime::json::FromJson>::read_json(reader, path).map(Self::from)
            }
        }
    }
}

/// A union: a variant per member, and `Unknown` for a member from a newer model.
pub fn union(cx: &Context, shape_name: &str, union: &Structure) -> TokenStream {
    let shape = cx.shape(shape_name);
    let type_name = ident(cx.names.type_name(shape_name));
    let docs = doc_attrs(shape.documentation.as_deref(), &format!("The `{shape_name}` union: one member is set."));
    let runtime = cx.runtime();
    let variants = union.members.iter().map(|member| {
        let variant = ident(cx.names.variant(shape_name, &member.name));
        let ty = cx.member_type(shape_name, member);
        let docs = doc_attrs(member.documentation.as_deref(), &format!("The `{}` member.", member.name));
        let deprecated = deprecated_attr(member.deprecated.as_ref());
        quote!(#docs #deprecated #variant(#ty),)
    });
    let sensitive = shape.sensitive || union.members.iter().any(|m| cx.is_sensitive(&m.target));
    let (derives, debug) = if sensitive {
        let name = type_name.to_string();
        (
            quote!(#[derive(Clone, PartialEq)]),
            quote! {
                impl std::fmt::Debug for #type_name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.debug_tuple(#name).field(&"*** Sensitive Data Redacted ***").finish()
                    }
                }
            },
        )
    } else {
        (quote!(#[derive(Clone, Debug, PartialEq)]), TokenStream::new())
    };
    quote! {
        #docs
        #[non_exhaustive]
        #derives
        pub enum #type_name {
            #(#variants)*
            /// A member this version of the client does not know, kept as received.
            Unknown(#runtime::unknown::UnknownMember),
        }

        #debug
    }
}
