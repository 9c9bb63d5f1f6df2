// dlopen/dlclose of a library that creates threads: its constructor starts a thread that its destructor
// joins, plugin_start() starts a task thread (joined by plugin_stop()) and a worker that blocks for good in the
// library's own code. After dlclose the library is unmapped while the worker still waits: the verdict must
// still report it (its frames cannot be named any more: no crash, an address or module+offset instead) and
// nothing else. The driver builds the library (this file with -DPLUGIN).
// DRIVER: fault_dlclose.sh
// OPTIONS: grace_ms=50
// EXIT: 66
// EXPECT: ^stdout: plugin task joined: 0$
// EXPECT: ^stdout: unloaded: yes$
// EXPECT: ^stdout: still mapped: no$
// EXPECT-COUNT: 1 ^leakcheck: found unexpected threads \(1 leaked in 1 groups?\)$
// EXPECT: ^\[1 thread blocked for [0-9]+\.[0-9]{2}s in pthread_cond_wait on cond 0x[0-9a-f]+\]$
// EXPECT: ^    .*0x[0-9a-f]+
// EXPECT: ^  created by .* \(thread 1\)$
// EXPECT-COUNT: 1 ^leakcheck: 1 leaked, 0 misuse; exit status 66$
// REJECT: ctor_thread|plugin_task
// REJECT: [Ss]egmentation|[Aa]bort|[Bb]us error|internal error
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#ifdef PLUGIN
/* ---- the library ---------------------------------------------------------------------------------------- */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_t ctor_t, task_t;
atomic_int plugin_worker_tid;

static void *ctor_thread(void *arg)
{
    return arg;
}

__attribute__((constructor)) static void plugin_init(void)
{
    pthread_create(&ctor_t, NULL, ctor_thread, NULL);
}

__attribute__((destructor)) static void plugin_fini(void)
{
    pthread_join(ctor_t, NULL);
}

static void *plugin_task(void *arg)
{
    usleep(5 * 1000);
    return arg;
}

static void plugin_wait(void)
{
    pthread_mutex_lock(&mu);
    atomic_store(&plugin_worker_tid, (int)gettid());
    for (;;)
        pthread_cond_wait(&never, &mu);
}

static void *plugin_worker(void *arg)
{
    plugin_wait();
    return arg;
}

void plugin_start(void)
{
    pthread_t w;
    pthread_create(&w, NULL, plugin_worker, NULL);
    pthread_create(&task_t, NULL, plugin_task, NULL);
}

int plugin_stop(void)
{
    return pthread_join(task_t, NULL);
}

#else
/* ---- the program ---------------------------------------------------------------------------------------- */
#include <dlfcn.h>
#include <string.h>
#include "../../stress/waitsys.h"

static int mapped(const char *path)
{
    char line[4096];
    int found = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f))
        found |= strstr(line, path) != NULL;
    if (f)
        fclose(f);
    return found;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PLUGIN.so\n", argv[0]);
        return 2;
    }
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 2;
    }
    void (*start)(void) = (void (*)(void))dlsym(h, "plugin_start");
    int (*stop)(void) = (int (*)(void))dlsym(h, "plugin_stop");
    atomic_int *tid = dlsym(h, "plugin_worker_tid");
    if (!start || !stop || !tid)
        return 2;
    start();
    for (int i = 0; i < 2000 && !atomic_load(tid); i++)
        usleep(1000);
    wait_in_syscall(atomic_load(tid), SYS_futex, 2000);
    printf("plugin task joined: %d\n", stop());
    dlclose(h);
    printf("unloaded: %s\n", dlopen(argv[1], RTLD_NOW | RTLD_NOLOAD) ? "no" : "yes");
    printf("still mapped: %s\n", mapped(argv[1]) ? "yes" : "no");
    return 0;
}
#endif
