/* loom-mentions.h: which names of the story bible a text mentions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

typedef struct _LoomMentions LoomMentions;

/**
 * LoomMentionFunc:
 * @item: the item whose name or alias is mentioned
 * @start: where the mention starts in the text, in bytes
 * @end: where it ends, in bytes
 */
typedef void (*LoomMentionFunc) (gpointer  item,
                                 gsize     start,
                                 gsize     end,
                                 gpointer  user_data);

LoomMentions *loom_mentions_new            (void);
LoomMentions *loom_mentions_new_for_story  (LoomStory       *story);
void          loom_mentions_free           (LoomMentions    *self);
void          loom_mentions_add            (LoomMentions    *self,
                                            const char      *term,
                                            GObject         *item);
void          loom_mentions_add_names      (LoomMentions    *self,
                                            const char      *name,
                                            const char      *aliases,
                                            GObject         *item);
guint         loom_mentions_get_n_terms    (LoomMentions    *self);
void          loom_mentions_scan           (LoomMentions    *self,
                                            const char      *text,
                                            LoomMentionFunc  func,
                                            gpointer         user_data);
void          loom_mentions_collect        (LoomMentions    *self,
                                            const char      *text,
                                            GHashTable      *found);
gboolean      loom_text_mentions_name      (const char      *text,
                                            const char      *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomMentions, loom_mentions_free)

G_END_DECLS
