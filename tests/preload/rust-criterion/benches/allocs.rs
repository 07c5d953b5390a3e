//! A Criterion benchmark that also reports allocations per iteration,
//! read from dhat-preload.so through dlsym (see src/lib.rs).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use dhat_preload_example::{reset, snapshot, stats};

fn build(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("item-{}", i)).collect()
}

fn bench(c: &mut Criterion) {
    // Measure exactly one call, outside Criterion's own bookkeeping.
    reset();
    black_box(build(100));
    match stats() {
        // 100 strings and the vector that holds them.
        Some(s) => {
            println!("dhat-preload: build(100) allocated {} blocks", s.total_blocks);
            assert_eq!(s.total_blocks, 101, "{:?}", s);
            assert!(snapshot("build100"));
        }
        None => println!("dhat-preload: not loaded"),
    }
    c.bench_function("build_100", |b| b.iter(|| build(black_box(100))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
