/* A small protobuf encoder: enough of the wire format for profile.proto (varints, length-delimited fields,
 * nested messages, packed repeated integers) into a growable byte buffer. */
#ifndef LC_PROTO_H
#define LC_PROTO_H
#include <stddef.h>
#include <stdint.h>

struct pb {
    uint8_t *p;
    size_t n, cap;
    int oom;                  /* an allocation failed: the buffer is incomplete and must not be used */
};

enum { PB_VARINT = 0, PB_LEN = 2 };

void pb_init(struct pb *b);
void pb_free(struct pb *b);
/* A varint field (uint64, or int64 as two's complement); written even when 0. */
void pb_uint(struct pb *b, unsigned field, uint64_t v);
void pb_int(struct pb *b, unsigned field, int64_t v);
void pb_string(struct pb *b, unsigned field, const char *s);
/* Packed repeated varints (written as nothing when n is 0). */
void pb_packed_uint(struct pb *b, unsigned field, const uint64_t *v, size_t n);
void pb_packed_int(struct pb *b, unsigned field, const int64_t *v, size_t n);
/* The bytes of src after those of b (an incomplete src makes b incomplete). */
void pb_append(struct pb *b, const struct pb *src);
/* A nested message: pb_begin writes the tag and returns a mark; pb_end puts the length in front of what was
 * written since. */
size_t pb_begin(struct pb *b, unsigned field);
void pb_end(struct pb *b, size_t mark);
#endif
