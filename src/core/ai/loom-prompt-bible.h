/* loom-prompt-bible.h: the story bible's part of a prompt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

GHashTable   *loom_prompt_find_mentions        (LoomStory               *story,
                                                const char              *text);
gboolean      loom_prompt_includes             (LoomInclusion            inclusion,
                                                gboolean                 mentioned);
char         *loom_prompt_bible_encode         (GPtrArray               *entries,
                                                GError                 **error);
char         *loom_prompt_mentioned_in         (LoomScene               *scene,
                                                guint                    previous_words,
                                                const char              *also_in,
                                                GError                 **error);

G_END_DECLS
