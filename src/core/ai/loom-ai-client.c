/* loom-ai-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-ai"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "loom-ai-client.h"
#include "loom-ai-pacer.h"
#include "loom-ai-private.h"
#include "loom-ai-stream.h"

#define LOOM_AI_REFERER "https://github.com/storyloom/storyloom"
#define LOOM_AI_TITLE   "Storyloom"

/* A failed request's body is only read for its message. */
#define MAX_ERROR_BODY  (64 * 1024)
/* The model list is a few hundred kilobytes on OpenRouter. */
#define MAX_WHOLE_BODY  (32 * 1024 * 1024)
#define READ_SIZE       (16 * 1024)
/* Reads in one turn of the main loop when the data is already there (the pacer's budget
 * comes first; this bounds a context that is not paced). */
#define MAX_READS_PER_TURN 256
/* Beyond this a Retry-After is not waited for silently: the writer hears about it. */
#define MAX_RETRY_AFTER_MS (60 * 1000)
#define MAX_BACKOFF_MS     (30 * 1000)

/* Reads are not queued below GTK's frame clock (G_PRIORITY_HIGH_IDLE + 20), where frames
 * coming back to back starve them; what they bring is paced instead (loom-ai-pacer.c), so
 * that frames get their turn too. */
#define IO_PRIORITY        G_PRIORITY_DEFAULT

/* Silence for this long (keep-alive comments are silence) ends an attempt. Reasoning models
 * behind OpenRouter can think for a minute or two before their first word. */
#define DEFAULT_IDLE_TIMEOUT_MS    (120 * 1000)
/* One attempt, from the request to the end of the answer: a long scene at a slow model's pace. */
#define DEFAULT_ATTEMPT_TIMEOUT_MS (10 * 60 * 1000)
/* All attempts and the waits between them. */
#define DEFAULT_TOTAL_TIMEOUT_MS   (20 * 60 * 1000)

typedef enum {
  DEADLINE_NONE,
  DEADLINE_IDLE,
  DEADLINE_ATTEMPT,
  DEADLINE_TOTAL,
} Deadline;

struct _LoomAiClient
{
  GObject      parent_instance;

  /* owned */
  SoupSession *session;
  char        *base_url;
  char        *model;
  char        *api_key;
  char        *key_origin;  /* the only origin the key is sent to */
  guint        max_attempts;
  guint        retry_delay;
  guint        idle_timeout;
  guint        attempt_timeout;
  guint        total_timeout;
};

G_DEFINE_FINAL_TYPE (LoomAiClient, loom_ai_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BASE_URL,
  PROP_MODEL,
  PROP_API_KEY,
  PROP_HAS_API_KEY,
  PROP_MAX_ATTEMPTS,
  PROP_RETRY_DELAY,
  PROP_IDLE_TIMEOUT,
  PROP_ATTEMPT_TIMEOUT,
  PROP_TOTAL_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RETRYING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum {
  REQUEST_CHAT,
  REQUEST_MODELS,
} RequestKind;

typedef struct
{
  RequestKind       kind;
  char             *method;
  char             *url;
  GBytes           *body;
  char             *model;
  char             *api_key;
  char             *provider;
  char             *server;   /* the name inside a sentence */
  gboolean          stream;
  int               max_tokens;
  LoomAiDeltaFunc   delta_func;
  gpointer          delta_data;
  GString          *pending;      /* the deltas of the read being parsed */
  GCancellable     *cancellable;  /* the task's */

  guint             attempt;
  guint             redirects;
  guint             max_attempts;
  guint             retry_delay;
  guint             idle_timeout;
  guint             attempt_timeout;
  guint             total_timeout;

  /* An attempt runs under a cancellable of its own, which the task's cancels and which a
   * deadline cancels too (then @timed_out says which). */
  GCancellable     *attempt_cancellable;
  gulong            attempt_handler;
  Deadline          timed_out;
  GSource          *idle_source;
  GSource          *attempt_source;
  GSource          *total_source;
  guint             n_content_seen;

  SoupMessage      *message;
  GInputStream     *input;
  guint             status;
  GByteArray       *whole;   /* the body, when it is read whole */
  gsize             whole_limit;
  LoomAiStream     *reader;  /* the body, when it is streamed */
  GSource          *wait_source;
  GSource          *cancel_source;
  GBytes           *held;    /* a read waiting for its turn (loom-ai-pacer.c) */
  char             *buffer;  /* for the reads that need not wait */
} RequestData;

static void
forget_key (char **key)
{
  if (*key != NULL)
    memset (*key, 0, strlen (*key));
  g_clear_pointer (key, g_free);
}

static void
end_attempt (RequestData *data)
{
  loom_ai_clear_source (&data->idle_source);
  loom_ai_clear_source (&data->attempt_source);
  if (data->attempt_handler != 0)
    g_cancellable_disconnect (data->cancellable, data->attempt_handler);
  data->attempt_handler = 0;
  g_clear_object (&data->attempt_cancellable);
}

static void
request_data_free (RequestData *data)
{
  end_attempt (data);
  loom_ai_clear_source (&data->total_source);
  g_clear_object (&data->cancellable);
  g_free (data->method);
  g_free (data->url);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data->model);
  forget_key (&data->api_key);
  g_free (data->provider);
  g_free (data->server);
  g_clear_object (&data->message);
  g_clear_object (&data->input);
  g_clear_pointer (&data->whole, g_byte_array_unref);
  g_clear_pointer (&data->reader, loom_ai_stream_free);
  g_clear_pointer (&data->held, g_bytes_unref);
  g_free (data->buffer);
  if (data->pending != NULL)
    g_string_free (data->pending, TRUE);
  loom_ai_clear_source (&data->wait_source);
  loom_ai_clear_source (&data->cancel_source);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RequestData, request_data_free)

static void       start_attempt (GTask       *task);
static void       follow_redirect (GTask      *task);
static GError    *network_error (RequestData  *data,
                                 const GError *error);
static void       retry_or_fail (GTask        *task,
                                 GError       *error,
                                 gint64        retry_after_ms);

/* URL and key checks */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
check_base_url (const char  *base_url,
                gboolean    *loopback,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  *loopback = FALSE;

  if (base_url != NULL)
    uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL,
                   _("The AI server address is not a web address starting with https://. "
                     "Check it in Preferences or in STORYLOOM_API_BASE."));
      return FALSE;
    }

  *loopback = host_is_loopback (host);

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !*loopback)
    {
      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL,
                   _("The AI server address “%s” uses plain http, which would send the API key "
                     "and the story unencrypted. Use an https address; plain http is only "
                     "allowed to this computer (localhost)."),
                   host);
      return FALSE;
    }

  return TRUE;
}

/* The key, when it belongs to the server the base URL names; else NULL. */
static const char *
current_key (LoomAiClient *self)
{
  g_autofree char *origin = NULL;

  if (self->api_key == NULL)
    return NULL;

  origin = loom_ai_origin (self->base_url);

  return g_strcmp0 (origin, self->key_origin) == 0 ? self->api_key : NULL;
}

static void
set_key (LoomAiClient *self,
         const char   *api_key,
         const char   *origin)
{
  gboolean had_key = current_key (self) != NULL;
  g_autofree char *stripped = NULL;

  if (api_key != NULL)
    {
      /* keys pasted from a web page often bring a newline */
      stripped = g_strstrip (g_strdup (api_key));
      if (*stripped == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  if (g_strcmp0 (self->api_key, stripped) == 0 && g_strcmp0 (self->key_origin, origin) == 0)
    return;

  forget_key (&self->api_key);
  self->api_key = g_steal_pointer (&stripped);
  g_free (self->key_origin);
  self->key_origin = self->api_key != NULL ? g_strdup (origin) : NULL;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
  if (had_key != (current_key (self) != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_API_KEY]);
}

static gboolean
check (LoomAiClient  *self,
       gboolean       need_key,
       GError       **error)
{
  gboolean loopback;

  if (!check_base_url (self->base_url, &loopback, error))
    return FALSE;

  /* A server on this computer (Ollama, llama.cpp, the mock) usually wants no key. */
  if (need_key && !loopback && current_key (self) == NULL)
    {
      g_autofree char *server = loom_ai_server_name (self->base_url);

      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY,
                   _("No API key is set for %s. Set the OPENROUTER_API_KEY environment variable "
                     "or add the key in Preferences."),
                   server);
      return FALSE;
    }

  return TRUE;
}

gboolean
loom_ai_client_check (LoomAiClient  *self,
                      GError       **error)
{
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (self), FALSE);

  return check (self, TRUE, error);
}

static char *
join_url (const char *base_url,
          const char *path)
{
  gsize len = strlen (base_url);

  while (len > 0 && base_url[len - 1] == '/')
    len--;

  return g_strdup_printf ("%.*s/%s", (int) len, base_url, path);
}

/* Completion */

static void
close_input (RequestData *data)
{
  /* Closing the body stream before its end closes the connection, which is what stops the
   * server from writing (and, on OpenRouter, from billing) further. */
  if (data->input != NULL)
    {
      g_input_stream_close_async (data->input, IO_PRIORITY, NULL, NULL, NULL);
      g_clear_object (&data->input);
    }
}

/* Every way a request ends goes through one of these two. */
static void
return_error (GTask  *task,
              GError *error)
{
  RequestData *data = g_task_get_task_data (task);

  close_input (data);
  end_attempt (data);
  loom_ai_clear_source (&data->total_source);
  g_task_return_error (task, error);
}

static void
return_result (GTask          *task,
               gpointer        result,
               GDestroyNotify  result_destroy)
{
  RequestData *data = g_task_get_task_data (task);

  end_attempt (data);
  loom_ai_clear_source (&data->total_source);
  g_task_return_pointer (task, result, result_destroy);
}

static gboolean
task_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static void
return_cancelled (GTask *task)
{
  return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The request was cancelled.")));
}

/* Retries */

static gboolean
status_is_retryable (guint status)
{
  return status == 408 || status == 429 || status == 502 || status == 503;
}

/* Milliseconds, or -1 when absent or unreadable. */
static gint64
parse_retry_after (SoupMessage *message)
{
  const char *value;
  char *end = NULL;
  gint64 seconds;

  value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                        "Retry-After");
  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;

  seconds = g_ascii_strtoll (value, &end, 10);
  if (end != value && (*end == '\0' || g_ascii_isspace (*end)))
    return seconds < 0 ? -1 : seconds * 1000;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (when != NULL)
      return MAX (0, g_date_time_difference (when, now) / 1000);
  }

  return -1;
}

static guint
backoff_delay (RequestData *data)
{
  /* attempt counts from 1; the first retry waits about retry_delay */
  guint64 delay = (guint64) data->retry_delay << MIN (data->attempt - 1, 16u);

  delay = MIN (delay, MAX_BACKOFF_MS);
  /* jitter so that many scenes failing together don't come back together */
  return (guint) (delay * g_random_double_range (0.5, 1.0));
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->wait_source, g_source_unref);
  loom_ai_clear_source (&data->cancel_source);

  /* the source's reference goes when it is destroyed; the next attempt takes its own */
  start_attempt (g_object_ref (task));

  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->cancel_source, g_source_unref);
  loom_ai_clear_source (&data->wait_source);

  return_cancelled (task);

  return G_SOURCE_REMOVE;
}

/* Takes @error and the caller's reference on @task: either waits and tries again, or fails. */
static void
retry_or_fail (GTask  *task,
               GError *error,
               gint64  retry_after_ms)
{
  RequestData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint delay;

  if (data->attempt >= data->max_attempts ||
      retry_after_ms > MAX_RETRY_AFTER_MS ||
      (data->reader != NULL && loom_ai_stream_has_content (data->reader)))
    {
      return_error (task, error);
      g_object_unref (task);
      return;
    }

  delay = retry_after_ms >= 0 ? (guint) retry_after_ms : backoff_delay (data);
  g_debug ("Attempt %u of %u failed (%s); retrying in %u ms",
           data->attempt, data->max_attempts, error->message, delay);
  g_signal_emit (g_task_get_source_object (task), signals[RETRYING], 0, cancellable, delay, error);
  g_error_free (error);

  end_attempt (data);
  g_clear_object (&data->input);
  g_clear_object (&data->message);
  g_clear_pointer (&data->reader, loom_ai_stream_free);
  g_clear_pointer (&data->whole, g_byte_array_unref);

  data->wait_source = g_timeout_source_new (delay);
  g_source_set_static_name (data->wait_source, "[loom-ai] retry");
  g_source_set_callback (data->wait_source, wait_done_cb, task, g_object_unref);
  g_source_attach (data->wait_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }
}

/* Deadlines */

static guint
seconds_of (guint ms)
{
  return (ms + 999) / 1000;
}

/* The sentence for the deadline that passed, with the deadline in whole seconds. */
static GError *
deadline_error (RequestData *data)
{
  const char *format;
  guint seconds;

  switch (data->timed_out)
    {
    case DEADLINE_IDLE:
      seconds = seconds_of (data->idle_timeout);
      format = g_dngettext (GETTEXT_PACKAGE,
                            "%s sent nothing for %u second, so the request was stopped. "
                            "Try again later.",
                            "%s sent nothing for %u seconds, so the request was stopped. "
                            "Try again later.",
                            seconds);
      break;
    case DEADLINE_ATTEMPT:
      seconds = seconds_of (data->attempt_timeout);
      format = g_dngettext (GETTEXT_PACKAGE,
                            "%s took more than %u second over one answer, so the request was "
                            "stopped. Try again later.",
                            "%s took more than %u seconds over one answer, so the request was "
                            "stopped. Try again later.",
                            seconds);
      break;
    case DEADLINE_TOTAL:
    case DEADLINE_NONE:
    default:
      seconds = seconds_of (data->total_timeout);
      format = g_dngettext (GETTEXT_PACKAGE,
                            "%s gave no complete answer within %u second, retries included, "
                            "so the request was given up. Try again later.",
                            "%s gave no complete answer within %u seconds, retries included, "
                            "so the request was given up. Try again later.",
                            seconds);
      break;
    }
  return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_TIMEOUT, format, data->provider, seconds);
}

/* An attempt's deadline passed: its @source has fired once and for all. Cancelling the
 * attempt ends it through its own callbacks, which then read @which. */
static gboolean
attempt_timed_out (RequestData  *data,
                   GSource     **source,
                   Deadline      which)
{
  g_clear_pointer (source, g_source_unref);
  data->timed_out = which;
  g_cancellable_cancel (data->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
idle_deadline_cb (gpointer user_data)
{
  RequestData *data = user_data;

  return attempt_timed_out (data, &data->idle_source, DEADLINE_IDLE);
}

static gboolean
attempt_deadline_cb (gpointer user_data)
{
  RequestData *data = user_data;

  return attempt_timed_out (data, &data->attempt_source, DEADLINE_ATTEMPT);
}

static gboolean
total_deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->total_source, g_source_unref);
  data->timed_out = DEADLINE_TOTAL;

  /* between attempts nothing is in flight to cancel: give up here */
  if (data->wait_source != NULL)
    {
      /* the wait's sources hold the only references */
      g_autoptr(GTask) hold = g_object_ref (task);

      loom_ai_clear_source (&data->wait_source);
      loom_ai_clear_source (&data->cancel_source);
      return_error (task, deadline_error (data));
    }
  else if (data->attempt_cancellable != NULL)
    g_cancellable_cancel (data->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

static GSource *
deadline_source_new (guint        timeout_ms,
                     const char  *name,
                     GSourceFunc  func,
                     gpointer     user_data,
                     GTask       *task)
{
  GSource *source = g_timeout_source_new (timeout_ms);

  g_source_set_static_name (source, name);
  g_source_set_callback (source, func, user_data, NULL);
  g_source_attach (source, g_task_get_context (task));

  return source;
}

/* Content (not a keep-alive comment) arrived: the silence starts again. */
static void
restart_idle (GTask *task)
{
  RequestData *data = g_task_get_task_data (task);

  loom_ai_clear_source (&data->idle_source);
  if (data->idle_timeout > 0)
    data->idle_source = deadline_source_new (data->idle_timeout, "[loom-ai] idle deadline",
                                             idle_deadline_cb, data, task);
}

static void
attempt_cancel_cb (GCancellable *cancellable,
                   GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

static void
begin_attempt (GTask *task)
{
  RequestData *data = g_task_get_task_data (task);

  end_attempt (data);
  data->timed_out = DEADLINE_NONE;
  data->n_content_seen = 0;
  data->attempt_cancellable = g_cancellable_new ();
  if (data->cancellable != NULL)
    data->attempt_handler = g_cancellable_connect (data->cancellable,
                                                   G_CALLBACK (attempt_cancel_cb),
                                                   g_object_ref (data->attempt_cancellable),
                                                   g_object_unref);
  if (data->attempt_timeout > 0)
    data->attempt_source = deadline_source_new (data->attempt_timeout,
                                                "[loom-ai] attempt deadline",
                                                attempt_deadline_cb, data, task);
  if (data->total_timeout > 0 && data->total_source == NULL && data->attempt == 1)
    data->total_source = deadline_source_new (data->total_timeout, "[loom-ai] total deadline",
                                              total_deadline_cb, task, task);
  restart_idle (task);
}

/* A failure of the attempt's own operations: the caller's cancellation, a deadline, or the
 * network. Takes the caller's reference on @task. */
static void
attempt_failed (GTask        *task,
                const GError *error,
                gboolean      retryable)
{
  RequestData *data = g_task_get_task_data (task);

  if (task_cancelled (task))
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }

  if (data->timed_out == DEADLINE_TOTAL)
    {
      return_error (task, deadline_error (data));
      g_object_unref (task);
      return;
    }

  if (data->timed_out != DEADLINE_NONE)
    {
      retry_or_fail (task, deadline_error (data), -1);
      return;
    }

  /* Once prose has arrived a broken connection is a truncated text, not retried:
   * the writer must see that the scene is unfinished. */
  if (data->reader != NULL && loom_ai_stream_has_content (data->reader))
    {
      return_error (task, g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED,
                                       _("%s stopped answering before the end: %s. "
                                         "Try again."),
                                       data->provider, error->message));
      g_object_unref (task);
      return;
    }

  if (!retryable)
    {
      return_error (task, network_error (data, error));
      g_object_unref (task);
      return;
    }

  retry_or_fail (task, network_error (data, error), -1);
}

/* Reading the body */

static GError *
network_error (RequestData  *data,
               const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_TIMEOUT,
                        _("%s took too long to answer. Try again."), data->provider);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_NETWORK,
                        _("The secure connection to %s failed: %s. Check the server address "
                          "and the computer's date and time."),
                        data->server, error->message);

  return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_NETWORK,
                      _("Could not reach %s: %s. Check the network connection."),
                      data->server, error->message);
}

static void
finish_whole_body (GTask *task)
{
  RequestData *data = g_task_get_task_data (task);
  const char *body = (const char *) data->whole->data;
  gsize length = data->whole->len;

  if (!SOUP_STATUS_IS_SUCCESSFUL (data->status))
    {
      GError *error = loom_ai_error_new_from_body (data->status, body, length, data->provider,
                                                   data->model, data->api_key);

      if (status_is_retryable (data->status))
        retry_or_fail (task, error, parse_retry_after (data->message));
      else
        {
          return_error (task, error);
          g_object_unref (task);
        }
      return;
    }

  if (data->kind == REQUEST_CHAT)
    {
      GError *error = NULL;
      LoomAiResult *result = loom_ai_parse_completion (body, length, data->provider, data->model,
                                                       data->api_key, &error);

      if (result == NULL)
        return_error (task, error);
      else
        {
          if (data->stream && data->delta_func != NULL && result->text && *result->text)
            data->delta_func (result->text, data->delta_data);
          return_result (task, result, (GDestroyNotify) loom_ai_result_free);
        }
    }
  else
    {
      GError *error = NULL;
      GPtrArray *models = loom_ai_parse_models (body, length, data->provider, &error);

      if (models == NULL)
        return_error (task, error);
      else
        return_result (task, models, (GDestroyNotify) g_ptr_array_unref);
    }

  g_object_unref (task);
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

/* One read can hold hundreds of events when the server is fast: their deltas are handed over
 * together, once per read, so that a window does not lay out its text hundreds of times in one
 * turn of the main loop. */
static void
forward_delta (const char *delta,
               gpointer    user_data)
{
  RequestData *data = user_data;

  g_string_append (data->pending, delta);
}

/* Once cancelled (say, by a delta callback) the caller hears of no more deltas, so nothing
 * arrives after it has put its scene back. */
static void
flush_deltas (RequestData *data)
{
  if (data->pending == NULL || data->pending->len == 0)
    return;
  if (data->cancellable == NULL || !g_cancellable_is_cancelled (data->cancellable))
    data->delta_func (data->pending->str, data->delta_data);
  g_string_truncate (data->pending, 0);
}

static void
read_next (GTask *task)
{
  RequestData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->input, READ_SIZE, IO_PRIORITY,
                                   data->attempt_cancellable, read_cb, task);
}

/* One piece of the body. FALSE when it ended the request: the task has returned, and the
 * reference the reads held is gone. */
static gboolean
feed_chunk (GTask      *task,
            const char *chunk,
            gsize       length)
{
  RequestData *data = g_task_get_task_data (task);

  if (data->reader != NULL)
    {
      GError *local_error = NULL;

      if (!loom_ai_stream_feed (data->reader, chunk, length, &local_error))
        {
          /* What arrived before the error still reaches the caller. */
          flush_deltas (data);
          return_error (task, local_error);
          g_object_unref (task);
          return FALSE;
        }

      if (loom_ai_stream_get_n_content_events (data->reader) != data->n_content_seen)
        {
          data->n_content_seen = loom_ai_stream_get_n_content_events (data->reader);
          restart_idle (task);
        }
      return TRUE;
    }

  restart_idle (task);

  if (data->whole->len + length > data->whole_limit)
    {
      /* an error page this large carries no message worth reading: use what we have */
      if (!SOUP_STATUS_IS_SUCCESSFUL (data->status))
        {
          finish_whole_body (task);
          return FALSE;
        }

      return_error (task, g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                                       _("%s sent an answer that is too large."),
                                       data->provider));
      g_object_unref (task);
      return FALSE;
    }
  g_byte_array_append (data->whole, (const guint8 *) chunk, length);
  return TRUE;
}

/* The body is over: takes the reference the reads held. */
static void
finish_body (GTask *task)
{
  RequestData *data = g_task_get_task_data (task);

  flush_deltas (data);
  g_clear_object (&data->input);

  /* The delta callback may just have cancelled us. */
  if (task_cancelled (task))
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }

  if (data->reader != NULL)
    {
      GError *local_error = NULL;

      if (!loom_ai_stream_finish (data->reader, &local_error))
        return_error (task, local_error);
      else
        return_result (task, loom_ai_stream_steal_result (data->reader),
                       (GDestroyNotify) loom_ai_result_free);
      g_object_unref (task);
    }
  else
    finish_whole_body (task);
}

/* A server writes an event at a time, and each read returns one: what is already there is
 * read now, without waiting for another turn of the main loop per event, while the pacer's
 * budget lasts. The caller then hears of it all in one delta, and a window lays its text out
 * once. FALSE when the request ended. */
static gboolean
read_available (GTask *task)
{
  RequestData *data = g_task_get_task_data (task);
  GPollableInputStream *pollable;

  if (!G_IS_POLLABLE_INPUT_STREAM (data->input) ||
      !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (data->input)))
    return TRUE;
  pollable = G_POLLABLE_INPUT_STREAM (data->input);

  for (guint i = 0; i < MAX_READS_PER_TURN && loom_ai_pacer_has_budget (g_task_get_context (task));
       i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      if (data->buffer == NULL)
        data->buffer = g_malloc (READ_SIZE);
      n = g_pollable_input_stream_read_nonblocking (pollable, data->buffer, READ_SIZE,
                                                    data->attempt_cancellable, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return TRUE;
      if (n < 0)
        {
          flush_deltas (data);
          attempt_failed (task, error, TRUE);
          return FALSE;
        }
      if (n == 0)
        {
          finish_body (task);
          return FALSE;
        }
      if (!feed_chunk (task, data->buffer, n))
        return FALSE;
    }

  return TRUE;
}

/* What one read brought, in its turn: takes the reference on @user_data that read_cb had. */
static void
take_read (gpointer user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = g_steal_pointer (&data->held);
  gsize length;
  const char *chunk = g_bytes_get_data (bytes, &length);

  /* Stopped while the read waited: its text is not wanted any more. */
  if (task_cancelled (task))
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }

  if (length == 0)
    {
      finish_body (task);
      return;
    }

  if (!feed_chunk (task, chunk, length) || !read_available (task))
    return;

  flush_deltas (data);

  /* The delta callback may have cancelled us; don't wait for the next read to notice. */
  if (task_cancelled (task))
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }

  read_next (task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GMainContext *context;

  data->held = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (data->held == NULL)
    {
      attempt_failed (g_steal_pointer (&task), error, TRUE);
      return;
    }

  context = g_task_get_context (task);
  loom_ai_pacer_run (context, take_read, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *content_type;

  data->input = soup_session_send_finish (SOUP_SESSION (object), result, &error);

  if (data->input == NULL)
    {
      /* a certificate that is wrong now will be wrong in a second too */
      attempt_failed (g_steal_pointer (&task), error, error->domain != G_TLS_ERROR);
      return;
    }

  data->status = soup_message_get_status (data->message);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (data->message), NULL);

  if (SOUP_STATUS_IS_REDIRECTION (data->status) &&
      soup_message_headers_get_one (soup_message_get_response_headers (data->message),
                                    "Location") != NULL)
    {
      follow_redirect (g_steal_pointer (&task));
      return;
    }

  g_debug ("%s %s: HTTP %u (%s), attempt %u", data->method, data->url, data->status,
           content_type ? content_type : "no content type", data->attempt);

  if (SOUP_STATUS_IS_SUCCESSFUL (data->status) && data->kind == REQUEST_CHAT &&
      g_strcmp0 (content_type, "text/event-stream") == 0)
    {
      data->reader = loom_ai_stream_new (data->provider, data->model, data->api_key,
                                         data->delta_func ? forward_delta : NULL, data);
      loom_ai_stream_set_max_tokens (data->reader, data->max_tokens);
    }
  else
    {
      if (SOUP_STATUS_IS_SUCCESSFUL (data->status) &&
          content_type != NULL &&
          g_strcmp0 (content_type, "application/json") != 0)
        {
          return_error (task, g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                                           _("%s answered with %s instead of JSON. Check the "
                                             "server address: it should end with /v1 or "
                                             "/api/v1."),
                                           data->provider, content_type));
          return;
        }

      data->whole = g_byte_array_new ();
      data->whole_limit = SOUP_STATUS_IS_SUCCESSFUL (data->status)
                            ? MAX_WHOLE_BODY : MAX_ERROR_BODY;
    }

  read_next (g_steal_pointer (&task));
}

/* libsoup's own redirects are off: one to another server would take the key and the story
 * there, and its answer would be stored as prose. Within the origin they are followed. */
static void
follow_redirect (GTask *task)
{
  RequestData *data = g_task_get_task_data (task);
  const char *location = soup_message_headers_get_one (
    soup_message_get_response_headers (data->message), "Location");
  g_autofree char *target = g_uri_resolve_relative (data->url, location, G_URI_FLAGS_NONE, NULL);
  g_autofree char *from = loom_ai_origin (data->url);
  g_autofree char *to = loom_ai_origin (target);

  if (to == NULL || g_strcmp0 (from, to) != 0)
    {
      return_error (task, g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL,
                                       _("%s tried to send the request on to another server, "
                                         "%s. Storyloom does not follow it there: if that "
                                         "server is the right one, put its address in "
                                         "Preferences."),
                                       data->provider, to ? to : location));
      g_object_unref (task);
      return;
    }

  if (++data->redirects > 5)
    {
      return_error (task, g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                                       _("%s kept redirecting the request. Check the server "
                                         "address in Preferences."),
                                       data->provider));
      g_object_unref (task);
      return;
    }

  g_debug ("Following a redirect within %s", from);
  close_input (data);
  g_free (data->url);
  data->url = g_steal_pointer (&target);
  /* the same attempt, to the new address */
  data->attempt--;
  start_attempt (task);
}

static void
start_attempt (GTask *task)
{
  RequestData *data = g_task_get_task_data (task);
  LoomAiClient *self = g_task_get_source_object (task);
  SoupMessageHeaders *headers;

  if (task_cancelled (task))
    {
      return_cancelled (task);
      g_object_unref (task);
      return;
    }

  data->attempt++;
  begin_attempt (task);
  g_clear_object (&data->message);
  data->message = soup_message_new (data->method, data->url);
  if (data->message == NULL)
    {
      return_error (task, g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL,
                                       _("The AI server address is not a valid web address. "
                                         "Check it in Preferences.")));
      g_object_unref (task);
      return;
    }

  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (data->message);
  if (data->api_key != NULL && *data->api_key != '\0')
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", data->api_key, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      memset (authorization, 0, strlen (authorization));
    }
  /* libsoup never sends a POST on a connection that served another request (it cannot be
   * replayed safely), yet it keeps each one open, idle, for a minute: a chapter's drafts would
   * leave dozens of sockets and main-loop sources behind, and every turn of the loop walks
   * those sources. So the server closes it after the answer. (HTTP/2 drops the header.) */
  if (g_str_equal (data->method, SOUP_METHOD_POST))
    soup_message_headers_replace (headers, "Connection", "close");
  soup_message_headers_replace (headers, "HTTP-Referer", LOOM_AI_REFERER);
  soup_message_headers_replace (headers, "X-Title", LOOM_AI_TITLE);
  soup_message_headers_replace (headers, "Accept",
                                data->stream ? "text/event-stream, application/json"
                                             : "application/json");

  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (data->message, "application/json", data->body);

  soup_session_send_async (self->session, data->message, IO_PRIORITY,
                           data->attempt_cancellable, send_cb, task);
}

static GTask *
request_task_new (LoomAiClient        *self,
                  RequestKind          kind,
                  const char          *method,
                  const char          *path,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *data = g_new0 (RequestData, 1);

  data->kind = kind;
  data->method = g_strdup (method);
  data->url = self->base_url ? join_url (self->base_url, path) : NULL;
  data->api_key = g_strdup (current_key (self));
  data->provider = loom_ai_provider_name (self->base_url);
  data->server = loom_ai_server_name (self->base_url);
  data->model = g_strdup (self->model);
  data->max_attempts = MAX (1, self->max_attempts);
  data->retry_delay = self->retry_delay;
  data->idle_timeout = self->idle_timeout;
  data->attempt_timeout = self->attempt_timeout;
  data->total_timeout = self->total_timeout;
  data->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_priority (task, IO_PRIORITY);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  return task;
}

/* Sends the request unless the client's settings cannot (no server, or no key when
 * @needs_key); takes the caller's reference on @task. */
static void
request_start (GTask    *task,
               gboolean  needs_key)
{
  GError *error = NULL;

  if (!check (g_task_get_source_object (task), needs_key, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  start_attempt (task);
}

static gpointer
request_finish (LoomAiClient  *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Chat */

static GBytes *
build_chat_body (const char              *model,
                 JsonArray               *messages,
                 const LoomAiChatOptions *options)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) messages_node = json_node_alloc ();
  char *text;
  gsize length;

  json_node_init_array (messages_node, messages);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "messages");
  json_builder_add_value (builder, g_steal_pointer (&messages_node));
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, options->stream);
  if (options->max_tokens > 0)
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, options->max_tokens);
    }
  if (options->temperature >= 0)
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, options->temperature);
    }
  if (options->stream)
    {
      /* The usage chunk at the end of the stream (tokens, and cost on OpenRouter, for the
       * `generations` rows): the OpenAI-standard request, which OpenRouter, Ollama, vLLM and
       * llama.cpp accept. OpenRouter's own `usage: {include}` would be refused by OpenAI. */
      json_builder_set_member_name (builder, "stream_options");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "include_usage");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

/**
 * loom_ai_client_chat_async:
 * @self: a #LoomAiClient
 * @messages: the messages, objects with "role" and "content" (see loom_ai_messages_append())
 * @options: (nullable): the options, copied; %NULL for %LOOM_AI_CHAT_OPTIONS_INIT
 * @delta_func: (nullable): called on the calling thread's main context with each piece of prose
 * @delta_data: for @delta_func; it must stay valid until @callback runs
 * @cancellable: (nullable): cancelling it closes the connection at once
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Asks for a chat completion, streamed unless @options say otherwise. The base URL and the key
 * are checked before any request (%LOOM_AI_ERROR_INVALID_URL, %LOOM_AI_ERROR_NO_KEY). HTTP 408,
 * 429, 502, 503 and network failures are retried with backoff (honouring Retry-After) as long as
 * no prose has arrived; once it has, a failure is reported, never retried.
 */
void
loom_ai_client_chat_async (LoomAiClient            *self,
                           JsonArray               *messages,
                           const LoomAiChatOptions *options,
                           LoomAiDeltaFunc          delta_func,
                           gpointer                 delta_data,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  static const LoomAiChatOptions default_options = LOOM_AI_CHAT_OPTIONS_INIT;
  g_autoptr(GTask) task = NULL;
  RequestData *data;

  g_return_if_fail (LOOM_IS_AI_CLIENT (self));
  g_return_if_fail (messages != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (options == NULL)
    options = &default_options;

  task = request_task_new (self, REQUEST_CHAT, SOUP_METHOD_POST, "chat/completions",
                           cancellable, callback, user_data);
  g_task_set_source_tag (task, loom_ai_client_chat_async);
  data = g_task_get_task_data (task);

  if (options->model != NULL && *options->model != '\0')
    {
      g_free (data->model);
      data->model = g_strdup (options->model);
    }
  data->stream = options->stream;
  data->max_tokens = options->max_tokens;
  data->delta_func = delta_func;
  data->delta_data = delta_data;
  data->pending = g_string_new (NULL);
  data->body = build_chat_body (data->model, messages, options);

  request_start (g_steal_pointer (&task), TRUE);
}

/**
 * loom_ai_client_chat_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error (%G_IO_ERROR_CANCELLED when
 *   cancelled, else in %LOOM_AI_ERROR)
 */
LoomAiResult *
loom_ai_client_chat_finish (LoomAiClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return request_finish (self, result, loom_ai_client_chat_async, error);
}

/* Models */

void
loom_ai_client_list_models_async (LoomAiClient        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LOOM_IS_AI_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, REQUEST_MODELS, SOUP_METHOD_GET, "models",
                           cancellable, callback, user_data);
  g_task_set_source_tag (task, loom_ai_client_list_models_async);

  /* OpenRouter lists its models to anyone: no key needed */
  request_start (g_steal_pointer (&task), FALSE);
}

/**
 * loom_ai_client_list_models_finish:
 *
 * Returns: (transfer container) (element-type LoomAiModelInfo): the models
 */
GPtrArray *
loom_ai_client_list_models_finish (LoomAiClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return request_finish (self, result, loom_ai_client_list_models_async, error);
}

/* The HTTP policy */

static SoupSession *
session_new (void)
{
  /* The deadlines are ours (they know a keep-alive comment from content); the socket timeout
   * is only a net under them. libsoup's default of 2 connections per host would quietly cut
   * any concurrency above it. */
  return soup_session_new_with_options ("user-agent", "Storyloom/" PACKAGE_VERSION,
                                        "timeout", 300,
                                        "max-conns-per-host", LOOM_AI_MAX_CONNECTIONS,
                                        "max-conns", 2 * LOOM_AI_MAX_CONNECTIONS,
                                        NULL);
}

/* Every client made without a session shares one, made on the thread that asked first (the
 * main thread): one set of connections for the window's generator, the Preferences test and the
 * command line. A client made on another thread gets a session of its own, with the same policy. */
static SoupSession *
get_default_session (void)
{
  static SoupSession *shared;
  static GThread *owner;
  G_LOCK_DEFINE_STATIC (shared);
  SoupSession *session;

  G_LOCK (shared);
  if (shared == NULL)
    {
      shared = session_new ();
      owner = g_thread_self ();
    }
  session = owner == g_thread_self () ? g_object_ref (shared) : NULL;
  G_UNLOCK (shared);

  return session != NULL ? session : session_new ();
}

static void
load_proxy_resolver (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  /* loads GIO's proxy module; the first request would otherwise do it on the main thread */
  g_proxy_resolver_get_default ();
  g_task_return_boolean (task, TRUE);
}

/**
 * loom_ai_client_warm_up:
 *
 * Loads GIO's proxy module in a thread, so that the first request does not load it on the
 * main thread while a window is drawing. Only a long-lived process asks for it: a short one
 * (the command line) could exit while the thread is still loading the module, which GLib
 * reports as a warning at exit.
 */
void
loom_ai_client_warm_up (void)
{
  static gsize started;

  if (g_once_init_enter (&started))
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      g_task_set_source_tag (task, loom_ai_client_warm_up);
      g_task_run_in_thread (task, load_proxy_resolver);
      g_once_init_leave (&started, 1);
    }
}

/* GObject */

static void
loom_ai_client_constructed (GObject *object)
{
  LoomAiClient *self = LOOM_AI_CLIENT (object);

  G_OBJECT_CLASS (loom_ai_client_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = get_default_session ();
}

static void
loom_ai_client_finalize (GObject *object)
{
  LoomAiClient *self = LOOM_AI_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->model, g_free);
  forget_key (&self->api_key);
  g_clear_pointer (&self->key_origin, g_free);

  G_OBJECT_CLASS (loom_ai_client_parent_class)->finalize (object);
}

static void
loom_ai_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LoomAiClient *self = LOOM_AI_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_HAS_API_KEY:
      g_value_set_boolean (value, loom_ai_client_get_has_api_key (self));
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_RETRY_DELAY:
      g_value_set_uint (value, self->retry_delay);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_ATTEMPT_TIMEOUT:
      g_value_set_uint (value, self->attempt_timeout);
      break;
    case PROP_TOTAL_TIMEOUT:
      g_value_set_uint (value, self->total_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_ai_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LoomAiClient *self = LOOM_AI_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_BASE_URL:
      loom_ai_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      loom_ai_client_set_model (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      loom_ai_client_set_api_key (self, g_value_get_string (value));
      break;
    case PROP_MAX_ATTEMPTS:
      loom_ai_client_set_max_attempts (self, g_value_get_uint (value));
      break;
    case PROP_RETRY_DELAY:
      loom_ai_client_set_retry_delay (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT:
      loom_ai_client_set_timeouts (self, g_value_get_uint (value), self->attempt_timeout,
                                   self->total_timeout);
      break;
    case PROP_ATTEMPT_TIMEOUT:
      loom_ai_client_set_timeouts (self, self->idle_timeout, g_value_get_uint (value),
                                   self->total_timeout);
      break;
    case PROP_TOTAL_TIMEOUT:
      loom_ai_client_set_timeouts (self, self->idle_timeout, self->attempt_timeout,
                                   g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_ai_client_class_init (LoomAiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = loom_ai_client_constructed;
  object_class->finalize = loom_ai_client_finalize;
  object_class->get_property = loom_ai_client_get_property;
  object_class->set_property = loom_ai_client_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         LOOM_AI_DEFAULT_BASE_URL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         LOOM_AI_DEFAULT_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Write-only, so that no property dump or binding can leak it. */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_HAS_API_KEY] =
    g_param_spec_boolean ("has-api-key", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL,
                       1, 20, 4,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The first retry's delay in milliseconds, doubled at each attempt; tests make it small. */
  properties[PROP_RETRY_DELAY] =
    g_param_spec_uint ("retry-delay", NULL, NULL,
                       0, 60000, 1000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The deadlines, in milliseconds (0: none), each with its own sentence when it passes: no
   * content for this long (keep-alive comments don't count), one attempt, and all attempts
   * with the waits between them. Tests make them small. */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_IDLE_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTEMPT_TIMEOUT] =
    g_param_spec_uint ("attempt-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_ATTEMPT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL_TIMEOUT] =
    g_param_spec_uint ("total-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TOTAL_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomAiClient::retrying:
   * @cancellable: (nullable): the cancellable the request was made with, to tell requests apart
   * @delay_ms: how long the client waits before the next attempt
   * @reason: why the attempt failed (a rate limit, an unavailable server…)
   *
   * Lets a window say "retrying in N s" while a request waits to try again.
   */
  signals[RETRYING] =
    g_signal_new ("retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_CANCELLABLE, G_TYPE_UINT,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
loom_ai_client_init (LoomAiClient *self)
{
}

/**
 * loom_ai_client_new:
 * @session: (nullable): the session to use; %NULL for a new one
 */
LoomAiClient *
loom_ai_client_new (SoupSession *session)
{
  g_return_val_if_fail (!session || SOUP_IS_SESSION (session), NULL);

  return g_object_new (LOOM_TYPE_AI_CLIENT, "session", session, NULL);
}

/**
 * loom_ai_client_new_from_environment:
 * @session: (nullable): the session to use; %NULL for a new one
 *
 * A client whose base URL, model and key come from STORYLOOM_API_BASE, STORYLOOM_MODEL and
 * OPENROUTER_API_KEY when they are set (and not empty), else the defaults and no key.
 */
LoomAiClient *
loom_ai_client_new_from_environment (SoupSession *session)
{
  LoomAiClient *self = loom_ai_client_new (session);
  const char *value;

  if ((value = g_getenv ("STORYLOOM_API_BASE")) != NULL && *value != '\0')
    loom_ai_client_set_base_url (self, value);
  if ((value = g_getenv ("STORYLOOM_MODEL")) != NULL && *value != '\0')
    loom_ai_client_set_model (self, value);
  /* OpenRouter's key, whatever server is configured: it is sent to OpenRouter only */
  if ((value = g_getenv ("OPENROUTER_API_KEY")) != NULL && *value != '\0')
    set_key (self, value, LOOM_AI_OPENROUTER_ORIGIN);

  return self;
}

void
loom_ai_client_bind_settings (LoomAiClient *self,
                              GSettings    *settings)
{
  static const struct {
    const char *key;
    const char *env;
    const char *property;
  } bindings[] = {
    { "api-base", "STORYLOOM_API_BASE", "base-url" },
    { "model", "STORYLOOM_MODEL", "model" },
  };
  const char *value;

  g_return_if_fail (LOOM_IS_AI_CLIENT (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      if ((value = g_getenv (bindings[i].env)) != NULL && *value != '\0')
        g_object_set (self, bindings[i].property, value, NULL);
      else
        g_settings_bind (settings, bindings[i].key, self, bindings[i].property,
                         G_SETTINGS_BIND_GET);
    }

  if ((value = g_getenv ("OPENROUTER_API_KEY")) != NULL && *value != '\0')
    set_key (self, value, LOOM_AI_OPENROUTER_ORIGIN);
}

SoupSession *
loom_ai_client_get_session (LoomAiClient *self)
{
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (self), NULL);

  return self->session;
}

const char *
loom_ai_client_get_base_url (LoomAiClient *self)
{
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (self), NULL);

  return self->base_url;
}

void
loom_ai_client_set_base_url (LoomAiClient *self,
                             const char   *base_url)
{
  gboolean had_key;

  g_return_if_fail (LOOM_IS_AI_CLIENT (self));

  if (base_url == NULL || *base_url == '\0')
    base_url = LOOM_AI_DEFAULT_BASE_URL;

  if (g_strcmp0 (self->base_url, base_url) == 0)
    return;

  had_key = current_key (self) != NULL;
  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  if (had_key != (current_key (self) != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_API_KEY]);
}

const char *
loom_ai_client_get_model (LoomAiClient *self)
{
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (self), NULL);

  return self->model;
}

void
loom_ai_client_set_model (LoomAiClient *self,
                          const char   *model)
{
  g_return_if_fail (LOOM_IS_AI_CLIENT (self));

  if (model == NULL || *model == '\0')
    model = LOOM_AI_DEFAULT_MODEL;

  if (g_strcmp0 (self->model, model) == 0)
    return;

  g_free (self->model);
  self->model = g_strdup (model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * loom_ai_client_set_api_key:
 * @api_key: (nullable): the key of the server the base URL names now
 *
 * The key is sent to that server's origin only: once the base URL names another server, requests
 * go without it (and #LoomAiClient:has-api-key is %FALSE) until a key is set for that one.
 */
void
loom_ai_client_set_api_key (LoomAiClient *self,
                            const char   *api_key)
{
  g_autofree char *origin = NULL;

  g_return_if_fail (LOOM_IS_AI_CLIENT (self));

  origin = loom_ai_origin (self->base_url);
  set_key (self, api_key, origin);
}

gboolean
loom_ai_client_get_has_api_key (LoomAiClient *self)
{
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (self), FALSE);

  return current_key (self) != NULL;
}

guint
loom_ai_client_get_max_attempts (LoomAiClient *self)
{
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (self), 0);

  return self->max_attempts;
}

void
loom_ai_client_set_max_attempts (LoomAiClient *self,
                                 guint         max_attempts)
{
  g_return_if_fail (LOOM_IS_AI_CLIENT (self));

  max_attempts = CLAMP (max_attempts, 1, 20);
  if (self->max_attempts == max_attempts)
    return;

  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

guint
loom_ai_client_get_retry_delay (LoomAiClient *self)
{
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (self), 0);

  return self->retry_delay;
}

void
loom_ai_client_set_retry_delay (LoomAiClient *self,
                                guint         retry_delay_ms)
{
  g_return_if_fail (LOOM_IS_AI_CLIENT (self));

  if (self->retry_delay == retry_delay_ms)
    return;

  self->retry_delay = retry_delay_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_DELAY]);
}

/**
 * loom_ai_client_set_timeouts:
 * @idle_ms: how long a request may go without content (keep-alive comments are not content)
 * @attempt_ms: how long one attempt may take, answer included
 * @total_ms: how long all attempts may take, the waits between them included
 *
 * Each in milliseconds, 0 for no limit; they apply to requests started afterwards.
 */
void
loom_ai_client_set_timeouts (LoomAiClient *self,
                             guint         idle_ms,
                             guint         attempt_ms,
                             guint         total_ms)
{
  g_return_if_fail (LOOM_IS_AI_CLIENT (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->idle_timeout != idle_ms)
    {
      self->idle_timeout = idle_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
    }
  if (self->attempt_timeout != attempt_ms)
    {
      self->attempt_timeout = attempt_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPT_TIMEOUT]);
    }
  if (self->total_timeout != total_ms)
    {
      self->total_timeout = total_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_TIMEOUT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
