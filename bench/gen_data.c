/* Writes MB mebibytes of deterministic, semi-compressible text to stdout for the real-program rows:
 *   gen_data MB [SEED]
 * Log-like lines built from a seeded xorshift generator: words drawn (skewed) from a 2048-word vocabulary,
 * decimal counters and a few random hex fields, so gzip/xz/zstd find repeats but not trivially (about 3-4x). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

int main(int argc, char **argv)
{
    long mb = argc > 1 ? atol(argv[1]) : 64;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 0x5eed;
    if (mb <= 0 || rng_state == 0)
        return 2;
    static char vocab[2048][12];
    for (int i = 0; i < 2048; i++) {
        int len = 3 + (int)(rnd() % 8);
        for (int k = 0; k < len; k++)
            vocab[i][k] = (char)('a' + rnd() % 26);
        vocab[i][len] = 0;
    }
    static char buf[1 << 16];
    size_t used = 0, total = 0, want = (size_t)mb << 20;
    unsigned long line = 0;
    while (total < want) {
        char tmp[512];
        int n = snprintf(tmp, sizeof tmp, "%08lu %s ", line++, (rnd() & 3) ? "INFO" : "WARN");
        int words = 4 + (int)(rnd() % 10);
        for (int w = 0; w < words && n < 400; w++) {
            uint64_t r = rnd();
            int idx = (int)((r & 0x7ff) & ((r >> 11) & 0x7ff));     /* skewed toward low indexes */
            if ((r >> 24) % 7 == 0)
                n += snprintf(tmp + n, sizeof tmp - (size_t)n, "0x%06llx ", (unsigned long long)(r >> 40));
            else
                n += snprintf(tmp + n, sizeof tmp - (size_t)n, "%s ", vocab[idx]);
        }
        tmp[n - 1] = '\n';
        if (used + (size_t)n > sizeof buf) {
            fwrite(buf, 1, used, stdout);
            used = 0;
        }
        memcpy(buf + used, tmp, (size_t)n);
        used += (size_t)n;
        total += (size_t)n;
    }
    fwrite(buf, 1, used, stdout);
    return 0;
}
