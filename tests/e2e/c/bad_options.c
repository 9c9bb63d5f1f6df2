// Bad LEAKCHECK_OPTIONS: an unknown name and a malformed value each get one clear line; the rest still
// applies and the program runs as usual, exiting with its own status.
// OPTIONS: nosuch=1:grace_ms=abc:verbosity=1
// EXIT: 7
// EXPECT-COUNT: 1 ^leakcheck: .*unknown option .?nosuch
// EXPECT-COUNT: 1 ^leakcheck: .*(grace_ms.*abc|abc.*grace_ms)
// REJECT: ^leakcheck: found
// STDOUT: ^hello from 4 threads$
#include <pthread.h>
#include <stdio.h>

static void *hello(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_t t[4];
    long n = 0;
    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, hello, (void *)1);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        n += (long)r;
    }
    printf("hello from %ld threads\n", n);
    return 7;
}
