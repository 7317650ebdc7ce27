/* loom-model-catalog.h: what a model reads and costs, from its server's `/models`, cached in
 * the library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-ai-client.h"
#include "loom-types.h"

G_BEGIN_DECLS

/* A list older than this is fetched again by loom_model_catalog_refresh_async(). */
#define LOOM_MODEL_CATALOG_MAX_AGE_MS ((gint64) 24 * 60 * 60 * 1000)

/* Every function below reads the list of the client's server (its base URL): a local server's
 * "llama3" is not OpenRouter's. None of the lookups makes a request or blocks on the network.
 *
 * The facts of @model (%NULL: the client's current model), or %NULL when they are unknown: the
 * list was never fetched, or does not name the model. In a result, context_length is 0 and a
 * price negative when the server did not say (OpenAI-compatible servers such as Ollama and
 * llama.cpp give neither). */
LoomAiModelInfo *loom_model_catalog_lookup      (LoomStore            *store,
                                                 LoomAiClient         *client,
                                                 const char           *model);

/* @model's context length in tokens, 0 when unknown. */
gint64           loom_model_catalog_get_context_length (LoomStore     *store,
                                                 LoomAiClient         *client,
                                                 const char           *model);

/* When the list was fetched (ms since the epoch), 0 when never. */
gint64           loom_model_catalog_get_date    (LoomStore            *store,
                                                 LoomAiClient         *client);

/* Fetches the list when it is older than LOOM_MODEL_CATALOG_MAX_AGE_MS, or always with @force,
 * and keeps it in the library. Finishes with %TRUE at once when the list is fresh; with %FALSE
 * and a sentence in @error when the server could not be asked (the list kept before stays). */
void             loom_model_catalog_refresh_async  (LoomStore          *store,
                                                    LoomAiClient       *client,
                                                    gboolean            force,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gboolean         loom_model_catalog_refresh_finish (GAsyncResult       *result,
                                                    GError            **error);

/* Keeps @models (element-type LoomAiModelInfo), just listed by @client, as its server's list:
 * for callers that list the models themselves, such as Preferences' connection test. */
gboolean         loom_model_catalog_save        (LoomStore            *store,
                                                 LoomAiClient         *client,
                                                 GPtrArray            *models,
                                                 GError              **error);

/* Sentences for the writer, saying "unknown" plainly: "200,000 tokens" or "unknown";
 * "$3.00 per million prompt tokens, $15.00 per million answer tokens", "free" or
 * "unknown price". @info may be %NULL (unknown). */
char            *loom_model_catalog_describe_context (const LoomAiModelInfo *info);
char            *loom_model_catalog_describe_prices  (const LoomAiModelInfo *info);

G_END_DECLS
