// Malformed LEAKCHECK_OPTIONS of many kinds: empty, only separators, '=', '==', empty values, a name with no
// value, repeated separators and entries (the last one wins), overflowing and negative numbers, binary bytes,
// multibyte digits, names and values over 10 KB, a long but valid log_path (its file must be created where it
// says), thousands of entries. Every time: the program runs normally (same stdout, one leaked thread, exit
// status from exitcode), each bad entry gets one line starting "leakcheck: " (a bounded amount in all), and
// good entries next to bad ones still apply.
// DRIVER: fault_options_malformed.sh
// EXIT: 0
// EXPECT: ^unset: exit 66, stdout ok, 0 option messages$
// EXPECT: ^empty: exit 66, stdout ok, 0 option messages$
// EXPECT: ^separators: exit 66, stdout ok, 0 option messages$
// EXPECT: ^equals: exit 66, stdout ok, 1 option messages$
// EXPECT: ^equals-many: exit 66, stdout ok, 3 option messages$
// EXPECT: ^empty-int: exit 66, stdout ok, 1 option messages$
// EXPECT: ^empty-str: exit 66, stdout ok, 0 option messages$
// EXPECT: ^no-value: exit 66, stdout ok, 1 option messages$
// EXPECT: ^repeated: exit 4, stdout ok, 0 option messages$
// EXPECT: ^newline-sep: exit 5, stdout ok, 0 option messages$
// EXPECT: ^overflow: exit 9, stdout ok, 1 option messages$
// EXPECT: ^negative: exit 9, stdout ok, 1 option messages$
// EXPECT: ^binary: exit 9, stdout ok, 1 option messages$
// EXPECT: ^fullwidth: exit 66, stdout ok, 1 option messages$
// EXPECT: ^long-name: exit 9, stdout ok, 1 option messages$
// EXPECT: ^long-value: exit 9, stdout ok, 1 option messages$
// EXPECT: ^long-value: message: leakcheck: .*log_path.*too long
// EXPECT: ^long-path: exit 66, stdout ok, 0 option messages$
// EXPECT: ^long-path: log file created at the full path$
// EXPECT: ^many-good: exit 7, stdout ok, 0 option messages$
// EXPECT: ^many-bad: exit 9, stdout ok, [1-9][0-9]* option messages$
// EXPECT: ^help-and-garbage: exit 66, stdout ok, 1 option messages$
// EXPECT: ^help-and-garbage: help printed$
// REJECT: ^[a-z-]+: exit [^ ]+, stdout differs
// REJECT: unprefixed
// REJECT: messages too long
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *stuck(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;)
        pthread_cond_wait(&cv, &mu);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, stuck, NULL);
    printf("running\n");
    usleep(5 * 1000);
    printf("done\n");
    return 0;
}
