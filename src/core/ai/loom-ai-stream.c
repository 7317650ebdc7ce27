/* loom-ai-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-ai"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "loom-ai-private.h"
#include "loom-ai-stream.h"
#include "loom-sse-parser.h"

/* Without a maximum length, a scene's answer stops here: a long novel, many times over. */
#define DEFAULT_MAX_TEXT (8 * 1024 * 1024)
/* A token is about four bytes of English; four times that leaves room for any language. */
#define BYTES_PER_TOKEN  16
#define TEXT_SLACK       4096

struct _LoomAiStream
{
  LoomSseParser   *parser;
  LoomToonJsonReader *json;
  GString         *text;
  GString         *delta;       /* the content of the event being read, without its NULs */
  gsize            max_text;    /* bytes of prose and reasoning together */
  int              max_tokens;
  GString         *reasoning;
  LoomAiResult    *result;
  char            *provider;
  char            *model;
  char            *api_key;
  LoomAiDeltaFunc  delta_func;
  gpointer         delta_data;
  guint            n_deltas;
  guint            n_content_events;
  guint            done : 1;
  guint            failed : 1;
};

LoomAiStream *
loom_ai_stream_new (const char      *provider,
                    const char      *model,
                    const char      *api_key,
                    LoomAiDeltaFunc  delta_func,
                    gpointer         delta_data)
{
  LoomAiStream *self = g_new0 (LoomAiStream, 1);

  self->parser = loom_sse_parser_new ();
  self->json = loom_ai_json_reader_new ();
  self->text = g_string_new (NULL);
  self->delta = g_string_new (NULL);
  self->max_text = DEFAULT_MAX_TEXT;
  self->reasoning = g_string_new (NULL);
  self->result = loom_ai_result_new ();
  self->provider = g_strdup (provider);
  self->model = g_strdup (model);
  self->api_key = g_strdup (api_key);
  self->delta_func = delta_func;
  self->delta_data = delta_data;

  return self;
}

void
loom_ai_stream_free (LoomAiStream *self)
{
  if (self == NULL)
    return;

  loom_sse_parser_free (self->parser);
  loom_toon_json_reader_free (self->json);
  g_string_free (self->text, TRUE);
  g_string_free (self->delta, TRUE);
  g_string_free (self->reasoning, TRUE);
  loom_ai_result_free (self->result);
  g_free (self->provider);
  g_free (self->model);
  /* the key was only kept to hide it from messages; don't leave it lying in freed memory */
  if (self->api_key != NULL)
    {
      memset (self->api_key, 0, strlen (self->api_key));
      g_free (self->api_key);
    }
  g_free (self);
}

/* What a parser says ("JSON line 1, column 41: …") means nothing to a writer, who can do
 * nothing about it: it goes to the debug log, and the sentence says what to do. */
static GError *
unreadable_answer (const char *provider,
                   const char *detail)
{
  g_debug ("Unreadable answer from %s: %s", provider, detail);
  return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                      _("%s sent an answer that could not be read. Try again; if it happens "
                        "again, choose another model in Preferences."),
                      provider);
}

/* A choice that ended with finish_reason "error": the provider failed after it had begun. */
static GError *
stopped_with_error (const char *provider)
{
  return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER,
                      _("%s had a problem while writing: it stopped with an error. "
                        "Try again later."),
                      provider);
}

/* A message's or a delta's reasoning: OpenRouter names it "reasoning", some other
 * OpenAI-compatible servers "reasoning_content". */
static const char *
get_reasoning (const LoomToonValue *object,
               gsize               *len)
{
  const char *reasoning = loom_ai_json_get_string (object, "reasoning", len);

  if (reasoning == NULL)
    reasoning = loom_ai_json_get_string (object, "reasoning_content", len);
  return reasoning;
}

static GError *
bad_response (LoomAiStream *self,
              const char   *detail)
{
  return unreadable_answer (self->provider, detail);
}

void
loom_ai_stream_set_max_tokens (LoomAiStream *self,
                               int           max_tokens)
{
  g_return_if_fail (self != NULL);

  self->max_tokens = MAX (max_tokens, 0);
  self->max_text = max_tokens > 0 ? (gsize) max_tokens * BYTES_PER_TOKEN + TEXT_SLACK
                                   : DEFAULT_MAX_TEXT;
}

static void
take_usage (LoomAiResult        *result,
            const LoomToonValue *usage)
{
  if (usage == NULL)
    return;

  result->prompt_tokens = loom_ai_json_get_int (usage, "prompt_tokens", result->prompt_tokens);
  result->completion_tokens = loom_ai_json_get_int (usage, "completion_tokens",
                                                    result->completion_tokens);
  result->cost = loom_ai_json_get_double (usage, "cost", result->cost);
}

static void
take_metadata (LoomAiResult        *result,
               const LoomToonValue *object)
{
  const char *model = loom_ai_json_get_string (object, "model", NULL);
  const char *id = loom_ai_json_get_string (object, "id", NULL);

  if (model != NULL && *model != '\0' && g_strcmp0 (model, result->model) != 0)
    {
      g_free (result->model);
      result->model = g_strdup (model);
    }
  if (id != NULL && result->id == NULL)
    result->id = g_strdup (id);
}

/* A U+0000 in a delta would end the prose there (C strings, the database's text): it is
 * dropped, and only it. A writer expects the words around it; a replacement character would
 * be one more thing to find and delete, and a NUL carries no meaning in prose. */
static void
append_without_nuls (GString    *out,
                     const char *text,
                     gsize       len)
{
  const char *end = text + len;
  const char *nul;

  while ((nul = memchr (text, '\0', end - text)) != NULL)
    {
      g_string_append_len (out, text, nul - text);
      text = nul + 1;
    }
  g_string_append_len (out, text, end - text);
}

static gboolean
check_length (LoomAiStream  *self,
              GError       **error)
{
  if (self->text->len + self->reasoning->len <= self->max_text)
    return TRUE;

  if (self->max_tokens > 0)
    g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TOO_LONG,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%s kept writing well past the maximum length of %d token, so "
                              "the answer was stopped. The text so far is kept.",
                              "%s kept writing well past the maximum length of %d tokens, so "
                              "the answer was stopped. The text so far is kept.",
                              self->max_tokens),
                 self->provider, self->max_tokens);
  else
    g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TOO_LONG,
                 _("%s kept writing far longer than any scene, so the answer was stopped. "
                   "The text so far is kept; set a maximum length in Preferences."),
                 self->provider);
  return FALSE;
}

/* One chunk's delta of our completion: its reasoning and text appended (the text also handed
 * to the delta function), and its finish reason kept. */
static gboolean
handle_choice (LoomAiStream         *self,
               const LoomToonValue  *choice,
               GError              **error)
{
  const LoomToonValue *delta = loom_ai_json_get_object (choice, "delta");
  const char *content;
  const char *reasoning;
  const char *finish_reason;
  gsize content_len = 0;
  gsize reasoning_len = 0;

  content = loom_ai_json_get_string (delta, "content", &content_len);
  reasoning = get_reasoning (delta, &reasoning_len);
  finish_reason = loom_ai_json_get_string (choice, "finish_reason", NULL);

  if (reasoning_len > 0)
    {
      append_without_nuls (self->reasoning, reasoning, reasoning_len);
      self->n_content_events++;
    }

  if (content_len > 0)
    {
      g_string_truncate (self->delta, 0);
      append_without_nuls (self->delta, content, content_len);
      self->n_content_events++;
    }

  if (self->delta->len > 0)
    {
      g_string_append_len (self->text, self->delta->str, self->delta->len);
      self->n_deltas++;
      if (self->delta_func != NULL)
        self->delta_func (self->delta->str, self->delta_data);
      g_string_truncate (self->delta, 0);
    }

  if (!check_length (self, error))
    return FALSE;

  if (finish_reason == NULL || *finish_reason == '\0')
    return TRUE;
  if (g_strcmp0 (finish_reason, "error") == 0)
    {
      g_propagate_error (error, stopped_with_error (self->provider));
      return FALSE;
    }
  g_free (self->result->finish_reason);
  self->result->finish_reason = g_strdup (finish_reason);
  return TRUE;
}

static gboolean
handle_chunk (LoomAiStream         *self,
              const LoomToonValue  *chunk,
              GError              **error)
{
  const LoomToonValue *error_object = loom_ai_json_get_object (chunk, "error");
  const LoomToonValue *choices = loom_ai_json_get_array (chunk, "choices");

  if (error_object != NULL)
    {
      g_propagate_error (error, loom_ai_error_new_from_object (200, error_object, self->provider,
                                                               self->model, self->api_key));
      return FALSE;
    }

  take_metadata (self->result, chunk);
  take_usage (self->result, loom_ai_json_get_object (chunk, "usage"));

  if (choices == NULL)
    return TRUE;

  for (guint i = 0; i < loom_toon_value_get_length (choices); i++)
    {
      const LoomToonValue *choice = loom_toon_value_array_get (choices, i);

      if (loom_toon_value_get_kind (choice) != LOOM_TOON_OBJECT)
        continue;

      /* We ask for one completion; ignore any other. */
      if (loom_ai_json_get_int (choice, "index", 0) != 0)
        continue;

      if (!handle_choice (self, choice, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
handle_event (LoomAiStream  *self,
              LoomSseEvent  *event,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LoomToonValue) root = NULL;

  if (self->done)
    return TRUE;

  if (event->length == 6 && memcmp (event->data, "[DONE]", 6) == 0)
    {
      self->done = TRUE;
      return TRUE;
    }

  root = loom_toon_json_reader_read (self->json, event->data, event->length, &local_error);
  if (root == NULL)
    {
      g_propagate_error (error, bad_response (self, local_error->message));
      return FALSE;
    }

  if (loom_toon_value_get_kind (root) != LOOM_TOON_OBJECT)
    {
      g_propagate_error (error, bad_response (self, "an event that is not a JSON object"));
      return FALSE;
    }

  if (g_strcmp0 (event->type, "error") == 0 &&
      loom_ai_json_get_object (root, "error") == NULL)
    {
      g_propagate_error (error, loom_ai_error_new_from_object (200, root, self->provider,
                                                               self->model, self->api_key));
      return FALSE;
    }

  return handle_chunk (self, root, error);
}

gboolean
loom_ai_stream_feed (LoomAiStream  *self,
                     const char    *data,
                     gsize          length,
                     GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->failed || self->done)
    return !self->failed;

  loom_sse_parser_feed (self->parser, data, length);

  if (loom_sse_parser_get_overflow (self->parser))
    {
      g_propagate_error (error, bad_response (self, "an event larger than 8 MB"));
      self->failed = TRUE;
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(LoomSseEvent) event = loom_sse_parser_pop (self->parser);

      if (event == NULL)
        break;

      if (!handle_event (self, event, error))
        {
          self->failed = TRUE;
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
loom_ai_stream_finish (LoomAiStream  *self,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->failed)
    return FALSE;

  /* A finish reason without [DONE] is complete; the usage chunk may then be missing. */
  if (!self->done && self->result->finish_reason == NULL)
    {
      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED,
                   _("%s stopped answering before the end: the connection closed in the "
                     "middle of the text. Try again."),
                   self->provider);
      return FALSE;
    }

  return TRUE;
}

gboolean
loom_ai_stream_is_done (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->done;
}

guint
loom_ai_stream_get_n_content_events (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_content_events;
}

gboolean
loom_ai_stream_has_content (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->n_deltas > 0;
}

guint
loom_ai_stream_get_n_deltas (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_deltas;
}

const char *
loom_ai_stream_get_text (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text->str;
}

LoomAiResult *
loom_ai_stream_steal_result (LoomAiStream *self)
{
  LoomAiResult *result;

  g_return_val_if_fail (self != NULL, NULL);

  result = g_steal_pointer (&self->result);
  self->result = loom_ai_result_new ();

  result->text = g_strndup (self->text->str, self->text->len);
  if (self->reasoning->len > 0)
    result->reasoning = g_strndup (self->reasoning->str, self->reasoning->len);
  if (result->model == NULL)
    result->model = g_strdup (self->model);

  return result;
}

LoomAiResult *
loom_ai_parse_completion (const char  *body,
                          gsize        length,
                          const char  *provider,
                          const char  *model,
                          const char  *api_key,
                          GError     **error)
{
  g_autoptr(LoomToonJsonReader) reader = loom_ai_json_reader_new ();
  g_autoptr(LoomToonValue) root = NULL;
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const LoomToonValue *error_object;
  const LoomToonValue *choices;
  const LoomToonValue *choice = NULL;
  const LoomToonValue *message;
  const char *content;
  const char *reasoning;
  const char *finish_reason;
  gsize content_len = 0;

  root = loom_toon_json_reader_read (reader, body, length, &local_error);
  if (root == NULL || loom_toon_value_get_kind (root) != LOOM_TOON_OBJECT)
    {
      g_propagate_error (error, unreadable_answer (provider, local_error ? local_error->message
                                                                      : "not a JSON object"));
      return NULL;
    }

  error_object = loom_ai_json_get_object (root, "error");
  if (error_object != NULL)
    {
      g_propagate_error (error, loom_ai_error_new_from_object (200, error_object, provider,
                                                               model, api_key));
      return NULL;
    }

  choices = loom_ai_json_get_array (root, "choices");
  if (choices != NULL && loom_toon_value_get_length (choices) > 0 &&
      loom_toon_value_get_kind (loom_toon_value_array_get (choices, 0)) == LOOM_TOON_OBJECT)
    choice = loom_toon_value_array_get (choices, 0);
  message = loom_ai_json_get_object (choice, "message");
  content = loom_ai_json_get_string (message, "content", &content_len);

  if (message == NULL)
    {
      g_propagate_error (error, unreadable_answer (provider, "no message in the answer"));
      return NULL;
    }

  finish_reason = loom_ai_json_get_string (choice, "finish_reason", NULL);
  if (g_strcmp0 (finish_reason, "error") == 0)
    {
      g_propagate_error (error, stopped_with_error (provider));
      return NULL;
    }

  if (content != NULL)
    append_without_nuls (text, content, content_len);

  result = loom_ai_result_new ();
  result->text = g_strndup (text->str, text->len);
  reasoning = get_reasoning (message, NULL);
  result->reasoning = g_strdup (reasoning);
  result->finish_reason = g_strdup (finish_reason);
  take_metadata (result, root);
  take_usage (result, loom_ai_json_get_object (root, "usage"));
  if (result->model == NULL)
    result->model = g_strdup (model);

  return g_steal_pointer (&result);
}

GPtrArray *
loom_ai_parse_models (const char  *body,
                      gsize        length,
                      const char  *provider,
                      GError     **error)
{
  g_autoptr(LoomToonJsonReader) reader = loom_ai_json_reader_new ();
  g_autoptr(LoomToonValue) root = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) local_error = NULL;
  const LoomToonValue *list = NULL;

  root = loom_toon_json_reader_read (reader, body, length, &local_error);
  if (root != NULL)
    {
      if (loom_toon_value_get_kind (root) == LOOM_TOON_OBJECT)
        list = loom_ai_json_get_array (root, "data");
      else if (loom_toon_value_get_kind (root) == LOOM_TOON_ARRAY)
        list = root;
    }

  if (list == NULL)
    {
      g_debug ("Unreadable list of models from %s: %s", provider,
               local_error ? local_error->message : "no \"data\" list");
      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                   _("%s sent a list of models that could not be read. Check the server "
                     "address in Preferences."),
                   provider);
      return NULL;
    }

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) loom_ai_model_info_free);

  for (guint i = 0; i < loom_toon_value_get_length (list); i++)
    {
      const LoomToonValue *object = loom_toon_value_array_get (list, i);
      const LoomToonValue *pricing;
      const char *id;
      const char *name;
      LoomAiModelInfo *info;

      if (loom_toon_value_get_kind (object) != LOOM_TOON_OBJECT)
        continue;

      id = loom_ai_json_get_string (object, "id", NULL);
      if (id == NULL || *id == '\0')
        continue;

      name = loom_ai_json_get_string (object, "name", NULL);
      pricing = loom_ai_json_get_object (object, "pricing");

      info = loom_ai_model_info_new ();
      info->id = g_strdup (id);
      info->name = g_strdup (name && *name ? name : id);
      info->context_length = MAX (0, loom_ai_json_get_int (object, "context_length", 0));
      info->prompt_price = loom_ai_json_get_double (pricing, "prompt", -1.0);
      info->completion_price = loom_ai_json_get_double (pricing, "completion", -1.0);
      g_ptr_array_add (models, info);
    }

  return g_steal_pointer (&models);
}
