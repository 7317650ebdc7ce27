/* loom-provenance-tracker.h: keeps a scene's provenance in step with the prose buffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-provenance.h"
#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_PROVENANCE_TRACKER (loom_provenance_tracker_get_type ())
G_DECLARE_FINAL_TYPE (LoomProvenanceTracker, loom_provenance_tracker, LOOM, PROVENANCE_TRACKER,
                      GObject)

LoomProvenanceTracker *loom_provenance_tracker_new      (GtkTextView           *view);
void                   loom_provenance_tracker_set_scene (LoomProvenanceTracker *self,
                                                         LoomScene             *scene);
void                   loom_provenance_tracker_set_loading (LoomProvenanceTracker *self,
                                                         gboolean               loading);
LoomProvenance        *loom_provenance_tracker_get_spans (LoomProvenanceTracker *self);
void                   loom_provenance_tracker_set_tint (LoomProvenanceTracker *self,
                                                         gboolean               tint);

G_END_DECLS
