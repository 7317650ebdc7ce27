/* bench-store.c: the store's speed on a 1M-word library
 *
 * Builds one story of 20 chapters × 50 scenes × 1,000 words and 30 characters, then prints the
 * median of several runs for each figure the foundation issue names, with its target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"

#define CHAPTERS 20
#define SCENES 50
#define WORDS 1000
#define RUNS 9

static const char *const vocabulary[] = {
  "salt", "road", "the", "caravan", "moved", "under", "a", "white", "sky", "and", "Mara",
  "counted", "bells", "while", "wind", "carried", "sand", "across", "dead", "sea", "quietly",
};

static char *
make_prose (guint seed)
{
  GString *s = g_string_sized_new (WORDS * 7);

  for (guint w = 0; w < WORDS; w++)
    {
      g_string_append (s, vocabulary[(seed * 31 + w * 7) % G_N_ELEMENTS (vocabulary)]);
      g_string_append_c (s, (w % 12 == 11) ? '.' : ' ');
      if (w % 12 == 11)
        g_string_append_c (s, ' ');
    }
  return g_string_free (s, FALSE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
build_library (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  LoomStory *story;

  g_assert_no_error (error);
  story = loom_store_create_story (store, "A Million Words", "A benchmark epic", NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < CHAPTERS; c++)
    {
      g_autofree char *title = g_strdup_printf ("Chapter of the road %u", c + 1);
      LoomChapter *chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, title,
                                                     &error);
      g_assert_no_error (error);
      for (guint s = 0; s < SCENES; s++)
        {
          g_autofree char *outline = g_strdup_printf ("Scene %u: Mara crosses stretch %u of the "
                                                      "salt, counting the bells.", s + 1, c);
          g_autofree char *prose = make_prose (c * SCENES + s);
          LoomScene *scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END, outline,
                                                   &error);
          g_assert_no_error (error);
          loom_scene_set_prose (scene, prose, &error);
          g_assert_no_error (error);
        }
    }
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("Character %u", i + 1);
      loom_store_add_character (store, story, name, "patient, wry, afraid of water",
                                "Grew up on the salt flats.", &error);
      g_assert_no_error (error);
    }
}

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
  g_assert_cmpuint (words, >=, (guint64) CHAPTERS * SCENES * WORDS);
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
  g_autofree char *dir = g_dir_make_tmp ("storyloom-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  double open_ms[RUNS], prose_ms[RUNS], save_ms[RUNS], move_ms[RUNS];
  double t0;
  guint n_scenes = 0;
  struct rusage usage;

  setlocale (LC_ALL, "");
  g_print ("Building a library of %u chapters × %u scenes × %u words…\n",
           CHAPTERS, SCENES, WORDS);
  t0 = now_ms ();
  build_library (path);
  g_print ("  built in %.0f ms\n", now_ms () - t0);

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(LoomStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *prose = make_prose (7777 + r);
      LoomScene *scene;

      t0 = now_ms ();
      store = open_and_load (path, &n_scenes);
      open_ms[r] = now_ms () - t0;

      scene = scene_at (store, r % CHAPTERS, (r * 7) % SCENES);
      t0 = now_ms ();
      loom_scene_load_prose (scene, &error);
      prose_ms[r] = now_ms () - t0;
      g_assert_no_error (error);

      t0 = now_ms ();
      loom_scene_set_prose (scene, prose, &error);
      save_ms[r] = now_ms () - t0;
      g_assert_no_error (error);

      t0 = now_ms ();
      loom_store_move_scene (store, scene,
                             loom_scene_get_chapter (scene_at (store, (r + 5) % CHAPTERS, 0)),
                             SCENES / 2, &error);
      move_ms[r] = now_ms () - t0;
      g_assert_no_error (error);
    }

  getrusage (RUSAGE_SELF, &usage);
  g_print ("open the library and load %u chapters with %u scenes (outlines, word counts): "
           "%.2f ms (target ≤ 50 ms)\n", CHAPTERS, n_scenes, median (open_ms, RUNS));
  g_print ("load one scene's prose: %.3f ms (target ≤ 1 ms)\n", median (prose_ms, RUNS));
  g_print ("save 1,000 words of prose: %.3f ms (target ≤ 2 ms)\n", median (save_ms, RUNS));
  g_print ("move a scene across chapters: %.3f ms (target ≤ 5 ms)\n", median (move_ms, RUNS));
  g_print ("peak RSS: %.1f MB\n", usage.ru_maxrss / 1024.0);

  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal (suffix, "") ? "-wal"
                                                 : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
  return 0;
}
