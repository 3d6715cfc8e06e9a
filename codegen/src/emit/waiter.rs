//! Waiters: for every waiter of a selected operation, a unit struct implementing the runtime's
//! `Waiter` (the operation, the delays, the acceptors with their output paths compiled into
//! Rust) and the builder `Client::wait_until_*` returns, with the operation's input setters
//! and `wait(max_wait)`. The loop, delays and result are the runtime's (`runtime/waiter.rs`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::{Context, doc_attrs};
use crate::ir::{AcceptorState, Matcher, Operation, PathComparator, Waiter};
use crate::naming::{ident, operation_type_base, snake};

/// The waiters whose operation is `operation`, by name.
pub fn waiters_of<'a>(cx: &Context<'a>, operation: &str) -> Vec<(&'a String, &'a Waiter)> {
    cx.model.waiters.iter().filter(|(_, waiter)| waiter.operation == operation).collect()
}

/// The `Client` method of waiter `name`.
pub fn method(name: &str) -> proc_macro2::Ident {
    ident(&snake(&format!("WaitUntil{name}")))
}

/// The builder type of waiter `name`.
pub fn builder(name: &str) -> proc_macro2::Ident {
    format_ident!("WaitUntil{}", operation_type_base(name))
}

/// The waiters of `operation`, for its module: `setters` are its fluent builder's input
/// setters (which set `self.input`).
pub fn waiters(cx: &Context, operation: &Operation, setters: &[TokenStream]) -> TokenStream {
    let runtime = cx.runtime();
    let operation_struct = super::operation::operation_struct(cx, operation);
    let input_type = super::operation::input_type(cx, operation);
    let output_type = match &operation.output {
        Some(shape) => cx.type_path(shape),
        None => quote!(#runtime::request_id::NoOutput),
    };
    let root_path = cx.root.to_string().replace(' ', "");
    let mut tokens = TokenStream::new();
    for (name, waiter) in waiters_of(cx, &operation.name) {
        let waiter_struct = format_ident!("{}", operation_type_base(name));
        let builder = builder(name);
        let method = method(name);
        let (min_delay, max_delay) = (waiter.min_delay, waiter.max_delay);
        let acceptors = waiter.acceptors.iter().map(|acceptor| {
            let state = format_ident!(
                "{}",
                match acceptor.state {
                    AcceptorState::Success => "Success",
                    AcceptorState::Failure => "Failure",
                    AcceptorState::Retry => "Retry",
                }
            );
            let (matcher, description) = match &acceptor.matcher {
                Matcher::Output { path, expected, comparator } => {
                    let compiled = crate::waiter_path::parse(path).and_then(|expr| {
                        crate::waiter_path::compile(
                            cx.model,
                            &|shape, member| cx.names.field(shape, member).to_string(),
                            &|shape, member| {
                                cx.model.shapes.get(shape).is_some_and(|s| match &s.kind {
                                    crate::ir::ShapeKind::Structure(st) => {
                                        st.members.iter().any(|m| m.name == member && cx.is_boxed(shape, m))
                                    }
                                    _ => false,
                                })
                            },
                            &runtime,
                            operation.output.as_deref().unwrap_or_default(),
                            &expr,
                        )
                    });
                    let expected_value = crate::waiter_path::literal(&runtime, expected);
                    let (compiled, expected_value) = match (compiled, expected_value) {
                        (Ok(compiled), Ok(expected)) => (compiled, expected),
                        // The front end checked every path: this is a generator bug.
                        (Err(problem), _) | (_, Err(problem)) => {
                            let message = format!("waiter {name}: {problem}");
                            return quote!(compile_error!(#message));
                        }
                    };
                    let (test, word) = match comparator {
                        PathComparator::Equals => (quote!(equals), "path"),
                        PathComparator::All => (quote!(all_equal), "pathAll"),
                        PathComparator::Any => (quote!(any_equal), "pathAny"),
                    };
                    (
                        quote!(#runtime::waiter::Matcher::Output(|output: &#output_type| (#compiled).#test(&#expected_value))),
                        format!("{word} {path} == {expected}"),
                    )
                }
                Matcher::ErrorType(code) => {
                    (quote!(#runtime::waiter::Matcher::ErrorCode(#code)), format!("error {code}"))
                }
                Matcher::Success(success) => (
                    quote!(#runtime::waiter::Matcher::Success(#success)),
                    if *success { "success".to_string() } else { "any error".to_string() },
                ),
                Matcher::Status(status) => {
                    (quote!(#runtime::waiter::Matcher::Status(#status)), format!("status {status}"))
                }
            };
            quote! {
                #runtime::waiter::Acceptor {
                    state: #runtime::waiter::AcceptorState::#state,
                    matcher: #matcher,
                    description: #description,
                }
            }
        });
        let docs = waiter.documentation.as_deref().map(|html| {
            let docs = doc_attrs(Some(html), "");
            quote!(#[doc = ""] #docs)
        });
        let waiter_doc = format!(
            " The `{name}` waiter: calls `{}` until an acceptor decides, at least {min_delay} s and at most {max_delay} s apart.",
            operation.name
        );
        let method_name = crate::naming::unraw(&method.to_string()).to_string();
        let builder_doc = format!(
            " Waits with the `{name}` waiter; made by [`Client::{method_name}`]({root_path}::Client::{method_name})."
        );
        tokens.extend(quote! {
            #[doc = #waiter_doc]
            #docs
            #[derive(Clone, Copy, Debug)]
            pub struct #waiter_struct;

            impl #runtime::waiter::Waiter for #waiter_struct {
                type Operation = #operation_struct;
                const NAME: &'static str = #name;
                const MIN_DELAY: std::time::Duration = std::time::Duration::from_secs(#min_delay);
                const MAX_DELAY: std::time::Duration = std::time::Duration::from_secs(#max_delay);

                fn acceptors() -> Vec<#runtime::waiter::Acceptor<#output_type>> {
                    Vec::from([#(#acceptors),*])
                }
            }

            #[doc = #builder_doc]
            #[derive(Clone, Debug)]
            pub struct #builder {
                handle: std::sync::Arc<#runtime::client::Handle>,
                input: #input_type,
                min_delay: Option<std::time::Duration>,
                max_delay: Option<std::time::Duration>,
            }

            impl #builder {
                pub(crate) fn new(handle: std::sync::Arc<#runtime::client::Handle>) -> Self {
                    Self { handle, input: Default::default(), min_delay: None, max_delay: None }
                }

                /// Replaces the whole input with `input`.
                pub fn with_input(mut self, input: #input_type) -> Self {
                    self.input = input;
                    self
                }

                #(#setters)*

                /// The shortest delay between attempts, instead of the model's.
                pub fn min_delay(mut self, delay: std::time::Duration) -> Self {
                    self.min_delay = Some(delay);
                    self
                }

                /// The longest delay between attempts, instead of the model's.
                pub fn max_delay(mut self, delay: std::time::Duration) -> Self {
                    self.max_delay = Some(delay);
                    self
                }

                /// Calls the operation until an acceptor decides or `max_wait` runs out: the
                /// last output (or the error a success acceptor matched), else which failure
                /// acceptor matched, the timeout, or the operation's error.
                pub async fn wait(self, max_wait: std::time::Duration) -> #runtime::waiter::WaiterResult<#waiter_struct> {
                    #runtime::waiter::wait::<#waiter_struct>(&self.handle, self.input, self.min_delay, self.max_delay, max_wait).await
                }
            }
        });
    }
    tokens
}
