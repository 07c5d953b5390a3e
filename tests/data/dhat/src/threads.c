/* threads.c: four threads, each making 100 blocks of 64 bytes at one call
   site (worker) and freeing them; the main thread leaks one 1000-byte
   block.  pthread_create allocates a little on its own (thread-local
   storage), so only the worker's and main's program points have counts
   known in advance: 400 blocks and 25600 bytes in worker, 1 block of 1000
   bytes in main, live at the end.
   SPDX-License-Identifier: MIT */

#include <pthread.h>
#include <stdlib.h>

void *volatile sink;

static void *
worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        void *p = malloc(64);
        sink = p;
        free(p);
    }
    return NULL;
}

int
main(void)
{
    pthread_t t[4];
    sink = malloc(1000);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    return 0;
}
