/* loom-chapter.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_CHAPTER (loom_chapter_get_type ())

G_DECLARE_FINAL_TYPE (LoomChapter, loom_chapter, LOOM, CHAPTER, GObject)

gint64       loom_chapter_get_id         (LoomChapter  *self);
LoomStory   *loom_chapter_get_story      (LoomChapter  *self);
guint        loom_chapter_get_number     (LoomChapter  *self);
const char  *loom_chapter_get_title      (LoomChapter  *self);
gboolean     loom_chapter_set_title      (LoomChapter  *self,
                                          const char   *title,
                                          GError      **error);
guint        loom_chapter_get_word_count (LoomChapter  *self);
GListModel  *loom_chapter_get_scenes     (LoomChapter  *self);

G_END_DECLS
