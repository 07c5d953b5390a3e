/* api-count.c: the in-process API of dhat-preload.so, used as a unit test
   would use it: "this call allocates exactly N times".  Works (and checks
   nothing) when the library is not preloaded.
   SPDX-License-Identifier: MIT */

#include "dhat-preload.h"

#include <stdio.h>
#include <stdlib.h>

struct node {
    struct node *next;
    int value;
};

struct list {
    struct node *head;
    size_t len;
};

/* Allocates the list header and one node per element: N + 1 blocks. */
static struct list *
build_list(int n)
{
    struct list *l = calloc(1, sizeof *l);
    for (int i = 0; i < n; i++) {
        struct node *e = malloc(sizeof *e);
        e->value = i;
        e->next = l->head;
        l->head = e;
        l->len++;
    }
    return l;
}

static void
free_list(struct list *l)
{
    while (l->head) {
        struct node *e = l->head;
        l->head = e->next;
        free(e);
    }
    free(l);
}

int
main(void)
{
    struct dhat_preload_stats st;
    int failed = 0;
    if (!dhat_preload_active()) {
        /* Without the library every call is a no-op. */
        dhat_preload_reset();
        if (dhat_preload_get_stats(&st) != -1 || st.total_blocks != 0 ||
            dhat_preload_write_snapshot("x") != -1) {
            fprintf(stderr, "api-count: the API should do nothing without the library\n");
            return 1;
        }
        puts("api-count: not preloaded");
        return 0;
    }

    dhat_preload_reset();
    struct list *l = build_list(10);
    dhat_preload_get_stats(&st);
    if (st.total_blocks != 11 || st.total_bytes != 10 * sizeof(struct node) + sizeof(struct list)) {
        fprintf(stderr, "api-count: build_list(10) allocated %llu blocks, %llu bytes\n",
                (unsigned long long)st.total_blocks, (unsigned long long)st.total_bytes);
        failed = 1;
    }
    uint64_t live = st.curr_blocks;
    if (st.max_bytes < st.curr_bytes || st.max_blocks < 11) {
        fprintf(stderr, "api-count: max %llu bytes, %llu blocks\n",
                (unsigned long long)st.max_bytes, (unsigned long long)st.max_blocks);
        failed = 1;
    }
    if (dhat_preload_write_snapshot("built") != 0) {
        fprintf(stderr, "api-count: snapshot failed\n");
        failed = 1;
    }
    free_list(l);
    dhat_preload_get_stats(&st);
    if (st.curr_blocks != live - 11 || st.total_blocks != 11) {
        fprintf(stderr, "api-count: after free: %llu live blocks, %llu total\n",
                (unsigned long long)st.curr_blocks, (unsigned long long)st.total_blocks);
        failed = 1;
    }
    /* A reset starts the maximum at the current heap. */
    dhat_preload_reset();
    dhat_preload_get_stats(&st);
    if (st.total_blocks != 0 || st.max_bytes != st.curr_bytes) {
        fprintf(stderr, "api-count: after reset: %llu blocks, max %llu, curr %llu\n",
                (unsigned long long)st.total_blocks, (unsigned long long)st.max_bytes,
                (unsigned long long)st.curr_bytes);
        failed = 1;
    }
    printf("api-count: build_list(10) allocated 11 blocks\n");
    return failed;
}
