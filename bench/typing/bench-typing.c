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
 * It types twice, with spell checking off and then on (issue 17: within 1.2× of off), and
 * prints each figure with an -off and an -on suffix, then:
 *   spell-initial-ms N  how long the first check of the whole scene took, in the background
 *   spell-settle-ms N   from the last keystroke to the typed words checked (the pause included)
 *   key-median-ratio N  on / off
 * Run under a display: xvfb-run -a ./build/bench/typing/bench-typing
 * Settings are in memory and Enchant's configuration (the personal word lists it makes when
 * a dictionary opens) in the run's own temporary folder, removed at the end: the writer's
 * ~/.config/enchant is never read or written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-typing"

#include "config.h"


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

typedef struct
{
  double median;
  double max;
  double cpu;
  guint  saves;
  double initial_ms;
  double settle_ms;
} Round;

static gboolean
spell_pending (LoomSceneEditor *editor)
{
  return loom_spell_marks_is_pending (loom_scene_editor_get_spell_marks (editor, FALSE)) ||
         loom_spell_marks_is_pending (loom_scene_editor_get_spell_marks (editor, TRUE));
}

/* Runs the main loop until the spelling is checked; returns how long that took. */
static double
wait_checked (LoomSceneEditor *editor)
{
  double start = bench_now_ms ();

  while (spell_pending (editor))
    {
      g_usleep (500);
      drain ();
    }
  return bench_now_ms () - start;
}

/* Shows @scene with @prose in a new window and types into it; spell checking on or off. */
static void
type_round (LoomScene  *scene,
            const char *prose,
            gboolean    spell,
            Round      *round)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *keys = g_new0 (double, N_KEYS);
  LoomSceneEditor *editor;
  GtkTextBuffer *buffer;
  GtkWidget *window;
  GtkTextIter end;
  double start;

  loom_scene_set_prose (scene, prose, &error);
  g_assert_no_error (error);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  editor = g_object_new (LOOM_TYPE_SCENE_EDITOR, "spell-checking", spell, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  start = bench_now_ms ();
  loom_scene_editor_set_scene (editor, scene);
  gtk_window_present (GTK_WINDOW (window));
  if (spell)
    {
      wait_checked (editor);
      round->initial_ms = bench_now_ms () - start;
    }
  wait_ms (1000);

  buffer = loom_scene_editor_get_prose_buffer (editor);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_widget_grab_focus (GTK_WIDGET (loom_scene_editor_get_prose_view (editor)));
  wait_ms (200);
  g_signal_connect_swapped (scene, "notify::updated-at", G_CALLBACK (count_save), &round->saves);

  round->cpu = bench_thread_cpu_ms ();
  for (guint i = 0; i < N_KEYS; i++)
    {
      const char *key = (i % 6 == 5) ? " " : "e";
      double key_start = bench_now_ms ();

      gtk_text_buffer_insert_interactive_at_cursor (buffer, key, 1, TRUE);
      drain ();
      keys[i] = bench_now_ms () - key_start;
      round->max = MAX (round->max, keys[i]);
      wait_ms (KEY_GAP_MS);
    }
  round->settle_ms = spell ? wait_checked (editor) : 0;
  /* The pause after typing: what is left gets saved. */
  wait_ms (1500);
  round->cpu = bench_thread_cpu_ms () - round->cpu;
  round->median = bench_median (keys, N_KEYS);
  round->saves = round->saves > 0 ? round->saves - 1 : 0;

  g_signal_handlers_disconnect_by_func (scene, count_save, &round->saves);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
}

static void
print_round (const char  *suffix,
             const Round *round)
{
  g_print ("key-median-ms-%s %.3f\n", suffix, round->median);
  g_print ("key-max-ms-%s %.3f\n", suffix, round->max);
  g_print ("cpu-ms-%s %.1f\n", suffix, round->cpu);
  g_print ("saves-while-typing-%s %u\n", suffix, round->saves);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *enchant_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prose = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomChapter) chapter = NULL;
  Round off = { 0 }, on = { 0 };
  LoomStory *story;
  LoomScene *scene;

  path = bench_temp_library ("bench-typing", &dir);
  /* Before the first checker opens Enchant. */
  enchant_dir = g_build_filename (dir, "enchant", NULL);
  g_assert_cmpint (g_mkdir (enchant_dir, 0700), ==, 0);
  g_setenv ("ENCHANT_CONFIG_DIR", enchant_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", STORYLOOM_SCHEMA_DIR, FALSE);

  gtk_init ();
  adw_init ();

  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  story = loom_store_create_story (store, "Typing", NULL, NULL, &error);
  g_assert_no_error (error);
  chapter = g_object_ref (loom_store_add_chapter (store, story, 0, "One", &error));
  g_assert_no_error (error);
  scene = loom_store_add_scene (store, chapter, 0, "A long scene", &error);
  g_assert_no_error (error);
  prose = bench_make_prose (7, SCENE_WORDS);

  type_round (scene, prose, FALSE, &off);
  type_round (scene, prose, TRUE, &on);
  print_round ("off", &off);
  print_round ("on", &on);
  g_print ("spell-initial-ms %.1f\n", on.initial_ms);
  g_print ("spell-settle-ms %.1f\n", on.settle_ms);
  g_print ("key-median-ratio %.2f (target <= 1.2)\n", on.median / off.median);

  loom_store_close (store);
  bench_remove_library (path);
  bench_remove_tree (dir);
  return 0;
}
