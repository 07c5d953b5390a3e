/* strmap.h: a hash map from byte strings to pointer-sized values, and the
   hash function the programs share.  Keys are copied; lookups do not
   allocate.  Iteration follows insertion order, so output built from a map
   is deterministic.
   SPDX-License-Identifier: MIT */

#ifndef BENCHTRACK_STRMAP_H
#define BENCHTRACK_STRMAP_H

#include <stddef.h>
#include <stdint.h>

/* A fast, well-mixed 64-bit hash of LEN bytes, continuing from SEED (pass
   0 to start); never returns 0.  */
uint64_t hash_bytes(const void *data, size_t len, uint64_t seed);

typedef struct strmap_entry {
    char *key; /* NUL-terminated copy (the key may hold NULs; see key_len) */
    size_t key_len;
    uint64_t hash;
    void *value;
} strmap_entry;

typedef struct strmap {
    strmap_entry *entries; /* in insertion order */
    size_t count, entries_cap;
    size_t *slots; /* index + 1 into entries; 0 = empty */
    size_t nslots;
} strmap;

void strmap_init(strmap *m);

/* Frees the keys and the map; the values are the caller's.  */
void strmap_free(strmap *m);

/* The entry for KEY, or NULL.  */
strmap_entry *strmap_find(const strmap *m, const char *key, size_t len);

/* The entry for KEY, created with a NULL value when absent (*CREATED says
   which, when not NULL).  The pointer is valid until the next insertion.  */
strmap_entry *strmap_upsert(strmap *m, const char *key, size_t len, int *created);

#endif
