/* loom-ai-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-ai"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "loom-ai-private.h"
#include "loom-ai-types.h"

G_DEFINE_QUARK (loom-ai-error-quark, loom_ai_error)

LoomAiResult *
loom_ai_result_new (void)
{
  LoomAiResult *result = g_new0 (LoomAiResult, 1);

  result->prompt_tokens = -1;
  result->completion_tokens = -1;
  result->cost = -1.0;

  return result;
}

LoomAiResult *
loom_ai_result_copy (const LoomAiResult *result)
{
  LoomAiResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_memdup2 (result, sizeof *result);
  copy->text = g_strdup (result->text);
  copy->reasoning = g_strdup (result->reasoning);
  copy->finish_reason = g_strdup (result->finish_reason);
  copy->model = g_strdup (result->model);
  copy->id = g_strdup (result->id);

  return copy;
}

void
loom_ai_result_free (LoomAiResult *result)
{
  if (result == NULL)
    return;

  g_free (result->text);
  g_free (result->reasoning);
  g_free (result->finish_reason);
  g_free (result->model);
  g_free (result->id);
  g_free (result);
}

G_DEFINE_BOXED_TYPE (LoomAiResult, loom_ai_result, loom_ai_result_copy, loom_ai_result_free)

LoomAiModelInfo *
loom_ai_model_info_new (void)
{
  LoomAiModelInfo *info = g_new0 (LoomAiModelInfo, 1);

  info->prompt_price = -1.0;
  info->completion_price = -1.0;

  return info;
}

LoomAiModelInfo *
loom_ai_model_info_copy (const LoomAiModelInfo *info)
{
  LoomAiModelInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->id = g_strdup (info->id);
  copy->name = g_strdup (info->name);

  return copy;
}

void
loom_ai_model_info_free (LoomAiModelInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->name);
  g_free (info);
}

G_DEFINE_BOXED_TYPE (LoomAiModelInfo, loom_ai_model_info,
                     loom_ai_model_info_copy, loom_ai_model_info_free)

void
loom_ai_messages_append (JsonArray  *messages,
                         const char *role,
                         const char *content)
{
  g_autoptr(JsonObject) message = json_object_new ();

  g_return_if_fail (messages != NULL);
  g_return_if_fail (role != NULL);

  json_object_set_string_member (message, "role", role);
  json_object_set_string_member (message, "content", content ? content : "");
  json_array_add_object_element (messages, g_steal_pointer (&message));
}

/* JSON readers */

/* OpenAI's answers nest five levels deep; a hundred is room enough for any server's. */
#define MAX_JSON_DEPTH  100
/* The largest JSON text read: a whole answer or model list (the client caps bodies lower). */
#define MAX_JSON_LENGTH (64 * 1024 * 1024)

LoomToonJsonReader *
loom_ai_json_reader_new (void)
{
  return loom_toon_json_reader_new (MAX_JSON_DEPTH, MAX_JSON_LENGTH);
}

static const LoomToonValue *
get_member (const LoomToonValue *object,
            const char          *member,
            LoomToonKind         kind)
{
  const LoomToonValue *value;

  if (object == NULL || loom_toon_value_get_kind (object) != LOOM_TOON_OBJECT)
    return NULL;

  value = loom_toon_value_object_get_member (object, member);
  if (value == NULL || loom_toon_value_get_kind (value) != kind)
    return NULL;

  return value;
}

const char *
loom_ai_json_get_string (const LoomToonValue *object,
                         const char          *member,
                         gsize               *len)
{
  const LoomToonValue *value = get_member (object, member, LOOM_TOON_STRING);

  if (len != NULL)
    *len = 0;
  if (value == NULL)
    return NULL;

  return loom_toon_value_get_string (value, len);
}

gint64
loom_ai_json_get_int (const LoomToonValue *object,
                      const char          *member,
                      gint64               fallback)
{
  const LoomToonValue *value;
  const char *s;
  char *end = NULL;
  gint64 number;

  if ((value = get_member (object, member, LOOM_TOON_INT)) != NULL)
    return loom_toon_value_get_int (value);
  if ((value = get_member (object, member, LOOM_TOON_DOUBLE)) != NULL)
    {
      double d = loom_toon_value_get_double (value);

      /* a hostile 1e300 is no count of tokens */
      if (d >= (double) G_MININT64 && d <= (double) G_MAXINT64 / 2)
        return (gint64) d;
      return fallback;
    }
  if ((value = get_member (object, member, LOOM_TOON_STRING)) == NULL)
    return fallback;

  s = loom_toon_value_get_string (value, NULL);
  number = g_ascii_strtoll (s, &end, 10);
  if (end != s && *end == '\0')
    return number;

  return fallback;
}

double
loom_ai_json_get_double (const LoomToonValue *object,
                         const char          *member,
                         double               fallback)
{
  const LoomToonValue *value;
  const char *s;
  char *end = NULL;
  double number;

  if ((value = get_member (object, member, LOOM_TOON_DOUBLE)) != NULL)
    return loom_toon_value_get_double (value);
  if ((value = get_member (object, member, LOOM_TOON_INT)) != NULL)
    return (double) loom_toon_value_get_int (value);
  /* OpenRouter gives prices as strings ("0.000003") to keep their precision */
  if ((value = get_member (object, member, LOOM_TOON_STRING)) == NULL)
    return fallback;

  s = loom_toon_value_get_string (value, NULL);
  number = g_ascii_strtod (s, &end);
  /* "nan" or "1e999" is no price */
  if (end != s && *end == '\0' && isfinite (number))
    return number;

  return fallback;
}

const LoomToonValue *
loom_ai_json_get_object (const LoomToonValue *object,
                         const char          *member)
{
  return get_member (object, member, LOOM_TOON_OBJECT);
}

const LoomToonValue *
loom_ai_json_get_array (const LoomToonValue *object,
                        const char          *member)
{
  return get_member (object, member, LOOM_TOON_ARRAY);
}

/* Origins */

char *
loom_ai_origin (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  int port;

  if (url == NULL)
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if (port < 0 ||
      (port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
    return g_strdup_printf ("%s://%s", scheme, host);

  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

/* Errors */

/* @base_url's host, or NULL when it has none. */
static char *
server_host (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (base_url != NULL)
    uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  host = uri ? g_uri_get_host (uri) : NULL;

  return host != NULL && *host != '\0' ? g_strdup (host) : NULL;
}

static gboolean
is_openrouter (const char *host)
{
  return g_ascii_strcasecmp (host, "openrouter.ai") == 0 ||
         g_str_has_suffix (host, ".openrouter.ai");
}

char *
loom_ai_provider_name (const char *base_url)
{
  g_autofree char *host = server_host (base_url);

  if (host == NULL)
    return g_strdup (_("The AI server"));
  if (is_openrouter (host))
    return g_strdup ("OpenRouter");

  /* TRANSLATORS: the subject of sentences such as "%s refused the API key" */
  return g_strdup_printf (_("The server at %s"), host);
}

char *
loom_ai_server_name (const char *base_url)
{
  g_autofree char *host = server_host (base_url);

  if (host == NULL)
    return g_strdup ("?");
  if (is_openrouter (host))
    return g_strdup ("OpenRouter");

  return g_steal_pointer (&host);
}

void
loom_ai_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

char *
loom_ai_redact (const char *text,
                const char *secret)
{
  GString *out;
  const char *p;
  gsize secret_len;

  if (text == NULL)
    return NULL;
  if (secret == NULL || *secret == '\0')
    return g_strdup (text);

  out = g_string_new (NULL);
  secret_len = strlen (secret);

  while ((p = strstr (text, secret)) != NULL)
    {
      g_string_append_len (out, text, p - text);
      g_string_append (out, "[key hidden]");
      text = p + secret_len;
    }
  g_string_append (out, text);

  return g_string_free (out, FALSE);
}

static gboolean
mentions_context_length (const char *message)
{
  g_autofree char *lower = NULL;

  if (message == NULL)
    return FALSE;

  lower = g_ascii_strdown (message, -1);

  return strstr (lower, "context length") != NULL ||
         strstr (lower, "context_length") != NULL ||
         strstr (lower, "context window") != NULL ||
         strstr (lower, "maximum context") != NULL ||
         strstr (lower, "too many tokens") != NULL;
}

LoomAiError
loom_ai_error_code_for_status (guint       status,
                               const char *server_message)
{
  switch (status)
    {
    case 400:
    case 413:
      return mentions_context_length (server_message)
               ? LOOM_AI_ERROR_CONTEXT_TOO_LONG
               : LOOM_AI_ERROR_BAD_REQUEST;
    case 401:
      return LOOM_AI_ERROR_UNAUTHORIZED;
    case 402:
      return LOOM_AI_ERROR_PAYMENT_REQUIRED;
    case 403:
      return LOOM_AI_ERROR_FORBIDDEN;
    case 404:
      return LOOM_AI_ERROR_UNKNOWN_MODEL;
    case 408:
    case 504:
    case 524:
      return LOOM_AI_ERROR_TIMEOUT;
    case 429:
      return LOOM_AI_ERROR_RATE_LIMITED;
    default:
      if (status >= 500 && status < 600)
        return LOOM_AI_ERROR_SERVER;
      if (status >= 400 && status < 500)
        return LOOM_AI_ERROR_BAD_REQUEST;
      return LOOM_AI_ERROR_BAD_RESPONSE;
    }
}

static gboolean
looks_like_markup (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, MIN (strlen (text), 512));

  return lower[0] == '<' || strstr (lower, "<html") != NULL || strstr (lower, "<body") != NULL;
}

/* The server's message, ready to sit inside one of our sentences. */
static char *
tidy_server_message (guint       status,
                     const char *server_message,
                     const char *api_key)
{
  g_autofree char *redacted = NULL;
  g_autofree char *stripped = NULL;
  gsize len;

  if (server_message == NULL || *server_message == '\0')
    {
      const char *phrase = soup_status_get_phrase (status);

      if (phrase != NULL && *phrase != '\0' && status >= 100)
        return g_strdup_printf ("HTTP %u %s", status, phrase);
      return g_strdup (_("no details given"));
    }

  redacted = loom_ai_redact (server_message, api_key);
  stripped = g_strstrip (g_strdup (redacted));

  /* An HTML error page (a proxy's, a gateway's) is no message for the writer: the status
   * says it. A server's own text is kept whole, however long; the window shows it all. */
  if (looks_like_markup (stripped))
    return tidy_server_message (status, NULL, api_key);

  /* Our sentences bring their own full stop. */
  len = strlen (stripped);
  while (len > 0 && (stripped[len - 1] == '.' || g_ascii_isspace (stripped[len - 1])))
    stripped[--len] = '\0';

  return g_steal_pointer (&stripped);
}

GError *
loom_ai_error_new_for_status (guint       status,
                              const char *provider,
                              const char *model,
                              const char *server_message,
                              const char *api_key)
{
  g_autofree char *what = tidy_server_message (status, server_message, api_key);
  LoomAiError code = loom_ai_error_code_for_status (status, server_message);
  g_autofree char *message = NULL;

  if (provider == NULL)
    provider = _("The AI server");
  if (model == NULL)
    model = "";

  switch (code)
    {
    case LOOM_AI_ERROR_UNAUTHORIZED:
      message = g_strdup_printf (_("%s refused the API key: %s. Check the key in Preferences."),
                                 provider, what);
      break;
    case LOOM_AI_ERROR_PAYMENT_REQUIRED:
      message = g_strdup_printf (_("%s needs more credits for this request: %s. "
                                   "Add credits to the account or choose a cheaper model."),
                                 provider, what);
      break;
    case LOOM_AI_ERROR_FORBIDDEN:
      message = g_strdup_printf (_("%s refused to write this: %s. "
                                   "The outline may have been flagged by moderation."),
                                 provider, what);
      break;
    case LOOM_AI_ERROR_UNKNOWN_MODEL:
      message = g_strdup_printf (_("%s does not know the model “%s”: %s. "
                                   "Choose another model in Preferences."),
                                 provider, model, what);
      break;
    case LOOM_AI_ERROR_CONTEXT_TOO_LONG:
      message = g_strdup_printf (_("The text sent is too long for the model “%s”: %s. "
                                   "Shorten the context or choose a model with a larger one."),
                                 model, what);
      break;
    case LOOM_AI_ERROR_BAD_REQUEST:
      message = g_strdup_printf (_("%s rejected the request: %s."), provider, what);
      break;
    case LOOM_AI_ERROR_RATE_LIMITED:
      message = g_strdup_printf (_("%s is receiving too many requests: %s. "
                                   "Try again in a minute."),
                                 provider, what);
      break;
    case LOOM_AI_ERROR_TIMEOUT:
      message = g_strdup_printf (_("%s took too long to answer: %s. Try again."),
                                 provider, what);
      break;
    case LOOM_AI_ERROR_SERVER:
      message = g_strdup_printf (_("%s had a problem: %s. Try again later."), provider, what);
      break;
    case LOOM_AI_ERROR_NO_KEY:
    case LOOM_AI_ERROR_INVALID_URL:
    case LOOM_AI_ERROR_NETWORK:
    case LOOM_AI_ERROR_BAD_RESPONSE:
    case LOOM_AI_ERROR_TRUNCATED:
    case LOOM_AI_ERROR_KEYRING:
    case LOOM_AI_ERROR_TOO_LONG:
    default:
      message = g_strdup_printf (_("%s gave an unexpected answer: %s."), provider, what);
      break;
    }

  return g_error_new_literal (LOOM_AI_ERROR, code, message);
}

GError *
loom_ai_error_new_from_object (guint                http_status,
                               const LoomToonValue *error_object,
                               const char          *provider,
                               const char          *model,
                               const char          *api_key)
{
  const char *message = loom_ai_json_get_string (error_object, "message", NULL);
  gint64 code = loom_ai_json_get_int (error_object, "code", -1);
  const LoomToonValue *metadata = loom_ai_json_get_object (error_object, "metadata");
  const LoomToonValue *reasons = loom_ai_json_get_array (metadata, "reasons");
  g_autoptr(GString) full = g_string_new (message);
  guint status = http_status;

  if (code >= 400 && code < 600)
    status = (guint) code;
  else if (status < 400)
    status = 500; /* an error object on a 200: the provider failed mid-way */

  /* Moderation names its reasons; the writer needs them to change the outline. */
  if (reasons != NULL && loom_toon_value_get_length (reasons) > 0)
    {
      guint n = loom_toon_value_get_length (reasons);

      g_string_append (full, full->len ? " (" : "(");
      for (guint i = 0; i < n; i++)
        {
          const LoomToonValue *reason = loom_toon_value_array_get (reasons, i);

          if (loom_toon_value_get_kind (reason) == LOOM_TOON_STRING)
            {
              if (i > 0)
                g_string_append (full, ", ");
              g_string_append (full, loom_toon_value_get_string (reason, NULL));
            }
        }
      g_string_append_c (full, ')');
    }

  return loom_ai_error_new_for_status (status, provider, model, full->str, api_key);
}

GError *
loom_ai_error_new_from_body (guint       http_status,
                             const char *body,
                             gsize       length,
                             const char *provider,
                             const char *model,
                             const char *api_key)
{
  g_autoptr(LoomToonJsonReader) reader = loom_ai_json_reader_new ();
  g_autoptr(LoomToonValue) root = NULL;
  g_autofree char *text = NULL;

  if (body != NULL && length > 0)
    root = loom_toon_json_reader_read (reader, body, length, NULL);

  if (root != NULL && loom_toon_value_get_kind (root) == LOOM_TOON_OBJECT)
    {
      const LoomToonValue *error_object = loom_ai_json_get_object (root, "error");
      const char *message;

      if (error_object != NULL)
        return loom_ai_error_new_from_object (http_status, error_object,
                                              provider, model, api_key);

      /* {"error": "text"} (Ollama) or {"message": "text"} */
      message = loom_ai_json_get_string (root, "error", NULL);
      if (message == NULL)
        message = loom_ai_json_get_string (root, "message", NULL);

      return loom_ai_error_new_for_status (http_status, provider, model, message, api_key);
    }

  if (body != NULL && length > 0 && g_utf8_validate (body, length, NULL))
    text = g_strndup (body, length);

  return loom_ai_error_new_for_status (http_status, provider, model, text, api_key);
}
