/* loom-word-diff.h: what changed between two texts, word by word
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LOOM_DIFF_SAME,     /* in both texts */
  LOOM_DIFF_REMOVED,  /* only in the old text */
  LOOM_DIFF_ADDED,    /* only in the new text */
} LoomDiffKind;

/* A run of one kind. Offsets are in bytes; a removed run is empty in the new text (its
 * new_start = new_end is where it was), an added run empty in the old one. */
typedef struct
{
  LoomDiffKind kind;
  gsize        old_start;
  gsize        old_end;
  gsize        new_start;
  gsize        new_end;
} LoomDiffSpan;

GArray *loom_word_diff        (const char   *old_text,
                               gssize        old_length,
                               const char   *new_text,
                               gssize        new_length);
void    loom_word_diff_count  (GArray       *spans,
                               const char   *old_text,
                               const char   *new_text,
                               guint        *words_removed,
                               guint        *words_added);

G_END_DECLS
