/* loom-store-revise.h: what the AI's changes to the writer's own text keep in the library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

/* How many free instructions the library remembers. */
#define LOOM_REVISE_RECENT_KEPT 20

const char *loom_revise_action_to_string        (LoomReviseAction   action);
gboolean    loom_revise_action_from_string      (const char        *text,
                                                 LoomReviseAction  *action);

gint64      loom_store_begin_revise             (LoomStore         *self,
                                                 LoomScene         *scene,
                                                 LoomReviseAction   action,
                                                 const char        *model,
                                                 GError           **error);
gboolean    loom_store_apply_revise             (LoomStore         *self,
                                                 LoomScene         *scene,
                                                 const char        *base_prose,
                                                 const char        *new_prose,
                                                 const char        *model,
                                                 gint64             generation_id,
                                                 GError           **error);
gboolean    loom_store_get_revise_action_of     (LoomStore         *self,
                                                 LoomRevision      *revision,
                                                 LoomReviseAction  *action);

char       *loom_store_get_revise_template      (LoomStore         *self,
                                                 LoomStory         *story,
                                                 LoomReviseAction   action,
                                                 GError           **error);
gboolean    loom_store_set_revise_template      (LoomStore         *self,
                                                 LoomStory         *story,
                                                 LoomReviseAction   action,
                                                 const char        *instruction,
                                                 GError           **error);
GStrv       loom_store_list_recent_instructions (LoomStore         *self,
                                                 LoomStory         *story,
                                                 GError           **error);
gboolean    loom_store_remember_instruction     (LoomStore         *self,
                                                 LoomStory         *story,
                                                 const char        *instruction,
                                                 GError           **error);

G_END_DECLS
