/* loom-cli-search.c: search STORY_ID QUERY and replace STORY_ID QUERY REPLACEMENT, with
 * [--whole-word] [--case] (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-search"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-store-search.h"

#define SEARCH_USAGE N_("Usage: search STORY_ID QUERY [--whole-word] [--case]")
#define REPLACE_USAGE N_("Usage: replace STORY_ID QUERY REPLACEMENT [--whole-word] [--case]")

/* The story's id, then N_TEXTS texts (the query, the replacement), and the options anywhere;
 * after "--" the remaining texts, which may begin with a dash. */
static gboolean
parse_args (int               argc,
            char            **argv,
            gint64           *story_id,
            const char      **texts,
            guint             n_texts,
            LoomSearchFlags  *flags)
{
  gboolean have_id = FALSE;
  guint n = 0;

  *flags = LOOM_SEARCH_DEFAULT;
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--whole-word"))
        *flags |= LOOM_SEARCH_WHOLE_WORD;
      else if (g_str_equal (argv[i], "--case"))
        *flags |= LOOM_SEARCH_MATCH_CASE;
      else if (g_str_equal (argv[i], "--") && have_id && (guint) (argc - i - 1) == n_texts - n)
        {
          while (++i < argc)
            texts[n++] = argv[i];
        }
      else if (!have_id && loom_cli_parse_id (argv[i], story_id))
        have_id = TRUE;
      else if (have_id && n < n_texts)
        texts[n++] = argv[i];
      else
        return FALSE;
    }
  return have_id && n == n_texts;
}

/* One tab-separated line per match, in story order: scene id, chapter number, scene number,
 * the match with its context on one line. */
int
loom_cli_search (const LoomCliOptions *options,
                 int                   argc,
                 char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GArray) matches = NULL;
  LoomSearchFlags flags;
  const char *query = NULL;
  LoomStory *story;
  gint64 story_id = 0;
  int status = LOOM_CLI_OK;

  if (!parse_args (argc, argv, &story_id, &query, 1, &flags))
    return loom_cli_usage_error (_(SEARCH_USAGE));
  if (!loom_store_check_text_bytes (query, strlen (query), _("search"), &error))
    return loom_cli_user_error (error);

  story = loom_cli_open_story (options, story_id, &store, &status);
  if (story == NULL)
    return status;

  matches = loom_store_search (store, story, query, flags, 0, &error);
  if (matches == NULL)
    return loom_cli_user_error (error);
  for (guint i = 0; i < matches->len; i++)
    {
      const LoomSearchMatch *match = &g_array_index (matches, LoomSearchMatch, i);

      g_print ("%" G_GINT64_FORMAT "\t%u\t%u\t%s\n", match->scene_id, match->chapter_number,
               match->scene_number, match->snippet);
    }
  return LOOM_CLI_OK;
}

/* Replace All, as in the window, in one transaction: each changed scene's prose is kept as a
 * revision first. One tab-separated line per changed scene: its id and how many matches were
 * replaced in it. */
int
loom_cli_replace (const LoomCliOptions *options,
                  int                   argc,
                  char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GArray) replacements = NULL;
  const char *texts[2] = { NULL, NULL };
  LoomSearchFlags flags;
  LoomStory *story;
  gint64 story_id = 0;
  int status = LOOM_CLI_OK;

  if (!parse_args (argc, argv, &story_id, texts, 2, &flags) || *texts[0] == '\0')
    return loom_cli_usage_error (_(REPLACE_USAGE));
  if (!loom_store_check_text_bytes (texts[0], strlen (texts[0]), _("search"), &error))
    return loom_cli_user_error (error);

  story = loom_cli_open_story (options, story_id, &store, &status);
  if (story == NULL)
    return status;

  replacements = loom_store_replace_all (store, story, texts[0], texts[1], flags, &error);
  if (replacements == NULL)
    return loom_cli_user_error (error);
  for (guint i = 0; i < replacements->len; i++)
    {
      const LoomReplacement *change = &g_array_index (replacements, LoomReplacement, i);

      g_print ("%" G_GINT64_FORMAT "\t%u\n", change->scene_id, change->n_replaced);
    }
  return LOOM_CLI_OK;
}
