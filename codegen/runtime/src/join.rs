//! Running calls side by side, a bounded number at a time, on whatever executor the caller
//! uses (no task is spawned): what a multipart upload does with its parts.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// Runs the futures `futures` gives, at most `limit` at a time (at least one), and gives their
/// outputs in the order they were given; the first error stops the rest (the futures in
/// flight are dropped, which cancels their requests) and is returned.
pub async fn try_join_bounded<T, E, F>(futures: impl IntoIterator<Item = F>, limit: usize) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>>,
{
    let limit = limit.max(1);
    let mut pending = futures.into_iter().enumerate();
    let mut in_flight: Vec<(usize, Pin<Box<F>>)> = Vec::with_capacity(limit);
    let mut done: Vec<(usize, T)> = Vec::new();
    let mut exhausted = false;
    std::future::poll_fn(|cx| {
        loop {
            while !exhausted && in_flight.len() < limit {
                match pending.next() {
                    Some((index, future)) => in_flight.push((index, Box::pin(future))),
                    None => exhausted = true,
                }
            }
            let mut progressed = false;
            let mut i = 0;
            while i < in_flight.len() {
                match in_flight[i].1.as_mut().poll(cx) {
                    Poll::Pending => i += 1,
                    Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                    Poll::Ready(Ok(value)) => {
                        let (index, _) = in_flight.swap_remove(i);
                        done.push((index, value));
                        progressed = true;
                    }
                }
            }
            if in_flight.is_empty() && exhausted {
                return Poll::Ready(Ok(()));
            }
            // A finished future frees a slot: start the next before waiting.
            if !progressed {
                return Poll::Pending;
            }
        }
    })
    .await?;
    done.sort_by_key(|(index, _)| *index);
    Ok(done.into_iter().map(|(_, value)| value).collect())
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::time::Duration;

    use super::*;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
    }

    #[test]
    fn outputs_keep_their_order_and_no_more_than_the_limit_run_at_once() {
        let running = Cell::new(0);
        let most = Cell::new(0);
        let outputs = block_on(try_join_bounded(
            (0..10u64).map(|i| {
                let (running, most) = (&running, &most);
                async move {
                    running.set(running.get() + 1);
                    most.set(most.get().max(running.get()));
                    // Later ones finish first.
                    tokio::time::sleep(Duration::from_millis(20 - 2 * i)).await;
                    running.set(running.get() - 1);
                    Ok::<u64, ()>(i)
                }
            }),
            3,
        ));
        assert_eq!(outputs, Ok((0..10).collect::<Vec<_>>()));
        assert_eq!(most.get(), 3);
    }

    #[test]
    fn the_first_error_stops_the_rest() {
        let started = Cell::new(0);
        let result = block_on(try_join_bounded(
            (0..10u64).map(|i| {
                let started = &started;
                async move {
                    started.set(started.get() + 1);
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    if i == 1 { Err(format!("part {i} failed")) } else { Ok(i) }
                }
            }),
            2,
        ));
        assert_eq!(result, Err("part 1 failed".to_string()));
        assert!(started.get() <= 4, "{} started", started.get());
        assert_eq!(block_on(try_join_bounded(Vec::<std::future::Ready<Result<u8, ()>>>::new(), 0)), Ok(Vec::new()));
    }
}
