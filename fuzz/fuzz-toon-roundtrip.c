/* fuzz-toon-roundtrip.c: libFuzzer target for decode (encode (v)) == v over values built from
 * the fuzzer's bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-toon-roundtrip"

#include "config.h"

#include <math.h>

#include "fuzz-toon-common.h"

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Bytes;

static guint
take (Bytes *b,
      guint  bound)
{
  if (b->p >= b->end || bound == 0)
    return 0;
  return *b->p++ % bound;
}

/* Pieces that exercise quoting, numbers-as-strings and structure characters. */
static const char *const atoms[] = {
  "", " ", "a", "Ada", "x y", ",", ":", "|", "\t", "\n", "\r", "\"", "\\", "-", "- ", "#",
  "[", "]", "{", "}", "[1]:", "true", "false", "null", "0", "-0", "05", "1e5", "+1", ".5",
  "1.", "é", "🚀", "\x01", "\x7f", "__proto__", "[]", "\xc2\xa0", "k: v", "1,2",
};

static char *
make_string (Bytes *b)
{
  GString *s = g_string_new (NULL);
  guint n = take (b, 4);

  for (guint i = 0; i < n; i++)
    {
      guint which = take (b, G_N_ELEMENTS (atoms) + 1);

      if (which == G_N_ELEMENTS (atoms))
        g_string_append_c (s, (char) (0x20 + take (b, 95))); /* any printable ASCII */
      else
        g_string_append (s, atoms[which]);
    }
  return g_string_free (s, FALSE);
}

static LoomToonValue *
make_value (Bytes *b,
            guint  depth)
{
  guint kind = take (b, depth > 12 ? 6 : 10);

  switch (kind)
    {
    case 0:
      return loom_toon_value_new_null ();
    case 1:
      return loom_toon_value_new_boolean (take (b, 2));
    case 2:
      {
        guint64 v = 0;

        for (int i = 0; i < 8; i++)
          v = (v << 8) | take (b, 256);
        return loom_toon_value_new_int ((gint64) v);
      }
    case 3:
      {
        union { guint64 bits; double d; } u = { 0 };

        for (int i = 0; i < 8; i++)
          u.bits = (u.bits << 8) | take (b, 256);
        return isfinite (u.d) ? loom_toon_value_new_number (u.d) : loom_toon_value_new_null ();
      }
    case 4:
    case 5:
      {
        char *s = make_string (b);
        LoomToonValue *v = loom_toon_value_new_string (s);

        g_free (s);
        return v;
      }
    case 6:
    case 7:
      {
        LoomToonValue *array = loom_toon_value_new_array ();
        guint n = take (b, 5);
        gboolean uniform = take (b, 2);
        LoomToonValue *first = NULL;

        for (guint i = 0; i < n; i++)
          {
            LoomToonValue *item;

            /* copies of the first object's keys with new values: tabular candidates */
            if (uniform && first != NULL && loom_toon_value_get_kind (first) == LOOM_TOON_OBJECT)
              {
                item = loom_toon_value_new_object ();
                for (guint k = 0; k < loom_toon_value_get_length (first); k++)
                  {
                    gsize len;
                    const char *key = loom_toon_value_object_get_key (first, k, &len);

                    loom_toon_value_object_set_len (item, key, len, make_value (b, depth + 1));
                  }
              }
            else
              item = make_value (b, depth + 1);
            if (i == 0)
              first = item;
            loom_toon_value_array_append (array, item);
          }
        return array;
      }
    default:
      {
        LoomToonValue *object = loom_toon_value_new_object ();
        guint n = take (b, 5);

        for (guint i = 0; i < n; i++)
          {
            char *key = make_string (b);

            loom_toon_value_object_set (object, key, make_value (b, depth + 1));
            g_free (key);
          }
        return object;
      }
    }
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const LoomToonDelimiter delimiters[] = {
    LOOM_TOON_DELIMITER_COMMA, LOOM_TOON_DELIMITER_TAB, LOOM_TOON_DELIMITER_PIPE,
  };
  Bytes b = { data, data + size };
  guint delimiter = take (&b, 3);
  guint indent = 1 + take (&b, 4);
  LoomToonValue *value = make_value (&b, 0);

  fuzz_check_round_trip (value, delimiters[delimiter], indent);
  loom_toon_value_unref (value);
  return 0;
}
