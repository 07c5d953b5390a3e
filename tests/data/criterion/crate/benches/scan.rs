// Benchmarks that make Criterion.rs 0.3.6 write every naming and sampling
// case criterion-scan must read (see tests/data/criterion/README.md).
// SPDX-License-Identifier: MIT
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{
    black_box, criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use scanfixture::{checksum, fib};
use std::time::{Duration, Instant};

fn quick() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_millis(300))
        .without_plots()
}

fn plain(c: &mut Criterion) {
    c.bench_function("fib 10", |b| b.iter(|| fib(black_box(10))));
}

// A parameterised group with throughput: full ids parse/json/64 and
// parse/json/1024, and thrpt: lines in the text.
fn parameterised(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for size in [64usize, 1024] {
        let data = vec![7u8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("json", size), &data, |b, d| {
            b.iter(|| checksum(black_box(d)))
        });
    }
    group.finish();
}

// Names the directory cannot hold: a slash inside a part, quotes, <>&,
// a name over 64 bytes (and one over 100, so the title is cut), two
// functions whose sanitised directory names collide, and two benchmarks
// with the same full id.
fn names(c: &mut Criterion) {
    let mut group = c.benchmark_group("weird/na\"me <a&b>");
    group.bench_function("x/y", |b| b.iter(|| fib(black_box(5))));
    group.bench_function("x?y", |b| b.iter(|| fib(black_box(6))));
    group.finish();

    let long = format!("{}_{}", "x".repeat(70), "y".repeat(40));
    c.bench_function(&long, |b| b.iter(|| fib(black_box(4))));
    let medium = format!("medium_{}", "m".repeat(70));
    c.bench_function(&medium, |b| b.iter(|| fib(black_box(3))));

    c.bench_function("dup", |b| b.iter(|| fib(black_box(2))));
    c.bench_function("dup", |b| b.iter(|| fib(black_box(8))));
}

// Flat sampling: estimates.json has "slope": null.
fn slow(c: &mut Criterion) {
    let mut group = c.benchmark_group("slow");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("sleep", |b| {
        b.iter(|| std::thread::sleep(Duration::from_micros(1500)))
    });
    group.finish();
}

// A custom measurement whose unit is "ticks" (1 tick = 10 ns of wall time),
// so estimates.json holds ticks and only raw.csv names the unit.
struct Ticks;
struct TicksFormatter;

impl ValueFormatter for TicksFormatter {
    fn scale_values(&self, _typical: f64, _values: &mut [f64]) -> &'static str {
        "ticks"
    }
    fn scale_throughputs(&self, _typical: f64, _t: &Throughput, _values: &mut [f64]) -> &'static str {
        "ticks"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ticks"
    }
}

impl Measurement for Ticks {
    type Intermediate = Instant;
    type Value = u64;
    fn start(&self) -> Instant {
        Instant::now()
    }
    fn end(&self, i: Instant) -> u64 {
        (i.elapsed().as_nanos() / 10) as u64
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &TicksFormatter
    }
}

fn custom(c: &mut Criterion<Ticks>) {
    c.bench_function("custom/ticks", |b| b.iter(|| fib(black_box(12))));
}

criterion_group! {
    name = benches;
    config = quick();
    targets = plain, parameterised, names, slow
}
criterion_group! {
    name = custom_benches;
    config = quick().with_measurement(Ticks);
    targets = custom
}
criterion_main!(benches, custom_benches);
