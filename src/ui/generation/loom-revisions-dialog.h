/* loom-revisions-dialog.h: a scene's earlier prose, to read and to restore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-store.h"

G_BEGIN_DECLS

#define LOOM_TYPE_REVISIONS_DIALOG (loom_revisions_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LoomRevisionsDialog, loom_revisions_dialog, LOOM, REVISIONS_DIALOG, AdwWindow)

LoomRevisionsDialog *loom_revisions_dialog_new            (LoomStore           *store,
                                                           LoomScene           *scene);
LoomScene           *loom_revisions_dialog_get_scene      (LoomRevisionsDialog *self);
/* The revisions, newest first (element-type LoomRevision); reloaded after a restore. */
GListModel          *loom_revisions_dialog_get_revisions  (LoomRevisionsDialog *self);
/* Shows one revision (read-only); -1 for none. */
void                 loom_revisions_dialog_select         (LoomRevisionsDialog *self,
                                                           int                  index);
LoomRevision        *loom_revisions_dialog_get_selected   (LoomRevisionsDialog *self);
/* Makes the selected revision the scene's prose; the current prose becomes a revision first. */
gboolean             loom_revisions_dialog_restore_selected (LoomRevisionsDialog *self,
                                                             GError             **error);
/* For the tests: the text shown for the selected revision. */
char                *loom_revisions_dialog_get_shown_text (LoomRevisionsDialog *self);
gboolean             loom_revisions_dialog_get_compare    (LoomRevisionsDialog *self);
void                 loom_revisions_dialog_set_compare    (LoomRevisionsDialog *self,
                                                           gboolean             compare);
/* The shown text with "[-…]" around struck-through words and "[+…]" around highlighted ones. */
char                *loom_revisions_dialog_get_marked_text (LoomRevisionsDialog *self);

G_END_DECLS
