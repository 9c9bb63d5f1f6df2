// Default suppressions (report/libleakcheck.supp, beside the library): libgomp's team threads, parked after a
// parallel region and never joined, are not leaks by default; the program's own leaked thread still is, with
// its line. default_suppressions=0 shows the pool too, matched by module (a "created by" frame in libgomp.so,
// as the report prints it); verbosity=2 names the rule that silenced it. libgomp is loaded with dlopen so the
// case builds without -fopenmp.
// DRIVER: default_supp_openmp.sh
// OPTIONS: grace_ms=100
// EXIT: 0
// EXPECT: ^default: exit 66$
// EXPECT: ^default: leakcheck: found unexpected threads \(1 leaked in 1 groups\)$
// EXPECT: ^default:     waiter +.*default_supp_openmp\.c:42$
// EXPECT: ^default:   created by main +.*default_supp_openmp\.c:64 +\(thread 1\)$
// EXPECT: ^default: leakcheck: 1 leaked, 0 misuse; exit status 66$
// REJECT: ^default: .*libgomp
// REJECT: ^default: .*used suppressions
// EXPECT: ^off: exit 66$
// EXPECT: ^off: leakcheck: found unexpected threads \(3 leaked in 2 groups\)$
// EXPECT: ^off: \[2 threads blocked in futex wait on object 0x[0-9a-f]+\]$
// EXPECT: ^off:   created by main +.*default_supp_openmp\.c:61 +\(thread 1\)$
// EXPECT: ^off:     start routine \?\? +/.*/libgomp\.so[.0-9]*\+0x[0-9a-f]+$
// EXPECT: ^off: leakcheck: 3 leaked, 0 misuse; exit status 66$
// EXPECT: ^verbose: exit 66$
// EXPECT: ^verbose: leakcheck: [0-9]+ default suppressions from /.*/libleakcheck\.supp$
// EXPECT: ^verbose:   2 leak_created_by:\*/libgomp\.so\*  \(default\)$
// EXPECT: ^clean: exit 0$
// EXPECT-COUNT: 1 ^clean:
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static long sums[8];

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    pthread_cond_wait(&never, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* One OpenMP region: GOMP_parallel(fn, data, num_threads, flags), the call gcc makes for "#pragma omp parallel". */
static void region(void *data)
{
    int (*thread_num)(void) = data;
    sums[thread_num() & 7] += 1;
}

int main(int argc, char **argv)
{
    void *gomp = dlopen("libgomp.so.1", RTLD_NOW);
    if (!gomp)
        return 77;
    void (*parallel)(void (*)(void *), void *, unsigned, unsigned) = (void (*)(void (*)(void *), void *, unsigned, unsigned))dlsym(gomp, "GOMP_parallel");
    void *thread_num = dlsym(gomp, "omp_get_thread_num");
    parallel(region, thread_num, 3, 0);
    pthread_t t;
    if (argc < 2 || strcmp(argv[1], "clean") != 0)
        pthread_create(&t, NULL, waiter, NULL);
    usleep(20000);
    printf("%ld\n", sums[0] + sums[1] + sums[2]);
    return 0;
}
