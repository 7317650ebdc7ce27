/* loom-cli-stats.c: stats STORY_ID [--days N]; goal STORY_ID [--target N] [--deadline DAY]
 * [--daily N] (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-stats"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-store-words-log.h"
#include "loom-story.h"
#include "loom-word-stats.h"

#define STATS_USAGE N_("Usage: stats STORY_ID [--days N]")
#define DEFAULT_DAYS 30
#define MAX_DAYS 36525
#define GOAL_USAGE \
  N_("Usage: goal STORY_ID [--target WORDS] [--deadline YYYY-MM-DD|none] [--daily WORDS]")
/* The streak counts back through a year at most. */
#define GOAL_DAYS 366

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
  int status = 0;
  gint64 story_id = 0;
  guint days;

  if (!parse_args (argc, argv, &story_id, &days))
    return loom_cli_usage_error (_(STATS_USAGE));

  if ((story = loom_cli_open_story (options, story_id, &store, &status)) == NULL)
    return status;

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

typedef struct
{
  gint64       story_id;
  gboolean     set_target, set_deadline, set_daily;
  guint        target;
  const char  *deadline;
  guint        daily;
} GoalArgs;

static gboolean
parse_words (const char *value,
             guint      *words)
{
  guint64 n;

  if (value == NULL ||
      !g_ascii_string_to_unsigned (value, 10, 0, LOOM_GOAL_MAX_WORDS, &n, NULL))
    return FALSE;
  *words = (guint) n;
  return TRUE;
}

static gboolean
parse_goal_args (int        argc,
                 char     **argv,
                 GoalArgs  *args)
{
  gboolean have_id = FALSE;

  for (int i = 1; i < argc; i++)
    {
      const char *value = NULL;

      if (loom_cli_match_option (argc, argv, &i, "--target", &value))
        {
          if (!parse_words (value, &args->target))
            return FALSE;
          args->set_target = TRUE;
        }
      else if (loom_cli_match_option (argc, argv, &i, "--daily", &value))
        {
          if (!parse_words (value, &args->daily))
            return FALSE;
          args->set_daily = TRUE;
        }
      else if (loom_cli_match_option (argc, argv, &i, "--deadline", &value))
        {
          if (value == NULL)
            return FALSE;
          /* checked by loom_story_set_goals (), which says what is wrong with it */
          args->deadline = g_str_equal (value, "none") ? "" : value;
          args->set_deadline = TRUE;
        }
      else if (!have_id && loom_cli_parse_id (argv[i], &args->story_id))
        have_id = TRUE;
      else
        return FALSE;
    }
  return have_id;
}

static void
print_goals (LoomStory     *story,
             LoomWordStats *stats)
{
  g_autofree char *finish = g_date_valid (&stats->finish) ? loom_day_format (&stats->finish)
                                                           : g_strdup ("");

  g_print ("target\t%u\n", loom_story_get_target_words (story));
  g_print ("deadline\t%s\n", loom_story_get_deadline (story) ? loom_story_get_deadline (story)
                                                            : "");
  g_print ("daily\t%u\n", loom_story_get_daily_goal (story));
  g_print ("words\t%u\n", loom_story_get_word_count (story));
  g_print ("today\t%u\n", loom_word_stats_get_today (stats)->written);
  g_print ("streak\t%u\n", stats->streak);
  g_print ("finish\t%s\n", finish);
}

/* Sets what is given, then prints the story's goals and where the writer stands, one
 * tab-separated name and value a line: target, deadline, daily, words, today, streak, finish
 * (empty when none). */
int
loom_cli_goal (const LoomCliOptions *options,
               int                   argc,
               char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GArray) log = NULL;
  g_autoptr(LoomWordStats) stats = NULL;
  GoalArgs args = { 0 };
  LoomStory *story;
  int status = 0;

  if (!parse_goal_args (argc, argv, &args))
    return loom_cli_usage_error (_(GOAL_USAGE));

  if ((story = loom_cli_open_story (options, args.story_id, &store, &status)) == NULL)
    return status;

  if ((args.set_target || args.set_deadline || args.set_daily) &&
      !loom_story_set_goals (story,
                             args.set_target ? args.target : loom_story_get_target_words (story),
                             args.set_deadline ? args.deadline : loom_story_get_deadline (story),
                             args.set_daily ? args.daily : loom_story_get_daily_goal (story),
                             &error))
    return loom_cli_user_error (error);

  log = loom_store_get_word_log (store, story, GOAL_DAYS, &error);
  if (log == NULL)
    return loom_cli_user_error (error);
  stats = loom_word_stats_new ((const LoomWordDay *) (gpointer) log->data, log->len,
                               loom_story_get_word_count (story),
                               loom_story_get_target_words (story),
                               loom_story_get_deadline (story),
                               loom_story_get_daily_goal (story));
  print_goals (story, stats);
  return LOOM_CLI_OK;
}
