//! 64-bit fingerprints of abstract states. The visited set needs speed and the
//! same value on every run and platform, not resistance to chosen inputs, so
//! std's `RandomState` (seeded per process) is the wrong tool.

use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Odd constants from the golden ratio and wyhash; any well-mixed odd values do.
const SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const MUL: u64 = 0xa076_1d64_78bd_642f;
const FIN: u64 = 0xe703_7ed1_a0b4_28db;

/// The high and low halves of a 128-bit product, folded: every input bit
/// reaches every output bit in one multiplication.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A deterministic streaming hasher (a fold-multiply in the style of wyhash).
#[derive(Clone, Copy, Debug)]
pub struct Fingerprinter(u64);

impl Default for Fingerprinter {
    fn default() -> Self {
        Fingerprinter(SEED)
    }
}

impl Fingerprinter {
    #[inline]
    fn eat(&mut self, word: u64) {
        self.0 = fold_mul(self.0 ^ word, MUL);
    }
}

impl Hasher for Fingerprinter {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.eat(u64::from_le_bytes(w.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length keeps "ab" + "" apart from "a" + "b" zero-padded alike.
            self.eat(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.eat(u64::from(i));
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.eat(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.eat(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.eat(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.eat(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        fold_mul(self.0, FIN) ^ self.0
    }
}

/// The 64-bit fingerprint of any hashable value: equal values, equal
/// fingerprints, on every run and every platform (given the same `Hash` impl).
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = Fingerprinter::default();
    value.hash(&mut h);
    h.finish()
}

/// Hasher for a set of fingerprints: they are already mixed, so use them as is.
#[derive(Default, Clone, Copy)]
pub(super) struct Identity(u64);

impl Hasher for Identity {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used for fingerprints; this keeps other input sound.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type SeenBuild = BuildHasherDefault<Identity>;

/// splitmix64: a small deterministic generator from a seed (the review
/// queue's practice order uses it; no randomness enters the pure modules).
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
