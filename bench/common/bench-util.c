/* bench-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "bench-util.h"
#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-story.h"

static const char *const vocabulary[] = {
  "salt", "road", "the", "caravan", "moved", "under", "a", "white", "sky", "and", "Mara",
  "counted", "bells", "while", "wind", "carried", "sand", "across", "dead", "sea", "quietly",
};

/* Prose of @n_words words in sentences and paragraphs, different for each @seed. */
char *
bench_make_prose (guint seed,
                  guint n_words)
{
  GString *s = g_string_sized_new (n_words * 7);

  for (guint w = 0; w < n_words; w++)
    {
      g_string_append (s, vocabulary[(seed * 31 + w * 7) % G_N_ELEMENTS (vocabulary)]);
      if (w % 60 == 59)
        g_string_append (s, ".\n\n");
      else if (w % 12 == 11)
        g_string_append (s, ". ");
      else
        g_string_append_c (s, ' ');
    }
  return g_string_free (s, FALSE);
}

/* The outline goes in with one transaction, then each scene's prose with its own, as a writer
 * would have saved them. */
LoomStory *
bench_build_story (LoomStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree LoomOutlineChapter *chapters = g_new0 (LoomOutlineChapter, BENCH_CHAPTERS);
  g_autofree LoomOutlineScene *scenes = g_new0 (LoomOutlineScene, BENCH_CHAPTERS * BENCH_SCENES);
  LoomStory *story;
  guint n = 0;

  story = loom_store_create_story (store, "A Million Words", "A benchmark epic", NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < BENCH_CHAPTERS; c++)
    {
      chapters[c].title = g_strdup_printf ("Chapter of the road %u", c + 1);
      g_ptr_array_add (strings, (char *) chapters[c].title);
      for (guint s = 0; s < BENCH_SCENES; s++, n++)
        {
          scenes[n].chapter = c;
          scenes[n].outline = g_strdup_printf ("Scene %u: Mara crosses stretch %u of the salt, "
                                               "counting the bells.", s + 1, c);
          g_ptr_array_add (strings, (char *) scenes[n].outline);
        }
    }
  loom_store_add_outline (store, story, chapters, BENCH_CHAPTERS, scenes, n, &error);
  g_assert_no_error (error);

  for (guint c = 0; c < BENCH_CHAPTERS; c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), c);

      for (guint s = 0; s < BENCH_SCENES; s++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter),
                                                              s);
          g_autofree char *prose = bench_make_prose (c * BENCH_SCENES + s, BENCH_WORDS);

          loom_scene_set_prose (scene, prose, &error);
          g_assert_no_error (error);
        }
    }

  for (guint i = 0; i < BENCH_CHARACTERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Character %u", i + 1);
      loom_store_add_character (store, story, name, "patient, wry, afraid of water",
                                "Grew up on the salt flats.", &error);
      g_assert_no_error (error);
    }
  return story;
}

void
bench_build_library (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &error);

  g_assert_no_error (error);
  bench_build_story (store);
  loom_store_close (store);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_median (double *values,
              guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

double
bench_now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* The library and the files SQLite and the store keep beside it. */
void
bench_remove_library (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-generating" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}
