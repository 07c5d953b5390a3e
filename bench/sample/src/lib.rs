//! Code under test for benchtrack's sample benchmarks.  The features
//! `rev2`, `rev3` and `rev4` are the later revisions of the sample's
//! history: rev2 sizes a vector once (fewer allocations, faster), rev3
//! adds a wasteful copy to join_numbers (a regression), rev4 takes it out
//! again.
// SPDX-License-Identifier: MIT

/// The squares of 0..n, collected into a vector.
pub fn squares(n: u64) -> Vec<u64> {
    if cfg!(feature = "rev2") {
        // Revision 2 sizes the vector once.
        let mut v = Vec::with_capacity(n as usize);
        v.extend((0..n).map(|i| i * i));
        v
    } else {
        // Revision 1 grows it from empty (about log2(n) reallocations).
        let mut v = Vec::new();
        for i in 0..n {
            v.push(i * i);
        }
        v
    }
}

/// A comma-separated list of the numbers 0..n.
pub fn join_numbers(n: u32) -> String {
    let parts: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    if cfg!(feature = "rev3") {
        // Revision 3 formats each number twice (a deliberate regression).
        let again: Vec<String> = parts.iter().map(|p| format!("{p}")).collect();
        again.join(",")
    } else {
        parts.join(",")
    }
}

/// Counts the distinct words of a text with a hash set.
pub fn distinct_words(text: &str) -> usize {
    let mut seen = std::collections::HashSet::new();
    for w in text.split_whitespace() {
        seen.insert(w.to_owned());
    }
    seen.len()
}

/// Appends one element to a full vector: it moves to a block of twice the
/// capacity (one reallocation).
pub fn push_one(mut v: Vec<u32>) -> Vec<u32> {
    v.push(0);
    v
}

/// Fibonacci, recursively: no allocation at all.
pub fn fib(n: u32) -> u64 {
    if n < 2 {
        n as u64
    } else {
        fib(n - 1) + fib(n - 2)
    }
}
