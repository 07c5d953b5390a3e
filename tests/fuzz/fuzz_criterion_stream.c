/* fuzz_criterion_stream.c: a libFuzzer target for what criterion-scan
   reads from a file or standard input: cargo bench text, bencher lines,
   cargo-criterion JSON messages and a single estimates.json.  The program
   itself is compiled in (its main renamed), so the fuzzer runs its own
   scan_stream on each input, fed through standard input as the program
   reads it.  Every message must fail the exit status, and the rows kept
   must be written as CSV that reads back as six fields, the last three
   finite numbers.  Not part of make check: make fuzz runs it.
   SPDX-License-Identifier: MIT */

/* The program's main under another name, since libFuzzer has its own.  */
int criterion_scan_main(int argc, char **argv);
#define main criterion_scan_main
#include "../../src/criterion-scan.c"
#undef main

#include <sys/mman.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where the fuzzer puts the program's diagnostics: nowhere, unless
   FUZZ_VERBOSE is set.  Sanitizer and libFuzzer reports do not go through
   stdio's stderr, so they are still seen.  */
static void
quiet_diagnostics(void)
{
    if (getenv("FUZZ_VERBOSE") == NULL) {
        FILE *null = fopen("/dev/null", "w");
        if (null != NULL)
            stderr = null;
    }
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cli_init(PROGRAM_NAME);
    quiet_diagnostics();
    /* Every metric, so that every estimate is read and checked.  */
    parse_metrics("typical,mean,median,slope,median_abs_dev,std_dev");
    /* A lone estimates.json needs a name to be read past that point.  */
    bench_option = "fuzz";
    /* Standard input is a memory file that each input replaces.  */
    int fd = memfd_create("fuzz-stdin", MFD_CLOEXEC);
    if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
        abort();
    close(fd);
    return 0;
}

/* Checks the rows written for LIST: each a CSV record of six fields whose
   last three read back as finite numbers.  */
static void
check_rows(const struct record_list *list)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (fp == NULL)
        abort();
    csv_writer w;
    csv_writer_init(&w, fp);
    write_rows(&w, list);
    if (fclose(fp) != 0)
        abort();

    csv_reader *rd = csv_reader_from_memory(text, len, "rows");
    int got;
    while ((got = csv_read(rd)) > 0) {
        if (csv_nfields(rd) != 6)
            abort();
        for (size_t i = 3; i < 6; i++) {
            size_t flen;
            const char *f = csv_field(rd, i, &flen);
            char *copy = xstrndup(f, flen);
            double v;
            if (!num_parse_double(copy, &v) || !isfinite(v))
                abort();
            free(copy);
        }
    }
    if (got < 0)
        abort();
    csv_reader_close(rd);
    free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(STDIN_FILENO, 0) != 0 || pwrite(STDIN_FILENO, data, size, 0) != (ssize_t)size ||
        lseek(STDIN_FILENO, 0, SEEK_SET) != 0)
        abort();
    status = EXIT_OK;
    nerrors = 0;

    struct record_list list = {0};
    scan_stream("-", NULL, &list);
    /* Every message about the input must fail the exit status.  */
    if ((nerrors == 0) != (status == EXIT_OK))
        abort();
    check_rows(&list);
    record_list_free(&list);
    return 0;
}
