// Correct, but failing on its own: a clean multi-threaded program that returns 5 keeps status 5 and gets
// no report; a thread joined with pthread_join after it already finished is not "never joined".
// EXIT: 5
// REJECT: ^leakcheck
// STDOUT: ^validation failed: 2 errors$
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *validate(void *arg)
{
    return (void *)(long)(*(int *)arg % 2);
}

int main(void)
{
    pthread_t t[4];
    int in[4] = {1, 2, 3, 4};
    long errors = 0;
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, validate, &in[i]);
    usleep(20 * 1000); /* all finished before they are joined */
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        errors += (long)r;
    }
    printf("validation failed: %ld errors\n", errors);
    return 5;
}
