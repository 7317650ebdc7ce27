/* test-word-log.c: the words written and accepted per day, as the store keeps them (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-word-log"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-deletion.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-revise.h"
#include "loom-store-words-log.h"
#include "loom-story.h"
#include "loom-word-stats.h"
#include "test-util.h"

typedef TestOneScene Fixture;

/* The stores' clock (loom-store-words-log.c): the tests do not depend on the day they run, and
 * midnight does not pass in the middle of one. */
#define TEST_NOW "2026-03-14T12:00:00"

static GDateTime *
test_now (void)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  return g_date_time_new_from_iso8601 (TEST_NOW, local);
}

/* Today's entry of @story's log, as "written/accepted". */
static char *
today_of (LoomStore *store,
          LoomStory *story)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) log = loom_store_get_word_log (store, story, 1, &error);
  const LoomWordDay *day;

  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  day = &g_array_index (log, LoomWordDay, 0);
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, day->written, day->accepted);
}

/* Closes the library and opens it again, as a restart does; @story_id's story is f->story. */
static void
reopen (Fixture *f,
        gint64   story_id)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->story = loom_store_lookup_story (f->store, story_id);
  g_assert_nonnull (f->story);
}

static void
assert_today (Fixture    *f,
              const char *expected)
{
  g_autofree char *today = today_of (f->store, f->story);

  g_assert_cmpstr (today, ==, expected);
}

static void
set_prose (LoomScene  *scene,
           const char *prose)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (loom_scene_set_prose (scene, prose, &error));
  g_assert_no_error (error);
}

static void
generate (Fixture               *f,
          LoomGenerationOutcome  outcome,
          const char            *text)
{
  test_generate (f->store, f->scene, outcome, "m/one", text);
}

static void
test_typed_edits (Fixture       *f,
                  gconstpointer  data)
{
  assert_today (f, "0/0");
  set_prose (f->scene, "The boat left at dawn.");
  assert_today (f, "5/0");
  set_prose (f->scene, "The boat left at dawn, slowly, into the fog.");
  assert_today (f, "9/0");
  /* cutting is writing too: the day's count is the change */
  set_prose (f->scene, "The boat left.");
  assert_today (f, "3/0");
  /* an edit undone (the editor saves the text from before) takes its delta back */
  set_prose (f->scene, "The boat left at dawn, slowly, into the fog.");
  set_prose (f->scene, "The boat left.");
  assert_today (f, "3/0");
  /* the same text again is no write at all */
  set_prose (f->scene, "The boat left.");
  assert_today (f, "3/0");
}

/* The counts are in the library, written with the prose: another program, or the same one
 * after a restart, reads them. */
static void
test_survives_restart (Fixture       *f,
                       gconstpointer  data)
{
  gint64 story_id = loom_story_get_id (f->story);

  set_prose (f->scene, "Four words of prose.");
  generate (f, LOOM_GENERATION_COMPLETE, "Four words of prose. And three more.");
  reopen (f, story_id);
  assert_today (f, "4/3");
}

static void
test_generations (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomRevision) partial = NULL;

  set_prose (f->scene, "Mine first.");
  generate (f, LOOM_GENERATION_COMPLETE, "A generated scene of six words.");
  /* the generation replaced two typed words with six of its own */
  assert_today (f, "2/4");

  /* a stopped generation puts the earlier prose back: nothing accepted */
  generate (f, LOOM_GENERATION_CANCELLED, "Stopped after four words");
  assert_today (f, "2/4");
  generate (f, LOOM_GENERATION_ERROR, "Failed");
  assert_today (f, "2/4");

  /* keeping what it wrote accepts it */
  partial = loom_store_get_stopped_partial (f->store, f->scene, &error);
  g_assert_no_error (error);
  g_assert_nonnull (partial);
  g_assert_cmpstr (loom_revision_get_prose (partial), ==, "Failed");
  g_assert_true (loom_store_restore_revision (f->store, f->scene, partial, &error));
  g_assert_no_error (error);
  assert_today (f, "2/-1");

  /* the writer's edit of the AI's text is the writer's */
  set_prose (f->scene, "Failed, and then fixed by hand.");
  assert_today (f, "7/-1");

  /* the AI's change to the writer's text is accepted */
  g_assert_true (loom_store_apply_revise (f->store, f->scene, "Failed, and then fixed by hand.",
                                          "Failed.", "m/one", 0, &error));
  g_assert_no_error (error);
  assert_today (f, "7/-6");
}

/* Undo of a first generation (the scene emptied again) takes back the accepted words, and redo
 * accepts them again; restoring the writer's own earlier text over theirs is writing. */
static void
test_undo_generation (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomRevision) generated = NULL;
  g_autoptr(LoomRevision) empty = NULL;
  g_autoptr(LoomRevision) typed = NULL;

  generate (f, LOOM_GENERATION_COMPLETE, "A first draft of five.");
  assert_today (f, "0/5");
  generated = loom_store_snapshot_prose (f->store, f->scene, &error);
  g_assert_no_error (error);
  empty = loom_revision_new (0, loom_scene_get_id (f->scene), "", LOOM_REVISION_RESTORE, NULL,
                             0, LOOM_PROSE_UNKNOWN, 0);

  g_assert_true (loom_store_restore_revision (f->store, f->scene, empty, &error));
  g_assert_no_error (error);
  assert_today (f, "0/0");
  g_assert_true (loom_store_restore_revision (f->store, f->scene, generated, &error));
  g_assert_no_error (error);
  assert_today (f, "0/5");

  set_prose (f->scene, "Now it is mine.");
  assert_today (f, "-1/5");
  typed = loom_store_snapshot_prose (f->store, f->scene, &error);
  set_prose (f->scene, "Now it is mine, with two more.");
  assert_today (f, "2/5");
  g_assert_true (loom_store_restore_revision (f->store, f->scene, typed, &error));
  g_assert_no_error (error);
  assert_today (f, "-1/5");
}

/* A deleted scene's words do not count while it is deleted, whichever way it went; restored,
 * they count again, even when its id was taken meanwhile. */
static void
test_deletes (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(LoomDeletion) chapter_deletion = NULL;
  LoomScene *other = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Later",
                                           &error);
  LoomChapter *second;
  LoomScene *third;
  GObject *restored;

  set_prose (f->scene, "Twelve words that the writer will surely regret, and delete, by noon.");
  set_prose (other, "Three kept words.");
  assert_today (f, "15/0");

  deletion = loom_store_delete_scene (f->store, f->scene, &error);
  g_assert_no_error (error);
  assert_today (f, "3/0");
  {
    g_autofree char *rows = test_sql_value (f->path, "SELECT count (*) FROM word_log");
    g_assert_cmpstr (rows, ==, "1");
  }

  restored = loom_store_restore_from_trash (f->store, loom_deletion_get_id (deletion), &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  assert_today (f, "15/0");

  /* a chapter takes its scenes' words with it */
  second = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "Two", &error);
  third = loom_store_add_scene (f->store, second, 0, "Elsewhere", &error);
  set_prose (third, "Two more.");
  assert_today (f, "17/0");
  chapter_deletion = loom_store_delete_chapter (f->store, second, &error);
  g_assert_no_error (error);
  assert_today (f, "15/0");

  /* the deleted story's words are no other story's */
  {
    LoomStory *story = loom_store_create_story (f->store, "Other", NULL, NULL, &error);
    g_autofree char *today = today_of (f->store, story);

    g_assert_cmpstr (today, ==, "0/0");
  }
}

/* Only the last days asked for, every one of them, oldest first and today last. */
static void
test_days (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) log = NULL;
  g_autoptr(GDateTime) now = test_now ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) long_ago = g_date_time_add_days (now, -3);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *two_days_ago = g_date_time_format (then, "%Y-%m-%d");
  g_autofree char *three_days_ago = g_date_time_format (long_ago, "%Y-%m-%d");
  g_autofree char *sql = NULL;

  set_prose (f->scene, "One two.");
  sql = g_strdup_printf ("INSERT INTO word_log VALUES (%" G_GINT64_FORMAT ", '%s', 40, 7),"
                         " (%" G_GINT64_FORMAT ", '%s', 1000, 1000)",
                         loom_scene_get_id (f->scene), two_days_ago,
                         loom_scene_get_id (f->scene), three_days_ago);
  test_sql_exec (f->path, sql);

  log = loom_store_get_word_log (f->store, f->story, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 3);
  g_assert_cmpstr (g_array_index (log, LoomWordDay, 0).day, ==, two_days_ago);
  g_assert_cmpint (g_array_index (log, LoomWordDay, 0).written, ==, 40);
  g_assert_cmpint (g_array_index (log, LoomWordDay, 0).accepted, ==, 7);
  g_assert_cmpint (g_array_index (log, LoomWordDay, 1).written, ==, 0);
  g_assert_cmpint (g_array_index (log, LoomWordDay, 1).accepted, ==, 0);
  g_assert_cmpstr (g_array_index (log, LoomWordDay, 2).day, ==, today);
  g_assert_cmpint (g_array_index (log, LoomWordDay, 2).written, ==, 2);
}

/* A crash mid-generation: the streamed words were logged as they were flushed, and the
 * recovery that puts the earlier prose back takes them back. */
static void
test_crash_mid_generation (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 story_id = loom_story_get_id (f->story);

  set_prose (f->scene, "The earlier draft.");
  g_assert_cmpint (loom_store_begin_generation (f->store, f->scene, "m/one", "{}", &error), >, 0);
  loom_scene_stream_prose (f->scene, "Streamed words that were paid for");
  g_assert_true (loom_store_flush_prose (f->store, f->scene, &error));
  assert_today (f, "3/3");

  reopen (f, story_id);
  assert_today (f, "3/0");
}

/* A library from version 7 opens with its data as it was, and an empty log. */
static void
test_migrate_from_v7 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *rows = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  gint64 story_id = loom_story_get_id (f->story);
  gint64 scene_id = loom_scene_get_id (f->scene);
  LoomScene *gone = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Gone",
                                          &error);

  set_prose (f->scene, "Written before the log.");
  generate (f, LOOM_GENERATION_COMPLETE, "Generated before the log.");
  set_prose (gone, "Deleted before the log.");
  deletion = loom_store_delete_scene (f->store, gone, &error);
  g_assert_no_error (error);
  g_clear_object (&deletion);
  g_clear_object (&f->store);
  test_sql_exec (f->path,
                 TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "DROP TABLE word_log; DROP TABLE trash_word_log;" TEST_SQL_UNDO_V9
                 "PRAGMA user_version = 7");
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  rows = test_sql_value (f->path, "SELECT count (*) FROM word_log");
  g_assert_cmpstr (rows, ==, "0");
  f->story = loom_store_lookup_story (f->store, story_id);
  assert_today (f, "0/0");
  g_clear_object (&f->store);

  test_sql_exec (f->path,
                 TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "DROP TABLE word_log; DROP TABLE trash_word_log;" TEST_SQL_UNDO_V9
                 "PRAGMA user_version = 7");
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);

  /* what was in the trash before the log comes back */
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->story = loom_store_lookup_story (f->store, story_id);
  {
    g_autofree char *trash_id = test_sql_value (f->path, "SELECT id FROM trash");

    g_assert_nonnull (loom_store_restore_from_trash (f->store, atoi (trash_id), &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (loom_story_get_scene_count (f->story), ==, 2);
  f->scene = loom_store_lookup_scene (f->store, scene_id);
  set_prose (f->scene, "Written after the log, and logged.");
  assert_today (f, "2/0");
}

/* @days_ago's day, YYYY-MM-DD. */
static char *
day_before (int days_ago)
{
  g_autoptr(GDateTime) now = test_now ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -days_ago);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* "written/accepted" of the day @days_ago in @story's last three days. */
static char *
day_of (LoomStore *store,
        LoomStory *story,
        int        days_ago)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) log = loom_store_get_word_log (store, story, 3, &error);
  const LoomWordDay *day;

  g_assert_no_error (error);
  day = &g_array_index (log, LoomWordDay, 2 - days_ago);
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, day->written, day->accepted);
}

static void
assert_day (Fixture    *f,
            int         days_ago,
            const char *expected)
{
  g_autofree char *day = day_of (f->store, f->story, days_ago);

  g_assert_cmpstr (day, ==, expected);
}

/* Words a scene had on an earlier day, as the log would hold them. */
static void
log_past (Fixture   *f,
          LoomScene *scene,
          int        days_ago,
          int        written,
          int        accepted)
{
  g_autofree char *day = day_before (days_ago);
  g_autofree char *sql = g_strdup_printf ("INSERT INTO word_log VALUES (%" G_GINT64_FORMAT
                                          ", '%s', %d, %d)", loom_scene_get_id (scene), day,
                                          written, accepted);

  test_sql_exec (f->path, sql);
}

/* Deleting a scene takes out only what was written in it today: yesterday's words were
 * written, whatever became of the scene. Restoring it gives today's back, once. */
static void
test_delete_keeps_past (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  LoomScene *other = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Later",
                                           &error);

  log_past (f, f->scene, 1, 500, 20);
  log_past (f, other, 1, 100, 0);
  log_past (f, f->scene, 2, 30, 0);
  set_prose (f->scene, "Four words today, then.");
  assert_day (f, 1, "600/20");
  assert_today (f, "4/0");

  deletion = loom_store_delete_scene (f->store, f->scene, &error);
  g_assert_no_error (error);
  assert_day (f, 2, "30/0");
  assert_day (f, 1, "600/20");
  assert_today (f, "0/0");

  g_assert_nonnull (loom_store_restore_from_trash (f->store, loom_deletion_get_id (deletion),
                                                   &error));
  g_assert_no_error (error);
  assert_day (f, 2, "30/0");
  assert_day (f, 1, "600/20");
  assert_today (f, "4/0");

  /* a chapter too; and the story's kept days go to the trash with the story and back */
  g_clear_object (&deletion);
  deletion = loom_store_delete_chapter (f->store, f->chapter, &error);
  g_assert_no_error (error);
  assert_day (f, 1, "600/20");
  assert_today (f, "0/0");
  g_clear_object (&deletion);
  {
    gint64 story_id = loom_story_get_id (f->story);
    g_autofree char *kept = NULL;

    deletion = loom_store_delete_story (f->store, f->story, &error);
    g_assert_no_error (error);
    kept = test_sql_value (f->path, "SELECT count (*) FROM word_log_kept");
    g_assert_cmpstr (kept, ==, "0");
    g_assert_nonnull (loom_store_restore_from_trash (f->store,
                                                     loom_deletion_get_id (deletion), &error));
    g_assert_no_error (error);
    f->story = loom_store_lookup_story (f->store, story_id);
    assert_day (f, 2, "30/0");
    assert_day (f, 1, "600/20");
  }
}

/* A story's goals are kept in the library, all three at once; a bad one is refused with a
 * sentence and changes nothing. */
static void
test_goals (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 story_id = loom_story_get_id (f->story);
  guint notified = 0;

  g_assert_cmpuint (loom_story_get_target_words (f->story), ==, 0);
  g_assert_null (loom_story_get_deadline (f->story));
  g_assert_cmpuint (loom_story_get_daily_goal (f->story), ==, 0);

  g_signal_connect_swapped (f->story, "notify::daily-goal", G_CALLBACK (test_count_signal),
                            &notified);
  g_assert_true (loom_story_set_goals (f->story, 80000, "2027-03-31", 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);

  g_assert_false (loom_story_set_goals (f->story, 1, "2027-02-30", 1, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2027-02-30"));
  g_clear_error (&error);
  g_assert_false (loom_story_set_goals (f->story, LOOM_GOAL_MAX_WORDS + 1, NULL, 1, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  reopen (f, story_id);
  g_assert_cmpuint (loom_story_get_target_words (f->story), ==, 80000);
  g_assert_cmpstr (loom_story_get_deadline (f->story), ==, "2027-03-31");
  g_assert_cmpuint (loom_story_get_daily_goal (f->story), ==, 1000);

  /* another program's change shows */
  test_sql_exec (f->path, "UPDATE stories SET daily_goal = 250, deadline = NULL");
  g_assert_true (loom_store_refresh (f->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (loom_story_get_daily_goal (f->story), ==, 250);
  g_assert_null (loom_story_get_deadline (f->story));

  g_assert_true (loom_story_set_goals (f->story, 0, "", 0, &error));
  g_assert_no_error (error);
  g_assert_null (loom_story_get_deadline (f->story));
}

/* A library from version 9 opens with its data as it was, and no goals. */
static void
test_migrate_from_v9 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  gint64 story_id = loom_story_get_id (f->story);

  set_prose (f->scene, "Written in version nine.");
  log_past (f, f->scene, 1, 70, 5);
  g_clear_object (&f->store);
  test_sql_exec (f->path, TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "PRAGMA user_version = 9");
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  f->story = loom_store_lookup_story (f->store, story_id);
  g_assert_cmpuint (loom_story_get_daily_goal (f->story), ==, 0);
  g_assert_null (loom_story_get_deadline (f->story));
  assert_day (f, 1, "70/5");
  assert_today (f, "4/0");
  g_clear_object (&f->store);

  test_sql_exec (f->path, TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "PRAGMA user_version = 9");
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* Midnight by the store's clock starts a new day: what was written before it stays the old
 * day's, and the new day counts from nothing, with no save at midnight. */
static void
test_midnight (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) evening = g_date_time_new_from_iso8601 ("2026-03-14T23:59:59", local);
  g_autoptr(GDateTime) morning = g_date_time_new_from_iso8601 ("2026-03-15T00:00:01", local);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) log = NULL;

  loom_store_set_now (f->store, evening);
  set_prose (f->scene, "Five words before the bell.");
  assert_today (f, "5/0");

  loom_store_set_now (f->store, morning);
  now = loom_store_now_local (f->store);
  g_assert_cmpint (g_date_time_get_day_of_month (now), ==, 15);
  assert_today (f, "0/0");
  set_prose (f->scene, "Five words before the bell. And two.");
  assert_today (f, "2/0");

  log = loom_store_get_word_log (f->store, f->story, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_array_index (log, LoomWordDay, 0).day, ==, "2026-03-14");
  g_assert_cmpint (g_array_index (log, LoomWordDay, 0).written, ==, 5);
  g_assert_cmpstr (g_array_index (log, LoomWordDay, 1).day, ==, "2026-03-15");
  g_assert_cmpint (g_array_index (log, LoomWordDay, 1).written, ==, 2);

  /* the real clock again */
  loom_store_set_now (f->store, NULL);
  g_clear_pointer (&now, g_date_time_unref);
  now = loom_store_now_local (f->store);
  {
    g_autoptr(GDateTime) real = g_date_time_new_now_local ();

    g_assert_cmpint (ABS (g_date_time_difference (now, real)), <, G_TIME_SPAN_MINUTE);
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("STORYLOOM_TEST_NOW", TEST_NOW, TRUE);
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, test_one_scene_setup, func, test_one_scene_teardown)
  ADD ("/word-log/typed-edits", test_typed_edits);
  ADD ("/word-log/midnight", test_midnight);
  ADD ("/word-log/survives-restart", test_survives_restart);
  ADD ("/word-log/generations", test_generations);
  ADD ("/word-log/undo-generation", test_undo_generation);
  ADD ("/word-log/deletes", test_deletes);
  ADD ("/word-log/days", test_days);
  ADD ("/word-log/crash-mid-generation", test_crash_mid_generation);
  ADD ("/word-log/migrate-from-v7", test_migrate_from_v7);
  ADD ("/word-log/delete-keeps-past", test_delete_keeps_past);
  ADD ("/word-log/goals", test_goals);
  ADD ("/word-log/migrate-from-v9", test_migrate_from_v9);
#undef ADD
  return g_test_run ();
}
