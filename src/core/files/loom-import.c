/* loom-import.c: a Markdown or plain-text manuscript into a new story
 *
 * The file is read and parsed completely before the library is touched, so a file that is not
 * text, is empty or holds no prose is refused with nothing written. Then the story goes in
 * with two transactions: loom_store_create_story(), then loom_store_add_outline() with every
 * chapter, scene and prose; if the second fails, the new story is deleted again.
 *
 * The parser reads the manuscript shape that loom-manuscript.c describes and the exporter
 * writes, so an export imports back. Text before the first heading, if any, becomes a chapter
 * of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-import.h"
#include "loom-manuscript.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"

G_DEFINE_QUARK (loom-import-error-quark, loom_import_error)

/* "# Title #" → "Title"; NULL when @line is not a level-1 ATX heading ("## x" is not). */
static char *
markdown_heading (const char *line)
{
  const char *p = line;
  char *title;
  gsize len;

  for (int i = 0; i < 3 && *p == ' '; i++)
    p++;
  if (p[0] != '#' || (p[1] != ' ' && p[1] != '\t' && p[1] != '\0'))
    return NULL;
  title = g_strstrip (g_strdup (p + 1));
  /* A closing sequence of '#' is decoration. */
  len = strlen (title);
  while (len > 0 && title[len - 1] == '#')
    len--;
  if (len == 0 || title[len - 1] == ' ' || title[len - 1] == '\t')
    {
      title[len] = '\0';
      g_strchomp (title);
    }
  return title;
}

/* The lines of one scene, in order: the outline quote is taken off the top in Markdown. */
static LoomManuscriptScene *
finish_scene (GPtrArray *lines,
              gboolean   markdown)
{
  g_autoptr(GString) outline = g_string_new (NULL);
  g_autoptr(GString) prose = g_string_new (NULL);
  guint i = 0, end = lines->len;

  while (i < end && loom_manuscript_is_blank (g_ptr_array_index (lines, i)))
    i++;
  if (markdown)
    for (; i < end && ((char *) g_ptr_array_index (lines, i))[0] == '>'; i++)
      {
        char *line = g_ptr_array_index (lines, i);

        line += line[1] == ' ' ? 2 : 1;
        loom_manuscript_unescape (line);
        if (outline->len > 0)
          g_string_append_c (outline, '\n');
        g_string_append (outline, line);
      }
  while (i < end && loom_manuscript_is_blank (g_ptr_array_index (lines, i)))
    i++;
  while (end > i && loom_manuscript_is_blank (g_ptr_array_index (lines, end - 1)))
    end--;
  for (; i < end; i++)
    {
      char *line = g_ptr_array_index (lines, i);

      if (markdown)
        loom_manuscript_unescape (line);
      g_string_append (prose, line);
      if (i + 1 < end)
        g_string_append_c (prose, '\n');
    }

  return loom_manuscript_scene_new (g_strdup (g_strstrip (outline->str)),
                                    prose->len > 0 ? g_strdup (prose->str) : NULL);
}

static gboolean
scene_is_empty (const LoomManuscriptScene *scene)
{
  return scene->prose == NULL && *scene->outline == '\0';
}

typedef struct
{
  LoomManuscript    *book;
  LoomManuscriptChapter *chapter;
  GPtrArray     *lines;   /* of the scene being read; borrowed from the text */
  gboolean       markdown;
} Parser;

static void
end_scene (Parser *parser)
{
  if (parser->chapter == NULL)
    {
      /* Only text before the first heading gets here: it opens a chapter of its own. */
      gboolean has_text = FALSE;

      for (guint i = 0; i < parser->lines->len && !has_text; i++)
        has_text = !loom_manuscript_is_blank (g_ptr_array_index (parser->lines, i));
      if (!has_text)
        {
          g_ptr_array_set_size (parser->lines, 0);
          return;
        }
      parser->chapter = loom_manuscript_add_chapter (parser->book, NULL);
    }
  g_ptr_array_add (parser->chapter->scenes, finish_scene (parser->lines, parser->markdown));
  g_ptr_array_set_size (parser->lines, 0);
}

/* Empty scenes between two breaks are kept (the writer left a place for one), but not the
 * nothing before a chapter's first break or after its last. */
static void
end_chapter (Parser *parser)
{
  GPtrArray *scenes;

  end_scene (parser);
  if (parser->chapter == NULL)
    return;
  scenes = parser->chapter->scenes;
  while (scenes->len > 0 && scene_is_empty (g_ptr_array_index (scenes, scenes->len - 1)))
    g_ptr_array_remove_index (scenes, scenes->len - 1);
  while (scenes->len > 0 && scene_is_empty (g_ptr_array_index (scenes, 0)))
    g_ptr_array_remove_index (scenes, 0);
  parser->chapter = NULL;
}

static void
start_chapter (Parser     *parser,
               const char *title)
{
  end_chapter (parser);
  parser->chapter = loom_manuscript_add_chapter (parser->book, *title != '\0' ? title : NULL);
}

static guint
line_of_offset (const char *text,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      line++;
  return line;
}

/* The file's text as one C string without a byte order mark, or NULL with @error set when it is
 * empty, blank, or not UTF-8 text. */
static char *
text_of_file (const char  *text,
              gsize        length,
              GError     **error)
{
  g_autofree char *copy = NULL;
  const char *end;

  if (length == 0)
    {
      g_set_error_literal (error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_EMPTY,
                           _("The file is empty. Choose a file with the story’s text."));
      return NULL;
    }
  if ((end = memchr (text, '\0', length)) != NULL)
    {
      /* Text after a NUL byte would be lost as the lines become C strings. */
      g_set_error (error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_NOT_TEXT,
                   _("The file holds a NUL byte on line %u, so it is not plain text; nothing "
                     "was imported. Remove the NUL bytes, or save it as UTF-8 text, and import "
                     "it again."),
                   line_of_offset (text, end - text));
      return NULL;
    }
  if (!g_utf8_validate (text, length, &end))
    {
      g_set_error (error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_NOT_TEXT,
                   _("The file is not UTF-8 text (line %u has other bytes). Save it as UTF-8 "
                     "text or Markdown and import it again."),
                   line_of_offset (text, end - text));
      return NULL;
    }

  copy = g_strndup (text, length);
  if (g_str_has_prefix (copy, "\xEF\xBB\xBF"))
    memmove (copy, copy + 3, strlen (copy + 3) + 1);
  if (loom_manuscript_is_blank (copy))
    {
      g_set_error_literal (error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_EMPTY,
                           _("The file holds only blank space. Choose a file with the story’s "
                             "text."));
      return NULL;
    }
  return g_steal_pointer (&copy);
}

/* Pandoc's title block, "% Title" perhaps followed by "% Author" and "% Date", after blank
 * lines at the start: the title goes to @book. Returns the index of the line after it. */
static guint
read_title_block (LoomManuscript  *book,
                  char           **lines,
                  guint            n)
{
  guint i = 0;

  while (i < n && loom_manuscript_is_blank (lines[i]))
    i++;
  if (i < n && lines[i][0] == '%')
    {
      book->title = g_strstrip (g_strdup (lines[i] + 1));
      for (i++; i < n && lines[i][0] == '%'; i++)
        ;
    }
  return i;
}

static gboolean
has_prose (LoomManuscript *book)
{
  for (guint c = 0; c < book->chapters->len; c++)
    {
      LoomManuscriptChapter *chapter = g_ptr_array_index (book->chapters, c);

      for (guint s = 0; s < chapter->scenes->len; s++)
        if (((LoomManuscriptScene *) g_ptr_array_index (chapter->scenes, s))->prose != NULL)
          return TRUE;
    }
  return FALSE;
}

static LoomManuscript *
parse (const char  *text,
       gsize        length,
       gboolean     markdown,
       GError     **error)
{
  g_autoptr(LoomManuscript) book = loom_manuscript_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_auto(GStrv) all = NULL;
  g_autofree char *copy = NULL;
  Parser parser = { 0 };
  guint i = 0, n;

  copy = text_of_file (text, length, error);
  if (copy == NULL)
    return NULL;
  all = loom_manuscript_split_lines (copy);
  n = g_strv_length (all);

  parser.book = book;
  parser.lines = lines;
  parser.markdown = markdown;

  if (markdown)
    i = read_title_block (book, all, n);

  for (; i < n; i++)
    {
      g_autofree char *heading = markdown ? markdown_heading (all[i]) : NULL;

      if (heading != NULL)
        start_chapter (&parser, heading);
      else if (!loom_manuscript_is_blank (all[i]) && i + 1 < n && loom_manuscript_is_heading_rule (all[i + 1]))
        {
          g_autofree char *title = g_strstrip (g_strdup (all[i]));

          if (markdown)
            loom_manuscript_unescape (title);
          start_chapter (&parser, title);
          i++;
        }
      else if (loom_manuscript_is_scene_break (all[i]))
        {
          if (parser.chapter == NULL)
            {
              /* A break before any heading opens the implicit first chapter, even empty. */
              end_scene (&parser);
              if (parser.chapter == NULL)
                start_chapter (&parser, "");
              continue;
            }
          end_scene (&parser);
        }
      else
        g_ptr_array_add (lines, all[i]);
    }
  end_chapter (&parser);

  if (!has_prose (book))
    {
      g_set_error_literal (error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_EMPTY,
                           _("The file has no prose to import, only headings or scene breaks. "
                             "Choose a file with the story’s text."));
      return NULL;
    }

  /* The lines were borrowed from the split text, which goes away with this function. */
  return g_steal_pointer (&book);
}

/* ---------------------------------------------------------------------------------------- */

static char *
title_from_file (GFile *file)
{
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;
  char *dot;

  if (name == NULL || *name == '\0' || g_str_equal (name, "/"))
    return NULL;
  dot = strrchr (name, '.');
  if (dot != NULL && dot != name)
    *dot = '\0';
  return g_steal_pointer (&name);
}

static gboolean
is_markdown_name (GFile *file)
{
  static const char *const extensions[] = {
    ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".text.md",
  };
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;
  g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;

  for (guint i = 0; lower != NULL && i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (lower, extensions[i]))
      return TRUE;
  return FALSE;
}

static char *
chapter_title (const LoomManuscriptChapter *chapter,
               guint                index)
{
  if (chapter->title != NULL && !loom_manuscript_is_blank (chapter->title))
    return g_strdup (chapter->title);
  return g_strdup_printf (_("Chapter %u"), index + 1);
}

/* Writes @book as a new story; on any failure the new story is deleted again. */
static LoomStory *
store_book (LoomStore    *store,
            LoomManuscript   *book,
            const char   *title,
            GCancellable *cancellable,
            GError      **error)
{
  g_autoptr(GArray) chapters = g_array_new (FALSE, TRUE, sizeof (LoomOutlineChapter));
  g_autoptr(GArray) scenes = g_array_new (FALSE, TRUE, sizeof (LoomOutlineScene));
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *story_title = g_strstrip (g_strdup (title));
  GError *local_error = NULL;
  LoomStory *story;

  if (*story_title == '\0')
    {
      g_set_error_literal (error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_FAILED,
                           _("The story needs a title. Give one with the import."));
      return NULL;
    }

  for (guint c = 0; c < book->chapters->len; c++)
    {
      LoomManuscriptChapter *chapter = g_ptr_array_index (book->chapters, c);
      LoomOutlineChapter entry = { 0 };

      g_ptr_array_add (titles, chapter_title (chapter, c));
      entry.title = g_ptr_array_index (titles, c);
      g_array_append_val (chapters, entry);
      for (guint s = 0; s < chapter->scenes->len; s++)
        {
          LoomManuscriptScene *scene = g_ptr_array_index (chapter->scenes, s);
          LoomOutlineScene scene_entry = { c, scene->outline, scene->prose };

          g_array_append_val (scenes, scene_entry);
        }
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  story = loom_store_create_story (store, story_title, NULL, NULL, error);
  if (story == NULL)
    return NULL;
  g_object_ref (story);

  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error) ||
      !loom_store_add_outline (store, story, (LoomOutlineChapter *) chapters->data,
                               chapters->len, (LoomOutlineScene *) scenes->data, scenes->len,
                               &local_error))
    goto failed;

  g_object_unref (story);
  return story;

failed:
  {
    g_autoptr(GError) delete_error = NULL;

    if (!loom_store_discard_story (store, story, &delete_error))
      g_warning ("Could not remove the half-imported story %" G_GINT64_FORMAT ": %s",
                 loom_story_get_id (story), delete_error->message);
    g_object_unref (story);
    g_propagate_error (error, local_error);
    return NULL;
  }
}

static LoomManuscript *
parse_for (GFile            *file,
           const char       *text,
           gsize             length,
           LoomImportFormat  format,
           GError          **error)
{
  gboolean markdown = format == LOOM_IMPORT_FORMAT_MARKDOWN ||
                      (format == LOOM_IMPORT_FORMAT_AUTO && is_markdown_name (file));

  return parse (text, length, markdown, error);
}

static LoomStory *
import_parsed (LoomStore    *store,
               LoomManuscript   *book,
               GFile        *file,
               const char   *title,
               GCancellable *cancellable,
               GError      **error)
{
  g_autofree char *file_title = NULL;

  if (title == NULL || loom_manuscript_is_blank (title))
    title = book->title;
  if (title == NULL || loom_manuscript_is_blank (title))
    title = file_title = title_from_file (file);
  if (title == NULL || loom_manuscript_is_blank (title))
    title = _("Imported story");
  return store_book (store, book, title, cancellable, error);
}

/**
 * loom_import_text:
 * @length: of @text in bytes, or -1 when it ends with a NUL
 * @format: %LOOM_IMPORT_FORMAT_AUTO means plain text here (there is no file name)
 * @title: (nullable): the new story's title; else the Markdown title block, else "Imported story"
 *
 * Returns: (transfer none): the new story, owned by @store
 */
LoomStory *
loom_import_text (LoomStore         *store,
                  const char        *text,
                  gssize             length,
                  LoomImportFormat   format,
                  const char        *title,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autoptr(LoomManuscript) book = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (store), NULL);
  g_return_val_if_fail (text != NULL || length == 0, NULL);

  book = parse_for (NULL, text ? text : "", length < 0 ? strlen (text) : (gsize) length, format,
                    error);
  if (book == NULL)
    return NULL;
  return import_parsed (store, book, NULL, title, cancellable, error);
}

static char *
load_file (GFile         *file,
           gsize         *length,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (!g_file_load_contents (file, cancellable, &contents, length, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_FAILED,
                     _("Could not read “%s”: %s. Check the file’s name and permissions."),
                     name, local_error->message);
      return NULL;
    }
  return contents;
}

/**
 * loom_import_file:
 * @title: (nullable): the new story's title; else the Markdown title block, else the file's
 *   name without its extension
 *
 * Reads, parses and stores in the calling thread (the command line). The window uses
 * loom_import_file_async().
 *
 * Returns: (transfer none): the new story, owned by @store
 */
LoomStory *
loom_import_file (LoomStore         *store,
                  GFile             *file,
                  LoomImportFormat   format,
                  const char        *title,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autoptr(LoomManuscript) book = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (LOOM_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  contents = load_file (file, &length, cancellable, error);
  if (contents == NULL)
    return NULL;
  book = parse_for (file, contents, length, format, error);
  if (book == NULL)
    return NULL;
  return import_parsed (store, book, file, title, cancellable, error);
}

typedef struct
{
  GFile            *file;
  LoomImportFormat  format;
  char             *title;
} ImportTaskData;

static void
import_task_data_free (ImportTaskData *data)
{
  g_clear_object (&data->file);
  g_free (data->title);
  g_free (data);
}

static void
import_parse_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ImportTaskData *data = task_data;
  g_autofree char *contents = NULL;
  GError *error = NULL;
  LoomManuscript *book;
  gsize length = 0;

  contents = load_file (data->file, &length, cancellable, &error);
  if (contents == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  book = parse_for (data->file, contents, length, data->format, &error);
  if (book == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, book, (GDestroyNotify) loom_manuscript_free);
}

static void
import_parsed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImportTaskData *data = g_task_get_task_data (task);
  g_autoptr(LoomManuscript) book = NULL;
  GError *error = NULL;
  LoomStory *story;

  book = g_task_propagate_pointer (G_TASK (result), &error);
  if (book == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  story = import_parsed (g_task_get_source_object (task), book, data->file, data->title,
                         g_task_get_cancellable (task), &error);
  if (story == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (story), g_object_unref);
}

/**
 * loom_import_file_async:
 *
 * Reads and parses the file in a thread (the slow part, and all that can fail on a bad file),
 * then writes the story on @store's own thread: a LoomStore is not shared between threads.
 */
void
loom_import_file_async (LoomStore          *store,
                        GFile              *file,
                        LoomImportFormat    format,
                        const char         *title,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  GTask *task;
  g_autoptr(GTask) parse_task = NULL;
  ImportTaskData *data = g_new0 (ImportTaskData, 1);

  g_return_if_fail (LOOM_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  data->file = g_object_ref (file);
  data->format = format;
  data->title = g_strdup (title);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, loom_import_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_task_data_free);

  parse_task = g_task_new (NULL, cancellable, import_parsed_cb, task);
  g_task_set_task_data (parse_task, data, NULL);
  g_task_run_in_thread (parse_task, import_parse_thread);
}

/**
 * loom_import_file_finish:
 *
 * Returns: (transfer none): the new story, owned by @store
 */
LoomStory *
loom_import_file_finish (LoomStore     *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(LoomStory) story = NULL;

  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, loom_import_file_async), NULL);

  story = g_task_propagate_pointer (G_TASK (result), error);
  /* The store keeps the story alive; the task's reference only carried it here. */
  return story;
}
