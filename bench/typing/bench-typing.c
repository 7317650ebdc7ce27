/* bench-typing.c: typing into a 30,000-word scene, autosave included (issue 10)
 *
 * Shows the scene editor in a window with one scene of 30,000 words and types into its prose
 * as a fast writer would: one character every 10 ms, without a pause, for 6 seconds, then
 * waits for the editor to save what is left. Each keystroke is inserted the way a key press
 * ends up in the buffer (at the cursor, interactively), and the main loop then runs until it
 * is idle again. Prints:
 *   key-median-ms N   the median time from a keystroke to an idle main loop
 *   key-max-ms N      the longest of them (a save inside the typing shows here)
 *   cpu-ms N          the main thread's CPU time for the whole run, saves included
 *   saves N           how many times the prose was written while typing
 * Run under a display: xvfb-run -a ./build/bench/typing/bench-typing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <time.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-scene-editor.h"
#include "loom-story.h"

#define N_KEYS       600
#define KEY_GAP_MS   10
#define SCENE_WORDS  30000

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_ms (guint ms)
{
  double until = bench_now_ms () + ms;

  while (bench_now_ms () < until)
    {
      g_usleep (500);
      drain ();
    }
}

static void
count_save (guint *saves)
{
  (*saves)++;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prose = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomChapter) chapter = NULL;
  g_autofree double *keys = g_new0 (double, N_KEYS);
  LoomSceneEditor *editor;
  GtkTextBuffer *buffer;
  GtkWidget *window;
  LoomStory *story;
  LoomScene *scene;
  GtkTextIter end;
  guint saves = 0;
  double cpu;
  double max = 0;

  gtk_init ();
  adw_init ();

  dir = g_dir_make_tmp ("bench-typing-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "library.db", NULL);
  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  story = loom_store_create_story (store, "Typing", NULL, NULL, &error);
  g_assert_no_error (error);
  chapter = g_object_ref (loom_store_add_chapter (store, story, 0, "One", &error));
  g_assert_no_error (error);
  scene = loom_store_add_scene (store, chapter, 0, "A long scene", &error);
  g_assert_no_error (error);
  prose = bench_make_prose (7, SCENE_WORDS);
  loom_scene_set_prose (scene, prose, &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  editor = g_object_new (LOOM_TYPE_SCENE_EDITOR, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  loom_scene_editor_set_scene (editor, scene);
  gtk_window_present (GTK_WINDOW (window));
  wait_ms (1000);

  buffer = loom_scene_editor_get_prose_buffer (editor);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_widget_grab_focus (GTK_WIDGET (loom_scene_editor_get_prose_view (editor)));
  wait_ms (200);
  g_signal_connect_swapped (scene, "notify::updated-at", G_CALLBACK (count_save), &saves);

  cpu = thread_cpu_ms ();
  for (guint i = 0; i < N_KEYS; i++)
    {
      const char *key = (i % 6 == 5) ? " " : "e";
      double start = bench_now_ms ();

      gtk_text_buffer_insert_interactive_at_cursor (buffer, key, 1, TRUE);
      drain ();
      keys[i] = bench_now_ms () - start;
      max = MAX (max, keys[i]);
      wait_ms (KEY_GAP_MS);
    }
  /* The pause after typing: what is left gets saved. */
  wait_ms (1500);
  cpu = thread_cpu_ms () - cpu;

  g_print ("key-median-ms %.3f\n", bench_median (keys, N_KEYS));
  g_print ("key-max-ms %.3f\n", max);
  g_print ("cpu-ms %.1f\n", cpu);
  g_print ("saves-while-typing %u\n", saves > 0 ? saves - 1 : 0);

  g_signal_handlers_disconnect_by_func (scene, count_save, &saves);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  loom_store_close (store);
  bench_remove_library (path);
  g_rmdir (dir);
  return 0;
}
