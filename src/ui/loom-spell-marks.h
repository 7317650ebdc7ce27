/* loom-spell-marks.h: misspelled words underlined in a text view, and their context menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-spell-checker.h"

G_BEGIN_DECLS

#define LOOM_TYPE_SPELL_MARKS (loom_spell_marks_get_type ())

G_DECLARE_FINAL_TYPE (LoomSpellMarks, loom_spell_marks, LOOM, SPELL_MARKS, GObject)

LoomSpellMarks *loom_spell_marks_new         (GtkTextView      *view,
                                              LoomSpellChecker *checker,
                                              GMenuModel       *settings_menu);
void            loom_spell_marks_set_enabled (LoomSpellMarks   *self,
                                              gboolean          enabled);
gboolean        loom_spell_marks_get_enabled (LoomSpellMarks   *self);
/* For the tests and the benchmark: whether text is waiting to be checked. */
gboolean        loom_spell_marks_is_pending  (LoomSpellMarks   *self);
char           *loom_spell_menu_label        (const char       *text);
/* One item a word of @words, labelled with it as it is, activating @action with it. */
void            loom_spell_menu_append_words (GMenu            *menu,
                                              const char       *action,
                                              const char *const *words);
GtkTextTag     *loom_spell_marks_get_tag     (LoomSpellMarks   *self);

G_END_DECLS
