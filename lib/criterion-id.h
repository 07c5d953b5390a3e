/* criterion-id.h: the name of a Criterion.rs benchmark, from its
   benchmark.json, as criterion-scan and dhat-scan both give it.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_CRITERION_ID_H
#define BENCHTRACK_CRITERION_ID_H

#include <json.h>

/* The name of a benchmark whose benchmark.json holds FULL_ID and TITLE
   (NULL when it has none): TITLE when it is FULL_ID followed by " #N" (N
   a number: Criterion.rs gives a repeated id the title "ID #2", "ID #3"...
   and leaves its full_id as it is), else FULL_ID (TITLE may be cut at
   100 bytes).  The name depends on that one file only, never on which
   other benchmarks are read.  Returns a new string.  */
char *criterion_id_name(const char *full_id, const char *title);

/* The name, as above, from the parsed benchmark.json OBJ.  Returns a new
   string, or NULL with *WHY saying what is wrong with the object.  */
char *criterion_id_from_json(json_object *obj, const char **why);

#endif
