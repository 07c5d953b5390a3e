#!/bin/sh
# csv-merge on bad input and bad usage: "csv-merge: FILE:LINE: message",
# exit 1 (input) or 2 (usage), never a crash and no partial output.
. "$abs_top_srcdir/tests/cli/setup.sh"

check_error() { # FILE CONTENT(printf format) EXPECTED-MESSAGE
    printf "$2" >"$tmp/$1"
    run_ 1 csv-merge "$tmp/$1"
    grep_ "^csv-merge: $tmp/$3\$" "$tmp/err"
    [ -s "$tmp/out" ] && fail_ "$1: partial output"
    return 0
}
check_error quote.csv 'bench,value\n1,2\n"x,3\n' 'quote.csv:3: unterminated quoted field'
check_error after.csv 'bench,value\n"x"y,3\n' 'after.csv:2: text after a closing quote'
check_error wide.csv 'bench,value\n1,2\n1,2,3\n' 'wide.csv:3: row has 3 fields, the header has 2'
check_error dup.csv 'bench,value,bench\n' "dup.csv:1: duplicate column name 'bench'"
check_error empty.csv '' 'empty.csv:1: empty file: no header line'
check_error blank.csv '\n\n' 'blank.csv:1: empty file: no header line'
check_error nul.csv 'bench,value\n1,2\n3\0004,5\n' 'nul.csv:3: NUL byte in input'
check_error noname.csv 'bench,,value\n' 'noname.csv:1: column 2 has an empty name'
check_error crlf.csv 'bench,value\r\n"x"\ry,1\r\n' 'crlf.csv:2: carriage return not followed by a line feed'
# A file without its header line: its first row would become column names.
check_error headless.csv 'c9,mybench,mean,5\nc10,mybench,mean,6\n' \
    'headless.csv:1: no known column in the header line (is it missing?): expected some of commit,version,date,bench,metric,unit,value,...'
# The line of a record that follows a quoted line break.
check_error late.csv 'bench,value\n"1\n2",3\n4,5,6\n' 'late.csv:4: row has 3 fields, the header has 2'

# A bad file after a good one: still exit 1 and nothing on stdout.
printf 'bench\n1\n' >"$tmp/good.csv"
run_ 1 csv-merge "$tmp/good.csv" "$tmp/quote.csv"
[ -s "$tmp/out" ] && fail_ "partial output after a good file"

# Files that cannot be read.
run_ 1 csv-merge "$tmp/nonexistent.csv"
grep_ "^csv-merge: $tmp/nonexistent.csv: No such file or directory" "$tmp/err"
run_ 1 csv-merge "$tmp"
grep_ "^csv-merge: $tmp:" "$tmp/err"

# Bad input on standard input is named "-".
run_ 1 sh -c 'printf "bench,value\n1,2,3\n" | csv-merge'
grep_ '^csv-merge: -:2: row has 3 fields' "$tmp/err"

# A wide header is read in linear time.
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "%scol%d", (i ? "," : "bench,"), i; print "" }' >"$tmp/wide-header.csv"
run_ 0 csv-merge "$tmp/wide-header.csv"
awk 'BEGIN { printf "bench"; for (i = 0; i < 50000; i++) printf ",c%d", i; print ",c1" }' >"$tmp/wide-dup.csv"
run_ 1 csv-merge "$tmp/wide-dup.csv"
grep_ "duplicate column name 'c1'" "$tmp/err"

# Appending a file to itself through the shell is refused, not endless.
cp "$data/csv-merge/old-layout.csv" "$tmp/self.csv"
run_ 1 sh -c 'csv-merge --key "" "$1" >>"$1"' sh "$tmp/self.csv"
grep_ 'input file is output file' "$tmp/err"

# Usage errors.
run_ 2 csv-merge --no-such-option
grep_ "^csv-merge: unrecognized option '--no-such-option'" "$tmp/err"
grep_ "^Try 'csv-merge --help' for more information." "$tmp/err"
run_ 2 csv-merge -Z
run_ 2 csv-merge -o
run_ 2 csv-merge --key 'a,,b' "$tmp/good.csv"
run_ 2 csv-merge - - </dev/null
grep_ 'standard input named twice' "$tmp/err"

# A write error on standard output is an error.
if [ -w /dev/full ]; then
    run_ 1 sh -c 'csv-merge "$1" >/dev/full' sh "$data/rustychickpeas/local.csv"
    grep_ '^csv-merge: write error' "$tmp/err"
fi

# --help and --version.
run_ 0 csv-merge --help
grep_ '^Usage: csv-merge \[OPTION\]... \[FILE\]...' "$tmp/out"
run_ 0 csv-merge --version
grep_ "^csv-merge (benchtrack) $BENCHTRACK_VERSION\$" "$tmp/out"

exit $fail
