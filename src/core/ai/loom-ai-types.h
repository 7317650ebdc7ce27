/* loom-ai-types.h: the error domain and the small value types of the AI client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LOOM_AI_ERROR (loom_ai_error_quark ())

/**
 * LoomAiError:
 * @LOOM_AI_ERROR_NO_KEY: no API key, checked before any request
 * @LOOM_AI_ERROR_INVALID_URL: the base URL is not a URL, or is plain http to a host that is not
 *   loopback
 * @LOOM_AI_ERROR_BAD_REQUEST: HTTP 400
 * @LOOM_AI_ERROR_CONTEXT_TOO_LONG: HTTP 400 because the prompt exceeds the model's context
 * @LOOM_AI_ERROR_UNAUTHORIZED: HTTP 401, the key was refused
 * @LOOM_AI_ERROR_PAYMENT_REQUIRED: HTTP 402, out of credits
 * @LOOM_AI_ERROR_FORBIDDEN: HTTP 403, including moderation
 * @LOOM_AI_ERROR_UNKNOWN_MODEL: HTTP 404
 * @LOOM_AI_ERROR_RATE_LIMITED: HTTP 429, after the retries ran out
 * @LOOM_AI_ERROR_SERVER: HTTP 5xx, or an error object in the stream
 * @LOOM_AI_ERROR_TIMEOUT: HTTP 408 or a socket timeout
 * @LOOM_AI_ERROR_NETWORK: could not connect, or the connection broke
 * @LOOM_AI_ERROR_BAD_RESPONSE: the answer is not what the API promises
 * @LOOM_AI_ERROR_TRUNCATED: the stream ended without `[DONE]` or a finish reason
 * @LOOM_AI_ERROR_KEYRING: the keyring could not store or clear the key
 * @LOOM_AI_ERROR_TOO_LONG: the answer went far past the maximum length asked for; stopped
 *
 * Cancellation is deliberately not in this domain: a cancelled request fails with
 * %G_IO_ERROR_CANCELLED, like every other GIO operation, so callers can treat it as the quiet,
 * expected outcome it is (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)).
 *
 * Every message is a sentence for the writer; it includes the server's own message when there is
 * one, and never the API key.
 */
typedef enum
{
  LOOM_AI_ERROR_NO_KEY,
  LOOM_AI_ERROR_INVALID_URL,
  LOOM_AI_ERROR_BAD_REQUEST,
  LOOM_AI_ERROR_CONTEXT_TOO_LONG,
  LOOM_AI_ERROR_UNAUTHORIZED,
  LOOM_AI_ERROR_PAYMENT_REQUIRED,
  LOOM_AI_ERROR_FORBIDDEN,
  LOOM_AI_ERROR_UNKNOWN_MODEL,
  LOOM_AI_ERROR_RATE_LIMITED,
  LOOM_AI_ERROR_SERVER,
  LOOM_AI_ERROR_TIMEOUT,
  LOOM_AI_ERROR_NETWORK,
  LOOM_AI_ERROR_BAD_RESPONSE,
  LOOM_AI_ERROR_TRUNCATED,
  LOOM_AI_ERROR_KEYRING,
  LOOM_AI_ERROR_TOO_LONG,
} LoomAiError;

GQuark loom_ai_error_quark (void);

/* Called on the caller's main context with each piece of prose as it arrives. */
typedef void (*LoomAiDeltaFunc) (const char *delta,
                                 gpointer    user_data);

/**
 * LoomAiChatOptions:
 * @model: the model to ask, or %NULL for the client's #LoomAiClient:model
 * @max_tokens: the completion's limit, or 0 for the server's default
 * @temperature: 0–2, or a negative number for the server's default
 * @stream: whether to stream (SSE); the delta function is only called when streaming
 *
 * Copied by loom_ai_client_chat_async(); initialise with %LOOM_AI_CHAT_OPTIONS_INIT.
 */
typedef struct
{
  const char *model;
  int         max_tokens;
  double      temperature;
  gboolean    stream;
} LoomAiChatOptions;

#define LOOM_AI_CHAT_OPTIONS_INIT { NULL, 0, -1.0, TRUE }

/**
 * LoomAiResult:
 * @text: the prose, all content deltas joined
 * @reasoning: the model's reasoning, if it sent any; never part of @text
 * @finish_reason: "stop", "length", …, or %NULL when the server said only `[DONE]`
 * @model: the model that answered (OpenRouter may name a more precise one)
 * @id: the generation id, or %NULL
 * @prompt_tokens: from `usage`, or -1
 * @completion_tokens: from `usage`, or -1
 * @cost: in credits (US dollars) from `usage.cost`, or a negative number when not reported
 */
typedef struct
{
  char   *text;
  char   *reasoning;
  char   *finish_reason;
  char   *model;
  char   *id;
  gint64  prompt_tokens;
  gint64  completion_tokens;
  double  cost;
} LoomAiResult;

#define LOOM_TYPE_AI_RESULT (loom_ai_result_get_type ())

GType         loom_ai_result_get_type (void) G_GNUC_CONST;
LoomAiResult *loom_ai_result_new      (void);
LoomAiResult *loom_ai_result_copy     (const LoomAiResult *result);
void          loom_ai_result_free     (LoomAiResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomAiResult, loom_ai_result_free)

/**
 * LoomAiModelInfo:
 * @id: e.g. "anthropic/claude-3.5-sonnet"
 * @name: a human name; the id when the server gives none
 * @context_length: in tokens, 0 when unknown
 * @prompt_price: US dollars per prompt token, negative when unknown
 * @completion_price: US dollars per completion token, negative when unknown
 */
typedef struct
{
  char   *id;
  char   *name;
  gint64  context_length;
  double  prompt_price;
  double  completion_price;
} LoomAiModelInfo;

#define LOOM_TYPE_AI_MODEL_INFO (loom_ai_model_info_get_type ())

GType            loom_ai_model_info_get_type (void) G_GNUC_CONST;
LoomAiModelInfo *loom_ai_model_info_new      (void);
LoomAiModelInfo *loom_ai_model_info_copy     (const LoomAiModelInfo *info);
void             loom_ai_model_info_free     (LoomAiModelInfo       *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomAiModelInfo, loom_ai_model_info_free)

/* Appends {"role": role, "content": content} to a messages array. */
void loom_ai_messages_append (JsonArray  *messages,
                              const char *role,
                              const char *content);

G_END_DECLS
