/* loom-ai-client.h: OpenAI-compatible chat completions (OpenRouter by default)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "loom-ai-types.h"

G_BEGIN_DECLS

#define LOOM_AI_DEFAULT_BASE_URL "https://openrouter.ai/api/v1"
#define LOOM_AI_DEFAULT_MODEL    "anthropic/claude-3.5-sonnet"

/* Connections the client's session opens to one server: at least any concurrency the window or
 * the command line allows (`generate --jobs` takes up to this many). */
#define LOOM_AI_MAX_CONNECTIONS  64

#define LOOM_TYPE_AI_CLIENT (loom_ai_client_get_type ())

G_DECLARE_FINAL_TYPE (LoomAiClient, loom_ai_client, LOOM, AI_CLIENT, GObject)

/* @session: (nullable): for tests; %NULL shares the client's own session, which carries the
 * whole HTTP policy (user agent, timeouts, connections). Nothing else makes a SoupSession. */
LoomAiClient *loom_ai_client_new                  (SoupSession          *session);
LoomAiClient *loom_ai_client_new_from_environment (SoupSession          *session);
void          loom_ai_client_warm_up              (void);

/* The app's way: follows @settings' "api-base" and "model" keys as they change, except where
 * STORYLOOM_API_BASE / STORYLOOM_MODEL are set, which win (so the mock can be tried without
 * touching the writer's settings); takes OPENROUTER_API_KEY when set. */
void          loom_ai_client_bind_settings        (LoomAiClient         *self,
                                                   GSettings            *settings);

SoupSession  *loom_ai_client_get_session          (LoomAiClient         *self);
const char   *loom_ai_client_get_base_url         (LoomAiClient         *self);
void          loom_ai_client_set_base_url         (LoomAiClient         *self,
                                                   const char           *base_url);
const char   *loom_ai_client_get_model            (LoomAiClient         *self);
void          loom_ai_client_set_model            (LoomAiClient         *self,
                                                   const char           *model);
void          loom_ai_client_set_api_key          (LoomAiClient         *self,
                                                   const char           *api_key);
gboolean      loom_ai_client_get_has_api_key      (LoomAiClient         *self);
guint         loom_ai_client_get_max_attempts     (LoomAiClient         *self);
void          loom_ai_client_set_max_attempts     (LoomAiClient         *self,
                                                   guint                 max_attempts);
guint         loom_ai_client_get_retry_delay      (LoomAiClient         *self);
void          loom_ai_client_set_retry_delay      (LoomAiClient         *self,
                                                   guint                 retry_delay_ms);
void          loom_ai_client_set_timeouts         (LoomAiClient         *self,
                                                   guint                 idle_ms,
                                                   guint                 attempt_ms,
                                                   guint                 total_ms);

/* Checks the base URL (https, or http to a loopback host) and the key; no request is made. */
gboolean      loom_ai_client_check                (LoomAiClient         *self,
                                                   GError              **error);

void          loom_ai_client_chat_async           (LoomAiClient             *self,
                                                   JsonArray                *messages,
                                                   const LoomAiChatOptions  *options,
                                                   LoomAiDeltaFunc           delta_func,
                                                   gpointer                  delta_data,
                                                   GCancellable             *cancellable,
                                                   GAsyncReadyCallback       callback,
                                                   gpointer                  user_data);
LoomAiResult *loom_ai_client_chat_finish          (LoomAiClient             *self,
                                                   GAsyncResult             *result,
                                                   GError                  **error);

/* A GPtrArray of LoomAiModelInfo, in the server's order. */
void          loom_ai_client_list_models_async    (LoomAiClient         *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray    *loom_ai_client_list_models_finish   (LoomAiClient         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
