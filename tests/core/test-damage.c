/* test-damage.c: a damaged library is never written to, and its newest intact backup is found
 * and put in its place (issue 10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-damage"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "loom-backup.h"
#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

#define PAGE_SIZE 4096

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("storyloom-damage-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "library.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A story of three chapters of @n_scenes scenes each, every scene with @prose_bytes of prose. */
static void
build_library (const char *path,
               guint       n_scenes,
               gsize       prose_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (10);
  LoomStory *story;

  g_assert_no_error (error);
  story = loom_store_create_story (store, "Whole", "A story that must survive.", NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 3; c++)
    {
      LoomChapter *chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Chapter",
                                                     &error);
      g_assert_no_error (error);
      for (guint s = 0; s < n_scenes; s++)
        {
          g_autoptr(GString) prose = g_string_new (NULL);
          LoomScene *scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END, "Scene",
                                                   &error);

          g_assert_no_error (error);
          while (prose->len < prose_bytes)
            g_string_append_printf (prose, "word%u ", g_rand_int_range (rand, 0, 100000));
          loom_scene_set_prose (scene, prose->str, &error);
          g_assert_no_error (error);
        }
    }
}

static guint
count_pages (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size / PAGE_SIZE;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, length, &error);
  g_assert_no_error (error);
}

/* Every page of a library damaged in turn: each is refused at open, and none is written. Before
 * issue 10, 41 of 45 such files opened and showed an empty story. */
static void
test_refused_at_open (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *pristine = g_build_filename (f->dir, "pristine.db", NULL);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  guint n_pages;

  build_library (f->path, 20, 1500);
  copy_file (f->path, pristine);
  n_pages = count_pages (pristine);
  g_assert_cmpuint (n_pages, >, 40);

  for (guint page = 1; page < n_pages; page++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LoomStore) store = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      copy_file (pristine, f->path);
      test_damage_page (f->path, page);
      before = test_checksum (f->path);
      store = loom_store_open (f->path, &error);
      g_test_message ("page %u: %s", page, error ? error->message : "opened");
      g_assert_null (store);
      g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED);
      g_assert_nonnull (strstr (error->message, "damaged"));
      after = test_checksum (f->path);
      g_assert_cmpstr (after, ==, before);
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (loom_store_check_integrity_finish (LOOM_STORE (source), result, error));
}

static gboolean
error_is_set (gpointer data)
{
  return *(GError **) data != NULL;
}

/* A large library is opened first and checked in a thread (as the window does); damage found
 * then makes the store read-only at once. */
static void
test_found_later (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *after = NULL;
  LoomStory *story;
  LoomChapter *chapter;
  LoomScene *scene;
  guint notified = 0;

  build_library (f->path, 15, 64 * 1024);
  g_assert_cmpuint (count_pages (f->path), >, 2 * 1024 * 1024 / PAGE_SIZE);

  store = loom_store_open_full (f->path, LOOM_STORE_OPEN_CHECK_LATER, &error);
  g_assert_no_error (error);
  g_assert_false (loom_store_is_damaged (store));
  g_signal_connect (store, "notify::damaged", G_CALLBACK (count_notify), &notified);
  story = g_list_model_get_item (loom_store_get_stories (store), 0);
  g_object_unref (story);
  chapter = g_list_model_get_item (loom_story_get_chapters (story), 0);
  g_object_unref (chapter);
  scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), 0);
  g_object_unref (scene);

  test_damage_page (f->path, count_pages (f->path) / 2);
  damaged = test_checksum (f->path);
  loom_store_check_integrity_async (store, NULL, on_checked, &check_error);
  test_spin_until (error_is_set, &check_error, "the damage check");

  g_assert_error (check_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED);
  g_assert_true (loom_store_is_damaged (store));
  g_assert_cmpuint (notified, ==, 1);

  /* Nothing more is written, however it is asked. */
  g_assert_null (loom_store_create_story (store, "New", NULL, NULL, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED);
  g_clear_error (&error);
  g_assert_false (loom_scene_set_prose (scene, "Overwritten.", &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED);
  g_clear_error (&error);
  g_assert_false (loom_story_set_title (story, "Renamed", &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED);
  g_clear_error (&error);

  g_clear_object (&store);
  after = test_checksum (f->path);
  g_assert_cmpstr (after, ==, damaged);
  g_assert_cmpuint (notified, ==, 1);
}

static void
on_checked_ok (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;

  g_assert_true (loom_store_check_integrity_finish (LOOM_STORE (source), result, error));
  *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "checked");
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

/* A large library left with an interrupted generation: opening it for the window (the check in
 * a thread) must write nothing before the check has ended, and nothing at all when the check
 * finds damage; when it finds none, the recovery runs then and the scene shows it. */
static void
test_large_open_waits_for_check (Fixture       *f,
                                 gconstpointer  data)
{
  gboolean damage = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *status = NULL;
  LoomScene *scene;

  build_library (f->path, 15, 64 * 1024);
  test_sql_exec (f->path,
                 "UPDATE scenes SET status = 'generating' WHERE id = (SELECT min (id) FROM scenes);"
                 "INSERT INTO generations (scene_id, story_id, model, started_at)"
                 " SELECT id, story_id, 'test/model', 1 FROM scenes ORDER BY id LIMIT 1;");
  g_assert_cmpuint (count_pages (f->path), >, 2 * 1024 * 1024 / PAGE_SIZE);
  if (damage)
    {
      /* A page that opening reads nothing from, but the recovery would write to: the
       * revisions' table. */
      g_autofree char *root = test_sql_value (f->path, "SELECT rootpage FROM sqlite_schema"
                                                       " WHERE name = 'scene_revisions'");

      test_damage_page (f->path, atoi (root) - 1);
    }
  before = test_checksum (f->path);

  store = loom_store_open_full (f->path, LOOM_STORE_OPEN_CHECK_LATER, &error);
  g_assert_no_error (error);
  /* Open, and nothing written yet: the recovery waits for the check. */
  g_assert_cmpint (file_size (wal), ==, 0);
  {
    g_autoptr(LoomStory) story = g_list_model_get_item (loom_store_get_stories (store), 0);
    g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), 0);

    scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), 0);
    g_object_unref (scene);
  }
  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_GENERATING);

  loom_store_check_integrity_async (store, NULL, damage ? on_checked : on_checked_ok,
                                    &check_error);
  test_spin_until (error_is_set, &check_error, "the damage check");

  if (damage)
    {
      g_assert_error (check_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED);
      g_assert_cmpint (file_size (wal), ==, 0);
      g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_GENERATING);
      g_clear_object (&store);
      after = test_checksum (f->path);
      g_assert_cmpstr (after, ==, before);
      return;
    }

  /* Intact: the recovery ran once the check had ended, and the scene shows it. */
  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_ERROR);
  status = test_sql_value (f->path, "SELECT status || '|' || (SELECT outcome FROM generations)"
                                    " FROM scenes WHERE id = (SELECT min (id) FROM scenes)");
  g_assert_cmpstr (status, ==, "error|interrupted");
}

/* The newest backup that passes integrity_check is the one offered; restoring keeps the
 * damaged file beside the library. */
static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) yesterday = g_date_time_new_local (2026, 11, 30, 12, 0, 0);
  g_autoptr(GDateTime) today = g_date_time_new_local (2026, 12, 1, 12, 0, 0);
  g_autofree char *older = NULL;
  g_autofree char *newer = NULL;
  g_autofree char *found = NULL;
  g_autofree char *damaged_path = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(LoomStore) store = NULL;

  build_library (f->path, 3, 2000);
  loom_backup_run_if_due (f->path, yesterday, &older, NULL, &error);
  g_assert_no_error (error);
  loom_backup_run_if_due (f->path, today, &newer, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (older);
  g_assert_nonnull (newer);

  /* The newest backup is damaged too: the one before it is offered. */
  test_damage_page (newer, 2);
  found = loom_backup_find_intact (f->path, NULL);
  g_assert_cmpstr (found, ==, older);

  test_damage_page (f->path, 3);
  damaged = test_checksum (f->path);
  g_assert_true (loom_backup_restore (f->path, found, &damaged_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (damaged_path, f->path));
  g_assert_nonnull (strstr (damaged_path, ".damaged-"));
  kept = test_checksum (damaged_path);
  g_assert_cmpstr (kept, ==, damaged);

  store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (store)), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/damage/refused-at-open", test_refused_at_open);
  ADD ("/damage/found-later", test_found_later);
  ADD ("/damage/restore", test_restore);
  g_test_add ("/damage/large-open-waits-for-check/damaged", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_large_open_waits_for_check, fixture_tear_down);
  g_test_add ("/damage/large-open-waits-for-check/intact", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_large_open_waits_for_check, fixture_tear_down);
#undef ADD

  return g_test_run ();
}
