/* loom-ai-private.h: helpers shared by the AI client's files, not for the rest of the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-ai-types.h"
#include "loom-toon-json.h"

G_BEGIN_DECLS

/* OpenRouter's origin: the only one OPENROUTER_API_KEY and the keyring's OpenRouter key go to. */
#define LOOM_AI_OPENROUTER_ORIGIN "https://openrouter.ai"

/* "scheme://host[:port]" in lower case, the port only when not the scheme's default; NULL when
 * @url has no host. Keys belong to an origin, and redirects stay within one. */
char    *loom_ai_origin                   (const char  *url);

/* "OpenRouter" for openrouter.ai, else "The server at HOST"; the subject of error sentences. */
char    *loom_ai_provider_name            (const char  *base_url);

/* "OpenRouter", else the host: the server's name inside a sentence, where "The server at HOST"
 * would be capitalised mid-sentence (and declined wrongly in German). */
char    *loom_ai_server_name              (const char  *base_url);

/* Destroys *@source, if any, drops the reference and clears the pointer. */
void     loom_ai_clear_source             (GSource    **source);

/* A copy of @text with every occurrence of @secret (when not empty) replaced. */
char    *loom_ai_redact                   (const char  *text,
                                           const char  *secret);

/* Maps an HTTP status (or the code of an error object) to a LoomAiError code. */
LoomAiError loom_ai_error_code_for_status (guint        status,
                                           const char  *server_message);

GError  *loom_ai_error_new_for_status     (guint        status,
                                           const char  *provider,
                                           const char  *model,
                                           const char  *server_message,
                                           const char  *api_key);

/* From an OpenAI/OpenRouter `error` object; @http_status is used when it has no numeric code. */
GError  *loom_ai_error_new_from_object    (guint                http_status,
                                           const LoomToonValue *error_object,
                                           const char  *provider,
                                           const char  *model,
                                           const char  *api_key);

/* From the body of a failed response, JSON or not. */
GError  *loom_ai_error_new_from_body      (guint        http_status,
                                           const char  *body,
                                           gsize        length,
                                           const char  *provider,
                                           const char  *model,
                                           const char  *api_key);

/* The one way network JSON is read (events, answers, model lists, error bodies): our own reader,
 * bounded in depth and size, whose strings are always valid UTF-8. */
LoomToonJsonReader *loom_ai_json_reader_new (void);

/* Tolerant readers of a JSON object: a missing member, one of another type, or an @object that
 * is NULL or no object gives the fallback. Strings may hold U+0000: @len (optional) says where
 * they end. */
const char *loom_ai_json_get_string       (const LoomToonValue *object,
                                           const char          *member,
                                           gsize               *len);
gint64   loom_ai_json_get_int             (const LoomToonValue *object,
                                           const char          *member,
                                           gint64               fallback);
double   loom_ai_json_get_double          (const LoomToonValue *object,
                                           const char          *member,
                                           double               fallback);
const LoomToonValue *loom_ai_json_get_object (const LoomToonValue *object,
                                              const char          *member);
const LoomToonValue *loom_ai_json_get_array  (const LoomToonValue *object,
                                              const char          *member);

G_END_DECLS
