/* loom-undo-stack.h: what the window did, to be undone and redone in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LOOM_TYPE_UNDO_STACK (loom_undo_stack_get_type ())

G_DECLARE_FINAL_TYPE (LoomUndoStack, loom_undo_stack, LOOM, UNDO_STACK, GObject)

/* Undoes or redoes one command: a call into the core that either succeeds or leaves the
 * library as it was and sets @error. */
typedef gboolean (*LoomUndoFunc) (gpointer   data,
                                  GError   **error);

LoomUndoStack *loom_undo_stack_new            (void);

guint          loom_undo_stack_push           (LoomUndoStack  *self,
                                               const char     *label,
                                               LoomUndoFunc    undo,
                                               LoomUndoFunc    redo,
                                               gpointer        data,
                                               GDestroyNotify  destroy);
gpointer       loom_undo_stack_peek           (LoomUndoStack  *self,
                                               LoomUndoFunc    undo);
gboolean       loom_undo_stack_undo           (LoomUndoStack  *self,
                                               GError        **error);
gboolean       loom_undo_stack_redo           (LoomUndoStack  *self,
                                               GError        **error);
gboolean       loom_undo_stack_undo_command   (LoomUndoStack  *self,
                                               guint           serial,
                                               GError        **error);
gboolean       loom_undo_stack_get_can_undo   (LoomUndoStack  *self);
gboolean       loom_undo_stack_get_can_redo   (LoomUndoStack  *self);
const char    *loom_undo_stack_get_undo_label (LoomUndoStack  *self);
const char    *loom_undo_stack_get_redo_label (LoomUndoStack  *self);
gboolean       loom_undo_stack_get_busy       (LoomUndoStack  *self);
void           loom_undo_stack_clear          (LoomUndoStack  *self);

G_END_DECLS
