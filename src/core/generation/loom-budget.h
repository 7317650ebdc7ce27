/* loom-budget.h: what a request is expected to cost, and the spending limits it must keep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-ai-client.h"
#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_BUDGET_ERROR (loom_budget_error_quark ())

/**
 * LoomBudgetError:
 * @LOOM_BUDGET_ERROR_STORY_LIMIT: the request would cross the story's spending limit
 * @LOOM_BUDGET_ERROR_MONTHLY_LIMIT: it would cross the library's monthly limit
 * @LOOM_BUDGET_ERROR_UNKNOWN_PRICE: a limit applies, and the model's price is unknown
 *
 * A refused request was not sent. The message says which limit, what has been spent and how
 * to go on.
 */
typedef enum
{
  LOOM_BUDGET_ERROR_STORY_LIMIT,
  LOOM_BUDGET_ERROR_MONTHLY_LIMIT,
  LOOM_BUDGET_ERROR_UNKNOWN_PRICE,
} LoomBudgetError;

GQuark loom_budget_error_quark (void);

/**
 * LoomEstimate:
 * @requests: how many requests were added with loom_estimate_add() (a batch's: the scenes it
 *   drafts)
 * @summaries: how many summaries that follow the drafts were added with
 *   loom_estimate_add_summary(), counted apart from @requests
 * @prompt_tokens: their prompts' estimated tokens, the summaries' too
 * @answer_tokens: their expected answers' tokens, the summaries' too
 * @cost: US dollars, the summaries' included; negative once a request's model has no known
 *   price
 * @model: (nullable): the model whose price is unknown, for the sentence
 * @unknown_accepted: the price is unknown, and the writer chose to send to every such model
 *   anyway (loom_budget_set_unknown_price_accepted()): it is neither asked about nor refused
 *   by a limit for want of a price
 *
 * Start with %LOOM_ESTIMATE_INIT, add each request with loom_estimate_add(), free with
 * loom_estimate_clear().
 */
typedef struct
{
  guint     requests;
  guint     summaries;
  gint64    prompt_tokens;
  gint64    answer_tokens;
  double    cost;
  char     *model;
  gboolean  unknown_accepted;
} LoomEstimate;

#define LOOM_ESTIMATE_INIT { 0, 0, 0, 0, 0.0, NULL, FALSE }

void      loom_estimate_clear         (LoomEstimate  *estimate);

/* The expected answer of @words words of prose (about four tokens for three words), or
 * @max_tokens when the writer set a maximum length (> 0). */
gint64    loom_estimate_answer_tokens (guint          words,
                                       int            max_tokens);

/* What a batch's estimate puts in place of a scene's prose while that scene is still to be
 * drafted before the next one: text as long as an answer of @answer_tokens tokens, with the
 * characters per word the estimates assume (loom_estimate_answer_tokens()). */
char     *loom_estimate_stand_in_prose (gint64        answer_tokens);

/* Adds one request to @model (%NULL: the client's) of @prompt_tokens (e.g.
 * loom_prompt_get_token_estimate()) and @answer_tokens, priced from the cached list of
 * models (loom-model-catalog.h). Makes no request. */
void      loom_estimate_add           (LoomEstimate  *estimate,
                                       LoomStore     *store,
                                       LoomAiClient  *client,
                                       const char    *model,
                                       gint64         prompt_tokens,
                                       gint64         answer_tokens);

/* As loom_estimate_add(), for the summary request that follows a draft when the window's
 * "summarize-after-draft" setting is on: priced the same, counted in @summaries. */
void      loom_estimate_add_summary   (LoomEstimate  *estimate,
                                       LoomStore     *store,
                                       LoomAiClient  *client,
                                       const char    *model,
                                       gint64         prompt_tokens,
                                       gint64         answer_tokens);

/* "about $0.0123" or "unknown price", then the tokens: for the writer. */
char     *loom_estimate_describe      (const LoomEstimate *estimate);

/* For the question before spending: "about $0.0420 with MODEL (12,300 tokens in, about
 * 6,000 out)", or with "unknown price" when it is; followed by ", including the summaries of
 * the 3 scenes once drafted" when it counts summaries. */
char     *loom_estimate_describe_with_model (const LoomEstimate *estimate,
                                             const char         *model);

/* Whether the writer must confirm an action of @estimate first, under @threshold
 * (loom_store_get_confirm_threshold()): never when it is negative, always when it is 0, else
 * when the cost is above it. An unknown price may be anything, so it asks whenever a threshold
 * is set, unless the writer accepted the model's unknown price. An estimate of no request asks
 * nothing. */
gboolean  loom_estimate_needs_confirmation (const LoomEstimate *estimate,
                                            double              threshold);

/* Whether the writer chose to send requests to @model (%NULL: the client's) on the client's
 * server without knowing its price ("Don't ask again for this model"), kept in the library.
 * A local server (Ollama, llama.cpp) lists no prices: without this, every request to it would
 * ask, and every limit would refuse it. */
gboolean  loom_budget_get_unknown_price_accepted (LoomStore     *store,
                                                  LoomAiClient  *client,
                                                  const char    *model);
gboolean  loom_budget_set_unknown_price_accepted (LoomStore     *store,
                                                  LoomAiClient  *client,
                                                  const char    *model,
                                                  gboolean       accepted,
                                                  GError       **error);

/* The models whose unknown price the writer accepted on @client's server, sorted: the rest
 * of a setting's name after the server, as loom_budget_set_unknown_price_accepted() wrote it.
 * Those of other servers are kept but not listed. %NULL with @error when the library cannot
 * be read. */
GStrv     loom_budget_list_unknown_price_accepted (LoomStore     *store,
                                                   LoomAiClient  *client,
                                                   GError       **error);

/* US dollars for the writer: "$12.50", "$0.0123", "less than $0.0001". */
char     *loom_budget_format_usd      (double         amount);

/**
 * loom_budget_check:
 * @story: (nullable): the story the request is for
 * @pending: what requests already running for @story are expected to cost (they are not
 *   cut off, so they count as spent)
 * @pending_library: the same for every story
 *
 * Whether @estimate keeps within @story's limit and the library's monthly limit:
 * spent + pending + estimate must not be above the limit. Without a limit, anything goes,
 * an unknown price too. With one, an unknown price is refused
 * (%LOOM_BUDGET_ERROR_UNKNOWN_PRICE) unless the writer accepted it, and then counts as nothing
 * until the server reports what the request cost.
 *
 * Returns: %FALSE with a sentence in @error (LOOM_BUDGET_ERROR, or the store's) when the
 *   request must not be sent
 */
gboolean  loom_budget_check           (LoomStore           *store,
                                       LoomStory           *story,
                                       const LoomEstimate  *estimate,
                                       double               pending,
                                       double               pending_library,
                                       GError             **error);

G_END_DECLS
