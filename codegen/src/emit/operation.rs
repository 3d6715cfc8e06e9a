//! Emits an operation's module: its input and output (re-exported), and its error enum with a
//! variant per modelled error, one for unmodelled service errors and one for request failures.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::{Context, doc_attrs, module_doc_attrs};
use crate::ir::Operation;
use crate::naming::{ident, operation_type_base};

/// The operation's module file: its input and output (re-exported), the operation as the
/// runtime sees it, and its error.
pub fn operation_module(cx: &Context, operation: &Operation) -> TokenStream {
    let name = &operation.name;
    let docs = module_doc_attrs(operation.documentation.as_deref(), &format!("The `{name}` operation."));
    // An operation may take and return the same shape (Cognito's UpdateIdentityPool).
    let mut shapes: Vec<&String> = [&operation.input, &operation.output].into_iter().flatten().collect();
    shapes.dedup();
    let reexports = shapes.into_iter().map(|shape| {
        let path = cx.type_path(shape);
        quote!(pub use #path;)
    });
    let operation_impl = operation_impl(cx, operation);
    let paginated = paginated_impl(cx, operation);
    let accessors = result_key_accessors(cx, operation);
    let error = error_enum(cx, operation);
    quote! {
        #docs
        #(#reexports)*
        #operation_impl
        #paginated
        #accessors
        #error
    }
}

/// The name of the unit struct that stands for the operation: the operation's own, unless its
/// input or output type already has that name.
pub fn operation_struct(cx: &Context, operation: &Operation) -> proc_macro2::Ident {
    let base = operation_type_base(&operation.name);
    let taken =
        [&operation.input, &operation.output].into_iter().flatten().any(|shape| cx.names.type_name(shape) == base);
    if taken { format_ident!("{base}Operation") } else { format_ident!("{base}") }
}

/// The operation as the runtime sees it: name, types, and only where the operation has them,
/// its idempotency tokens and what its call adds (host prefix, request compression).
fn operation_impl(cx: &Context, operation: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    let name = &operation.name;
    let operation_struct = operation_struct(cx, operation);
    let error_name = format_ident!("{}Error", operation_type_base(name));
    let input_type = input_type(cx, operation);
    let output_type = match &operation.output {
        Some(shape) => cx.type_path(shape),
        None => quote!(#runtime::request_id::NoOutput),
    };
    let members = input_members(cx, operation);
    let input_shape = operation.input.as_deref().unwrap_or_default();
    let tokens: Vec<TokenStream> = members
        .iter()
        .filter(|m| m.idempotency_token)
        .map(|member| {
            let field = ident(cx.names.field(input_shape, &member.name));
            quote! {
                if input.#field.is_none() {
                    input.#field = Some(handle.idempotency_token());
                }
            }
        })
        .collect();
    let fill_tokens = (!tokens.is_empty()).then(|| {
        quote! {
            fn fill_idempotency_tokens(input: &mut Self::Input, handle: &#runtime::client::Handle) {
                #(#tokens)*
            }
        }
    });
    let call = call_fn(cx, operation, members);
    let codec = super::protocol::operation_codec(cx, operation);
    let unsigned = operation.unsigned.then(|| {
        quote!(
            const UNSIGNED: bool = true;
        )
    });
    let doc = format!(" The `{name}` operation, as the runtime sends it.");
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #operation_struct;

        impl #runtime::operation::Operation for #operation_struct {
            const NAME: &'static str = #name;
            #unsigned
            type Input = #input_type;
            type Output = #output_type;
            type Error = #error_name;
            #fill_tokens
            #call
            #codec
        }
    }
}

/// The operation's input type.
pub fn input_type(cx: &Context, operation: &Operation) -> TokenStream {
    match &operation.input {
        Some(shape) => cx.type_path(shape),
        None => {
            let runtime = cx.runtime();
            quote!(#runtime::client::NoInput)
        }
    }
}

/// The members of the operation's input.
fn input_members<'a>(cx: &Context<'a>, operation: &Operation) -> &'a [crate::ir::Member] {
    match operation.input.as_deref().map(|s| &cx.shape(s).kind) {
        Some(crate::ir::ShapeKind::Structure(s)) => s.members.as_slice(),
        _ => &[],
    }
}

/// The `match` arm that reads a modelled error from a response, for an operation's error and
/// for `ServiceError` alike.
pub fn modeled_error_arm(cx: &Context, variant: &proc_macro2::Ident, path: &TokenStream) -> TokenStream {
    let runtime = cx.runtime();
    quote!(#path::CODE => Self::#variant(#runtime::operation::ModeledError::from_response(metadata, body)),)
}

/// The `match` arms that read a modelled error by its query code (`QUERY_CODE`), after those
/// of [`modeled_error_arm`], for an `awsQueryCompatible` service: one per query code that no
/// error's `CODE` nor an earlier error's query code already matches.
pub fn query_code_arms(cx: &Context, errors: &[(&str, &proc_macro2::Ident, &TokenStream)]) -> TokenStream {
    let runtime = cx.runtime();
    let exception = |shape: &str| match &cx.shape(shape).kind {
        crate::ir::ShapeKind::Structure(s) => s.exception.as_ref(),
        _ => None,
    };
    let mut taken: std::collections::BTreeSet<&str> =
        errors.iter().filter_map(|(shape, _, _)| exception(shape)).map(|e| e.code.as_str()).collect();
    let mut arms = TokenStream::new();
    for (shape, variant, path) in errors {
        if let Some(query_code) = exception(shape).and_then(|e| super::protocol::query_code(cx, e))
            && taken.insert(query_code)
        {
            arms.extend(quote!(#path::QUERY_CODE => Self::#variant(#runtime::operation::ModeledError::from_response(metadata, body)),));
        }
    }
    arms
}

/// The error enum: a variant per modelled error, `Unlisted` for errors the model defines but
/// does not list for the operation, `Unmodeled` for the rest, `Request` for request failures.
fn error_enum(cx: &Context, operation: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    let root = &cx.root;
    let name = &operation.name;
    let error_name = format_ident!("{}Error", operation_type_base(name));
    let errors: Vec<(&String, proc_macro2::Ident, TokenStream)> =
        operation.errors.iter().map(|shape| (shape, ident(cx.names.type_name(shape)), cx.type_path(shape))).collect();
    let variants = errors.iter().map(|(shape, variant, path)| {
        let docs = doc_attrs(cx.shape(shape).documentation.as_deref(), &format!("The service's `{shape}` error."));
        quote!(#docs #variant(#path),)
    });
    let read_arms = errors.iter().map(|(_, variant, path)| modeled_error_arm(cx, variant, path));
    let query_arms = query_code_arms(cx, &errors.iter().map(|(s, v, p)| (s.as_str(), v, p)).collect::<Vec<_>>());
    let failure_arms = errors
        .iter()
        .map(|(_, variant, _)| quote!(Self::#variant(error) => #runtime::operation::Failure::Modeled(error, &error.error_metadata),));
    // Errors the model defines but this operation does not list are still read as their type.
    let unlisted = !cx.selection.unlisted_errors(operation).is_empty();
    let otherwise = if unlisted {
        quote! {
            match #root::error::ServiceError::from_service_error(metadata, body) {
                Ok(error) => Self::Unlisted(error),
                Err(metadata) => Self::Unmodeled(metadata),
            }
        }
    } else {
        quote!(Self::Unmodeled(metadata))
    };
    let (body, from_service) = if errors.is_empty() {
        (if unlisted { quote!(body) } else { quote!(_body) }, otherwise)
    } else {
        {
            let code = super::protocol::error_lookup_code(cx);
            (quote!(body), quote!(match #code { #(#read_arms)* #query_arms _ => #otherwise, }))
        }
    };
    let unmodeled_doc = if unlisted {
        " The service answered with an error code the model does not define."
    } else {
        " The service answered with an error this operation does not model."
    };
    let (unlisted_variant, unlisted_failure) = if unlisted {
        (
            quote! {
                /// The service answered with an error the model defines but does not list for
                /// this operation.
                Unlisted(#root::error::ServiceError),
            },
            quote!(Self::Unlisted(error) => #runtime::operation::Failure::Modeled(error, error.metadata()),),
        )
    } else {
        Default::default()
    };
    let error_doc = format!(" Why a `{name}` call failed.");
    let root_path = root.to_string().replace(' ', "");
    let traits_doc = format!(
        " Its code and message: [`OperationError`]({root_path}::error::OperationError); its request \
         id: [`RequestId`]({root_path}::RequestId)."
    );
    // S3's extended request id (`x-amz-id-2`), which restXml services' errors keep.
    let extended = (cx.model.service.protocol == crate::ir::Protocol::RestXml).then(|| {
        quote! {
            fn extended_request_id(&self) -> Option<&str> {
                #runtime::operation::error_extended_request_id(self)
            }
        }
    });
    quote! {
        #[doc = #error_doc]
        ///
        #[doc = #traits_doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #error_name {
            #(#variants)*
            #unlisted_variant
            #[doc = #unmodeled_doc]
            Unmodeled(#runtime::error::ErrorMetadata),
            /// The request could not be made, or its response could not be read.
            Request(#runtime::error::RequestError),
        }

        impl #runtime::operation::OperationError for #error_name {
            const OPERATION: &'static str = #name;

            fn from_service_error(metadata: #runtime::error::ErrorMetadata, #body: &#runtime::protocol::ErrorBody) -> Self {
                #from_service
            }

            fn failure(&self) -> #runtime::operation::Failure<'_> {
                match self {
                    #(#failure_arms)*
                    #unlisted_failure
                    Self::Unmodeled(metadata) => #runtime::operation::Failure::Unmodeled(metadata),
                    Self::Request(error) => #runtime::operation::Failure::Request(error),
                }
            }
        }

        impl From<#runtime::error::RequestError> for #error_name {
            fn from(error: #runtime::error::RequestError) -> Self {
                Self::Request(error)
            }
        }

        impl std::fmt::Display for #error_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #runtime::operation::fmt_error(self, f)
            }
        }

        impl std::error::Error for #error_name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                #runtime::operation::error_source(self)
            }
        }

        impl #runtime::request_id::RequestId for #error_name {
            fn request_id(&self) -> Option<&str> {
                #runtime::operation::error_request_id(self)
            }
            #extended
        }
    }
}

/// The fluent builder: a setter per input member, `send()` and `prepare_request()`; and
/// `parse_response()` for responses obtained some other way.
pub fn fluent_builder(cx: &Context, operation: &Operation) -> TokenStream {
    let base = operation_type_base(&operation.name);
    let builder = format_ident!("{base}FluentBuilder");
    let error_name = format_ident!("{base}Error");
    let operation_struct = operation_struct(cx, operation);
    let name = &operation.name;
    let runtime = cx.runtime();
    let method = ident(&crate::naming::operation_method(name));
    let input_type = input_type(cx, operation);
    let output_type = match &operation.output {
        Some(shape) => cx.type_path(shape),
        None => quote!(#runtime::request_id::NoOutput),
    };
    let members = input_members(cx, operation);
    let input = operation.input.as_deref().unwrap_or_default();
    let setters = members.iter().map(|member| {
        let field_name = cx.names.field(input, &member.name);
        let field = ident(field_name);
        let set = format_ident!("set_{}", crate::naming::unraw(field_name));
        let ty = cx.value_type(input, member);
        let deprecated = super::context::deprecated_attr(member.deprecated.as_ref());
        let doc = format!(
            " Sets `{}`; see [`{}::{}`].",
            member.name,
            cx.names.type_name(input),
            crate::naming::unraw(field_name)
        );
        let doc_set = format!(" Sets or clears `{}`.", member.name);
        let doc = if field_name.starts_with("r#") { format!(" Sets `{}`.", member.name) } else { doc };
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                self.input = self.input.#field(value);
                self
            }
            #[doc = #doc_set]
            #deprecated
            #[inline]
            pub fn #set(mut self, value: Option<#ty>) -> Self {
                self.input = self.input.#set(value);
                self
            }
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    // A member called `Add` gets the setter `add`, which clippy mistakes for an operator
    // method; the name is the model's, so it stays (as on the input structure).
    let operator_like = members
        .iter()
        .any(|m| super::structure::OPERATOR_METHODS.contains(&crate::naming::unraw(cx.names.field(input, &m.name))));
    let allow_operator_names = operator_like.then(|| quote!(#[allow(clippy::should_implement_trait)]));
    let waiters = super::waiter::waiters(cx, operation, &setters);
    let root = &cx.root;
    let root_path = root.to_string().replace(' ', "");
    let builder_doc = format!(
        " Builds and sends a `{name}` call; made by [`Client::{0}`]({root_path}::Client::{0}).",
        crate::naming::unraw(&method.to_string())
    );
    let parse_doc = [
        format!(" Reads a response to a `{name}` call as [`send`]({builder}::send) reads the response"),
        " of its last attempt: the output of a success, else the error (modelled, or with the".to_string(),
        " code, message and request id the response gives). For responses obtained some other way.".to_string(),
    ];
    let into_paginator = into_paginator(cx, operation);
    // Presigned URLs are an S3 feature of the AWS SDKs (a download or upload link for a
    // program without credentials); botocore signs them for S3's signing names.
    let presigned = cx.model.service.signing_name.starts_with("s3").then(|| {
        quote! {
            /// A presigned request for this call, valid for `expires_in` (at most seven days)
            /// from the config's time source: a URL with the signature in its query string
            /// that any HTTP client can use without credentials, sending the returned headers
            /// (the body of a presigned upload is not signed).
            pub async fn presigned(
                self,
                expires_in: std::time::Duration,
            ) -> Result<#runtime::sign::PresignedRequest, #error_name> {
                #runtime::operation::presign::<#operation_struct>(&self.handle, self.input, expires_in).await
            }
        }
    });
    quote! {
        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        pub struct #builder {
            handle: std::sync::Arc<#runtime::client::Handle>,
            input: #input_type,
        }

        #allow_operator_names
        impl #builder {
            pub(crate) fn new(handle: std::sync::Arc<#runtime::client::Handle>) -> Self {
                Self { handle, input: Default::default() }
            }

            /// Replaces the whole input with `input`.
            pub fn with_input(mut self, input: #input_type) -> Self {
                self.input = input;
                self
            }

            /// The input built so far.
            pub fn input(&self) -> &#input_type {
                &self.input
            }

            /// Changes the client's settings for this call only (retries, timeouts,
            /// endpoint...), e.g. `.config_override(|c| c.operation_timeout(limit))`; the
            /// call still shares the client's retry quota, credentials and connections.
            pub fn config_override(
                mut self,
                change: impl FnOnce(#runtime::config::ConfigBuilder) -> #runtime::config::ConfigBuilder,
            ) -> Self {
                self.handle = std::sync::Arc::new(self.handle.with_config_override(change));
                self
            }

            #(#setters)*

            /// Sends the call: checks the input, then sends it with retries. Await it.
            pub fn send(self) -> impl std::future::Future<Output = Result<#output_type, #error_name>> {
                #runtime::operation::send::<#operation_struct>(self.handle, self.input)
            }

            /// The signed HTTP request this call sends (its first attempt), without sending
            /// it: the same checks, body, endpoint, headers and signature as
            /// [`send`](Self::send), signed at the config's time source. For inspecting,
            /// logging or sending a request with another HTTP client.
            pub async fn prepare_request(self) -> Result<#runtime::client::HttpRequest, #error_name> {
                #runtime::operation::prepare_request::<#operation_struct>(&self.handle, self.input).await
            }

            #presigned

            #into_paginator
        }

        #(#[doc = #parse_doc])*
        pub fn parse_response(response: &#runtime::client::HttpResponse) -> Result<#output_type, #error_name> {
            #runtime::operation::parse_response::<#operation_struct>(&#root::client::Client::SERVICE, response)
        }

        #waiters
    }
}

/// `Operation::call`, for an operation with a host prefix, request compression, checksums or
/// endpoint parameters: what the runtime needs to know about a call besides its input. Other
/// operations keep the default.
fn call_fn(cx: &Context, operation: &Operation, members: &[crate::ir::Member]) -> Option<TokenStream> {
    let runtime = cx.runtime();
    let name = &operation.name;
    let endpoint_params = endpoint_params(cx, operation, members);
    if operation.host_prefix.is_none()
        && operation.request_compression.is_none()
        && operation.http_checksum.is_none()
        && endpoint_params.is_empty()
    {
        return None;
    }
    let input_shape = operation.input.as_deref().unwrap_or_default();
    let host_prefix = match &operation.host_prefix {
        Some(template) => quote!(Some(#template)),
        None => quote!(None),
    };
    // A string member's value, as the runtime reads it: an enum gives its value.
    let string_value = |member: &crate::ir::Member| {
        let field = ident(cx.names.field(input_shape, &member.name));
        match &cx.shape(&member.target).kind {
            crate::ir::ShapeKind::String(s) if s.enum_values.is_some() => {
                quote!(input.#field.as_ref().map(|value| value.value()))
            }
            _ => quote!(input.#field.as_deref()),
        }
    };
    let labels: Vec<TokenStream> = if operation.host_prefix.is_some() {
        members
            .iter()
            .filter(|m| m.host_label)
            .map(|member| {
                let label = &member.name;
                let value = string_value(member);
                quote!((#label, #value))
            })
            .collect()
    } else {
        Vec::new()
    };
    let checksum =
        operation.http_checksum.as_ref().map(|checksum| checksum_tokens(cx, checksum, members, &string_value));
    let reads_input = !labels.is_empty()
        || checksum.as_ref().is_some_and(|(_, reads)| *reads)
        || !operation.operation_context_params.is_empty()
        || members.iter().any(|m| m.context_param.is_some());
    let input_param = if reads_input { quote!(input) } else { quote!(_input) };
    let checksum = match checksum {
        Some((tokens, _)) => quote!(checksum: #tokens,),
        None => TokenStream::new(),
    };
    let endpoint_params = if endpoint_params.is_empty() {
        TokenStream::new()
    } else {
        quote!(endpoint_params: [#(#endpoint_params),*].into_iter().filter_map(|(name, value)| Some((name, value?))).collect(),)
    };
    let encodings: Vec<&str> =
        operation.request_compression.iter().flat_map(|c| c.encodings.iter().map(String::as_str)).collect();
    Some(quote! {
        fn call(#input_param: &Self::Input) -> #runtime::client::Call<'_> {
            #runtime::client::Call {
                host_prefix: #host_prefix,
                host_labels: vec![#(#labels),*],
                request_compression: &[#(#encodings),*],
                #checksum
                #endpoint_params
                ..#runtime::client::Call::new(#name)
            }
        }
    })
}

/// The endpoint-rule parameters a call sets, as `(name, Option<ParamValue>)` tuples over
/// `input`, the lowest rank first (botocore's: `operationContextParams`, `contextParam`
/// members, `staticContextParams`), so that the runtime's later `set` wins. The model's
/// check ([`crate::ir::Model::check_endpoint_params`]) made sure each compiles.
fn endpoint_params(cx: &Context, operation: &Operation, members: &[crate::ir::Member]) -> Vec<TokenStream> {
    let runtime = cx.runtime();
    let param_value = quote!(#runtime::endpoint::ParamValue);
    let input_shape = operation.input.as_deref().unwrap_or_default();
    let mut params = Vec::new();
    for param in &operation.operation_context_params {
        let name = &param.name;
        let compiled = crate::context_path::parse(&param.path).and_then(|expr| {
            crate::context_path::compile(
                cx.model,
                &|shape, member| cx.names.field(shape, member).to_string(),
                &|shape, member| match &cx.shape(shape).kind {
                    crate::ir::ShapeKind::Structure(st) => {
                        st.members.iter().any(|m| m.name == member && cx.is_boxed(shape, m))
                    }
                    _ => false,
                },
                &runtime,
                input_shape,
                &expr,
            )
        });
        params.push(match compiled {
            Ok(value) => quote!((#name, #value)),
            // The model's check compiled every path: this is a generator bug.
            Err(problem) => {
                let message = format!("operation context parameter {name}: {problem}");
                quote!(compile_error!(#message))
            }
        });
    }
    for member in members {
        let Some(name) = &member.context_param else { continue };
        let field = ident(cx.names.field(input_shape, &member.name));
        let value = match crate::context_path::context_param_conversion(cx.model, &member.target) {
            Ok(convert) => quote!(input.#field.as_ref().map(|value| #param_value::#convert)),
            Err(problem) => {
                let message = format!("context parameter {name}: {problem}");
                quote!(compile_error!(#message))
            }
        };
        params.push(quote!((#name, #value)));
    }
    for (name, value) in &operation.static_context_params {
        let value = match value {
            crate::ir::StaticParamValue::Bool(b) => quote!(#param_value::Bool(#b)),
            crate::ir::StaticParamValue::String(s) => quote!(#param_value::String(#s.to_string())),
            crate::ir::StaticParamValue::StringArray(items) => {
                quote!(#param_value::StringArray(vec![#(#items.to_string()),*]))
            }
        };
        params.push(quote!((#name, Some(#value))));
    }
    params
}

/// Every `httpChecksum` member an operation names is a string member of its input (a model
/// naming another is refused with the operation and member, rather than ignored).
pub fn check_checksum_members(cx: &Context) -> Result<(), String> {
    for name in &cx.selection.operations {
        let operation = &cx.model.operations[name];
        let Some(checksum) = &operation.http_checksum else { continue };
        let members = input_members(cx, operation);
        let named = [
            ("requestAlgorithmMember", &checksum.request_algorithm_member),
            ("requestValidationModeMember", &checksum.request_validation_mode_member),
        ];
        for (field, member) in named {
            let Some(member) = member else { continue };
            match members.iter().find(|m| &m.name == member) {
                Some(m) if matches!(cx.shape(&m.target).kind, crate::ir::ShapeKind::String(_)) => {}
                Some(_) => {
                    return Err(format!(
                        "operation {name}: httpChecksum `{field}` names `{member}`, which is not a string member"
                    ));
                }
                None => {
                    return Err(format!(
                        "operation {name}: httpChecksum `{field}` names `{member}`, which is not a member of its input"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The `HttpChecksum` of a call, and whether it reads the input (the algorithm and validation
/// mode members).
fn checksum_tokens(
    cx: &Context,
    checksum: &crate::ir::HttpChecksum,
    members: &[crate::ir::Member],
    string_value: &dyn Fn(&crate::ir::Member) -> TokenStream,
) -> (TokenStream, bool) {
    let runtime = cx.runtime();
    let member = |name: &Option<String>| name.as_ref().and_then(|name| members.iter().find(|m| &m.name == name));
    // The member's header, when the protocol sends it in one (S3's are headers).
    let header = |member: Option<&crate::ir::Member>| match member.and_then(|m| m.location.as_ref()) {
        Some(crate::ir::Location::Header(name)) => {
            let name = name.to_ascii_lowercase();
            quote!(Some(#name))
        }
        _ => quote!(None),
    };
    let algorithm_member = member(&checksum.request_algorithm_member);
    let mode_member = member(&checksum.request_validation_mode_member);
    let request_required = checksum.request_required;
    let has_algorithm_member = algorithm_member.is_some();
    let request_algorithm = match algorithm_member {
        Some(m) => string_value(m),
        None => quote!(None),
    };
    let request_algorithm_header = header(algorithm_member);
    let validation_mode_header = header(mode_member);
    let validation_enabled = match mode_member {
        Some(m) => {
            let value = string_value(m);
            quote!(#value.is_some_and(|mode| mode.eq_ignore_ascii_case("ENABLED")))
        }
        None => quote!(false),
    };
    let response_algorithms = &checksum.response_algorithms;
    let tokens = quote! {
        #runtime::checksum::HttpChecksum {
            request_required: #request_required,
            request_algorithm_member: #has_algorithm_member,
            request_algorithm: #request_algorithm,
            request_algorithm_header: #request_algorithm_header,
            validation_mode_header: #validation_mode_header,
            validation_enabled: #validation_enabled,
            response_algorithms: &[#(#response_algorithms),*],
        }
    };
    (tokens, algorithm_member.is_some() || mode_member.is_some())
}

/// What the generated code needs to know about a paginator it can emit: one token, a list as
/// its first result key. Other paginators (several tokens, a result key that is not a list)
/// give no `into_paginator()`.
struct PaginatorPlan<'a> {
    paginator: &'a crate::ir::Paginator,
    input: &'a str,
    output: &'a str,
    token_type: TokenStream,
    item_type: TokenStream,
}

fn paginator_plan<'a>(cx: &Context<'a>, operation: &Operation) -> Option<PaginatorPlan<'a>> {
    let paginator = cx.model.paginators.get(&operation.name)?;
    let operation = cx.model.operations.get(&operation.name)?;
    let (input, output) = (operation.input.as_deref()?, operation.output.as_deref()?);
    let ([input_token], [output_token]) = (&paginator.input_tokens[..], &paginator.output_tokens[..]) else {
        return None;
    };
    let input_member = *cx.model.resolve_path(Some(input), input_token).ok()?.first()?;
    let output_members = cx.model.resolve_path(Some(output), output_token).ok()?;
    let (token_owner, token_member) = last_owner(output, &output_members)?;
    let token_type = cx.member_type(token_owner, token_member);
    if cx.member_type(input, input_member).to_string() != token_type.to_string() {
        return None;
    }
    // A paginator without result keys gives pages only: its items can never be.
    let Some(result_key) = paginator.result_keys.first() else {
        return Some(PaginatorPlan {
            paginator,
            input,
            output,
            token_type,
            item_type: quote!(std::convert::Infallible),
        });
    };
    let result_members = cx.model.resolve_path(Some(output), result_key).ok()?;
    let (result_owner, result_member) = last_owner(output, &result_members)?;
    let crate::ir::ShapeKind::List(list) = &cx.shape(&result_member.target).kind else { return None };
    if cx.is_boxed(result_owner, result_member) {
        return None;
    }
    let member = cx.rust_type(&list.member);
    let item_type = if list.sparse { quote!(Option<#member>) } else { member };
    Some(PaginatorPlan { paginator, input, output, token_type, item_type })
}

/// Why the operation's paginator gives no `into_paginator()`, if the model has one that the
/// generator cannot emit.
pub fn paginator_unsupported(cx: &Context, operation: &Operation) -> Option<String> {
    let paginator = cx.model.paginators.get(&operation.name)?;
    if paginator_plan(cx, operation).is_some() {
        return None;
    }
    Some(if paginator.input_tokens.len() != 1 {
        format!("{} input tokens (one is supported)", paginator.input_tokens.len())
    } else {
        "its token types differ between input and output, or its first result key is not a list".to_string()
    })
}

/// The last member of a path, with the structure that holds it.
fn last_owner<'a>(root: &'a str, members: &[&'a crate::ir::Member]) -> Option<(&'a str, &'a crate::ir::Member)> {
    let last = *members.last()?;
    let owner = if members.len() > 1 { members[members.len() - 2].target.as_str() } else { root };
    Some((owner, last))
}

/// `output.a.as_ref().and_then(|v| v.b.as_ref())`: an `Option` of a reference (mutable with
/// `mutable`) to the member at the end of `path` from `value` of shape `root`.
fn member_chain(cx: &Context, value: TokenStream, root: &str, path: &str, mutable: bool) -> TokenStream {
    let members = cx.model.resolve_path(Some(root), path).unwrap_or_default();
    let as_ref = if mutable { quote!(as_mut) } else { quote!(as_ref) };
    let mut owner = root;
    let mut chain = TokenStream::new();
    for (i, member) in members.iter().enumerate() {
        let field = ident(cx.names.field(owner, &member.name));
        chain = if i == 0 {
            quote!(#value.#field.#as_ref())
        } else {
            quote!(#chain.and_then(|value| value.#field.#as_ref()))
        };
        owner = &member.target;
    }
    chain
}

/// `impl Paginated` for an operation that has a paginator the generator can emit: only where
/// the token is read and written, the page size and the results.
pub fn paginated_impl(cx: &Context, operation: &Operation) -> Option<TokenStream> {
    let plan = paginator_plan(cx, operation)?;
    let runtime = cx.runtime();
    let operation_struct = operation_struct(cx, operation);
    let PaginatorPlan { paginator, input, output, token_type, item_type } = &plan;
    let output_token = &paginator.output_tokens[0];
    let token_field = ident(cx.names.field(input, &paginator.input_tokens[0]));
    let token_members = cx.model.resolve_path(Some(output), output_token).unwrap_or_default();
    let copy_token = token_members.last().is_some_and(|m| {
        matches!(cx.shape(&m.target).kind, crate::ir::ShapeKind::Integer(_) | crate::ir::ShapeKind::Long(_))
    });
    let token_value = if token_members.len() == 1 {
        let field = ident(cx.names.field(output, &token_members[0].name));
        // An integer token (S3's ListParts `NextPartNumberMarker`) is copied, not cloned.
        if copy_token { quote!(output.#field) } else { quote!(output.#field.clone()) }
    } else {
        let chain = member_chain(cx, quote!(output), output, output_token, false);
        quote!(#chain.cloned())
    };
    // botocore treats an empty token as none.
    let token_value = match &cx.shape(&token_members.last()?.target).kind {
        crate::ir::ShapeKind::String(_) | crate::ir::ShapeKind::Map(_) | crate::ir::ShapeKind::List(_) => {
            quote!(#token_value.filter(|token| !token.is_empty()))
        }
        _ => token_value,
    };
    let more_results = paginator.more_results.as_ref().map(|path| {
        let chain = member_chain(cx, quote!(output), output, path, false);
        quote! {
            if #chain != Some(&true) {
                return None;
            }
        }
    });
    let set_page_size = paginator.limit_key.as_ref().and_then(|limit| {
        let member = *cx.model.resolve_path(Some(input), limit).ok()?.first()?;
        let field = ident(cx.names.field(input, &member.name));
        let value = match &cx.shape(&member.target).kind {
            crate::ir::ShapeKind::Integer(i) if i.enum_values.is_none() => quote!(size),
            crate::ir::ShapeKind::Long(_) => quote!(i64::from(size)),
            _ => return None,
        };
        Some(quote! {
            fn set_page_size(input: &mut Self::Input, size: i32) {
                input.#field = Some(#value);
            }
        })
    });
    let output_param = if paginator.result_keys.is_empty() { quote!(_output) } else { quote!(output) };
    let results = match paginator.result_keys.first() {
        Some(key) => member_chain(cx, quote!(output), output, key, true),
        None => quote!(None),
    };
    Some(quote! {
        impl #runtime::paginator::Paginated for #operation_struct {
            type Token = #token_type;
            type Item = #item_type;
            const OUTPUT_TOKEN: &'static str = #output_token;

            fn next_token(output: &Self::Output) -> Option<Self::Token> {
                #more_results
                #token_value
            }

            fn set_token(input: &mut Self::Input, token: Self::Token) {
                input.#token_field = Some(token);
            }

            #set_page_size

            fn results(#output_param: &mut Self::Output) -> Option<&mut Vec<Self::Item>> {
                #results
            }
        }
    })
}

/// The fluent builder's `into_paginator()`, for an operation with a paginator.
fn into_paginator(cx: &Context, operation: &Operation) -> Option<TokenStream> {
    let plan = paginator_plan(cx, operation)?;
    let runtime = cx.runtime();
    let operation_struct = operation_struct(cx, operation);
    let mut doc = vec![
        format!(
            " Pages through the results: calls `{}` again with each page's `{}` until the last",
            operation.name, plan.paginator.output_tokens[0]
        ),
        " page. [`page_size`](crate::runtime::paginator::Paginator::page_size) sets how many results a".to_string(),
    ];
    match plan.paginator.result_keys.first() {
        Some(result_key) => doc.extend([
            " page may have, [`max_items`](crate::runtime::paginator::Paginator::max_items) how many to give in all;"
                .to_string(),
            format!(
                " [`items`](crate::runtime::paginator::Paginator::items) flattens the pages into the `{result_key}`."
            ),
        ]),
        None => doc.push(" page may have (the model names no result key: pages only).".to_string()),
    }
    let several = (list_result_keys(cx, &plan).len() > 1).then(|| {
        let doc =
            format!(" The other result keys' items: [`{0}PaginatorItems`].", operation_type_base(&operation.name));
        quote!(#[doc = ""] #[doc = #doc])
    });
    Some(quote! {
        #(#[doc = #doc])*
        #several
        pub fn into_paginator(self) -> #runtime::paginator::Paginator<#operation_struct> {
            #runtime::paginator::Paginator::new(self.handle, self.input)
        }
    })
}

/// The result keys of a paginator whose results are lists (others, such as DynamoDB's
/// `Count`, are not flattened): (path, member, its item type).
fn list_result_keys<'a>(cx: &Context<'a>, plan: &PaginatorPlan<'a>) -> Vec<(&'a str, String, TokenStream)> {
    let mut keys = Vec::new();
    for key in &plan.paginator.result_keys {
        let Ok(members) = cx.model.resolve_path(Some(plan.output), key) else { continue };
        let Some((owner, member)) = last_owner(plan.output, &members) else { continue };
        let crate::ir::ShapeKind::List(list) = &cx.shape(&member.target).kind else { continue };
        if cx.is_boxed(owner, member) {
            continue;
        }
        let field = crate::naming::unraw(cx.names.field(owner, &member.name)).to_string();
        let item = cx.rust_type(&list.member);
        let item = if list.sparse { quote!(Option<#item>) } else { item };
        keys.push((key.as_str(), field, item));
    }
    keys
}

/// For a paginator with several result keys that are lists, a trait with an accessor per key
/// (named after the key's member) that flattens that key's results, implemented for the
/// operation's paginator.
pub fn result_key_accessors(cx: &Context, operation: &Operation) -> Option<TokenStream> {
    let plan = paginator_plan(cx, operation)?;
    let keys = list_result_keys(cx, &plan);
    if keys.len() < 2 {
        return None;
    }
    let runtime = cx.runtime();
    let operation_struct = operation_struct(cx, operation);
    let trait_name = format_ident!("{}PaginatorItems", operation_type_base(&operation.name));
    let mut names = std::collections::BTreeSet::new();
    let mut signatures = Vec::new();
    let mut bodies = Vec::new();
    for (key, field, item) in keys {
        // The paginator's own methods would hide an accessor of the same name.
        let name = if ["new", "page_size", "max_items", "next_page", "items", "items_of"].contains(&field.as_str()) {
            format!("{field}_items")
        } else {
            field
        };
        if !names.insert(name.clone()) {
            continue;
        }
        let method = ident(&name);
        let chain = member_chain(cx, quote!(output), plan.output, key, true);
        let doc = format!(" The `{key}` of every page, flattened.");
        signatures.push(quote! {
            #[doc = #doc]
            fn #method(self) -> #runtime::paginator::Items<#operation_struct, #item>;
        });
        bodies.push(quote! {
            fn #method(self) -> #runtime::paginator::Items<#operation_struct, #item> {
                self.items_of(|output| #chain)
            }
        });
    }
    let doc = format!(
        " The results of each of `{}`'s result keys, flattened from its paginator's pages (`items()` gives the first's).",
        operation.name
    );
    Some(quote! {
        #[doc = #doc]
        pub trait #trait_name {
            #(#signatures)*
        }

        impl #trait_name for #runtime::paginator::Paginator<#operation_struct> {
            #(#bodies)*
        }
    })
}
