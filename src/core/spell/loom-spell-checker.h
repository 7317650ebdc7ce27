/* loom-spell-checker.h: words checked against an installed dictionary (Enchant 2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LOOM_SPELL_ERROR (loom_spell_error_quark ())

typedef enum
{
  LOOM_SPELL_ERROR_NO_DICTIONARY, /* no dictionary for the language is installed */
  LOOM_SPELL_ERROR_INVALID,       /* not a language tag at all */
} LoomSpellError;

GQuark loom_spell_error_quark (void);

/* A misspelled word in a text: in bytes, and in characters, from the text's start. */
typedef struct
{
  gsize start;
  gsize end;
  glong start_char;
  glong end_char;
} LoomSpellSpan;

#define LOOM_TYPE_SPELL_CHECKER (loom_spell_checker_get_type ())

G_DECLARE_FINAL_TYPE (LoomSpellChecker, loom_spell_checker, LOOM, SPELL_CHECKER, GObject)

LoomSpellChecker *loom_spell_checker_new               (void);
char            **loom_spell_checker_list_languages    (LoomSpellChecker  *self);
char             *loom_spell_checker_default_language  (LoomSpellChecker  *self);
const char       *loom_spell_checker_get_language      (LoomSpellChecker  *self);
gboolean          loom_spell_checker_set_language      (LoomSpellChecker  *self,
                                                        const char        *language,
                                                        GError           **error);
gboolean          loom_spell_checker_check_word        (LoomSpellChecker  *self,
                                                        const char        *word,
                                                        gssize             length);
char            **loom_spell_checker_get_suggestions   (LoomSpellChecker  *self,
                                                        const char        *word,
                                                        gssize             length);
void              loom_spell_checker_add_word          (LoomSpellChecker  *self,
                                                        const char        *word,
                                                        gssize             length);
void              loom_spell_checker_ignore_word       (LoomSpellChecker  *self,
                                                        const char        *word,
                                                        gssize             length);
GArray           *loom_spell_checker_find_misspelled   (LoomSpellChecker  *self,
                                                        const char        *text,
                                                        gssize             length);
gboolean          loom_spell_is_word_char              (gunichar           c);
gboolean          loom_spell_word_bounds               (const char        *text,
                                                        gsize              length,
                                                        gsize              at,
                                                        gsize             *start,
                                                        gsize             *end);
gboolean          loom_spell_language_is_valid         (const char        *language);
char             *loom_spell_dictionary_package        (const char        *language);
char             *loom_spell_missing_dictionary_text   (const char        *wanted,
                                                        const char        *used);

G_END_DECLS
