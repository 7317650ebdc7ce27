/* test-cli.c: storyloom-cli as other tools use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "loom-backup.h"
#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "test-util.h"

#define TEST_NOW "2026-03-14T12:00:00"

static GDateTime *
test_now (void)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  return g_date_time_new_from_iso8601 (TEST_NOW, local);
}

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("storyloom-cli-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "library.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  test_remove_tree (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

/* Runs the CLI on the fixture's library (through STORYLOOM_DB) with @input on stdin. */
static void
cli (Fixture    *f,
     Result     *r,
     const char *input,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli_path = g_getenv ("STORYLOOM_CLI");
  const char *arg;
  va_list args;

  g_assert_nonnull (cli_path);
  g_ptr_array_add (argv, (gpointer) cli_path);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "STORYLOOM_DB", f->db, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
}

static gint64
cli_id (Fixture *f,
        ...)
{
  g_auto(Result) r = { 0 };
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  const char *arg;
  va_list args;

  va_start (args, f);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (words, (gpointer) arg);
  va_end (args);
  while (words->len < 8)
    g_ptr_array_add (words, NULL);

  cli (f, &r, NULL, words->pdata[0], words->pdata[1], words->pdata[2], words->pdata[3],
       words->pdata[4], words->pdata[5], words->pdata[6], NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  return g_ascii_strtoll (r.out, NULL, 10);
}

/* Sets scene @scene's prose to @prose through stdin, as a script pipes it in. */
static void
cli_set_prose (Fixture    *f,
               const char *scene,
               const char *prose)
{
  g_auto(Result) r = { 0 };

  cli (f, &r, prose, "scene", "set", scene, "--prose-file", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
}

/* Story 1, @story, with chapter 1, @chapter, holding scene 1 with the outline @scene and, unless
 * NULL, the prose @prose: the library most tests start from. */
static void
cli_story_with_scene (Fixture    *f,
                      const char *story,
                      const char *chapter,
                      const char *scene,
                      const char *prose)
{
  cli_id (f, "story", "new", story, NULL);
  cli_id (f, "chapter", "add", "1", chapter, NULL);
  cli_id (f, "scene", "add", "1", scene, NULL);
  if (prose != NULL)
    cli_set_prose (f, "1", prose);
}

static void
test_build_and_show (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Result) list = { 0 };
  g_auto(Result) show = { 0 };
  g_auto(Result) move = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 story, ch1, ch2, s1, s2, s3, mara;
  JsonObject *root, *scene;
  JsonArray *chapters, *scenes;

  story = cli_id (f, "story", "new", "The Salt Road", "--premise", "A caravan crosses.", NULL);
  g_assert_cmpint (story, >, 0);
  ch1 = cli_id (f, "chapter", "add", "1", "Departure", NULL);
  ch2 = cli_id (f, "chapter", "add", "1", "Storm", NULL);
  s1 = cli_id (f, "scene", "add", "1", "Mara packs", NULL);
  s2 = cli_id (f, "scene", "add", "1", "The gate", NULL);
  s3 = cli_id (f, "scene", "add", "2", "Sand", NULL);
  mara = cli_id (f, "character", "add", "1", "Mara", "--traits", "stubborn", NULL);
  g_assert_cmpint (mara, >, 0);

  cli_set_prose (f, "1", "Zoë’s bells rang.\nTwice.");
  cli (f, &move, NULL, "scene", "move", "3", "1", "1", NULL);
  g_assert_cmpint (move.status, ==, 0);

  cli (f, &list, NULL, "story", "list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpstr (list.out, ==, "1\tThe Salt Road\t2\t3\t4\n");

  cli (f, &show, NULL, "show", "1", "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  json_parser_load_from_data (parser, show.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "id"), ==, story);
  g_assert_cmpstr (json_object_get_string_member (root, "title"), ==, "The Salt Road");
  g_assert_cmpstr (json_object_get_string_member (root, "premise"), ==, "A caravan crosses.");
  g_assert_true (json_object_has_member (root, "created_at"));
  chapters = json_object_get_array_member (root, "chapters");
  g_assert_cmpuint (json_array_get_length (chapters), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (chapters, 0), "id"),
                   ==, ch1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (chapters, 1), "id"),
                   ==, ch2);
  scenes = json_object_get_array_member (json_array_get_object_element (chapters, 0), "scenes");
  g_assert_cmpuint (json_array_get_length (scenes), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (scenes, 0), "id"),
                   ==, s3);
  scene = json_array_get_object_element (scenes, 1);
  g_assert_cmpint (json_object_get_int_member (scene, "id"), ==, s1);
  g_assert_cmpint (json_object_get_int_member (scene, "number"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (scene, "prose"), ==, "Zoë’s bells rang.\nTwice.");
  g_assert_cmpstr (json_object_get_string_member (scene, "status"), ==, "draft");
  g_assert_true (json_object_get_null_member (scene, "error_message"));
  g_assert_cmpint (json_object_get_int_member (scene, "regeneration_count"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (scene, "words"), ==, 4);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (scenes, 2),
                                              "prose"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (scenes, 2), "id"),
                   ==, s2);
  {
    JsonObject *character = json_array_get_object_element (
      json_object_get_array_member (root, "characters"), 0);
    g_assert_cmpstr (json_object_get_string_member (character, "name"), ==, "Mara");
    g_assert_cmpstr (json_object_get_string_member (character, "traits"), ==, "stubborn");
    g_assert_true (json_object_get_null_member (character, "backstory"));
  }

  /* The text form counts words in English, "1 word" not "1 words" (ngettext, issue 14). */
  {
    g_auto(Result) one = { 0 };
    g_auto(Result) text = { 0 };

    cli (f, &one, "Sand.", "scene", "set", "3", "--prose-file", "-", NULL);
    g_assert_cmpint (one.status, ==, 0);
    cli (f, &text, NULL, "show", "1", NULL);
    g_assert_cmpint (text.status, ==, 0);
    g_assert_nonnull (strstr (text.out, "Chapter 1: Departure (5 words)\n"));
    g_assert_nonnull (strstr (text.out, "Scene 1 [draft, 1 word]: Sand\n"));
    g_assert_nonnull (strstr (text.out, "Scene 2 [draft, 4 words]: Mara packs\n"));
    g_assert_nonnull (strstr (text.out, "Chapter 2: Storm (0 words)\n"));
  }
}

static void
test_errors_and_exit_codes (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *junk = g_build_filename (f->dir, "junk.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  struct { const char *args[6]; int status; const char *phrase; } cases[] = {
    { { "story", "new", "   " }, 1, "title" },
    { { "chapter", "add", "99", "Lost" }, 1, "no story with id 99" },
    { { "scene", "move", "5", "1", "1" }, 1, "no scene with id 5" },
    { { "chapter", "move", "x", "1" }, 2, "Usage" },
    { { "scene", "set", "1" }, 2, "Usage" },
    { { "frobnicate" }, 2, "Unknown command" },
    { { "story", "new", "T", "--colour", "red" }, 2, "Unknown" },
  };

  cli_id (f, "story", "new", "Exists", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) r = { 0 };
      const char **a = cases[i].args;

      cli (f, &r, NULL, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
      g_test_message ("case %u: %s", i, r.err);
      g_assert_cmpint (r.status, ==, cases[i].status);
      g_assert_nonnull (strstr (r.err, cases[i].phrase));
      g_assert_cmpuint (strchr (r.err, '\n') - r.err + 1, ==, strlen (r.err)); /* one line */
    }

  /* --db wins over STORYLOOM_DB; a file that is not a library is refused and untouched. */
  g_assert_true (g_file_set_contents (junk, "not a database, just words\n", -1, NULL));
  before = test_checksum (junk);
  {
    g_auto(Result) r = { 0 };
    cli (f, &r, NULL, "--db", junk, "story", "list", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "not a database"));
  }
  after = test_checksum (junk);
  g_assert_cmpstr (before, ==, after);
}

/* What `story delete` removes waits in the trash; each command runs in a process of its own,
 * so the trash is read back from the library every time. */
static void
test_trash (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Result) del = { 0 };
  g_auto(Result) list = { 0 };
  g_auto(Result) restore = { 0 };
  g_auto(Result) stories = { 0 };
  g_auto(Result) again = { 0 };
  g_auto(Result) empty = { 0 };
  g_auto(Result) listed_empty = { 0 };
  g_auto(Result) gone = { 0 };
  g_auto(Result) usage = { 0 };

  cli_story_with_scene (f, "The Salt Road", "Departure", "Mara packs", NULL);

  cli (f, &del, NULL, "story", "delete", "1", NULL);
  g_assert_cmpint (del.status, ==, 0);
  cli (f, &list, NULL, "trash", "list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (g_str_has_prefix (list.out, "1\tstory\tThe Salt Road\tThe Salt Road\t"));
  g_assert_true (g_str_has_suffix (list.out, "\t1 chapter · 1 scene · 0 words\n"));

  cli (f, &restore, NULL, "trash", "restore", "1", NULL);
  g_assert_cmpint (restore.status, ==, 0);
  cli (f, &stories, NULL, "story", "list", NULL);
  g_assert_cmpstr (stories.out, ==, "1\tThe Salt Road\t1\t1\t0\n");

  cli (f, &again, NULL, "story", "delete", "1", NULL);
  g_assert_cmpint (again.status, ==, 0);
  cli (f, &empty, NULL, "trash", "empty", NULL);
  g_assert_cmpint (empty.status, ==, 0);
  cli (f, &listed_empty, NULL, "trash", "list", NULL);
  g_assert_cmpstr (listed_empty.out, ==, "");
  cli (f, &gone, NULL, "trash", "restore", "2", NULL);
  g_assert_cmpint (gone.status, ==, 1);
  g_assert_nonnull (strstr (gone.err, "no longer in the Trash"));
  cli (f, &usage, NULL, "trash", "restore", "two", NULL);
  g_assert_cmpint (usage.status, ==, 2);
}


/* A scene's history from the command line: the list says who wrote each text and when, `show`
 * prints it whole, and `restore` brings it back keeping the replaced prose as a revision. */
static void
test_revisions (Fixture       *f,
                gconstpointer  data)
{
  static const char partial[] = "The caravan left at dawn,\nbells ringing.";
  g_autoptr(GError) error = NULL;
  g_auto(Result) list = { 0 };
  g_auto(Result) json = { 0 };
  g_auto(Result) show = { 0 };
  g_auto(Result) restore = { 0 };
  g_auto(Result) after = { 0 };
  g_auto(Result) story = { 0 };
  g_auto(Result) missing = { 0 };
  g_auto(Result) no_scene = { 0 };
  g_auto(Result) usage = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *first;

  cli_story_with_scene (f, "The Salt Road", "Departure", "Mara packs",
                        "Mara wrote this herself.");
  {
    g_autoptr(LoomStore) store = loom_store_open (f->db, &error);

    g_assert_no_error (error);
    g_assert_true (loom_store_add_revision (store, loom_store_lookup_scene (store, 1), partial,
                                            LOOM_REVISION_PARTIAL, "mock/storyteller", &error));
    g_assert_no_error (error);
  }

  cli (f, &list, NULL, "revisions", "1", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (g_str_has_prefix (list.out, "1\t"));
  g_assert_true (g_str_has_suffix (list.out, "\tpartial\tmock/storyteller\t7\tpartial\n"));
  g_assert_cmpuint (strlen (list.out), ==, strcspn (list.out, "\n") + 1);

  cli (f, &json, NULL, "revisions", "1", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  json_parser_load_from_data (parser, json.out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, 1);
  first = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpint (json_object_get_int_member (first, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "author"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (first, "model"), ==, "mock/storyteller");
  g_assert_cmpint (json_object_get_int_member (first, "words"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (first, "written_at"), >, 0);

  cli (f, &show, NULL, "revision", "show", "1", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpstr (show.out, ==, partial);

  cli (f, &restore, NULL, "revision", "restore", "1", NULL);
  g_assert_cmpint (restore.status, ==, 0);
  g_assert_cmpstr (restore.err, ==, "");
  cli (f, &story, NULL, "show", "1", "--json", NULL);
  g_assert_nonnull (strstr (story.out, "\"The caravan left at dawn,\\nbells ringing.\""));
  /* the writer's words it replaced are the newest revision, still the writer's */
  cli (f, &after, NULL, "revisions", "1", NULL);
  g_assert_true (g_str_has_prefix (after.out, "2\t"));
  g_assert_nonnull (strstr (after.out, "\twriter\t-\t4\trestore\n1\t"));

  cli (f, &missing, NULL, "revision", "show", "42", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no revision with id 42"));
  cli (f, &no_scene, NULL, "revisions", "7", NULL);
  g_assert_cmpint (no_scene.status, ==, 1);
  g_assert_nonnull (strstr (no_scene.err, "no scene with id 7"));
  cli (f, &usage, NULL, "revision", "drop", "1", NULL);
  g_assert_cmpint (usage.status, ==, 2);
}

/* ---------------------------------------------------------------------------------------- */
/* Issue 10: NUL bytes and a locked library                                                  */

static void
test_nul_bytes (Fixture       *f,
                gconstpointer  data)
{
  static const char with_nul[] = "The first half.\0The second half, which must not be lost.\n";
  g_autofree char *prose = g_build_filename (f->dir, "prose.txt", NULL);
  g_autofree char *import = g_build_filename (f->dir, "import.md", NULL);
  g_autofree char *story = NULL;
  g_autofree char *chapter = NULL;
  g_autofree char *scene = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  story = g_strdup_printf ("%" G_GINT64_FORMAT, cli_id (f, "story", "new", "Nul", NULL));
  chapter = g_strdup_printf ("%" G_GINT64_FORMAT, cli_id (f, "chapter", "add", story, "One",
                                                          NULL));
  scene = g_strdup_printf ("%" G_GINT64_FORMAT, cli_id (f, "scene", "add", chapter, "Outline",
                                                        NULL));
  {
    g_auto(Result) r = { 0 };

    cli (f, &r, "Earlier prose.\n", "scene", "set", scene, "--prose-file", "-", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  before = test_dump_library (f->db);

  g_assert_true (g_file_set_contents (prose, with_nul, sizeof with_nul - 1, NULL));
  g_assert_true (g_file_set_contents (import, with_nul, sizeof with_nul - 1, NULL));
  {
    g_auto(Result) r = { 0 };

    cli (f, &r, NULL, "scene", "set", scene, "--prose-file", prose, NULL);
    g_test_message ("%s", r.err);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "NUL byte (at byte 16)"));
    g_assert_nonnull (strstr (r.err, "prose.txt"));
  }
  {
    g_auto(Result) r = { 0 };

    cli (f, &r, NULL, "import", import, NULL);
    g_test_message ("%s", r.err);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "NUL byte on line 1"));
  }

  after = test_dump_library (f->db);
  g_assert_cmpstr (after, ==, before);
}

/* The other program of test_locked_library(): holds a write transaction on @path until its
 * standard input closes. */
static int
hold_write_lock (const char *path)
{
  sqlite3 *db = NULL;
  char buffer[64];

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_printerr ("could not lock %s: %s\n", path, sqlite3_errmsg (db));
      return 1;
    }
  g_print ("locked\n");
  fflush (stdout);
  while (fread (buffer, 1, sizeof buffer, stdin) > 0)
    ;
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  return 0;
}

static void
test_locked_library (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(GDataInputStream) holder_out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *story = NULL;
  g_autofree char *chapter = NULL;
  g_autofree char *export = g_build_filename (f->dir, "story.md", NULL);
  g_autofree char *text = NULL;
  gint64 id;

  id = cli_id (f, "story", "new", "Held Fast", NULL);
  story = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  chapter = g_strdup_printf ("%" G_GINT64_FORMAT, cli_id (f, "chapter", "add", story, "One",
                                                          NULL));
  cli_id (f, "scene", "add", chapter, "A scene whose generation was cut short", NULL);
  /* A program that died mid-generation: the next open wants to recover, which writes. */
  test_sql_exec (f->db, "UPDATE scenes SET status = 'generating', prose = 'Kept words.'");

  holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, "/proc/self/exe", "--hold-write-lock", f->db, NULL);
  g_assert_no_error (error);
  holder_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
  line = g_data_input_stream_read_line (holder_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "locked");

  /* Reading works while the other program writes. */
  {
    g_auto(Result) r = { 0 };

    cli (f, &r, NULL, "story", "list", NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Held Fast"));
  }
  {
    g_auto(Result) r = { 0 };

    cli (f, &r, NULL, "show", story, NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Kept words."));
  }
  {
    g_auto(Result) r = { 0 };

    cli (f, &r, NULL, "export", story, "--format", "md", "-o", export, NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (export, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "Kept words."));
  }

  /* Writing waits a while, then says why it could not. */
  {
    g_auto(Result) r = { 0 };

    cli (f, &r, NULL, "story", "new", "Not Now", NULL);
    g_test_message ("%s", r.err);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "in use by another program"));
    g_assert_null (strstr (r.err, "recovering"));
  }

  g_output_stream_close (g_subprocess_get_stdin_pipe (holder), NULL, NULL);
  g_subprocess_wait_check (holder, NULL, &error);
  g_assert_no_error (error);

  /* Once it is free the write goes through, and the interrupted scene is recovered. */
  cli_id (f, "story", "new", "Now", NULL);
  {
    g_autofree char *status = test_sql_value (f->db, "SELECT status FROM scenes");

    g_assert_cmpstr (status, ==, "error");
  }
}

/* A library with a damaged page is refused whole, naming the intact backup and the command
 * that restores it; restore-backup keeps the damaged file beside the library. */
static void
test_damaged_library (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 12, 1, 9, 0, 0);
  g_autofree char *backup = NULL;
  g_autofree char *backup_name = NULL;
  g_autofree char *story = NULL;
  g_autofree char *export = g_build_filename (f->dir, "story.md", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) dir = NULL;
  gsize length;
  gboolean kept = FALSE;

  story = g_strdup_printf ("%" G_GINT64_FORMAT, cli_id (f, "story", "new", "Sixty Scenes",
                                                        NULL));
  for (guint c = 0; c < 2; c++)
    {
      g_autofree char *chapter = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  cli_id (f, "chapter", "add", story, "Ch",
                                                          NULL));
      for (guint s = 0; s < 3; s++)
        {
          g_autofree char *scene = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    cli_id (f, "scene", "add", chapter, "S",
                                                            NULL));
          g_autoptr(GString) prose = g_string_new (NULL);
          g_auto(Result) r = { 0 };

          for (guint w = 0; w < 800; w++)
            g_string_append_printf (prose, "word%u ", w * 7 + s);
          cli (f, &r, prose->str, "scene", "set", scene, "--prose-file", "-", NULL);
          g_assert_cmpint (r.status, ==, 0);
        }
    }
  loom_backup_run_if_due (f->db, day, &backup, NULL, &error);
  g_assert_no_error (error);
  backup_name = g_path_get_basename (backup);

  /* The b-tree header of the third page, which holds scenes. */
  g_file_get_contents (f->db, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 4 * 4096);
  for (guint i = 0; i < 8; i++)
    contents[2 * 4096 + i] ^= 0xff;
  g_file_set_contents (f->db, contents, length, &error);
  g_assert_no_error (error);
  before = test_checksum (f->db);

  {
    const char *commands[][6] = {
      { "story", "list" },
      { "show", story },
      { "export", story, "--format", "md", "-o", export },
      { "scene", "set", "1", "--outline", "Changed" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_auto(Result) r = { 0 };
        const char **a = commands[i];

        cli (f, &r, NULL, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
        g_test_message ("%s: %s", a[0], r.err);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_cmpstr (r.out, ==, "");
        g_assert_nonnull (strstr (r.err, "is damaged"));
        g_assert_nonnull (strstr (r.err, backup_name));
        g_assert_nonnull (strstr (r.err, "storyloom-cli restore-backup"));
        g_assert_cmpuint (strchr (r.err, '\n') - r.err + 1, ==, strlen (r.err));
      }
  }
  g_assert_false (g_file_test (export, G_FILE_TEST_EXISTS));
  after = test_checksum (f->db);
  g_assert_cmpstr (after, ==, before);

  {
    g_auto(Result) r = { 0 };

    cli (f, &r, NULL, "restore-backup", NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, backup_name));
  }
  {
    g_auto(Result) r = { 0 };

    cli (f, &r, NULL, "story", "list", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Sixty Scenes\t2\t6\t4800"));
  }
  {
    g_auto(Result) r = { 0 };

    /* Only a damaged library is replaced. */
    cli (f, &r, NULL, "restore-backup", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "not damaged"));
  }

  dir = g_dir_open (f->dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      if (g_str_has_prefix (name, "library.db.damaged-") && !g_str_has_suffix (name, "-wal"))
        {
          g_autofree char *path = g_build_filename (f->dir, name, NULL);
          g_autofree char *sum = test_checksum (path);

          g_assert_cmpstr (sum, ==, before);
          kept = TRUE;
        }
    }
  g_assert_true (kept);
}

/* `show` says which scenes are outdated: the generated scene whose character changed. */
static void
test_show_outdated (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Result) json = { 0 };
  g_auto(Result) text = { 0 };
  gint64 chapter, mara;
  JsonArray *scenes;

  cli_id (f, "story", "new", "Salt", NULL);
  chapter = cli_id (f, "chapter", "add", "1", "Departure", NULL);
  cli_id (f, "scene", "add", "1", "Mara leaves", NULL);
  cli_id (f, "scene", "add", "1", "The road", NULL);
  mara = cli_id (f, "character", "add", "1", "Mara", "--traits", "stubborn", NULL);
  {
    g_autoptr(LoomStore) store = loom_store_open (f->db, &error);
    LoomChapter *c = loom_store_lookup_chapter (store, chapter);
    g_autoptr(LoomScene) first = g_list_model_get_item (loom_chapter_get_scenes (c), 0);
    g_autoptr(LoomScene) second = g_list_model_get_item (loom_chapter_get_scenes (c), 1);
    LoomCharacter *character = loom_store_lookup_character (store, mara);
    g_autoptr(GPtrArray) included = g_ptr_array_new ();
    LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = "She left.",
                              .prompt_tokens = -1, .completion_tokens = -1, .cost = -1 };
    gint64 id;

    g_assert_no_error (error);
    g_ptr_array_add (included, character);
    end.inputs = loom_store_fingerprint_inputs (store, first, included, NULL, 400);
    id = loom_store_begin_generation (store, first, "m/one", NULL, &error);
    g_assert_true (loom_store_end_generation (store, first, id, &end, &error));
    g_clear_pointer (&end.inputs, g_array_unref);
    /* the second scene's prompt did not include her */
    end.prose = "The road was long.";
    end.inputs = loom_store_fingerprint_inputs (store, second, NULL, NULL, 400);
    id = loom_store_begin_generation (store, second, "m/one", NULL, &error);
    g_assert_true (loom_store_end_generation (store, second, id, &end, &error));
    g_clear_pointer (&end.inputs, g_array_unref);
    g_assert_true (loom_character_set_traits (character, "stubborn, afraid", &error));
    g_assert_no_error (error);
  }

  cli (f, &json, NULL, "show", "1", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  json_parser_load_from_data (parser, json.out, -1, &error);
  g_assert_no_error (error);
  scenes = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (
      json_node_get_object (json_parser_get_root (parser)), "chapters"), 0), "scenes");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (scenes, 0),
                                                 "outdated"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (scenes, 1),
                                                  "outdated"));

  cli (f, &text, NULL, "show", "1", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Scene 1 [complete, outdated, 2 words]: Mara leaves\n"));
  g_assert_nonnull (strstr (text.out, "Scene 2 [complete, 4 words]: The road\n"));
}

/* stats: one line per day, oldest first, today last, with what was written today; a scene
 * deleted takes its words out of the day's count (issue 17). */
static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Result) stats = { 0 };
  g_auto(Result) month = { 0 };
  g_auto(Result) after = { 0 };
  g_auto(Result) bad = { 0 };
  g_auto(Result) missing = { 0 };
  g_autoptr(GDateTime) now = test_now ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *today_text = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *yesterday_text = g_date_time_format (yesterday, "%Y-%m-%d");
  g_autofree char *expected = NULL;
  g_auto(GStrv) lines = NULL;

  cli_story_with_scene (f, "Tally", "One", "Kept", "Five words, typed by hand.");
  cli_id (f, "scene", "add", "1", "Cut", NULL);
  cli_set_prose (f, "2", "Three more words.");

  cli (f, &stats, NULL, "stats", "1", "--days", "2", NULL);
  g_assert_cmpint (stats.status, ==, 0);
  g_assert_cmpstr (stats.err, ==, "");
  expected = g_strdup_printf ("%s\t0\t0\n%s\t8\t0\n", yesterday_text, today_text);
  g_assert_cmpstr (stats.out, ==, expected);

  /* thirty days unless told */
  cli (f, &month, NULL, "stats", "1", NULL);
  g_assert_cmpint (month.status, ==, 0);
  lines = g_strsplit (month.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 31);

  /* the window deletes, beside the CLI */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomStore) store = loom_store_open (f->db, &error);
    g_autoptr(LoomDeletion) deletion = NULL;

    g_assert_no_error (error);
    deletion = loom_store_delete_scene (store, loom_store_lookup_scene (store, 2), &error);
    g_assert_no_error (error);
  }
  cli (f, &after, NULL, "stats", "1", "--days=1", NULL);
  g_assert_cmpint (after.status, ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s\t5\t0\n", today_text);
  g_assert_cmpstr (after.out, ==, expected);

  cli (f, &bad, NULL, "stats", "1", "--days", "0", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "stats STORY_ID [--days N]"));
  cli (f, &missing, NULL, "stats", "7", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no story with id 7"));
}

/* provenance: prose set by the command line is unknown, never the writer's; the three
 * formats; a bad call. */
static void
test_provenance (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Result) tabs = { 0 };
  g_auto(Result) json = { 0 };
  g_auto(Result) markdown = { 0 };
  g_auto(Result) bad = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  cli_story_with_scene (f, "Origins", "One", "Kept", "Five words, set from outside.");

  cli (f, &tabs, NULL, "provenance", "1", NULL);
  g_assert_cmpint (tabs.status, ==, 0);
  g_assert_cmpstr (tabs.err, ==, "");
  g_assert_cmpstr (tabs.out, ==, "chapter\t1\tOne\t0\t0\t0\t5\t0.000000\n"
                                 "total\t\t\t0\t0\t0\t5\t0.000000\n");

  cli (f, &json, NULL, "provenance", "1", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  json_parser_load_from_data (parser, json.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "writer"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "unknown"), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "chapters")),
                    ==, 1);

  cli (f, &markdown, NULL, "provenance", "1", "--markdown", NULL);
  g_assert_cmpint (markdown.status, ==, 0);
  g_assert_nonnull (strstr (markdown.out, "| Origin unknown | 5 | 100 % |"));

  cli (f, &bad, NULL, "provenance", "1", "--json", "--markdown", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "provenance STORY_ID"));
}

/* The story bible from the command line: entry add and list, show --json, prompt. */
static void
test_bible (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Result) list = { 0 };
  g_auto(Result) show = { 0 };
  g_auto(Result) prompt = { 0 };
  g_auto(Result) bad = { 0 };
  g_auto(Result) added = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  JsonArray *entries;
  JsonObject *mill;
  gint64 scene, mill_id, vow_id, mara;

  cli_story_with_scene (f, "Tide", "One", "Quiet", NULL);
  scene = cli_id (f, "scene", "add", "1", "Mara reaches the old mill", NULL);
  cli (f, &added, NULL, "character", "add", "1", "Mara", "--traits", "wry", "--aliases", "M",
       "--include", "mentioned", NULL);
  g_assert_cmpint (added.status, ==, 0);
  mara = g_ascii_strtoll (added.out, NULL, 10);
  g_clear_pointer (&added.out, g_free);
  g_clear_pointer (&added.err, g_free);
  cli (f, &added, NULL, "entry", "add", "1", "place", "The Mill", "--aliases", "Old Mill, Grinder",
       "--description", "Ruined.", NULL);
  g_assert_cmpint (added.status, ==, 0);
  mill_id = g_ascii_strtoll (added.out, NULL, 10);
  vow_id = cli_id (f, "entry", "add", "1", "lore", "The Vow", "--include", "never", NULL);
  g_assert_cmpint (mill_id, >, 0);

  cli (f, &list, NULL, "entry", "list", "1", NULL);
  g_assert_cmpint (list.status, ==, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT "\tcharacter\tMara\tM\tmentioned\twry\n"
                              "%" G_GINT64_FORMAT "\tplace\tThe Mill\tOld Mill, Grinder\t"
                              "mentioned\tRuined.\n"
                              "%" G_GINT64_FORMAT "\tlore\tThe Vow\t\tnever\t\n",
                              mara, mill_id, vow_id);
  g_assert_cmpstr (list.out, ==, expected);

  cli (f, &show, NULL, "show", "1", "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, show.out, -1, &error));
  entries = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  mill = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (mill, "kind"), ==, "place");
  g_assert_cmpstr (json_object_get_string_member (mill, "include"), ==, "mentioned");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (mill, "aliases"),
                                                  1), ==, "Grinder");

  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, scene);

    cli (f, &prompt, NULL, "prompt", id, NULL);
  }
  g_assert_cmpint (prompt.status, ==, 0);
  g_assert_nonnull (strstr (prompt.out, "place,The Mill,"));
  g_assert_null (strstr (prompt.out, "The Vow"));
  g_assert_nonnull (strstr (prompt.err, "From the story bible: The Mill (place)."));

  cli (f, &bad, NULL, "entry", "add", "1", "person", "Ann", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "place|object|group|lore"));
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* search: one tab-separated line per match in story order, the query searched as text
 * whatever it holds; --whole-word and --case narrow it (issue 17). */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Result) found = { 0 };
  g_auto(Result) whole = { 0 };
  g_auto(Result) cased = { 0 };
  g_auto(Result) syntax = { 0 };
  g_auto(Result) dash = { 0 };
  g_auto(Result) bad = { 0 };
  g_auto(Result) missing = { 0 };

  cli_story_with_scene (f, "Harbour", "One", "The boats come in", NULL);
  cli_id (f, "chapter", "add", "1", "Two", NULL);
  cli_id (f, "scene", "add", "2", "Night", NULL);
  cli_set_prose (f, "2", "Boats,\tboats and a boathouse.\n\"Don't\" -- she said.");

  cli (f, &found, NULL, "search", "1", "boat", NULL);
  g_assert_cmpint (found.status, ==, 0);
  g_assert_cmpstr (found.err, ==, "");
  g_assert_cmpstr (found.out, ==,
                   "1\t1\t1\tThe boats come in\n"
                   "2\t2\t1\tBoats, boats and a boathouse. \"Don't\" -- she…\n"
                   "2\t2\t1\tBoats, boats and a boathouse. \"Don't\" -- she said.\n"
                   "2\t2\t1\tBoats, boats and a boathouse. \"Don't\" -- she said.\n");

  cli (f, &whole, NULL, "search", "1", "boats", "--whole-word", NULL);
  g_assert_cmpint (whole.status, ==, 0);
  g_assert_cmpuint (count_lines (whole.out), ==, 3);
  cli (f, &cased, NULL, "search", "--case", "1", "Boats", NULL);
  g_assert_cmpint (cased.status, ==, 0);
  g_assert_cmpuint (count_lines (cased.out), ==, 1);
  g_assert_true (g_str_has_prefix (cased.out, "2\t2\t1\t"));

  cli (f, &syntax, NULL, "search", "1", "\"Don't\"", NULL);
  g_assert_cmpint (syntax.status, ==, 0);
  g_assert_cmpstr (syntax.err, ==, "");
  g_assert_cmpuint (count_lines (syntax.out), ==, 1);
  cli (f, &dash, NULL, "search", "1", "--", "-- she", NULL);
  g_assert_cmpint (dash.status, ==, 0);
  g_assert_cmpstr (dash.err, ==, "");
  g_assert_cmpuint (count_lines (dash.out), ==, 1);

  cli (f, &bad, NULL, "search", "1", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "search STORY_ID QUERY"));
  cli (f, &missing, NULL, "search", "7", "boat", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no story with id 7"));
}

/* replace: Replace All in the prose, one line per changed scene, each scene's prose kept as
 * a revision; outlines are left alone (issue 17). */
static void
test_replace (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Result) replaced = { 0 };
  g_auto(Result) prose = { 0 };
  g_auto(Result) outline = { 0 };
  g_auto(Result) revisions = { 0 };
  g_auto(Result) none = { 0 };
  g_auto(Result) dash = { 0 };
  g_auto(Result) bad = { 0 };

  cli_story_with_scene (f, "Harbour", "One", "The boats come in",
                        "Boats, boats and a boathouse.");

  cli (f, &replaced, NULL, "replace", "1", "boats", "ships", "--whole-word", NULL);
  g_assert_cmpint (replaced.status, ==, 0);
  g_assert_cmpstr (replaced.err, ==, "");
  g_assert_cmpstr (replaced.out, ==, "1\t2\n");
  cli (f, &prose, NULL, "search", "1", "ships", NULL);
  g_assert_cmpuint (count_lines (prose.out), ==, 2);
  cli (f, &outline, NULL, "search", "1", "boats", NULL);
  g_assert_cmpstr (outline.out, ==, "1\t1\t1\tThe boats come in\n");
  cli (f, &revisions, NULL, "revisions", "1", NULL);
  g_assert_cmpint (revisions.status, ==, 0);
  g_assert_cmpuint (count_lines (revisions.out), ==, 1);

  cli (f, &none, NULL, "replace", "1", "galleon", "ship", NULL);
  g_assert_cmpint (none.status, ==, 0);
  g_assert_cmpstr (none.out, ==, "");
  cli (f, &dash, NULL, "replace", "1", "--", "boathouse.", "-- shed", NULL);
  g_assert_cmpint (dash.status, ==, 0);
  g_assert_cmpstr (dash.out, ==, "1\t1\n");
  cli (f, &bad, NULL, "replace", "1", "boats", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "replace STORY_ID QUERY REPLACEMENT"));
}

/* goal sets what it is given and leaves the rest; it prints the goals and the figures. */
static void
test_goal (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Result) goal = { 0 };
  g_auto(Result) daily = { 0 };
  g_auto(Result) cleared = { 0 };
  g_auto(Result) bad_date = { 0 };
  g_auto(Result) bad_words = { 0 };
  g_auto(Result) missing = { 0 };

  cli_story_with_scene (f, "Goals", "One", "First", "Five words, typed by hand.");

  cli (f, &goal, NULL, "goal", "1", "--target", "1000", "--deadline", "2099-12-31",
       "--daily", "5", NULL);
  g_assert_cmpint (goal.status, ==, 0);
  g_assert_cmpstr (goal.err, ==, "");
  /* five words a day: the 995 left take 199 days, today the first */
  {
    g_autoptr(GDateTime) now = test_now ();
    g_autoptr(GDateTime) end = g_date_time_add_days (now, 198);
    g_autofree char *finish = g_date_time_format (end, "%Y-%m-%d");
    g_autofree char *expected = g_strdup_printf ("target\t1000\ndeadline\t2099-12-31\n"
                                                 "daily\t5\nwords\t5\ntoday\t5\n"
                                                 "streak\t1\nfinish\t%s\n", finish);

    g_assert_cmpstr (goal.out, ==, expected);
  }

  cli (f, &daily, NULL, "goal", "1", "--daily=10", NULL);
  g_assert_cmpint (daily.status, ==, 0);
  g_assert_nonnull (strstr (daily.out, "target\t1000\ndeadline\t2099-12-31\ndaily\t10\n"));
  g_assert_nonnull (strstr (daily.out, "streak\t0\n"));

  cli (f, &cleared, NULL, "goal", "1", "--deadline", "none", "--target", "0", NULL);
  g_assert_cmpint (cleared.status, ==, 0);
  g_assert_nonnull (strstr (cleared.out, "target\t0\ndeadline\t\ndaily\t10\n"));
  g_assert_nonnull (strstr (cleared.out, "finish\t\n"));

  cli (f, &bad_date, NULL, "goal", "1", "--deadline", "31/12/2099", NULL);
  g_assert_cmpint (bad_date.status, ==, 1);
  g_assert_nonnull (strstr (bad_date.err, "“31/12/2099” is not a date"));
  cli (f, &bad_words, NULL, "goal", "1", "--daily", "many", NULL);
  g_assert_cmpint (bad_words.status, ==, 2);
  g_assert_nonnull (strstr (bad_words.err, "goal STORY_ID"));
  cli (f, &missing, NULL, "goal", "7", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no story with id 7"));
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--hold-write-lock"))
    return hold_write_lock (argv[2]);

  /* Every store, the CLI's included, counts words on this day: the word log's tests do not
   * depend on the day they run, and midnight does not pass in the middle of one. */
  g_setenv ("STORYLOOM_TEST_NOW", TEST_NOW, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/provenance", Fixture, NULL, fixture_setup, test_provenance,
              fixture_teardown);
  g_test_add ("/cli/trash", Fixture, NULL, fixture_setup, test_trash, fixture_teardown);
  g_test_add ("/cli/revisions", Fixture, NULL, fixture_setup, test_revisions, fixture_teardown);
  g_test_add ("/cli/damaged-library", Fixture, NULL, fixture_setup, test_damaged_library,
              fixture_teardown);
  g_test_add ("/cli/nul-bytes", Fixture, NULL, fixture_setup, test_nul_bytes, fixture_teardown);
  g_test_add ("/cli/locked-library", Fixture, NULL, fixture_setup, test_locked_library,
              fixture_teardown);
  g_test_add ("/cli/show-outdated", Fixture, NULL, fixture_setup, test_show_outdated,
              fixture_teardown);
  g_test_add ("/cli/build-and-show", Fixture, NULL, fixture_setup, test_build_and_show,
              fixture_teardown);
  g_test_add ("/cli/stats", Fixture, NULL, fixture_setup, test_stats, fixture_teardown);
  g_test_add ("/cli/bible", Fixture, NULL, fixture_setup, test_bible, fixture_teardown);
  g_test_add ("/cli/goal", Fixture, NULL, fixture_setup, test_goal, fixture_teardown);
  g_test_add ("/cli/search", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
  g_test_add ("/cli/replace", Fixture, NULL, fixture_setup, test_replace, fixture_teardown);
  g_test_add ("/cli/errors-and-exit-codes", Fixture, NULL, fixture_setup,
              test_errors_and_exit_codes, fixture_teardown);
  return g_test_run ();
}
