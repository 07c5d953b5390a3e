/* gate.h: the statistics of the regression gate (bench-gate), as pure
   functions on arrays of doubles.

   A time series is judged on the logarithm of its values, so that a shift
   is a ratio and the noise a relative spread.  Its noise is a robust
   spread of the points around the median of their neighbours (a runner's
   own interval is within-run noise and far too narrow).  A change is a
   lasting shift of the level: the newest M points (M = 1, 2, 3) all beyond
   the reference level of the points before them by more than z_M times
   the noise and more than a minimum magnitude.  Found changes start a new
   level, so the reference never spans a step and each change is found
   once, at the point where it started.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_GATE_H
#define BENCHTRACK_GATE_H

#include <stdbool.h>
#include <stddef.h>

/* The constants of the rule (bench-gate(1) says why each is what it is).
   Magnitudes are natural logarithms of ratios.  */
typedef struct gate_params {
    double z[3];           /* z_M: a shift confirmed by M = 1, 2, 3 points */
    double z_suspect;      /* a single newest point beyond this is suspect */
    double z_each;         /* every point of a shift of 2 or 3 points beyond this */
    double min_shift;      /* minimum magnitude of a shift (--threshold) */
    double single_min;     /* minimum magnitude of a one-point shift (--pr-threshold) */
    double noise_quantile; /* the quantile of the distances that makes the noise */
    double noise_floor;    /* the noise is never taken as less than this */
    double noise_prior;    /* the noise of a series with no history */
    double prior_weight;   /* ...counted as this many points */
    size_t window;         /* W: points of the level in the reference */
    size_t min_ref;        /* fewer points than this in a series: no verdict */
    size_t min_level;      /* fewer points than this in a level after a change: none */
    size_t noise_span;     /* points before a candidate whose spread is the noise */
    size_t min_series;     /* fewer series than this in a run: no run effect */
    double shared_share;   /* this share of the series moving together is the runner */
    double shared_min;     /* ...moving by more than this (log) */
    size_t min_family;     /* fewer other members than this: no family effect */
    size_t rank;           /* new points beyond the RANK-th extreme of the reference (0: off) */
    double rank_margin;    /* ...by this many noise */
} gate_params;

void gate_params_default(gate_params *p);

/* The median of the N values of V (reordered); NaN when N is 0.  */
double gate_median(double *v, size_t n);

/* The noise before point K of X: the P->noise_quantile quantile of the
   distances between each of the P->noise_span points before K and the
   median of its neighbours (two on each side, among the points before K),
   scaled to a standard deviation for normal noise,
   pooled with P->noise_prior as if it came from P->prior_weight points
   (a short history says little about its spread), at least
   P->noise_floor.  NaN with fewer than 3 points.  */
double gate_noise(const double *x, size_t k, const gate_params *p);

/* The run effect.  A shared runner is not one machine: one run can be
   slower or faster than the last on every bench at once.  DEV[i] is how
   far point I of X lies from the median of the P->window points before it
   (NaN for the first P->min_ref points); the median of the deviations of
   one run over all its series is that run's effect, which is taken out of
   every series before they are judged.  */
void gate_deviations(const double *x, size_t n, const gate_params *p, double *dev);

/* The reference level of X before point K: the median of the newest
   P->window points of the level that starts at LEVEL.  */
double gate_reference(const double *x, size_t level, size_t k, const gate_params *p);

/* The effect of a run from the deviations DEV of its N series (NaN ones
   left out; DEV is reordered): their median, or 0 with fewer than
   P->min_series of them.  */
double gate_run_effect(double *dev, size_t n, const gate_params *p);

typedef enum gate_verdict {
    GATE_OK,
    GATE_TOO_FEW, /* the level has fewer than min_ref (min_level) points: no verdict */
    GATE_SUSPECT, /* the newest point alone is beyond z_suspect: shown, never failing */
    GATE_REGRESSED /* a new change, up (values grew) */,
    GATE_IMPROVED /* a new change, down */
} gate_verdict;

/* The judgement of one point, as of that point.  */
typedef struct gate_result {
    gate_verdict verdict;
    size_t since;  /* REGRESSED/IMPROVED: the first point of the change */
    size_t points; /* ...and how many points confirm it (1 to 3) */
    double base;   /* the reference level (log), NaN when too few */
    double noise;  /* the noise (log), NaN when too few */
    double shift;  /* REGRESSED/IMPROVED: the median of the new points minus base */
    /* The last change found before this point, whose level this point is
       in: since_last is its first point, last_dir +1 up, -1 down, 0 none.  */
    int last_dir;
    size_t since_last;
    double last_shift;
} gate_result;

/* Whether the run of one point and the run before it moved many series
   the same way: NUP of NSERIES series went up by more than
   P->shared_min on both, NDOWN down.  +1 (up), -1 (down) or 0.  A kind of
   runner that slows a subset of the benches does that; a change of the
   code seldom does, and when it does, it lasts, so a third point tells.  */
int gate_shared(size_t nup, size_t ndown, size_t nseries, const gate_params *p);

/* Judges every point of the N log values X as of itself, replaying the
   segmentation from the start: OUT[t] depends on X[0..t] (and SHARED[0..t])
   only.  When SINGLE_LAST, the last point is one run compared with the
   history before it (a pull request): only a one-point change is possible
   there.  SHARED (or NULL) gives gate_shared for each point: a change of
   two points in that direction is then not enough.  Cost
   O(N * (window + noise_span)).  */
void gate_replay(const double *x, size_t n, bool single_last, const signed char *shared,
                 const gate_params *p, gate_result *out);

/* Merges two judgements of the same N points: A, of the series itself,
   and B, of the series against its family (or NULL).  A change is
   reported once: one that either found and that was not reported, by
   either, within two points of its start is kept (A's first); B's change
   is not kept either when one the same way started up to ECHO points
   before it (B compares the series with the others' offsets of before
   that change, and so sees it again); a change reported already becomes
   OK; a point that is only suspect in B is suspect.  The result is
   written to A; FROM_B[i] says the kept judgement of point I is B's.
   Point I depends on points 0..I only.  */
void gate_merge(gate_result *a, const gate_result *b, size_t n, size_t echo, bool *from_b);

/* An exactly repeatable count (allocations, instructions): PREV to CUR.
   Growth by more than UP_PCT percent is a regression, a fall by more than
   DOWN_PCT percent an improvement (0: any change).  */
gate_verdict gate_exact(double prev, double cur, double up_pct, double down_pct);

#endif
