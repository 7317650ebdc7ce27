/* fuzz-toon-decode.c: libFuzzer target over the decoder, strict and not, and the lenient entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input must either decode or fail with an error (never both, never a crash), and what
 * decodes must survive encode → strict decode unchanged.
 */

#define G_LOG_DOMAIN "fuzz-toon-decode"

#include "config.h"

#include "fuzz-toon-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const LoomToonDelimiter delimiters[] = {
    LOOM_TOON_DELIMITER_COMMA, LOOM_TOON_DELIMITER_TAB, LOOM_TOON_DELIMITER_PIPE,
  };
  guint8 selector = size > 0 ? data[0] : 0;

  for (int strict = 0; strict <= 1; strict++)
    {
      LoomToonDecodeOptions options;
      GError *error = NULL;
      LoomToonValue *value;

      loom_toon_decode_options_init (&options);
      options.strict = strict;
      options.indent_size = 1 + selector % 4;
      value = loom_toon_decode ((const char *) data, size, &options, &error);
      if ((value == NULL) == (error == NULL))
        abort ();
      if (value != NULL)
        {
          fuzz_check_round_trip (value, delimiters[(selector >> 2) % 3], 1 + (selector >> 4) % 4);
          loom_toon_value_unref (value);
        }
      else
        g_error_free (error);
    }

  {
    GError *error = NULL;
    LoomToonValue *value = loom_toon_decode_lenient ((const char *) data, size, &error);

    if ((value == NULL) == (error == NULL))
      abort ();
    if (value != NULL)
      loom_toon_value_unref (value);
    else
      g_error_free (error);
  }
  return 0;
}
