//! The service's `Client`: one method per operation, each returning the operation's builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{Context, deprecated_attr, doc_attrs};
use crate::ir::ClientContextParamKind;
use crate::naming::{ident, operation_module};

/// The client: one method per operation.
pub fn client_module(cx: &Context, has_endpoint_rules: bool) -> TokenStream {
    let service = &cx.model.service;
    let runtime = cx.runtime();
    let root = &cx.root;
    // `AWS_ENDPOINT_URL_<SERVICE>`: the SDK id in upper case, spaces as underscores.
    let endpoint_env_name = service.sdk_id.to_ascii_uppercase().replace([' ', '-'], "_");
    let (rule_set, partitions) = if has_endpoint_rules {
        (quote!(Some(#root::endpoint_rules::RULE_SET)), quote!(#root::endpoint_rules::PARTITIONS))
    } else {
        (quote!(None), quote!(""))
    };
    let (signing_name, endpoint_prefix) = (&service.signing_name, &service.endpoint_prefix);
    let protocol = super::protocol::service_protocol(cx);
    let methods = cx.selection.operations.iter().map(|name| {
        let operation = &cx.model.operations[name];
        let method = ident(&crate::naming::operation_method(name));
        let module = ident(&operation_module(name));
        let builder = quote::format_ident!("{}FluentBuilder", crate::naming::operation_type_base(name));
        let docs = doc_attrs(operation.documentation.as_deref(), &format!("Calls `{name}`."));
        let deprecated = deprecated_attr(operation.deprecated.as_ref());
        quote! {
            #docs
            #deprecated
            pub fn #method(&self) -> #root::operation::#module::#builder {
                #root::operation::#module::#builder::new(self.handle.clone())
            }
        }
    });
    let waiter_methods = cx.selection.operations.iter().flat_map(|name| {
        let module = ident(&operation_module(name));
        super::waiter::waiters_of(cx, name).into_iter().map(move |(waiter, _)| {
            let method = super::waiter::method(waiter);
            let builder = super::waiter::builder(waiter);
            let doc = format!(
                " Waits with the `{waiter}` waiter: calls `{name}` until the resource is in the state the waiter \
                 asks for; set the input, then [`wait`]({}::operation::{module}::{builder}::wait).",
                root.to_string().replace(' ', "")
            );
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> #root::operation::#module::#builder {
                    #root::operation::#module::#builder::new(self.handle.clone())
                }
            }
        })
    });
    let config_ext = config_ext(cx);
    let title =
        format!(" A client for {}: a method per operation, each returning a builder to `send()`.", service.full_name);
    quote! {
        #![doc = " The client."]

        #[doc = #title]
        ///
        /// Cheap to clone: clones share the connection pool and the retry quota.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: std::sync::Arc<#runtime::client::Handle>,
        }

        impl Client {
            /// The model's facts about the service, used by every call.
            pub(crate) const SERVICE: #runtime::client::ServiceInfo = #runtime::client::ServiceInfo {
                protocol: #protocol,
                signing_name: #signing_name,
                endpoint_prefix: #endpoint_prefix,
                endpoint_env_name: #endpoint_env_name,
                endpoint_rule_set: #rule_set,
                partitions: #partitions,
            };

            /// A client with `config`: pass `&config` to share its credential cache and
            /// connection pool with the clients of other services made from it.
            pub fn new(config: impl Into<#runtime::config::Config>) -> Self {
                Client { handle: std::sync::Arc::new(#runtime::client::Handle::new(config.into(), Self::SERVICE)) }
            }

            /// A client configured from the environment: region from `AWS_REGION` or the
            /// profile, credentials from the environment or the shared profile files.
            pub fn from_env() -> Self {
                Self::new(#runtime::config::Config::from_env())
            }

            /// The client's settings.
            pub fn config(&self) -> &#runtime::config::Config {
                self.handle.config()
            }

            #(#methods)*

            #(#waiter_methods)*
        }

        #config_ext
    }
}

/// `ConfigExt`: a typed, documented setter on the runtime's `ConfigBuilder` for each client
/// context parameter of the model (`clientContextParams`), e.g. S3's `force_path_style`;
/// nothing for a model without them.
fn config_ext(cx: &Context) -> Option<TokenStream> {
    let params = &cx.model.service.client_context_params;
    if params.is_empty() {
        return None;
    }
    let runtime = cx.runtime();
    let setters: Vec<(TokenStream, TokenStream)> = params
        .iter()
        .map(|param| {
            let method = ident(&crate::naming::snake(&param.name));
            let name = &param.name;
            let value_type = match param.kind {
                ClientContextParamKind::Boolean => quote!(bool),
                ClientContextParamKind::String => quote!(impl Into<String>),
            };
            let value = match param.kind {
                ClientContextParamKind::Boolean => quote!(value),
                ClientContextParamKind::String => quote!(value.into()),
            };
            let docs = doc_attrs(param.documentation.as_deref(), &format!("Sets the endpoint parameter `{name}`."));
            let rule = format!(
                " Sets the endpoint rule set's `{name}` parameter for every call of clients made from this config."
            );
            (
                quote! {
                    #docs
                    ///
                    #[doc = #rule]
                    fn #method(self, value: #value_type) -> Self;
                },
                quote! {
                    fn #method(self, value: #value_type) -> Self {
                        self.endpoint_param(#name, #value)
                    }
                },
            )
        })
        .collect();
    let (declarations, definitions): (Vec<_>, Vec<_>) = setters.into_iter().unzip();
    let doc = format!(
        " The endpoint settings {}'s model lets a client set (its `clientContextParams`), as typed \
         setters on the config builder: `use` this trait, then e.g. \
         `Config::builder().{}(..)`. Where the runtime's builder has a setter of the same name, \
         that one is called; it sets the same parameter.",
        cx.model.service.full_name,
        crate::naming::snake(&params[0].name)
    );
    Some(quote! {
        #[doc = #doc]
        pub trait ConfigExt {
            #(#declarations)*
        }

        impl ConfigExt for #runtime::config::ConfigBuilder {
            #(#definitions)*
        }
    })
}
