/* loom-disclosure-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-disclosure-chart.h"
#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_DISCLOSURE_DIALOG (loom_disclosure_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LoomDisclosureDialog, loom_disclosure_dialog, LOOM, DISCLOSURE_DIALOG,
                      AdwWindow)

LoomDisclosureDialog *loom_disclosure_dialog_new        (GtkWindow            *parent,
                                                         LoomStory            *story);
LoomDisclosureChart  *loom_disclosure_dialog_get_chart  (LoomDisclosureDialog *self);
/* "writer", "kept", "edited", "unknown", "total", "cost": the row's figure as shown, for the
 * tests; "chapter N" and "model N" (from 1) likewise */
const char           *loom_disclosure_dialog_get_figure (LoomDisclosureDialog *self,
                                                         const char           *name);
/* the sentence under the header bar, or NULL */
const char           *loom_disclosure_dialog_get_error  (LoomDisclosureDialog *self);
void                  loom_disclosure_dialog_export_to  (LoomDisclosureDialog *self,
                                                         GFile                *file);

G_END_DECLS
