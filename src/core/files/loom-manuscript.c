/* loom-manuscript.c: a story as a manuscript file holds it, for export and import alike
 *
 * The exporter writes this shape and the importer reads it, so an export imports back:
 * - a chapter starts at a "# Title" line (Markdown only) or at a line underlined with "===";
 * - scenes are separated by a line of three or more '*', '-' or '_' ("***", "---", "* * *");
 * - Markdown only: a "% Title" line at the top is the story's title, a "> " quote opening a
 *   scene is its outline, and a backslash before a leading '#', '%', '>', '\', '*', '-', '_'
 *   or '=' is dropped (the exporter adds it so that such prose lines stay prose).
 * Both sides take these rules from here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-manuscript"

#include "config.h"

#include <string.h>

#include "loom-manuscript.h"

/* What may follow the backslash the exporter puts before a line that looks like structure. */
#define ESCAPED_LEADS "#%>\\*-_="

LoomManuscriptScene *
loom_manuscript_scene_new (char *outline,
                           char *prose)
{
  LoomManuscriptScene *scene = g_new0 (LoomManuscriptScene, 1);

  scene->outline = outline;
  scene->prose = prose;
  return scene;
}

void
loom_manuscript_scene_free (gpointer data)
{
  LoomManuscriptScene *scene = data;

  g_free (scene->outline);
  g_free (scene->prose);
  g_free (scene);
}

static void
chapter_free (gpointer data)
{
  LoomManuscriptChapter *chapter = data;

  g_free (chapter->title);
  g_ptr_array_unref (chapter->scenes);
  g_free (chapter);
}

LoomManuscript *
loom_manuscript_new (void)
{
  LoomManuscript *self = g_new0 (LoomManuscript, 1);

  self->chapters = g_ptr_array_new_with_free_func (chapter_free);
  return self;
}

void
loom_manuscript_free (LoomManuscript *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->premise);
  g_ptr_array_unref (self->chapters);
  g_free (self);
}

/* Appends a chapter without scenes; its number is its place, from 1. */
LoomManuscriptChapter *
loom_manuscript_add_chapter (LoomManuscript *self,
                             const char     *title)
{
  LoomManuscriptChapter *chapter;

  g_return_val_if_fail (self != NULL, NULL);

  chapter = g_new0 (LoomManuscriptChapter, 1);
  chapter->title = g_strdup (title);
  chapter->number = self->chapters->len + 1;
  chapter->scenes = g_ptr_array_new_with_free_func (loom_manuscript_scene_free);
  g_ptr_array_add (self->chapters, chapter);
  return chapter;
}

gboolean
loom_manuscript_is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Titles go on one line in every format, and in the command line's tab-separated lists. */
char *
loom_manuscript_one_line (const char *text)
{
  char *copy = g_strdup (text ? text : "");

  for (char *p = copy; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  return g_strstrip (copy);
}

/* The lines of @text without their line ends, "\r\n" or "\n". */
char **
loom_manuscript_split_lines (const char *text)
{
  char **lines = g_strsplit (text ? text : "", "\n", -1);

  for (char **line = lines; *line != NULL; line++)
    {
      gsize len = strlen (*line);

      if (len > 0 && (*line)[len - 1] == '\r')
        (*line)[len - 1] = '\0';
    }
  return lines;
}

/* A line read as a scene break: three or more '*', '-' or '_', alone, with spaces allowed
 * between them (Markdown's thematic break). */
gboolean
loom_manuscript_is_scene_break (const char *line)
{
  char mark = 0;
  guint count = 0;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r')
        continue;
      if ((*p != '*' && *p != '-' && *p != '_') || (mark != 0 && *p != mark))
        return FALSE;
      mark = *p;
      count++;
    }
  return count >= 3;
}

/* A line of '=' under a line of text makes that line a chapter heading (setext). */
gboolean
loom_manuscript_is_heading_rule (const char *line)
{
  guint count = 0;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == '=')
        count++;
      else if (*p != ' ' && *p != '\t' && *p != '\r')
        return FALSE;
    }
  return count >= 3;
}

/* Appends @line and a line end to Markdown. Prose is the writer's own text, Markdown-ish
 * already, and goes out as it is; only a line the importer would take for structure (a
 * heading, a scene break, the title block, an outline) gets a backslash, which Markdown hides
 * and loom_manuscript_unescape() removes. The scene separator itself stays a break. */
void
loom_manuscript_append_escaped (GString    *out,
                                const char *line,
                                gboolean    is_separator)
{
  const char *p = line;

  while (*p == ' ')
    p++;
  if (*p == '#' || *p == '%' || *p == '>' || *p == '\\' ||
      (!is_separator && (loom_manuscript_is_scene_break (line) ||
                         loom_manuscript_is_heading_rule (line))))
    {
      g_string_append_len (out, line, p - line);
      g_string_append_c (out, '\\');
      g_string_append (out, p);
    }
  else
    g_string_append (out, line);
  g_string_append_c (out, '\n');
}

void
loom_manuscript_unescape (char *line)
{
  char *p = line;

  while (*p == ' ')
    p++;
  if (p[0] == '\\' && p[1] != '\0' && strchr (ESCAPED_LEADS, p[1]) != NULL)
    memmove (p, p + 1, strlen (p));
}
