/* loom-store-models.h: the servers' lists of models, cached in the library with their date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

/**
 * LoomModelEntry:
 * @id: the model's id, as the server names it
 * @context_length: in tokens, 0 when the server did not say
 * @prompt_price: US dollars per prompt token, negative when the server did not say
 * @completion_price: US dollars per completion token, negative when the server did not say
 *
 * One model of a server's list as the library keeps it. The store knows nothing of the AI
 * client: loom-model-catalog.h is the way the rest of the program reads these.
 */
typedef struct
{
  const char *id;
  gint64      context_length;
  double      prompt_price;
  double      completion_price;
} LoomModelEntry;

gboolean  loom_store_save_models        (LoomStore             *self,
                                         const char            *server,
                                         const LoomModelEntry  *entries,
                                         guint                  n_entries,
                                         gint64                 fetched_at,
                                         GError               **error);
gint64    loom_store_get_models_date    (LoomStore             *self,
                                         const char            *server,
                                         GError               **error);
gboolean  loom_store_lookup_model       (LoomStore             *self,
                                         const char            *server,
                                         const char            *model,
                                         LoomModelEntry        *entry,
                                         GError               **error);

G_END_DECLS
