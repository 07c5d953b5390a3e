/* check_atomicbatch.c: unit tests of lib/atomicbatch: a batch replaces all
   its files, or none.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "atomicbatch.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void
setup(void)
{
    strcpy(dir, "/tmp/check_atomicbatch.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

static char *
path_of(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void
write_file(const char *name, const char *text)
{
    FILE *fp = fopen(path_of(name), "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

static void
assert_contents(const char *name, const char *text)
{
    char buf[64] = "";
    FILE *fp = fopen(path_of(name), "r");
    ck_assert_ptr_nonnull(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    ck_assert_str_eq(buf, text);
}

/* The entries of the directory besides "." and "..", temporaries too.  */
static int
count_entries(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

START_TEST(test_commit)
{
    write_file("a.svg", "old a");
    atomic_batch b;
    atomic_batch_init(&b);
    FILE *fp = atomic_batch_open(&b, path_of("a.svg"));
    ck_assert_ptr_nonnull(fp);
    fputs("new a", fp);
    ck_assert_int_eq(atomic_batch_close(&b), 0);
    fp = atomic_batch_open(&b, path_of("b.svg"));
    fputs("new b", fp);
    ck_assert_int_eq(atomic_batch_close(&b), 0);
    /* Nothing is replaced before the commit.  */
    assert_contents("a.svg", "old a");
    ck_assert_int_eq(access(path_of("b.svg"), F_OK), -1);
    ck_assert_int_eq(atomic_batch_commit(&b), 0);
    assert_contents("a.svg", "new a");
    assert_contents("b.svg", "new b");
    ck_assert_int_eq(count_entries(), 2); /* no temporaries */
}
END_TEST

START_TEST(test_abort)
{
    write_file("a.svg", "old a");
    atomic_batch b;
    atomic_batch_init(&b);
    FILE *fp = atomic_batch_open(&b, path_of("a.svg"));
    fputs("new a", fp);
    atomic_batch_close(&b);
    atomic_batch_abort(&b);
    assert_contents("a.svg", "old a");
    ck_assert_int_eq(count_entries(), 1);
}
END_TEST

START_TEST(test_failed_open_fails_the_batch)
{
    write_file("a.svg", "old a");
    atomic_batch b;
    atomic_batch_init(&b);
    FILE *fp = atomic_batch_open(&b, path_of("a.svg"));
    fputs("new a", fp);
    atomic_batch_close(&b);
    ck_assert_ptr_null(atomic_batch_open(&b, "/nonexistent-dir/x.svg"));
    ck_assert_int_eq(atomic_batch_commit(&b), -1);
    assert_contents("a.svg", "old a");
    ck_assert_int_eq(count_entries(), 1);
}
END_TEST

/* A link in the directory is replaced, never followed: the batch writes
   nothing outside its directory.  */
START_TEST(test_link_replaced)
{
    char outside[64];
    strcpy(outside, "/tmp/check_atomicbatch_out.XXXXXX");
    int fd = mkstemp(outside);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "outside", 7), 7);
    close(fd);
    ck_assert_int_eq(symlink(outside, path_of("a.svg")), 0);
    atomic_batch b;
    atomic_batch_init(&b);
    FILE *fp = atomic_batch_open(&b, path_of("a.svg"));
    ck_assert_ptr_nonnull(fp);
    fputs("new a", fp);
    ck_assert_int_eq(atomic_batch_close(&b), 0);
    ck_assert_int_eq(atomic_batch_commit(&b), 0);
    struct stat st;
    ck_assert_int_eq(lstat(path_of("a.svg"), &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    assert_contents("a.svg", "new a");
    char buf[16] = "";
    FILE *in = fopen(outside, "r");
    ck_assert_ptr_nonnull(in);
    ck_assert_uint_eq(fread(buf, 1, sizeof buf - 1, in), 7);
    fclose(in);
    unlink(outside);
    ck_assert_str_eq(buf, "outside");
}
END_TEST

/* Neither a FIFO nor a directory is replaced; the batch fails whole.  */
START_TEST(test_special_refused)
{
    write_file("a.svg", "old a");
    ck_assert_int_eq(mkfifo(path_of("f.svg"), 0600), 0);
    atomic_batch b;
    atomic_batch_init(&b);
    FILE *fp = atomic_batch_open(&b, path_of("a.svg"));
    fputs("new a", fp);
    atomic_batch_close(&b);
    ck_assert_ptr_null(atomic_batch_open(&b, path_of("f.svg")));
    ck_assert_int_eq(atomic_batch_commit(&b), -1);
    assert_contents("a.svg", "old a");
    struct stat st;
    ck_assert_int_eq(lstat(path_of("f.svg"), &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_int_eq(count_entries(), 2);
}
END_TEST

START_TEST(test_empty)
{
    atomic_batch b;
    atomic_batch_init(&b);
    ck_assert_int_eq(atomic_batch_commit(&b), 0);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("atomicbatch");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_commit);
    tcase_add_test(tc, test_abort);
    tcase_add_test(tc, test_failed_open_fails_the_batch);
    tcase_add_test(tc, test_link_replaced);
    tcase_add_test(tc, test_special_refused);
    tcase_add_test(tc, test_empty);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
