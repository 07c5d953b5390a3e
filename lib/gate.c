/* gate.c: the statistics of the regression gate (see gate.h).
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "gate.h"

#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The reference needs at most this many points, and the noise this many
   neighbour differences: fixed buffers on the stack.  */
enum { GATE_MAX_SPAN = 256 };

void
gate_params_default(gate_params *p)
{
    p->z[0] = 8.0;
    p->z[1] = 6.0;
    p->z[2] = 2.5;
    p->z_suspect = 3.0;
    p->z_each = 1.5;
    p->min_shift = log(1.03);
    p->single_min = log(2.0);
    p->noise_quantile = 0.9;
    p->noise_floor = 0.01;
    p->noise_prior = 0.06;
    p->prior_weight = 8;
    p->window = 16;
    p->min_ref = 4;
    p->min_level = 3;
    p->noise_span = 32;
    p->min_series = 8;
    p->shared_share = 0.1;
    p->shared_min = log(1.05);
    p->min_family = 3;
    p->rank = 1;
    p->rank_margin = 0.5;
}

int
gate_shared(size_t nup, size_t ndown, size_t nseries, const gate_params *p)
{
    if (nseries < p->min_series)
        return 0;
    double bar = p->shared_share * (double)nseries;
    return (double)nup > bar ? 1 : (double)ndown > bar ? -1 : 0;
}

/* The K-th smallest of the N values of V (V is reordered): Hoare's
   selection, linear on average, where sorting would be n log n.  */
static double
select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

double
gate_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double upper = select_kth(v, n, n / 2);
    if (n % 2)
        return upper;
    /* The lower middle is the largest of the values left below.  */
    double lower = v[0];
    for (size_t i = 1; i < n / 2; i++)
        if (v[i] > lower)
            lower = v[i];
    return (lower + upper) / 2.0;
}

/* The median of the (up to four) neighbours of point I among the points
   before K: two on each side.  Sorted by insertion: four values at most,
   for every point, where a general selection costs more than it saves.  */
static double
neighbour_median(const double *x, size_t i, size_t k)
{
    double nb[4];
    size_t m = 0;
    for (size_t j = i >= 2 ? i - 2 : 0; j <= i + 2 && j < k; j++) {
        if (j == i)
            continue;
        size_t at = m++;
        for (; at > 0 && nb[at - 1] > x[j]; at--)
            nb[at] = nb[at - 1];
        nb[at] = x[j];
    }
    if (m == 0)
        return NAN;
    return m % 2 ? nb[m / 2] : (nb[m / 2 - 1] + nb[m / 2]) / 2.0;
}

/* The point of the standard normal distribution that |Z| stays below with
   probability Q (1.6449 for 0.9), by bisection: a handful of calls.  */
static double
normal_quantile(double q)
{
    double lo = 0, hi = 10;
    for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (erf(mid / sqrt(2.0)) < q)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* Whether the neighbours of point I (before K) straddle the start of a
   level that CUT marks: its distance is then the step, not the noise.  */
static bool
straddles(const unsigned char *cut, size_t i, size_t k)
{
    for (size_t b = i >= 1 ? i - 1 : 0; cut != NULL && b <= i + 2 && b < k; b++)
        if (b > 0 && cut[b])
            return true;
    return false;
}

/* gate_noise, with the distances of the points whose neighbours all lie
   before K taken from FULL when it is not NULL (they do not depend on K),
   and those of points beside a change that CUT marks left out.  SCALE is
   the normal quantile of P->noise_quantile.  */
static double
noise_at(const double *x, const double *full, const unsigned char *cut, size_t k, double scale,
         const gate_params *p)
{
    size_t span = p->noise_span < GATE_MAX_SPAN ? p->noise_span : GATE_MAX_SPAN;
    size_t a = k > span ? k - span : 0;
    if (k - a < 3)
        return NAN;
    double dev[GATE_MAX_SPAN];
    size_t m = 0;
    /* Neighbours rather than the whole window: a step inside the window
       then widens the spread of the two points beside it only, not of
       every point; and those are left out once the step is found.  */
    for (size_t i = a; i < k; i++)
        if (!straddles(cut, i, k))
            dev[m++] = full != NULL && i + 2 < k ? full[i] : fabs(x[i] - neighbour_median(x, i, k));
    if (m < 3)
        for (m = 0; m < k - a; m++)
            dev[m] = full != NULL && a + m + 2 < k ? full[a + m]
                                                   : fabs(x[a + m] - neighbour_median(x, a + m, k));
    /* A high quantile rather than the median: a series whose runs are
       often far off (two kinds of runner, say) gets the wider noise it
       has; for normal noise both say the same.  */
    double s = select_kth(dev, m, (size_t)(p->noise_quantile * (double)(m - 1))) / scale;
    double n = (double)m, w = p->prior_weight;
    s = sqrt((n * s * s + w * p->noise_prior * p->noise_prior) / (n + w));
    return s > p->noise_floor ? s : p->noise_floor;
}

double
gate_noise(const double *x, size_t k, const gate_params *p)
{
    return noise_at(x, NULL, NULL, k, normal_quantile(p->noise_quantile), p);
}

double
gate_reference(const double *x, size_t level, size_t k, const gate_params *p)
{
    size_t w = p->window < GATE_MAX_SPAN ? p->window : GATE_MAX_SPAN;
    size_t a = k > level + w ? k - w : level;
    double buf[GATE_MAX_SPAN];
    memcpy(buf, x + a, (k - a) * sizeof *buf);
    return gate_median(buf, k - a);
}

void
gate_deviations(const double *x, size_t n, const gate_params *p, double *dev)
{
    for (size_t i = 0; i < n; i++)
        dev[i] = i < p->min_ref ? NAN : x[i] - gate_reference(x, 0, i, p);
}

double
gate_run_effect(double *dev, size_t n, const gate_params *p)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(dev[i]))
            dev[m++] = dev[i];
    return m < p->min_series ? 0.0 : gate_median(dev, m);
}

/* How much wider than with a full reference the noise of the mean of M
   new points less the median of NREF reference points is: a median of n
   points has about pi/2 times the variance of a mean of n.  1 for a full
   window; 1.3 for three points against four.  */
static double
short_reference(size_t m, size_t nref, const gate_params *p)
{
    const double half_pi = 1.5707963267948966;
    double full = 1.0 / (double)m + half_pi / (double)p->window;
    return sqrt((1.0 / (double)m + half_pi / (double)nref) / full);
}

/* Whether points K..T (M of them) are a shift from BASE, the median of
   NREF points: +1 up, -1 down, 0 neither.  One point must lie beyond z_1
   noise and single_min.  Two or three must all lie on one side beyond
   z_each noise and min_shift, and their mean beyond z_M noise: a shift
   that lasts shows in every point, an outlier in one.  The bars of z_1 and
   z_M widen for a short reference.  */
static int
shift_holds(const double *x, size_t k, size_t t, double base, size_t nref, double noise, size_t m,
            const gate_params *p)
{
    double wide = nref < p->window ? short_reference(m, nref, p) : 1.0;
    double each = m == 1 ? p->z[0] * noise * wide : p->z_each * noise;
    double least = m == 1 ? p->single_min : p->min_shift;
    if (each < least)
        each = least;
    int dir = x[k] - base > each ? 1 : x[k] - base < -each ? -1 : 0;
    double sum = x[k] - base;
    for (size_t i = k + 1; dir != 0 && i <= t; i++) {
        if ((x[i] - base) * dir <= each)
            dir = 0;
        sum += x[i] - base;
    }
    if (m > 1 && sum / (double)m * dir <= p->z[m - 1] * noise * wide)
        dir = 0;
    if (dir != 0 && m > 1 && p->rank > 0 && nref >= p->rank) {
        /* Every new point beyond the RANK-th most extreme point of the
           reference: a runner kind that comes now and then leaves its
           mark there, and three runs of it in a row are not a change.  */
        double top[8];
        size_t r = p->rank < 8 ? p->rank : 8, have = 0;
        for (size_t i = k - nref; i < k; i++) {
            double v = x[i] * dir;
            size_t j = have < r ? have++ : r;
            if (j == r && v <= top[r - 1])
                continue;
            if (j == r)
                j = r - 1;
            while (j > 0 && top[j - 1] < v) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = v;
        }
        for (size_t i = k; dir != 0 && i <= t; i++)
            if (x[i] * dir <= top[have - 1] + p->rank_margin * noise)
                dir = 0;
    }
    return dir;
}

/* The references of one replay: the reference before point K is asked
   for by the candidates of three points and by the quiet verdict, and it
   changes only with the level.  */
typedef struct ref_cache {
    double *ref;
    size_t *level; /* the level REF[k] was taken in, + 1 (0: none) */
} ref_cache;

static double
cached_reference(ref_cache *c, const double *x, size_t level, size_t k, const gate_params *p)
{
    if (c->level[k] != level + 1) {
        c->ref[k] = gate_reference(x, level, k, p);
        c->level[k] = level + 1;
    }
    return c->ref[k];
}

/* Point T when no change holds: ok, suspect, or too few points.  */
static void
judge_quiet(const double *x, size_t t, size_t level, const double *noise, ref_cache *c,
            const gate_params *p, gate_result *r)
{
    r->verdict = GATE_TOO_FEW;
    if (t > level)
        r->base = cached_reference(c, x, level, t, p);
    r->noise = noise[t];
    if (t < level + (level == 0 ? p->min_ref : p->min_level))
        return;
    double d = fabs(x[t] - r->base);
    double bar = p->z_suspect * r->noise;
    r->verdict = d > bar && d > p->min_shift ? GATE_SUSPECT : GATE_OK;
}

void
gate_replay(const double *x, size_t n, bool single_last, const signed char *shared,
            const gate_params *p, gate_result *out)
{
    double *noise = xreallocarray(NULL, n ? 3 * n : 1, sizeof *noise);
    double *full = noise + n;
    for (size_t i = 0; i < n; i++)
        full[i] = fabs(x[i] - neighbour_median(x, i, n));
    double scale = normal_quantile(p->noise_quantile);
    unsigned char *cut = xcalloc(n ? n : 1, 1); /* the starts of the levels found */
    ref_cache cache = {.ref = noise + 2 * n, .level = xcalloc(n ? n : 1, sizeof *cache.level)};
    size_t level = 0; /* the first point of the current level */
    int last_dir = 0;
    size_t since_last = 0;
    double last_shift = 0;
    for (size_t t = 0; t < n; t++) {
        gate_result *r = &out[t];
        *r = (gate_result){.base = NAN, .noise = NAN, .shift = NAN};
        /* Point T's noise, from the levels found before it.  */
        noise[t] = noise_at(x, full, cut, t, scale, p);
        size_t max_m = single_last && t == n - 1 ? 1 : 3;
        /* The earliest start that holds: three points before two, two
           before one, so a change is dated where it began.  */
        for (size_t m = max_m; m >= 1 && r->verdict == GATE_OK; m--) {
            if (m > t + 1 || t + 1 - m < level + (level == 0 ? p->min_ref : p->min_level))
                continue;
            size_t k = t + 1 - m;
            double base = cached_reference(&cache, x, level, k, p);
            size_t nref = k - level < p->window ? k - level : p->window;
            int dir = shift_holds(x, k, t, base, nref, noise[k], m, p);
            if (dir == 0 || (m == 2 && shared != NULL && shared[t] == dir))
                continue;
            double newer[3];
            memcpy(newer, x + k, m * sizeof *newer);
            *r = (gate_result){.verdict = dir > 0 ? GATE_REGRESSED : GATE_IMPROVED,
                               .since = k,
                               .points = m,
                               .base = base,
                               .noise = noise[k],
                               .shift = gate_median(newer, m)};
            r->shift -= base;
            level = k;
            cut[k] = 1;
            last_dir = dir;
            since_last = k;
            last_shift = r->shift;
        }
        if (r->verdict == GATE_OK)
            judge_quiet(x, t, level, noise, &cache, p, r);
        r->last_dir = last_dir;
        r->since_last = since_last;
        r->last_shift = last_shift;
    }
    free(cache.level);
    free(cut);
    free(noise);
}

static bool
is_change(const gate_result *r)
{
    return r->verdict == GATE_REGRESSED || r->verdict == GATE_IMPROVED;
}

/* A change reported by gate_merge: where it started, and which way.  */
typedef struct reported_change {
    size_t since;
    int dir;
} reported_change;

/* Whether a change of DIR starting at SINCE is one of the N in REP, from
   BACK points before it to two points after.  */
static bool
reported(const reported_change *rep, size_t n, size_t since, int dir, size_t back)
{
    for (size_t j = 0; j < n; j++)
        if (rep[j].dir == dir && since + 2 >= rep[j].since && rep[j].since + back >= since)
            return true;
    return false;
}

void
gate_merge(gate_result *a, const gate_result *b, size_t n, size_t echo, bool *from_b)
{
    reported_change *rep = NULL;
    size_t nrep = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        from_b[i] = false;
        const gate_result *pick = NULL;
        for (int k = 0; k < 2 && pick == NULL; k++) {
            const gate_result *c = k == 0 ? &a[i] : b != NULL ? &b[i] : NULL;
            if (c != NULL && is_change(c) &&
                !reported(rep, nrep, c->since, c->verdict == GATE_REGRESSED ? 1 : -1,
                          k == 0 ? 2 : echo))
                pick = c;
        }
        if (pick != NULL) {
            if (nrep == cap)
                rep = xreallocarray(rep, cap = cap ? 2 * cap : 8, sizeof *rep);
            rep[nrep++] = (reported_change){pick->since, pick->verdict == GATE_REGRESSED ? 1 : -1};
            if (pick != &a[i]) {
                a[i] = *pick;
                from_b[i] = true;
            }
            continue;
        }
        if (is_change(&a[i])) { /* found again by the other judgement */
            a[i].last_dir = a[i].verdict == GATE_REGRESSED ? 1 : -1;
            a[i].since_last = a[i].since;
            a[i].last_shift = a[i].shift;
            a[i].verdict = GATE_OK;
        } else if (b != NULL && a[i].verdict == GATE_OK && b[i].verdict == GATE_SUSPECT) {
            a[i] = b[i];
            from_b[i] = true;
        }
    }
    free(rep);
}

gate_verdict
gate_exact(double prev, double cur, double up_pct, double down_pct)
{
    if (cur > prev * (1.0 + up_pct / 100.0))
        return GATE_REGRESSED;
    if (cur < prev * (1.0 - down_pct / 100.0))
        return GATE_IMPROVED;
    return GATE_OK;
}
