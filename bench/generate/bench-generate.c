/* bench-generate.c: eight scenes drafted at once against the mock server
 *
 * The mock runs in a process of its own, streaming 2,000 deltas per scene as fast as it can, so
 * that the main loop measured here is the application's alone. Prints deltas per second (with
 * the generator storing prose as it would for a writer) and the worst stall of the main loop,
 * seen by a 1 ms timer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-generate"

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "bench-util.h"
#include "loom-ai-client.h"
#include "loom-chapter.h"
#include "loom-generator.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"

#define SCENES 8
#define DELTAS 2000

typedef struct
{
  gint64 last;
  gint64 worst;
  gint64 last_cpu;
  gint64 worst_cpu;
  gint64 worst_at;   /* when the worst stall ended, µs after the first request */
  gint64 started;
  guint  deltas;
} Watch;

static gboolean
tick (gpointer data)
{
  Watch *w = data;
  gint64 now = g_get_monotonic_time ();
  /* The main thread's CPU time shows the work that blocked the loop, whoever else runs. */
  gint64 cpu = bench_thread_cpu_us ();

  if (w->last != 0 && now - w->last > w->worst)
    {
      w->worst = now - w->last;
      w->worst_at = now - w->started;
    }
  if (w->last_cpu != 0 && cpu - w->last_cpu > w->worst_cpu)
    w->worst_cpu = cpu - w->last_cpu;
  w->last = now;
  w->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
on_prose (LoomScene  *scene,
          GParamSpec *pspec,
          Watch      *w)
{
  w->deltas++;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = bench_temp_library ("bench-gen", &dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) mock = NULL;
  g_autofree char *url = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(LoomAiClient) client = NULL;
  g_autoptr(LoomGenerator) generator = NULL;
  LoomStory *story;
  LoomChapter *chapter;
  Watch w = { 0 };
  gint64 started, elapsed;
  guint timer;
  guint completed = 0;

  setlocale (LC_ALL, "");
  mock = bench_spawn_mock (STORYLOOM_MOCK, dir, DELTAS, &url);

  /* As the window opens it: the log's syncs in a thread. */
  store = loom_store_open_full (path, LOOM_STORE_OPEN_SYNC_IN_THREAD, &error);
  g_assert_no_error (error);
  story = loom_store_create_story (store, "Bench", "Eight scenes at once.", NULL, &error);
  chapter = loom_store_add_chapter (store, story, 0, "All", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < SCENES; i++)
    {
      LoomScene *scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END,
                                               "Mara crosses the salt.", &error);
      g_assert_no_error (error);
      g_signal_connect (scene, "notify::prose", G_CALLBACK (on_prose), &w);
    }

  session = soup_session_new_with_options ("max-conns-per-host", SCENES, NULL);
  loom_ai_client_warm_up ();  /* as the app does at start */
  client = loom_ai_client_new (session);
  loom_ai_client_set_base_url (client, url);
  generator = loom_generator_new (store, client);
  loom_generator_set_max_jobs (generator, SCENES);

  timer = g_timeout_add (1, tick, &w);
  started = w.started = g_get_monotonic_time ();
  g_assert_cmpuint (loom_generator_generate_chapter (generator, chapter, TRUE, &error), ==,
                    SCENES);
  while (loom_generator_get_busy (generator))
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - started;
  g_source_remove (timer);

  for (guint i = 0; i < SCENES; i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), i);
      completed += loom_scene_get_status (scene) == LOOM_SCENE_STATUS_COMPLETE;
    }

  g_print ("%u generations at once, %u deltas each: %u of %u complete in %.2f s\n",
           SCENES, DELTAS, completed, SCENES, elapsed / 1e6);
  /* The client hands over the deltas of one read together, so the scenes saw fewer changes
   * than the server sent deltas; the rate counts the server's deltas, all stored. */
  g_print ("deltas per second: %.0f (target ≥ 20,000), in %u prose updates\n",
           (double) completed * DELTAS / (elapsed / 1e6), w.deltas);
  g_print ("worst main-loop stall: %.1f ms wall clock (ending %.0f ms into the run), %.1f ms of "
           "main-thread CPU time (target ≤ 8 ms)\n",
           w.worst / 1000.0, w.worst_at / 1000.0, w.worst_cpu / 1000.0);

  g_subprocess_force_exit (mock);
  g_subprocess_wait (mock, NULL, NULL);
  g_clear_object (&generator);
  g_clear_object (&store);
  bench_remove_tree (dir);
  return completed == SCENES ? 0 : 1;
}
