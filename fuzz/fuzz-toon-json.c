/* fuzz-toon-json.c: libFuzzer target over our JSON reader (what `toon encode` reads)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input parses or fails with an error; what parses writes back to JSON that parses to the
 * same value, and survives TOON encode → strict decode.
 */

#define G_LOG_DOMAIN "fuzz-toon-json"

#include "config.h"

#include "fuzz-toon-common.h"
#include "loom-toon-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  GError *error = NULL;
  LoomToonValue *value = loom_toon_json_parse ((const char *) data, size, &error);
  LoomToonValue *again;
  char *json;

  if ((value == NULL) == (error == NULL))
    abort ();
  if (value == NULL)
    {
      g_error_free (error);
      return 0;
    }

  json = loom_toon_json_write (value);
  again = loom_toon_json_parse (json, -1, &error);
  if (again == NULL || !loom_toon_value_equal (value, again))
    {
      fprintf (stderr, "our JSON did not read back:\n%s\n", json);
      abort ();
    }
  fuzz_check_round_trip (value, LOOM_TOON_DELIMITER_COMMA, 2);

  loom_toon_value_unref (again);
  loom_toon_value_unref (value);
  g_free (json);
  return 0;
}
