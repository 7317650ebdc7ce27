/* test-store.c: the rules the store guarantees, and what a writer would notice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  LoomStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->store = test_library_open ("storyloom-store-XXXXXX", &f->dir, &f->path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  test_library_close (&f->store, &f->dir, &f->path);
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
}

/* A story with chapters named A, B… each holding the given number of scenes "A1", "A2"… */
static LoomStory *
make_story (LoomStore   *store,
            const guint *scene_counts,
            guint        n_chapters)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = loom_store_create_story (store, "The Salt Road", "A caravan", NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n_chapters; i++)
    {
      char title[2] = { (char) ('A' + i), 0 };
      LoomChapter *chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, title,
                                                     &error);
      g_assert_no_error (error);
      for (guint j = 0; j < scene_counts[i]; j++)
        {
          g_autofree char *outline = g_strdup_printf ("%s%u", title, j + 1);
          loom_store_add_scene (store, chapter, LOOM_POSITION_END, outline, &error);
          g_assert_no_error (error);
        }
    }
  return story;
}

static LoomChapter *
chapter_at (LoomStory *story,
            guint      i)
{
  g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), i);
  return chapter;
}

static LoomScene *
scene_at (LoomChapter *chapter,
          guint        i)
{
  g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), i);
  return scene;
}

/* The order as the writer sees it: "A:A1,A2|B:B1". */
static char *
describe_order (LoomStory *story)
{
  GListModel *chapters = loom_story_get_chapters (story);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      LoomChapter *chapter = chapter_at (story, i);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      g_assert_cmpuint (loom_chapter_get_number (chapter), ==, i + 1);
      g_string_append_printf (out, "%s%s:", i ? "|" : "", loom_chapter_get_title (chapter));
      for (guint j = 0; j < g_list_model_get_n_items (scenes); j++)
        {
          LoomScene *scene = scene_at (chapter, j);

          g_assert_cmpuint (loom_scene_get_number (scene), ==, j + 1);
          g_assert_true (loom_scene_get_chapter (scene) == chapter);
          g_string_append_printf (out, "%s%s", j ? "," : "", loom_scene_get_outline (scene));
        }
    }
  return g_string_free (out, FALSE);
}

/* The same order read straight from the file, checking that numbers are 1..n. */
static char *
describe_order_in_file (const char *path,
                        gint64      story_id)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT c.title, c.chapter_number, s.outline, s.scene_number, s.story_id = c.story_id"
    " FROM chapters c LEFT JOIN scenes s ON s.chapter_id = c.id"
    " WHERE c.story_id = %" G_GINT64_FORMAT " ORDER BY c.chapter_number, s.scene_number",
    story_id);
  g_autoptr(GPtrArray) rows = test_sql_rows (path, sql);
  GString *out = g_string_new (NULL);
  const char *last_chapter = NULL;
  int expected_chapter = 0;
  int expected_scene = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (last_chapter, row[0]) != 0)
        {
          expected_chapter++;
          expected_scene = 0;
          g_assert_cmpint (atoi (row[1]), ==, expected_chapter);
          g_string_append_printf (out, "%s%s:", i ? "|" : "", row[0]);
          last_chapter = row[0];
        }
      if (row[2] != NULL)
        {
          expected_scene++;
          g_assert_cmpint (atoi (row[3]), ==, expected_scene);
          g_assert_cmpstr (row[4], ==, "1");
          g_string_append_printf (out, "%s%s", expected_scene > 1 ? "," : "", row[2]);
        }
    }
  return g_string_free (out, FALSE);
}

static void
assert_order (Fixture    *f,
              LoomStory  *story,
              const char *expected)
{
  g_autofree char *in_memory = describe_order (story);
  g_autofree char *in_file = describe_order_in_file (f->path, loom_story_get_id (story));

  g_assert_cmpstr (in_memory, ==, expected);
  g_assert_cmpstr (in_file, ==, expected);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_open_creates_library (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storyloom-new-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "deep", "er", "library.db", NULL);
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  g_autofree char *mode = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (store)), ==, 0);

  mode = test_sql_value (path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_clear_object (&store);
  {
    g_autofree char *version = test_sql_value (path, "PRAGMA user_version");
    g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  }
  test_remove_tree (dir);
}

static void
test_resolve_path (void)
{
  g_autofree char *default_path = loom_store_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "storyloom",
                                                "library.db", NULL);

  g_assert_cmpstr (default_path, ==, expected);

  g_unsetenv ("STORYLOOM_DB");
  {
    g_autofree char *p = loom_store_resolve_path (NULL);
    g_assert_cmpstr (p, ==, expected);
  }
  g_setenv ("STORYLOOM_DB", "/tmp/env.db", TRUE);
  {
    g_autofree char *p = loom_store_resolve_path (NULL);
    g_autofree char *q = loom_store_resolve_path ("/tmp/flag.db");
    g_assert_cmpstr (p, ==, "/tmp/env.db");
    g_assert_cmpstr (q, ==, "/tmp/flag.db");
  }
  g_unsetenv ("STORYLOOM_DB");
}

/* Each bad file must be refused with its own error and stay byte-for-byte the same. */
static void
assert_refused_untouched (const char *path,
                          int         code,
                          const char *phrase)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = test_checksum (path);
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  g_autofree char *after = test_checksum (path);

  g_assert_null (store);
  g_assert_error (error, LOOM_STORE_ERROR, code);
  g_assert_nonnull (strstr (error->message, phrase));
  g_assert_cmpstr (before, ==, after);
}

static void
test_refuses_not_sqlite (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storyloom-bad-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.db", NULL);
  g_autoptr(GString) junk = g_string_new (NULL);

  for (int i = 0; i < 2000; i++)
    g_string_append_printf (junk, "Line %d of a novel draft that is not a database.\n", i);
  g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));
  assert_refused_untouched (path, LOOM_STORE_ERROR_NOT_A_DATABASE, "not a database");

  /* A file that starts like SQLite but is damaged after the header. */
  memcpy (junk->str, "SQLite format 3", 16);
  g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *before = test_checksum (path);
    g_autoptr(LoomStore) store = loom_store_open (path, &error);
    g_autofree char *after = test_checksum (path);

    g_assert_null (store);
    g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED);
    g_assert_cmpstr (before, ==, after);
  }
  test_remove_tree (dir);
}

static void
test_refuses_other_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storyloom-bad-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "addresses.db", NULL);

  test_sql_exec (path, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ann')");
  assert_refused_untouched (path, LOOM_STORE_ERROR_NOT_A_LIBRARY, "another program");
  test_remove_tree (dir);
}

static void
test_refuses_newer_version (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storyloom-bad-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autoptr(LoomStore) store = loom_store_open (path, NULL);
  g_autofree char *sql = NULL;

  g_assert_nonnull (store);
  g_clear_object (&store);
  sql = g_strdup_printf ("PRAGMA journal_mode = DELETE; PRAGMA user_version = %d",
                         LOOM_STORE_SCHEMA_VERSION + 1);
  test_sql_exec (path, sql);
  assert_refused_untouched (path, LOOM_STORE_ERROR_TOO_NEW, "newer version");
  test_remove_tree (dir);
}

static void
test_refuses_read_only (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storyloom-ro-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (dir, "shelf", NULL);
  g_autofree char *path = g_build_filename (sub, "library.db", NULL);
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir (sub, 0700);
  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  make_story (store, (guint[]) { 2 }, 1);
  g_clear_object (&store);
  /* Checkpointed on close, so only the main file matters from here on. */
  test_sql_exec (path, "PRAGMA journal_mode = DELETE");

  g_chmod (path, 0444);
  assert_refused_untouched (path, LOOM_STORE_ERROR_READ_ONLY, "read-only");
  g_chmod (path, 0644);

  g_chmod (sub, 0555);
  assert_refused_untouched (path, LOOM_STORE_ERROR_READ_ONLY, "read-only");
  g_chmod (sub, 0755);

  test_remove_tree (dir);
}

/* Run as a child: holds the library exclusively, as another program would, until its stdin
 * closes. */
static int
hold_lock (const char *path)
{
  sqlite3 *db = NULL;
  char buf[16];

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;"
                        " UPDATE stories SET title = title;", NULL, NULL, NULL) != SQLITE_OK)
    return 2;
  if (write (STDOUT_FILENO, "locked\n", 7) != 7)
    return 3;
  while (read (STDIN_FILENO, buf, sizeof buf) > 0)
    ;
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  return 0;
}

static void
test_refuses_locked (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storyloom-lock-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(LoomStore) store = loom_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (store);
  make_story (store, (guint[]) { 1 }, 1);
  g_clear_object (&store);

  holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, self_exe, "--hold-lock", path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_cmpstr (line, ==, "locked");

  store = loom_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "another program"));
  g_clear_error (&error);

  g_output_stream_close (g_subprocess_get_stdin_pipe (holder), NULL, NULL);
  g_assert_true (g_subprocess_wait_check (holder, NULL, &error));

  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (store)), ==, 1);
  g_clear_object (&store);
  test_remove_tree (dir);
}

/* A write that meets a lock fails, and neither the file nor the objects change. */
static void
test_failed_write_changes_nothing (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 2, 1 }, 2);
  LoomChapter *a = chapter_at (story, 0);
  LoomScene *a1 = scene_at (a, 0);
  sqlite3 *other = NULL;
  guint signals = 0;

  g_signal_connect_swapped (loom_chapter_get_scenes (a), "items-changed",
                            G_CALLBACK (test_count_signal), &signals);
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_false (loom_store_move_scene (f->store, a1, chapter_at (story, 1), 0, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (loom_store_delete_scene (f->store, a1, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (loom_scene_set_prose (a1, "Lost words", &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_LOCKED);

  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);

  g_assert_cmpuint (signals, ==, 0);
  g_assert_null (test_scene_prose (a1));
  assert_order (f, story, "A:A1,A2|B:B1");
}

static void
test_blank_titles_refused (Fixture       *f,
                           gconstpointer  data)
{
  const char *blanks[] = { "", "   ", "\t\n", "\u00a0\u2003", NULL };
  LoomStory *story = make_story (f->store, (guint[]) { 1 }, 1);
  LoomChapter *chapter = chapter_at (story, 0);

  for (guint i = 0; i < G_N_ELEMENTS (blanks); i++)
    {
      g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL;

      g_assert_null (loom_store_create_story (f->store, blanks[i], NULL, NULL, &e1));
      g_assert_error (e1, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
      g_assert_null (loom_store_add_chapter (f->store, story, 0, blanks[i], &e2));
      g_assert_error (e2, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
      g_assert_null (loom_store_add_character (f->store, story, blanks[i], "", NULL, &e3));
      g_assert_error (e3, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
      g_assert_false (loom_story_set_title (story, blanks[i], &e4));
      g_assert_error (e4, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
      g_assert_false (loom_chapter_set_title (chapter, blanks[i], &e5));
      g_assert_error (e5, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
      (void) e6;
    }

  g_assert_cmpstr (loom_story_get_title (story), ==, "The Salt Road");
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->store)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_chapters (story)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_characters (story)), ==, 0);
}

static void
test_unicode_and_large_prose (Fixture       *f,
                              gconstpointer  data)
{
  static const char unicode[] =
    "Zoë’s «café» — naïve 東京 🦊🏳️‍🌈 עברית العربية\r\n\ttab\x01 and a NUL-free end ﷽";
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_sized_new (10 * 1024 * 1024 + 64);
  LoomStory *story = make_story (f->store, (guint[]) { 2 }, 1);
  gint64 story_id = loom_story_get_id (story);
  gint64 small_id = loom_scene_get_id (scene_at (chapter_at (story, 0), 0));
  gint64 big_id = loom_scene_get_id (scene_at (chapter_at (story, 0), 1));
  LoomCharacter *character;

  while (big->len < 10 * 1024 * 1024)
    g_string_append (big, "The wind took the salt from the road and gave it to the sea. ");

  g_assert_true (loom_story_set_title (story, unicode, &error));
  g_assert_true (loom_scene_set_outline (scene_at (chapter_at (story, 0), 0), unicode, &error));
  g_assert_true (loom_scene_set_prose (scene_at (chapter_at (story, 0), 0), unicode, &error));
  g_assert_true (loom_scene_set_prose (scene_at (chapter_at (story, 0), 1), big->str, &error));
  character = loom_store_add_character (f->store, story, unicode, unicode, unicode, &error);
  g_assert_no_error (error);
  g_assert_nonnull (character);

  reopen (f);
  story = loom_store_lookup_story (f->store, story_id);
  g_assert_cmpstr (loom_story_get_title (story), ==, unicode);
  g_assert_cmpstr (loom_scene_get_outline (loom_store_lookup_scene (f->store, small_id)), ==,
                   unicode);
  g_assert_cmpstr (test_scene_prose (loom_store_lookup_scene (f->store, small_id)), ==,
                   unicode);
  g_assert_cmpstr (test_scene_prose (loom_store_lookup_scene (f->store, big_id)), ==,
                   big->str);
  character = g_list_model_get_item (loom_story_get_characters (story), 0);
  g_assert_cmpstr (loom_character_get_name (character), ==, unicode);
  g_assert_cmpstr (loom_character_get_backstory (character), ==, unicode);
  g_object_unref (character);

  /* Ill-formed UTF-8 is refused rather than stored. */
  g_assert_false (loom_scene_set_prose (loom_store_lookup_scene (f->store, small_id),
                                        "bad \xff\xfe bytes", &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_assert_cmpstr (test_scene_prose (loom_store_lookup_scene (f->store, small_id)), ==,
                   unicode);
}

static void
test_numbering_after_edits (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 3, 2, 0 }, 3);
  LoomChapter *a = chapter_at (story, 0);
  LoomChapter *b = chapter_at (story, 1);
  LoomChapter *c = chapter_at (story, 2);
  g_autoptr(LoomDeletion) d1 = NULL;
  g_autoptr(LoomDeletion) d2 = NULL;

  assert_order (f, story, "A:A1,A2,A3|B:B1,B2|C:");

  g_assert_true (loom_store_move_scene (f->store, scene_at (a, 0), a, 2, &error));
  assert_order (f, story, "A:A2,A3,A1|B:B1,B2|C:");
  g_assert_true (loom_store_move_scene (f->store, scene_at (a, 2), a, 0, &error));
  assert_order (f, story, "A:A1,A2,A3|B:B1,B2|C:");
  g_assert_true (loom_store_move_scene (f->store, scene_at (a, 1), b, 1, &error));
  assert_order (f, story, "A:A1,A3|B:B1,A2,B2|C:");
  /* Into an empty chapter, and past the end (clamped). */
  g_assert_true (loom_store_move_scene (f->store, scene_at (b, 2), c, 99, &error));
  assert_order (f, story, "A:A1,A3|B:B1,A2|C:B2");
  g_assert_true (loom_store_move_chapter (f->store, c, 0, &error));
  assert_order (f, story, "C:B2|A:A1,A3|B:B1,A2");
  g_assert_true (loom_store_move_chapter (f->store, c, 2, &error));
  assert_order (f, story, "A:A1,A3|B:B1,A2|C:B2");

  loom_store_add_scene (f->store, a, 1, "new", &error);
  g_assert_no_error (error);
  assert_order (f, story, "A:A1,new,A3|B:B1,A2|C:B2");
  loom_store_add_chapter (f->store, story, 1, "N", &error);
  g_assert_no_error (error);
  assert_order (f, story, "A:A1,new,A3|N:|B:B1,A2|C:B2");

  d1 = loom_store_delete_scene (f->store, scene_at (a, 0), &error);
  g_assert_no_error (error);
  assert_order (f, story, "A:new,A3|N:|B:B1,A2|C:B2");
  d2 = loom_store_delete_chapter (f->store, chapter_at (story, 1), &error);
  g_assert_no_error (error);
  assert_order (f, story, "A:new,A3|B:B1,A2|C:B2");

  reopen (f);
  story = g_list_model_get_item (loom_store_get_stories (f->store), 0);
  assert_order (f, story, "A:new,A3|B:B1,A2|C:B2");
  g_object_unref (story);
}

static void
test_scene_stays_in_its_story (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *one = make_story (f->store, (guint[]) { 1 }, 1);
  LoomStory *two = make_story (f->store, (guint[]) { 1 }, 1);
  LoomScene *scene = scene_at (chapter_at (one, 0), 0);
  g_autofree char *sql = NULL;
  g_autofree char *result = NULL;

  g_assert_false (loom_store_move_scene (f->store, scene, chapter_at (two, 0), 0, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  assert_order (f, one, "A:A1");
  assert_order (f, two, "A:A1");

  /* Even a program writing SQL directly cannot break the rule. */
  sql = g_strdup_printf ("UPDATE scenes SET chapter_id = %" G_GINT64_FORMAT
                         " WHERE id = %" G_GINT64_FORMAT,
                         loom_chapter_get_id (chapter_at (two, 0)), loom_scene_get_id (scene));
  result = test_sql_try (f->path, sql);
  g_assert_nonnull (strstr (result, "story of its chapter"));
}

static void
test_foreign_keys_cascade (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 2, 1 }, 2);
  LoomStory *other = make_story (f->store, (guint[]) { 1 }, 1);
  g_autofree char *count = NULL;

  loom_store_add_character (f->store, story, "Mara", "stubborn", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_delete_story (f->store, story, &error));
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->store)), ==, 1);

  count = test_sql_value (f->path, "SELECT (SELECT count(*) FROM chapters) || ','"
                                   " || (SELECT count(*) FROM scenes) || ','"
                                   " || (SELECT count(*) FROM characters)");
  g_assert_cmpstr (count, ==, "1,1,0");
  assert_order (f, other, "A:A1");
}

static void
test_interrupted_generation_recovered (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 2 }, 1);
  LoomScene *scene = scene_at (chapter_at (story, 0), 0);
  gint64 id = loom_scene_get_id (scene);

  g_assert_true (loom_scene_set_prose (scene, "The earlier draft stays.", &error));
  g_assert_true (loom_scene_set_status (scene, LOOM_SCENE_STATUS_GENERATING, NULL, &error));
  reopen (f);

  scene = loom_store_lookup_scene (f->store, id);
  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_ERROR);
  g_assert_nonnull (strstr (loom_scene_get_error_message (scene), "interrupted"));
  g_assert_cmpstr (test_scene_prose (scene), ==, "The earlier draft stays.");
  /* The other scene was not generating and is untouched. */
  g_assert_cmpint (loom_scene_get_status (scene_at (loom_scene_get_chapter (scene), 1)), ==,
                   LOOM_SCENE_STATUS_DRAFT);
}

/* ---------------------------------------------------------------------------------------- */
/* The GObject model                                                                        */

static void
test_identity_map (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 2 }, 1);
  LoomScene *scene = scene_at (chapter_at (story, 0), 1);
  guint notified = 0;

  g_assert_true (loom_store_lookup_story (f->store, loom_story_get_id (story)) == story);
  g_assert_true (loom_store_lookup_scene (f->store, loom_scene_get_id (scene)) == scene);
  g_assert_true (loom_store_lookup_chapter (f->store, loom_chapter_get_id (chapter_at (story, 0)))
                 == chapter_at (story, 0));
  g_assert_null (loom_store_lookup_scene (f->store, 4242));

  g_signal_connect_swapped (scene, "notify::outline", G_CALLBACK (test_count_signal), &notified);
  g_assert_true (loom_scene_set_outline (scene, "Mara crosses the salt", &error));
  g_assert_cmpuint (notified, ==, 1);
  /* Setting the same value again is not a change. */
  g_assert_true (loom_scene_set_outline (scene, "Mara crosses the salt", &error));
  g_assert_cmpuint (notified, ==, 1);

  /* After reopening, lookups by id still give one object per row. Everything but the prose
   * was read at open, not by a getter: with the library closed the lists are all there. */
  {
    gint64 scene_id = loom_scene_get_id (scene);
    LoomScene *again;

    g_assert_nonnull (loom_store_add_character (f->store, story, "Mara", "", NULL, &error));
    reopen (f);
    loom_store_close (f->store);
    again = loom_store_lookup_scene (f->store, scene_id);
    g_assert_nonnull (again);
    g_assert_cmpstr (loom_scene_get_outline (again), ==, "Mara crosses the salt");
    g_assert_true (scene_at (loom_scene_get_chapter (again), 1) == again);
    g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_chapters (
                        loom_scene_get_story (again))), ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_characters (
                        loom_scene_get_story (again))), ==, 1);
  }
}

/* Appends "name " for every notify of @object to @log. */
static void
log_notify (GObject    *object,
            GParamSpec *pspec,
            GString    *log)
{
  g_string_append_printf (log, "%s ", pspec->name);
}

static GString *
watch (gpointer object)
{
  GString *log = g_string_new (NULL);

  g_signal_connect (object, "notify", G_CALLBACK (log_notify), log);
  return log;
}

/* Every change a view can show is announced on the object that changed, once, and nothing
 * is announced when nothing changed. */
static void
test_notifications (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 2, 1 }, 2);
  LoomChapter *a = chapter_at (story, 0);
  LoomChapter *b = chapter_at (story, 1);
  LoomScene *scene = scene_at (a, 0);
  LoomCharacter *character;
  g_autoptr(GString) story_log = watch (story);
  g_autoptr(GString) a_log = watch (a);
  g_autoptr(GString) b_log = watch (b);
  g_autoptr(GString) scene_log = watch (scene);
  g_autoptr(GString) character_log = NULL;

  g_assert_true (loom_scene_set_prose (scene, "Three words here", &error));
  g_assert_cmpstr (scene_log->str, ==, "prose updated-at word-count ");
  g_assert_cmpstr (a_log->str, ==, "word-count ");
  g_assert_cmpstr (story_log->str, ==, "word-count ");

  g_string_truncate (scene_log, 0);
  g_assert_true (loom_scene_set_status (scene, LOOM_SCENE_STATUS_ERROR, "The server said no.",
                                        &error));
  g_assert_cmpstr (scene_log->str, ==, "status error-message ");
  g_string_truncate (scene_log, 0);
  g_assert_true (loom_scene_set_status (scene, LOOM_SCENE_STATUS_ERROR, "The server said no.",
                                        &error));
  g_assert_cmpstr (scene_log->str, ==, "");

  g_assert_true (loom_scene_set_outline (scene, "Mara leaves", &error));
  g_assert_cmpstr (scene_log->str, ==, "outline updated-at ");

  /* Moving the scene to B changes its chapter and both chapters' totals and numbers. */
  g_string_truncate (scene_log, 0);
  g_string_truncate (a_log, 0);
  g_string_truncate (story_log, 0);
  g_assert_true (loom_store_move_scene (f->store, scene, b, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (scene_log->str, ==, "chapter number ");
  g_assert_cmpstr (a_log->str, ==, "word-count ");
  g_assert_cmpstr (b_log->str, ==, "word-count ");
  g_assert_cmpstr (story_log->str, ==, "");
  g_assert_cmpuint (loom_scene_get_number (scene), ==, 2);
  g_assert_cmpuint (loom_scene_get_number (scene_at (a, 0)), ==, 1);

  g_assert_true (loom_story_set_title (story, "The Salt Road, Again", &error));
  g_assert_cmpstr (story_log->str, ==, "title updated-at ");
  g_string_truncate (a_log, 0);
  g_assert_true (loom_chapter_set_title (a, "Departure", &error));
  g_assert_cmpstr (a_log->str, ==, "title ");

  character = loom_store_add_character (f->store, story, "Mara", "stubborn", NULL, &error);
  g_assert_no_error (error);
  character_log = watch (character);
  /* An empty backstory is no backstory: nothing changed. */
  g_assert_true (loom_character_set_backstory (character, "", &error));
  g_assert_cmpstr (character_log->str, ==, "");
  g_assert_true (loom_character_set_traits (character, "stubborn, kind", &error));
  g_assert_cmpstr (character_log->str, ==, "traits ");

  /* A refused change announces nothing. */
  g_string_truncate (story_log, 0);
  g_assert_false (loom_story_set_title (story, "  ", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (story_log->str, ==, "");
  g_assert_cmpstr (loom_story_get_title (story), ==, "The Salt Road, Again");

  g_signal_handlers_disconnect_by_func (story, log_notify, story_log);
  g_signal_handlers_disconnect_by_func (a, log_notify, a_log);
  g_signal_handlers_disconnect_by_func (b, log_notify, b_log);
  g_signal_handlers_disconnect_by_func (scene, log_notify, scene_log);
  g_signal_handlers_disconnect_by_func (character, log_notify, character_log);
}

/* Reading a property never reads the library: the prose is loaded on request, and a failure
 * to load it is an error the caller sees, not a line in the log. */
static void
test_getters_do_no_io (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 1 }, 1);
  LoomScene *scene = scene_at (chapter_at (story, 0), 0);
  gint64 id = loom_scene_get_id (scene);
  g_autofree char *property = NULL;

  g_assert_true (loom_scene_set_prose (scene, "Kept on disk.", &error));
  reopen (f);
  scene = loom_store_lookup_scene (f->store, id);
  g_assert_null (loom_scene_get_prose (scene));
  g_object_get (scene, "prose", &property, NULL);
  g_assert_null (property);
  g_assert_cmpuint (loom_scene_get_word_count (scene), ==, 3);

  g_assert_true (loom_scene_load_prose (scene, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (loom_scene_get_prose (scene), ==, "Kept on disk.");

  /* A scene removed behind the store's back cannot be read: the load says so. */
  reopen (f);
  scene = loom_store_lookup_scene (f->store, id);
  test_sql_exec (f->path, "DELETE FROM scenes");
  g_assert_false (loom_scene_load_prose (scene, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND);
  g_assert_null (loom_scene_get_prose (scene));
}

static void
test_items_changed_exact (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 4, 2 }, 2);
  LoomChapter *a = chapter_at (story, 0);
  LoomChapter *b = chapter_at (story, 1);
  g_autoptr(TestSignalLog) log_a = test_signal_log_new (loom_chapter_get_scenes (a));
  g_autoptr(TestSignalLog) log_b = test_signal_log_new (loom_chapter_get_scenes (b));
  g_autoptr(TestSignalLog) log_c = test_signal_log_new (loom_story_get_chapters (story));
  g_autoptr(LoomDeletion) deletion = NULL;

  loom_store_add_scene (f->store, a, 1, "inserted", &error);
  g_assert_no_error (error);
  test_signal_log_assert (log_a, "1-0+1");

  deletion = loom_store_delete_scene (f->store, scene_at (a, 3), &error);
  g_assert_no_error (error);
  test_signal_log_assert (log_a, "3-1+0");

  g_assert_true (loom_store_move_scene (f->store, scene_at (a, 0), a, 2, &error));
  test_signal_log_assert (log_a, "0-1+0 2-0+1");

  g_assert_true (loom_store_move_scene (f->store, scene_at (a, 1), b, 1, &error));
  test_signal_log_assert (log_a, "1-1+0");
  test_signal_log_assert (log_b, "1-0+1");

  g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
  test_signal_log_assert (log_a, "3-0+1");

  g_assert_true (loom_store_move_chapter (f->store, b, 0, &error));
  test_signal_log_assert (log_c, "1-1+0 0-0+1");

  loom_store_add_chapter (f->store, story, LOOM_POSITION_END, "C", &error);
  g_assert_no_error (error);
  test_signal_log_assert (log_c, "2-0+1");
}

static void
test_undo_deletions (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 3, 2 }, 2);
  LoomChapter *a = chapter_at (story, 0);
  LoomScene *a2 = scene_at (a, 1);
  LoomCharacter *mara, *ivo;
  g_autoptr(LoomDeletion) scene_deletion = NULL;
  g_autoptr(LoomDeletion) chapter_deletion = NULL;
  g_autoptr(LoomDeletion) character_deletion = NULL;
  g_autofree char *dump_before = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *sql = NULL;
  gint64 a2_id = loom_scene_get_id (a2);

  g_assert_true (loom_scene_set_prose (a2, "Salt on her lips.", &error));
  g_assert_true (loom_scene_set_status (a2, LOOM_SCENE_STATUS_ERROR, "It failed", &error));
  sql = g_strdup_printf ("INSERT INTO scene_revisions (scene_id, prose, origin, model, created_at)"
                         " VALUES (%" G_GINT64_FORMAT ", 'older', 'generation', 'm', 1)", a2_id);
  test_sql_exec (f->path, sql);
  mara = loom_store_add_character (f->store, story, "Mara", "stubborn", "salt-born", &error);
  ivo = loom_store_add_character (f->store, story, "Ivo", "kind", NULL, &error);
  loom_store_add_character (f->store, story, "Tess", "sly", NULL, &error);
  g_assert_no_error (error);
  dump_before = test_dump_library (f->path);

  scene_deletion = loom_store_delete_scene (f->store, a2, &error);
  g_assert_no_error (error);
  assert_order (f, story, "A:A1,A3|B:B1,B2");
  g_assert_null (loom_store_lookup_scene (f->store, a2_id));
  {
    g_autofree char *revisions = test_sql_value (f->path, "SELECT count(*) FROM scene_revisions");
    g_assert_cmpstr (revisions, ==, "0");
  }
  g_assert_true (loom_store_undo_deletion (f->store, scene_deletion, &error));
  assert_order (f, story, "A:A1,A2,A3|B:B1,B2");
  g_assert_true (loom_store_lookup_scene (f->store, a2_id) == a2);
  g_assert_cmpint (loom_scene_get_status (a2), ==, LOOM_SCENE_STATUS_ERROR);
  /* Once is enough. */
  g_assert_false (loom_store_undo_deletion (f->store, scene_deletion, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  chapter_deletion = loom_store_delete_chapter (f->store, a, &error);
  g_assert_no_error (error);
  assert_order (f, story, "B:B1,B2");
  g_assert_cmpuint (loom_story_get_scene_count (story), ==, 2);
  g_assert_true (loom_store_undo_deletion (f->store, chapter_deletion, &error));
  assert_order (f, story, "A:A1,A2,A3|B:B1,B2");
  g_assert_cmpuint (loom_story_get_scene_count (story), ==, 5);

  character_deletion = loom_store_delete_character (f->store, ivo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_characters (story)), ==, 2);
  g_assert_true (loom_store_undo_deletion (f->store, character_deletion, &error));
  {
    g_autoptr(LoomCharacter) second = g_list_model_get_item (loom_story_get_characters (story), 1);
    g_assert_true (second == ivo);
  }
  (void) mara;

  dump_after = test_dump_library (f->path);
  g_assert_cmpstr (dump_before, ==, dump_after);
}

static void
test_word_counts (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, (guint[]) { 2, 1 }, 2);
  LoomChapter *a = chapter_at (story, 0);
  LoomChapter *b = chapter_at (story, 1);
  gint64 id = loom_story_get_id (story);
  g_autoptr(LoomDeletion) deletion = NULL;

  g_assert_true (loom_scene_set_prose (scene_at (a, 0), "One two three.", &error));
  g_assert_true (loom_scene_set_prose (scene_at (a, 1), "Don't stop — well-known café, 1984 …",
                                       &error));
  g_assert_true (loom_scene_set_prose (scene_at (b, 0), "  Four\n\nfive  ", &error));
  g_assert_cmpuint (loom_scene_get_word_count (scene_at (a, 0)), ==, 3);
  g_assert_cmpuint (loom_scene_get_word_count (scene_at (a, 1)), ==, 5);
  g_assert_cmpuint (loom_chapter_get_word_count (a), ==, 8);
  g_assert_cmpuint (loom_chapter_get_word_count (b), ==, 2);
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 10);

  g_assert_true (loom_store_move_scene (f->store, scene_at (a, 0), b, 0, &error));
  g_assert_cmpuint (loom_chapter_get_word_count (a), ==, 5);
  g_assert_cmpuint (loom_chapter_get_word_count (b), ==, 5);
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 10);

  deletion = loom_store_delete_scene (f->store, scene_at (a, 0), &error);
  g_assert_cmpuint (loom_chapter_get_word_count (a), ==, 0);
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 5);
  g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 10);

  /* Reopened, the totals come from the stored counts without reading any prose. */
  reopen (f);
  story = loom_store_lookup_story (f->store, id);
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 10);
  g_assert_cmpuint (loom_story_get_scene_count (story), ==, 3);
  g_assert_cmpuint (loom_story_get_chapter_count (story), ==, 2);
  g_assert_cmpuint (loom_chapter_get_word_count (chapter_at (story, 1)), ==, 5);
}

/* A scene is named by the first line of its outline: renaming it changes that line only, and
 * the name is what the library holds after a restart. */
static void
test_scene_title (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = loom_store_create_story (f->store, "Tides", "", "", &error);
  LoomChapter *chapter = loom_store_add_chapter (f->store, story, LOOM_POSITION_END, "One",
                                                 &error);
  LoomScene *scene = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END, "", &error);
  gint64 id = loom_scene_get_id (scene);
  g_autofree char *empty = loom_scene_dup_title (scene);
  g_autofree char *first = NULL;

  g_assert_no_error (error);
  g_assert_null (empty);

  g_assert_true (loom_scene_set_outline (scene, "\n  The harbour at dawn.  \nShe counts boats.\n",
                                         &error));
  first = loom_scene_dup_title (scene);
  g_assert_cmpstr (first, ==, "The harbour at dawn.");

  g_assert_true (loom_scene_set_title (scene, " Low\ntide ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (loom_scene_get_outline (scene), ==, "Low tide\nShe counts boats.\n");

  /* An outline of one line is all name. */
  g_assert_true (loom_scene_set_outline (scene, "Only this", &error));
  g_assert_true (loom_scene_set_title (scene, "Just that", &error));
  g_assert_cmpstr (loom_scene_get_outline (scene), ==, "Just that");

  reopen (f);
  scene = loom_store_lookup_scene (f->store, id);
  g_assert_nonnull (scene);
  g_assert_cmpstr (loom_scene_get_outline (scene), ==, "Just that");
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--hold-lock"))
    return hold_lock (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open/creates-library", test_open_creates_library);
  g_test_add_func ("/store/open/resolve-path", test_resolve_path);
  g_test_add_func ("/store/open/refuses-not-sqlite", test_refuses_not_sqlite);
  g_test_add_func ("/store/open/refuses-other-database", test_refuses_other_database);
  g_test_add_func ("/store/open/refuses-newer-version", test_refuses_newer_version);
  g_test_add_func ("/store/open/refuses-read-only", test_refuses_read_only);
  g_test_add_func ("/store/open/refuses-locked", test_refuses_locked);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/write/failed-write-changes-nothing", test_failed_write_changes_nothing);
  ADD ("/store/write/blank-titles-refused", test_blank_titles_refused);
  ADD ("/store/write/unicode-and-10mb-prose", test_unicode_and_large_prose);
  ADD ("/store/rules/numbering-after-edits", test_numbering_after_edits);
  ADD ("/store/rules/scene-stays-in-its-story", test_scene_stays_in_its_story);
  ADD ("/store/rules/foreign-keys-cascade", test_foreign_keys_cascade);
  ADD ("/store/rules/interrupted-generation", test_interrupted_generation_recovered);
  ADD ("/store/model/identity-map", test_identity_map);
  ADD ("/store/model/notifications", test_notifications);
  ADD ("/store/model/getters-do-no-io", test_getters_do_no_io);
  ADD ("/store/model/items-changed-exact", test_items_changed_exact);
  ADD ("/store/model/undo-deletions", test_undo_deletions);
  ADD ("/store/model/word-counts", test_word_counts);
  ADD ("/store/model/scene-title", test_scene_title);
#undef ADD

  return g_test_run ();
}
