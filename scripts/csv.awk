# csv.awk: RFC 4180 reading and writing for the awk programs of the flows.
# The build pastes this file into each script that needs it (at the line
# @CSV_AWK@), so an installed script stands alone.  It is awk code inside
# a single-quoted shell string: it must never contain a single quote.
#
# Use: run awk with LC_ALL=C (bytes, not characters), and start the main
# rule with "if (!csv_record()) next": it joins the physical lines of a
# quoted field that holds newlines, drops the \r of \r\n line ends and
# splits the record into csv_f[1..csv_n].  On the first record of each
# file it reads the header into csv_col[NAME] = index instead and
# returns 0.
# SPDX-License-Identifier: MIT

function csv_record(    q, t) {
    if (FNR == 1) {
        csv_pending = ""
        csv_header_done = 0
    }
    if (csv_pending != "")
        $0 = csv_pending "\n" $0
    t = $0
    q = gsub(/"/, "", t)
    if (q % 2) {
        csv_pending = $0
        return 0
    }
    csv_pending = ""
    sub(/\r$/, "")
    if (!csv_header_done) {
        sub(/^\357\273\277/, "")
        csv_n = csv_split($0, csv_f)
        for (t in csv_col)
            delete csv_col[t]
        for (q = 1; q <= csv_n; q++)
            csv_col[csv_f[q]] = q
        csv_ncols = csv_n
        csv_header_done = 1
        return 0
    }
    if ($0 == "")
        return 0
    csv_n = csv_split($0, csv_f)
    return 1
}

# csv_split(S, F): splits the record S into F[1..n] and returns n.
function csv_split(s, f,    n, i, c, len, field, inq) {
    if (index(s, "\"") == 0)
        return split(s, f, ",")
    n = 0
    field = ""
    inq = 0
    len = length(s)
    for (i = 1; i <= len; i++) {
        c = substr(s, i, 1)
        if (inq) {
            if (c == "\"") {
                if (substr(s, i + 1, 1) == "\"") {
                    field = field "\""
                    i++
                } else
                    inq = 0
            } else
                field = field c
        } else if (c == "\"")
            inq = 1
        else if (c == ",") {
            f[++n] = field
            field = ""
        } else
            field = field c
    }
    f[++n] = field
    return n
}

# csv_get(NAME): the field of the current record in column NAME ("" when
# the file has no such column or the record is short).
function csv_get(name,    i) {
    if (!(name in csv_col))
        return ""
    i = csv_col[name]
    return i <= csv_n ? csv_f[i] : ""
}

# csv_quote(S): S as one CSV field.
function csv_quote(s) {
    if (s ~ /[",\r\n]/) {
        gsub(/"/, "\"\"", s)
        return "\"" s "\""
    }
    return s
}

# is_number(S): S is a plain decimal number (what the tools write).
function is_number(s) {
    return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/
}
