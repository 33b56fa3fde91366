//! Order-preserving parallel map for independent per-patient work (analysis, D50 fits).
//!
//! Natively the items are split into one contiguous chunk per available core and mapped on
//! scoped threads; the results come back in the items' order, so the output is the same as a
//! sequential map, whatever the number of cores. On wasm32 (the page's worker) it is a plain
//! sequential map.

/// Fewer items than this per thread are not worth a thread.
#[cfg(not(target_arch = "wasm32"))]
const MIN_PER_THREAD: usize = 500;

/// `items.iter().map(f).collect()`, on several threads when there are enough items.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                // A panic in a worker thread is re-raised here, as a sequential map would.
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        out
    })
}

/// `f` over `0..len` split into one contiguous range per core (each at least `min_per_thread`
/// long), results in order; one call with the whole range when that is a single thread.
pub fn chunked<R: Send>(
    len: usize,
    min_per_thread: usize,
    f: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Vec<R> {
    let threads = cores().min(len / min_per_thread.max(1)).max(1);
    if threads <= 1 {
        return vec![f(0..len)];
    }
    let chunk = len.div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..len)
            .step_by(chunk)
            .map(|a| s.spawn(move || f(a..(a + chunk).min(len))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The number of cores, asked once (the answer reads cgroup files on Linux).
#[cfg(not(target_arch = "wasm32"))]
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(target_arch = "wasm32")]
pub fn cores() -> usize {
    1
}

#[cfg(not(target_arch = "wasm32"))]
fn threads_for(n: usize) -> usize {
    cores().min(n / MIN_PER_THREAD).max(1)
}

#[cfg(target_arch = "wasm32")]
fn threads_for(_n: usize) -> usize {
    1
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_and_values() {
        for n in [0, 1, 499, 1000, 1001, 10_007] {
            let items: Vec<u64> = (0..n).collect();
            let got = super::map(&items, |x| x * x + 1);
            let want: Vec<u64> = items.iter().map(|x| x * x + 1).collect();
            assert_eq!(got, want, "n = {n}");
        }
    }
}
