//! Reaching dhat-preload.so's in-process API from Rust without linking to it.
//!
//! The library is LD_PRELOADed (by `dhat-run`), so its symbols are in the
//! global scope: `dlsym(RTLD_DEFAULT, …)` finds them, and finds nothing when
//! the benchmark runs without it, in which case every call here does nothing.

use std::ffi::CString;
use std::os::raw::{c_char, c_int};

/// The counters of `struct dhat_preload_stats` (dhat-preload.h), laid out
/// as in C.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapStats {
    pub total_blocks: u64,
    pub total_bytes: u64,
    pub curr_blocks: u64,
    pub curr_bytes: u64,
    pub max_blocks: u64,
    pub max_bytes: u64,
}

type GetFn = unsafe extern "C" fn(*mut HeapStats, usize) -> c_int;
type ResetFn = unsafe extern "C" fn();
type SnapFn = unsafe extern "C" fn(*const c_char) -> c_int;

/// NAME must end in a NUL byte.  No allocation here: stats() runs inside
/// the measured region.
fn lookup(name: &[u8]) -> *mut libc::c_void {
    debug_assert_eq!(name.last(), Some(&0));
    // SAFETY: dlsym with a NUL-terminated name; a null result is handled.
    unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr() as *const c_char) }
}

/// Current totals, or None when dhat-preload.so is not loaded.
pub fn stats() -> Option<HeapStats> {
    let f = lookup(b"dhat_preload_api_get_stats\0");
    if f.is_null() {
        return None;
    }
    let mut s = HeapStats::default();
    // SAFETY: the symbol has this C signature (dhat-preload.h).
    let get: GetFn = unsafe { std::mem::transmute(f) };
    if unsafe { get(&mut s, std::mem::size_of::<HeapStats>()) } != 0 {
        return None;
    }
    Some(s)
}

/// Starts the totals (and the maximum) afresh.
pub fn reset() {
    let f = lookup(b"dhat_preload_api_reset\0");
    if !f.is_null() {
        let r: ResetFn = unsafe { std::mem::transmute(f) };
        unsafe { r() }
    }
}

/// Writes a labelled DHAT file now; false when not loaded or on error.
pub fn snapshot(label: &str) -> bool {
    let f = lookup(b"dhat_preload_api_write_snapshot\0");
    if f.is_null() {
        return false;
    }
    let c = CString::new(label).unwrap();
    let w: SnapFn = unsafe { std::mem::transmute(f) };
    unsafe { w(c.as_ptr()) == 0 }
}
