//! Paginators: an operation whose results come in pages, called again with the token the last
//! page gave until there is none, as botocore's paginators and the AWS SDKs' `into_paginator()`
//! do. Everything that is the same for every paginated operation is here; a generated crate
//! implements [`Paginated`] with only what differs (where the token is read and written, the
//! page size, the results).
//!
//! [`Paginator`] and [`Items`] are [`futures_core::Stream`]s, the trait every async combinator
//! crate (`futures`, `tokio-stream`) works with; `futures-core` is already a dependency of
//! hyper's, so implementing it costs nothing to build. Without a combinator crate,
//! [`Paginator::next_page`], [`Items::next`] and [`Items::collect_all`] do the same.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::client::Handle;
use super::error::RequestError;
use super::operation::{Operation, send};

/// What a paginated operation says about its pages: implemented by the generated operation
/// types whose model gives them a paginator.
///
/// The semantics are botocore's: a page whose output token is missing or empty (or whose
/// `more_results` member is not true) is the last; `max_items` counts and truncates the first
/// result key only; a token the service gives twice in a row ends the pages with
/// [`RequestError::RepeatedPageToken`] rather than looping forever.
pub trait Paginated: Operation {
    /// The token that leads to the next page (usually a `String`).
    type Token: Clone + PartialEq + fmt::Debug + Send + 'static;
    /// One result of the first (usually only) result key.
    type Item;
    /// The output's token member (its path, e.g. `NextToken`), for messages.
    const OUTPUT_TOKEN: &'static str;

    /// The token for the next page, or `None` when `output` is the last page.
    fn next_token(output: &Self::Output) -> Option<Self::Token>;

    /// Puts `token` into the input of the next call.
    fn set_token(input: &mut Self::Input, token: Self::Token);

    /// Sets the limit key (e.g. `MaxResults`) to `size`; operations without one ignore it.
    fn set_page_size(_input: &mut Self::Input, _size: i32) {}

    /// The page's results of the first result key, if it has any.
    fn results(output: &mut Self::Output) -> Option<&mut Vec<Self::Item>>;
}

type PageFuture<O> = Pin<Box<dyn Future<Output = Result<<O as Operation>::Output, <O as Operation>::Error>> + Send>>;

/// The pages of a paginated operation: made by the fluent builder's `into_paginator()`.
///
/// [`next_page`](Self::next_page) gives the pages one by one, as does its [`Stream`] impl;
/// [`items`](Self::items) flattens them into the results.
#[must_use = "a paginator sends nothing until its pages are asked for"]
pub struct Paginator<O: Paginated> {
    handle: Arc<Handle>,
    input: O::Input,
    max_items: Option<usize>,
    /// Results given so far (of the first result key).
    seen: usize,
    previous_token: Option<O::Token>,
    in_flight: Option<PageFuture<O>>,
    state: State<O::Token>,
}

enum State<T> {
    /// Another page is to be asked for.
    More,
    /// The service gave this token twice in a row: the next poll reports it.
    Repeated(T),
    /// No more pages.
    Done,
}

// No field is pinned: the page in flight is boxed.
impl<O: Paginated> Unpin for Paginator<O> {}

impl<O: Paginated> fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("max_items", &self.max_items)
            .field("seen", &self.seen)
            .field("next_token", &self.previous_token)
            .finish_non_exhaustive()
    }
}

impl<O> Paginator<O>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// A paginator that sends `input` (with the token of each page after the first).
    pub fn new(handle: Arc<Handle>, input: O::Input) -> Self {
        Paginator { handle, input, max_items: None, seen: 0, previous_token: None, in_flight: None, state: State::More }
    }

    /// Asks the service for pages of at most `size` results (sets the operation's limit key,
    /// e.g. `MaxResults`; the service may give fewer).
    pub fn page_size(mut self, size: i32) -> Self {
        O::set_page_size(&mut self.input, size);
        self
    }

    /// Stops after `max` results in all: the page that goes past it is truncated (its first
    /// result key), and no further page is asked for.
    pub fn max_items(mut self, max: usize) -> Self {
        self.max_items = Some(max);
        self
    }

    /// The next page: `None` after the last one, or after an error.
    pub async fn next_page(&mut self) -> Option<Result<O::Output, O::Error>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// The results of every page, flattened (the first result key's).
    pub fn items(self) -> Items<O> {
        self.items_of(O::results)
    }

    /// The results of every page at the place `results` takes them from, flattened: how the
    /// generated accessors of an operation with several result keys give each key's items.
    pub fn items_of<I>(self, results: fn(&mut O::Output) -> Option<&mut Vec<I>>) -> Items<O, I> {
        Items { pages: self, results, buffer: Vec::new().into_iter() }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O::Output, O::Error>>> {
        match std::mem::replace(&mut self.state, State::More) {
            State::Done => {
                self.state = State::Done;
                return Poll::Ready(None);
            }
            State::Repeated(token) => {
                self.state = State::Done;
                let error =
                    RequestError::RepeatedPageToken { token_name: O::OUTPUT_TOKEN, token: format!("{token:?}") };
                return Poll::Ready(Some(Err(O::Error::from(error))));
            }
            State::More => {}
        }
        let page =
            self.in_flight.get_or_insert_with(|| Box::pin(send::<O>(Arc::clone(&self.handle), self.input.clone())));
        let result = match page.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        self.in_flight = None;
        let mut output = match result {
            Ok(output) => output,
            Err(error) => {
                self.state = State::Done;
                return Poll::Ready(Some(Err(error)));
            }
        };
        let count = O::results(&mut output).map_or(0, |items| items.len());
        if let Some(max) = self.max_items
            && self.seen + count > max
        {
            if let Some(items) = O::results(&mut output) {
                items.truncate(max - self.seen);
            }
            self.seen = max;
            self.state = State::Done;
            return Poll::Ready(Some(Ok(output)));
        }
        self.seen += count;
        self.state = match O::next_token(&output) {
            None => State::Done,
            Some(_) if self.max_items == Some(self.seen) => State::Done,
            Some(token) if self.previous_token.as_ref() == Some(&token) => State::Repeated(token),
            Some(token) => {
                O::set_token(&mut self.input, token.clone());
                self.previous_token = Some(token);
                State::More
            }
        };
        Poll::Ready(Some(Ok(output)))
    }
}

impl<O> Stream for Paginator<O>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = Result<O::Output, O::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The results of every page of a paginator, flattened: made by [`Paginator::items`] (`I` is
/// then the first result key's item) or a generated accessor of another result key.
#[must_use = "a paginator sends nothing until its results are asked for"]
pub struct Items<O: Paginated, I = <O as Paginated>::Item> {
    pages: Paginator<O>,
    results: fn(&mut O::Output) -> Option<&mut Vec<I>>,
    buffer: std::vec::IntoIter<I>,
}

impl<O: Paginated, I> Unpin for Items<O, I> {}

impl<O: Paginated, I> fmt::Debug for Items<O, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}

impl<O, I> Items<O, I>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// The next result: `None` after the last one, or after an error.
    pub async fn next(&mut self) -> Option<Result<I, O::Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every result, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<I>, O::Error> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<I, O::Error>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(mut output))) => {
                    self.buffer = (self.results)(&mut output).map(std::mem::take).unwrap_or_default().into_iter();
                }
            }
        }
    }
}

impl<O, I> Stream for Items<O, I>
where
    O: Paginated + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = Result<I, O::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
