/* loom-model-catalog.c: the servers' model lists, fetched through the AI client (with its
 * size limits and its own JSON reader) and kept by the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-model-catalog"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-model-catalog.h"
#include "loom-store.h"
#include "loom-store-models.h"

/* The server a list belongs to: the client's base URL without trailing slashes, so that
 * ".../v1" and ".../v1/" share one list. */
static char *
server_key (LoomAiClient *client)
{
  char *server = g_strdup (loom_ai_client_get_base_url (client));
  gsize len = strlen (server);

  while (len > 1 && server[len - 1] == '/')
    server[--len] = '\0';
  return server;
}

LoomAiModelInfo *
loom_model_catalog_lookup (LoomStore    *store,
                           LoomAiClient *client,
                           const char   *model)
{
  g_autofree char *server = NULL;
  g_autoptr(GError) error = NULL;
  LoomModelEntry entry = { NULL, 0, -1.0, -1.0 };
  LoomAiModelInfo *info;

  g_return_val_if_fail (LOOM_IS_STORE (store), NULL);
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (client), NULL);

  if (model == NULL)
    model = loom_ai_client_get_model (client);
  if (model == NULL || *model == '\0')
    return NULL;

  server = server_key (client);
  if (!loom_store_lookup_model (store, server, model, &entry, &error))
    {
      if (error != NULL)
        g_debug ("Could not read the list of models: %s", error->message);
      return NULL;
    }

  info = loom_ai_model_info_new ();
  info->id = g_strdup (model);
  info->name = g_strdup (model);
  info->context_length = entry.context_length;
  info->prompt_price = entry.prompt_price;
  info->completion_price = entry.completion_price;
  return info;
}

gint64
loom_model_catalog_get_context_length (LoomStore    *store,
                                       LoomAiClient *client,
                                       const char   *model)
{
  g_autoptr(LoomAiModelInfo) info = loom_model_catalog_lookup (store, client, model);

  return info != NULL ? info->context_length : 0;
}

gint64
loom_model_catalog_get_date (LoomStore    *store,
                             LoomAiClient *client)
{
  g_autofree char *server = NULL;
  g_autoptr(GError) error = NULL;
  gint64 date;

  g_return_val_if_fail (LOOM_IS_STORE (store), 0);
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (client), 0);

  server = server_key (client);
  date = loom_store_get_models_date (store, server, &error);
  if (date < 0)
    {
      g_debug ("Could not read the date of the list of models: %s", error->message);
      return 0;
    }
  return date;
}

gboolean
loom_model_catalog_save (LoomStore     *store,
                         LoomAiClient  *client,
                         GPtrArray     *models,
                         GError       **error)
{
  g_autofree char *server = NULL;
  g_autofree LoomModelEntry *entries = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (store), FALSE);
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (client), FALSE);
  g_return_val_if_fail (models != NULL, FALSE);

  server = server_key (client);
  entries = g_new0 (LoomModelEntry, MAX (models->len, 1));
  for (guint i = 0; i < models->len; i++)
    {
      const LoomAiModelInfo *info = g_ptr_array_index (models, i);

      entries[i].id = info->id;
      entries[i].context_length = info->context_length;
      entries[i].prompt_price = info->prompt_price;
      entries[i].completion_price = info->completion_price;
    }
  return loom_store_save_models (store, server, entries, models->len,
                                 g_get_real_time () / 1000, error);
}

static void
on_models_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) models = NULL;
  GError *error = NULL;

  models = loom_ai_client_list_models_finish (LOOM_AI_CLIENT (source), result, &error);
  if (models == NULL ||
      !loom_model_catalog_save (g_task_get_task_data (task), LOOM_AI_CLIENT (source), models,
                                &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
loom_model_catalog_refresh_async (LoomStore           *store,
                                  LoomAiClient        *client,
                                  gboolean             force,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gint64 date;

  g_return_if_fail (LOOM_IS_STORE (store));
  g_return_if_fail (LOOM_IS_AI_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, loom_model_catalog_refresh_async);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);

  date = loom_model_catalog_get_date (store, client);
  /* a clock set back makes a list from "the future": fetch it again rather than trust it */
  if (!force && date > 0 && date <= g_get_real_time () / 1000 &&
      g_get_real_time () / 1000 - date < LOOM_MODEL_CATALOG_MAX_AGE_MS)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  loom_ai_client_list_models_async (client, cancellable, on_models_listed,
                                    g_steal_pointer (&task));
}

gboolean
loom_model_catalog_refresh_finish (GAsyncResult  *result,
                                   GError       **error)
{
  /* The task's source object is the client, which the caller of finish () need not have. */
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, loom_model_catalog_refresh_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
loom_model_catalog_describe_context (const LoomAiModelInfo *info)
{
  g_autofree char *number = NULL;

  if (info == NULL || info->context_length <= 0)
    /* TRANSLATORS: a model's context length that its server did not give */
    return g_strdup (_("unknown"));
  number = g_strdup_printf ("%'" G_GINT64_FORMAT, info->context_length);
  /* TRANSLATORS: a model's context length, e.g. "200,000 tokens" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens",
                                       (gulong) MIN (info->context_length, G_MAXLONG)),
                          number);
}

char *
loom_model_catalog_describe_prices (const LoomAiModelInfo *info)
{
  if (info == NULL || info->prompt_price < 0 || info->completion_price < 0)
    return g_strdup (_("unknown price"));
  if (info->prompt_price == 0 && info->completion_price == 0)
    /* TRANSLATORS: the price of a model that costs nothing */
    return g_strdup (_("free"));
  /* TRANSLATORS: a model's prices in US dollars */
  return g_strdup_printf (_("$%.2f per million prompt tokens, $%.2f per million answer tokens"),
                          info->prompt_price * 1e6, info->completion_price * 1e6);
}
