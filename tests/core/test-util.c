/* test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-util"

#include "config.h"

#include <sqlite3.h>

#include <glib/gstdio.h>

#include "test-util.h"

void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          g_chmod (child, 0755);
          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            test_remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

LoomStore *
test_library_open (const char  *tmpl,
                   char       **dir,
                   char       **path)
{
  g_autoptr(GError) error = NULL;
  LoomStore *store;

  *dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  *path = g_build_filename (*dir, "library.db", NULL);
  store = loom_store_open (*path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

void
test_library_close (LoomStore  **store,
                    char       **dir,
                    char       **path)
{
  g_clear_object (store);
  test_remove_tree (*dir);
  g_clear_pointer (path, g_free);
  g_clear_pointer (dir, g_free);
}

LoomScene *
test_add_one_scene (LoomStore    *store,
                    LoomStory   **story,
                    LoomChapter **chapter)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene;

  *story = loom_store_create_story (store, "Tide", NULL, NULL, &error);
  g_assert_no_error (error);
  *chapter = loom_store_add_chapter (store, *story, 0, "One", &error);
  g_assert_no_error (error);
  scene = loom_store_add_scene (store, *chapter, 0, "The boat leaves", &error);
  g_assert_no_error (error);
  return scene;
}

void
test_one_scene_setup (TestOneScene  *f,
                      gconstpointer  data)
{
  f->store = test_library_open ("storyloom-test-XXXXXX", &f->dir, &f->path);
  f->scene = test_add_one_scene (f->store, &f->story, &f->chapter);
}

void
test_one_scene_teardown (TestOneScene  *f,
                         gconstpointer  data)
{
  test_library_close (&f->store, &f->dir, &f->path);
}

char *
test_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

void
test_damage_page (const char *path,
                  guint       page)
{
  const gsize page_size = 4096;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((page + 1) * page_size, <=, length);
  for (guint i = 0; i < 8; i++)
    contents[page * page_size + i] ^= 0xff;
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 2000);
  return db;
}

void
test_sql_exec (const char *path,
               const char *sql)
{
  sqlite3 *db = open_raw (path);
  char *errmsg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    g_error ("%s: %s", sql, errmsg);
  sqlite3_close (db);
}

/* Returns "" on success, else SQLite's message. */
char *
test_sql_try (const char *path,
              const char *sql)
{
  sqlite3 *db = open_raw (path);
  char *errmsg = NULL;
  char *result;

  sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  sqlite3_exec (db, sql, NULL, NULL, &errmsg);
  result = g_strdup (errmsg ? errmsg : "");
  sqlite3_free (errmsg);
  sqlite3_close (db);
  return result;
}

static void
free_row (gpointer row)
{
  char **cells = row;

  for (int i = 0; cells[i] != (char *) cells; i++)
    g_free (cells[i]);
  g_free (cells);
}

/* Each row is an array of strings (NULL for SQL NULL) ended by a pointer to itself. */
GPtrArray *
test_sql_rows (const char *path,
               const char *sql)
{
  sqlite3 *db = open_raw (path);
  sqlite3_stmt *stmt = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func (free_row);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      int n = sqlite3_column_count (stmt);
      char **cells = g_new0 (char *, n + 1);

      for (int i = 0; i < n; i++)
        cells[i] = g_strdup ((const char *) sqlite3_column_text (stmt, i));
      cells[n] = (char *) cells;
      g_ptr_array_add (rows, cells);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

char *
test_sql_value (const char *path,
                const char *sql)
{
  g_autoptr(GPtrArray) rows = test_sql_rows (path, sql);

  g_assert_cmpuint (rows->len, >, 0);
  return g_strdup (((char **) g_ptr_array_index (rows, 0))[0]);
}

/* Every row of every table, in id order: two dumps are equal when the libraries are. */
char *
test_dump_library (const char *path)
{
  /* The seed's columns of characters and stories: later versions add columns to them (aliases
   * and the inclusion rule, version 9; goals, version 10) and leave these as they were. */
  static const struct {
    const char *name;
    const char *columns;
  } tables[] = {
    { "stories", "id, title, created_at, premise, style_notes, updated_at" }, { "chapters", "*" }, { "scenes", "*" },
    { "characters", "id, story_id, name, traits, backstory" }, { "scene_revisions", "*" },
    { "generations", "*" },
  };
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY id",
                                              tables[t].columns, tables[t].name);
      g_autoptr(GPtrArray) rows = test_sql_rows (path, sql);

      g_string_append_printf (out, "[%s]\n", tables[t].name);
      for (guint r = 0; r < rows->len; r++)
        {
          char **cells = g_ptr_array_index (rows, r);

          for (int i = 0; cells[i] != (char *) cells; i++)
            g_string_append_printf (out, "%s|", cells[i] ? cells[i] : "∅");
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}

void
test_count_signal (guint *counter)
{
  (*counter)++;
}

struct _TestSignalLog
{
  GListModel *model;
  GString    *log;
  gulong      handler;
};

static void
on_items_changed (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  TestSignalLog *log)
{
  if (log->log->len > 0)
    g_string_append_c (log->log, ' ');
  g_string_append_printf (log->log, "%u-%u+%u", position, removed, added);
}

TestSignalLog *
test_signal_log_new (GListModel *model)
{
  TestSignalLog *log = g_new0 (TestSignalLog, 1);

  log->model = g_object_ref (model);
  log->log = g_string_new (NULL);
  log->handler = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), log);
  return log;
}

void
test_signal_log_assert (TestSignalLog *log,
                        const char    *expected)
{
  g_assert_cmpstr (log->log->str, ==, expected);
  g_string_truncate (log->log, 0);
}

void
test_signal_log_free (TestSignalLog *log)
{
  g_signal_handler_disconnect (log->model, log->handler);
  g_object_unref (log->model);
  g_string_free (log->log, TRUE);
  g_free (log);
}

void
test_spin_until (TestCondition  condition,
                 gpointer       data,
                 const char    *what)
{
  const char *wait = g_getenv ("LOOM_TEST_WAIT_SECONDS");
  gint64 seconds = wait != NULL ? g_ascii_strtoll (wait, NULL, 10) : 0;
  gint64 deadline = g_get_monotonic_time () + (seconds > 0 ? seconds : 30) * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

void
test_maybe_pause (void)
{
  const char *pause = g_getenv ("LOOM_TEST_PAUSE_MS");
  gint64 end;

  if (pause == NULL)
    return;
  end = g_get_monotonic_time () + g_ascii_strtoll (pause, NULL, 10) * 1000;
  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

const char *
test_scene_prose (LoomScene *scene)
{
  g_autoptr(GError) error = NULL;

  loom_scene_load_prose (scene, &error);
  g_assert_no_error (error);
  return loom_scene_get_prose (scene);
}

typedef struct
{
  LoomScene  *scene;
  const char *prose;
} ProseWait;

static gboolean
prose_is (gpointer data)
{
  ProseWait *wait = data;

  return g_strcmp0 (test_scene_prose (wait->scene), wait->prose) == 0;
}

void
test_wait_for_prose (LoomScene  *scene,
                     const char *prose,
                     const char *what)
{
  ProseWait wait = { scene, prose };

  test_spin_until (prose_is, &wait, what);
}

const char *
test_generate (LoomStore             *store,
               LoomScene             *scene,
               LoomGenerationOutcome  outcome,
               const char            *model,
               const char            *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = g_strdup (test_scene_prose (scene));
  LoomGenerationEnd end = { .outcome = outcome, .prompt_tokens = -1, .completion_tokens = -1,
                            .cost = -1, .model = model, .status = LOOM_SCENE_STATUS_DRAFT };
  gint64 id;

  id = loom_store_begin_generation (store, scene, model, NULL, &error);
  g_assert_no_error (error);
  loom_scene_stream_prose (scene, text);
  g_assert_true (loom_store_flush_prose (store, scene, &error));
  if (outcome == LOOM_GENERATION_COMPLETE)
    end.prose = text;
  else
    {
      end.prose = before;
      end.partial = text;
    }
  g_assert_true (loom_store_end_generation (store, scene, id, &end, &error));
  g_assert_no_error (error);
  return text;
}

gint64
test_generate_priced (LoomStore  *store,
                      LoomScene  *scene,
                      const char *model,
                      const char *text,
                      double      cost)
{
  g_autoptr(GError) error = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = text,
                            .prompt_tokens = 10, .completion_tokens = 10, .cost = cost,
                            .model = model, .status = LOOM_SCENE_STATUS_DRAFT };
  gint64 id = loom_store_begin_generation (store, scene, model, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (loom_store_end_generation (store, scene, id, &end, &error));
  g_assert_no_error (error);
  return id;
}
