/* loom-enums.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LOOM_SCENE_STATUS_DRAFT,
  LOOM_SCENE_STATUS_GENERATING,
  LOOM_SCENE_STATUS_COMPLETE,
  LOOM_SCENE_STATUS_ERROR,
} LoomSceneStatus;

typedef enum
{
  LOOM_GENERATION_COMPLETE,
  LOOM_GENERATION_ERROR,
  LOOM_GENERATION_CANCELLED,
} LoomGenerationOutcome;

typedef enum
{
  LOOM_REVISION_GENERATION, /* the prose a regeneration replaced */
  LOOM_REVISION_RESTORE,    /* the prose a restore replaced */
  LOOM_REVISION_PARTIAL,    /* what a failed or cancelled generation had written */
  LOOM_REVISION_EDIT,
  LOOM_REVISION_ELSEWHERE,  /* what another program had written over text edited here */
} LoomRevisionOrigin;

/* What a deletion in the trash holds; each kind takes what belongs to it along. */
typedef enum
{
  LOOM_TRASH_STORY,      /* with its chapters, scenes, characters, history and usage */
  LOOM_TRASH_CHAPTER,    /* with its scenes and their history and usage */
  LOOM_TRASH_SCENE,      /* with its history and usage */
  LOOM_TRASH_CHARACTER,
} LoomTrashKind;

G_END_DECLS
