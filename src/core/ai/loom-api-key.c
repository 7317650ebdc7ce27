/* loom-api-key.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-ai"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "loom-ai-private.h"
#include "loom-ai-types.h"
#include "loom-api-key.h"

#define PROVIDER_OPENROUTER "openrouter"
#define PROVIDER_OTHER      "other"

static guint keyring_timeout_ms = 5000;

typedef enum {
  OP_LOOKUP,
  OP_STORE,
  OP_CLEAR,
} Operation;

/* Every keyring call runs under a cancellable of ours, cancelled by the caller's cancellable
 * or by a timeout: a secret service that never answers must not hang the app. */
typedef struct
{
  Operation     op;
  char         *origin;       /* the server's: keys are kept per origin */
  char         *key;          /* OP_STORE: the key to store */
  gboolean      retried;
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GSource      *timeout_source;
  gboolean      timed_out;
} KeyringData;

static void
keyring_data_free (KeyringData *data)
{
  g_free (data->origin);
  if (data->key != NULL)
    {
      memset (data->key, 0, strlen (data->key));
      g_free (data->key);
    }
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  if (data->timeout_source != NULL)
    {
      g_source_destroy (data->timeout_source);
      g_source_unref (data->timeout_source);
    }
  g_free (data);
}

/* Keys typed while no keyring could keep them, by origin; main thread only. */
static GHashTable *session_keys;

static void
key_free (char *key)
{
  memset (key, 0, strlen (key));
  g_free (key);
}

static const char *
session_key (const char *origin)
{
  return session_keys ? g_hash_table_lookup (session_keys, origin) : NULL;
}

static void
set_session_key (const char *origin,
                 const char *key)
{
  if (session_keys == NULL)
    session_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) key_free);
  if (key != NULL)
    g_hash_table_replace (session_keys, g_strdup (origin), g_strdup (key));
  else
    g_hash_table_remove (session_keys, origin);
}

const SecretSchema *
loom_api_key_get_schema (void)
{
  static const SecretSchema schema = {
    LOOM_API_KEY_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "origin", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
loom_api_key_set_keyring_timeout (guint timeout_ms)
{
  keyring_timeout_ms = timeout_ms;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
timeout_cb (gpointer user_data)
{
  KeyringData *data = user_data;

  data->timed_out = TRUE;
  g_clear_pointer (&data->timeout_source, g_source_unref);
  g_cancellable_cancel (data->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
is_openrouter (const char *origin)
{
  return g_strcmp0 (origin, LOOM_AI_OPENROUTER_ORIGIN) == 0;
}

static GTask *
keyring_task_new (Operation            op,
                  gpointer             source_tag,
                  const char          *base_url,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  KeyringData *data = g_new0 (KeyringData, 1);

  g_task_set_source_tag (task, source_tag);

  data->op = op;
  data->origin = loom_ai_origin (base_url ? base_url : LOOM_AI_OPENROUTER_ORIGIN);
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) keyring_data_free);

  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (caller_cancelled_cb),
                                                    g_object_ref (data->cancellable),
                                                    g_object_unref);
    }

  data->timeout_source = g_timeout_source_new (keyring_timeout_ms);
  g_source_set_static_name (data->timeout_source, "[loom-ai] keyring timeout");
  /* the task owns data; the source is destroyed with it */
  g_source_set_callback (data->timeout_source, timeout_cb, data, NULL);
  g_source_attach (data->timeout_source, g_task_get_context (task));

  return task;
}

/* Answers @task with an error when its server address was not a web address. */
static gboolean
check_origin (GTask *task)
{
  KeyringData *data = g_task_get_task_data (task);

  if (data->origin != NULL)
    return TRUE;
  g_task_return_new_error (task, LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL,
                           _("The AI server address is not a valid web address. "
                             "Check it in Preferences."));
  return FALSE;
}

/* Maps a keyring failure; FALSE when the caller cancelled (then @error is the cancellation). */
static GError *
keyring_error (GTask  *task,
               GError *error)
{
  KeyringData *data = g_task_get_task_data (task);
  const char *what;

  if (g_task_get_cancellable (task) != NULL &&
      g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("The request was cancelled."));

  what = data->timed_out ? _("it did not answer in time") : error->message;

  switch (data->op)
    {
    case OP_LOOKUP:
      return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY,
                          _("No API key is set, and the keyring could not be read (%s). Set the "
                            "OPENROUTER_API_KEY environment variable or add the key in "
                            "Preferences."),
                          what);
    case OP_STORE:
      return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_KEYRING,
                          _("The API key could not be saved in the keyring (%s)."), what);
    case OP_CLEAR:
    default:
      return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_KEYRING,
                          _("The API key could not be removed from the keyring (%s)."), what);
    }
}

static void keyring_start (GTask *task);

/* libsecret shares one connection to the secret service, set up by whichever call came first
 * and under that call's cancellable: when that one was cancelled, the next call can fail with
 * "cancelled" although nobody cancelled it. Such a failure gets one more try. */
static gboolean
retry_spurious_cancel (GTask        *task,
                       const GError *error)
{
  KeyringData *data = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      data->retried || data->timed_out ||
      (caller != NULL && g_cancellable_is_cancelled (caller)))
    return FALSE;

  data->retried = TRUE;
  g_debug ("Keyring call cancelled without a reason; trying once more");
  keyring_start (g_object_ref (task));

  return TRUE;
}

/* Lookup */

typedef struct
{
  char             *key;
  LoomApiKeySource  source;
} FoundKey;

static void
found_key_free (FoundKey *found)
{
  if (found->key != NULL)
    {
      memset (found->key, 0, strlen (found->key));
      g_free (found->key);
    }
  g_free (found);
}

static void
return_key (GTask            *task,
            const char       *key,
            LoomApiKeySource  source)
{
  FoundKey *found = g_new0 (FoundKey, 1);

  found->key = g_strstrip (g_strdup (key));
  found->source = source;
  g_task_return_pointer (task, found, (GDestroyNotify) found_key_free);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  key = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (retry_spurious_cancel (task, error))
        return;
      g_task_return_error (task, keyring_error (task, error));
      return;
    }

  if (key == NULL || *key == '\0')
    {
      KeyringData *data = g_task_get_task_data (task);

      if (is_openrouter (data->origin))
        g_task_return_new_error (task, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY,
                                 _("No API key is set. Set the OPENROUTER_API_KEY environment "
                                   "variable or add the key in Preferences."));
      else
        g_task_return_new_error (task, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY,
                                 _("No API key is stored for %s. If that server needs one, "
                                   "add it in Preferences."),
                                 data->origin);
      secret_password_free (key);
      return;
    }

  return_key (task, key, LOOM_API_KEY_SOURCE_KEYRING);
  secret_password_free (key);
}

void
loom_api_key_lookup_async (const char          *base_url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *env = g_getenv (LOOM_API_KEY_ENV);
  KeyringData *data;

  task = keyring_task_new (OP_LOOKUP, loom_api_key_lookup_async, base_url, cancellable,
                           callback, user_data);
  if (!check_origin (task))
    return;
  data = g_task_get_task_data (task);

  /* OPENROUTER_API_KEY is OpenRouter's key: no other server is given it */
  if (env != NULL && *env != '\0' && is_openrouter (data->origin))
    {
      return_key (task, env, LOOM_API_KEY_SOURCE_ENVIRONMENT);
      return;
    }
  if (session_key (data->origin) != NULL)
    {
      return_key (task, session_key (data->origin), LOOM_API_KEY_SOURCE_SESSION);
      return;
    }

  keyring_start (g_steal_pointer (&task));
}

/**
 * loom_api_key_lookup_finish:
 * @source: (out) (optional): where the key came from
 *
 * Returns: (transfer full): the key, or %NULL with @error
 */
char *
loom_api_key_lookup_finish (GAsyncResult      *result,
                            LoomApiKeySource  *source,
                            GError           **error)
{
  FoundKey *found;
  char *key;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, loom_api_key_lookup_async), NULL);

  if (source != NULL)
    *source = LOOM_API_KEY_SOURCE_NONE;

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;

  key = g_steal_pointer (&found->key);
  if (source != NULL)
    *source = found->source;
  found_key_free (found);

  return key;
}

/* Store and clear */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  KeyringData *data = g_task_get_task_data (task);

  if (!secret_password_store_finish (result, &error))
    {
      GCancellable *caller = g_task_get_cancellable (task);

      if (retry_spurious_cancel (task, error))
        return;
      if (caller != NULL && g_cancellable_is_cancelled (caller))
        {
          g_task_return_error (task, keyring_error (task, error));
          return;
        }
      /* The writer typed it to use it: without a keyring it serves this session. */
      g_debug ("The keyring could not store the key: %s",
               data->timed_out ? "it did not answer in time" : error->message);
      set_session_key (data->origin, data->key);
      g_task_return_new_error (task, LOOM_AI_ERROR, LOOM_AI_ERROR_KEYRING,
                               _("No keyring could keep the key, so it is used only until "
                                 "Storyloom closes: it will not be remembered."));
    }
  else
    {
      set_session_key (data->origin, NULL);
      g_task_return_boolean (task, TRUE);
    }
}

void
loom_api_key_store_async (const char          *base_url,
                          const char          *api_key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  KeyringData *data;

  g_return_if_fail (api_key != NULL);

  task = keyring_task_new (OP_STORE, loom_api_key_store_async, base_url, cancellable,
                           callback, user_data);
  if (!check_origin (task))
    return;
  data = g_task_get_task_data (task);

  key = g_strstrip (g_strdup (api_key));
  if (*key == '\0')
    {
      g_task_return_new_error (task, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY,
                               _("The API key is empty."));
      return;
    }

  data->key = g_steal_pointer (&key);
  keyring_start (g_steal_pointer (&task));
}

/* The one ending of the store and clear operations: they answer TRUE or an error. */
static gboolean
boolean_finish (GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
loom_api_key_store_finish (GAsyncResult  *result,
                           GError       **error)
{
  return boolean_finish (result, loom_api_key_store_async, error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear, which is what was asked */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      if (retry_spurious_cancel (task, error))
        return;
      g_task_return_error (task, keyring_error (task, error));
    }
  else
    g_task_return_boolean (task, TRUE);
}

void
loom_api_key_clear_async (const char          *base_url,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyringData *data;

  task = keyring_task_new (OP_CLEAR, loom_api_key_clear_async, base_url, cancellable,
                           callback, user_data);
  data = g_task_get_task_data (task);

  if (data->origin == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  set_session_key (data->origin, NULL);
  keyring_start (g_steal_pointer (&task));
}

gboolean
loom_api_key_clear_finish (GAsyncResult  *result,
                           GError       **error)
{
  return boolean_finish (result, loom_api_key_clear_async, error);
}

/* Takes a reference on @task; the operation's callback owns it. */
static void
keyring_start (GTask *task)
{
  KeyringData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  /* a retry needs a cancellable that is not the cancelled one */
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      GCancellable *fresh = g_cancellable_new ();

      if (data->caller_handler != 0)
        {
          g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
          data->caller_handler = g_cancellable_connect (data->caller_cancellable,
                                                        G_CALLBACK (caller_cancelled_cb),
                                                        g_object_ref (fresh), g_object_unref);
        }
      g_object_unref (data->cancellable);
      data->cancellable = fresh;
    }

  /* OpenRouter's key is found by provider, as keys were stored before they had an origin;
   * any other server's by its origin alone */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  if (is_openrouter (data->origin))
    g_hash_table_insert (attributes, "provider", PROVIDER_OPENROUTER);
  else
    g_hash_table_insert (attributes, "origin", data->origin);

  switch (data->op)
    {
    case OP_LOOKUP:
      secret_password_lookupv (loom_api_key_get_schema (), attributes, data->cancellable,
                               lookup_cb, task);
      break;
    case OP_STORE:
      {
        /* TRANSLATORS: the label of the key in the keyring; %s is like https://openrouter.ai */
        g_autofree char *label = g_strdup_printf (_("Storyloom API key for %s"), data->origin);

        secret_password_store (loom_api_key_get_schema (), SECRET_COLLECTION_DEFAULT,
                               label, data->key, data->cancellable,
                               store_cb, task,
                               "provider", is_openrouter (data->origin) ? PROVIDER_OPENROUTER
                                                                        : PROVIDER_OTHER,
                               "origin", data->origin,
                               NULL);
      }
      break;
    case OP_CLEAR:
    default:
      secret_password_clearv (loom_api_key_get_schema (), attributes, data->cancellable,
                              clear_cb, task);
      break;
    }
}
