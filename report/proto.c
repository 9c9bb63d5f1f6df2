/* Protobuf wire format, as profile.proto needs it. A nested message is written in place after a one-byte
 * length slot; pb_end moves the body when the length needs more bytes, so the output is canonical. */
#include "proto.h"

#include <stdlib.h>
#include <string.h>

void pb_init(struct pb *b)
{
    memset(b, 0, sizeof *b);
}

void pb_free(struct pb *b)
{
    free(b->p);
    pb_init(b);
}

/* Room for n more bytes. */
static int reserve(struct pb *b, size_t n)
{
    if (b->oom)
        return 0;
    if (b->n + n <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n)
        cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

static size_t varint_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static void put_varint(uint8_t *out, uint64_t v)
{
    while (v >= 0x80) {
        *out++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *out = (uint8_t)v;
}

static void pb_varint(struct pb *b, uint64_t v)
{
    size_t n = varint_len(v);
    if (!reserve(b, n))
        return;
    put_varint(b->p + b->n, v);
    b->n += n;
}

static void pb_tag(struct pb *b, unsigned field, unsigned wire)
{
    pb_varint(b, (uint64_t)field << 3 | wire);
}

void pb_uint(struct pb *b, unsigned field, uint64_t v)
{
    pb_tag(b, field, PB_VARINT);
    pb_varint(b, v);
}

void pb_int(struct pb *b, unsigned field, int64_t v)
{
    pb_uint(b, field, (uint64_t)v);
}

static void pb_bytes(struct pb *b, unsigned field, const void *p, size_t n)
{
    pb_tag(b, field, PB_LEN);
    pb_varint(b, n);
    if (n && reserve(b, n)) {
        memcpy(b->p + b->n, p, n);
        b->n += n;
    }
}

void pb_string(struct pb *b, unsigned field, const char *s)
{
    pb_bytes(b, field, s ? s : "", s ? strlen(s) : 0);
}

void pb_packed_uint(struct pb *b, unsigned field, const uint64_t *v, size_t n)
{
    if (!n)
        return;
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += varint_len(v[i]);
    pb_tag(b, field, PB_LEN);
    pb_varint(b, len);
    for (size_t i = 0; i < n; i++)
        pb_varint(b, v[i]);
}

void pb_packed_int(struct pb *b, unsigned field, const int64_t *v, size_t n)
{
    if (!n)
        return;
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += varint_len((uint64_t)v[i]);
    pb_tag(b, field, PB_LEN);
    pb_varint(b, len);
    for (size_t i = 0; i < n; i++)
        pb_varint(b, (uint64_t)v[i]);
}

void pb_append(struct pb *b, const struct pb *src)
{
    if (src->oom)
        b->oom = 1;
    if (src->n && reserve(b, src->n)) {
        memcpy(b->p + b->n, src->p, src->n);
        b->n += src->n;
    }
}

size_t pb_begin(struct pb *b, unsigned field)
{
    pb_tag(b, field, PB_LEN);
    if (reserve(b, 1))
        b->p[b->n++] = 0;            /* length slot, fixed in pb_end */
    return b->n;
}

void pb_end(struct pb *b, size_t mark)
{
    if (b->oom)
        return;
    size_t len = b->n - mark, k = varint_len(len);
    if (k > 1) {
        if (!reserve(b, k - 1))
            return;
        memmove(b->p + mark + k - 1, b->p + mark, len);
        b->n += k - 1;
    }
    put_varint(b->p + mark - 1, len);
}
