/* fuzz-toon-common.h: what both fuzz targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loom-toon.h"

/* Tabular and keyed rows take their header's key order, so objects compare as sets. */
static gboolean
fuzz_equal_unordered (LoomToonValue *a,
                      LoomToonValue *b)
{
  LoomToonKind ka = loom_toon_value_get_kind (a);
  LoomToonKind kb = loom_toon_value_get_kind (b);

  if (ka == LOOM_TOON_OBJECT && kb == LOOM_TOON_OBJECT)
    {
      guint n = loom_toon_value_get_length (a);

      if (n != loom_toon_value_get_length (b))
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          gsize len;
          const char *key = loom_toon_value_object_get_key (a, i, &len);
          LoomToonValue *other = NULL;

          for (guint j = 0; j < n && other == NULL; j++)
            {
              gsize other_len;
              const char *other_key = loom_toon_value_object_get_key (b, j, &other_len);

              if (other_len == len && memcmp (key, other_key, len) == 0)
                other = loom_toon_value_object_get_value (b, j);
            }
          if (other == NULL || !fuzz_equal_unordered (loom_toon_value_object_get_value (a, i), other))
            return FALSE;
        }
      return TRUE;
    }
  if (ka == LOOM_TOON_ARRAY && kb == LOOM_TOON_ARRAY)
    {
      guint n = loom_toon_value_get_length (a);

      if (n != loom_toon_value_get_length (b))
        return FALSE;
      for (guint i = 0; i < n; i++)
        if (!fuzz_equal_unordered (loom_toon_value_array_get (a, i), loom_toon_value_array_get (b, i)))
          return FALSE;
      return TRUE;
    }
  return loom_toon_value_equal (a, b);
}

/* Encodes @value and decodes it strictly: anything but the same value is a finding. */
static void
fuzz_check_round_trip (LoomToonValue    *value,
                       LoomToonDelimiter delimiter,
                       guint             indent)
{
  LoomToonEncodeOptions eopts;
  LoomToonDecodeOptions dopts;
  GError *error = NULL;
  char *text;
  LoomToonValue *back;

  loom_toon_encode_options_init (&eopts);
  eopts.delimiter = delimiter;
  eopts.indent_size = indent;
  text = loom_toon_encode (value, &eopts, &error);
  if (text == NULL)
    {
      /* only nesting beyond the limit may refuse to encode */
      if (!g_error_matches (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_DEEP))
        {
          fprintf (stderr, "encode failed: %s\n", error->message);
          abort ();
        }
      g_error_free (error);
      return;
    }

  loom_toon_decode_options_init (&dopts);
  dopts.indent_size = indent;
  back = loom_toon_decode (text, -1, &dopts, &error);
  if (back == NULL)
    {
      if (g_error_matches (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_DEEP))
        {
          g_error_free (error);
          g_free (text);
          return;
        }
      fprintf (stderr, "decoding our own output failed: %s\n--\n%s\n--\n", error->message, text);
      abort ();
    }
  if (!fuzz_equal_unordered (value, back))
    {
      fprintf (stderr, "round trip changed the value:\n--\n%s\n--\n", text);
      abort ();
    }
  loom_toon_value_unref (back);
  g_free (text);
}
