//! The set of fingerprints already seen. A fingerprint is already well mixed,
//! so it is its own hash: one flat array of slots probed linearly, where a
//! look-up costs one cache line (a general hash set reads a control byte and
//! then the slot, two misses once the set outgrows the caches).

/// An open-addressing set of `u64`; 0 marks an empty slot, so the
/// fingerprint 0 is kept aside in a flag.
#[derive(Debug)]
pub(super) struct Seen {
    slots: Vec<u64>,
    /// Distinct fingerprints held, 0 included.
    len: usize,
    has_zero: bool,
}

/// The table starts at this many slots and doubles when three quarters are used.
const FIRST_CAPACITY: usize = 1 << 12;

impl Default for Seen {
    fn default() -> Self {
        Seen {
            slots: vec![0; FIRST_CAPACITY],
            len: 0,
            has_zero: false,
        }
    }
}

impl Seen {
    pub fn len(&self) -> usize {
        self.len
    }

    /// Adds `fp`; false if it was already there.
    #[inline]
    pub fn insert(&mut self, fp: u64) -> bool {
        if fp == 0 {
            let new = !self.has_zero;
            self.has_zero = true;
            self.len += usize::from(new);
            return new;
        }
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        if place(&mut self.slots, fp) {
            self.len += 1;
            true
        } else {
            false
        }
    }

    /// Asks the CPU to fetch `fp`'s slot now, so that an `insert` of it a
    /// little later does not wait for memory (the table outgrows the caches).
    #[inline]
    pub fn prefetch(&self, fp: u64) {
        let slot = &self.slots[fp as usize & (self.slots.len() - 1)];
        // SAFETY: a prefetch is a hint that reads nothing into the program
        // (never faults, whatever the address); `sse`, which it needs, is part
        // of every x86_64 target.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                (slot as *const u64).cast(),
            );
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    fn grow(&mut self) {
        let bigger = vec![0; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        for fp in old.into_iter().filter(|&fp| fp != 0) {
            place(&mut self.slots, fp);
        }
    }
}

/// Puts `fp` (not 0) in its slot or the next free one after it; false if it
/// is there already. `slots.len()` is a power of two and never full.
#[inline]
fn place(slots: &mut [u64], fp: u64) -> bool {
    let mask = slots.len() - 1;
    let mut i = fp as usize & mask;
    loop {
        match slots[i] {
            0 => {
                slots[i] = fp;
                return true;
            }
            s if s == fp => return false,
            _ => i = (i + 1) & mask,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_value_once_across_growth() {
        let mut seen = Seen::default();
        let mut state = 7;
        let values: Vec<u64> = (0..20_000)
            .map(|_| super::super::splitmix64(&mut state) >> 40)
            .chain([0, 0, 1, u64::MAX])
            .collect();
        let mut expected = std::collections::HashSet::new();
        for &v in &values {
            assert_eq!(seen.insert(v), expected.insert(v), "{v}");
        }
        assert_eq!(seen.len(), expected.len());
        for &v in &values {
            assert!(!seen.insert(v));
        }
    }
}
