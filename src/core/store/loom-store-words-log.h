/* loom-store-words-log.h: how many words the writer wrote, and accepted from the AI, each day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

/* One local day of a story's word log: the change in its scenes' word counts that day, split
 * into what the writer typed and what they accepted from the AI. Either may be negative (the
 * writer cut more than they wrote; a generation was undone). */
typedef struct
{
  char    day[11];   /* YYYY-MM-DD, local time */
  gint64  written;
  gint64  accepted;
} LoomWordDay;

GArray     *loom_store_get_word_log             (LoomStore         *self,
                                                 LoomStory         *story,
                                                 guint              days,
                                                 GError           **error);

/* The store's clock, whose local date is "today" for the word log. */
GDateTime  *loom_store_now_local                (LoomStore         *self);
void        loom_store_set_now                  (LoomStore         *self,
                                                 GDateTime         *now);

G_END_DECLS
