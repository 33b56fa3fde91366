//! Order-preserving parallel map for independent work (reading rows, per-patient analysis,
//! group statistics per measure, D50 fits).
//!
//! Natively the items are split into one contiguous chunk per available core and mapped on
//! scoped threads; the results come back in the items' order, so the output is the same as a
//! sequential map, whatever the number of cores. On wasm32 (the page's worker) it is a plain
//! sequential map.

/// Fewer items than this per thread are not worth a thread.
const MIN_PER_THREAD: usize = 500;

/// `items.iter().map(f).collect()`, on several threads when there are enough items.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let parts = chunked(items.len(), MIN_PER_THREAD, |rg| {
        items[rg].iter().map(&f).collect::<Vec<R>>()
    });
    if parts.len() == 1 {
        return parts.into_iter().next().unwrap_or_default();
    }
    let mut out = Vec::with_capacity(items.len());
    for part in parts {
        out.extend(part);
    }
    out
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
    on_threads(len, len.div_ceil(threads), &f)
}

#[cfg(not(target_arch = "wasm32"))]
fn on_threads<R: Send>(
    len: usize,
    chunk: usize,
    f: &(impl Fn(std::ops::Range<usize>) -> R + Sync),
) -> Vec<R> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..len)
            .step_by(chunk)
            .map(|a| s.spawn(move || f(a..(a + chunk).min(len))))
            .collect();
        handles
            .into_iter()
            // A panic in a thread is re-raised here, as a sequential map would.
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// wasm32 (the page's worker) has one thread: never reached, as `cores()` is 1 there.
#[cfg(target_arch = "wasm32")]
fn on_threads<R: Send>(
    len: usize,
    _chunk: usize,
    f: &(impl Fn(std::ops::Range<usize>) -> R + Sync),
) -> Vec<R> {
    vec![f(0..len)]
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
