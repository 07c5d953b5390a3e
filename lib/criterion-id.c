/* criterion-id.c: the name of a Criterion.rs benchmark.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "criterion-id.h"
#include "cli.h"

#include <stdbool.h>
#include <string.h>

char *
criterion_id_name(const char *full_id, const char *title)
{
    if (title != NULL) {
        size_t n = strlen(full_id);
        if (strncmp(title, full_id, n) == 0 && title[n] == ' ' && title[n + 1] == '#') {
            const char *p = title + n + 2;
            bool digits = *p != '\0';
            for (; *p != '\0'; p++)
                digits &= *p >= '0' && *p <= '9';
            if (digits)
                return xstrdup(title);
        }
    }
    return xstrdup(full_id);
}

char *
criterion_id_from_json(json_object *obj, const char **why)
{
    json_object *full_id, *title = NULL;
    if (!json_object_is_type(obj, json_type_object)) {
        *why = "not a Criterion benchmark object";
        return NULL;
    }
    if (!json_object_object_get_ex(obj, "full_id", &full_id) ||
        !json_object_is_type(full_id, json_type_string)) {
        *why = "no full_id string";
        return NULL;
    }
    /* A missing or null title is no reason to refuse the id.  */
    if (json_object_object_get_ex(obj, "title", &title) && title != NULL &&
        !json_object_is_type(title, json_type_string)) {
        *why = "title is not a string";
        return NULL;
    }
    return criterion_id_name(json_object_get_string(full_id),
                             title ? json_object_get_string(title) : NULL);
}
