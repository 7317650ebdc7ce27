/* test-word-stats.c: the statistics' figures from a known word log (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-word-stats"

#include "config.h"

#include "loom-word-stats.h"

/* Ten days, 2026-12-01 to today, 2026-12-10: written, accepted. */
static const gint64 ten_days[][2] = {
  { 0, 0 }, { 500, 0 }, { 1200, 300 }, { -300, 0 }, { 1000, 0 },
  { 1100, 200 }, { 1000, 0 }, { 0, 2000 }, { 1500, 0 }, { 400, 0 },
};

static GArray *
make_log (const gint64 (*counts)[2],
          guint          n_days,
          const char    *last)
{
  GArray *log = g_array_new (FALSE, TRUE, sizeof (LoomWordDay));
  GDate date;

  g_assert_true (loom_day_parse (last, &date));
  g_date_subtract_days (&date, n_days - 1);
  for (guint i = 0; i < n_days; i++, g_date_add_days (&date, 1))
    {
      LoomWordDay day = { .written = counts[i][0], .accepted = counts[i][1] };
      g_autofree char *text = loom_day_format (&date);

      g_strlcpy (day.day, text, sizeof day.day);
      g_array_append_val (log, day);
    }
  return log;
}

static LoomWordStats *
stats_of (GArray     *log,
          guint       story_words,
          guint       target,
          const char *deadline,
          guint       daily_goal)
{
  return loom_word_stats_new ((const LoomWordDay *) (gpointer) log->data, log->len, story_words,
                              target, deadline, daily_goal);
}

static char *
format_day (const GDate *date)
{
  return g_date_valid (date) ? loom_day_format (date) : g_strdup ("none");
}

/* The days as the chart shows them: a cut day shows as no words, not fewer than none. */
static void
test_days (void)
{
  g_autoptr(GArray) log = make_log (ten_days, G_N_ELEMENTS (ten_days), "2026-12-10");
  g_autoptr(LoomWordStats) stats = stats_of (log, 20000, 0, NULL, 1000);
  const LoomStatsDay *day;

  g_assert_cmpuint (stats->days->len, ==, 10);
  day = &g_array_index (stats->days, LoomStatsDay, 0);
  g_assert_cmpstr (day->day, ==, "2026-12-01");
  day = &g_array_index (stats->days, LoomStatsDay, 2);
  g_assert_cmpuint (day->written, ==, 1200);
  g_assert_cmpuint (day->accepted, ==, 300);
  g_assert_true (day->met);
  day = &g_array_index (stats->days, LoomStatsDay, 3);
  g_assert_cmpuint (day->written, ==, 0);
  g_assert_false (day->met);
  /* the AI's words are not the writer's goal */
  day = &g_array_index (stats->days, LoomStatsDay, 7);
  g_assert_cmpuint (day->accepted, ==, 2000);
  g_assert_false (day->met);
  day = loom_word_stats_get_today (stats);
  g_assert_cmpstr (day->day, ==, "2026-12-10");
  g_assert_cmpuint (day->written, ==, 400);
}

static void
test_streak (void)
{
  g_autoptr(GArray) log = make_log (ten_days, G_N_ELEMENTS (ten_days), "2026-12-10");
  g_autoptr(LoomWordStats) with_goal = stats_of (log, 0, 0, NULL, 1000);
  g_autoptr(LoomWordStats) without_goal = stats_of (log, 0, 0, NULL, 0);
  g_autoptr(LoomWordStats) met_today = NULL;
  g_autoptr(LoomWordStats) lower_goal = NULL;

  /* today (400) is not over: the streak is yesterday's 1,500 */
  g_assert_cmpuint (with_goal->streak, ==, 1);
  /* any writing: today and yesterday, not the AI's day before */
  g_assert_cmpuint (without_goal->streak, ==, 2);

  g_array_index (log, LoomWordDay, 9).written = 1000;
  met_today = stats_of (log, 0, 0, NULL, 1000);
  g_assert_cmpuint (met_today->streak, ==, 2);
  /* a lower goal: back to the cut day */
  g_array_index (log, LoomWordDay, 7).written = 300;
  lower_goal = stats_of (log, 0, 0, NULL, 300);
  g_assert_cmpuint (lower_goal->streak, ==, 6);
}

static void
test_projection (void)
{
  g_autoptr(GArray) log = make_log (ten_days, G_N_ELEMENTS (ten_days), "2026-12-10");
  g_autoptr(LoomWordStats) stats = stats_of (log, 20000, 30000, "2026-12-15", 1000);
  g_autoptr(LoomWordStats) early = stats_of (log, 20000, 30000, "2027-01-31", 1000);
  g_autoptr(LoomWordStats) reached = stats_of (log, 30000, 30000, "2026-12-15", 1000);
  g_autoptr(LoomWordStats) no_target = stats_of (log, 20000, 0, "2026-12-15", 1000);
  g_autoptr(LoomWordStats) bad_deadline = stats_of (log, 20000, 30000, "soon", 1000);
  g_autofree char *finish = format_day (&stats->finish);

  /* 8,900 net words from the first day with writing, 12-02, over 9 days: 988.9 a day, so
   * the 10,000 left take 11 days, today the first */
  g_assert_cmpfloat_with_epsilon (stats->pace, 8900.0 / 9, 0.001);
  g_assert_cmpstr (finish, ==, "2026-12-20");
  g_assert_cmpint (stats->days_late, ==, 5);
  g_assert_cmpint (early->days_late, ==, -42);

  g_assert_true (loom_word_stats_target_reached (reached));
  g_assert_false (g_date_valid (&reached->finish));
  g_assert_false (g_date_valid (&no_target->finish));
  g_assert_false (g_date_valid (&bad_deadline->deadline));
  g_assert_true (g_date_valid (&bad_deadline->finish));
}

/* The pace is the last two weeks', not the whole log's; a story that shrinks has no finish. */
static void
test_pace_window (void)
{
  gint64 counts[20][2] = { { 0 } };
  g_autoptr(GArray) log = NULL;
  g_autoptr(GArray) cut = NULL;
  g_autoptr(LoomWordStats) stats = NULL;
  g_autoptr(LoomWordStats) shrinking = NULL;
  g_autofree char *finish = NULL;

  for (guint i = 0; i < 20; i++)
    counts[i][0] = i < 6 ? 10000 : 100;
  log = make_log (counts, 20, "2027-01-05");
  stats = stats_of (log, 9000, 10000, NULL, 0);
  finish = format_day (&stats->finish);
  g_assert_cmpfloat_with_epsilon (stats->pace, 100.0, 0.001);
  g_assert_cmpstr (finish, ==, "2027-01-14");

  for (guint i = 0; i < 20; i++)
    counts[i][0] = -10;
  cut = make_log (counts, 20, "2027-01-05");
  shrinking = stats_of (cut, 9000, 10000, NULL, 0);
  g_assert_false (g_date_valid (&shrinking->finish));
  g_assert_cmpuint (loom_word_stats_get_today (shrinking)->written, ==, 0);
}

static void
test_parse_day (void)
{
  GDate date;
  g_autofree char *text = NULL;

  g_assert_true (loom_day_parse ("2028-02-29", &date));
  text = loom_day_format (&date);
  g_assert_cmpstr (text, ==, "2028-02-29");
  g_assert_false (loom_day_parse ("2027-02-29", &date));
  g_assert_false (loom_day_parse ("2027-2-28", &date));
  g_assert_false (loom_day_parse ("2027-02-28x", &date));
  g_assert_false (loom_day_parse ("2027-0a-28", &date));
  g_assert_false (loom_day_parse ("", &date));
  g_assert_false (loom_day_parse (NULL, &date));
  g_assert_false (g_date_valid (&date));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/word-stats/days", test_days);
  g_test_add_func ("/word-stats/streak", test_streak);
  g_test_add_func ("/word-stats/projection", test_projection);
  g_test_add_func ("/word-stats/pace-window", test_pace_window);
  g_test_add_func ("/word-stats/parse-day", test_parse_day);
  return g_test_run ();
}
