/* loom-export.h: a story as Markdown, plain text, EPUB 3 or DOCX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_EXPORT_ERROR (loom_export_error_quark ())

typedef enum
{
  LOOM_EXPORT_ERROR_FAILED,
  LOOM_EXPORT_ERROR_NOT_FOUND,   /* the story is gone from the library */
  LOOM_EXPORT_ERROR_INVALID,     /* an unknown format, a separator with a line break… */
} LoomExportError;

typedef enum
{
  LOOM_EXPORT_FORMAT_MARKDOWN,
  LOOM_EXPORT_FORMAT_TEXT,
  LOOM_EXPORT_FORMAT_EPUB,
  LOOM_EXPORT_FORMAT_DOCX,
} LoomExportFormat;

#define LOOM_EXPORT_DEFAULT_SEPARATOR "* * *"

typedef struct
{
  LoomExportFormat  format;
  gboolean          title_page;       /* the title (and the premise, but in Markdown) first */
  gboolean          chapter_titles;   /* headings show the chapter's title, else "Chapter N" */
  gboolean          outlines;         /* each scene's outline before its prose */
  const char       *scene_separator;  /* one line between scenes; NULL for the default */
  const char       *language;         /* BCP 47 tag for EPUB and DOCX; NULL: from the locale */
  gboolean          disclosure;       /* an appendix saying who wrote the words (issue 18) */
  gboolean          summaries;        /* an appendix of the scene summaries (issue 16) */
} LoomExportOptions;

/* Called on the main context of the caller with a fraction from 0 to 1. */
typedef void (*LoomExportProgressFunc) (double   fraction,
                                        gpointer user_data);

GQuark       loom_export_error_quark            (void);

void         loom_export_options_init           (LoomExportOptions      *options);
gboolean     loom_export_format_from_string     (const char             *name,
                                                 LoomExportFormat       *format);
const char  *loom_export_format_get_extension   (LoomExportFormat        format);
const char  *loom_export_format_get_mime_type   (LoomExportFormat        format);
char        *loom_export_suggest_file_name      (LoomStory              *story,
                                                 LoomExportFormat        format);

gboolean     loom_export_story                  (LoomStory              *story,
                                                 const LoomExportOptions *options,
                                                 GFile                  *file,
                                                 GCancellable           *cancellable,
                                                 GError                **error);

void         loom_export_story_async            (LoomStory              *story,
                                                 const LoomExportOptions *options,
                                                 GFile                  *file,
                                                 GCancellable           *cancellable,
                                                 LoomExportProgressFunc  progress,
                                                 gpointer                progress_data,
                                                 GDestroyNotify          progress_data_free,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
gboolean     loom_export_story_finish           (LoomStory              *story,
                                                 GAsyncResult           *result,
                                                 GError                **error);

G_END_DECLS
