/* loom-deletion.h: a deletion kept in the library's trash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

/* How long the trash keeps a deletion before it is emptied for good. */
#define LOOM_TRASH_DAYS 30

#define LOOM_TYPE_DELETION (loom_deletion_get_type ())

G_DECLARE_FINAL_TYPE (LoomDeletion, loom_deletion, LOOM, DELETION, GObject)

gint64         loom_deletion_get_id          (LoomDeletion *self);
LoomTrashKind  loom_deletion_get_kind        (LoomDeletion *self);
const char    *loom_deletion_get_title       (LoomDeletion *self);
const char    *loom_deletion_get_story_title (LoomDeletion *self);
gint64         loom_deletion_get_deleted_at  (LoomDeletion *self);
guint          loom_deletion_get_n_chapters  (LoomDeletion *self);
guint          loom_deletion_get_n_scenes    (LoomDeletion *self);
guint          loom_deletion_get_n_words     (LoomDeletion *self);
gint64         loom_deletion_get_expires_at  (LoomDeletion *self);
GObject       *loom_deletion_get_item        (LoomDeletion *self);
char          *loom_deletion_describe        (LoomDeletion *self);
char          *loom_deletion_describe_contents (LoomDeletion *self);

char          *loom_trash_describe_consequence (GObject    *item);

G_END_DECLS
