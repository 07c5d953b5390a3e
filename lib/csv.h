/* csv.h: an RFC 4180 CSV reader and writer.

   The reader takes quoted fields with commas, doubled quotes and line
   breaks, "\r\n" or "\n" line ends, a UTF-8 byte order mark at the start,
   and passes every other byte through unchanged.  It reports the line on
   which each record starts, so every message can name FILE:LINE.  Blank
   lines are skipped.  A NUL byte, an unterminated quoted field, or text
   after a closing quote is an error.

   The writer quotes a field only when it must (a comma, a quote, a CR or an
   LF in it) and ends records with "\n".
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_CSV_H
#define BENCHTRACK_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct csv_reader csv_reader;

/* Opens PATH for reading; NULL or "-" is standard input.  Returns NULL and
   sets errno when the file cannot be opened.  NAME, when not NULL, is the
   name used in messages (the default is PATH, or "-" for stdin).  */
csv_reader *csv_reader_open(const char *path, const char *name);

/* Reads from an open descriptor; the reader closes it when OWNS_FD.  */
csv_reader *csv_reader_from_fd(int fd, const char *name, bool owns_fd);

/* Reads from a memory buffer (not copied; it must outlive the reader).  */
csv_reader *csv_reader_from_memory(const char *data, size_t len, const char *name);

void csv_reader_close(csv_reader *r);

/* Reads at most SIZE bytes per read(2) from now on (at least 1, at most
   the default of 256 KiB): the unit tests use it to put buffer boundaries
   everywhere.  */
void csv_reader_set_read_size(csv_reader *r, size_t size);

/* Reads no more than BYTES bytes of the descriptor in all: a program that
   reads a file twice gives both passes the same bytes even while another
   process appends to it.  */
void csv_reader_set_limit(csv_reader *r, unsigned long long bytes);

/* Reads the next record: 1 when there is one, 0 at the end of the input,
   -1 on an error, whose message csv_reader_error gives (the position is
   csv_record_line).  After an error the reader stays in error.  */
int csv_read(csv_reader *r);

size_t csv_nfields(const csv_reader *r);

/* Field I of the current record, NUL-terminated, valid until the next
   csv_read.  LEN may be NULL.  I must be below csv_nfields.  */
const char *csv_field(const csv_reader *r, size_t i, size_t *len);

/* The first MAX fields of the current record at once, as csv_field gives
   them (faster than a call per field); returns how many it gave.  */
size_t csv_fields(const csv_reader *r, const char **data, size_t *len, size_t max);

/* The line on which the current record (or the failed one) starts.  */
unsigned long csv_record_line(const csv_reader *r);

const char *csv_reader_name(const csv_reader *r);
const char *csv_reader_error(const csv_reader *r);

/* A header: the column names of a file, with look-up by name.  */
typedef struct csv_header {
    size_t ncols;
    char **names;
} csv_header;

/* Reads the first record of R as a header.  Returns 0 on success; -1 when
   the input is empty, the record is bad, or a name repeats or is empty,
   after printing "prog: FILE:LINE: message".  */
int csv_header_read(csv_reader *r, csv_header *h);

/* The index of column NAME, or -1.  */
long csv_header_find(const csv_header *h, const char *name);

void csv_header_free(csv_header *h);

/* The writer: buffered, quoting only where needed.  */
typedef struct csv_writer {
    FILE *fp;
    bool at_record_start;
} csv_writer;

void csv_writer_init(csv_writer *w, FILE *fp);
void csv_write_field(csv_writer *w, const char *data, size_t len);
void csv_write_string(csv_writer *w, const char *s);
void csv_write_end(csv_writer *w);

/* True when DATA must be quoted to survive a round trip.  */
bool csv_needs_quotes(const char *data, size_t len);

#endif
