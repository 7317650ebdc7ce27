/* bench-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-util"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

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

/* Realistic prose: common words, then some 8,000 made of syllables, drawn with the 1/rank
 * frequencies of a real vocabulary (Zipf), in sentences of varied length, with commas,
 * dialogue and paragraphs. It compresses the way a novel does (a 21-word cycle compresses to
 * almost nothing, which made the EPUB a fraction of a real one's size). */
static const char *const common_words[] = {
  "the", "and", "of", "to", "a", "in", "was", "she", "he", "it", "her", "that", "on", "with",
  "as", "had", "at", "for", "his", "they", "but", "not", "from", "by", "were", "into", "all",
  "out", "one", "there", "Mara", "salt", "road", "said", "would", "could", "what", "when",
};
static const char *const syllables[] = {
  "ka", "lo", "ra", "men", "sa", "ti", "vel", "dor", "an", "is", "bre", "mo", "th", "el", "ca",
  "ri", "on", "ul", "sta", "ne", "wi", "fa", "gu", "pe", "sh", "ar", "qu", "ze", "ho", "ly",
  "ba", "dre", "nd", "ing", "ow", "er", "ed", "ight", "ea", "ch",
};
#define NOVEL_VOCABULARY 8000

static void
append_novel_word (GString *s,
                   guint    rank)
{
  guint h = rank * 2654435761u;

  if (rank < G_N_ELEMENTS (common_words))
    {
      g_string_append (s, common_words[rank]);
      return;
    }
  for (guint i = 0, n = 1 + h % 4; i < n; i++, h = h * 1103515245u + 12345u)
    g_string_append (s, syllables[(h >> 8) % G_N_ELEMENTS (syllables)]);
}

/**
 * bench_make_novel_prose:
 * @paragraphs: break into paragraphs; else one long paragraph
 *
 * Returns: @n_words words of realistic, non-repeating prose, different for each @seed
 */
char *
bench_make_novel_prose (guint    seed,
                        guint    n_words,
                        gboolean paragraphs)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *s = g_string_sized_new (n_words * 7);
  guint sentence_left = 0;
  guint paragraph_left = g_rand_int_range (rand, 3, 9);
  gboolean quoted = FALSE;

  for (guint w = 0; w < n_words; w++)
    {
      guint rank = (guint) exp (g_rand_double (rand) * log (NOVEL_VOCABULARY)) - 1;
      gboolean first = sentence_left == 0;

      if (first)
        {
          sentence_left = g_rand_int_range (rand, 4, 24);
          quoted = g_rand_int_range (rand, 0, 6) == 0;
          if (quoted)
            g_string_append (s, "“");
        }
      if (first)
        {
          gsize start = s->len;

          append_novel_word (s, rank);
          s->str[start] = g_ascii_toupper (s->str[start]);
        }
      else
        append_novel_word (s, rank);

      if (--sentence_left > 0 && w + 1 < n_words)
        {
          g_string_append (s, g_rand_int_range (rand, 0, 10) == 0 ? ", " : " ");
          continue;
        }
      sentence_left = 0;
      g_string_append (s, g_rand_int_range (rand, 0, 12) == 0 ? "?" : ".");
      if (quoted)
        g_string_append (s, "”");
      if (w + 1 == n_words)
        break;
      if (paragraphs && --paragraph_left == 0)
        {
          g_string_append (s, "\n\n");
          paragraph_left = g_rand_int_range (rand, 3, 9);
        }
      else
        g_string_append_c (s, ' ');
    }
  return g_string_free (s, FALSE);
}

/* The outline goes in with one transaction, then each scene's prose with its own, as a writer
 * would have saved them. */
static LoomStory *
build_story (LoomStore *store,
             gboolean   novel)
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
          guint seed = c * BENCH_SCENES + s;
          g_autofree char *prose = novel ? bench_make_novel_prose (seed + 1, BENCH_WORDS, TRUE)
                                         : bench_make_prose (seed, BENCH_WORDS);

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

LoomStory *
bench_build_story (LoomStore *store)
{
  return build_story (store, FALSE);
}

/* The same story with bench_make_novel_prose (): files the size of a real novel's. */
LoomStory *
bench_build_novel (LoomStore *store)
{
  return build_story (store, TRUE);
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

static double
clock_ms (clockid_t clock)
{
  struct timespec now;

  clock_gettime (clock, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

/* The process's own time: the machine the benchmarks run on is often shared, and the clock on
 * the wall then measures the others' work too. */
double
bench_cpu_ms (void)
{
  return clock_ms (CLOCK_PROCESS_CPUTIME_ID);
}

/* The calling thread's own time: unlike the process's, it leaves out the other threads (a mock
 * server's, a thread's syncs), so it shows the work that blocked the main loop. */
double
bench_thread_cpu_ms (void)
{
  return clock_ms (CLOCK_THREAD_CPUTIME_ID);
}

/* The same in µs, for the watches that count in g_get_monotonic_time ()'s unit. */
gint64
bench_thread_cpu_us (void)
{
  return (gint64) (bench_thread_cpu_ms () * 1000.0);
}

/* The machine's load over the last minute, to print beside the figures; -1 when unknown. */
double
bench_load (void)
{
  double load[1];

  return getloadavg (load, 1) == 1 ? load[0] : -1;
}

/**
 * bench_temp_library:
 * @name: the benchmark's name, in the folder's name
 * @dir: (out): a new temporary folder of the benchmark's own
 *
 * Returns: the path of a library in @dir, not created yet
 */
char *
bench_temp_library (const char  *name,
                    char       **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strconcat ("storyloom-", name, "-XXXXXX", NULL);

  *dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  return g_build_filename (*dir, "library.db", NULL);
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

/* Removes the folder @path and all it holds (a benchmark's own temporary folder). */
void
bench_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        bench_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/**
 * bench_spawn_mock:
 * @mock_path: the mock-openrouter program
 * @dir: a folder of the benchmark's own, for the file the mock writes its address to
 * @deltas: deltas an answer, streamed as fast as the mock can
 * @url: (out): the mock's base address
 *
 * The mock server in a process of its own, so that the process measured shares with it
 * neither a thread's CPU time nor GLib's locks (an in-process mock's thread, building its
 * answers with json-glib, held up the main thread at the start of eight requests).
 *
 * Returns: (transfer full): the mock, listening; force it to exit when done
 */
GSubprocess *
bench_spawn_mock (const char  *mock_path,
                  const char  *dir,
                  guint        deltas,
                  char       **url)
{
  g_autofree char *url_file = g_build_filename (dir, "mock-url", NULL);
  g_autofree char *count = g_strdup_printf ("%u", deltas);
  g_autoptr(GError) error = NULL;
  GSubprocess *mock;

  *url = NULL;
  mock = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, mock_path, "--deltas", count, "--delay", "0", "--url-file",
                           url_file, NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 500 && (*url == NULL || **url == '\0'); i++)
    {
      g_clear_pointer (url, g_free);
      if (!g_file_get_contents (url_file, url, NULL, NULL))
        g_usleep (10000);
    }
  g_assert_nonnull (*url);
  g_strstrip (*url);
  return mock;
}
