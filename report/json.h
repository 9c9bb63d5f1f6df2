/* A small JSON writer over a report buffer: nesting, commas and indentation kept track of, strings escaped. */
#ifndef LC_JSON_H
#define LC_JSON_H
#include <stdint.h>
#include "buffered_writer.h"

#define JW_DEPTH 16

struct jw {
    struct lc_bufw *w;
    int depth;
    uint8_t more[JW_DEPTH];   /* per level: a value was written, the next one needs a comma */
    uint8_t array[JW_DEPTH];  /* per level: an array (closed by ']') */
};

/* s as a JSON string: quotes, backslash and control characters escaped, invalid UTF-8 bytes as U+FFFD;
 * null for NULL. */
void json_escape(struct lc_bufw *w, const char *s);

void jw_init(struct jw *j, struct lc_bufw *w);
/* Open an object or array as the value of key (NULL inside an array / at the top); close it. */
void jw_open(struct jw *j, const char *key, char brace);
void jw_close(struct jw *j);
void jw_str(struct jw *j, const char *key, const char *s);
void jw_u64(struct jw *j, const char *key, uint64_t v);
void jw_i64(struct jw *j, const char *key, int64_t v);
void jw_bool(struct jw *j, const char *key, int v);
void jw_null(struct jw *j, const char *key);
/* An address as a "0x..." string (JSON numbers lose precision past 2^53). */
void jw_hex(struct jw *j, const char *key, uint64_t v);
#endif
