/* loom-cli-stats.c: stats STORY_ID [--days N] (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "storyloom-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-store-words-log.h"

#define STATS_USAGE N_("Usage: stats STORY_ID [--days N]")
#define DEFAULT_DAYS 30
#define MAX_DAYS 36525

static gboolean
parse_args (int      argc,
            char   **argv,
            gint64  *story_id,
            guint   *days)
{
  gboolean have_id = FALSE;

  *days = DEFAULT_DAYS;
  for (int i = 1; i < argc; i++)
    {
      const char *value = NULL;
      guint64 n;

      if (loom_cli_match_option (argc, argv, &i, "--days", &value))
        {
          if (value == NULL ||
              !g_ascii_string_to_unsigned (value, 10, 1, MAX_DAYS, &n, NULL))
            return FALSE;
          *days = (guint) n;
        }
      else if (!have_id && loom_cli_parse_id (argv[i], story_id))
        have_id = TRUE;
      else
        return FALSE;
    }
  return have_id;
}

/* One tab-separated line per local day, oldest first, today last: day, words written,
 * words accepted from the AI. */
int
loom_cli_stats (const LoomCliOptions *options,
                int                   argc,
                char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GArray) log = NULL;
  LoomStory *story;
  gint64 story_id = 0;
  guint days;

  if (!parse_args (argc, argv, &story_id, &days))
    return loom_cli_usage_error (_(STATS_USAGE));

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);
  story = loom_store_lookup_story (store, story_id);
  if (story == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, story_id);

  log = loom_store_get_word_log (store, story, days, &error);
  if (log == NULL)
    return loom_cli_user_error (error);
  for (guint i = 0; i < log->len; i++)
    {
      const LoomWordDay *day = &g_array_index (log, LoomWordDay, i);

      g_print ("%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\n",
               day->day, day->written, day->accepted);
    }
  return LOOM_CLI_OK;
}
