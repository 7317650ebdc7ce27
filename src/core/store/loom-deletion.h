/* loom-deletion.h: a deleted chapter, scene or character, kept so it can be undone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_DELETION (loom_deletion_get_type ())

G_DECLARE_FINAL_TYPE (LoomDeletion, loom_deletion, LOOM, DELETION, GObject)

/* The chapter, scene or character that was deleted. */
GObject    *loom_deletion_get_item  (LoomDeletion *self);
char       *loom_deletion_describe  (LoomDeletion *self);

G_END_DECLS
