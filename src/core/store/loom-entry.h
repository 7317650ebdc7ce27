/* loom-entry.h: a story bible entry (a place, an object, a group, lore)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_ENTRY (loom_entry_get_type ())

G_DECLARE_FINAL_TYPE (LoomEntry, loom_entry, LOOM, ENTRY, GObject)

gint64         loom_entry_get_id          (LoomEntry      *self);
LoomStory     *loom_entry_get_story       (LoomEntry      *self);
LoomEntryKind  loom_entry_get_kind        (LoomEntry      *self);
gboolean       loom_entry_set_kind        (LoomEntry      *self,
                                           LoomEntryKind   kind,
                                           GError        **error);
const char    *loom_entry_get_name        (LoomEntry      *self);
gboolean       loom_entry_set_name        (LoomEntry      *self,
                                           const char     *name,
                                           GError        **error);
const char    *loom_entry_get_aliases     (LoomEntry      *self);
gboolean       loom_entry_set_aliases     (LoomEntry      *self,
                                           const char     *aliases,
                                           GError        **error);
const char    *loom_entry_get_description (LoomEntry      *self);
gboolean       loom_entry_set_description (LoomEntry      *self,
                                           const char     *description,
                                           GError        **error);
LoomInclusion  loom_entry_get_inclusion   (LoomEntry      *self);
gboolean       loom_entry_set_inclusion   (LoomEntry      *self,
                                           LoomInclusion   inclusion,
                                           GError        **error);
gboolean       loom_entry_set_text_edited (LoomEntry      *self,
                                           const char     *property,
                                           const char     *text,
                                           const char     *base,
                                           char          **before,
                                           GError        **error);

char         **loom_aliases_split         (const char     *aliases);

G_END_DECLS
