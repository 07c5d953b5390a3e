/* unwind.c: an x86-64 stack walker driven by .eh_frame CFI, and a
   per-thread cache of whole stacks for dhat-preload.so.  See unwind.h.

   The walker.  Frame 0 is the walking function itself: one asm statement
   captures rip, rsp and rbp at the same point, and the CFI row for that
   exact pc says where the CFA is; every later frame looks its row up at
   the return address minus one.  A row is reduced to a "rule": the CFA is
   rsp or rbp plus an offset, the return address is at CFA-8 (or undefined:
   the end of the stack), and rbp is unchanged, undefined or saved at
   CFA+N.  Anything else (DWARF expressions for these, the CFA in another
   register, signal frames) makes the walk give up with "fallback", and the
   caller uses libunwind.  Rows come from the object's .eh_frame_hdr table,
   found with glibc's lock-free _dl_find_object, and rules are cached by
   pc in a global table under a per-slot sequence lock: readers never wait,
   and a writer that finds the slot busy just does not cache.

   The stack cache.  The walk is a pure function of the captured rip, rsp
   and rbp, the pc -> rule mapping, and the stack words it read.  A miss
   records those words (as offsets from rsp0, with their values) and
   whether the live rbp was used, and caches the call-site id under them.
   A hit compares the words again, in the order the walk read them, so it
   reads only words a walk of the same stack would read: no call, no
   walk, a few loads that do not depend on each other.  Everything cached
   carries the generation that unwind_invalidate bumps.

   Nothing here calls malloc, memset or memcpy (-fno-builtin turns struct
   copies and loops into library calls only where we write them), holds a
   lock, or blocks, except in unwind_init.
   SPDX-License-Identifier: MIT */

#define _GNU_SOURCE
#include <config.h>

#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#include "unwind.h"

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define RELAXED __ATOMIC_RELAXED

#if defined(__x86_64__) && defined(__linux__)

/* Stack words and CFI fields, read at any alignment and as any type. */
typedef uintptr_t __attribute__((may_alias)) uword;
typedef uint16_t __attribute__((may_alias, aligned(1))) u16u;
typedef uint32_t __attribute__((may_alias, aligned(1))) u32u;
typedef uint64_t __attribute__((may_alias, aligned(1))) u64u;

enum {
    RULE_BITS = 14,        /* 16384 cached rules, 512 KiB */
    SLOTS_MAX = 24,        /* stack words a cacheable walk may read */
    SET_BITS = 7,          /* 128 sets ... */
    WAYS = 4,              /* ... of 4 stacks: 512 per thread */
    STATE_STACK = 16,      /* DW_CFA_remember_state depth */
    MAX_FRAME = 512 << 20, /* larger CFA steps are corruption */
    RED_ZONE = 128,
};

/* DWARF register numbers on x86-64. */
enum { REG_RBP = 6, REG_RSP = 7, REG_RA = 16 };

/* ------------------------------------------------------------ rules */

enum { K_FRAME, K_END, K_STOP, K_FALLBACK }; /* what a pc's row says */
enum { R_SAME, R_UNDEF, R_OFFSET, R_BAD };   /* how a register is restored */

struct rule {
    uint8_t kind;    /* K_* */
    uint8_t cfa_rbp; /* CFA = rbp + cfa_off, else rsp + cfa_off */
    uint8_t rbp_how; /* R_SAME, R_UNDEF or R_OFFSET (at CFA + rbp_off) */
    int32_t cfa_off;
    int32_t rbp_off;
};

/* A cached rule.  seq is odd while a writer fills the slot. */
struct rule_slot {
    uint32_t seq;
    uint32_t gen;
    uintptr_t pc;
    uint32_t bits; /* kind | cfa_rbp << 2 | rbp_how << 3 */
    int32_t cfa_off;
    int32_t rbp_off;
    uint32_t pad;
};

/* The ABI of glibc's struct dl_find_object (2.35 and later), spelt out so
   that older headers build too. */
struct find_result {
    unsigned long long flags;
    void *map_start;
    void *map_end;
    void *link_map;
    void *eh_frame;
    unsigned long long reserved[7];
};

static int (*find_object)(void *pc, struct find_result *out);
static struct rule_slot *g_rules;
static int g_ready;
static uint32_t g_gen = 1; /* never 0: empty cache entries hold 0 */

static inline __attribute__((always_inline)) uint32_t
gen_now(void)
{
    return __atomic_load_n(&g_gen, RELAXED);
}

/* A bounded reader of CFI bytes.  Overruns set bad and read zeros. */
struct rd {
    const uint8_t *p, *end;
    int bad;
};

static uint64_t
rd_uleb(struct rd *r)
{
    uint64_t v = 0;
    unsigned shift = 0;
    for (;;) {
        if (r->p >= r->end || shift > 63) {
            r->bad = 1;
            return 0;
        }
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80))
            return v;
    }
}

static int64_t
rd_sleb(struct rd *r)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        if (r->p >= r->end || shift > 63) {
            r->bad = 1;
            return 0;
        }
        b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        v |= ~(uint64_t)0 << shift;
    return (int64_t)v;
}

static uint64_t
rd_fixed(struct rd *r, unsigned size)
{
    if ((size_t)(r->end - r->p) < size) {
        r->bad = 1;
        return 0;
    }
    uint64_t v;
    switch (size) {
    case 1:
        v = *r->p;
        break;
    case 2:
        v = *(const u16u *)r->p;
        break;
    case 4:
        v = *(const u32u *)r->p;
        break;
    default:
        v = *(const u64u *)r->p;
        break;
    }
    r->p += size;
    return v;
}

/* A DW_EH_PE_* encoded pointer.  DEREF: follow DW_EH_PE_indirect (else
   the field is only skipped, as for the personality routine).  Returns 0
   for encodings we do not read (textrel, funcrel, aligned, unknown). */
static int
rd_encoded(struct rd *r, uint8_t enc, uintptr_t dbase, int deref, uintptr_t *out)
{
    uintptr_t at = (uintptr_t)r->p;
    uint64_t v;
    if (enc == 0xff) /* DW_EH_PE_omit */
        return 0;
    switch (enc & 0x0f) {
    case 0x00: /* absptr */
    case 0x04: /* udata8 */
    case 0x0c: /* sdata8 */
        v = rd_fixed(r, 8);
        break;
    case 0x01:
        v = rd_uleb(r);
        break;
    case 0x02:
        v = rd_fixed(r, 2);
        break;
    case 0x03:
        v = rd_fixed(r, 4);
        break;
    case 0x09:
        v = (uint64_t)rd_sleb(r);
        break;
    case 0x0a:
        v = (uint64_t)(int64_t)(int16_t)rd_fixed(r, 2);
        break;
    case 0x0b:
        v = (uint64_t)(int64_t)(int32_t)rd_fixed(r, 4);
        break;
    default:
        return 0;
    }
    switch (enc & 0x70) {
    case 0x00:
        break;
    case 0x10: /* pcrel */
        v += at;
        break;
    case 0x30: /* datarel: from .eh_frame_hdr */
        v += dbase;
        break;
    default:
        return 0;
    }
    if (r->bad)
        return 0;
    if ((enc & 0x80) && deref) {
        if (!v || (v & 7))
            return 0;
        v = *(const uword *)v;
    }
    *out = (uintptr_t)v;
    return 1;
}

/* The register rules we track while running a CFA program. */
struct regs {
    uint64_t cfa_reg;
    int64_t cfa_off;
    int64_t rbp_off, ra_off;
    uint8_t cfa_expr; /* the CFA is a DWARF expression */
    uint8_t rbp_how, ra_how, rsp_bad;
};

struct cfa_prog {
    struct regs cur, init;
    uint64_t code_align;
    int64_t data_align;
    uint8_t fde_enc;
    uintptr_t dbase;
    int bad; /* an op this walker cannot follow */
};

static void
set_reg(struct cfa_prog *s, uint64_t reg, uint8_t how, int64_t off)
{
    if (reg == REG_RBP) {
        s->cur.rbp_how = how;
        s->cur.rbp_off = off;
    } else if (reg == REG_RA) {
        s->cur.ra_how = how;
        s->cur.ra_off = off;
    } else if (reg == REG_RSP) {
        /* The caller's rsp is the CFA; any other rule is beyond us. */
        s->cur.rsp_bad = how != R_SAME && how != R_UNDEF;
    }
}

static void
restore_reg(struct cfa_prog *s, uint64_t reg)
{
    if (reg == REG_RBP) {
        s->cur.rbp_how = s->init.rbp_how;
        s->cur.rbp_off = s->init.rbp_off;
    } else if (reg == REG_RA) {
        s->cur.ra_how = s->init.ra_how;
        s->cur.ra_off = s->init.ra_off;
    } else if (reg == REG_RSP) {
        s->cur.rsp_bad = s->init.rsp_bad;
    }
}

static void
skip_block(struct rd *r)
{
    uint64_t len = rd_uleb(r);
    if ((uint64_t)(r->end - r->p) < len)
        r->bad = 1;
    else
        r->p += len;
}

/* Runs the CFA program in R for the row that covers PC, starting at LOC.
   Stops at the end, or when an advance passes PC. */
static void
run_cfa(struct cfa_prog *s, struct rd *r, uintptr_t loc, uintptr_t pc)
{
    struct regs stack[STATE_STACK];
    int depth = 0;
    while (r->p < r->end && !r->bad && !s->bad) {
        uint8_t op = *r->p++;
        uint64_t reg, delta;
        uintptr_t to;
        switch (op & 0xc0) {
        case 0x40: /* DW_CFA_advance_loc */
            delta = (op & 0x3f) * s->code_align;
            goto advance;
        case 0x80: /* DW_CFA_offset */
            set_reg(s, op & 0x3f, R_OFFSET, (int64_t)rd_uleb(r) * s->data_align);
            continue;
        case 0xc0: /* DW_CFA_restore */
            restore_reg(s, op & 0x3f);
            continue;
        }
        switch (op) {
        case 0x00: /* nop */
            break;
        case 0x01: /* set_loc */
            if (!rd_encoded(r, s->fde_enc, s->dbase, 1, &to)) {
                s->bad = 1;
                return;
            }
            if (to > pc)
                return;
            loc = to;
            break;
        case 0x02: /* advance_loc1 */
            delta = rd_fixed(r, 1) * s->code_align;
            goto advance;
        case 0x03: /* advance_loc2 */
            delta = rd_fixed(r, 2) * s->code_align;
            goto advance;
        case 0x04: /* advance_loc4 */
            delta = rd_fixed(r, 4) * s->code_align;
            goto advance;
        case 0x05: /* offset_extended */
            reg = rd_uleb(r);
            set_reg(s, reg, R_OFFSET, (int64_t)rd_uleb(r) * s->data_align);
            break;
        case 0x06: /* restore_extended */
            restore_reg(s, rd_uleb(r));
            break;
        case 0x07: /* undefined */
            set_reg(s, rd_uleb(r), R_UNDEF, 0);
            break;
        case 0x08: /* same_value */
            set_reg(s, rd_uleb(r), R_SAME, 0);
            break;
        case 0x09: /* register */
            reg = rd_uleb(r);
            rd_uleb(r);
            set_reg(s, reg, R_BAD, 0);
            break;
        case 0x0a: /* remember_state */
            if (depth == STATE_STACK) {
                s->bad = 1;
                return;
            }
            stack[depth++] = s->cur;
            break;
        case 0x0b: /* restore_state */
            if (depth == 0) {
                s->bad = 1;
                return;
            }
            s->cur = stack[--depth];
            break;
        case 0x0c: /* def_cfa */
            s->cur.cfa_reg = rd_uleb(r);
            s->cur.cfa_off = (int64_t)rd_uleb(r);
            s->cur.cfa_expr = 0;
            break;
        case 0x0d: /* def_cfa_register */
            s->cur.cfa_reg = rd_uleb(r);
            break;
        case 0x0e: /* def_cfa_offset */
            s->cur.cfa_off = (int64_t)rd_uleb(r);
            break;
        case 0x0f: /* def_cfa_expression */
            skip_block(r);
            s->cur.cfa_expr = 1;
            break;
        case 0x10: /* expression */
        case 0x16: /* val_expression */
            reg = rd_uleb(r);
            skip_block(r);
            set_reg(s, reg, R_BAD, 0);
            break;
        case 0x11: /* offset_extended_sf */
            reg = rd_uleb(r);
            set_reg(s, reg, R_OFFSET, rd_sleb(r) * s->data_align);
            break;
        case 0x12: /* def_cfa_sf */
            s->cur.cfa_reg = rd_uleb(r);
            s->cur.cfa_off = rd_sleb(r) * s->data_align;
            s->cur.cfa_expr = 0;
            break;
        case 0x13: /* def_cfa_offset_sf */
            s->cur.cfa_off = rd_sleb(r) * s->data_align;
            break;
        case 0x14: /* val_offset */
            reg = rd_uleb(r);
            rd_uleb(r);
            set_reg(s, reg, R_BAD, 0);
            break;
        case 0x15: /* val_offset_sf */
            reg = rd_uleb(r);
            rd_sleb(r);
            set_reg(s, reg, R_BAD, 0);
            break;
        case 0x2e: /* GNU_args_size */
            rd_uleb(r);
            break;
        case 0x2f: /* GNU_negative_offset_extended */
            reg = rd_uleb(r);
            set_reg(s, reg, R_OFFSET, -((int64_t)rd_uleb(r) * s->data_align));
            break;
        default:
            s->bad = 1;
            return;
        }
        continue;
    advance:
        if (loc + delta > pc)
            return;
        loc += delta;
    }
}

static void
rule_fallback(struct rule *out)
{
    out->kind = K_FALLBACK;
    out->cfa_rbp = out->rbp_how = 0;
    out->cfa_off = out->rbp_off = 0;
}

/* One entry of the .eh_frame_hdr search table. */
static uintptr_t
table_field(const uint8_t *at, uint8_t enc, unsigned size, uintptr_t dbase)
{
    uint64_t v;
    switch (size) {
    case 2:
        v = *(const u16u *)at;
        if (enc & 0x08)
            v = (uint64_t)(int64_t)(int16_t)v;
        break;
    case 4:
        v = *(const u32u *)at;
        if (enc & 0x08)
            v = (uint64_t)(int64_t)(int32_t)v;
        break;
    default:
        v = *(const u64u *)at;
        break;
    }
    if ((enc & 0x70) == 0x10)
        v += (uintptr_t)at;
    else if ((enc & 0x70) == 0x30)
        v += dbase;
    return (uintptr_t)v;
}

/* The rule for PC, in the object FO holds. */
static void
rule_compute_in(uintptr_t pc, const struct find_result *fo, struct rule *out)
{
    const uint8_t *hdr = fo->eh_frame;
    if (!hdr || hdr[0] != 1)
        return;
    uintptr_t dbase = (uintptr_t)hdr, eh_frame, count;
    uint8_t tab_enc = hdr[3];
    struct rd r = {hdr + 4, hdr + 4 + 16, 0};
    if (!rd_encoded(&r, hdr[1], dbase, 1, &eh_frame) || !rd_encoded(&r, hdr[2], dbase, 1, &count))
        return;
    unsigned size;
    switch (tab_enc & 0x0f) {
    case 0x02:
    case 0x0a:
        size = 2;
        break;
    case 0x03:
    case 0x0b:
        size = 4;
        break;
    case 0x00:
    case 0x04:
    case 0x0c:
        size = 8;
        break;
    default:
        return; /* variable-length entries: no binary search */
    }
    uint8_t app = tab_enc & 0x70;
    if ((tab_enc & 0x80) || (app != 0x00 && app != 0x10 && app != 0x30))
        return;
    const uint8_t *table = r.p;
    if (count == 0 || count > ((uintptr_t)1 << 40)) {
        out->kind = K_STOP;
        return;
    }

    /* The last entry whose initial location is <= pc. */
    uintptr_t lo = 0, hi = count;
    while (hi - lo > 1) {
        uintptr_t mid = lo + (hi - lo) / 2;
        if (table_field(table + mid * 2 * size, tab_enc, size, dbase) <= pc)
            lo = mid;
        else
            hi = mid;
    }
    if (table_field(table + lo * 2 * size, tab_enc, size, dbase) > pc) {
        out->kind = K_STOP;
        return;
    }
    const uint8_t *fde =
        (const uint8_t *)table_field(table + lo * 2 * size + size, tab_enc, size, dbase);

    /* The FDE and its CIE.  64-bit DWARF (length 0xffffffff) does not
       occur in .eh_frame on x86-64; we do not read it. */
    uint32_t flen = *(const u32u *)fde;
    if (flen == 0 || flen == 0xffffffffu)
        return;
    const uint8_t *fend = fde + 4 + flen;
    uint32_t cie_delta = *(const u32u *)(fde + 4);
    if (cie_delta == 0)
        return; /* a CIE where an FDE belongs */
    const uint8_t *cie = fde + 4 - cie_delta;
    uint32_t clen = *(const u32u *)cie;
    if (clen == 0 || clen == 0xffffffffu || *(const u32u *)(cie + 4) != 0)
        return;
    struct rd c = {cie + 8, cie + 4 + clen, 0};
    uint8_t version = (uint8_t)rd_fixed(&c, 1);
    if (version != 1 && version != 3 && version != 4)
        return;
    const char *aug = (const char *)c.p;
    while (c.p < c.end && *c.p)
        c.p++;
    if (c.p >= c.end)
        return;
    c.p++;
    if (aug[0] != 'z' && aug[0] != 0)
        return; /* "eh" and other ancient forms */
    if (version == 4 && (rd_fixed(&c, 1) != 8 || rd_fixed(&c, 1) != 0))
        return; /* address size 8, segment size 0 */

    struct cfa_prog s;
    s.code_align = rd_uleb(&c);
    s.data_align = rd_sleb(&c);
    uint64_t ra_reg = version == 1 ? rd_fixed(&c, 1) : rd_uleb(&c);
    s.fde_enc = 0; /* absptr */
    s.dbase = dbase;
    s.bad = 0;
    if (ra_reg != REG_RA)
        return;
    if (aug[0] == 'z') {
        uint64_t alen = rd_uleb(&c);
        if (c.bad || (uint64_t)(c.end - c.p) < alen)
            return;
        struct rd a = {c.p, c.p + alen, 0};
        c.p += alen;
        for (const char *l = aug + 1; *l; l++) {
            uintptr_t skip;
            uint8_t enc;
            switch (*l) {
            case 'R':
                s.fde_enc = (uint8_t)rd_fixed(&a, 1);
                break;
            case 'P':
                enc = (uint8_t)rd_fixed(&a, 1);
                if (!rd_encoded(&a, enc, dbase, 0, &skip))
                    return;
                break;
            case 'L':
                rd_fixed(&a, 1);
                break;
            default: /* 'S' (a signal frame) and anything we do not know */
                return;
            }
            if (a.bad)
                return;
        }
    }
    if (c.bad)
        return;

    struct rd f = {fde + 8, fend, 0};
    uintptr_t begin, range;
    if (!rd_encoded(&f, s.fde_enc, dbase, 1, &begin) ||
        !rd_encoded(&f, s.fde_enc & 0x0f, dbase, 0, &range))
        return;
    if (pc < begin || pc - begin >= range) {
        out->kind = K_STOP; /* in a gap between FDEs */
        return;
    }
    if (aug[0] == 'z') {
        uint64_t alen = rd_uleb(&f);
        if (f.bad || (uint64_t)(f.end - f.p) < alen)
            return;
        f.p += alen;
    }

    /* The CIE's initial instructions, then the FDE's up to pc. */
    s.cur.cfa_reg = REG_RSP;
    s.cur.cfa_off = 8;
    s.cur.cfa_expr = 0;
    s.cur.rbp_how = R_SAME;
    s.cur.ra_how = R_SAME;
    s.cur.rbp_off = s.cur.ra_off = 0;
    s.cur.rsp_bad = 0;
    s.init = s.cur;
    run_cfa(&s, &c, begin, pc);
    if (s.bad || c.bad)
        return;
    s.init = s.cur;
    run_cfa(&s, &f, begin, pc);
    if (s.bad || f.bad)
        return;

    struct regs *g = &s.cur;
    if (g->ra_how == R_UNDEF) {
        out->kind = K_END;
        return;
    }
    if (g->ra_how != R_OFFSET || g->ra_off != -8 || g->cfa_expr || g->rsp_bad ||
        (g->cfa_reg != REG_RSP && g->cfa_reg != REG_RBP) || g->cfa_off <= 0 ||
        g->cfa_off > MAX_FRAME || g->rbp_how == R_BAD ||
        (g->rbp_how == R_OFFSET && (g->rbp_off < -MAX_FRAME || g->rbp_off > MAX_FRAME)))
        return;
    out->kind = K_FRAME;
    out->cfa_rbp = g->cfa_reg == REG_RBP;
    out->cfa_off = (int32_t)g->cfa_off;
    out->rbp_how = g->rbp_how;
    out->rbp_off = g->rbp_how == R_OFFSET ? (int32_t)g->rbp_off : 0;
}

/* The rule for PC, from the object's CFI.  Returns 0 when the answer
   must not be cached: PC is in no object now, but code may be mapped
   there later without a dlclose to tell us. */
static int
rule_compute(uintptr_t pc, struct rule *out)
{
    struct find_result fo;
    rule_fallback(out);
    if (find_object((void *)pc, &fo) != 0) {
        out->kind = K_STOP; /* not in any object: JIT code, or garbage */
        return 0;
    }
    rule_compute_in(pc, &fo, out);
    return 1;
}

static inline struct rule_slot *
rule_slot_of(uintptr_t pc)
{
    return &g_rules[(pc * 0x9e3779b97f4a7c15ull) >> (64 - RULE_BITS)];
}

/* The rule for PC under generation GEN: cached, else computed and cached.
   The slots follow the C11 sequence-lock pattern (Boehm, "Can seqlocks
   get along with programming language memory models?"); a reader that
   sees a writer at work, or a torn slot, computes the rule itself. */
static void
rule_of(uintptr_t pc, uint32_t gen, struct rule *out)
{
    struct rule_slot *s = rule_slot_of(pc);
    uint32_t q = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
    if (!(q & 1)) {
        uintptr_t spc = __atomic_load_n(&s->pc, RELAXED);
        uint32_t sgen = __atomic_load_n(&s->gen, RELAXED);
        uint32_t bits = __atomic_load_n(&s->bits, RELAXED);
        int32_t cfa_off = __atomic_load_n(&s->cfa_off, RELAXED);
        int32_t rbp_off = __atomic_load_n(&s->rbp_off, RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&s->seq, RELAXED) == q && spc == pc && sgen == gen) {
            out->kind = bits & 3;
            out->cfa_rbp = (bits >> 2) & 1;
            out->rbp_how = (bits >> 3) & 3;
            out->cfa_off = cfa_off;
            out->rbp_off = rbp_off;
            return;
        }
    }
    if (!rule_compute(pc, out))
        return;
    q = __atomic_load_n(&s->seq, RELAXED);
    if ((q & 1) || !__atomic_compare_exchange_n(&s->seq, &q, q + 1, 0, __ATOMIC_ACQUIRE, RELAXED))
        return; /* another writer, perhaps the code we interrupted */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&s->pc, pc, RELAXED);
    __atomic_store_n(&s->gen, gen, RELAXED);
    __atomic_store_n(&s->bits, (uint32_t)(out->kind | out->cfa_rbp << 2 | out->rbp_how << 3),
                     RELAXED);
    __atomic_store_n(&s->cfa_off, out->cfa_off, RELAXED);
    __atomic_store_n(&s->rbp_off, out->rbp_off, RELAXED);
    __atomic_store_n(&s->seq, q + 2, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------ walker */

/* The stack words a walk read, for the stack cache. */
struct record {
    int n;
    int over;     /* read more than SLOTS_MAX words: not cacheable */
    int use_rbp0; /* the live rbp chose some CFA */
    int32_t off[SLOTS_MAX];
    uintptr_t val[SLOTS_MAX];
};

static inline void
note(struct record *rec, uintptr_t rsp0, uintptr_t addr, uintptr_t val)
{
    intptr_t off = (intptr_t)(addr - rsp0);
    if (rec->n == SLOTS_MAX || off < INT32_MIN || off > INT32_MAX) {
        rec->over = 1;
        return;
    }
    rec->off[rec->n] = (int32_t)off;
    rec->val[rec->n++] = val;
}

/* The walk from a captured frame-0 state.  The rbp-save slots are noted
   only when the rbp they restore chooses a CFA: the values of the others
   do not change the result. */
static __attribute__((noinline)) int
walk(uintptr_t pc, uintptr_t rsp, uintptr_t rbp, uintptr_t *ips, int max, uint32_t gen,
     struct record *rec)
{
    const uintptr_t rsp0 = rsp;
    uintptr_t rbp_at = 0; /* where rbp was restored from; 0: the live rbp0 */
    int rbp_valid = 1, rbp_noted = 0, n = 0;
    if (max > UNWIND_MAX_FRAMES + 1)
        max = UNWIND_MAX_FRAMES + 1;
    if (max <= 0)
        return 0;
    for (;;) {
        struct rule r;
        rule_of(pc, gen, &r);
        if (r.kind == K_FALLBACK)
            return -1;
        if (r.kind != K_FRAME)
            return n;
        uintptr_t base = rsp;
        if (r.cfa_rbp) {
            if (!rbp_valid)
                return -1;
            base = rbp;
            if (rec) {
                if (!rbp_at)
                    rec->use_rbp0 = 1;
                else if (!rbp_noted)
                    note(rec, rsp0, rbp_at, rbp);
                rbp_noted = 1;
            }
        }
        uintptr_t cfa = base + (intptr_t)r.cfa_off;
        if (cfa <= rsp || (cfa & 7) || cfa - rsp > MAX_FRAME)
            return n; /* a corrupt frame: what we have is all we trust */
        uintptr_t ra = *(const uword *)(cfa - 8);
        if (rec)
            note(rec, rsp0, cfa - 8, ra);
        if (r.rbp_how == R_OFFSET) {
            uintptr_t at = cfa + (intptr_t)r.rbp_off;
            if (at + 8 > cfa || at < rsp - RED_ZONE || (at & 7))
                return n;
            rbp = *(const uword *)at;
            rbp_at = at;
            rbp_valid = 1;
            rbp_noted = 0;
        } else if (r.rbp_how == R_UNDEF) {
            rbp_valid = 0;
        }
        rsp = cfa;
        if (ra == 0)
            return n;
        ips[n++] = ra;
        if (n >= max)
            return n;
        pc = ra - 1;
    }
}

/* rip, rsp and rbp at one point of the calling function. */
#define CAPTURE(rip, rsp, rbp)                                                                     \
    __asm__ volatile("leaq 0(%%rip), %0\n\tmovq %%rsp, %1\n\tmovq %%rbp, %2"                       \
                     : "=r"(rip), "=r"(rsp), "=r"(rbp))

__attribute__((noinline)) int
unwind_backtrace(uintptr_t *ips, int max)
{
    uintptr_t rip, rsp, rbp;
    CAPTURE(rip, rsp, rbp);
    if (UNLIKELY(!__atomic_load_n(&g_ready, __ATOMIC_ACQUIRE)))
        return -1;
    int n = walk(rip, rsp, rbp, ips, max, gen_now(), NULL);
    /* Not a tail call: this frame must live while walk reads it. */
    __asm__ volatile("" ::: "memory");
    return n;
}

/* ------------------------------------------------------------ cache */

struct entry {
    uintptr_t rsp0, ra0, rip0;
    uint64_t gen_max;         /* gen << 32 | max; gen 0: empty */
    uintptr_t rbp0, rbp_mask; /* rbp_mask: ~0 when the walk used rbp0 */
    uint32_t site;
    uint32_t n;
    struct {
        intptr_t off;
        uintptr_t val;
    } slot[SLOTS_MAX];
};

struct unwind_cache {
    struct entry e[(1 << SET_BITS) * WAYS];
    uint8_t victim[1 << SET_BITS];
    uint64_t hits, misses, fallbacks;
    int in_use;
    struct unwind_cache *next; /* every cache ever mapped */
};

static struct unwind_cache *g_caches;

static inline __attribute__((always_inline)) unsigned
set_of(uintptr_t rsp0, uintptr_t ra0, int max)
{
    return (unsigned)(((rsp0 ^ (ra0 << 16) ^ (uintptr_t)max) * 0x9e3779b97f4a7c15ull) >>
                      (64 - SET_BITS));
}

static inline __attribute__((always_inline)) void
bump(uint64_t *counter)
{
    __atomic_store_n(counter, __atomic_load_n(counter, RELAXED) + 1, RELAXED);
}

/* A cache for a new thread: a released one, else a new mapping.  Caches
   are never unmapped, so the list only grows and needs no lock. */
static struct unwind_cache *
cache_get(void)
{
    struct unwind_cache *c;
    for (c = __atomic_load_n(&g_caches, __ATOMIC_ACQUIRE); c; c = c->next) {
        int free_ = 0;
        if (__atomic_load_n(&c->in_use, RELAXED) == 0 &&
            __atomic_compare_exchange_n(&c->in_use, &free_, 1, 0, __ATOMIC_ACQUIRE, RELAXED))
            return c;
    }
    void *m = mmap(NULL, sizeof *c, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    c = m;
    c->in_use = 1;
    c->next = __atomic_load_n(&g_caches, RELAXED);
    while (!__atomic_compare_exchange_n(&g_caches, &c->next, c, 1, __ATOMIC_RELEASE, RELAXED))
        ;
    return c;
}

void
unwind_cache_release(struct unwind_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < sizeof c->e / sizeof c->e[0]; i++)
        c->e[i].gen_max = 0;
    __atomic_store_n(&c->in_use, 0, __ATOMIC_RELEASE);
}

static __attribute__((noinline)) uint32_t
site_miss(struct unwind_cache **cachep, uintptr_t rip, uintptr_t rsp, uintptr_t rbp, uintptr_t ra0,
          int max, unwind_site_fn site_of)
{
    if (UNLIKELY(!__atomic_load_n(&g_ready, __ATOMIC_ACQUIRE)))
        return UNWIND_FALLBACK;
    struct unwind_cache *c = *cachep;
    if (!c) {
        c = cache_get();
        if (!c)
            return UNWIND_FALLBACK;
        *cachep = c;
    }
    uintptr_t ips[UNWIND_MAX_FRAMES + 1];
    struct record rec;
    rec.n = rec.over = rec.use_rbp0 = 0;
    uint32_t gen = gen_now();
    int n = walk(rip, rsp, rbp, ips, max, gen, &rec);
    if (n < 0) {
        bump(&c->fallbacks);
        return UNWIND_FALLBACK;
    }
    bump(&c->misses);
    uint32_t site = site_of(ips, n);
    if (rec.over || site == UNWIND_FALLBACK || max < 1 || max > UNWIND_MAX_FRAMES + 1)
        return site;

    /* A signal handler on this thread may look at the entry while we fill
       it: it is empty until its generation is written last. */
    unsigned set = set_of(rsp, ra0, max);
    unsigned way = c->victim[set]++ % WAYS;
    for (unsigned w = 0; w < WAYS; w++)
        if (c->e[set * WAYS + w].gen_max >> 32 != gen) {
            way = w;
            break;
        }
    struct entry *e = &c->e[set * WAYS + way];
    e->gen_max = 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    e->rsp0 = rsp;
    e->ra0 = ra0;
    e->rip0 = rip;
    e->rbp0 = rbp;
    e->rbp_mask = rec.use_rbp0 ? ~(uintptr_t)0 : 0;
    e->site = site;
    e->n = (uint32_t)rec.n;
    for (int i = 0; i < rec.n; i++) {
        e->slot[i].off = rec.off[i];
        e->slot[i].val = rec.val[i];
    }
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    e->gen_max = (uint64_t)gen << 32 | (uint32_t)max;
    return site;
}

/* The hit path: every malloc of a known stack comes here and leaves
   without a call. */
__attribute__((noinline)) uint32_t
unwind_site(struct unwind_cache **cachep, int max, unwind_site_fn site_of)
{
    uintptr_t rip, rsp, rbp;
    CAPTURE(rip, rsp, rbp);
    uintptr_t ra0 = (uintptr_t)__builtin_return_address(0);
    struct unwind_cache *c = *cachep;
    if (LIKELY(c != NULL)) {
        uint64_t gen_max = (uint64_t)gen_now() << 32 | (uint32_t)max;
        struct entry *e = &c->e[set_of(rsp, ra0, max) * WAYS];
        for (int w = 0; w < WAYS; w++, e++) {
            if (((e->rsp0 ^ rsp) | (e->ra0 ^ ra0) | (e->rip0 ^ rip) | (e->gen_max ^ gen_max) |
                 ((e->rbp0 ^ rbp) & e->rbp_mask)) != 0)
                continue;
            /* In the walk's order: a word is read only when every word
               before it matched, that is when a walk would read it too. */
            uint32_t i, n = e->n;
            for (i = 0; i < n; i++)
                if (*(const uword *)(rsp + e->slot[i].off) != e->slot[i].val)
                    break;
            if (LIKELY(i == n)) {
                bump(&c->hits);
                return e->site;
            }
        }
    }
    uint32_t site = site_miss(cachep, rip, rsp, rbp, ra0, max, site_of);
    /* Not a tail call: this frame must live while site_miss walks it. */
    __asm__ volatile("" ::: "memory");
    return site;
}

void
unwind_invalidate(void)
{
    if (__atomic_add_fetch(&g_gen, 1, __ATOMIC_RELEASE) == 0)
        __atomic_add_fetch(&g_gen, 1, __ATOMIC_RELEASE);
}

void
unwind_stats(uint64_t *hits, uint64_t *misses, uint64_t *fallbacks)
{
    uint64_t h = 0, m = 0, f = 0;
    for (struct unwind_cache *c = __atomic_load_n(&g_caches, __ATOMIC_ACQUIRE); c; c = c->next) {
        h += __atomic_load_n(&c->hits, RELAXED);
        m += __atomic_load_n(&c->misses, RELAXED);
        f += __atomic_load_n(&c->fallbacks, RELAXED);
    }
    *hits = h;
    *misses = m;
    *fallbacks = f;
}

int
unwind_init(void)
{
    if (__atomic_load_n(&g_ready, __ATOMIC_ACQUIRE))
        return 1;
    void *f = dlsym(RTLD_DEFAULT, "_dl_find_object");
    if (!f)
        return 0;
    void *m = mmap(NULL, sizeof(struct rule_slot) << RULE_BITS, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        return 0;
    find_object = (int (*)(void *, struct find_result *))f;
    g_rules = m;
    __atomic_store_n(&g_ready, 1, __ATOMIC_RELEASE);
    return 1;
}

#else /* not x86-64 Linux: no fast walker */

int
unwind_init(void)
{
    return 0;
}

void
unwind_invalidate(void)
{
}

__attribute__((noinline)) uint32_t
unwind_site(struct unwind_cache **cache, int max, unwind_site_fn site_of)
{
    return UNWIND_FALLBACK;
}

__attribute__((noinline)) int
unwind_backtrace(uintptr_t *ips, int max)
{
    return -1;
}

void
unwind_cache_release(struct unwind_cache *cache)
{
}

void
unwind_stats(uint64_t *hits, uint64_t *misses, uint64_t *fallbacks)
{
    *hits = *misses = *fallbacks = 0;
}

#endif
