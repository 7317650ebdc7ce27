/* loom-word-stats.h: what the statistics show, worked out from the word log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "loom-store-words-log.h"

G_BEGIN_DECLS

/* The largest goal a story can have: ten times the longest novels. */
#define LOOM_GOAL_MAX_WORDS 10000000u

/* The days over which the projection measures the writer's pace. */
#define LOOM_STATS_PACE_DAYS 14

/* One day as the views show it: a day's counts never go below zero there (see
 * loom_word_stats_new ()). */
typedef struct
{
  char      day[11];  /* YYYY-MM-DD */
  guint     written;
  guint     accepted;
  gboolean  met;      /* met the daily goal, or any writing without a goal */
} LoomStatsDay;

typedef struct
{
  GArray   *days;          /* (element-type LoomStatsDay) oldest first, today last */
  guint     daily_goal;
  guint     streak;        /* days in a row that met the goal, up to today */
  guint     story_words;
  guint     target_words;
  double    pace;          /* words per day lately, see loom_word_stats_new () */
  GDate     finish;        /* projected finish; invalid when there is none */
  GDate     deadline;      /* invalid when none */
  int       days_late;     /* finish - deadline: positive late, negative early */
} LoomWordStats;

LoomWordStats *loom_word_stats_new         (const LoomWordDay *log,
                                            guint              n_days,
                                            guint              story_words,
                                            guint              target_words,
                                            const char        *deadline,
                                            guint              daily_goal);
void           loom_word_stats_free        (LoomWordStats     *stats);
const LoomStatsDay *loom_word_stats_get_today (const LoomWordStats *stats);
gboolean       loom_word_stats_target_reached (const LoomWordStats *stats);

gboolean       loom_day_parse              (const char        *text,
                                            GDate             *date);
char          *loom_day_format             (const GDate       *date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomWordStats, loom_word_stats_free)

G_END_DECLS
