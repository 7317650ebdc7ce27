/* fuzz-ai-stream.c: libFuzzer target over the reader of a chat completion's event stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte says where the bytes are cut into reads (as a network cuts them). Every input is
 * read or fails with an error, never crashes; every delta handed out is valid UTF-8 without
 * U+0000, and the deltas joined are the result's text.
 */

#define G_LOG_DOMAIN "fuzz-ai-stream"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loom-ai-stream.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
delta_cb (const char *delta,
          gpointer    user_data)
{
  GString *joined = user_data;

  if (*delta == '\0' || !g_utf8_validate (delta, -1, NULL))
    {
      fprintf (stderr, "a delta that is empty or not UTF-8\n");
      abort ();
    }
  g_string_append (joined, delta);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  GString *joined = g_string_new (NULL);
  LoomAiStream *stream = loom_ai_stream_new ("The server", "m", "sk-secret", delta_cb, joined);
  GError *error = NULL;
  gsize piece;
  gboolean ok = TRUE;

  if (size == 0)
    goto out;

  /* the first byte: the size of the reads, and whether a small maximum length applies */
  piece = 1 + data[0] % 64;
  loom_ai_stream_set_max_tokens (stream, data[0] & 0x80 ? 64 : 0);
  data++;
  size--;

  for (gsize at = 0; at < size && ok; at += piece)
    ok = loom_ai_stream_feed (stream, (const char *) data + at, MIN (piece, size - at), &error);
  if (ok)
    ok = loom_ai_stream_finish (stream, &error);

  if (ok == (error != NULL))
    abort ();
  if (error != NULL)
    {
      if (error->message == NULL || strstr (error->message, "sk-secret") != NULL)
        abort ();
      g_error_free (error);
    }
  else
    {
      LoomAiResult *result = loom_ai_stream_steal_result (stream);

      if (strcmp (result->text, joined->str) != 0)
        abort ();
      loom_ai_result_free (result);
    }

out:
  loom_ai_stream_free (stream);
  g_string_free (joined, TRUE);
  return 0;
}
