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

G_END_DECLS
