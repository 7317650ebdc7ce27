/* bench-store.c: the store's speed on a 1M-word library
 *
 * Builds one story of 20 chapters × 50 scenes × 1,000 words and 30 characters, then prints the
 * median of several runs for each figure the foundation issue names, with its target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-store"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "bench-util.h"

#define RUNS 9
#define CHECKS 1000

/* Opens the library and walks every chapter and scene list as the sidebar would. */
static LoomStore *
open_and_load (const char *path,
               guint      *n_scenes)
{
  g_autoptr(GError) error = NULL;
  LoomStore *store = loom_store_open (path, &error);
  g_autoptr(LoomStory) story = NULL;
  GListModel *chapters;
  guint64 words = 0;

  g_assert_no_error (error);
  story = g_list_model_get_item (loom_store_get_stories (store), 0);
  chapters = loom_story_get_chapters (story);
  *n_scenes = 0;
  for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint s = 0; s < g_list_model_get_n_items (scenes); s++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, s);
          words += loom_scene_get_word_count (scene) + (loom_scene_get_outline (scene)[0] != 0);
          (*n_scenes)++;
        }
    }
  g_assert_cmpuint (words, >=, (guint64) BENCH_CHAPTERS * BENCH_SCENES * BENCH_WORDS);
  return store;
}

static LoomScene *
scene_at (LoomStore *store,
          guint      chapter_index,
          guint      scene_index)
{
  g_autoptr(LoomStory) story = g_list_model_get_item (loom_store_get_stories (store), 0);
  g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story),
                                                          chapter_index);
  g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter),
                                                      scene_index);
  return scene;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = bench_temp_library ("bench-store", &dir);
  double open_ms[RUNS], prose_ms[RUNS], save_ms[RUNS], move_ms[RUNS], check_ms[RUNS];
  double t0;
  guint n_scenes = 0;
  struct rusage usage;

  setlocale (LC_ALL, "");
  g_print ("Building a library of %u chapters × %u scenes × %u words…\n",
           BENCH_CHAPTERS, BENCH_SCENES, BENCH_WORDS);
  t0 = bench_now_ms ();
  bench_build_library (path);
  g_print ("  built in %.0f ms\n", bench_now_ms () - t0);

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(LoomStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *prose = bench_make_prose (7777 + r, BENCH_WORDS);
      LoomScene *scene;
      LoomChapter *target;

      t0 = bench_now_ms ();
      store = open_and_load (path, &n_scenes);
      open_ms[r] = bench_now_ms () - t0;

      scene = scene_at (store, r % BENCH_CHAPTERS, (r * 7) % BENCH_SCENES);
      t0 = bench_now_ms ();
      loom_scene_load_prose (scene, &error);
      prose_ms[r] = bench_now_ms () - t0;
      g_assert_no_error (error);

      t0 = bench_now_ms ();
      loom_scene_set_prose (scene, prose, &error);
      save_ms[r] = bench_now_ms () - t0;
      g_assert_no_error (error);

      /* What the window adds to each save: asking whether another program wrote since
       * (PRAGMA data_version), which is all a refresh costs when none did. */
      t0 = bench_now_ms ();
      for (guint i = 0; i < CHECKS; i++)
        {
          gboolean changed = TRUE;

          loom_store_refresh (store, &changed, &error);
          g_assert_no_error (error);
          g_assert_false (changed);
        }
      check_ms[r] = (bench_now_ms () - t0) / CHECKS;

      t0 = bench_now_ms ();
      target = loom_scene_get_chapter (scene_at (store, (r + 5) % BENCH_CHAPTERS, 0));
      loom_store_move_scene (store, scene, target, BENCH_SCENES / 2, &error);
      move_ms[r] = bench_now_ms () - t0;
      g_assert_no_error (error);
    }

  getrusage (RUSAGE_SELF, &usage);
  g_print ("open the library and load %u chapters with %u scenes (outlines, word counts): "
           "%.2f ms (target ≤ 50 ms)\n", BENCH_CHAPTERS, n_scenes,
           bench_median (open_ms, RUNS));
  g_print ("load one scene's prose: %.3f ms (target ≤ 1 ms)\n", bench_median (prose_ms, RUNS));
  g_print ("save 1,000 words of prose: %.3f ms (target ≤ 2 ms)\n", bench_median (save_ms, RUNS));
  g_print ("check for other programs' writes before a save: %.4f ms (target ≤ 0.1 ms)\n",
           bench_median (check_ms, RUNS));
  g_print ("move a scene across chapters: %.3f ms (target ≤ 5 ms)\n",
           bench_median (move_ms, RUNS));
  g_print ("peak RSS: %.1f MB\n", usage.ru_maxrss / 1024.0);

  bench_remove_library (path);
  g_rmdir (dir);
  return 0;
}
