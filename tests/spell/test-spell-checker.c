/* test-spell-checker.c: words checked with Enchant against en_US (issue 17)
 *
 * The words a test adds go to a personal dictionary in a folder of this run's own
 * (ENCHANT_CONFIG_DIR), removed at the end, never the writer's. Not GLib's
 * G_TEST_OPTION_ISOLATE_DIRS: GLib 2.74 leaks its folder names once a test, which fails the
 * run under LeakSanitizer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-spell-checker"

#include "config.h"

#include <locale.h>

#include "loom-scene.h"
#include "loom-spell-checker.h"
#include "loom-story.h"
#include "test-util.h"

/* A checker in @language, or NULL when its dictionary is missing: the test then skips, naming
 * @package (build-aux/test.sh installs both). */
static LoomSpellChecker *
checker_in (const char *language,
            const char *package)
{
  g_autoptr(LoomSpellChecker) checker = loom_spell_checker_new ();
  g_autoptr(GError) error = NULL;

  if (!loom_spell_checker_set_language (checker, language, &error))
    {
      g_test_skip_printf ("No %s dictionary (%s): install %s", language, error->message,
                          package);
      return NULL;
    }
  return g_steal_pointer (&checker);
}

static LoomSpellChecker *
english_checker (void)
{
  return checker_in ("en_US", "hunspell-en-us");
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
}

/* A second language (the test set-up installs hunspell-de-de): the same checker checks in it
 * from then on. */
static void
test_german (void)
{
  g_autoptr(LoomSpellChecker) german = checker_in ("de_DE", "hunspell-de-de");
  g_autoptr(LoomSpellChecker) checker = german != NULL ? english_checker () : NULL;
  g_autoptr(GError) error = NULL;

  if (checker == NULL)
    return;
  g_assert_true (loom_spell_checker_check_word (checker, "harbor", -1));
  g_assert_false (loom_spell_checker_check_word (checker, "Straße", -1));
  g_assert_true (loom_spell_checker_set_language (checker, "de_DE", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (loom_spell_checker_get_language (checker), ==, "de_DE");
  g_assert_true (loom_spell_checker_check_word (checker, "Straße", -1));
  g_assert_false (loom_spell_checker_check_word (checker, "harbor", -1));
}

static void
restore_env (const char *name,
             const char *value)
{
  if (value != NULL)
    g_setenv (name, value, TRUE);
  else
    g_unsetenv (name);
}

/* What the window says when a dictionary is missing: the language, what is checked instead,
 * and a package to install; with none installed at all, that nothing is checked. */
static void
test_missing_dictionary_text (void)
{
  g_autofree char *fallback = loom_spell_missing_dictionary_text ("de_DE", "en_US");
  g_autofree char *none = loom_spell_missing_dictionary_text ("pt_BR", NULL);
  g_autofree char *locale = NULL;
  g_autofree char *old_language = NULL;
  g_autofree char *old_lc_all = NULL;

  g_assert_nonnull (strstr (fallback, "“de_DE”"));
  g_assert_nonnull (strstr (fallback, "checked in en_US"));
  g_assert_nonnull (strstr (fallback, "hunspell-de-de"));
  g_assert_nonnull (strstr (fallback, "Spelling Language"));

  g_assert_nonnull (strstr (none, "no word is checked"));
  g_assert_nonnull (strstr (none, "hunspell-pt-br"));
  /* The default follows the locale's language: none in the C locale, then American
   * English. */
  old_language = g_strdup (g_getenv ("LANGUAGE"));
  old_lc_all = g_strdup (g_getenv ("LC_ALL"));
  g_setenv ("LANGUAGE", "", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  locale = loom_spell_missing_dictionary_text (NULL, NULL);
  g_assert_nonnull (strstr (locale, "hunspell-en-us"));
  g_clear_pointer (&locale, g_free);
  g_setenv ("LC_ALL", "de_AT.UTF-8", TRUE);
  locale = loom_spell_missing_dictionary_text (NULL, NULL);
  g_assert_nonnull (strstr (locale, "hunspell-de-at"));
  /* The command line names the same package. */
  g_clear_pointer (&locale, g_free);
  locale = loom_spell_dictionary_package (NULL);
  g_assert_cmpstr (locale, ==, "hunspell-de-at");
  g_clear_pointer (&locale, g_free);
  locale = loom_spell_dictionary_package ("pt_BR");
  g_assert_cmpstr (locale, ==, "hunspell-pt-br");

  /* The rest of the run (the command line's tests) in the locale it began in. */
  restore_env ("LANGUAGE", old_language);
  restore_env ("LC_ALL", old_lc_all);
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

/* The story's language is stored, survives a reopen, reaches other programs, and something
 * that is no language is refused with the library left as it was. */
static void
test_story_language (TestOneScene  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  guint notified = 0;

  g_assert_null (loom_story_get_spell_language (f->story));
  g_signal_connect_swapped (f->story, "notify::spell-language", G_CALLBACK (count), &notified);
  g_assert_true (loom_story_set_spell_language (f->story, "de_DE", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (loom_story_get_spell_language (f->story), ==, "de_DE");
  g_assert_cmpuint (notified, ==, 1);
  stored = test_sql_value (f->path, "SELECT spell_language FROM stories");
  g_assert_cmpstr (stored, ==, "de_DE");

  g_assert_false (loom_story_set_spell_language (f->story, "de'; DROP TABLE stories", &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (loom_story_get_spell_language (f->story), ==, "de_DE");

  /* Another program sets it back to the locale's. */
  test_sql_exec (f->path, "UPDATE stories SET spell_language = NULL");
  g_assert_true (loom_store_refresh (f->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (loom_story_get_spell_language (f->story));
  g_assert_cmpuint (notified, ==, 2);
  g_signal_handlers_disconnect_by_func (f->story, count, &notified);
}

/* Runs storyloom-cli on @f's library in the C locale; its standard error goes to @err, or
 * nowhere when @err is %NULL. */
static char *
run_cli (TestOneScene  *f,
         int           *status,
         char         **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  char *out = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("STORYLOOM_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  env = g_environ_setenv (env, "STORYLOOM_DB", f->path, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  g_spawn_sync (NULL, (char **) argv->pdata, env, err ? 0 : G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, &out, err, status, &error);
  g_assert_no_error (error);
  return out;
}

static void
test_cli (TestOneScene  *f,
          gconstpointer  data)
{
  g_autoptr(LoomSpellChecker) checker = english_checker ();
  g_autofree char *story_id = NULL;
  g_autofree char *scene_id = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (checker == NULL)
    return;
  story_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_story_get_id (f->story));
  scene_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_scene_get_id (f->scene));
  g_assert_true (loom_scene_set_prose (f->scene, "The tide turned.\nNo one recieved the wrod.",
                                       &error));
  g_assert_no_error (error);

  out = run_cli (f, &status, NULL, "spell", "languages", NULL);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "en_US\n"));
  g_clear_pointer (&out, g_free);

  out = run_cli (f, &status, NULL, "spell", "language", story_id, "en_US", NULL);
  g_assert_cmpstr (out, ==, "en_US\n");
  g_clear_pointer (&out, g_free);

  /* A language with no dictionary is refused, naming the package of that language, and the
   * story keeps its own. */
  out = run_cli (f, &status, &err, "spell", "language", story_id, "xx_YY", NULL);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "“xx_YY”"));
  g_assert_nonnull (strstr (err, "the package hunspell-xx-yy"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = test_sql_value (f->path, "SELECT spell_language FROM stories");
  g_assert_cmpstr (out, ==, "en_US");
  g_clear_pointer (&out, g_free);

  out = run_cli (f, &status, NULL, "spell", "check", scene_id, NULL);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_prefix (out, "prose\t2\t8\trecieved\treceived"));
  g_assert_nonnull (strstr (out, "\nprose\t2\t21\twrod\tword"));
  g_clear_pointer (&out, g_free);

  /* A story whose language has no dictionary on this computer (another computer set it):
   * nothing is checked, and the package suggested is that language's, not American
   * English's. */
  g_assert_true (loom_story_set_spell_language (f->story, "xx_ZZ", &error));
  g_assert_no_error (error);
  out = run_cli (f, &status, &err, "spell", "check", scene_id, NULL);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "the package hunspell-xx-zz"));
  g_assert_null (strstr (err, "hunspell-en-us"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = run_cli (f, &status, NULL, "spell", "language", story_id, "default", NULL);
  g_assert_true (g_str_has_prefix (out, "default ("));
  g_clear_pointer (&out, g_free);
  out = test_sql_value (f->path, "SELECT spell_language IS NULL FROM stories");
  g_assert_cmpstr (out, ==, "1");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *words_dir = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  words_dir = g_dir_make_tmp ("storyloom-spell-XXXXXX", NULL);
  g_assert_nonnull (words_dir);
  g_setenv ("ENCHANT_CONFIG_DIR", words_dir, TRUE);

  g_test_add_func ("/spell/words", test_words);
  g_test_add_func ("/spell/suggestions", test_suggestions);
  g_test_add_func ("/spell/add-and-ignore", test_add_and_ignore);
  g_test_add_func ("/spell/languages", test_languages);
  g_test_add_func ("/spell/german", test_german);
  g_test_add_func ("/spell/missing-dictionary-text", test_missing_dictionary_text);
  g_test_add_func ("/spell/word-bounds", test_word_bounds);
  g_test_add ("/spell/story-language", TestOneScene, NULL, test_one_scene_setup,
              test_story_language, test_one_scene_teardown);
  g_test_add ("/spell/cli", TestOneScene, NULL, test_one_scene_setup, test_cli,
              test_one_scene_teardown);
  status = g_test_run ();
  test_remove_tree (words_dir);
  return status;
}
