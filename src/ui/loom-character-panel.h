/* loom-character-panel.h: the story bible: characters, places, objects, groups and lore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-character-row.h"
#include "loom-story.h"

G_BEGIN_DECLS

#define LOOM_TYPE_CHARACTER_PANEL (loom_character_panel_get_type ())

G_DECLARE_FINAL_TYPE (LoomCharacterPanel, loom_character_panel, LOOM, CHARACTER_PANEL, GtkWidget)

LoomStory        *loom_character_panel_get_story (LoomCharacterPanel *self);
void              loom_character_panel_set_story (LoomCharacterPanel *self,
                                                  LoomStory          *story);
gboolean          loom_character_panel_save      (LoomCharacterPanel *self);
void              loom_character_panel_reveal    (LoomCharacterPanel *self,
                                                  gpointer            item);
LoomCharacterRow *loom_character_panel_find_row  (LoomCharacterPanel *self,
                                                  gpointer            item);
GtkEditable      *loom_character_panel_get_filter (LoomCharacterPanel *self);
GtkMenuButton    *loom_character_panel_get_add_button (LoomCharacterPanel *self);
GtkMenuButton    *loom_character_panel_get_empty_add_button (LoomCharacterPanel *self);
gboolean          loom_character_panel_is_empty_shown (LoomCharacterPanel *self);

G_END_DECLS
