//! The root of a service's code: module declarations, the service's documentation, and the
//! re-exports users reach the client, its config and the runtime through.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{Context, module_doc_attrs};

/// The root of a service's code: the crate root (`lib.rs`) or, for a service emitted as a
/// module of another crate, that module's `mod.rs`.
pub fn root_module(cx: &Context, crate_root: bool, has_endpoint_rules: bool) -> TokenStream {
    let service = &cx.model.service;
    let title = format!(" # {} client", service.full_name);
    let generated = format!(
        " Generated from the `{}` model (API version {}); operations: {}.",
        service.sdk_id,
        service.api_version,
        cx.selection.operations.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
    );
    let service_docs = module_doc_attrs(service.documentation.as_deref(), "");
    let endpoint_rules = has_endpoint_rules.then(|| quote! { mod endpoint_rules; });
    let multipart = super::s3_multipart::applies(cx).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod multipart;
        }
    });
    // The runtime is reachable as `runtime` from the crate root either way, so users' paths do
    // not depend on how the crate was generated. Braces, not parentheses: rustfmt rewrites
    // `quote!(..)` and drops a `#[rustfmt::skip]` in it.
    let runtime = match (crate_root, cx.inline_runtime) {
        (true, true) => quote! { #[rustfmt::skip] pub mod runtime; },
        (true, false) => {
            let path = quote!(::awsgen_runtime);
            quote! {
                /// The runtime this client shares with every other generated service crate.
                pub use #path as runtime;
            }
        }
        (false, _) => TokenStream::new(),
    };
    let path = cx.runtime();
    let config = quote! { pub use #path::config::Config; pub use #path::request_id::RequestId; };
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #generated]
        #![doc = ""]
        #service_docs
        #![warn(missing_docs)]
        // The generated code reads and writes deprecated members and types; users of them are
        // still warned, as the lint fires at the use site.
        #![allow(deprecated)]
        // Error enums hold the model's error structures by value, as users match on them; a
        // union's variants are as large as the model makes them; a recursive shape's
        // validation passes its report down. None of these is worth an API of boxes.
        #![allow(clippy::result_large_err, clippy::large_enum_variant, clippy::only_used_in_recursion)]

        #[rustfmt::skip]
        pub mod client;
        #endpoint_rules
        #[rustfmt::skip]
        pub mod error;
        #multipart
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        mod patterns;
        #runtime
        #[rustfmt::skip]
        pub mod types;

        pub use client::Client;
        pub use error::Error;
        #config

        /// Timestamps, binary data and untyped JSON documents, as the AWS SDKs for Rust type them.
        pub mod primitives {
            pub use aws_smithy_types::{Blob, DateTime, Document};
        }
    }
}
