//! A fast hash for maps keyed by short strings that no attacker chooses the order of
//! (the words of a page): rustc's "Fx" multiply-rotate hash. The standard SipHash is
//! built to resist collision attacks and costs several times more per short key.

use std::hash::{BuildHasher, Hasher};

/// `HashMap<K, V, Fx>`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fx;

impl BuildHasher for Fx {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn works_as_a_map_hasher() {
        let mut m: HashMap<String, u32, Fx> = HashMap::default();
        for w in ["сборка", "сборки", "build", "a", ""] {
            *m.entry(w.to_string()).or_default() += 1;
        }
        *m.entry("build".into()).or_default() += 1;
        assert_eq!(m.len(), 5);
        assert_eq!(m["build"], 2);
    }
}
