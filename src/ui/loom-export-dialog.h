/* loom-export-dialog.h: choosing how to export a story, and where
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-export.h"
#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_EXPORT_DIALOG (loom_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LoomExportDialog, loom_export_dialog, LOOM, EXPORT_DIALOG, AdwWindow)

LoomExportDialog *loom_export_dialog_new        (GtkWindow        *parent,
                                                 LoomStory        *story);
void              loom_export_dialog_set_format (LoomExportDialog *self,
                                                 LoomExportFormat  format);
/* Writes the story to @file with the options chosen in the dialog (what Export does once the
 * file chooser answers); the dialog closes itself when the file is written. */
void              loom_export_dialog_export_to  (LoomExportDialog *self,
                                                 GFile            *file);

G_END_DECLS
