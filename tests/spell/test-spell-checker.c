/* test-spell-checker.c: words checked with Enchant against en_US (issue 17)
 *
 * Each test runs with its own home and configuration folders (G_TEST_OPTION_ISOLATE_DIRS), so
 * the words it adds go to a personal dictionary that is thrown away, never the writer's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "loom-spell-checker.h"

static LoomSpellChecker *
english_checker (void)
{
  g_autoptr(LoomSpellChecker) checker = loom_spell_checker_new ();
  g_autoptr(GError) error = NULL;

  if (!loom_spell_checker_set_language (checker, "en_US", &error))
    {
      g_test_skip_printf ("No en_US dictionary (%s): install hunspell-en-us", error->message);
      return NULL;
    }
  return g_steal_pointer (&checker);
}

static char *
misspelled (LoomSpellChecker *checker,
            const char       *text)
{
  g_autoptr(GArray) spans = loom_spell_checker_find_misspelled (checker, text, -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < spans->len; i++)
    {
      const LoomSpellSpan *span = &g_array_index (spans, LoomSpellSpan, i);
      g_autofree char *chars = g_utf8_substring (text, span->start_char, span->end_char);

      g_assert_cmpint (strncmp (chars, text + span->start, span->end - span->start), ==, 0);
      g_string_append_printf (out, "%s%s", out->len ? "," : "", chars);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_words (void)
{
  g_autoptr(LoomSpellChecker) checker = english_checker ();
  g_autofree char *found = NULL;

  if (checker == NULL)
    return;
  g_assert_cmpstr (loom_spell_checker_get_language (checker), ==, "en_US");
  g_assert_true (loom_spell_checker_check_word (checker, "harbour", -1) == FALSE);
  g_assert_true (loom_spell_checker_check_word (checker, "harbor", -1));
  /* Curly and straight apostrophes, capitals at a sentence's start. */
  found = misspelled (checker, "The boat didn’t leave. It wasn't the wrod’s fault,\n"
                      "nor Teh tide’s — “recieve” it well-known. NASA 3rd mp3 x");
  g_assert_cmpstr (found, ==, "wrod’s,Teh,recieve");
  g_clear_pointer (&found, g_free);
  /* Offsets in characters follow multibyte text. */
  found = misspelled (checker, "Ünïcödé… «café» naïve wrod");
  g_assert_true (g_str_has_suffix (found, "wrod"));
}

static void
test_suggestions (void)
{
  g_autoptr(LoomSpellChecker) checker = english_checker ();
  g_auto(GStrv) suggestions = NULL;

  if (checker == NULL)
    return;
  suggestions = loom_spell_checker_get_suggestions (checker, "recieve", -1);
  g_assert_true (g_strv_contains ((const char *const *) suggestions, "receive"));
  g_assert_cmpuint (g_strv_length (suggestions), <=, 6);
}

static void
count (guint *counter)
{
  (*counter)++;
}

static void
test_add_and_ignore (void)
{
  g_autoptr(LoomSpellChecker) checker = english_checker ();
  g_autoptr(LoomSpellChecker) later = NULL;
  guint changes = 0;

  if (checker == NULL)
    return;
  g_signal_connect_swapped (checker, "dictionary-changed", G_CALLBACK (count), &changes);
  g_assert_false (loom_spell_checker_check_word (checker, "Quorvath", -1));
  loom_spell_checker_add_word (checker, "Quorvath", -1);
  g_assert_true (loom_spell_checker_check_word (checker, "Quorvath", -1));
  g_assert_false (loom_spell_checker_check_word (checker, "Zyxwel", -1));
  loom_spell_checker_ignore_word (checker, "Zyxwel", -1);
  g_assert_true (loom_spell_checker_check_word (checker, "Zyxwel", -1));
  g_assert_cmpuint (changes, ==, 2);

  /* The added word is kept for good, the ignored one only while the program runs. */
  later = english_checker ();
  g_assert_true (loom_spell_checker_check_word (later, "Quorvath", -1));
  g_assert_false (loom_spell_checker_check_word (later, "Zyxwel", -1));
}

static void
test_languages (void)
{
  g_autoptr(LoomSpellChecker) checker = english_checker ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) languages = NULL;

  if (checker == NULL)
    return;
  languages = loom_spell_checker_list_languages (checker);
  g_assert_true (g_strv_contains ((const char *const *) languages, "en_US"));

  /* A language with no dictionary, or no language at all, is refused and changes nothing. */
  g_assert_false (loom_spell_checker_set_language (checker, "xx_YY", &error));
  g_assert_error (error, LOOM_SPELL_ERROR, LOOM_SPELL_ERROR_NO_DICTIONARY);
  g_assert_nonnull (strstr (error->message, "xx_YY"));
  g_clear_error (&error);
  g_assert_false (loom_spell_checker_set_language (checker, "en_US; rm -rf", &error));
  g_assert_error (error, LOOM_SPELL_ERROR, LOOM_SPELL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (loom_spell_checker_get_language (checker), ==, "en_US");
  g_assert_false (loom_spell_checker_check_word (checker, "wrod", -1));

  if (g_strv_contains ((const char *const *) languages, "de_DE"))
    {
      g_assert_true (loom_spell_checker_set_language (checker, "de_DE", &error));
      g_assert_no_error (error);
      g_assert_true (loom_spell_checker_check_word (checker, "Straße", -1));
      g_assert_false (loom_spell_checker_check_word (checker, "harbor", -1));
    }
}

static void
test_word_bounds (void)
{
  const char *text = "a don’t-stop, wrod";
  gsize start, end;

  /* Inside, at the end and at the start of a word; on a space. */
  g_assert_true (loom_spell_word_bounds (text, strlen (text), 4, &start, &end));
  g_assert_cmpuint (start, ==, 2);
  g_assert_cmpuint (end, ==, 9);   /* "don’t": the apostrophe is 3 bytes */
  g_assert_true (loom_spell_word_bounds (text, strlen (text), strlen (text), &start, &end));
  g_assert_cmpuint (start, ==, strlen (text) - 4);
  g_assert_true (loom_spell_word_bounds (text, strlen (text), 2, &start, &end));
  g_assert_cmpuint (start, ==, 2);
  g_assert_false (loom_spell_word_bounds (text, strlen (text), 15, &start, &end) &&
                  start == 15);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/spell/words", test_words);
  g_test_add_func ("/spell/suggestions", test_suggestions);
  g_test_add_func ("/spell/add-and-ignore", test_add_and_ignore);
  g_test_add_func ("/spell/languages", test_languages);
  g_test_add_func ("/spell/word-bounds", test_word_bounds);
  return g_test_run ();
}
