/* test-crash.c: a writer killed at random moments never damages the library or loses a
 * write that had returned success.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-crash"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

#define KILLS 25

static char *
prose_for (gint64 id)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < 40; i++)
    g_string_append_printf (s, "Scene %" G_GINT64_FORMAT " line %d, written before the kill. ",
                            id, i);
  return g_string_free (s, FALSE);
}

static void
report (const char *line)
{
  /* One write(2) per line: shorter than PIPE_BUF, so a line is never torn by the kill. */
  if (write (STDOUT_FILENO, line, strlen (line)) < 0)
    _exit (3);
}

static int
run_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  LoomStory *story;
  LoomChapter *chapter;

  if (store == NULL)
    {
      g_printerr ("writer: %s\n", error->message);
      return 2;
    }

  story = loom_store_lookup_story (store, 1);
  if (story == NULL)
    story = loom_store_create_story (store, "Crash test", NULL, NULL, &error);
  if (story != NULL && g_list_model_get_n_items (loom_story_get_chapters (story)) == 0)
    loom_store_add_chapter (store, story, 0, "Only", &error);
  if (error != NULL)
    {
      g_printerr ("writer: %s\n", error->message);
      return 2;
    }
  chapter = g_list_model_get_item (loom_story_get_chapters (story), 0);
  g_object_unref (chapter);

  for (guint n = 0;; n++)
    {
      g_autofree char *line = NULL;
      LoomScene *scene;

      scene = loom_store_add_scene (store, chapter, n % 3 == 0 ? 0 : LOOM_POSITION_END,
                                    "A scene written under fire", &error);
      if (scene == NULL)
        {
          g_printerr ("writer: %s\n", error->message);
          return 2;
        }
      line = g_strdup_printf ("S %" G_GINT64_FORMAT "\n", loom_scene_get_id (scene));
      report (line);

      if (n % 2 == 0)
        {
          g_autofree char *prose = prose_for (loom_scene_get_id (scene));
          g_autofree char *done = NULL;

          if (!loom_scene_set_prose (scene, prose, &error))
            {
              g_printerr ("writer: %s\n", error->message);
              return 2;
            }
          done = g_strdup_printf ("P %" G_GINT64_FORMAT "\n", loom_scene_get_id (scene));
          report (done);
        }
    }
}

static void
read_available (int      fd,
                GString *out,
                int      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      int remaining = timeout_ms < 0 ? -1 : (int) ((end - g_get_monotonic_time ()) / 1000);
      char buf[4096];
      ssize_t n;

      if (timeout_ms >= 0 && remaining <= 0)
        return;
      if (poll (&pfd, 1, remaining) <= 0)
        return;
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        return;
      g_string_append_len (out, buf, n);
    }
}

static void
verify (const char *path,
        const char *reported)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_auto(GStrv) lines = g_strsplit (reported, "\n", -1);
  g_autofree char *integrity = NULL;
  guint checked = 0;

  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  integrity = test_sql_value (path, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gint64 id;
      LoomScene *scene;

      if (lines[i][0] == '\0')
        continue;
      id = g_ascii_strtoll (lines[i] + 2, NULL, 10);
      scene = loom_store_lookup_scene (store, id);
      g_assert_nonnull (scene);
      if (lines[i][0] == 'P')
        {
          g_autofree char *expected = prose_for (id);
          g_assert_cmpstr (test_scene_prose (scene), ==, expected);
        }
      checked++;
    }
  g_test_message ("%u reported writes found after the kill", checked);

  /* Numbering survived too. */
  {
    g_autofree char *gaps = test_sql_value (
      path, "SELECT count(*) FROM scenes s WHERE s.scene_number >"
            " (SELECT count(*) FROM scenes t WHERE t.chapter_id = s.chapter_id)");
    g_assert_cmpstr (gaps, ==, "0");
  }
}

static void
test_kill_writer (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storyloom-crash-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GString) all = g_string_new (NULL);

  for (int kill_no = 0; kill_no < KILLS; kill_no++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) got = g_string_new (NULL);
      const char *argv[] = { self, "--writer", path, NULL };
      GPid pid;
      int out_fd;
      int status;

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);

      read_available (out_fd, got, g_test_rand_int_range (30, 250));
      kill (pid, SIGKILL);
      read_available (out_fd, got, -1);
      close (out_fd);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));

      g_string_append (all, got->str);
      verify (path, all->str);
    }

  test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/crash/kill-writer", test_kill_writer);
  return g_test_run ();
}
