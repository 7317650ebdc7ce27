/* loom-story-watch.h: hears of any change to a story's texts or order, wherever it came from
 * (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_STORY_WATCH (loom_story_watch_get_type ())

G_DECLARE_FINAL_TYPE (LoomStoryWatch, loom_story_watch, LOOM, STORY_WATCH, GObject)

/* How long the watch waits after a change for others to come with it. */
#define LOOM_STORY_WATCH_SETTLE_MS 300

LoomStoryWatch *loom_story_watch_new       (LoomStory      *story);
LoomStory      *loom_story_watch_get_story (LoomStoryWatch *self);

G_END_DECLS
