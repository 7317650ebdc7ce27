/* loom-api-key.h: where the API key comes from (environment, else keyring)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define LOOM_API_KEY_ENV         "OPENROUTER_API_KEY"
#define LOOM_API_KEY_SCHEMA_NAME "io.github.storyloom.Storyloom.ApiKey"

typedef enum
{
  LOOM_API_KEY_SOURCE_NONE,
  LOOM_API_KEY_SOURCE_ENVIRONMENT,
  LOOM_API_KEY_SOURCE_KEYRING,
  LOOM_API_KEY_SOURCE_SESSION,   /* typed while no keyring could keep it: until the program ends */
} LoomApiKeySource;

/* The libsecret schema: "provider" ("openrouter", or "other") and "origin" (the server's, like
 * https://openrouter.ai; keys stored before there was one have none). */
const SecretSchema *loom_api_key_get_schema    (void);

/* Keys belong to a server's origin (the scheme, host and port of @base_url; %NULL for OpenRouter).
 * For OpenRouter: OPENROUTER_API_KEY when set and not empty, else the keyring's OpenRouter key.
 * For any other server: only a key stored in the keyring for its origin. No key (or a keyring
 * that can't be reached, as on a machine without a secret service) is LOOM_AI_ERROR_NO_KEY with a
 * sentence saying where to set it; the keyring is given a few seconds at most. */
void      loom_api_key_lookup_async            (const char           *base_url,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
char     *loom_api_key_lookup_finish           (GAsyncResult         *result,
                                                LoomApiKeySource     *source,
                                                GError              **error);

/* Keyring failures are LOOM_AI_ERROR_KEYRING. A key the keyring could not keep (no secret
 * service is running, say) is still used until the program ends: look-ups find it, with
 * LOOM_API_KEY_SOURCE_SESSION, and the error says it will not be remembered. Clearing forgets
 * it too. */
void      loom_api_key_store_async             (const char           *base_url,
                                                const char           *api_key,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean  loom_api_key_store_finish            (GAsyncResult         *result,
                                                GError              **error);
void      loom_api_key_clear_async             (const char           *base_url,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean  loom_api_key_clear_finish            (GAsyncResult         *result,
                                                GError              **error);

/* How long the keyring may take before we give up, in milliseconds (default 5000). */
void      loom_api_key_set_keyring_timeout     (guint                 timeout_ms);

G_END_DECLS
