/* loom-character-row.h: one character or story bible entry, expanded to edit it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-autosave.h"
#include "loom-character.h"

G_BEGIN_DECLS

#define LOOM_TYPE_CHARACTER_ROW (loom_character_row_get_type ())

G_DECLARE_FINAL_TYPE (LoomCharacterRow, loom_character_row, LOOM, CHARACTER_ROW, GtkListBoxRow)

GtkWidget     *loom_character_row_new           (gpointer          item);
LoomCharacter *loom_character_row_get_character (LoomCharacterRow *self);
GObject       *loom_character_row_get_item      (LoomCharacterRow *self);
gboolean       loom_character_row_save          (LoomCharacterRow *self);
LoomAutosave  *loom_character_row_get_autosave  (LoomCharacterRow *self);
void           loom_character_row_focus_name    (LoomCharacterRow *self);
gboolean       loom_character_row_get_expanded  (LoomCharacterRow *self);
void           loom_character_row_set_expanded  (LoomCharacterRow *self,
                                                 gboolean          expanded);
const char    *loom_character_row_get_title     (LoomCharacterRow *self);

/* For the tests: the fields as the writer edits them. */
GtkEditable   *loom_character_row_get_name_editable   (LoomCharacterRow *self);
GtkEditable   *loom_character_row_get_traits_editable (LoomCharacterRow *self);
GtkTextBuffer *loom_character_row_get_backstory_buffer (LoomCharacterRow *self);
GtkEditable   *loom_character_row_get_aliases_editable (LoomCharacterRow *self);
GtkTextBuffer *loom_character_row_get_description_buffer (LoomCharacterRow *self);
GtkDropDown   *loom_character_row_get_inclusion_drop_down (LoomCharacterRow *self);

G_END_DECLS
