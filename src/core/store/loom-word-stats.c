/* loom-word-stats.c: what the statistics show, worked out from the word log
 *
 * A pure function of the log and the story's goals, so that the chart, the header and the
 * tests agree on every figure.
 *
 * The log keeps each day's net change, which is negative on a day the writer cut more than
 * they wrote. The views show such a day as zero words: "−200 words written" reads as a fault,
 * and the cut itself shows in the story's length. The projection, which is about the story's
 * length, uses the net figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-word-stats"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "loom-word-stats.h"

/**
 * loom_day_parse:
 * @text: a day, YYYY-MM-DD
 *
 * Returns: whether @text is a valid day, then set in @date
 */
gboolean
loom_day_parse (const char *text,
                GDate      *date)
{
  unsigned year, month, day;
  char end;

  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3)
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

char *
loom_day_format (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static guint
shown (gint64 count)
{
  return (guint) CLAMP (count, 0, G_MAXUINT);
}

/* Today counts when it has met the goal; when it has not yet, the day is not over and the
 * streak runs to yesterday. */
static guint
count_streak (const GArray *days)
{
  guint streak = 0;

  for (guint i = days->len; i > 0; i--)
    {
      const LoomStatsDay *day = &g_array_index (days, LoomStatsDay, i - 1);

      if (day->met)
        streak++;
      else if (i != days->len)
        break;
    }
  return streak;
}

/* The net words per day over the last LOOM_STATS_PACE_DAYS days, counted from the first day
 * with any change when the log starts within them (a story begun three days ago has written
 * for three days, not fourteen). */
static double
measure_pace (const LoomWordDay *log,
              guint              n_days)
{
  guint first = n_days > LOOM_STATS_PACE_DAYS ? n_days - LOOM_STATS_PACE_DAYS : 0;
  gint64 total = 0;

  while (first < n_days && log[first].written == 0 && log[first].accepted == 0)
    first++;
  if (first == n_days)
    return 0;
  for (guint i = first; i < n_days; i++)
    total += log[i].written + log[i].accepted;
  return (double) total / (n_days - first);
}

static void
project (LoomWordStats *stats,
         const GDate   *today)
{
  guint remaining;
  double days;

  if (stats->target_words == 0 || stats->story_words >= stats->target_words ||
      stats->pace <= 0)
    return;
  remaining = stats->target_words - stats->story_words;
  days = remaining / stats->pace;
  if (days > 100 * 366)
    return;
  stats->finish = *today;
  /* today's words are in the pace: the day that writes the last word is the finish */
  g_date_add_days (&stats->finish, (guint) MAX (0.0, ceil (days) - 1));
  if (g_date_valid (&stats->deadline))
    stats->days_late = g_date_days_between (&stats->deadline, &stats->finish);
}

/**
 * loom_word_stats_new:
 * @log: (array length=n_days): the word log, oldest first, today last (every day present, as
 *   loom_store_get_word_log () returns it)
 * @deadline: (nullable): YYYY-MM-DD
 * @daily_goal: the words to write a day; 0 for none (then any writing meets the day)
 *
 * Works out what the statistics show. The daily goal counts the words the writer typed, not
 * those accepted from the AI: it is the writer's own practice that a goal keeps. The projected
 * finish is today plus the words left at the recent pace (see measure_pace ()), unset when the
 * target is reached, there is no target, or the story is not growing.
 *
 * Returns: (transfer full): the figures
 */
LoomWordStats *
loom_word_stats_new (const LoomWordDay *log,
                     guint              n_days,
                     guint              story_words,
                     guint              target_words,
                     const char        *deadline,
                     guint              daily_goal)
{
  g_autoptr(LoomWordStats) stats = g_new0 (LoomWordStats, 1);
  GDate today;

  g_return_val_if_fail (log != NULL && n_days > 0, NULL);
  g_return_val_if_fail (loom_day_parse (log[n_days - 1].day, &today), NULL);

  stats->days = g_array_sized_new (FALSE, TRUE, sizeof (LoomStatsDay), n_days);
  stats->daily_goal = daily_goal;
  stats->story_words = story_words;
  stats->target_words = target_words;
  g_date_clear (&stats->finish, 1);
  if (!loom_day_parse (deadline, &stats->deadline))
    g_date_clear (&stats->deadline, 1);

  for (guint i = 0; i < n_days; i++)
    {
      LoomStatsDay day = { .written = shown (log[i].written), .accepted = shown (log[i].accepted) };

      g_strlcpy (day.day, log[i].day, sizeof day.day);
      day.met = daily_goal > 0 ? day.written >= daily_goal : day.written > 0;
      g_array_append_val (stats->days, day);
    }
  stats->streak = count_streak (stats->days);
  stats->pace = measure_pace (log, n_days);
  project (stats, &today);
  return g_steal_pointer (&stats);
}

void
loom_word_stats_free (LoomWordStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->days, g_array_unref);
  g_free (stats);
}

const LoomStatsDay *
loom_word_stats_get_today (const LoomWordStats *stats)
{
  g_return_val_if_fail (stats != NULL, NULL);
  return &g_array_index (stats->days, LoomStatsDay, stats->days->len - 1);
}

gboolean
loom_word_stats_target_reached (const LoomWordStats *stats)
{
  g_return_val_if_fail (stats != NULL, FALSE);
  return stats->target_words > 0 && stats->story_words >= stats->target_words;
}
