/* loom-toon-lenient.c: reading TOON out of a language model's answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-toon-lenient"

#include "config.h"

#include <string.h>

#include "loom-toon-private.h"

/* Is [p, end) a fence line: optional spaces, ``` and then @lang (NULL: nothing), spaces? */
static gboolean
is_fence (const char *p,
          const char *end,
          const char *lang)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (end - p < 3 || memcmp (p, "```", 3) != 0)
    return FALSE;
  p += 3;
  if (lang != NULL)
    {
      gsize n = strlen (lang);

      if ((gsize) (end - p) < n || g_ascii_strncasecmp (p, lang, n) != 0)
        return FALSE;
      p += n;
    }
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
    p++;
  return p == end;
}

static gboolean
find_fenced (const char  *text,
             const char  *end,
             const char  *lang,
             const char **block,
             gsize       *block_len)
{
  const char *p = text;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;

      if (is_fence (p, line_end, lang))
        {
          const char *content = nl ? nl + 1 : end;
          const char *q = content;

          /* the block ends at the next fence line, or with the text when the answer was cut */
          while (q < end)
            {
              const char *nl2 = memchr (q, '\n', end - q);
              const char *e2 = nl2 ? nl2 : end;

              if (is_fence (q, e2, NULL) || (lang == NULL && is_fence (q, e2, "")))
                break;
              {
                const char *t = q;

                while (t < e2 && (*t == ' ' || *t == '\t'))
                  t++;
                if (e2 - t >= 3 && memcmp (t, "```", 3) == 0)
                  break;
              }
              q = nl2 ? nl2 + 1 : end;
            }
          *block = content;
          *block_len = q - content;
          return TRUE;
        }
      p = nl ? nl + 1 : end;
    }
  return FALSE;
}

/**
 * loom_toon_extract_block:
 * @text: a model's answer
 * @length: its length, or -1 when NUL-terminated
 * @block: (out): where the TOON starts
 * @block_len: (out): its length
 *
 * Finds the first ```toon fenced block (the language tag in any case); failing that, the first
 * bare ``` block; failing that, the whole answer. An unclosed fence runs to the end of the text,
 * since answers get cut off.
 *
 * Returns: %TRUE when a fence was found
 */
gboolean
loom_toon_extract_block (const char  *text,
                         gssize       length,
                         const char **block,
                         gsize       *block_len)
{
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (block != NULL && block_len != NULL, FALSE);

  len = length < 0 ? strlen (text) : (gsize) length;
  if (find_fenced (text, text + len, "toon", block, block_len) ||
      find_fenced (text, text + len, NULL, block, block_len))
    return TRUE;
  *block = text;
  *block_len = len;
  return FALSE;
}

/**
 * loom_toon_decode_lenient:
 * @text: a model's answer, prose and all
 * @length: its length, or -1 when NUL-terminated
 * @error: where to report why nothing could be read
 *
 * Decodes the TOON in a model's answer. It tolerates:
 * - prose before and after a ```toon (or bare ```) fence, and a missing closing fence;
 * - no fence at all (the whole answer is the document);
 * - the block indented as a whole (the common indentation is removed) and any indentation
 *   unit (the smallest indentation in the block is taken as one level);
 * - everything non-strict decoding tolerates: counts that do not match the declared lengths,
 *   blank lines inside arrays, duplicate keys (the last wins), tabs in indentation, malformed
 *   array headers read as plain keys, ill-formed UTF-8 (replaced by U+FFFD), CRLF line ends,
 *   and the pre-v3 layout of arrays opened on a hyphen line (rows one level under the hyphen).
 *
 * It still fails on what cannot be read unambiguously: a line without a colon among fields,
 * unterminated strings, bad escapes, rows whose width differs from their header.
 *
 * Returns: (transfer full): the value, or %NULL with @error set
 */
LoomToonValue *
loom_toon_decode_lenient (const char *text,
                          gssize      length,
                          GError    **error)
{
  const char *block;
  gsize block_len;
  const char *p, *end;
  guint common = G_MAXUINT;
  guint unit = G_MAXUINT;
  g_autoptr(GString) doc = NULL;
  LoomToonDecodeOptions options;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  loom_toon_extract_block (text, length, &block, &block_len);
  end = block + block_len;

  /* the common indentation of the non-blank lines */
  for (p = block; p < end;)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *e = nl ? nl : end;
      const char *q = p;

      while (q < e && *q == ' ')
        q++;
      if (q < e && *q != '\r' && *q != '\t')
        common = MIN (common, (guint) (q - p));
      p = nl ? nl + 1 : end;
    }
  if (common == G_MAXUINT)
    common = 0;

  doc = g_string_sized_new (block_len);
  for (p = block; p < end;)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *e = nl ? nl : end;
      const char *q = p;
      guint indent;

      while (q < e && *q == ' ' && (guint) (q - p) < common)
        q++;
      g_string_append_len (doc, q, e - q);
      g_string_append_c (doc, '\n');

      indent = 0;
      while (q + indent < e && q[indent] == ' ')
        indent++;
      if (indent > 0 && q + indent < e && q[indent] != '\r')
        unit = MIN (unit, indent);
      p = nl ? nl + 1 : end;
    }

  loom_toon_decode_options_init (&options);
  options.strict = FALSE;
  options.indent_size = unit == G_MAXUINT ? 2 : MIN (unit, 8);
  return loom_toon_decode (doc->str, doc->len, &options, error);
}
