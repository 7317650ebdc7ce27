/* loom-trash-dialog.h: what was deleted, to restore or to let go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-window.h"

G_BEGIN_DECLS

#define LOOM_TYPE_TRASH_DIALOG (loom_trash_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LoomTrashDialog, loom_trash_dialog, LOOM, TRASH_DIALOG, AdwWindow)

LoomTrashDialog *loom_trash_dialog_new     (LoomWindow      *window);
GListModel      *loom_trash_dialog_get_items (LoomTrashDialog *self);

G_END_DECLS
