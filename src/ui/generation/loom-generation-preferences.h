/* loom-generation-preferences.h: the AI page of the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-spending-group.h"
#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_GENERATION_PREFERENCES (loom_generation_preferences_get_type ())

G_DECLARE_FINAL_TYPE (LoomGenerationPreferences, loom_generation_preferences,
                      LOOM, GENERATION_PREFERENCES, AdwPreferencesPage)

LoomGenerationPreferences *loom_generation_preferences_new          (void);
void        loom_generation_preferences_set_library      (LoomGenerationPreferences *self,
                                                          LoomStore                 *store,
                                                          LoomStory                 *story);
LoomSpendingGroup *loom_generation_preferences_get_spending_group (LoomGenerationPreferences *self);

/* For the tests. */
const char *loom_generation_preferences_get_environment_text (LoomGenerationPreferences *self);
const char *loom_generation_preferences_get_key_status   (LoomGenerationPreferences *self);
const char *loom_generation_preferences_get_test_result  (LoomGenerationPreferences *self);
gboolean    loom_generation_preferences_get_busy         (LoomGenerationPreferences *self);
/* The models the combo offers, as their ids (the current model first until a test lists more). */
GStrv       loom_generation_preferences_dup_model_ids    (LoomGenerationPreferences *self);
void        loom_generation_preferences_select_model     (LoomGenerationPreferences *self,
                                                          guint                      index);
void        loom_generation_preferences_enter_key        (LoomGenerationPreferences *self,
                                                          const char                *key);

G_END_DECLS
