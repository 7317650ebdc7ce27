/* loom-cli-search.c: search STORY_ID QUERY [--whole-word] [--case] (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "storyloom-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-store-search.h"

#define SEARCH_USAGE N_("Usage: search STORY_ID QUERY [--whole-word] [--case]")

static gboolean
parse_args (int               argc,
            char            **argv,
            gint64           *story_id,
            const char      **query,
            LoomSearchFlags  *flags)
{
  gboolean have_id = FALSE;

  *query = NULL;
  *flags = LOOM_SEARCH_DEFAULT;
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--whole-word"))
        *flags |= LOOM_SEARCH_WHOLE_WORD;
      else if (g_str_equal (argv[i], "--case"))
        *flags |= LOOM_SEARCH_MATCH_CASE;
      else if (g_str_equal (argv[i], "--") && i + 2 == argc && *query == NULL)
        *query = argv[++i];
      else if (!have_id && loom_cli_parse_id (argv[i], story_id))
        have_id = TRUE;
      else if (have_id && *query == NULL)
        *query = argv[i];
      else
        return FALSE;
    }
  return have_id && *query != NULL;
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
  const char *query;
  LoomStory *story;
  gint64 story_id = 0;

  if (!parse_args (argc, argv, &story_id, &query, &flags))
    return loom_cli_usage_error (_(SEARCH_USAGE));
  if (!loom_store_check_text_bytes (query, strlen (query), _("search"), &error))
    return loom_cli_user_error (error);

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);
  story = loom_store_lookup_story (store, story_id);
  if (story == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, story_id);

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
