/* loom-generator-revise.c: the generator's requests about a passage (loom-revise.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generator-revise"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-ai-client.h"
#include "loom-context-budget.h"
#include "loom-generator-private.h"
#include "loom-model-catalog.h"
#include "loom-prompt.h"
#include "loom-revise.h"
#include "loom-scene.h"
#include "loom-store.h"

typedef struct
{
  LoomScene         *scene;
  LoomReviseAction   action;
  char              *base_prose;
  gsize              from;
  gsize              to;
  char              *model;
  gint64             generation_id;
} ReviseData;

static void
revise_data_free (ReviseData *data)
{
  g_clear_object (&data->scene);
  g_free (data->base_prose);
  g_free (data->model);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReviseData, revise_data_free)

static void
on_revise_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoomGenerator *self = g_task_get_source_object (task);
  ReviseData *data = g_task_get_task_data (task);
  g_autoptr(LoomAiResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  LoomGenerationEnd end = { 0, };
  LoomReview *review;

  answer = loom_ai_client_chat_finish (LOOM_AI_CLIENT (source), result, &error);
  if (answer != NULL)
    {
      text = g_strstrip (g_strdup (answer->text ? answer->text : ""));
      if (*text == '\0')
        g_set_error_literal (&error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                             _("The model answered with no text. Nothing was changed; try "
                               "again, or try another model."));
    }
  _loom_generator_end_set_usage (&end, answer);
  _loom_generator_finish_request (self, data->generation_id, &end, error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  review = loom_review_new (data->scene, data->action, data->base_prose, data->from, data->to,
                            answer->text);
  loom_review_set_usage (review, answer->model ? answer->model : data->model,
                         data->generation_id, answer->prompt_tokens, answer->completion_tokens,
                         answer->cost, g_strcmp0 (answer->finish_reason, "length") == 0);
  g_task_return_pointer (task, review, g_object_unref);
}

/* The answer expected, for the estimate: the passage's length (about four bytes a token) as
 * the action changes it, or what Continue was asked to write. */
static gint64
answer_tokens (const LoomReviseRequest *request)
{
  gint64 passage = (gint64) (request->to - MIN (request->from, request->to)) / 4 + 1;

  switch (request->action)
    {
    case LOOM_REVISE_CONTINUE:
      return loom_estimate_answer_tokens (request->continue_words > 0
                                          ? request->continue_words
                                          : LOOM_REVISE_DEFAULT_CONTINUE, 0);
    case LOOM_REVISE_EXPAND:
    case LOOM_REVISE_DESCRIBE:
      return passage * 2;
    case LOOM_REVISE_SHORTEN:
      return passage / 2 + 1;
    case LOOM_REVISE_REWRITE:
    case LOOM_REVISE_ASK:
    default:
      return passage;
    }
}

/* The model's own context, from its server's list kept in the library (no request), and the
 * library's budget for the prompt. */
static const LoomReviseRequest *
size_request (LoomGenerator            *self,
              const LoomReviseRequest  *request,
              LoomReviseRequest        *sized)
{
  LoomAiClient *client = loom_generator_get_client (self);

  *sized = *request;
  if (sized->model == NULL)
    sized->model = loom_ai_client_get_model (client);
  if (sized->context_tokens <= 0)
    sized->context_tokens = loom_model_catalog_get_context_length (loom_generator_get_store (self),
                                                                   client, NULL);
  if (sized->context_budget == 0)
    sized->context_budget = loom_context_budget_get (loom_generator_get_store (self), client,
                                                     NULL);
  return sized;
}

/* Adds @request's cost to @estimate without sending it; loom-paid-action.c's. */
gboolean
_loom_generator_estimate_revise (LoomGenerator            *self,
                                 LoomScene                *scene,
                                 const LoomReviseRequest  *request,
                                 LoomEstimate             *estimate,
                                 GError                  **error)
{
  g_autoptr(JsonArray) messages = NULL;
  LoomReviseRequest sized;

  request = size_request (self, request, &sized);
  if (!loom_scene_load_prose (scene, error) ||
      (messages = loom_revise_build_messages (scene, request, NULL, error)) == NULL)
    return FALSE;
  loom_estimate_add (estimate, loom_generator_get_store (self), loom_generator_get_client (self),
                     NULL, loom_prompt_estimate_tokens (messages), answer_tokens (request));
  return TRUE;
}

static void
remember (LoomGenerator *self,
          LoomStory     *story,
          const char    *text)
{
  g_autoptr(GError) error = NULL;

  if (!loom_store_remember_instruction (loom_generator_get_store (self), story, text, &error))
    g_debug ("Could not remember the instruction: %s", error->message);
}

/* The writer's free words, and an instruction they edited for this request only (not the
 * story's wording), are offered again next time. */
static void
remember_instructions (LoomGenerator           *self,
                       LoomScene               *scene,
                       const LoomReviseRequest *request)
{
  LoomStory *story = loom_scene_get_story (scene);

  if (request->instruction != NULL && *request->instruction != '\0')
    {
      g_autofree char *own = loom_revise_get_instruction (loom_generator_get_store (self), story,
                                                          request->action);
      g_autofree char *edited = g_strstrip (g_strdup (request->instruction));

      if (*edited != '\0' && !g_str_equal (g_strstrip (own), edited))
        remember (self, story, edited);
    }
  if (request->extra != NULL && *request->extra != '\0')
    remember (self, story, request->extra);
}

/**
 * loom_generator_revise_async:
 * @delta_func: (nullable): called with each piece of the answer as it arrives, for showing it
 *   (never written into the prose)
 *
 * Asks the model about a passage of @scene's prose as it is now (load it first), recording
 * the request in `generations`. A request that would not fit the model's context fails before
 * anything is sent (loom_revise_build_messages()).
 */
void
loom_generator_revise_async (LoomGenerator            *self,
                             LoomScene                *scene,
                             const LoomReviseRequest  *request,
                             LoomAiDeltaFunc           delta_func,
                             gpointer                  delta_data,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(ReviseData) data = g_new0 (ReviseData, 1);
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  LoomAiClient *client = loom_generator_get_client (self);
  LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;
  LoomReviseRequest sized;
  double estimate = 0;

  g_return_if_fail (LOOM_IS_GENERATOR (self));
  g_return_if_fail (LOOM_IS_SCENE (scene));
  g_return_if_fail (request != NULL);

  g_task_set_source_tag (task, loom_generator_revise_async);

  request = size_request (self, request, &sized);

  if (!loom_scene_load_prose (scene, &error) ||
      !loom_ai_client_check (client, &error) ||
      (messages = loom_revise_build_messages (scene, request, NULL, &error)) == NULL ||
      !loom_generator_check_budget (self, loom_scene_get_story (scene),
                                    loom_prompt_estimate_tokens (messages),
                                    answer_tokens (request), &estimate, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->scene = g_object_ref (scene);
  data->action = request->action;
  data->base_prose = g_strdup (loom_scene_get_prose (scene) ? loom_scene_get_prose (scene) : "");
  data->from = request->from;
  data->to = request->to;
  data->model = g_strdup (loom_ai_client_get_model (client));
  data->generation_id = loom_store_begin_revise (loom_generator_get_store (self), scene,
                                                 request->action, data->model, &error);
  if (data->generation_id == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _loom_generator_hold_request (self, loom_scene_get_story (scene), data->generation_id,
                                estimate);
  remember_instructions (self, scene, request);

  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) revise_data_free);
  loom_ai_client_chat_async (client, messages, &options, delta_func, delta_data, cancellable,
                             on_revise_done, g_steal_pointer (&task));
}

/**
 * loom_generator_revise_finish:
 *
 * Returns: (transfer full): the answer as changes to review, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED when stopped)
 */
LoomReview *
loom_generator_revise_finish (LoomGenerator  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, loom_generator_revise_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
