/* signals.c: a signal handler that allocates, on a 200 us timer, while
   the main loop allocates and frees.  The handler interrupts the
   profiler's hooks at every point of their fast and slow paths; each of
   its blocks must be counted, and freed, exactly once.

   Usage: signals itimer|posix [N]
   itimer: setitimer(ITIMER_REAL), SIGALRM; posix: timer_create, SIGUSR1.
   The main loop makes N blocks (default 3000000) and frees all but every
   100000th; the handler makes and frees one 33-byte block per signal.
   glibc's allocator is not async-signal-safe either: a handler's malloc
   that interrupts it in the same size class, or in its shared bins, can
   corrupt the heap (this program hung or crashed that way without the
   profiler).  So the main loop's blocks (256 to 319 bytes) are of other
   size classes than the handler's, and the handler's class is warmed up
   before the timer starts: glibc then serves the handler from its
   per-thread cache, a bin of its own, and the profiler is what is
   tested.
   Prints "mallocs M live L": every malloc the program made, and the
   blocks still live at exit.  Nothing here uses stdio, which would
   allocate a buffer of its own.
   SPDX-License-Identifier: MIT */

#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handler_mallocs;
static void *kept[64]; /* the blocks left live at exit */

static void
on_timer(int sig)
{
    (void)sig;
    free(malloc(33));
    handler_mallocs++;
}

static void
say(const char *s)
{
    size_t n = strlen(s);
    if (write(1, s, n) != (ssize_t)n)
        _exit(1);
}

static void
die(const char *s)
{
    if (write(2, s, strlen(s)) < 0)
        _exit(2);
    _exit(1);
}

int
main(int argc, char **argv)
{
    int posix = argc > 1 && strcmp(argv[1], "posix") == 0;
    long n = argc > 2 ? atol(argv[2]) : 3000000;
    int sig = posix ? SIGUSR1 : SIGALRM;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_timer;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0)
        die("signals: sigaction failed\n");

    /* The warm-up (see above). */
    free(malloc(33));
    long main_mallocs = 1, live = 0;

    timer_t timer;
    struct itimerval it = {{0, 200}, {0, 200}};
    if (posix) {
        struct sigevent ev;
        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_SIGNAL;
        ev.sigev_signo = sig;
        struct itimerspec ts = {{0, 200000}, {0, 200000}};
        if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0 ||
            timer_settime(timer, 0, &ts, NULL) != 0)
            die("signals: timer_create failed\n");
    } else if (setitimer(ITIMER_REAL, &it, NULL) != 0) {
        die("signals: setitimer failed\n");
    }

    for (long i = 0; i < n; i++) {
        void *p = malloc(256 + (size_t)(i & 63));
        if (!p)
            die("signals: out of memory\n");
        main_mallocs++;
        if (i % 100000 == 0 && live < 64)
            kept[live++] = p;
        else
            free(p);
    }

    /* No more signals from here: the counts are final. */
    if (posix) {
        timer_delete(timer);
    } else {
        struct itimerval off;
        memset(&off, 0, sizeof off);
        setitimer(ITIMER_REAL, &off, NULL);
    }
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);

    char line[128];
    snprintf(line, sizeof line, "mallocs %ld live %ld handler %ld\n",
             main_mallocs + handler_mallocs, live, (long)handler_mallocs);
    say(line);
    return 0;
}
