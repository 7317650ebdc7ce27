/* test-backup.c: one consistent copy a day, seven kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-backup"

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "loom-backup.h"
#include "loom-zip.h"
#include "test-util.h"
#include "export-fixture.h"

typedef struct
{
  char      *dir;
  char      *path;
  LoomStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = fixture_tmpdir ();
  f->path = g_build_filename (f->dir, "library.db", NULL);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  fixture_build_story (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GDateTime *
day (int year, int month, int day_of_month, int hour)
{
  return g_date_time_new_local (year, month, day_of_month, hour, 30, 0);
}

static char *
run (Fixture   *f,
     GDateTime *now)
{
  g_autoptr(GError) error = NULL;
  char *backup = NULL;

  g_assert_true (loom_backup_run_if_due (f->path, now, &backup, NULL, &error));
  g_assert_no_error (error);
  return backup;
}

static guint
count_backups (Fixture *f)
{
  g_autofree char *folder = loom_backup_get_folder (f->path);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_once_a_day (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) morning = day (2026, 3, 9, 8);
  g_autoptr(GDateTime) evening = day (2026, 3, 9, 22);
  g_autoptr(GDateTime) next = day (2026, 3, 10, 0);
  g_autofree char *folder = loom_backup_get_folder (f->path);
  g_autofree char *expected = g_build_filename (folder, "library-2026-03-09.db", NULL);
  g_autofree char *first = run (f, morning);
  g_autofree char *second = run (f, evening);
  g_autofree char *third = run (f, next);

  g_assert_cmpstr (first, ==, expected);
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
  g_assert_null (second);
  g_assert_nonnull (third);
  g_assert_true (g_str_has_suffix (third, "library-2026-03-10.db"));
  g_assert_cmpuint (count_backups (f), ==, 2);
}

static void
test_keeps_seven (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *folder = loom_backup_get_folder (f->path);
  g_autofree char *oldest = g_build_filename (folder, "library-2026-01-01.db", NULL);
  g_autofree char *second = g_build_filename (folder, "library-2026-01-02.db", NULL);
  g_autofree char *stranger = g_build_filename (folder, "notes.txt", NULL);
  g_autofree char *other = g_build_filename (folder, "library-old.db", NULL);
  g_autofree char *leftover = g_build_filename (folder, "library-2025-12-31.db.part", NULL);

  for (int d = 1; d <= 7; d++)
    {
      g_autoptr(GDateTime) now = day (2026, 1, d, 12);
      g_autofree char *backup = run (f, now);

      g_assert_nonnull (backup);
    }
  g_assert_cmpuint (count_backups (f), ==, 7);
  g_assert_true (g_file_test (oldest, G_FILE_TEST_EXISTS));

  /* Files that are not our backups are left alone. */
  g_file_set_contents (stranger, "keep me", -1, NULL);
  g_file_set_contents (other, "keep me too", -1, NULL);
  /* What a copy cut short on an earlier day left. */
  g_file_set_contents (leftover, "half", -1, NULL);

  {
    g_autoptr(GDateTime) eighth = day (2026, 1, 8, 12);
    g_autofree char *backup = run (f, eighth);

    g_assert_nonnull (backup);
  }
  g_assert_false (g_file_test (oldest, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (second, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (stranger, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_backups (f), ==, 7 + 2);
}

static void
test_copy_opens (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *backup = NULL;
  g_autofree char *original_dump = NULL;
  g_autofree char *backup_dump = NULL;
  g_autoptr(LoomStore) copy = NULL;
  GListModel *stories;

  /* Written while the store is open and holds its WAL: the copy must still have it all. */
  backup = run (f, now);
  g_assert_nonnull (backup);

  original_dump = test_dump_library (f->path);
  backup_dump = test_dump_library (backup);
  g_assert_cmpstr (backup_dump, ==, original_dump);

  copy = loom_store_open (backup, &error);
  g_assert_no_error (error);
  stories = loom_store_get_stories (copy);
  g_assert_cmpuint (g_list_model_get_n_items (stories), ==, 1);
  {
    g_autoptr(LoomStory) story = g_list_model_get_item (stories, 0);

    g_assert_cmpstr (loom_story_get_title (story), ==, "Salt Road");
    g_assert_cmpuint (loom_story_get_scene_count (story), ==, G_N_ELEMENTS (fixture_scenes));
  }
}

static void
test_no_library (void)
{
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autofree char *folder = loom_backup_get_folder (path);
  g_autoptr(GError) error = NULL;
  char *backup = (char *) "unset";

  /* Nothing to copy on the very first start. */
  g_assert_true (loom_backup_run_if_due (path, NULL, &backup, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (backup);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  test_remove_tree (dir);
}

static void
test_unwritable_folder (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = loom_backup_get_folder (f->path);
  char *backup = NULL;

  /* A file where the folder should be. */
  g_file_set_contents (folder, "", 0, NULL);
  g_assert_false (loom_backup_run_if_due (f->path, NULL, &backup, NULL, &error));
  g_assert_error (error, LOOM_BACKUP_ERROR, LOOM_BACKUP_ERROR_FAILED);
  g_assert_null (backup);
}

typedef struct
{
  GMainLoop *loop;
  char      *backup;
  gboolean   ok;
  GError    *error;
} AsyncState;

static void
on_backup (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = loom_backup_run_if_due_finish (result, &state->backup, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  AsyncState state = { g_main_loop_new (NULL, FALSE), NULL, FALSE, NULL };

  loom_backup_run_if_due_async (loom_store_get_path (f->store), NULL, on_backup, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_nonnull (state.backup);
  g_assert_true (g_file_test (state.backup, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&state.backup, g_free);

  /* The second call of the day has nothing to do. */
  loom_backup_run_if_due_async (loom_store_get_path (f->store), NULL, on_backup, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_null (state.backup);
  g_main_loop_unref (state.loop);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/backup/once-a-day", test_once_a_day);
  ADD ("/backup/keeps-seven", test_keeps_seven);
  ADD ("/backup/copy-opens", test_copy_opens);
  g_test_add_func ("/backup/no-library", test_no_library);
  ADD ("/backup/unwritable-folder", test_unwritable_folder);
  ADD ("/backup/async", test_async);
#undef ADD

  return g_test_run ();
}
