//! `Few`: a tiny inline vector so a `World` is `Copy`, cheap to clone and hash.
//!
//! The checker clones and hashes millions of worlds; heap vectors would dominate
//! that cost. Unused slots are always reset to `T::default()`, but equality, hashing
//! and serialisation only look at the live prefix.

use serde::{Serialize, Serializer};
use std::hash::{Hash, Hasher};

/// An inline vector of at most `N` items (N <= 255).
#[derive(Clone, Copy)]
pub struct Few<T: Copy + Default, const N: usize> {
    len: u8,
    items: [T; N],
}

impl<T: Copy + Default, const N: usize> Default for Few<T, N> {
    fn default() -> Self {
        Few {
            len: 0,
            items: [T::default(); N],
        }
    }
}

impl<T: Copy + Default, const N: usize> Few<T, N> {
    /// Number of live items.
    pub fn len(&self) -> usize {
        self.len as usize
    }
    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// True when no further item fits.
    pub fn is_full(&self) -> bool {
        self.len() >= N
    }
    /// The live items.
    pub fn as_slice(&self) -> &[T] {
        &self.items[..self.len()]
    }
    /// The live items, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        let n = self.len();
        &mut self.items[..n]
    }
    /// Appends; returns false (and changes nothing) when full.
    pub fn push(&mut self, t: T) -> bool {
        if self.is_full() {
            return false;
        }
        self.items[self.len()] = t;
        self.len += 1;
        true
    }
    /// Appends, dropping the oldest item first when full (a retention window).
    pub fn push_evict(&mut self, t: T) {
        if self.is_full() {
            self.remove(0);
        }
        self.push(t);
    }
    /// Removes the item at `i` (keeping order); out of range does nothing.
    pub fn remove(&mut self, i: usize) {
        let n = self.len();
        if i >= n {
            return;
        }
        self.items.copy_within(i + 1..n, i);
        self.items[n - 1] = T::default();
        self.len -= 1;
    }
    /// Keeps only items matching `keep`.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let mut i = 0;
        while i < self.len() {
            if keep(&self.items[i]) {
                i += 1;
            } else {
                self.remove(i);
            }
        }
    }
    /// Iterates over the live items.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }
    /// Iterates mutably over the live items.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.as_mut_slice().iter_mut()
    }
    /// The newest item.
    pub fn last(&self) -> Option<&T> {
        self.as_slice().last()
    }
    /// The newest item, mutably.
    pub fn last_mut(&mut self) -> Option<&mut T> {
        self.as_mut_slice().last_mut()
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> PartialEq for Few<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl<T: Copy + Default + Eq, const N: usize> Eq for Few<T, N> {}

impl<T: Copy + Default + Hash, const N: usize> Hash for Few<T, N> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(self.len);
        for t in self.as_slice() {
            t.hash(state);
        }
    }
}

impl<T: Copy + Default + std::fmt::Debug, const N: usize> std::fmt::Debug for Few<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<T: Copy + Default + Serialize, const N: usize> Serialize for Few<T, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.as_slice())
    }
}

impl<'a, T: Copy + Default, const N: usize> IntoIterator for &'a Few<T, N> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
