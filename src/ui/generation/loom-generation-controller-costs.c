/* loom-generation-controller-costs.c: what the story's requests have cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-controller-private.h"
#include "loom-generation-util.h"
#include "loom-model-catalog.h"
#include "loom-store-budget.h"

static double
scene_cost (GArray    *usage,
            LoomScene *scene)
{
  gint64 id = scene ? loom_scene_get_id (scene) : 0;

  for (guint i = 0; usage != NULL && i < usage->len; i++)
    {
      LoomUsage *row = &g_array_index (usage, LoomUsage, i);
      if (row->scene_id == id)
        return row->cost;
    }
  return 0;
}

static GArray *
read_usage (LoomGenerationController *self)
{
  g_autoptr(GError) error = NULL;
  GArray *usage;

  if (self->story == NULL)
    return NULL;
  usage = loom_store_get_usage (self->store, self->story, &error);
  if (usage == NULL)
    g_debug ("Could not read the usage: %s", error->message);
  return usage;
}

static char *
format_tokens (gint64 tokens)
{
  /* The number apart: xgettext cannot read a msgid built with G_GINT64_FORMAT, and left this
   * one untranslated. */
  g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, tokens);

  /* TRANSLATORS: a count of tokens, its digits grouped as the locale groups them: "4,048 tokens" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens",
                                       (gulong) CLAMP (tokens, 0, G_MAXLONG)), number);
}

/* "$0.42 of $5.00 this story", "$1.20 of $10.00 this month", or NULL without that limit. */
static char *
describe_against_limit (LoomGenerationController *self,
                        LoomStory                *story)
{
  g_autofree char *spent_text = NULL;
  g_autofree char *limit_text = NULL;
  double limit = -1;
  double spent = 0;

  if (!loom_store_get_spending_limit (self->store, story, &limit, NULL) || limit < 0 ||
      !loom_store_get_spent (self->store, story, &spent, NULL))
    return NULL;
  spent_text = loom_budget_format_usd (spent);
  limit_text = loom_budget_format_usd (limit);
  if (story != NULL)
    /* TRANSLATORS: the status line, e.g. "$0.42 of $5.00 this story" */
    return g_strdup_printf (_("%s of %s this story"), spent_text, limit_text);
  /* TRANSLATORS: the status line, e.g. "$1.20 of $10.00 this month" */
  return g_strdup_printf (_("%s of %s this month"), spent_text, limit_text);
}

/* The cost line, with spending against the limits that are set. */
static char *
add_limits (LoomGenerationController *self,
            const char               *text)
{
  g_autofree char *story = self->story ? describe_against_limit (self, self->story) : NULL;
  g_autofree char *month = describe_against_limit (self, NULL);
  g_autoptr(GString) line = g_string_new (text);

  for (guint i = 0; i < 2; i++)
    {
      const char *part = i == 0 ? story : month;

      if (part == NULL)
        continue;
      if (line->len > 0)
        g_string_append (line, " · ");
      g_string_append (line, part);
    }
  return line->len > 0 ? g_string_free (g_steal_pointer (&line), FALSE) : NULL;
}

/* @finished: a scene that just finished (its cost since it started is the last cost), or the
 * story itself after a request about the whole story, or NULL to only total. */
void
_loom_generation_controller_update_costs (LoomGenerationController *self,
                                          LoomScene                *finished)
{
  g_autoptr(GArray) usage = read_usage (self);
  g_autofree char *tokens = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *last = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  gint64 total_tokens = 0;
  double total_cost = 0;

  for (guint i = 0; usage != NULL && i < usage->len; i++)
    {
      LoomUsage *row = &g_array_index (usage, LoomUsage, i);

      total_tokens += MAX (row->prompt_tokens, 0) + MAX (row->completion_tokens, 0);
      total_cost += MAX (row->cost, 0);
    }
  self->story_tokens = total_tokens;
  self->story_cost = total_cost;

  if (finished != NULL)
    {
      double *before = g_hash_table_lookup (self->cost_before, finished);
      double now = scene_cost (usage, finished);

      self->last_cost = MAX (0, now - (before ? *before : 0));
      g_hash_table_remove (self->cost_before, finished);
      _loom_generation_controller_notify (self, PROP_LAST_COST);
    }

  if (self->story != NULL && usage != NULL && total_tokens > 0)
    {
      tokens = format_tokens (total_tokens);
      cost = loom_generation_format_cost (total_cost);
      last = self->last_cost >= 0 ? loom_generation_format_cost (self->last_cost) : NULL;
      if (total_cost > 0 && last != NULL)
        /* TRANSLATORS: the cost label: tokens · cost so far · the last generation's cost */
        text = g_strdup_printf (_("%s · %s so far · last %s"), tokens, cost, last);
      else if (total_cost > 0)
        text = g_strdup_printf (_("%s · %s so far"), tokens, cost);
      else
        text = g_strdup (tokens);
      {
        guint requests = 0;

        for (guint i = 0; i < usage->len; i++)
          requests += g_array_index (usage, LoomUsage, i).requests;
        tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "This story has used %s in %u request, costing "
                                                "%s. The last generation cost %s.",
                                                "This story has used %s in %u requests, costing "
                                                "%s. The last generation cost %s.", requests),
                                   tokens, requests, cost, last ? last : _("nothing"));
      }
    }

  if (self->story != NULL)
    {
      g_autofree char *costs = g_steal_pointer (&text);

      text = add_limits (self, costs);
    }
  if (loom_generation_controller_set_str (&self->cost_text, text))
    _loom_generation_controller_notify (self, PROP_COST_TEXT);
  if (loom_generation_controller_set_str (&self->cost_tooltip, tooltip))
    _loom_generation_controller_notify (self, PROP_COST_TOOLTIP);
}

const char *
loom_generation_controller_get_cost_text (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->cost_text;
}

const char *
loom_generation_controller_get_cost_tooltip (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->cost_tooltip;
}

double
loom_generation_controller_get_story_cost (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), 0);
  return self->story_cost;
}

gint64
loom_generation_controller_get_story_tokens (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), 0);
  return self->story_tokens;
}

double
loom_generation_controller_get_last_cost (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), 0);
  return self->last_cost;
}

/* Remembers what the scene had cost before, so that its finish tells the cost of this run. */
void
_loom_generation_controller_scene_started (LoomGenerationController *self,
                                           LoomScene                *scene,
                                           LoomGenerator            *generator)
{
  g_autoptr(GArray) usage = NULL;
  double *before;

  if (self->story == NULL || loom_scene_get_story (scene) != self->story)
    return;
  usage = read_usage (self);
  before = g_new (double, 1);
  *before = scene_cost (usage, scene);
  g_hash_table_insert (self->cost_before, g_object_ref (scene), before);
}

static void
on_models_refreshed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* the list kept before (or none: "unknown price") serves until the next try */
  if (!loom_model_catalog_refresh_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The list of models was not refreshed: %s", error->message);
}

/* Fetches the server's list of models when the library's copy is a day old. Only a server
 * the writer has set up is asked: a key, or one on this computer. */
void
_loom_generation_controller_refresh_models (LoomGenerationController *self)
{
  if (self->store == NULL || !loom_ai_client_check (self->client, NULL))
    return;

  g_cancellable_cancel (self->models_cancellable);
  g_clear_object (&self->models_cancellable);
  self->models_cancellable = g_cancellable_new ();
  loom_model_catalog_refresh_async (self->store, self->client, FALSE, self->models_cancellable,
                                    on_models_refreshed, NULL);
}
