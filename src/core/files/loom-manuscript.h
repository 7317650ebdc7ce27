/* loom-manuscript.h: a story as a manuscript file holds it, for export and import alike
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *outline;
  char *prose;     /* NULL: none */
} LoomManuscriptScene;

typedef struct
{
  char      *title;    /* NULL: "Chapter N" */
  guint      number;
  GPtrArray *scenes;   /* LoomManuscriptScene */
} LoomManuscriptChapter;

typedef struct
{
  char      *title;
  char      *premise;
  gint64     id;
  gint64     created_at;
  GPtrArray *chapters; /* LoomManuscriptChapter */
} LoomManuscript;

LoomManuscript        *loom_manuscript_new           (void);
void                   loom_manuscript_free          (LoomManuscript        *self);
LoomManuscriptChapter *loom_manuscript_add_chapter   (LoomManuscript        *self,
                                                      const char            *title);
LoomManuscriptScene   *loom_manuscript_scene_new     (char                  *outline,
                                                      char                  *prose);
void                   loom_manuscript_scene_free    (gpointer               scene);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomManuscript, loom_manuscript_free)

/* The text of a manuscript, line by line. */
gboolean               loom_manuscript_is_blank        (const char *text);
char                  *loom_manuscript_one_line        (const char *text);
char                 **loom_manuscript_split_lines     (const char *text);
gboolean               loom_manuscript_is_scene_break  (const char *line);
gboolean               loom_manuscript_is_heading_rule (const char *line);
void                   loom_manuscript_append_escaped  (GString    *out,
                                                        const char *line,
                                                        gboolean    is_separator);
void                   loom_manuscript_unescape        (char       *line);

G_END_DECLS
