// The sample's Criterion benchmarks: a plain bench, a parameterised group,
// a name holding characters Criterion changes in directory names, and one
// with a setup that Criterion does not time (iter_batched).
// SPDX-License-Identifier: MIT
use benchtrack_sample::{distinct_words, fib, join_numbers, push_one, squares};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use std::time::Duration;

fn benches(c: &mut Criterion) {
    c.bench_function("fib/20", |b| b.iter(|| fib(black_box(20))));

    let mut group = c.benchmark_group("squares");
    for n in [100u64, 10_000] {
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter(|| squares(black_box(n)))
        });
    }
    group.finish();

    c.bench_function("join_numbers", |b| b.iter(|| join_numbers(black_box(200))));

    let text = "the quick brown fox jumps over the lazy dog ".repeat(20);
    c.bench_function("words: \"distinct\" <set>", |b| {
        b.iter(|| distinct_words(black_box(&text)))
    });

    // The setup fills a vector to its capacity, outside the timed routine,
    // which pushes one more element (and drops nothing: Criterion drops the
    // output after the timing too).
    c.bench_function("push_full/1000", |b| {
        b.iter_batched(|| (0..1000u32).collect::<Vec<_>>(), push_one, BatchSize::SmallInput)
    });
}

fn config() -> Criterion {
    // Short measurements: the sample documents the tools, not the code.
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(900))
        .without_plots()
}

criterion_group! { name = sample; config = config(); targets = benches }
criterion_main!(sample);
