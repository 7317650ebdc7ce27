/* loom-cli-spell.c: storyloom-cli spell — the dictionaries, a story's language, a scene's
 * misspelled words (issue 17)
 *
 *   spell languages                       the installed dictionaries, one a line
 *   spell language STORY_ID [LANG|default] sets the story's language; prints it
 *   spell check SCENE_ID                  outline|prose, line, column, word, suggestions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-spell"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-scene.h"
#include "loom-spell-checker.h"
#include "loom-story.h"

#define SPELL_USAGE \
  N_("Usage: spell languages | spell language STORY_ID [LANGUAGE|default] | " \
     "spell check SCENE_ID")

/* With no dictionary at all, the package to suggest is the one of the language the writer
 * asked for (the story's), else of the locale's, as the window's notice suggests. */
static int
no_dictionary (const char *language)
{
  g_autofree char *package = loom_spell_dictionary_package (language);
  g_autofree char *message = NULL;

  /* TRANSLATORS: %s is a package name, e.g. "hunspell-de-de" */
  message = g_strdup_printf (_("No spelling dictionary is installed. Install one, for example "
                               "the package %s."), package);
  loom_cli_print_error (message);
  return LOOM_CLI_ERROR;
}

static int
list_languages (LoomSpellChecker *checker)
{
  g_auto(GStrv) languages = loom_spell_checker_list_languages (checker);

  if (languages[0] == NULL)
    return no_dictionary (NULL);
  for (guint i = 0; languages[i] != NULL; i++)
    g_print ("%s\n", languages[i]);
  return LOOM_CLI_OK;
}

/* The language is checked against this computer's dictionaries before it is stored: a typo
 * in it would otherwise turn checking off without a word. */
static int
story_language (LoomStore        *store,
                LoomSpellChecker *checker,
                const char       *id_text,
                const char       *language)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story;
  gint64 id;

  if (!loom_cli_parse_id (id_text, &id))
    return loom_cli_usage_error (_(SPELL_USAGE));
  if ((story = loom_store_lookup_story (store, id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, id);
  if (language != NULL && g_str_equal (language, "default"))
    language = NULL;
  if (language != NULL && !loom_spell_checker_set_language (checker, language, &error))
    return loom_cli_user_error (error);
  if (!loom_story_set_spell_language (story, language, &error))
    return loom_cli_user_error (error);

  if (loom_story_get_spell_language (story) != NULL)
    g_print ("%s\n", loom_story_get_spell_language (story));
  else
    /* TRANSLATORS: the story follows the locale; %s is the language that gives, "en_US" */
    g_print (_("default (%s)\n"), loom_spell_checker_get_language (checker)
                                  ? loom_spell_checker_get_language (checker) : _("none"));
  return LOOM_CLI_OK;
}

static void
print_misspelled (LoomSpellChecker *checker,
                  const char       *field,
                  const char       *text)
{
  g_autoptr(GArray) spans = NULL;
  const char *line_start = text;
  glong line_start_char = 0;
  guint line = 1;

  if (text == NULL)
    return;
  spans = loom_spell_checker_find_misspelled (checker, text, -1);
  for (guint i = 0; i < spans->len; i++)
    {
      const LoomSpellSpan *span = &g_array_index (spans, LoomSpellSpan, i);
      g_autofree char *word = g_strndup (text + span->start, span->end - span->start);
      g_auto(GStrv) suggestions = loom_spell_checker_get_suggestions (checker, word, -1);
      g_autofree char *joined = g_strjoinv (", ", suggestions);
      const char *newline;

      /* Lines and columns from 1, columns in characters. */
      while ((newline = memchr (line_start, '\n', text + span->start - line_start)) != NULL)
        {
          line_start_char += g_utf8_pointer_to_offset (line_start, newline) + 1;
          line_start = newline + 1;
          line++;
        }
      g_print ("%s\t%u\t%ld\t%s\t%s\n", field, line, span->start_char - line_start_char + 1,
               word, joined);
    }
}

static int
check_scene (LoomStore        *store,
             LoomSpellChecker *checker,
             const char       *id_text)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene;
  const char *language;
  gint64 id;

  if (!loom_cli_parse_id (id_text, &id))
    return loom_cli_usage_error (_(SPELL_USAGE));
  if ((scene = loom_store_lookup_scene (store, id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_SCENE, id);
  language = loom_story_get_spell_language (loom_scene_get_story (scene));
  if (!loom_spell_checker_set_language (checker, language, &error) ||
      !loom_scene_load_prose (scene, &error))
    return loom_cli_user_error (error);
  if (loom_spell_checker_get_language (checker) == NULL)
    return no_dictionary (language);
  print_misspelled (checker, "outline", loom_scene_get_outline (scene));
  print_misspelled (checker, "prose", loom_scene_get_prose (scene));
  return LOOM_CLI_OK;
}

int
loom_cli_spell (const LoomCliOptions *options,
                int                   argc,
                char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomSpellChecker) checker = NULL;
  g_autoptr(LoomStore) store = NULL;

  if (argc < 2 ||
      !((g_str_equal (argv[1], "languages") && argc == 2) ||
        (g_str_equal (argv[1], "language") && (argc == 3 || argc == 4)) ||
        (g_str_equal (argv[1], "check") && argc == 3)))
    return loom_cli_usage_error (_(SPELL_USAGE));

  checker = loom_spell_checker_new ();
  if (g_str_equal (argv[1], "languages"))
    return list_languages (checker);

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);
  if (g_str_equal (argv[1], "language"))
    return story_language (store, checker, argv[2], argc == 4 ? argv[3] : NULL);
  return check_scene (store, checker, argv[2]);
}
