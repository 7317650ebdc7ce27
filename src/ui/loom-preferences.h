/* loom-preferences.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_PREFERENCES (loom_preferences_get_type ())

G_DECLARE_FINAL_TYPE (LoomPreferences, loom_preferences, LOOM, PREFERENCES, AdwPreferencesWindow)

LoomPreferences *loom_preferences_new         (void);
/* The library and the story (nullable) the AI page's Spending group and connection test use. */
void             loom_preferences_set_library (LoomPreferences *self,
                                               LoomStore       *store,
                                               LoomStory       *story);

G_END_DECLS
