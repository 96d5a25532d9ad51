//! A small thread-safe memo table: the one cache shape behind parsed sources, example
//! file contents and highlighted code, with one policy for a poisoned lock (recover the
//! map: a panic elsewhere never makes the cache unusable).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

/// A map from keys to computed values, shared between threads.
#[derive(Debug)]
pub(crate) struct Memo<K, V> {
    map: Mutex<HashMap<K, V>>,
    /// Start over when this many entries are held (a long `serve` session keeps adding).
    limit: Option<usize>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            map: Mutex::new(HashMap::new()),
            limit: None,
        }
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// A memo that is cleared whenever it would grow past `limit` entries.
    pub(crate) fn bounded(limit: usize) -> Self {
        Memo {
            map: Mutex::new(HashMap::new()),
            limit: Some(limit),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, V>> {
        match self.map.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub(crate) fn get(&self, key: &K) -> Option<V> {
        self.lock().get(key).cloned()
    }

    pub(crate) fn insert(&self, key: K, value: V) {
        let mut m = self.lock();
        if self.limit.is_some_and(|l| m.len() >= l) {
            m.clear();
        }
        m.insert(key, value);
    }

    /// The value for `key`, computed by `f` (outside the lock) when missing.
    pub(crate) fn get_or_insert_with(&self, key: K, f: impl FnOnce() -> V) -> V {
        if let Some(v) = self.get(&key) {
            return v;
        }
        let v = f();
        self.insert(key, v.clone());
        v
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// Keep only the entries for which `keep` is true.
    pub(crate) fn retain(&self, mut keep: impl FnMut(&K) -> bool) {
        self.lock().retain(|k, _| keep(k));
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
        m.insert(2, 20);
        m.insert(3, 30);
        assert_eq!(m.get(&1), None, "cleared past the bound");
        assert_eq!(m.get(&3), Some(30));
        m.retain(|k| *k != 3);
        assert_eq!(m.get(&3), None);
    }
}
