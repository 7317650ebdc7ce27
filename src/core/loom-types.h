/* loom-types.h: forward declarations shared by the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-enums.h"
#include "loom-core-enums.h"

G_BEGIN_DECLS

typedef struct _LoomStore     LoomStore;
typedef struct _LoomStory     LoomStory;
typedef struct _LoomChapter   LoomChapter;
typedef struct _LoomScene     LoomScene;
typedef struct _LoomCharacter LoomCharacter;
typedef struct _LoomEntry     LoomEntry;
typedef struct _LoomDeletion  LoomDeletion;
typedef struct _LoomRevision  LoomRevision;

const char      *loom_scene_status_to_string   (LoomSceneStatus  status);
gboolean         loom_scene_status_from_string (const char      *text,
                                                LoomSceneStatus *status);
const char      *loom_entry_kind_to_string     (LoomEntryKind    kind);
gboolean         loom_entry_kind_from_string   (const char      *text,
                                                LoomEntryKind   *kind);
const char      *loom_inclusion_to_string      (LoomInclusion    inclusion);
gboolean         loom_inclusion_from_string    (const char      *text,
                                                LoomInclusion   *inclusion);

G_END_DECLS
