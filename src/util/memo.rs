//! A small thread-safe memo table: the one cache shape behind parsed sources, example
//! file contents and highlighted code, with one policy for a poisoned lock (recover the
//! map: a panic elsewhere never makes the cache unusable). A value is computed once even
//! when several threads ask for it at the same time: the others wait for it (the en and
//! ru pages of a chapter, rendered side by side, show the same code).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

type Cell<V> = Arc<OnceLock<V>>;

/// A map from keys to computed values, shared between threads.
#[derive(Debug)]
pub(crate) struct Memo<K, V> {
    maps: Mutex<Generations<K, V>>,
    /// With a bound, the recent entries are kept: at most about `2 x limit`.
    limit: Option<usize>,
}

/// The entries in two generations: when `new` is full it becomes `old`, and the old
/// `old` is dropped; an entry used from `old` moves back to `new`. So the memo keeps what
/// was used recently, without bookkeeping per entry.
#[derive(Debug)]
struct Generations<K, V> {
    new: HashMap<K, Cell<V>>,
    old: HashMap<K, Cell<V>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            maps: Mutex::new(Generations {
                new: HashMap::new(),
                old: HashMap::new(),
            }),
            limit: None,
        }
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// A memo that keeps about the `limit` to `2 x limit` most recently used entries.
    pub(crate) fn bounded(limit: usize) -> Self {
        Memo {
            limit: Some(limit),
            ..Memo::default()
        }
    }

    fn lock(&self) -> MutexGuard<'_, Generations<K, V>> {
        match self.maps.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    #[cfg(test)]
    fn get(&self, key: &K) -> Option<V> {
        let g = self.lock();
        g.new.get(key).or_else(|| g.old.get(key))?.get().cloned()
    }

    /// The value for `key`, computed by `f` (outside the map's lock) when missing; a
    /// thread asking while another computes it waits for that value.
    pub(crate) fn get_or_insert_with(&self, key: K, f: impl FnOnce() -> V) -> V {
        let cell = {
            let mut g = self.lock();
            match g.new.get(&key) {
                Some(c) => c.clone(),
                None => {
                    let c = g.old.remove(&key).unwrap_or_default();
                    if self.limit.is_some_and(|l| g.new.len() >= l) {
                        g.old = std::mem::take(&mut g.new);
                    }
                    g.new.insert(key, c.clone());
                    c
                }
            }
        };
        cell.get_or_init(f).clone()
    }

    pub(crate) fn clear(&self) {
        let mut g = self.lock();
        g.new.clear();
        g.old.clear();
    }

    /// Keep only the entries for which `keep` is true.
    pub(crate) fn retain(&self, mut keep: impl FnMut(&K) -> bool) {
        let mut g = self.lock();
        g.new.retain(|k, _| keep(k));
        g.old.retain(|k, _| keep(k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_once_and_bounds() {
        let m: Memo<u32, u32> = Memo::bounded(2);
        let mut calls = 0;
        assert_eq!(
            m.get_or_insert_with(1, || {
                calls += 1;
                10
            }),
            10
        );
        assert_eq!(
            m.get_or_insert_with(1, || {
                calls += 1;
                11
            }),
            10
        );
        assert_eq!(calls, 1);
        // Bound 2: 1 and 2 fill the new generation; 3 moves them to the old one; 1 is
        // used again (back to new); 4 and 5 push 2 and 3 out.
        m.get_or_insert_with(2, || 20);
        m.get_or_insert_with(3, || 30);
        m.get_or_insert_with(1, || 99);
        assert_eq!(m.get(&1), Some(10), "kept while in use");
        m.get_or_insert_with(4, || 40);
        m.get_or_insert_with(5, || 50);
        assert_eq!(m.get(&2), None, "the least recently used are dropped");
        assert_eq!(m.get(&5), Some(50));
        m.retain(|k| *k != 5);
        assert_eq!(m.get(&5), None);
    }

    #[test]
    fn threads_asking_at_once_compute_once() {
        let m: Memo<u32, u32> = Memo::default();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    m.get_or_insert_with(7, || {
                        calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        70
                    })
                });
            }
        });
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(m.get(&7), Some(70));
    }
}
