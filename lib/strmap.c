/* strmap.c: open addressing over an insertion-ordered entry array.
   SPDX-License-Identifier: MIT */

#include <config.h>

#include "strmap.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t
mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

uint64_t
hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (0x9e3779b97f4a7c15ULL * (len + 1));
    while (len >= 8) {
        uint64_t chunk;
        memcpy(&chunk, p, 8);
        h = (h ^ mix(chunk)) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, len);
    h = mix(h ^ mix(tail ^ ((uint64_t)len << 56)));
    return h ? h : 1;
}

void
strmap_init(strmap *m)
{
    memset(m, 0, sizeof *m);
}

void
strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->entries[i].key);
    free(m->entries);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static void
grow_slots(strmap *m)
{
    size_t nslots = m->nslots ? m->nslots * 2 : 64;
    size_t *slots = xcalloc(nslots, sizeof *slots);
    for (size_t i = 0; i < m->count; i++) {
        size_t s = m->entries[i].hash & (nslots - 1);
        while (slots[s] != 0)
            s = (s + 1) & (nslots - 1);
        slots[s] = i + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
}

static size_t *
find_slot(const strmap *m, const char *key, size_t len, uint64_t hash)
{
    size_t s = hash & (m->nslots - 1);
    for (;;) {
        size_t index = m->slots[s];
        if (index == 0)
            return &m->slots[s];
        const strmap_entry *e = &m->entries[index - 1];
        if (e->hash == hash && e->key_len == len && memcmp(e->key, key, len) == 0)
            return &m->slots[s];
        s = (s + 1) & (m->nslots - 1);
    }
}

strmap_entry *
strmap_find(const strmap *m, const char *key, size_t len)
{
    if (m->nslots == 0)
        return NULL;
    size_t *slot = find_slot(m, key, len, hash_bytes(key, len, 0));
    return *slot ? &m->entries[*slot - 1] : NULL;
}

strmap_entry *
strmap_upsert(strmap *m, const char *key, size_t len, int *created)
{
    if ((m->count + 1) * 2 > m->nslots)
        grow_slots(m);
    uint64_t hash = hash_bytes(key, len, 0);
    size_t *slot = find_slot(m, key, len, hash);
    if (*slot != 0) {
        if (created)
            *created = 0;
        return &m->entries[*slot - 1];
    }
    if (m->count == m->entries_cap) {
        m->entries_cap = m->entries_cap ? m->entries_cap * 2 : 16;
        m->entries = xreallocarray(m->entries, m->entries_cap, sizeof *m->entries);
    }
    strmap_entry *e = &m->entries[m->count++];
    e->key = xstrndup(key, len);
    e->key_len = len;
    e->hash = hash;
    e->value = NULL;
    *slot = m->count;
    if (created)
        *created = 1;
    return e;
}
