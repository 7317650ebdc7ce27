/* loom-words.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-words"

#include "config.h"

#include <string.h>

#include "loom-words.h"

/* A word is a run of characters between spaces that holds at least one letter or digit, so
 * "don't", "well-known" and "1984" count once and a lone dash or ellipsis not at all.
 * ASCII is handled without decoding since prose is mostly ASCII and this runs on every save. */
guint
loom_count_words (const char *text,
                  gssize      length)
{
  const char *p;
  const char *end;
  guint words = 0;
  gboolean in_token = FALSE;
  gboolean token_has_word = FALSE;

  if (text == NULL)
    return 0;

  if (length < 0)
    length = strlen (text);

  p = text;
  end = text + length;

  while (p < end)
    {
      guchar c = (guchar) *p;
      gboolean space;
      gboolean wordy;

      if (c < 0x80)
        {
          space = g_ascii_isspace (c);
          wordy = g_ascii_isalnum (c);
          p++;
        }
      else
        {
          gunichar uc = g_utf8_get_char_validated (p, end - p);

          if (uc == (gunichar) -1 || uc == (gunichar) -2)
            {
              /* Invalid bytes are skipped rather than trusted. */
              p++;
              continue;
            }
          space = g_unichar_isspace (uc) || uc == 0x2014 || uc == 0x2013;
          wordy = g_unichar_isalnum (uc) || g_unichar_ismark (uc);
          p = g_utf8_next_char (p);
        }

      if (space)
        {
          if (in_token && token_has_word)
            words++;
          in_token = FALSE;
          token_has_word = FALSE;
        }
      else
        {
          in_token = TRUE;
          token_has_word |= wordy;
        }
    }

  if (in_token && token_has_word)
    words++;

  return words;
}

/* The ending a prompt quotes: the last @n_words words from the start of a word, with "…" before
 * when cut. Here rather than in the prompt so that the store can fingerprint the same ending. */
char *
loom_last_words (const char *text,
                 guint       n_words)
{
  g_autoptr(GArray) starts = NULL;
  gboolean in_word = FALSE;
  const char *p;
  guint first;

  if (text == NULL)
    return g_strdup ("");

  starts = g_array_new (FALSE, FALSE, sizeof (const char *));
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gboolean space = g_unichar_isspace (g_utf8_get_char (p));

      if (!space && !in_word)
        g_array_append_val (starts, p);
      in_word = !space;
    }

  if (starts->len <= n_words)
    return g_strstrip (g_strdup (text));

  first = starts->len - n_words;
  return g_strconcat ("…", g_array_index (starts, const char *, first), NULL);
}
