/* loom-export.c: a story as Markdown, plain text, EPUB 3 or DOCX
 *
 * An export works in two steps. First the story is copied into an LoomManuscript: titles,
 * outlines and prose, nothing live. Then the book is formatted, zipped and written. The async
 * variant does both in a GTask thread, reading through a connection of its own
 * (loom_store_open_reader(), which neither migrates nor recovers anything, so a generation
 * running in the window is left alone), and reports progress on the caller's main context.
 *
 * The file is written whole with loom_file_write_whole(), so a failed or cancelled export
 * never leaves half a file behind, nor spoils an earlier export of the same name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-export.h"
#include "loom-file-writer.h"
#include "loom-manuscript.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-zip.h"
#include "loom-store-provenance.h"
#include "loom-store-summaries.h"

G_DEFINE_QUARK (loom-export-error-quark, loom_export_error)

/* ---------------------------------------------------------------------------------------- */
/* The copy of the story                                                                    */

/* The disclosure report as the book's last chapter, in plain paragraphs that every format
 * writes as it writes prose. */
static gboolean
add_disclosure (LoomManuscript  *book,
                LoomStory       *story,
                GError         **error)
{
  g_autoptr(LoomDisclosure) report = NULL;
  LoomManuscriptChapter *appendix;

  report = loom_store_get_disclosure (loom_story_get_store (story), story, error);
  if (report == NULL)
    return FALSE;
  appendix = loom_manuscript_add_chapter (book, _("AI Disclosure"));
  appendix->number = book->chapters->len;
  g_ptr_array_add (appendix->scenes,
                   loom_manuscript_scene_new (g_strdup (""), loom_disclosure_to_text (report)));
  return TRUE;
}

/* The scene summaries as a chapter after the story, one paragraph a summarised scene in the
 * story's order, each led by where the scene stands, so that every format writes it as it
 * writes prose. A story without summaries gets no such chapter. */
static gboolean
add_summaries (LoomManuscript  *book,
               LoomStory       *story,
               GError         **error)
{
  g_autoptr(GHashTable) summaries = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GListModel *chapters = loom_story_get_chapters (story);
  LoomManuscriptChapter *appendix;

  summaries = loom_store_list_summaries (loom_story_get_store (story), story, error);
  if (summaries == NULL)
    return FALSE;
  for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint s = 0; s < g_list_model_get_n_items (scenes); s++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, s);
          gint64 id = loom_scene_get_id (scene);
          LoomSummary *summary = g_hash_table_lookup (summaries, &id);
          g_autofree char *one_line = NULL;

          if (summary == NULL)
            continue;
          one_line = loom_manuscript_one_line (summary->summary);
          if (text->len > 0)
            g_string_append (text, "\n\n");
          /* TRANSLATORS: a scene summary in an exported book: chapter, scene, the summary */
          g_string_append_printf (text, _("Chapter %u, scene %u: %s"),
                                  loom_chapter_get_number (chapter), loom_scene_get_number (scene),
                                  one_line);
        }
    }
  if (text->len == 0)
    return TRUE;
  appendix = loom_manuscript_add_chapter (book, _("Scene Summaries"));
  appendix->number = book->chapters->len;
  g_ptr_array_add (appendix->scenes,
                   loom_manuscript_scene_new (g_strdup (""), g_string_free (g_steal_pointer (&text),
                                                                            FALSE)));
  return TRUE;
}

static LoomManuscript *
collect_book (LoomStory  *story,
              gboolean    disclosure,
              gboolean    summaries,
              GError    **error)
{
  g_autoptr(LoomManuscript) book = loom_manuscript_new ();
  GListModel *chapters = loom_story_get_chapters (story);

  book->title = g_strdup (loom_story_get_title (story));
  book->premise = g_strdup (loom_story_get_premise (story));
  book->id = loom_story_get_id (story);
  book->created_at = loom_story_get_created_at (story);

  for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *scenes = loom_chapter_get_scenes (chapter);
      LoomManuscriptChapter *copy;

      copy = loom_manuscript_add_chapter (book, loom_chapter_get_title (chapter));
      copy->number = loom_chapter_get_number (chapter);

      for (guint s = 0; s < g_list_model_get_n_items (scenes); s++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, s);

          if (!loom_scene_load_prose (scene, error))
            return NULL;
          g_ptr_array_add (copy->scenes,
                           loom_manuscript_scene_new (g_strdup (loom_scene_get_outline (scene)),
                                                      g_strdup (loom_scene_get_prose (scene))));
        }
    }
  if (summaries && !add_summaries (book, story, error))
    return NULL;
  if (disclosure && !add_disclosure (book, story, error))
    return NULL;
  return g_steal_pointer (&book);
}

/* ---------------------------------------------------------------------------------------- */
/* Options                                                                                  */

void
loom_export_options_init (LoomExportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->format = LOOM_EXPORT_FORMAT_MARKDOWN;
  options->title_page = TRUE;
  options->chapter_titles = TRUE;
  options->outlines = FALSE;
  options->scene_separator = LOOM_EXPORT_DEFAULT_SEPARATOR;
}

static const struct {
  const char *name;
  const char *extension;
  const char *mime_type;
} formats[] = {
  [LOOM_EXPORT_FORMAT_MARKDOWN] = { "md", "md", "text/markdown" },
  [LOOM_EXPORT_FORMAT_TEXT] = { "txt", "txt", "text/plain" },
  [LOOM_EXPORT_FORMAT_EPUB] = { "epub", "epub", "application/epub+zip" },
  [LOOM_EXPORT_FORMAT_DOCX] = { "docx", "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
};

/**
 * loom_export_format_from_string:
 * @name: "md" (or "markdown"), "txt" (or "text"), "epub" or "docx"
 */
gboolean
loom_export_format_from_string (const char       *name,
                                LoomExportFormat *format)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (name, formats[i].name) == 0)
      {
        *format = i;
        return TRUE;
      }
  if (g_ascii_strcasecmp (name, "markdown") == 0)
    *format = LOOM_EXPORT_FORMAT_MARKDOWN;
  else if (g_ascii_strcasecmp (name, "text") == 0)
    *format = LOOM_EXPORT_FORMAT_TEXT;
  else
    return FALSE;
  return TRUE;
}

const char *
loom_export_format_get_extension (LoomExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].extension;
}

const char *
loom_export_format_get_mime_type (LoomExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].mime_type;
}

/**
 * loom_export_suggest_file_name:
 *
 * Returns: a file name for the export of @story, for a file chooser to start from: the title
 *   with the characters no file name may hold replaced, and the format's extension
 */
char *
loom_export_suggest_file_name (LoomStory        *story,
                               LoomExportFormat  format)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char *title;

  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);

  title = loom_story_get_title (story);
  for (const char *p = title ? title : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* '/' separates folders; '\\' and ':' trouble other systems the file may travel to. */
      if (c == '/' || c == '\\' || c == ':' || g_unichar_iscntrl (c))
        g_string_append_c (name, '-');
      else
        g_string_append_unichar (name, c);
    }
  g_strstrip (name->str);
  g_string_set_size (name, strlen (name->str));
  /* A leading dot would hide the file. */
  while (name->len > 0 && name->str[0] == '.')
    g_string_erase (name, 0, 1);
  if (name->len == 0)
    g_string_assign (name, _("Story"));
  g_string_append_printf (name, ".%s", formats[format].extension);
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* What the writers use: the caller's options, checked and completed, owning their strings so
 * that they can travel to a thread. */
typedef struct
{
  LoomExportFormat  format;
  gboolean          title_page;
  gboolean          chapter_titles;
  gboolean          outlines;
  gboolean          disclosure;
  gboolean          summaries;
  char             *separator;
  char             *language;
} Settings;

static void
settings_clear (Settings *settings)
{
  g_clear_pointer (&settings->separator, g_free);
  g_clear_pointer (&settings->language, g_free);
}

/* "de_DE.UTF-8" → "de-DE"; "C", "C.UTF-8" and "POSIX" → "en". */
static char *
language_from_locale (void)
{
  const char *const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      GString *tag = g_string_new (NULL);

      for (const char *p = names[i]; *p != '\0' && *p != '.' && *p != '@'; p++)
        g_string_append_c (tag, *p == '_' ? '-' : *p);
      if (tag->len >= 2 && g_ascii_isalpha (tag->str[0]) && !g_str_equal (tag->str, "POSIX"))
        return g_string_free (tag, FALSE);
      g_string_free (tag, TRUE);
    }
  return g_strdup ("en");
}

static gboolean
valid_language (const char *tag)
{
  if (tag == NULL || !g_ascii_isalpha (tag[0]))
    return FALSE;
  for (const char *p = tag; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return strlen (tag) <= 35;
}

static gboolean
settings_init (Settings                *settings,
               const LoomExportOptions *options,
               GError                 **error)
{
  const char *separator = options->scene_separator;

  memset (settings, 0, sizeof *settings);
  if ((guint) options->format >= G_N_ELEMENTS (formats))
    {
      g_set_error_literal (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_INVALID,
                           _("Unknown export format. Choose Markdown, plain text, EPUB or DOCX."));
      return FALSE;
    }
  if (separator == NULL || *separator == '\0')
    separator = LOOM_EXPORT_DEFAULT_SEPARATOR;
  if (!g_utf8_validate (separator, -1, NULL) || strpbrk (separator, "\r\n") != NULL)
    {
      g_set_error_literal (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_INVALID,
                           _("The scene separator must be a single line of text. Choose "
                             "another one."));
      return FALSE;
    }
  if (options->language != NULL && !valid_language (options->language))
    {
      g_set_error (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_INVALID,
                   _("“%s” is not a language tag. Use one such as “en” or “de-DE”."),
                   options->language);
      return FALSE;
    }

  settings->format = options->format;
  settings->title_page = options->title_page;
  settings->chapter_titles = options->chapter_titles;
  settings->outlines = options->outlines;
  settings->disclosure = options->disclosure;
  settings->summaries = options->summaries;
  settings->separator = g_strdup (separator);
  settings->language = options->language ? g_strdup (options->language) : language_from_locale ();
  if (!valid_language (settings->language))
    {
      g_free (settings->language);
      settings->language = g_strdup ("en");
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Progress                                                                                 */

typedef struct
{
  LoomExportProgressFunc  func;
  gpointer                data;
  GMainContext           *context;   /* where func runs; NULL: right here */
} Progress;

typedef struct
{
  LoomExportProgressFunc func;
  gpointer               data;
  double                 fraction;
} ProgressCall;

static gboolean
progress_call_run (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->func (call->fraction, call->data);
  return G_SOURCE_REMOVE;
}

static void
report (const Progress *progress,
        double          fraction)
{
  g_autoptr(GSource) source = NULL;
  ProgressCall *call;

  if (progress == NULL || progress->func == NULL)
    return;
  if (progress->context == NULL)
    {
      progress->func (fraction, progress->data);
      return;
    }
  call = g_new (ProgressCall, 1);
  call->func = progress->func;
  call->data = progress->data;
  call->fraction = fraction;
  /* Always through the context, never g_main_context_invoke (): that calls right here, in the
   * export's thread, whenever no thread is running the context at that moment (a caller that
   * starts its loop after asking). Attached in order, these run before the task's answer. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[loom-export] progress");
  g_source_set_callback (source, progress_call_run, call, g_free);
  g_source_attach (source, progress->context);
}

/* ---------------------------------------------------------------------------------------- */
/* Text helpers                                                                             */

static char *
chapter_heading (const Settings      *settings,
                 const LoomManuscriptChapter *chapter)
{
  if (settings->chapter_titles && chapter->title != NULL && *chapter->title != '\0')
    return g_strdup (chapter->title);
  return g_strdup_printf (_("Chapter %u"), chapter->number);
}

/* How a text format (Markdown, plain text, and the body of a Word document) writes each part
 * of the manuscript; the order of the parts, the cancellation and the progress are
 * append_text_format ()'s. */
typedef struct
{
  void (*title_page) (GString *out, const LoomManuscript *book);
  void (*heading)    (GString *out, const char *heading, guint index);
  void (*separator)  (GString *out, const char *separator);
  void (*block)      (GString *out, const char *text, gboolean outline);
} TextFormat;

/* Appends the title page and the chapters to @out, with progress as each chapter is done. */
static gboolean
append_text_format (const TextFormat     *format,
                    GString              *out,
                    const LoomManuscript *book,
                    const Settings       *settings,
                    const Progress       *progress,
                    GCancellable         *cancellable,
                    GError              **error)
{
  if (settings->title_page)
    format->title_page (out, book);

  for (guint c = 0; c < book->chapters->len; c++)
    {
      const LoomManuscriptChapter *chapter = g_ptr_array_index (book->chapters, c);
      g_autofree char *heading = chapter_heading (settings, chapter);
      g_autofree char *heading_line = loom_manuscript_one_line (heading);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      format->heading (out, heading_line, c);
      for (guint s = 0; s < chapter->scenes->len; s++)
        {
          const LoomManuscriptScene *scene = g_ptr_array_index (chapter->scenes, s);

          if (s > 0)
            format->separator (out, settings->separator);
          if (settings->outlines && !loom_manuscript_is_blank (scene->outline))
            format->block (out, scene->outline, TRUE);
          if (!loom_manuscript_is_blank (scene->prose))
            format->block (out, scene->prose, FALSE);
        }
      report (progress, (c + 1.0) / (book->chapters->len + 1));
    }
  return TRUE;
}

static GBytes *
write_text_format (const TextFormat     *format,
                   const LoomManuscript *book,
                   const Settings       *settings,
                   const Progress       *progress,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!append_text_format (format, out, book, settings, progress, cancellable, error))
    return NULL;
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* ---------------------------------------------------------------------------------------- */
/* Markdown                                                                                 */

static void
append_markdown_text (GString    *out,
                      const char *text,
                      const char *prefix)
{
  g_auto(GStrv) lines = loom_manuscript_split_lines (text);
  guint n = g_strv_length (lines);

  /* Leading and trailing blank lines would only add space between scenes. */
  while (n > 0 && loom_manuscript_is_blank (lines[n - 1]))
    n--;
  for (guint i = 0; i < n; i++)
    {
      if (i == 0 && loom_manuscript_is_blank (lines[i]))
        {
          while (i + 1 < n && loom_manuscript_is_blank (lines[i + 1]))
            i++;
          continue;
        }
      g_string_append (out, prefix);
      loom_manuscript_append_escaped (out, lines[i], FALSE);
    }
}

static void
markdown_title_page (GString              *out,
                     const LoomManuscript *book)
{
  g_autofree char *title = loom_manuscript_one_line (book->title);

  /* Pandoc's title block: a title that is not a chapter. */
  g_string_append_printf (out, "%% %s\n\n", title);
}

static void
markdown_heading (GString    *out,
                  const char *heading,
                  guint       index)
{
  g_string_append_printf (out, "# %s\n\n", heading);
}

static void
markdown_separator (GString    *out,
                    const char *separator)
{
  loom_manuscript_append_escaped (out, separator, TRUE);
  g_string_append_c (out, '\n');
}

/* An outline is a quotation, the prose plain paragraphs. */
static void
markdown_block (GString    *out,
                const char *text,
                gboolean    outline)
{
  append_markdown_text (out, text, outline ? "> " : "");
  g_string_append_c (out, '\n');
}

static const TextFormat markdown_format = {
  markdown_title_page, markdown_heading, markdown_separator, markdown_block,
};

/* ---------------------------------------------------------------------------------------- */
/* Plain text                                                                               */

static void
append_plain_text (GString    *out,
                   const char *text)
{
  g_auto(GStrv) lines = loom_manuscript_split_lines (text);
  guint n = g_strv_length (lines);
  guint first = 0;

  while (n > 0 && loom_manuscript_is_blank (lines[n - 1]))
    n--;
  while (first < n && loom_manuscript_is_blank (lines[first]))
    first++;
  for (guint i = first; i < n; i++)
    {
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }
}

static void
text_block (GString    *out,
            const char *text,
            gboolean    outline)
{
  g_autofree char *stripped = NULL;

  if (!outline)
    {
      append_plain_text (out, text);
      g_string_append_c (out, '\n');
      return;
    }
  stripped = g_strstrip (g_strdup (text));
  g_string_append_printf (out, _("[Outline: %s]"), stripped);
  g_string_append (out, "\n\n");
}

static void
text_title_page (GString              *out,
                 const LoomManuscript *book)
{
  g_autofree char *title = loom_manuscript_one_line (book->title);

  g_string_append_printf (out, "%s\n\n", title);
  if (!loom_manuscript_is_blank (book->premise))
    text_block (out, book->premise, FALSE);
  g_string_append_c (out, '\n');
}

static void
text_heading (GString    *out,
              const char *heading,
              guint       index)
{
  glong width = MAX (3, g_utf8_strlen (heading, -1));

  if (index > 0)
    g_string_append_c (out, '\n');
  /* Underlined with '=', which the importer reads back as a chapter heading. */
  g_string_append_printf (out, "%s\n", heading);
  for (glong i = 0; i < width; i++)
    g_string_append_c (out, '=');
  g_string_append (out, "\n\n");
}

static void
text_separator (GString    *out,
                const char *separator)
{
  g_string_append_printf (out, "%s\n\n", separator);
}

static const TextFormat text_format = {
  text_title_page, text_heading, text_separator, text_block,
};

/* ---------------------------------------------------------------------------------------- */
/* XML                                                                                      */

/* Escapes for XML 1.0 text and attributes, dropping the characters XML cannot hold at all
 * (most C0 controls, U+FFFE, U+FFFF): a stray one in the prose must not make the EPUB or the
 * DOCX unreadable. g_markup_escape_text() would turn them into character references, which
 * XML 1.0 does not allow either. */
static void
append_xml (GString    *out,
            const char *text)
{
  for (const char *p = text ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\t': case '\n': case '\r':
          g_string_append_c (out, c);
          break;
        default:
          if (c < 0x20 || c == 0xFFFE || c == 0xFFFF)
            break;
          g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
}

/* As g_string_append_printf () with %s alone (no other conversion, not even %%), each text
 * escaped by append_xml (): the format holds the markup, the arguments the writer's words. */
static void G_GNUC_PRINTF (2, 3)
append_xml_printf (GString    *out,
                   const char *format,
                   ...)
{
  va_list args;

  va_start (args, format);
  for (const char *p = format; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 's')
        {
          append_xml (out, va_arg (args, const char *));
          p++;
        }
      else if (p[0] == '%')
        {
          /* any other conversion would read the wrong argument from here on */
          g_critical ("append_xml_printf () takes %%s alone: “%s”", format);
          break;
        }
      else
        g_string_append_c (out, *p);
    }
  va_end (args);
}

/* Each non-blank line of the prose is a paragraph: that is how writers type fiction in the
 * editor, one Enter per paragraph, and a blank line between them changes nothing. */
typedef void (*ParagraphFunc) (GString *out, const char *paragraph, gpointer data);

static void
for_each_paragraph (GString       *out,
                    const char    *text,
                    ParagraphFunc  func,
                    gpointer       data)
{
  g_auto(GStrv) lines = loom_manuscript_split_lines (text);

  for (char **line = lines; *line != NULL; line++)
    {
      g_strstrip (*line);
      if (**line != '\0')
        func (out, *line, data);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* EPUB 3                                                                                   */

static const char epub_container[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
  "  <rootfiles>\n"
  "    <rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
  "  </rootfiles>\n"
  "</container>\n";

static const char epub_css[] =
  "body { margin: 0 5%; line-height: 1.5; }\n"
  "h1 { margin: 3em 0 1.5em; text-align: center; font-weight: normal; }\n"
  "p { margin: 0; text-indent: 1.5em; text-align: justify; }\n"
  "h1 + p, .scene-break + p, .outline + p { text-indent: 0; }\n"
  ".scene-break { margin: 1em 0; text-indent: 0; text-align: center; }\n"
  ".outline { margin: 1em 0; font-style: italic; color: #555; }\n"
  ".outline p { text-indent: 0; }\n"
  ".title-page { margin-top: 30%; text-align: center; }\n"
  ".title-page h1 { font-size: 2em; margin: 0 0 1em; }\n"
  ".premise { font-style: italic; text-indent: 0; text-align: center; }\n";

static void
xhtml_begin (GString        *out,
             const Settings *settings,
             const char     *title)
{
  append_xml_printf (out,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<!DOCTYPE html>\n"
                     "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                     "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"%s\" xml:lang=\"%s\">\n"
                     "<head>\n<meta charset=\"utf-8\"/>\n<title>%s</title>\n"
                     "<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n"
                     "</head>\n<body>\n",
                     settings->language, settings->language, title);
}

static void
xhtml_paragraph (GString    *out,
                 const char *paragraph,
                 gpointer    data)
{
  const char *class = data;

  if (class != NULL)
    append_xml_printf (out, "<p class=\"%s\">%s</p>\n", class, paragraph);
  else
    append_xml_printf (out, "<p>%s</p>\n", paragraph);
}

static char *
chapter_file_name (guint index)
{
  return g_strdup_printf ("chapter-%03u.xhtml", index + 1);
}

/* A stable identifier for the book: the same story gives the same one on every export, so a
 * reader updates the book rather than adding a second copy. */
static char *
book_identifier (const LoomManuscript *book)
{
  g_autofree char *seed = g_strdup_printf ("storyloom:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                           book->id, book->created_at);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, seed, -1);

  /* Laid out as a name-based (version 5) UUID. */
  return g_strdup_printf ("urn:uuid:%.8s-%.4s-5%.3s-%c%.3s-%.12s", hash, hash + 8, hash + 13,
                          "89ab"[g_ascii_xdigit_value (hash[16]) & 3], hash + 17, hash + 20);
}

static gboolean
write_epub_title_page (LoomZip           *zip,
                       const LoomManuscript  *book,
                       const Settings    *settings,
                       const char        *title,
                       GCancellable      *cancellable,
                       GError           **error)
{
  g_autoptr(GString) page = g_string_new (NULL);

  xhtml_begin (page, settings, title);
  append_xml_printf (page, "<section class=\"title-page\" epub:type=\"titlepage\">\n"
                     "<h1>%s</h1>\n", title);
  if (!loom_manuscript_is_blank (book->premise))
    for_each_paragraph (page, book->premise, xhtml_paragraph, (gpointer) "premise");
  g_string_append (page, "</section>\n</body>\n</html>\n");
  return loom_zip_add (zip, "EPUB/title.xhtml", page->str, page->len, TRUE, cancellable, error);
}

static gboolean
write_epub_chapter (LoomZip              *zip,
                    const LoomManuscriptChapter  *chapter,
                    guint                 index,
                    const char           *heading,
                    const Settings       *settings,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_autoptr(GString) page = g_string_new (NULL);
  g_autofree char *name = chapter_file_name (index);
  g_autofree char *path = g_strconcat ("EPUB/", name, NULL);

  xhtml_begin (page, settings, heading);
  append_xml_printf (page, "<section epub:type=\"chapter\">\n<h1>%s</h1>\n", heading);
  for (guint s = 0; s < chapter->scenes->len; s++)
    {
      const LoomManuscriptScene *scene = g_ptr_array_index (chapter->scenes, s);

      if (s > 0)
        xhtml_paragraph (page, settings->separator, (gpointer) "scene-break");
      if (settings->outlines && !loom_manuscript_is_blank (scene->outline))
        {
          g_string_append (page, "<div class=\"outline\">\n");
          for_each_paragraph (page, scene->outline, xhtml_paragraph, NULL);
          g_string_append (page, "</div>\n");
        }
      for_each_paragraph (page, scene->prose, xhtml_paragraph, NULL);
    }
  g_string_append (page, "</section>\n</body>\n</html>\n");
  return loom_zip_add (zip, path, page->str, page->len, TRUE, cancellable, error);
}

/* The package document: the book's metadata, and the @manifest and @spine of its files. */
static gboolean
write_epub_package (LoomZip              *zip,
                    const LoomManuscript *book,
                    const Settings       *settings,
                    const char           *title,
                    GString              *manifest,
                    GString              *spine,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_autoptr(GString) opf = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *modified = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *identifier = book_identifier (book);

  append_xml_printf (opf,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                     "unique-identifier=\"book-id\" xml:lang=\"%s\">\n"
                     "  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                     "    <dc:identifier id=\"book-id\">%s</dc:identifier>\n"
                     "    <dc:title>%s</dc:title>\n"
                     "    <dc:language>%s</dc:language>\n",
                     settings->language, identifier, title, settings->language);
  if (!loom_manuscript_is_blank (book->premise))
    append_xml_printf (opf, "    <dc:description>%s</dc:description>\n", book->premise);
  g_string_append_printf (opf, "    <meta property=\"dcterms:modified\">%s</meta>\n"
                          "  </metadata>\n  <manifest>\n"
                          "    <item id=\"nav\" href=\"nav.xhtml\" "
                          "media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n"
                          "    <item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n"
                          "%s  </manifest>\n  <spine>\n%s  </spine>\n</package>\n",
                          modified, manifest->str, spine->str);
  return loom_zip_add (zip, "EPUB/package.opf", opf->str, opf->len, TRUE, cancellable, error);
}

static gboolean
add_epub_parts (LoomZip              *zip,
                const LoomManuscript *book,
                const Settings       *settings,
                const Progress       *progress,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(GString) nav = g_string_new (NULL);
  g_autoptr(GString) manifest = g_string_new (NULL);
  g_autoptr(GString) spine = g_string_new (NULL);
  g_autofree char *title = loom_manuscript_one_line (book->title);
  /* A spine needs one item at least: a story without chapters still gets its title page. */
  gboolean title_page = settings->title_page || book->chapters->len == 0;

  /* The mimetype entry comes first and uncompressed, so that its bytes sit at a fixed offset
   * where tools look for them. */
  if (!loom_zip_add_string (zip, "mimetype", "application/epub+zip", FALSE, cancellable, error) ||
      !loom_zip_add_string (zip, "META-INF/container.xml", epub_container, TRUE, cancellable,
                            error) ||
      !loom_zip_add_string (zip, "EPUB/style.css", epub_css, TRUE, cancellable, error))
    return FALSE;

  xhtml_begin (nav, settings, _("Contents"));
  append_xml_printf (nav, "<nav epub:type=\"toc\" id=\"toc\">\n<h1>%s</h1>\n<ol>\n",
                     _("Contents"));

  if (title_page)
    {
      if (!write_epub_title_page (zip, book, settings, title, cancellable, error))
        return FALSE;
      g_string_append (manifest, "    <item id=\"title-page\" href=\"title.xhtml\" "
                       "media-type=\"application/xhtml+xml\"/>\n");
      g_string_append (spine, "    <itemref idref=\"title-page\"/>\n");
      if (book->chapters->len == 0)
        append_xml_printf (nav, "<li><a href=\"title.xhtml\">%s</a></li>\n", title);
    }

  for (guint c = 0; c < book->chapters->len; c++)
    {
      const LoomManuscriptChapter *chapter = g_ptr_array_index (book->chapters, c);
      g_autofree char *heading = chapter_heading (settings, chapter);
      g_autofree char *heading_line = loom_manuscript_one_line (heading);
      g_autofree char *name = chapter_file_name (c);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !write_epub_chapter (zip, chapter, c, heading_line, settings, cancellable, error))
        return FALSE;

      g_string_append_printf (manifest, "    <item id=\"chapter-%u\" href=\"%s\" "
                              "media-type=\"application/xhtml+xml\"/>\n", c + 1, name);
      g_string_append_printf (spine, "    <itemref idref=\"chapter-%u\"/>\n", c + 1);
      append_xml_printf (nav, "<li><a href=\"%s\">%s</a></li>\n", name, heading_line);
      report (progress, (c + 1.0) / (book->chapters->len + 1));
    }

  g_string_append (nav, "</ol>\n</nav>\n</body>\n</html>\n");
  return loom_zip_add (zip, "EPUB/nav.xhtml", nav->str, nav->len, TRUE, cancellable, error) &&
         write_epub_package (zip, book, settings, title, manifest, spine, cancellable, error);
}

/* ---------------------------------------------------------------------------------------- */
/* DOCX (Office Open XML, the smallest package Word, LibreOffice and pandoc all open)       */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define OFFICE_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const char docx_content_types[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
  "<Default Extension=\"rels\" "
  "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
  "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
  "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
  "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
  "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
  "<Override PartName=\"/docProps/core.xml\" "
  "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
  "</Types>\n";

static const char docx_package_rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Relationships xmlns=\"" REL_NS "\">"
  "<Relationship Id=\"rId1\" Type=\"" OFFICE_REL "/officeDocument\" "
  "Target=\"word/document.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
  "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
  "</Relationships>\n";

static const char docx_document_rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Relationships xmlns=\"" REL_NS "\">"
  "<Relationship Id=\"rId1\" Type=\"" OFFICE_REL "/styles\" Target=\"styles.xml\"/>"
  "</Relationships>\n";

/* %s: the language. Headings start a new page; the scene break is centred. */
static const char docx_styles[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<w:styles xmlns:w=\"" W_NS "\">"
  "<w:docDefaults><w:rPrDefault><w:rPr>"
  "<w:rFonts w:ascii=\"Liberation Serif\" w:hAnsi=\"Liberation Serif\" "
  "w:cs=\"Liberation Serif\" w:eastAsia=\"Liberation Serif\"/>"
  "<w:sz w:val=\"24\"/><w:lang w:val=\"%s\"/></w:rPr></w:rPrDefault>"
  "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"360\" w:lineRule=\"auto\"/>"
  "</w:pPr></w:pPrDefault></w:docDefaults>"
  "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
  "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
  "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"BodyText\">"
  "<w:name w:val=\"Body Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>"
  "<w:pPr><w:ind w:firstLine=\"425\"/><w:jc w:val=\"both\"/></w:pPr></w:style>"
  "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
  "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Subtitle\"/><w:qFormat/>"
  "<w:pPr><w:spacing w:before=\"2880\" w:after=\"480\"/><w:jc w:val=\"center\"/></w:pPr>"
  "<w:rPr><w:sz w:val=\"56\"/></w:rPr></w:style>"
  "<w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/>"
  "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
  "<w:rPr><w:i/></w:rPr></w:style>"
  "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
  "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/>"
  "<w:pPr><w:keepNext/><w:pageBreakBefore/><w:spacing w:before=\"1440\" w:after=\"480\"/>"
  "<w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr>"
  "<w:rPr><w:sz w:val=\"36\"/></w:rPr></w:style>"
  "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"SceneBreak\">"
  "<w:name w:val=\"Scene Break\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/>"
  "<w:pPr><w:spacing w:before=\"240\" w:after=\"240\"/><w:jc w:val=\"center\"/></w:pPr>"
  "</w:style>"
  "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Outline\">"
  "<w:name w:val=\"Outline\"/><w:basedOn w:val=\"Normal\"/>"
  "<w:pPr><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:i/><w:color w:val=\"666666\"/>"
  "</w:rPr></w:style>"
  "</w:styles>\n";

static void
docx_paragraph (GString    *out,
                const char *text,
                gpointer    data)
{
  const char *style = data;

  g_string_append (out, "<w:p>");
  if (style != NULL)
    g_string_append_printf (out, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
  g_string_append (out, "<w:r><w:t xml:space=\"preserve\">");
  /* A tab inside <w:t> is read as a space; Word wants its own element for it. */
  for (const char *p = text; *p != '\0'; )
    {
      const char *tab = strchr (p, '\t');
      g_autofree char *piece = g_strndup (p, tab ? (gsize) (tab - p) : strlen (p));

      append_xml (out, piece);
      if (tab == NULL)
        break;
      g_string_append (out, "</w:t><w:tab/><w:t xml:space=\"preserve\">");
      p = tab + 1;
    }
  g_string_append (out, "</w:t></w:r></w:p>\n");
}

static void
docx_title_page (GString              *out,
                 const LoomManuscript *book)
{
  g_autofree char *title = loom_manuscript_one_line (book->title);

  docx_paragraph (out, title, (gpointer) "Title");
  if (!loom_manuscript_is_blank (book->premise))
    for_each_paragraph (out, book->premise, docx_paragraph, (gpointer) "Subtitle");
}

static void
docx_heading (GString    *out,
              const char *heading,
              guint       index)
{
  docx_paragraph (out, heading, (gpointer) "Heading1");
}

static void
docx_separator (GString    *out,
                const char *separator)
{
  docx_paragraph (out, separator, (gpointer) "SceneBreak");
}

static void
docx_block (GString    *out,
            const char *text,
            gboolean    outline)
{
  for_each_paragraph (out, text, docx_paragraph, (gpointer) (outline ? "Outline" : "BodyText"));
}

/* Word's paragraphs, in the order and with the progress the text formats have. */
static const TextFormat docx_format = {
  docx_title_page, docx_heading, docx_separator, docx_block,
};

static gboolean
add_docx_parts (LoomZip              *zip,
                const LoomManuscript *book,
                const Settings       *settings,
                const Progress       *progress,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(GString) document = g_string_new (NULL);
  g_autoptr(GString) core = g_string_new (NULL);
  g_autofree char *title = loom_manuscript_one_line (book->title);
  g_autofree char *styles = g_strdup_printf (docx_styles, settings->language);

  g_string_append (document,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<w:document xmlns:w=\"" W_NS "\"><w:body>\n");

  if (!append_text_format (&docx_format, document, book, settings, progress, cancellable,
                           error))
    return FALSE;

  /* A4 with one-inch margins; Word falls back to Letter when it has no section at all. */
  g_string_append (document,
                   "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
                   "<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" "
                   "w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr>"
                   "</w:body></w:document>\n");

  append_xml_printf (core,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                     "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/"
                     "2006/metadata/core-properties\" "
                     "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
                     "<dc:title>%s</dc:title><dc:language>%s</dc:language>"
                     "</cp:coreProperties>\n",
                     title, settings->language);

  return loom_zip_add_string (zip, "[Content_Types].xml", docx_content_types, TRUE, cancellable,
                              error) &&
         loom_zip_add_string (zip, "_rels/.rels", docx_package_rels, TRUE, cancellable, error) &&
         loom_zip_add_string (zip, "docProps/core.xml", core->str, TRUE, cancellable, error) &&
         loom_zip_add_string (zip, "word/_rels/document.xml.rels", docx_document_rels, TRUE,
                              cancellable, error) &&
         loom_zip_add_string (zip, "word/styles.xml", styles, TRUE, cancellable, error) &&
         loom_zip_add (zip, "word/document.xml", document->str, document->len, TRUE,
                       cancellable, error);
}

/* EPUB and DOCX are both ZIP packages, built in memory and then written whole. */
typedef gboolean (*AddPartsFunc) (LoomZip              *zip,
                                  const LoomManuscript *book,
                                  const Settings       *settings,
                                  const Progress       *progress,
                                  GCancellable         *cancellable,
                                  GError              **error);

static GBytes *
write_package (AddPartsFunc          add_parts,
               const LoomManuscript *book,
               const Settings       *settings,
               const Progress       *progress,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(LoomZip) zip = loom_zip_new (memory);

  if (!add_parts (zip, book, settings, progress, cancellable, error) ||
      !loom_zip_finish (zip, cancellable, error) ||
      !g_output_stream_close (memory, cancellable, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* ---------------------------------------------------------------------------------------- */
/* Entry points                                                                             */

static gboolean
write_book (const LoomManuscript *book,
            const Settings   *settings,
            GFile            *file,
            const Progress   *progress,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  switch (settings->format)
    {
    case LOOM_EXPORT_FORMAT_MARKDOWN:
      bytes = write_text_format (&markdown_format, book, settings, progress, cancellable,
                                 error);
      break;
    case LOOM_EXPORT_FORMAT_TEXT:
      bytes = write_text_format (&text_format, book, settings, progress, cancellable, error);
      break;
    case LOOM_EXPORT_FORMAT_EPUB:
      bytes = write_package (add_epub_parts, book, settings, progress, cancellable, error);
      break;
    case LOOM_EXPORT_FORMAT_DOCX:
      bytes = write_package (add_docx_parts, book, settings, progress, cancellable, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (bytes == NULL)
    return FALSE;

  if (!loom_file_write_whole (file, bytes, cancellable, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        g_set_error (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_FAILED,
                     _("There is not enough free space to write “%s”; an earlier file of that "
                       "name was left as it was. Free some space or choose another place."),
                     name);
      else
        g_set_error (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_FAILED,
                     _("Could not write “%s”: %s. Choose another place to export to."), name,
                     local_error->message);
      return FALSE;
    }
  report (progress, 1.0);
  return TRUE;
}

static gboolean
check_story (LoomStory  *story,
             GError    **error)
{
  LoomStore *store = loom_story_get_store (story);

  if (store == NULL || loom_store_lookup_story (store, loom_story_get_id (story)) != story)
    {
      g_set_error_literal (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_NOT_FOUND,
                           _("This story is no longer in the library, so it cannot be "
                             "exported."));
      return FALSE;
    }
  return TRUE;
}

/**
 * loom_export_story:
 * @story: a story of an open store, on the thread that owns the store
 * @file: the file to write; an existing one is replaced once the export has succeeded
 *
 * Exports @story in the calling thread: for the command line and tests. The window uses
 * loom_export_story_async().
 */
gboolean
loom_export_story (LoomStory               *story,
                   const LoomExportOptions *options,
                   GFile                   *file,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  g_autoptr(LoomManuscript) book = NULL;
  Settings settings;
  gboolean ok;

  g_return_val_if_fail (LOOM_IS_STORY (story), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!settings_init (&settings, options, error))
    return FALSE;
  ok = check_story (story, error) &&
       (book = collect_book (story, settings.disclosure, settings.summaries, error)) != NULL &&
       write_book (book, &settings, file, NULL, cancellable, error);
  settings_clear (&settings);
  return ok;
}

typedef struct
{
  char           *library_path;
  gint64          story_id;
  Settings        settings;
  GFile          *file;
  Progress        progress;
  GDestroyNotify  progress_data_free;
} ExportTaskData;

static void
export_task_data_free (ExportTaskData *data)
{
  g_free (data->library_path);
  settings_clear (&data->settings);
  g_clear_object (&data->file);
  g_clear_pointer (&data->progress.context, g_main_context_unref);
  if (data->progress_data_free != NULL)
    data->progress_data_free (data->progress.data);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportTaskData, export_task_data_free)

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportTaskData *data = task_data;
  g_autoptr(LoomStore) reader = NULL;
  LoomManuscript *book = NULL;
  LoomStory *story = NULL;
  GError *error = NULL;

  reader = loom_store_open_reader (data->library_path, &error);
  if (reader != NULL && (story = loom_store_lookup_story (reader, data->story_id)) == NULL)
    g_set_error_literal (&error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_NOT_FOUND,
                         _("This story is no longer in the library, so it cannot be "
                           "exported."));

  if (story != NULL &&
      (book = collect_book (story, data->settings.disclosure, data->settings.summaries,
                            &error)) != NULL &&
      write_book (book, &data->settings, data->file, &data->progress, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_clear_pointer (&book, loom_manuscript_free);
}

/**
 * loom_export_story_async:
 * @progress: (nullable): called on the caller's thread-default main context as the export
 *   goes, always before @callback
 * @progress_data_free: (nullable): frees @progress_data once the export is over
 *
 * Reads the story through a connection of its own and writes the file, all in a thread. Save
 * any text still being edited first: the export sees what the library holds.
 */
void
loom_export_story_async (LoomStory               *story,
                         const LoomExportOptions *options,
                         GFile                   *file,
                         GCancellable            *cancellable,
                         LoomExportProgressFunc   progress,
                         gpointer                 progress_data,
                         GDestroyNotify           progress_data_free,
                         GAsyncReadyCallback      callback,
                         gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ExportTaskData) data = g_new0 (ExportTaskData, 1);
  GError *error = NULL;

  g_return_if_fail (LOOM_IS_STORY (story));
  g_return_if_fail (options != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (story, cancellable, callback, user_data);
  g_task_set_source_tag (task, loom_export_story_async);

  data->file = g_object_ref (file);
  data->progress.func = progress;
  data->progress.data = progress_data;
  data->progress.context = g_main_context_ref_thread_default ();
  data->progress_data_free = progress_data_free;

  if (!settings_init (&data->settings, options, &error) ||
      !check_story (story, &error))
    {
      g_task_set_task_data (task, g_steal_pointer (&data),
                            (GDestroyNotify) export_task_data_free);
      g_task_return_error (task, error);
      return;
    }

  data->library_path = g_strdup (loom_store_get_path (loom_story_get_store (story)));
  data->story_id = loom_story_get_id (story);
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) export_task_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
loom_export_story_finish (LoomStory     *story,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, story), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, loom_export_story_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
