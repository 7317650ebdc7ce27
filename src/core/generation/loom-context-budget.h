/* loom-context-budget.h: how many tokens a prompt may take, as the library sets it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-ai-client.h"
#include "loom-types.h"

G_BEGIN_DECLS

/* What the writer may choose, in tokens. */
#define LOOM_CONTEXT_BUDGET_MIN      1000
#define LOOM_CONTEXT_BUDGET_MAX      1000000
/* The automatic budget never asks for more than this: every request pays for its prompt. */
#define LOOM_CONTEXT_BUDGET_AUTO_CAP 16000

/* The budget when the writer chose none: half of @context_length (the other half is the
 * answer's), within LOOM_CONTEXT_BUDGET_MIN and LOOM_CONTEXT_BUDGET_AUTO_CAP;
 * LOOM_PROMPT_DEFAULT_BUDGET when the context length is unknown (0). */
guint     loom_context_budget_automatic (gint64         context_length);

/* The writer's choice in the library, 0 for automatic. */
gboolean  loom_context_budget_get_chosen (LoomStore     *store,
                                          guint         *tokens,
                                          GError       **error);
/* Keeps @tokens (LOOM_CONTEXT_BUDGET_MIN to _MAX) as the library's budget, or 0 for
 * automatic; %FALSE with a sentence in @error otherwise. */
gboolean  loom_context_budget_set       (LoomStore     *store,
                                         guint          tokens,
                                         GError       **error);

/* The budget for a prompt to @client's model (%NULL: a model whose context is unknown): the
 * writer's choice, but never more than three quarters of the model's context (a quarter stays
 * for the answer), else the automatic one. A library that cannot be read gives the automatic
 * one. */
guint     loom_context_budget_get       (LoomStore     *store,
                                         LoomAiClient  *client,
                                         gboolean      *automatic);

G_END_DECLS
