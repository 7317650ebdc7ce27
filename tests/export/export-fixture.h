/* export-fixture.h: a small story with awkward prose, and a zip reader, for the export tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <zlib.h>

#include <gio/gio.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"

typedef struct
{
  guint       chapter;
  const char *outline;
  const char *prose;
} FixtureScene;

static const char *const fixture_chapters[] = {
  "The Bells", "Night & <Day>", "Müller’s Café",
};

/* Lines a naive exporter would turn into structure, XML specials, and non-ASCII text. */
static const FixtureScene fixture_scenes[] = {
  { 0, "Mara counts the bells", "Mara counted the bells.\nThere were seven, then eight.\n\n"
                                "# not a heading\n***\n> not an outline\n" },
  { 0, "The wind rises", "The wind rose over the salt & the sand.\n\nIt said: “<go on>”." },
  { 0, "", "A scene without an outline.\n% not a title\n\\backslash first\n=====" },
  { 1, "Arrival\n# at dawn", "They arrived at dawn.\n---\nAnd rested." },
  { 1, "Departure", "Müller paid in silver; the café closed — at last." },
  { 2, "The end", "It ended where it began, under a white sky." },
};

static inline LoomStory *
fixture_build_story (LoomStore *store)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story;
  LoomChapter *chapters[G_N_ELEMENTS (fixture_chapters)];

  story = loom_store_create_story (store, "Salt Road", "A caravan crosses a dead sea.", NULL,
                                   &error);
  g_assert_no_error (error);
  for (guint c = 0; c < G_N_ELEMENTS (fixture_chapters); c++)
    {
      chapters[c] = loom_store_add_chapter (store, story, LOOM_POSITION_END, fixture_chapters[c],
                                            &error);
      g_assert_no_error (error);
    }
  for (guint s = 0; s < G_N_ELEMENTS (fixture_scenes); s++)
    {
      LoomScene *scene = loom_store_add_scene (store, chapters[fixture_scenes[s].chapter],
                                               LOOM_POSITION_END, fixture_scenes[s].outline,
                                               &error);
      g_assert_no_error (error);
      loom_scene_set_prose (scene, fixture_scenes[s].prose, &error);
      g_assert_no_error (error);
    }
  return story;
}

/* Adds a chapter of about @bytes of prose in scenes of 64 KiB: random letters, so that even
 * the zipped formats stay large. The same every time (a fixed seed). */
static inline void
fixture_add_bulk (LoomStore *store,
                  LoomStory *story,
                  gsize      bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  LoomChapter *chapter;

  chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Bulk", &error);
  g_assert_no_error (error);
  for (gsize done = 0; done < bytes; done += 64 * 1024)
    {
      g_autoptr(GString) prose = g_string_sized_new (64 * 1024 + 16);
      LoomScene *scene;

      while (prose->len < 64 * 1024)
        {
          guint length = g_rand_int_range (rand, 1, 10);

          for (guint i = 0; i < length; i++)
            g_string_append_c (prose, 'a' + g_rand_int_range (rand, 0, 26));
          g_string_append_c (prose, g_rand_int_range (rand, 0, 12) == 0 ? '\n' : ' ');
        }
      scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END, "More", &error);
      g_assert_no_error (error);
      loom_scene_set_prose (scene, prose->str, &error);
      g_assert_no_error (error);
    }
}

/* A temporary folder with a library in it. */
static inline char *
fixture_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("storyloom-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Asserts that every needle appears in @haystack, each after the one before. */
static inline void
fixture_assert_in_order (const char        *haystack,
                         const char *const *needles,
                         guint              n_needles)
{
  const char *from = haystack;

  for (guint i = 0; i < n_needles; i++)
    {
      const char *found = strstr (from, needles[i]);

      if (found == NULL)
        g_error ("“%s” is missing (or out of order) in:\n%s", needles[i], haystack);
      from = found + strlen (needles[i]);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* A zip reader, just enough for the tests: local headers in order, stored or deflated.      */

typedef struct
{
  char   *name;
  guint   method;
  guint   extra_length;
  GBytes *data;
} ZipItem;

static inline void
zip_item_free (gpointer data)
{
  ZipItem *item = data;

  g_free (item->name);
  g_bytes_unref (item->data);
  g_free (item);
}

static inline guint
get16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static inline guint32
get32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static inline GPtrArray *
fixture_read_zip (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GPtrArray *items = g_ptr_array_new_with_free_func (zip_item_free);
  gsize length, offset = 0;
  guint central = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  while (offset + 30 <= length && get32 ((guint8 *) contents + offset) == 0x04034b50)
    {
      const guint8 *h = (guint8 *) contents + offset;
      ZipItem *item = g_new0 (ZipItem, 1);
      guint32 crc = get32 (h + 14), size = get32 (h + 22), stored = get32 (h + 18);
      guint name_length = get16 (h + 26);
      const guint8 *data;

      item->method = get16 (h + 8);
      item->extra_length = get16 (h + 28);
      item->name = g_strndup ((char *) h + 30, name_length);
      data = h + 30 + name_length + item->extra_length;
      g_assert_cmpuint (data + stored - (guint8 *) contents, <=, length);

      if (item->method == 0)
        item->data = g_bytes_new (data, stored);
      else
        {
          g_autoptr(GZlibDecompressor) inflater =
            g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
          g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (data, stored, NULL);
          g_autoptr(GInputStream) in =
            g_converter_input_stream_new (raw, G_CONVERTER (inflater));
          g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

          g_assert_cmpuint (item->method, ==, 8);
          g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
          g_assert_no_error (error);
          item->data = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
        }
      g_assert_cmpuint (g_bytes_get_size (item->data), ==, size);
      g_assert_cmpuint (crc32_z (0, g_bytes_get_data (item->data, NULL), size), ==, crc);
      g_ptr_array_add (items, item);
      offset = data + stored - (guint8 *) contents;
    }

  /* The central directory lists the same entries, then the end record. */
  while (offset + 46 <= length && get32 ((guint8 *) contents + offset) == 0x02014b50)
    {
      const guint8 *h = (guint8 *) contents + offset;
      ZipItem *item = g_ptr_array_index (items, central);

      g_assert_cmpuint (get16 (h + 28), ==, strlen (item->name));
      g_assert_true (memcmp (h + 46, item->name, strlen (item->name)) == 0);
      central++;
      offset += 46 + get16 (h + 28) + get16 (h + 30) + get16 (h + 32);
    }
  g_assert_cmpuint (central, ==, items->len);
  g_assert_cmpuint (offset + 22, ==, length);
  g_assert_cmphex (get32 ((guint8 *) contents + offset), ==, 0x06054b50);
  g_assert_cmpuint (get16 ((guint8 *) contents + offset + 10), ==, items->len);
  return items;
}

static inline char *
fixture_zip_text (GPtrArray  *items,
                  const char *name)
{
  for (guint i = 0; i < items->len; i++)
    {
      ZipItem *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->name, name))
        return g_strndup (g_bytes_get_data (item->data, NULL), g_bytes_get_size (item->data));
    }
  return NULL;
}

static inline gboolean
fixture_zip_has (GPtrArray  *items,
                 const char *name)
{
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (((ZipItem *) g_ptr_array_index (items, i))->name, name))
      return TRUE;
  return FALSE;
}
