/* loom-file-writer.h: files that appear whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean   loom_file_write_whole   (GFile         *file,
                                    GBytes        *contents,
                                    GCancellable  *cancellable,
                                    GError       **error);
gboolean   loom_file_sync_path     (const char    *path,
                                    GError       **error);
void       loom_file_sync_folder   (const char    *path);

G_END_DECLS
