/* loom-zip.h: a small zip writer for EPUB and DOCX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LOOM_TYPE_ZIP (loom_zip_get_type ())

G_DECLARE_FINAL_TYPE (LoomZip, loom_zip, LOOM, ZIP, GObject)

LoomZip   *loom_zip_new        (GOutputStream  *stream);
gboolean   loom_zip_add        (LoomZip        *self,
                                const char     *name,
                                const void     *data,
                                gsize           length,
                                gboolean        compress,
                                GCancellable   *cancellable,
                                GError        **error);
gboolean   loom_zip_add_string (LoomZip        *self,
                                const char     *name,
                                const char     *text,
                                gboolean        compress,
                                GCancellable   *cancellable,
                                GError        **error);
gboolean   loom_zip_finish     (LoomZip        *self,
                                GCancellable   *cancellable,
                                GError        **error);

G_END_DECLS
