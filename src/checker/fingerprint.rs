//! 64-bit fingerprints of abstract states. The visited set needs speed and the
//! same value on every run and platform, not resistance to chosen inputs, so
//! std's `RandomState` (seeded per process) is the wrong tool.
//!
//! The hasher sees the writes of a `Hash` impl as one byte stream and mixes it
//! sixteen bytes at a time (one 64×64→128-bit multiplication per block, in the
//! style of wyhash): a derived `Hash` writes field by field, and mixing every
//! small write on its own would put one multiplication per field on a single
//! dependency chain. Blocks go round four lanes (block k into lane k mod 4),
//! so four multiplications are in flight at once, not one after the other. A
//! model whose states are big gets the most from a `Hash` that hands over a
//! whole state in one `write` (as `sim::World` does).

use std::hash::{Hash, Hasher};

/// Odd constants from the golden ratio and wyhash; any well-mixed odd values do.
/// Each lane starts from its own seed, so blocks cannot trade lanes unnoticed.
const SEEDS: [u64; 4] = [
    0x9e37_79b9_7f4a_7c15,
    0xbf58_476d_1ce4_e5b9,
    0x94d0_49bb_1331_11eb,
    0x8ebc_6af0_9c88_c6e3,
];
const MUL: u64 = 0xa076_1d64_78bd_642f;
const FIN: u64 = 0xe703_7ed1_a0b4_28db;

/// The high and low halves of a 128-bit product, folded: every input bit
/// reaches every output bit in one multiplication.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// One block into one lane's accumulator.
#[inline]
fn mix(acc: u64, block: u128) -> u64 {
    fold_mul(block as u64 ^ acc, (block >> 64) as u64 ^ MUL)
}

/// A deterministic streaming hasher over the byte stream of the writes: each
/// write is encoded in a fixed number of bytes for its kind (integers
/// little-endian, `usize` as 8 bytes on every platform), so equal write
/// sequences give equal streams, and two values of one type whose `Hash`
/// first differs at some write differ in the stream there.
#[derive(Clone, Copy, Debug)]
pub struct Fingerprinter {
    /// The mixed blocks so far, one accumulator per lane.
    acc: [u64; 4],
    /// How many blocks were mixed: the next one goes to lane `blocks % 4`.
    blocks: u64,
    /// Bytes not yet mixed, first byte lowest.
    buf: u128,
    /// How many bytes `buf` holds (always below 16 between writes).
    len: u32,
}

impl Default for Fingerprinter {
    fn default() -> Self {
        Fingerprinter {
            acc: SEEDS,
            blocks: 0,
            buf: 0,
            len: 0,
        }
    }
}

impl Fingerprinter {
    /// Mixes one 16-byte block. (A block whose high word equals `MUL` would
    /// cancel what came before: a one in 2^64 pattern, as in wyhash.)
    #[inline]
    fn eat(&mut self, block: u128) {
        let lane = &mut self.acc[self.blocks as usize % 4];
        *lane = mix(*lane, block);
        self.blocks += 1;
    }

    /// Appends the low `n` bytes of `v` (1 ≤ n ≤ 8; the bytes above are zero).
    #[inline]
    fn put(&mut self, v: u64, n: u32) {
        let block = self.buf | (u128::from(v) << (8 * self.len));
        let len = self.len + n;
        if len < 16 {
            self.buf = block;
            self.len = len;
        } else {
            self.eat(block);
            // The bytes of `v` past the block's end (none if it ended exactly).
            let fitted = 16 - self.len;
            self.buf = if fitted >= 8 {
                0
            } else {
                u128::from(v >> (8 * fitted))
            };
            self.len = len - 16;
        }
    }
}

impl Hasher for Fingerprinter {
    /// Inlined where it is called, so that a caller's fixed length unrolls
    /// the block loops.
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        if self.len == 0 {
            // Aligned on a block: whole blocks straight from the input, four
            // at a time (one per lane) once the next block is lane 0's.
            let block = |b: &[u8]| u128::from_le_bytes(b.try_into().unwrap_or_default());
            while !self.blocks.is_multiple_of(4) && rest.len() >= 16 {
                self.eat(block(&rest[..16]));
                rest = &rest[16..];
            }
            let mut quads = rest.chunks_exact(64);
            for q in &mut quads {
                let [a, b, c, d] = &mut self.acc;
                *a = mix(*a, block(&q[..16]));
                *b = mix(*b, block(&q[16..32]));
                *c = mix(*c, block(&q[32..48]));
                *d = mix(*d, block(&q[48..]));
                self.blocks += 4;
            }
            rest = quads.remainder();
            while rest.len() >= 16 {
                self.eat(block(&rest[..16]));
                rest = &rest[16..];
            }
        }
        let mut words = rest.chunks_exact(8);
        for w in &mut words {
            self.put(u64::from_le_bytes(w.try_into().unwrap_or_default()), 8);
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let mut last = [0u8; 8];
            last[..tail.len()].copy_from_slice(tail);
            self.put(u64::from_le_bytes(last), tail.len() as u32);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.put(u64::from(i), 1);
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.put(u64::from(i), 2);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.put(u64::from(i), 4);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.put(i, 8);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.put(i as u64, 8);
    }
    /// Enum discriminants arrive here: one byte for 0..=254 (every enum of a
    /// state), else a 0xFF marker and the eight bytes.
    #[inline]
    fn write_isize(&mut self, i: isize) {
        if (0..0xFF).contains(&i) {
            self.put(i as u64, 1);
        } else {
            self.put(0xFF, 1);
            self.put(i as u64, 8);
        }
    }
    #[inline]
    fn finish(&self) -> u64 {
        // The pending bytes and their count (in the top byte, which pending
        // bytes never reach): "ab" and "ab\0" end differently.
        // The lanes are folded with the block count, so streams of different
        // lengths whose lanes happen to agree still end differently.
        let last = self.buf | (u128::from(self.len) << 120);
        let [a, b, c, d] = self.acc;
        let x = mix(a, last) ^ mix(b, u128::from(self.blocks));
        let y = mix(c ^ x, u128::from(d));
        fold_mul(y, FIN) ^ y
    }
}

/// The 64-bit fingerprint of any hashable value: equal values, equal
/// fingerprints, on every run and every platform (given the same `Hash` impl).
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = Fingerprinter::default();
    value.hash(&mut h);
    h.finish()
}

/// splitmix64: a small deterministic generator from a seed (the review
/// queue's practice order uses it; no randomness enters the pure modules).
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
