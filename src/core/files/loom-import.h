/* loom-import.h: a Markdown or plain-text manuscript into a new story
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_IMPORT_ERROR (loom_import_error_quark ())

typedef enum
{
  LOOM_IMPORT_ERROR_FAILED,
  LOOM_IMPORT_ERROR_NOT_TEXT,   /* not UTF-8, or binary */
  LOOM_IMPORT_ERROR_EMPTY,      /* nothing, or no prose in any scene */
} LoomImportError;

typedef enum
{
  LOOM_IMPORT_FORMAT_AUTO,      /* Markdown for .md, .markdown…, plain text otherwise */
  LOOM_IMPORT_FORMAT_MARKDOWN,
  LOOM_IMPORT_FORMAT_TEXT,
} LoomImportFormat;

GQuark      loom_import_error_quark  (void);

LoomStory  *loom_import_text         (LoomStore         *store,
                                      const char        *text,
                                      gssize             length,
                                      LoomImportFormat   format,
                                      const char        *title,
                                      GCancellable      *cancellable,
                                      GError           **error);
LoomStory  *loom_import_file         (LoomStore         *store,
                                      GFile             *file,
                                      LoomImportFormat   format,
                                      const char        *title,
                                      GCancellable      *cancellable,
                                      GError           **error);
void        loom_import_file_async   (LoomStore         *store,
                                      GFile             *file,
                                      LoomImportFormat   format,
                                      const char        *title,
                                      GCancellable      *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer           user_data);
LoomStory  *loom_import_file_finish  (LoomStore         *store,
                                      GAsyncResult      *result,
                                      GError           **error);

G_END_DECLS
