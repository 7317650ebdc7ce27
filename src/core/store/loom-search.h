/* loom-search.h: finding a writer's words in a text, and replacing them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LoomSearchFlags:
 * @LOOM_SEARCH_DEFAULT: case-insensitive; a match begins where a word begins
 * @LOOM_SEARCH_WHOLE_WORD: a match also ends where a word ends
 * @LOOM_SEARCH_MATCH_CASE: letters must have the query's case
 *
 * A match always begins at the start of a word (or of the query's own punctuation), the way
 * the full-text index finds it: "colour" finds "colours", not "discolour".
 */
typedef enum
{
  LOOM_SEARCH_DEFAULT = 0,
  LOOM_SEARCH_WHOLE_WORD = 1 << 0,
  LOOM_SEARCH_MATCH_CASE = 1 << 1,
} LoomSearchFlags;

/* One match in a text, in bytes. */
typedef struct
{
  gsize start;
  gsize length;
} LoomSearchSpan;

GArray   *loom_search_find       (const char       *text,
                                  const char       *query,
                                  LoomSearchFlags   flags);
char     *loom_search_replace    (const char       *text,
                                  const char       *query,
                                  const char       *replacement,
                                  LoomSearchFlags   flags,
                                  guint            *n_replaced);
char     *loom_search_snippet    (const char       *text,
                                  const LoomSearchSpan *span,
                                  guint            *match_start,
                                  guint            *match_length);
char     *loom_search_fts_query  (const char       *query,
                                  LoomSearchFlags   flags);

G_END_DECLS
