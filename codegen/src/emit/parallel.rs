//! Renders independent files on several threads. Token streams are not `Send`, so each worker
//! builds, parses and prints its own files from read-only shared data; the results come back in
//! job order, so the output and the error reported do not depend on scheduling.

use std::num::NonZeroUsize;

/// Overrides the number of threads (`1` renders on the calling thread only, for debugging).
const THREADS_VARIABLE: &str = "AWSGEN_CODEGEN_THREADS";

/// The number of threads to render on: [`THREADS_VARIABLE`] if set to a positive number, else
/// the machine's parallelism.
fn thread_count() -> usize {
    std::env::var(THREADS_VARIABLE)
        .ok()
        .and_then(|value| value.trim().parse::<NonZeroUsize>().ok())
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get)
}

/// Runs `job` on every element of `jobs`, dealt round-robin to the threads; each thread first
/// makes its own state with `setup` (which holds what cannot cross threads). A thread stops at
/// its first error. The result has one slot per job, in job order: reading it in order, the
/// first `Err` met is the first error in job order, and every slot before it is filled (a
/// thread leaves slots empty only after its own error).
pub(super) fn render_all<J, S, T, Setup, Job>(jobs: &[J], setup: Setup, job: Job) -> Vec<Option<Result<T, String>>>
where
    J: Sync,
    T: Send,
    Setup: Fn() -> Result<S, String> + Sync,
    Job: Fn(&S, &J) -> Result<T, String> + Sync,
{
    let threads = thread_count().clamp(1, jobs.len().max(1));
    let work = |thread: usize| -> Vec<(usize, Result<T, String>)> {
        let mut done = Vec::with_capacity(jobs.len() / threads + 1);
        let state = match setup() {
            Ok(state) => state,
            Err(e) => {
                if thread < jobs.len() {
                    done.push((thread, Err(e)));
                }
                return done;
            }
        };
        for index in (thread..jobs.len()).step_by(threads) {
            let result = job(&state, &jobs[index]);
            let failed = result.is_err();
            done.push((index, result));
            if failed {
                break;
            }
        }
        done
    };
    let per_thread: Vec<Vec<(usize, Result<T, String>)>> = if threads == 1 {
        vec![work(0)]
    } else {
        std::thread::scope(|scope| {
            let work = &work;
            let others: Vec<_> = (1..threads).map(|thread| scope.spawn(move || work(thread))).collect();
            let mut all = vec![work(0)];
            // A worker that panicked is a generator bug: pass the panic on, as one thread would.
            all.extend(others.into_iter().map(|handle| handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p))));
            all
        })
    };
    let mut slots: Vec<Option<Result<T, String>>> = (0..jobs.len()).map(|_| None).collect();
    for (index, result) in per_thread.into_iter().flatten() {
        slots[index] = Some(result);
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order() {
        let jobs: Vec<usize> = (0..101).collect();
        let slots = render_all(&jobs, || Ok(std::rc::Rc::new(3)), |three, &n| Ok(n * **three));
        let values: Vec<usize> = slots.into_iter().map(|slot| slot.unwrap().unwrap()).collect();
        assert_eq!(values, (0..101).map(|n| n * 3).collect::<Vec<_>>());
    }

    #[test]
    fn the_first_error_in_job_order_comes_first() {
        let jobs: Vec<usize> = (0..50).collect();
        let slots = render_all(
            &jobs,
            || Ok(()),
            |(), &n| if n == 7 || n == 20 || n == 21 { Err(format!("job {n}")) } else { Ok(n) },
        );
        let first_error =
            slots.into_iter().map(|slot| slot.expect("filled before the first error")).find_map(Result::err);
        assert_eq!(first_error.as_deref(), Some("job 7"));
    }
}
