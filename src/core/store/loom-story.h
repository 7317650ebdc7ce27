/* loom-story.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_STORY (loom_story_get_type ())

G_DECLARE_FINAL_TYPE (LoomStory, loom_story, LOOM, STORY, GObject)

gint64       loom_story_get_id            (LoomStory   *self);
const char  *loom_story_get_title         (LoomStory   *self);
gboolean     loom_story_set_title         (LoomStory   *self,
                                           const char  *title,
                                           GError     **error);
const char  *loom_story_get_premise       (LoomStory   *self);
gboolean     loom_story_set_premise       (LoomStory   *self,
                                           const char  *premise,
                                           GError     **error);
const char  *loom_story_get_style_notes   (LoomStory   *self);
gboolean     loom_story_set_style_notes   (LoomStory   *self,
                                           const char  *style_notes,
                                           GError     **error);
gint64       loom_story_get_created_at    (LoomStory   *self);
gint64       loom_story_get_updated_at    (LoomStory   *self);
guint        loom_story_get_chapter_count (LoomStory   *self);
guint        loom_story_get_scene_count   (LoomStory   *self);
guint        loom_story_get_word_count    (LoomStory   *self);
guint        loom_story_get_target_words  (LoomStory   *self);
const char  *loom_story_get_deadline      (LoomStory   *self);
guint        loom_story_get_daily_goal    (LoomStory   *self);
gboolean     loom_story_set_goals         (LoomStory   *self,
                                           guint        target_words,
                                           const char  *deadline,
                                           guint        daily_goal,
                                           GError     **error);
const char  *loom_story_get_spell_language (LoomStory  *self);
gboolean     loom_story_set_spell_language (LoomStory  *self,
                                            const char *language,
                                            GError    **error);
GListModel  *loom_story_get_chapters      (LoomStory   *self);
GListModel  *loom_story_get_characters    (LoomStory   *self);
GListModel  *loom_story_get_entries       (LoomStory   *self);
LoomStore   *loom_story_get_store         (LoomStory   *self);

G_END_DECLS
