/* check_gate.c: unit tests of lib/gate, the statistics of bench-gate: a
   single outlier is suspect, a step is found once at its start, a drift,
   short series, exact counts, the noise and the run effect, a runner's
   excursion seen before, and two judgements merged into one report.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "gate.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

enum { MAXN = 64 };

/* A series of N log values around 0 with a deterministic wobble of about
   +-2 %, the quiet noise of a good runner.  */
static void
quiet(double *x, size_t n)
{
    static const double wobble[] = {0.01, -0.02, 0.0, 0.015, -0.01, 0.02, -0.015, 0.005};
    for (size_t i = 0; i < n; i++)
        x[i] = wobble[i % 8];
}

static void
replay(const double *x, size_t n, bool single_last, gate_result *out)
{
    gate_params p;
    gate_params_default(&p);
    gate_replay(x, n, single_last, NULL, &p, out);
}

/* How many points of OUT have verdict V.  */
static size_t
count(const gate_result *out, size_t n, gate_verdict v)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += out[i].verdict == v;
    return c;
}

START_TEST(test_median_noise)
{
    double v[] = {5, 1, 4, 2, 3};
    ck_assert_double_eq(gate_median(v, 5), 3);
    double w[] = {4, 1, 3, 2};
    ck_assert_double_eq(gate_median(w, 4), 2.5);
    ck_assert(isnan(gate_median(w, 0)));

    gate_params p;
    gate_params_default(&p);
    double x[MAXN];
    quiet(x, 40);
    double s = gate_noise(x, 40, &p);
    ck_assert(s > 0.01 && s < 0.04);
    /* One wild point among them moves a median-based spread but little.  */
    x[30] = 1.0;
    ck_assert(gate_noise(x, 40, &p) < 1.5 * s);
    /* A constant series has the noise of its prior, as if from
       prior_weight more points, never 0; without a prior, the floor.  */
    for (size_t i = 0; i < 40; i++)
        x[i] = 2.0;
    double span = (double)p.noise_span, pw = p.prior_weight;
    ck_assert_double_eq_tol(gate_noise(x, 40, &p), sqrt(pw / (span + pw)) * p.noise_prior, 1e-12);
    p.noise_prior = 0;
    ck_assert_double_eq(gate_noise(x, 40, &p), p.noise_floor);
    /* A short history borrows more of the prior.  */
    p.noise_prior = 0.04;
    quiet(x, 40);
    ck_assert(gate_noise(x, 6, &p) > gate_noise(x, 40, &p));
    ck_assert(isnan(gate_noise(x, 2, &p)));
}
END_TEST

START_TEST(test_single_outlier_is_suspect)
{
    double x[MAXN];
    gate_result out[MAXN];
    quiet(x, 30);
    x[20] = log(1.3); /* +30 % once, then back */
    replay(x, 30, false, out);
    ck_assert_int_eq(out[20].verdict, GATE_SUSPECT);
    ck_assert_int_eq(count(out, 30, GATE_REGRESSED), 0);
    ck_assert_int_eq(count(out, 30, GATE_IMPROVED), 0);
    /* Newest point: the same.  */
    replay(x, 21, false, out);
    ck_assert_int_eq(out[20].verdict, GATE_SUSPECT);
}
END_TEST

START_TEST(test_step_reported_once_at_start)
{
    double x[MAXN];
    gate_result out[MAXN];
    quiet(x, 40);
    for (size_t i = 20; i < 40; i++)
        x[i] += log(1.3);
    replay(x, 40, false, out);
    ck_assert_int_eq(count(out, 40, GATE_REGRESSED), 1);
    ck_assert_int_eq(count(out, 40, GATE_IMPROVED), 0);
    size_t at = 0;
    while (out[at].verdict != GATE_REGRESSED)
        at++;
    /* Confirmed by the next point or two, dated at the step.  */
    ck_assert(at == 21 || at == 22);
    ck_assert_uint_eq(out[at].since, 20);
    ck_assert(fabs(out[at].shift - log(1.3)) < 0.03);
    /* Later points see it as the past, on the new level.  */
    for (size_t i = at + 1; i < 40; i++) {
        ck_assert(out[i].verdict == GATE_OK || out[i].verdict == GATE_TOO_FEW);
        ck_assert_int_eq(out[i].last_dir, 1);
        ck_assert_uint_eq(out[i].since_last, 20);
    }
    ck_assert(fabs(out[39].base - log(1.3)) < 0.03);
    /* Down: improved, once.  */
    for (size_t i = 20; i < 40; i++)
        x[i] -= 2 * log(1.3);
    replay(x, 40, false, out);
    ck_assert_int_eq(count(out, 40, GATE_IMPROVED), 1);
    ck_assert_int_eq(count(out, 40, GATE_REGRESSED), 0);
}
END_TEST

START_TEST(test_step_within_noise_is_not_a_change)
{
    double x[MAXN];
    gate_result out[MAXN];
    quiet(x, 40);
    for (size_t i = 20; i < 40; i++)
        x[i] += log(1.02); /* below the 3 % least shift */
    replay(x, 40, false, out);
    ck_assert_int_eq(count(out, 40, GATE_REGRESSED), 0);
}
END_TEST

START_TEST(test_slow_drift)
{
    /* +2 % a commit: no single step, but the level moves away; found once
       the newest three points are all beyond the reference, dated at the
       first of them, and found again as it goes on.  */
    double x[MAXN];
    gate_result out[MAXN];
    quiet(x, 60);
    for (size_t i = 10; i < 60; i++)
        x[i] += 0.02 * (double)(i - 10);
    replay(x, 60, false, out);
    size_t found = count(out, 60, GATE_REGRESSED);
    ck_assert(found >= 2 && found <= 8);
    ck_assert_int_eq(count(out, 60, GATE_IMPROVED), 0);
    for (size_t i = 0; i < 60; i++)
        if (out[i].verdict == GATE_REGRESSED)
            ck_assert(out[i].points == 3 && out[i].since == i - 2);
    /* +0.5 % a commit stays within the noise of a 16-point reference:
       suspect at most, never a change.  */
    quiet(x, 60);
    for (size_t i = 10; i < 60; i++)
        x[i] += 0.005 * (double)(i - 10);
    replay(x, 60, false, out);
    ck_assert_int_eq(count(out, 60, GATE_REGRESSED), 0);
}
END_TEST

START_TEST(test_short_series)
{
    double x[MAXN] = {0.0, 0.5, 1.0, 1.5};
    gate_result out[MAXN];
    replay(x, 4, false, out);
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(out[i].verdict, GATE_TOO_FEW);
    replay(x, 0, false, out);
    /* After a change, the new level needs points before it says more.  */
    quiet(x, 40);
    for (size_t i = 20; i < 40; i++)
        x[i] += log(2.0);
    replay(x, 40, false, out);
    size_t at = 20;
    while (at < 40 && out[at].verdict != GATE_REGRESSED)
        at++;
    ck_assert_uint_lt(at, 23);
    ck_assert_uint_eq(out[at].since, 20);
    ck_assert_int_eq(out[at + 1].verdict, GATE_TOO_FEW);
    ck_assert_int_eq(out[24].verdict, GATE_OK);
}
END_TEST

START_TEST(test_pull_request_single_point)
{
    gate_params p;
    gate_params_default(&p);
    double x[MAXN];
    gate_result out[MAXN];
    quiet(x, 21);
    /* +30 %: beyond the noise, but one run proves little.  */
    x[20] = log(1.3);
    replay(x, 21, true, out);
    ck_assert_int_eq(out[20].verdict, GATE_SUSPECT);
    /* Far beyond the noise and the single-point threshold: regressed.  */
    x[20] = p.single_min + 0.1;
    replay(x, 21, true, out);
    ck_assert_int_eq(out[20].verdict, GATE_REGRESSED);
    ck_assert_uint_eq(out[20].since, 20);
    ck_assert_uint_eq(out[20].points, 1);
    /* The same point on a noisy series is only suspect.  */
    for (size_t i = 0; i < 20; i++)
        x[i] = i % 2 ? p.single_min / 2 : -p.single_min / 2;
    replay(x, 21, true, out);
    ck_assert_int_ne(out[20].verdict, GATE_REGRESSED);
}
END_TEST

START_TEST(test_run_effect)
{
    gate_params p;
    gate_params_default(&p);
    double x[MAXN], dev[MAXN];
    quiet(x, 30);
    x[29] = 0.25;
    gate_deviations(x, 30, &p, dev);
    for (size_t i = 0; i < p.min_ref; i++)
        ck_assert(isnan(dev[i]));
    ck_assert(fabs(dev[29] - 0.25) < 0.03);
    /* The median of the series' deviations, when there are enough.  */
    double d[] = {0.2, 0.22, NAN, 0.18, 0.21, 0.19, -0.3, 0.2, 0.24, 0.5};
    ck_assert(fabs(gate_run_effect(d, 10, &p) - 0.2) < 1e-9);
    double few[] = {0.2, 0.22, 0.18};
    ck_assert_double_eq(gate_run_effect(few, 3, &p), 0.0);
}
END_TEST

START_TEST(test_shared_runs)
{
    gate_params p;
    gate_params_default(&p);
    /* A tenth of the series moving together is the runner; fewer than
       min_series series say nothing.  */
    ck_assert_int_eq(gate_shared(20, 0, 100, &p), 1);
    ck_assert_int_eq(gate_shared(0, 20, 100, &p), -1);
    ck_assert_int_eq(gate_shared(5, 5, 100, &p), 0);
    ck_assert_int_eq(gate_shared(3, 0, 4, &p), 0);
    /* Two points of a step moved with many other series: a third is
       needed before it is a change.  */
    double x[MAXN];
    gate_result out[MAXN];
    signed char shared[MAXN] = {0};
    quiet(x, 30);
    for (size_t i = 20; i < 30; i++)
        x[i] += log(1.3);
    shared[21] = 1;
    gate_replay(x, 30, false, shared, &p, out);
    ck_assert_int_ne(out[21].verdict, GATE_REGRESSED);
    ck_assert_int_eq(out[22].verdict, GATE_REGRESSED);
    ck_assert_uint_eq(out[22].since, 20);
    ck_assert_uint_eq(out[22].points, 3);
}
END_TEST

START_TEST(test_excursion_seen_before_is_not_a_change)
{
    /* A kind of runner that comes now and then makes a bench 30 % slower:
       three runs of it in a row reach no higher than it did before, so
       they are no change; a step beyond that is.  */
    double x[MAXN];
    gate_result out[MAXN];
    quiet(x, 40);
    x[10] = x[25] = log(1.30);
    x[37] = x[38] = x[39] = log(1.28);
    replay(x, 40, false, out);
    ck_assert_uint_eq(count(out, 40, GATE_REGRESSED), 0);
    x[37] = x[38] = x[39] = log(1.60);
    replay(x, 40, false, out);
    ck_assert_uint_eq(count(out, 40, GATE_REGRESSED), 1);
    for (size_t i = 37; i < 40; i++)
        if (out[i].verdict == GATE_REGRESSED)
            ck_assert_uint_eq(out[i].since, 37);
}
END_TEST

static gate_result
change(gate_verdict v, size_t since)
{
    return (gate_result){.verdict = v, .since = since, .points = 3, .shift = 0.2};
}

START_TEST(test_merge_reports_once)
{
    gate_result a[6], b[6];
    bool from_b[6];
    for (size_t i = 0; i < 6; i++)
        a[i] = b[i] = (gate_result){.verdict = GATE_OK};
    /* The family's judgement finds the change first; the series' own
       finds the same change a point later: reported once.  */
    b[2] = change(GATE_REGRESSED, 1);
    a[3] = change(GATE_REGRESSED, 2);
    /* A change the other way is another change.  */
    a[5] = change(GATE_IMPROVED, 4);
    b[4] = (gate_result){.verdict = GATE_SUSPECT};
    gate_merge(a, b, 6, 2, from_b);
    ck_assert_int_eq(a[2].verdict, GATE_REGRESSED);
    ck_assert(from_b[2]);
    ck_assert_int_eq(a[3].verdict, GATE_OK);
    ck_assert_int_eq(a[3].last_dir, 1);
    ck_assert_int_eq(a[4].verdict, GATE_SUSPECT);
    ck_assert(from_b[4]);
    ck_assert_int_eq(a[5].verdict, GATE_IMPROVED);
    ck_assert(!from_b[5]);
    /* Without a family judgement the series' own stands.  */
    a[2] = (gate_result){.verdict = GATE_OK};
    a[3] = change(GATE_REGRESSED, 2);
    gate_merge(a, NULL, 6, 2, from_b);
    ck_assert_int_eq(a[3].verdict, GATE_REGRESSED);
}
END_TEST

START_TEST(test_exact)
{
    ck_assert_int_eq(gate_exact(100, 101, 0, 0), GATE_REGRESSED);
    ck_assert_int_eq(gate_exact(100, 99, 0, 0), GATE_IMPROVED);
    ck_assert_int_eq(gate_exact(100, 100, 0, 0), GATE_OK);
    ck_assert_int_eq(gate_exact(100, 101, 1, 0), GATE_OK);
    ck_assert_int_eq(gate_exact(100, 102, 1, 0), GATE_REGRESSED);
    ck_assert_int_eq(gate_exact(0, 1, 0, 0), GATE_REGRESSED);
    ck_assert_int_eq(gate_exact(1000, 1004, 0.5, 0.5), GATE_OK);
    ck_assert_int_eq(gate_exact(1000, 994, 0.5, 0.5), GATE_IMPROVED);
}
END_TEST

static Suite *
gate_suite(void)
{
    Suite *s = suite_create("gate");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_median_noise);
    tcase_add_test(tc, test_single_outlier_is_suspect);
    tcase_add_test(tc, test_step_reported_once_at_start);
    tcase_add_test(tc, test_step_within_noise_is_not_a_change);
    tcase_add_test(tc, test_slow_drift);
    tcase_add_test(tc, test_short_series);
    tcase_add_test(tc, test_pull_request_single_point);
    tcase_add_test(tc, test_run_effect);
    tcase_add_test(tc, test_shared_runs);
    tcase_add_test(tc, test_exact);
    tcase_add_test(tc, test_excursion_seen_before_is_not_a_change);
    tcase_add_test(tc, test_merge_reports_once);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(gate_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
