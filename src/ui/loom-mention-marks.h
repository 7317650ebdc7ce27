/* loom-mention-marks.h: the story bible's names marked in a text view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-story.h"

G_BEGIN_DECLS

#define LOOM_TYPE_MENTION_MARKS (loom_mention_marks_get_type ())

G_DECLARE_FINAL_TYPE (LoomMentionMarks, loom_mention_marks, LOOM, MENTION_MARKS, GObject)

LoomMentionMarks *loom_mention_marks_new           (GtkTextView      *view);
void              loom_mention_marks_set_story     (LoomMentionMarks *self,
                                                    LoomStory        *story);
void              loom_mention_marks_update        (LoomMentionMarks *self);
/* The character or entry mentioned at @offset (in characters) of the buffer, or NULL. */
GObject          *loom_mention_marks_lookup        (LoomMentionMarks *self,
                                                    int               offset);
char             *loom_mention_marks_describe      (GObject          *item);

G_END_DECLS
