// Correct: a pipeline over pipes closed in order, an eventfd used as a counter, a socketpair request/reply and
// a poll loop on channel fds; every thread joined. Nothing to report.
// EXIT: 0
// REJECT: ^leakcheck
// STDOUT: ^sum 5050, events 100, replies 50, polled 20$
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

static int stage[2], counter, sv[2], tick[2];
static long sum, replies, polled;

static void *producer(void *arg)
{
    for (int i = 1; i <= 100; i++) {
        (void)!write(stage[1], &i, sizeof i);
        uint64_t one = 1;
        (void)!write(counter, &one, sizeof one);
    }
    close(stage[1]);
    return arg;
}

static void *consumer(void *arg)
{
    int v;
    while (read(stage[0], &v, sizeof v) == (ssize_t)sizeof v)
        sum += v;
    close(stage[0]);
    return arg;
}

static void *server(void *arg)
{
    char c;
    while (recv(sv[1], &c, 1, 0) == 1 && send(sv[1], &c, 1, 0) == 1)
        ;
    close(sv[1]);
    return arg;
}

static void *poller(void *arg)
{
    struct pollfd p = { tick[0], POLLIN, 0 };
    char c;
    while (poll(&p, 1, -1) == 1 && read(tick[0], &c, 1) == 1)
        polled++;
    close(tick[0]);
    return arg;
}

int main(void)
{
    pthread_t t[4];
    counter = eventfd(0, 0);
    if (pipe(stage) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(tick) || counter < 0)
        return 1;
    pthread_create(&t[0], NULL, producer, NULL);
    pthread_create(&t[1], NULL, consumer, NULL);
    pthread_create(&t[2], NULL, server, NULL);
    pthread_create(&t[3], NULL, poller, NULL);
    for (int i = 0; i < 50; i++) {
        char c = 'x';
        if (send(sv[0], &c, 1, 0) == 1 && recv(sv[0], &c, 1, 0) == 1)
            replies++;
    }
    close(sv[0]);
    for (int i = 0; i < 20; i++)
        (void)!write(tick[1], "t", 1);
    close(tick[1]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    uint64_t events = 0;
    (void)!read(counter, &events, sizeof events);
    close(counter);
    printf("sum %ld, events %lu, replies %ld, polled %ld\n", sum, (unsigned long)events, replies, polled);
    return 0;
}
