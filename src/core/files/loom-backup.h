/* loom-backup.h: a copy of the library once a day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LOOM_BACKUP_ERROR (loom_backup_error_quark ())

typedef enum
{
  LOOM_BACKUP_ERROR_FAILED,
} LoomBackupError;

/* How many daily copies are kept; the oldest beyond these are removed. */
#define LOOM_BACKUP_KEEP 7

GQuark     loom_backup_error_quark        (void);

char      *loom_backup_get_folder         (const char          *library_path);
char      *loom_backup_get_path           (const char          *library_path,
                                           GDateTime           *day);

gboolean   loom_backup_run_if_due         (const char          *library_path,
                                           GDateTime           *now,
                                           char               **backup_path,
                                           GCancellable        *cancellable,
                                           GError             **error);
void       loom_backup_run_if_due_async   (const char          *library_path,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean   loom_backup_run_if_due_finish  (GAsyncResult        *result,
                                           char               **backup_path,
                                           GError             **error);

char      *loom_backup_find_intact        (const char          *library_path,
                                           GCancellable        *cancellable);
void       loom_backup_find_intact_async  (const char          *library_path,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char      *loom_backup_find_intact_finish (GAsyncResult        *result,
                                           GError             **error);
gboolean   loom_backup_restore            (const char          *library_path,
                                           const char          *backup_path,
                                           char               **damaged_path,
                                           GError             **error);

G_END_DECLS
