/* fuzz-ai-models.c: libFuzzer target over the reader of a server's `/models` answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every body gives a list or an error, never a crash; every model has an id and a name in UTF-8.
 */

#define G_LOG_DOMAIN "fuzz-ai-models"

#include "config.h"

#include <stdlib.h>

#include "loom-ai-stream.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  GError *error = NULL;
  GPtrArray *models = loom_ai_parse_models ((const char *) data, size, "The server", &error);

  if ((models == NULL) == (error == NULL))
    abort ();
  if (models == NULL)
    {
      g_error_free (error);
      return 0;
    }

  for (guint i = 0; i < models->len; i++)
    {
      LoomAiModelInfo *info = g_ptr_array_index (models, i);

      if (info->id == NULL || *info->id == '\0' || info->name == NULL ||
          !g_utf8_validate (info->id, -1, NULL) || !g_utf8_validate (info->name, -1, NULL) ||
          info->context_length < 0)
        abort ();
    }
  g_ptr_array_unref (models);
  return 0;
}
