/* check_csv.c: unit tests of the RFC 4180 reader and writer (lib/csv.c).
   Every input is read whole from memory and again from a file with every
   read size from 1 to 7 bytes, so that each buffer boundary falls inside
   a quote, a doubled quote, a CRLF and the byte order mark.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"

/* The records of an input as one string: fields joined by '|', records
   ended by ';', or "ERROR@LINE:message".  */
static char *
flatten(csv_reader *r)
{
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    int status;
    while ((status = csv_read(r)) > 0) {
        for (size_t i = 0; i < csv_nfields(r); i++) {
            size_t flen;
            const char *f = csv_field(r, i, &flen);
            ck_assert_uint_eq(strlen(f), flen);
            while (len + flen + 4 > cap)
                out = realloc(out, cap *= 2);
            if (i > 0)
                out[len++] = '|';
            memcpy(out + len, f, flen);
            len += flen;
        }
        out[len++] = ';';
        out[len] = '\0';
    }
    if (status < 0) {
        char buf[256];
        snprintf(buf, sizeof buf, "ERROR@%lu:%s", csv_record_line(r), csv_reader_error(r));
        while (len + strlen(buf) + 1 > cap)
            out = realloc(out, cap *= 2);
        strcpy(out + len, buf);
    }
    return out;
}

/* Parses INPUT (LEN bytes) every way and checks each gives EXPECTED.  */
static void
expect_parse(const char *input, size_t len, const char *expected)
{
    csv_reader *r = csv_reader_from_memory(input, len, "mem");
    char *got = flatten(r);
    ck_assert_str_eq(got, expected);
    free(got);
    csv_reader_close(r);

    char path[] = "/tmp/check_csv.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, input, len), (ssize_t)len);
    close(fd);
    for (size_t size = 1; size <= 7; size++) {
        r = csv_reader_open(path, NULL);
        ck_assert_ptr_nonnull(r);
        csv_reader_set_read_size(r, size);
        got = flatten(r);
        ck_assert_msg(strcmp(got, expected) == 0, "read size %zu: got '%s', expected '%s'", size,
                      got, expected);
        free(got);
        csv_reader_close(r);
    }
    unlink(path);
}

#define EXPECT(input, expected) expect_parse(input, sizeof(input) - 1, expected)

START_TEST(test_plain)
{
    EXPECT("a,b,c\n1,2,3\n", "a|b|c;1|2|3;");
    EXPECT("a,b\n1,2", "a|b;1|2;");
    EXPECT("", "");
    EXPECT("x\n", "x;");
}
END_TEST

START_TEST(test_empty_fields)
{
    EXPECT("a,,c\n,,\n", "a||c;||;");
    EXPECT("a,b,\n", "a|b|;");
    EXPECT("\"\",x\n", "|x;");
}
END_TEST

START_TEST(test_quoted)
{
    EXPECT("\"a,b\",c\n", "a,b|c;");
    EXPECT("\"say \"\"hi\"\"\",2\n", "say \"hi\"|2;");
    EXPECT("\"\"\"\"\n", "\";");
    EXPECT("\"line1\nline2\",x\n", "line1\nline2|x;");
    EXPECT("\"crlf\r\ninside\"\r\n", "crlf\r\ninside;");
}
END_TEST

START_TEST(test_line_ends)
{
    EXPECT("a,b\r\n1,2\r\n", "a|b;1|2;");
    EXPECT("a,b\r\n1,2", "a|b;1|2;");
    /* A lone CR is data, not a line end.  */
    EXPECT("a\rb,c\n", "a\rb|c;");
}
END_TEST

START_TEST(test_blank_lines)
{
    EXPECT("a\n\n\nb\n", "a;b;");
    EXPECT("a\r\n\r\nb\r\n", "a;b;");
}
END_TEST

START_TEST(test_bom)
{
    EXPECT("\xEF\xBB\xBF"
           "a,b\n1,2\n",
           "a|b;1|2;");
    /* Only at the very start.  */
    EXPECT("a\n\xEF\xBB\xBF"
           "b\n",
           "a;\xEF\xBB\xBF"
           "b;");
}
END_TEST

START_TEST(test_bytes_unchanged)
{
    EXPECT("caf\xC3\xA9,\xE2\x96\x81\xFF\x01\n", "caf\xC3\xA9|\xE2\x96\x81\xFF\x01;");
    /* A quote inside an unquoted field is kept as data.  */
    EXPECT("5\" disk,x\n", "5\" disk|x;");
}
END_TEST

START_TEST(test_errors)
{
    EXPECT("a,b\n\"open,2\n", "a|b;ERROR@2:unterminated quoted field");
    EXPECT("a\n\"x\ny\nz", "a;ERROR@2:unterminated quoted field");
    EXPECT("a,b\n\"x\"y,2\n", "a|b;ERROR@2:text after a closing quote");
    expect_parse("a,b\nc\0d,e\n", 10, "a|b;ERROR@2:NUL byte in input");
    expect_parse("a\n\"c\0\"\n", 7, "a;ERROR@2:NUL byte in input");
    /* The line of a record after a multi-line field.  */
    EXPECT("a\n\"1\n2\"\n\"3\n", "a;1\n2;ERROR@4:unterminated quoted field");
}
END_TEST

START_TEST(test_record_lines)
{
    static const char input[] = "h\n\n\"a\nb\"\nc\r\nd\n";
    csv_reader *r = csv_reader_from_memory(input, sizeof input - 1, "mem");
    unsigned long lines[4];
    size_t n = 0;
    while (csv_read(r) > 0)
        lines[n++] = csv_record_line(r);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(lines[0], 1);
    ck_assert_uint_eq(lines[1], 3);
    ck_assert_uint_eq(lines[2], 5);
    ck_assert_uint_eq(lines[3], 6);
    csv_reader_close(r);
}
END_TEST

START_TEST(test_header)
{
    static const char good[] = "commit,bench,value\n";
    csv_reader *r = csv_reader_from_memory(good, sizeof good - 1, "mem");
    csv_header h;
    ck_assert_int_eq(csv_header_read(r, &h), 0);
    ck_assert_uint_eq(h.ncols, 3);
    ck_assert_int_eq(csv_header_find(&h, "bench"), 1);
    ck_assert_int_eq(csv_header_find(&h, "version"), -1);
    csv_header_free(&h);
    csv_reader_close(r);

    static const char dup[] = "a,b,a\n";
    r = csv_reader_from_memory(dup, sizeof dup - 1, "mem");
    ck_assert_int_eq(csv_header_read(r, &h), -1);
    csv_reader_close(r);

    r = csv_reader_from_memory("", 0, "mem");
    ck_assert_int_eq(csv_header_read(r, &h), -1);
    csv_reader_close(r);
}
END_TEST

/* Writes FIELDS as one record and returns the text.  */
static char *
write_record(const char *const *fields, size_t n)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buf, &size);
    csv_writer w;
    csv_writer_init(&w, fp);
    for (size_t i = 0; i < n; i++)
        csv_write_string(&w, fields[i]);
    csv_write_end(&w);
    fclose(fp);
    return buf;
}

START_TEST(test_writer_quoting)
{
    static const char *const fields[] = {"plain", "", "a,b", "say \"hi\"", "two\nlines",
                                         "cr\r", " spaced "};
    char *text = write_record(fields, 7);
    ck_assert_str_eq(text,
                     "plain,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\", spaced \n");
    free(text);
    /* A leading byte order mark is quoted, or a reader would drop it.  */
    static const char *const bom[] = {"\xEF\xBB\xBFx", "y"};
    text = write_record(bom, 2);
    ck_assert_str_eq(text, "\"\xEF\xBB\xBFx\",y\n");
    csv_reader *r = csv_reader_from_memory(text, strlen(text), "mem");
    ck_assert_int_eq(csv_read(r), 1);
    ck_assert_str_eq(csv_field(r, 0, NULL), bom[0]);
    csv_reader_close(r);
    free(text);
}
END_TEST

START_TEST(test_round_trip)
{
    /* Fields made of the bytes that matter to CSV, in many combinations,
       written and read back unchanged.  */
    static const char alphabet[] = {',', '"', '\n', '\r', 'x', ' ', '\xC3', '\xA9'};
    unsigned seed = 12345;
    for (int trial = 0; trial < 2000; trial++) {
        char storage[6][16];
        const char *fields[6];
        size_t nfields = 1 + trial % 6;
        for (size_t f = 0; f < nfields; f++) {
            size_t len = (seed = seed * 1103515245u + 12345u) >> 16 & 7;
            for (size_t i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                storage[f][i] = alphabet[(seed >> 16) % sizeof alphabet];
            }
            storage[f][len] = '\0';
            fields[f] = storage[f];
        }
        /* A record of one empty field is a blank line, which is skipped.  */
        if (nfields == 1 && fields[0][0] == '\0')
            continue;
        char *text = write_record(fields, nfields);
        csv_reader *r = csv_reader_from_memory(text, strlen(text), "mem");
        ck_assert_int_eq(csv_read(r), 1);
        ck_assert_uint_eq(csv_nfields(r), nfields);
        for (size_t f = 0; f < nfields; f++)
            ck_assert_str_eq(csv_field(r, f, NULL), fields[f]);
        ck_assert_int_eq(csv_read(r), 0);
        csv_reader_close(r);
        free(text);
    }
}
END_TEST

START_TEST(test_long_record)
{
    /* Fields and records far larger than the initial buffers.  */
    size_t n = 100000;
    char *input = malloc(3 * n + 16);
    size_t len = 0;
    input[len++] = '"';
    for (size_t i = 0; i < n; i++)
        input[len++] = (char)('a' + i % 26);
    input[len++] = '"';
    for (size_t i = 0; i < n; i++) {
        input[len++] = ',';
        input[len++] = '7';
    }
    input[len++] = '\n';
    csv_reader *r = csv_reader_from_memory(input, len, "mem");
    ck_assert_int_eq(csv_read(r), 1);
    ck_assert_uint_eq(csv_nfields(r), n + 1);
    size_t flen;
    csv_field(r, 0, &flen);
    ck_assert_uint_eq(flen, n);
    ck_assert_str_eq(csv_field(r, n, NULL), "7");
    csv_reader_close(r);
    free(input);
}
END_TEST

static Suite *
csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *reader = tcase_create("reader");
    tcase_add_test(reader, test_plain);
    tcase_add_test(reader, test_empty_fields);
    tcase_add_test(reader, test_quoted);
    tcase_add_test(reader, test_line_ends);
    tcase_add_test(reader, test_blank_lines);
    tcase_add_test(reader, test_bom);
    tcase_add_test(reader, test_bytes_unchanged);
    tcase_add_test(reader, test_errors);
    tcase_add_test(reader, test_record_lines);
    tcase_add_test(reader, test_header);
    tcase_add_test(reader, test_long_record);
    suite_add_tcase(s, reader);
    TCase *writer = tcase_create("writer");
    tcase_add_test(writer, test_writer_quoting);
    tcase_add_test(writer, test_round_trip);
    suite_add_tcase(s, writer);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(csv_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
