/* loom-store-words-log.c: the log of words written and accepted per scene per day, and goals
 *
 * Every write of a scene's prose adds the change in its word count to the scene's row for the
 * local day, in the same transaction as the prose, so that the counts survive a crash and
 * agree with the text. Undoing an edit writes the old text back and so takes its delta back.
 * Deleting a scene or a chapter moves the scenes' past days into the story's word_log_kept:
 * what was written on those days stays history. Only the deletion day's rows go to the trash
 * with their scene and come back with it: a deleted scene's words of that day do not count
 * while it is deleted. A story's kept days go to the trash with the story.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-store-words-log.h"

/* The longest log one call returns: a century is more than any chart shows. */
#define MAX_DAYS 36525

#define ADD_TO_DAY \
  " ON CONFLICT (scene_id, day) DO UPDATE SET written = written + excluded.written," \
  " accepted = accepted + excluded.accepted"

static void
format_day (GDateTime *when,
            char       day[11])
{
  g_autofree char *text = g_date_time_format (when, "%Y-%m-%d");

  g_strlcpy (day, text, 11);
}

/* Read once per store: a test run, the CLI's included, gets a day that does not depend on
 * when it runs, nor change in the middle of it by midnight. */
#define TEST_NOW_VARIABLE "STORYLOOM_TEST_NOW"

void
_loom_store_clock_init (LoomStore *self)
{
  const char *text = g_getenv (TEST_NOW_VARIABLE);
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (text == NULL || *text == '\0')
    return;
  local = g_time_zone_new_local ();
  now = g_date_time_new_from_iso8601 (text, local);
  if (now == NULL)
    {
      g_warning ("%s is not a date and time such as 2026-03-14T12:00:00: %s",
                 TEST_NOW_VARIABLE, text);
      return;
    }
  loom_store_set_now (self, now);
}

/**
 * loom_store_now_local:
 *
 * The store's clock: the real local time, unless a test set it (loom_store_set_now (), or
 * $STORYLOOM_TEST_NOW, an ISO 8601 local date and time read when the store is made).
 *
 * Returns: (transfer full): the local date and time
 */
GDateTime *
loom_store_now_local (LoomStore *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  return g_date_time_add (now, self->clock_offset);
}

/**
 * loom_store_set_now:
 * @now: (nullable): the time the store's clock reads now, and runs on from; %NULL: the real
 *   time again
 *
 * For tests: the days of the word log (today, yesterday, …) follow the store's clock.
 */
void
loom_store_set_now (LoomStore *self,
                    GDateTime *now)
{
  g_autoptr(GDateTime) real = g_date_time_new_now_local ();

  g_return_if_fail (LOOM_IS_STORE (self));
  self->clock_offset = now != NULL ? g_date_time_difference (now, real) : 0;
}

static void
today (LoomStore *self,
       char       day[11])
{
  g_autoptr(GDateTime) now = loom_store_now_local (self);

  format_day (now, day);
}

/* Inside the transaction that writes @scene's prose, before its row changes: adds the change
 * from the row's word count to @words to today's entry. */
gboolean
_loom_store_log_words (LoomStore     *self,
                       LoomScene     *scene,
                       guint          words,
                       LoomWordKind   kind,
                       GError       **error)
{
  char day[11];

  today (self, day);
  return _loom_store_run (self, error, _("saving the prose"),
                          "INSERT INTO word_log (scene_id, day, written, accepted)"
                          " SELECT id, ?2, iif (ai, 0, d), iif (ai, d, 0) FROM"
                          "  (SELECT id, ?3 - word_count AS d,"
                          "    (?4 = 1 OR (?4 = 2 AND prose_origin IN ('generated', 'partial')))"
                          "    AS ai"
                          "   FROM scenes WHERE id = ?1)"
                          " WHERE d != 0" ADD_TO_DAY,
                          "isui", scene->id, day, words, (gint64) kind);
}

/* Inside the transaction that puts back the prose from before interrupted generations: what
 * they had streamed was accepted text, and leaves the log with it. */
gboolean
_loom_store_log_interrupted (LoomStore  *self,
                             GError    **error)
{
  char day[11];

  today (self, day);
  return _loom_store_run (self, error, _("recovering interrupted generations"),
                          "INSERT INTO word_log (scene_id, day, written, accepted)"
                          " SELECT s.id, ?1, 0, loom_count_words (v.prose) - s.word_count"
                          " FROM scenes s JOIN generations g ON g.scene_id = s.id"
                          "  AND g.outcome = 'running' AND g.kind = 'scene'"
                          " LEFT JOIN scene_revisions v ON v.id = g.revision_id"
                          " WHERE s.status = 'generating'"
                          "  AND loom_count_words (v.prose) != s.word_count" ADD_TO_DAY,
                          "s", day);
}

/**
 * _loom_store_keep_past_words:
 * @chapter: whether @id is a chapter's (else a scene's)
 *
 * Inside the transaction that deletes the scene or chapter @id, before it copies the rows to
 * the trash: adds its scenes' days before today to their story's kept days and takes them out
 * of the scenes' log, so that the trash takes only today's.
 */
gboolean
_loom_store_keep_past_words (LoomStore  *self,
                             gboolean    chapter,
                             gint64      id,
                             GError    **error)
{
  const char *doing = _("moving it to the Trash");
  char day[11];

  today (self, day);
  return _loom_store_run (self, error, doing,
                          "INSERT INTO word_log_kept (story_id, day, written, accepted)"
                          " SELECT s.story_id, w.day, sum (w.written), sum (w.accepted)"
                          " FROM word_log w JOIN scenes s ON s.id = w.scene_id"
                          " WHERE ((?3 AND s.chapter_id = ?1) OR (NOT ?3 AND s.id = ?1))"
                          "  AND w.day < ?2 GROUP BY s.story_id, w.day"
                          " ON CONFLICT (story_id, day) DO UPDATE SET"
                          " written = written + excluded.written,"
                          " accepted = accepted + excluded.accepted",
                          "isi", id, day, (gint64) chapter) &&
         _loom_store_run (self, error, doing,
                          "DELETE FROM word_log WHERE day < ?2 AND scene_id IN"
                          " (SELECT id FROM scenes"
                          "  WHERE (?3 AND chapter_id = ?1) OR (NOT ?3 AND id = ?1))",
                          "isi", id, day, (gint64) chapter);
}

/* One statement, so one transaction of its own: the goals change together or not at all. */
gboolean
_loom_store_write_goals (LoomStore   *self,
                         gint64       story_id,
                         guint        target_words,
                         const char  *deadline,
                         guint        daily_goal,
                         GError     **error)
{
  if (!_loom_store_begin (self, _("saving the goals"), error))
    return FALSE;
  if (!_loom_store_run (self, error, _("saving the goals"),
                        "UPDATE stories SET target_words = ?2, deadline = ?3, daily_goal = ?4"
                        " WHERE id = ?1",
                        "iusu", story_id, target_words, deadline, daily_goal))
    return _loom_store_rollback (self);
  return _loom_store_commit (self, _("saving the goals"), error);
}

static gboolean
read_days (LoomStore   *self,
           LoomStory   *story,
           const char  *first,
           GArray      *log,
           GHashTable  *index,
           GError     **error)
{
  const char *doing = _("reading the word log");
  sqlite3_stmt *stmt;
  int rc;

  stmt = _loom_store_get_statement (self,
                                    "SELECT day, sum (written), sum (accepted) FROM"
                                    " (SELECT w.day, w.written, w.accepted"
                                    "  FROM word_log w JOIN scenes s ON s.id = w.scene_id"
                                    "  WHERE s.story_id = ?1 AND w.day >= ?2"
                                    "  UNION ALL SELECT day, written, accepted"
                                    "  FROM word_log_kept WHERE story_id = ?1 AND day >= ?2)"
                                    " GROUP BY day",
                                    doing, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, loom_story_get_id (story));
  sqlite3_bind_text (stmt, 2, first, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer slot;

      /* a day after today (the clock was set back) has no place in the range */
      if (g_hash_table_lookup_extended (index, sqlite3_column_text (stmt, 0), NULL, &slot))
        {
          LoomWordDay *entry = &g_array_index (log, LoomWordDay, GPOINTER_TO_UINT (slot));

          entry->written = sqlite3_column_int64 (stmt, 1);
          entry->accepted = sqlite3_column_int64 (stmt, 2);
        }
    }
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

/**
 * loom_store_get_word_log:
 * @days: how many days, today the last
 *
 * The words written and accepted in @story's scenes on each of the last @days local days,
 * oldest first, with every day present (zeros for a day without writing). More than a
 * century's days are cut to a century.
 *
 * Returns: (transfer full) (element-type LoomWordDay): the days, or %NULL with @error set
 */
GArray *
loom_store_get_word_log (LoomStore  *self,
                         LoomStory  *story,
                         guint       days,
                         GError    **error)
{
  g_autoptr(GArray) log = NULL;
  g_autoptr(GHashTable) index = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);
  g_return_val_if_fail (days > 0, NULL);

  if (!_loom_store_check_open (self, error))
    return NULL;

  days = MIN (days, MAX_DAYS);
  log = g_array_sized_new (FALSE, TRUE, sizeof (LoomWordDay), days);
  g_array_set_size (log, days);
  index = g_hash_table_new (g_str_hash, g_str_equal);
  now = loom_store_now_local (self);
  for (guint i = 0; i < days; i++)
    {
      LoomWordDay *entry = &g_array_index (log, LoomWordDay, i);
      g_autoptr(GDateTime) when = g_date_time_add_days (now, - (int) (days - 1 - i));

      format_day (when, entry->day);
      g_hash_table_insert (index, entry->day, GUINT_TO_POINTER (i));
    }

  if (!read_days (self, story, g_array_index (log, LoomWordDay, 0).day, log, index, error))
    return NULL;
  return g_steal_pointer (&log);
}
