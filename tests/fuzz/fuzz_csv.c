/* fuzz_csv.c: a libFuzzer target for the CSV reader.  Every input must be
   read to its end or to an error without a crash, and every record read must
   survive a write and a second read unchanged.  Not part of make check; run
   it with tests/fuzz/run.sh.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_reader *r = csv_reader_from_memory((const char *)data, size, "fuzz");
    while (csv_read(r) > 0) {
        char *text = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&text, &len);
        csv_writer w;
        csv_writer_init(&w, fp);
        size_t n = csv_nfields(r);
        for (size_t i = 0; i < n; i++) {
            size_t flen;
            const char *f = csv_field(r, i, &flen);
            csv_write_field(&w, f, flen);
        }
        csv_write_end(&w);
        fclose(fp);
        csv_reader *again = csv_reader_from_memory(text, len, "again");
        int status = csv_read(again);
        /* A record of one empty field is a blank line, which is skipped.  */
        size_t first_len;
        csv_field(r, 0, &first_len);
        if (n == 1 && first_len == 0) {
            if (status != 0)
                abort();
        } else {
            if (status != 1 || csv_nfields(again) != n)
                abort();
            for (size_t i = 0; i < n; i++) {
                size_t a, b;
                const char *fa = csv_field(r, i, &a);
                const char *fb = csv_field(again, i, &b);
                if (a != b || memcmp(fa, fb, a) != 0)
                    abort();
            }
        }
        csv_reader_close(again);
        free(text);
    }
    csv_reader_close(r);
    return 0;
}
