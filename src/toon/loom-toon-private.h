/* loom-toon-private.h: what only the files of src/toon share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-toon.h"

G_BEGIN_DECLS

typedef struct
{
  char          *key; /* a GRefString, so tabular rows share their header's names */
  LoomToonValue *value;
} LoomToonMember;

struct _LoomToonValue
{
  gint         ref_count;
  LoomToonKind kind;
  union
  {
    gboolean boolean;
    gint64   integer;
    double   dbl;
    struct
    {
      char *str; /* points into the same allocation */
      gsize len;
    } string;
    struct
    {
      LoomToonValue **items;
      guint           len;
      guint           cap;
    } array;
    struct
    {
      LoomToonMember *members;
      guint           len;
      guint           cap;
      GHashTable     *index; /* built once an object grows large, for key look-ups */
    } object;
  };
};

LoomToonValue *loom_toon_value_new_string_take_buffer (gsize   capacity,
                                                       char  **buffer);
LoomToonValue *loom_toon_value_new_object_sized (guint capacity);
LoomToonValue *loom_toon_value_new_array_sized  (guint capacity);

/* Appends without looking for an existing key: the caller knows the key is new. */
void           loom_toon_value_object_append_ref_key (LoomToonValue *object,
                                                      char          *ref_key,
                                                      LoomToonValue *value);
/* Returns the index of @key or -1. */
gssize         loom_toon_value_object_find (const LoomToonValue *object,
                                            const char          *key,
                                            gsize                key_len);
/* Replaces the value at @index, keeping the member's position (last write wins). */
void           loom_toon_value_object_replace (LoomToonValue *object,
                                               guint          index,
                                               LoomToonValue *value);

/* Writes the canonical decimal form of @value (no exponent, shortest round trip) into
 * @out; non-finite values are not handled here. */
void           loom_toon_append_double (GString *out,
                                        double   value);
void           loom_toon_append_int    (GString *out,
                                        gint64   value);
/* Writes null, a boolean or a number, the same in TOON and JSON (NaN and the infinities as
 * null, spec §3); FALSE, writing nothing, for a string or a container. */
gboolean       loom_toon_append_scalar (GString             *out,
                                        const LoomToonValue *value);

/* Number grammar of spec §4: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
gboolean       loom_toon_parse_number (const char    *s,
                                       gsize          len,
                                       LoomToonValue **out);

/* Checks UTF-8 with a fast path for ASCII; on failure sets *bad to the first bad byte. */
gboolean       loom_toon_utf8_validate (const char  *s,
                                        gsize        len,
                                        const char **bad);

/* Reads four hexadecimal digits at @p (before @end) as one UTF-16 code unit: the \\u escape of
 * TOON and JSON alike. */
gboolean       loom_toon_read_hex4 (const char *p,
                                    const char *end,
                                    gunichar   *out);

/* Appends @s as a quoted string. TOON has five escapes (spec §7.1); JSON also has \\b and \\f,
 * written short when @json is TRUE. Other control characters become \\u00XX in both. */
void           loom_toon_append_quoted (GString    *out,
                                        const char *s,
                                        gsize       len,
                                        gboolean    json);

G_END_DECLS
