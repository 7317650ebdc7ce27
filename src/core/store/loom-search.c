/* loom-search.c: finding a writer's words in a text, and replacing them (issue 17)
 *
 * The full-text index (loom-store-search.c) only narrows the scenes down; these functions say
 * exactly where the words are. They agree with the index on what a word is (letters, numbers,
 * marks and private-use characters, as SQLite's unicode61 tokenizer reads them), so that every
 * match found here is in a scene the index offers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-search"

#include "config.h"

#include "loom-search.h"

/* How much text a snippet shows on each side of its match, in characters. */
#define CONTEXT_CHARS 40
/* How far a snippet looks for a space to begin or end at, rather than cut a word. */
#define WORD_SLACK 12

static inline gunichar
next_char (const char *text,
           gsize      *i)
{
  guchar b = (guchar) text[*i];
  gunichar c;

  if (b < 0x80)
    {
      (*i)++;
      return b;
    }
  c = g_utf8_get_char (text + *i);
  *i = g_utf8_next_char (text + *i) - text;
  return c;
}

static gboolean
is_word_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c);

  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

static inline gboolean
same_char (gunichar  a,
           gunichar  b,
           gboolean  match_case)
{
  if (a == b)
    return TRUE;
  if (match_case)
    return FALSE;
  if (a < 0x80 && b < 0x80)
    return g_ascii_tolower (a) == g_ascii_tolower (b);
  return g_unichar_tolower (a) == g_unichar_tolower (b);
}

/* Whether @query is in @text at byte @at; *end is where the match ends. */
static gboolean
match_at (const char *text,
          gsize       at,
          const char *query,
          gboolean    match_case,
          gsize      *end)
{
  gsize i = at;
  gsize q = 0;

  while (query[q] != '\0')
    {
      gunichar qc, tc;

      if (text[i] == '\0')
        return FALSE;
      qc = next_char (query, &q);
      tc = next_char (text, &i);
      if (!same_char (qc, tc, match_case))
        return FALSE;
    }
  *end = i;
  return TRUE;
}

static gunichar
last_char (const char *text)
{
  const char *end = text + strlen (text);
  const char *prev = g_utf8_find_prev_char (text, end);

  return prev != NULL ? g_utf8_get_char (prev) : 0;
}

/* Whether the character before byte @at of @text is part of a word. */
static gboolean
after_word_char (const char *text,
                 gsize       at)
{
  const char *prev;

  if (at == 0)
    return FALSE;
  if ((guchar) text[at - 1] < 0x80)
    return g_ascii_isalnum (text[at - 1]);
  prev = g_utf8_find_prev_char (text, text + at);
  return prev != NULL && is_word_char (g_utf8_get_char (prev));
}

/* Whether the character at byte @at of @text is part of a word. */
static gboolean
before_word_char (const char *text,
                  gsize       at)
{
  gsize i = at;

  return text[at] != '\0' && is_word_char (next_char (text, &i));
}

/* The next place at or after @from where @first may begin a match. An ASCII first character
 * is looked for with strpbrk (), which reads many bytes at a time: most of a text is skipped
 * without being decoded. */
static const char *
next_candidate (const char *from,
                gunichar    first,
                gboolean    match_case)
{
  if (first < 0x80)
    {
      char set[3] = { (char) first, 0, 0 };

      if (!match_case && g_ascii_isalpha (first))
        {
          set[0] = g_ascii_tolower (first);
          set[1] = g_ascii_toupper (first);
        }
      return strpbrk (from, set);
    }

  for (gsize i = 0; from[i] != '\0';)
    {
      gsize at = i;

      if (same_char (first, next_char (from, &i), match_case))
        return from + at;
    }
  return NULL;
}

/**
 * loom_search_find:
 * @text: (nullable): the text to search
 * @query: what the writer typed
 * @flags: the writer's options
 *
 * Returns: (transfer full): the matches, in order and not overlapping, as #LoomSearchSpan;
 *   empty for an empty query
 */
GArray *
loom_search_find (const char      *text,
                  const char      *query,
                  LoomSearchFlags  flags)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (LoomSearchSpan));
  gboolean match_case = (flags & LOOM_SEARCH_MATCH_CASE) != 0;
  gboolean starts_word, ends_word;
  gunichar first;
  const char *p;

  g_return_val_if_fail (query != NULL, spans);

  if (text == NULL || *query == '\0')
    return spans;
  first = g_utf8_get_char (query);
  starts_word = is_word_char (first);
  ends_word = (flags & LOOM_SEARCH_WHOLE_WORD) != 0 && is_word_char (last_char (query));

  for (p = text; (p = next_candidate (p, first, match_case)) != NULL;)
    {
      gsize at = p - text;
      gsize end;

      if ((!starts_word || !after_word_char (text, at)) &&
          match_at (text, at, query, match_case, &end) &&
          (!ends_word || !before_word_char (text, end)))
        {
          LoomSearchSpan span = { at, end - at };

          g_array_append_val (spans, span);
          p = text + end;
          continue;
        }
      p = g_utf8_next_char (p);
    }
  return spans;
}

/**
 * loom_search_replace:
 * @n_replaced: (out) (optional): how many matches were replaced
 *
 * Returns: (transfer full): @text with every match of @query replaced by @replacement
 */
char *
loom_search_replace (const char      *text,
                     const char      *query,
                     const char      *replacement,
                     LoomSearchFlags  flags,
                     guint           *n_replaced)
{
  g_autoptr(GArray) spans = loom_search_find (text, query, flags);
  GString *out;
  gsize from = 0;

  g_return_val_if_fail (replacement != NULL, NULL);

  if (n_replaced != NULL)
    *n_replaced = spans->len;
  if (text == NULL)
    return NULL;
  out = g_string_sized_new (strlen (text));
  for (guint k = 0; k < spans->len; k++)
    {
      const LoomSearchSpan *span = &g_array_index (spans, LoomSearchSpan, k);

      g_string_append_len (out, text + from, span->start - from);
      g_string_append (out, replacement);
      from = span->start + span->length;
    }
  g_string_append (out, text + from);
  return g_string_free (out, FALSE);
}

/* Steps @n characters back from @at, stopping at the start of the text. */
static const char *
back_chars (const char *text,
            const char *at,
            guint       n)
{
  while (n-- > 0 && at > text)
    at = g_utf8_prev_char (at);
  return at;
}

static const char *
forward_chars (const char *at,
               guint       n)
{
  while (n-- > 0 && *at != '\0')
    at = g_utf8_next_char (at);
  return at;
}

static void
append_one_line (GString    *out,
                 const char *from,
                 const char *to)
{
  for (const char *p = from; p < to; p++)
    g_string_append_c (out, (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p);
}

/**
 * loom_search_snippet:
 * @span: a match in @text
 * @match_start: (out) (optional): where the match begins in the snippet, in characters
 * @match_length: (out) (optional): its length in characters
 *
 * Returns: (transfer full): the match with some words around it, on one line (line breaks and
 *   tabs become spaces), with "…" where the text goes on
 */
char *
loom_search_snippet (const char           *text,
                     const LoomSearchSpan *span,
                     guint                *match_start,
                     guint                *match_length)
{
  const char *match = text + span->start;
  const char *match_end = match + span->length;
  const char *from = back_chars (text, match, CONTEXT_CHARS);
  const char *to = forward_chars (match_end, CONTEXT_CHARS);
  GString *out = g_string_new (NULL);

  if (from > text)
    {
      const char *space = from;

      /* begin after a space rather than inside a word, when one is near */
      for (guint n = 0; n < WORD_SLACK && space < match && !g_ascii_isspace (*space); n++)
        space = g_utf8_next_char (space);
      if (space < match && g_ascii_isspace (*space))
        from = space + 1;
      g_string_append (out, "…");
    }
  if (*to != '\0')
    {
      const char *space = to;

      for (guint n = 0; n < WORD_SLACK && space > match_end && !g_ascii_isspace (*space); n++)
        space = g_utf8_prev_char (space);
      if (space > match_end && g_ascii_isspace (*space))
        to = space;
    }

  if (match_start != NULL)
    *match_start = g_utf8_strlen (out->str, -1) + g_utf8_strlen (from, match - from);
  if (match_length != NULL)
    *match_length = g_utf8_strlen (match, span->length);
  append_one_line (out, from, to);
  if (*to != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/**
 * loom_search_fts_query:
 *
 * The query as one FTS5 phrase: the writer's words are searched as text, whatever characters
 * they hold (quotes, "*", "AND", "NEAR", a dash), never as the index's query language. Without
 * whole words the last word is a prefix.
 *
 * Returns: (transfer full) (nullable): the FTS5 expression, or %NULL when the query holds no
 *   word for the index to look up (only punctuation or spaces)
 */
char *
loom_search_fts_query (const char      *query,
                       LoomSearchFlags  flags)
{
  gboolean has_word = FALSE;
  GString *out;

  g_return_val_if_fail (query != NULL, NULL);

  for (gsize i = 0; query[i] != '\0' && !has_word;)
    has_word = is_word_char (next_char (query, &i));
  if (!has_word)
    return NULL;

  out = g_string_new ("\"");
  for (const char *p = query; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  if ((flags & LOOM_SEARCH_WHOLE_WORD) == 0)
    g_string_append_c (out, '*');
  return g_string_free (out, FALSE);
}
