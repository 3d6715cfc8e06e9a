//! Emits the rpcv2Cbor serialisation of structures, unions and enums: `ToCbor` for shapes sent
//! in requests, `FromCbor` for shapes read from responses. Every member goes through the
//! runtime's generic readers and writers: the protocol has one timestamp format (tagged epoch
//! seconds) and keeps the nulls of sparse collections by their `Option` element type, so no
//! member needs code of its own.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::ir::{ShapeKind, Structure};
use crate::naming::ident;

/// `ToCbor` for a structure: a map of its set members.
pub fn structure_to_cbor(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let cbor = cx.runtime_module("cbor");
    let type_name = ident(cx.names.type_name(shape));
    let members = structure.members.iter().map(|member| {
        let field = ident(cx.names.field(shape, &member.name));
        let key = &member.wire_name;
        quote!(map.member(#key, &self.#field);)
    });
    let body = if structure.members.is_empty() {
        quote!(drop(writer.structure());)
    } else {
        quote!(let mut map = writer.structure(); #(#members)*)
    };
    quote! {
        impl #cbor::ToCbor for #type_name {
            fn write_cbor(&self, writer: &mut #cbor::CborWriter) {
                #body
            }
        }
    }
}

/// `FromCbor` for a structure: unknown keys are skipped, `null` is absent.
pub fn structure_from_cbor(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let cbor = cx.runtime_module("cbor");
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let arms = structure.members.iter().map(|member| {
        let field = ident(cx.names.field(shape, &member.name));
        let key = &member.wire_name;
        quote!(#key => out.#field = map.value()?,)
    });
    let body = if structure.members.is_empty() {
        // `next_key` skips the value of the entry before.
        quote! {
            let mut map = reader.map(path)?;
            while map.next_key()?.is_some() {}
            Ok(Self::default())
        }
    } else {
        quote! {
            let mut out = Self::default();
            let mut map = reader.map(path)?;
            while let Some(key) = map.next_key()? {
                match &*key {
                    #(#arms)*
                    _ => map.skip()?,
                }
            }
            Ok(out)
        }
    };
    quote! {
        impl #cbor::FromCbor for #type_name {
            fn read_cbor(
                reader: &mut #cbor::CborReader<'_>,
                path: &#runtime::path::Path<'_>,
            ) -> Result<Self, #cbor::CborError> {
                #body
            }
        }
    }
}

/// `ToCbor` for a union: a map of the one member that is set. An unknown member (which
/// rpcv2Cbor reads by name only) is written as its name with `null`.
pub fn union_to_cbor(cx: &Context, shape: &str, union: &Structure) -> TokenStream {
    let cbor = cx.runtime_module("cbor");
    let type_name = ident(cx.names.type_name(shape));
    let arms = union.members.iter().map(|member| {
        let variant = ident(cx.names.variant(shape, &member.name));
        let key = &member.wire_name;
        quote!(Self::#variant(value) => map.member(#key, value),)
    });
    quote! {
        impl #cbor::ToCbor for #type_name {
            fn write_cbor(&self, writer: &mut #cbor::CborWriter) {
                let mut map = writer.structure();
                match self {
                    #(#arms)*
                    Self::Unknown(unknown) => map.key(&unknown.name).null(),
                }
            }
        }
    }
}

/// `FromCbor` for a union: exactly one non-null member, `__type` aside; an unknown member is
/// kept by name (its value, which may be any CBOR, is skipped).
pub fn union_from_cbor(cx: &Context, shape: &str, union: &Structure) -> TokenStream {
    let cbor = cx.runtime_module("cbor");
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let arms = union.members.iter().map(|member| {
        let variant = ident(cx.names.variant(shape, &member.name));
        let key = &member.wire_name;
        quote!(#key => Self::#variant(map.value()?),)
    });
    quote! {
        impl #cbor::FromCbor for #type_name {
            fn read_cbor(
                reader: &mut #cbor::CborReader<'_>,
                path: &#runtime::path::Path<'_>,
            ) -> Result<Self, #cbor::CborError> {
                #runtime::protocol::rpc_v2_cbor::read_union(reader, path, |key, map| {
                    Ok(match key {
                        #(#arms)*
                        _ => {
                            map.skip()?;
                            Self::Unknown(#runtime::unknown::UnknownMember::name_only(key))
                        }
                    })
                })
            }
        }
    }
}

/// `ToCbor` and `FromCbor` for a string enum (a text string; any value reads) or an intEnum
/// (an integer).
pub fn enum_impls(cx: &Context, shape: &str) -> TokenStream {
    let cbor = cx.runtime_module("cbor");
    let runtime = cx.runtime();
    let type_name = ident(cx.names.type_name(shape));
    let (write, read) = match &cx.shape(shape).kind {
        ShapeKind::Integer(_) => (
            quote!(writer.integer(i64::from(self.value()))),
            quote!(<i32 as #cbor::FromCbor>::read_cbor(reader, path).map(Self::from)),
        ),
        _ => (quote!(writer.string(self.value())), quote!(Ok(Self::from(&*reader.text(path)?)))),
    };
    quote! {
        impl #cbor::ToCbor for #type_name {
            fn write_cbor(&self, writer: &mut #cbor::CborWriter) {
                #write;
            }
        }

        impl #cbor::FromCbor for #type_name {
            fn read_cbor(
                reader: &mut #cbor::CborReader<'_>,
                path: &#runtime::path::Path<'_>,
            ) -> Result<Self, #cbor::CborError> {
                #read
            }
        }
    }
}

/// The first document shape among `shapes`, which rpcv2Cbor cannot carry: its specification
/// leaves documents out, and the AWS SDKs do not support them with it.
pub fn first_document<'a>(cx: &Context, mut shapes: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    shapes.find(|name| matches!(cx.shape(name).kind, ShapeKind::Document))
}

#[cfg(test)]
mod tests {
    use crate::emit::{CrateOptions, RuntimeSource};
    use crate::graph::OperationFilter;

    /// A botocore model of one operation whose input holds `member` of shape `Value`.
    fn model(protocol: &str, value_type: &str) -> String {
        serde_json::json!({
            "version": "2.0",
            "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "svc", "protocol": protocol,
                "protocols": [protocol], "jsonVersion": "1.0", "targetPrefix": "Svc", "serviceId": "Svc"},
            "operations": {"Put": {"name": "Put", "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "PutInput"}}},
            "shapes": {
                "PutInput": {"type": "structure", "members": {"Value": {"shape": "Value"}}},
                "Value": {"type": value_type},
            },
        })
        .to_string()
    }

    fn generate(text: &str) -> Result<crate::emit::Emitted, crate::Error> {
        let options = CrateOptions {
            crate_name: Some("svc".to_string()),
            model_label: "svc.json".to_string(),
            command: "test".to_string(),
            standalone: true,
            runtime: RuntimeSource::Inline,
        };
        crate::generate("svc.json", text, &OperationFilter::All, &options)
    }

    #[test]
    fn a_document_is_a_generation_error_naming_its_shape() {
        let error = generate(&model("smithy-rpc-v2-cbor", "structure")).err();
        assert!(error.is_none(), "{error:?}");
        let model = model("smithy-rpc-v2-cbor", "structure")
            .replace(r#""type":"structure"}"#, r#""type":"structure","document":true}"#);
        let error = generate(&model).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("shape `Value` is a document, which the rpcv2Cbor protocol cannot carry"), "{error}");
        let json = generate(
            &self::model("json", "structure")
                .replace(r#""type":"structure"}"#, r#""type":"structure","document":true}"#),
        );
        assert!(json.is_ok(), "awsJson carries documents");
    }
}
