//! Order-preserving parallel work on scoped threads: `map`/`chunked` (one contiguous chunk per
//! core: splitting the input, D50 fits), `each` with `chunk_len` (a task per core that owns its
//! part of one output, filled in place: the per-patient analysis), `map_each` (each thread takes
//! the next item: the group statistics' tasks of uneven cost) and `pipeline` (blocks read on other
//! threads while this one consumes them in order: the long layout's rows).
//!
//! The results come back in the items' order, so the output is the same as a sequential run,
//! whatever the number of cores. On wasm32 (the page's worker) each is a plain sequential loop.

/// Fewer items than this per thread are not worth a thread.
const MIN_PER_THREAD: usize = 500;

/// `items.iter().map(f).collect()`, on several threads when there are enough items. The results
/// are written in place, each into its slot of one list (not a list per thread copied into
/// another: the results held twice), and the slots' `Option` taken off in place when `R` has
/// room for `None` (e.g. a `String`, `Vec` or `Arc` field; else a copy).
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = chunk_len(items.len(), MIN_PER_THREAD);
    if chunk >= items.len() {
        return items.iter().map(f).collect();
    }
    let mut out: Vec<Option<R>> = Vec::new();
    out.resize_with(items.len(), || None);
    let tasks: Vec<_> = items.chunks(chunk).zip(out.chunks_mut(chunk)).collect();
    each(tasks, |(xs, slots)| {
        for (x, slot) in xs.iter().zip(slots) {
            *slot = Some(f(x));
        }
    });
    in_place_some(out)
}

/// The values of `slots`, in order, in the same allocation when `Option<R>` is the size of `R`
/// (the standard library collects a `filter_map` of a vector's `into_iter` in place; not a
/// `flatten`, which allocates anew).
#[allow(clippy::filter_map_identity)]
pub fn in_place_some<R>(slots: Vec<Option<R>>) -> Vec<R> {
    slots.into_iter().filter_map(|r| r).collect()
}

/// `items.iter().map(f).collect()` for a few items of uneven cost: each thread takes the next
/// item not yet taken, so that one long item does not hold up a range of others; results in
/// the items' order.
pub fn map_each<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut all: Vec<(usize, R)> = chunked(threads, 1, |_| take())
        .into_iter()
        .flatten()
        .collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
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

/// The length of the ranges [`chunked`] splits `len` items into (the whole when one thread).
pub fn chunk_len(len: usize, min_per_thread: usize) -> usize {
    let threads = cores().min(len / min_per_thread.max(1)).max(1);
    len.div_ceil(threads).max(1)
}

/// `tasks.into_iter().map(f).collect()`, each task on a thread of its own: for a few tasks made
/// with [`chunk_len`] (one per core) that own what they work on, such as disjoint parts of one
/// output (`chunks_mut`) filled in place. One task (or wasm32): a plain loop.
pub fn each<T: Send, R: Send>(tasks: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    if tasks.len() > 1 {
        let f = &f;
        return std::thread::scope(|s| {
            let handles: Vec<_> = tasks.into_iter().map(|t| s.spawn(move || f(t))).collect();
            handles
                .into_iter()
                // A panic in a thread is re-raised here, as a sequential map would.
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
    }
    tasks.into_iter().map(f).collect()
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

/// `for block in items.chunks(block) { consume(read(block)) }`, with the blocks read ahead on
/// other threads while `consume` takes them, in order, on this one: reading (the parallel part)
/// overlaps the consuming (the ordered part). Each reader thread has at most one block read and
/// waiting, so memory stays a few blocks whatever the number of items. One thread (wasm32, one
/// core, or a single block): a plain loop.
pub fn pipeline<T: Sync, R: Send>(
    items: &[T],
    block: usize,
    read: impl Fn(&[T]) -> R + Sync,
    mut consume: impl FnMut(R),
) {
    let block = block.max(1);
    // wasm32 (the page's worker) has one thread: the plain loop below.
    #[cfg(not(target_arch = "wasm32"))]
    {
        let readers = cores().min(items.len().div_ceil(block));
        if readers > 1 {
            return pipelined(items, block, readers, &read, &mut consume);
        }
    }
    items.chunks(block).for_each(|b| consume(read(b)));
}

#[cfg(not(target_arch = "wasm32"))]
fn pipelined<T: Sync, R: Send>(
    items: &[T],
    block: usize,
    readers: usize,
    read: &(impl Fn(&[T]) -> R + Sync),
    consume: &mut impl FnMut(R),
) {
    std::thread::scope(|s| {
        // Reader k reads blocks k, k + readers, k + 2·readers, … and hands each over through its
        // own one-place channel; taking from the readers in turn gives the blocks in order.
        let rxs: Vec<_> = (0..readers)
            .map(|k| {
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                s.spawn(move || {
                    for b in items.chunks(block).skip(k).step_by(readers) {
                        if tx.send(read(b)).is_err() {
                            break;
                        }
                    }
                });
                rx
            })
            .collect();
        for i in 0..items.len().div_ceil(block) {
            match rxs[i % readers].recv() {
                Ok(r) => consume(r),
                // A reader panicked: the scope re-raises its panic when it ends.
                Err(_) => break,
            }
        }
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

    #[test]
    fn each_fills_disjoint_parts_in_order() {
        for n in [0usize, 1, 499, 1000, 1001, 10_007] {
            let mut out = vec![0u64; n];
            let chunk = super::chunk_len(n, 500);
            let tasks: Vec<_> = out.chunks_mut(chunk).enumerate().collect();
            let sums = super::each(tasks, |(k, part)| {
                for (i, x) in part.iter_mut().enumerate() {
                    *x = ((k * chunk + i) as u64).pow(2);
                }
                part.len()
            });
            assert_eq!(sums.iter().sum::<usize>(), n);
            let want: Vec<u64> = (0..n as u64).map(|x| x * x).collect();
            assert_eq!(out, want, "n = {n}");
        }
    }

    #[test]
    fn map_each_keeps_order() {
        for n in [0, 1, 2, 3, 9, 100] {
            let items: Vec<u64> = (0..n).collect();
            // Uneven costs: the early items are the slow ones.
            let got = super::map_each(&items, |&x| {
                std::thread::sleep(std::time::Duration::from_micros(if x < 2 {
                    2000
                } else {
                    10
                }));
                x * x + 1
            });
            let want: Vec<u64> = items.iter().map(|x| x * x + 1).collect();
            assert_eq!(got, want, "n = {n}");
        }
    }

    #[test]
    fn pipeline_keeps_order() {
        for (n, block) in [
            (0, 3),
            (1, 3),
            (10, 3),
            (10, 100),
            (1000, 7),
            (10_007, 1000),
        ] {
            let items: Vec<u64> = (0..n).collect();
            let mut got = Vec::new();
            super::pipeline(
                &items,
                block,
                |b| b.iter().map(|x| x * 3).collect::<Vec<_>>(),
                |r| got.extend(r),
            );
            let want: Vec<u64> = items.iter().map(|x| x * 3).collect();
            assert_eq!(got, want, "n = {n}, block = {block}");
        }
    }
}
