/* fuzz_criterion_tree.c: a libFuzzer target for what criterion-scan reads
   in a target/criterion tree: one benchmark folder's estimates.json,
   benchmark.json (its name) and raw.csv (its unit).  An input is the three
   files' texts separated by NUL bytes; an empty or missing part is a file
   that is not there.  The program is compiled in (its main renamed) and
   its own scan_benchmark reads the folder, so the files are really written
   (to a folder under TMPDIR) and read back.  Not part of make check: make
   fuzz runs it.
   SPDX-License-Identifier: MIT */

/* The program's main under another name, since libFuzzer has its own.  */
int criterion_scan_main(int argc, char **argv);
#define main criterion_scan_main
#include "../../src/criterion-scan.c"
#undef main

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[PATH_MAX], bench_dir[PATH_MAX + 8], data_dir[PATH_MAX + 16],
    estimates_path[PATH_MAX + 32];
static int bench_fd = -1;

static void
remove_tree(void)
{
    /* The fuzzer ends with exit: leave no folder behind.  */
    if (bench_fd >= 0) {
        unlinkat(bench_fd, "new/benchmark.json", 0);
        unlinkat(bench_fd, "new/raw.csv", 0);
        unlinkat(bench_fd, "new", AT_REMOVEDIR);
    }
    rmdir(bench_dir);
    rmdir(root);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cli_init(PROGRAM_NAME);
    if (getenv("FUZZ_VERBOSE") == NULL) {
        /* Sanitizer and libFuzzer reports do not go through stdio's
           stderr, so they are still seen.  */
        FILE *null = fopen("/dev/null", "w");
        if (null != NULL)
            stderr = null;
    }
    parse_metrics("typical,mean,median,slope,median_abs_dev,std_dev");

    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/fuzz-criterion-tree.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(root) == NULL)
        abort();
    snprintf(bench_dir, sizeof bench_dir, "%s/bench", root);
    snprintf(data_dir, sizeof data_dir, "%s/new", bench_dir);
    snprintf(estimates_path, sizeof estimates_path, "%s/estimates.json", data_dir);
    if (mkdir(bench_dir, 0700) != 0 || mkdir(data_dir, 0700) != 0)
        abort();
    bench_fd = open(bench_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (bench_fd < 0)
        abort();
    atexit(remove_tree);
    return 0;
}

/* Makes REL (in the benchmark folder) hold TEXT[0..LEN), or not exist when
   LEN is 0.  */
static void
put_file(const char *rel, const uint8_t *text, size_t len)
{
    if (len == 0) {
        if (unlinkat(bench_fd, rel, 0) != 0 && errno != ENOENT)
            abort();
        return;
    }
    int fd = openat(bench_fd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0)
        abort();
}

/* The next part of the input: up to the next NUL or the end.  */
static size_t
part(const uint8_t **data, size_t *size, const uint8_t **start)
{
    *start = *data;
    const uint8_t *nul = memchr(*data, '\0', *size);
    size_t len = nul ? (size_t)(nul - *data) : *size;
    *data += len + (nul != NULL);
    *size -= len + (nul != NULL);
    return len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *est, *bench, *raw;
    size_t est_len = part(&data, &size, &est);
    size_t bench_len = part(&data, &size, &bench);
    size_t raw_len = part(&data, &size, &raw);
    put_file("new/benchmark.json", bench, bench_len);
    put_file("new/raw.csv", raw, raw_len);
    status = EXIT_OK;
    nerrors = 0;

    /* As slurp_at would have read it: exactly its bytes, then a NUL.  */
    char *text = xmalloc(est_len + 1);
    memcpy(text, est, est_len);
    text[est_len] = '\0';
    struct record_list list = {0};
    scan_benchmark(root, bench_dir, data_dir, bench_fd, "new", estimates_path, text, est_len,
                   &list);
    free(text);
    /* A benchmark is kept only when nothing was wrong with it.  */
    if (list.count > 1 || (list.count == 1 && status != EXIT_OK))
        abort();
    if (list.count == 1) {
        const struct record *r = &list.items[0];
        if (r->name == NULL || r->unit == NULL || *r->unit == '\0' || r->path == NULL)
            abort();
        for (size_t i = 0; i < nwanted; i++)
            if (!r->has[wanted[i]] && wanted[i] != M_SLOPE)
                abort();
    }
    record_list_free(&list);
    return 0;
}
