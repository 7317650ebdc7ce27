/* loom-generation-controller-summaries.c: scene summaries asked of the model from the window
 *
 * Three ways: Summarize (the editor's button, gen.summarize-scene) for the current scene; by
 * itself after a draft completes, unless the "summarize-after-draft" setting is off; and
 * Summarize Story (gen.summarize-story), which first says how many scenes need one and what
 * that should cost, then works through them one at a time with a progress dialog that can stop
 * it. Each request goes through the generator, so it passes the spending limits like any
 * other. A summary the writer wrote is replaced only after asking, from the button; the other
 * two ways never touch it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-controller-private.h"
#include "loom-generation-util.h"
#include "loom-paid-action.h"
#include "loom-paid-question.h"
#include "loom-store-summaries.h"

struct _LoomSummaryRun
{
  LoomGenerationController *controller;
  AdwMessageDialog         *dialog;     /* weak: the progress */
  GtkProgressBar           *progress;   /* the dialog's */
  GtkLabel                 *errors_label;
  GPtrArray                *scenes;
  GCancellable             *cancellable;
  GString                  *errors;
  guint                     next;
  guint                     done;
};

static void
summary_run_free (LoomSummaryRun *run)
{
  /* The dialog stays open to say how it went, and outlives the run. */
  if (run->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (run->dialog, run);
      g_clear_weak_pointer (&run->dialog);
    }
  g_clear_object (&run->controller);
  g_clear_pointer (&run->scenes, g_ptr_array_unref);
  g_clear_object (&run->cancellable);
  g_string_free (run->errors, TRUE);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomSummaryRun, summary_run_free)

static char *
scene_name (LoomScene *scene)
{
  /* TRANSLATORS: a scene in a list, e.g. "Chapter 2, scene 3" */
  return g_strdup_printf (_("Chapter %u, scene %u"),
                          loom_chapter_get_number (loom_scene_get_chapter (scene)),
                          loom_scene_get_number (scene));
}

static gboolean
is_writers (LoomGenerationController *self,
            LoomScene                *scene)
{
  g_autoptr(LoomSummary) summary = loom_store_get_summary (self->store, scene, NULL);

  return summary != NULL && summary->origin == LOOM_SUMMARY_WRITER;
}

/* ------------------------------------------------------------------------------------------ */
/* One scene: the editor's button, and the summary after a draft                              */

typedef struct
{
  LoomGenerationController *controller;
  LoomScene                *scene;
  gboolean                  quiet_if_writers;
} OneData;

static void
one_data_free (OneData *data)
{
  g_object_unref (data->controller);
  g_object_unref (data->scene);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OneData, one_data_free)

static void
on_one_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OneData) data = user_data;
  LoomGenerationController *self = data->controller;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove (self->summarizing, data->scene);
  if (!loom_generator_summarize_scene_finish (LOOM_GENERATOR (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !(data->quiet_if_writers && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
    {
      g_autofree char *name = scene_name (data->scene);
      g_autoptr(GError) named = NULL;

      /* TRANSLATORS: "Chapter 2, scene 3: the summary could not be made: <why>" */
      named = g_error_new (error->domain, error->code,
                           _("%s: the summary could not be made: %s"), name, error->message);
      _loom_generation_controller_emit_error (self, named);
    }
  _loom_generation_controller_update_costs (self, NULL);
  _loom_generation_controller_update_actions (self);
}

static void
summarize_one (LoomGenerationController *self,
               LoomScene                *scene,
               gboolean                  replace_writers,
               gboolean                  quiet_if_writers)
{
  OneData *data;

  if (g_hash_table_contains (self->summarizing, scene))
    return;
  data = g_new0 (OneData, 1);
  data->controller = g_object_ref (self);
  data->scene = g_object_ref (scene);
  data->quiet_if_writers = quiet_if_writers;
  g_hash_table_add (self->summarizing, g_object_ref (scene));
  _loom_generation_controller_update_actions (self);
  if (replace_writers)
    loom_generator_replace_summary_async (self->generator, scene, self->structured_cancellable,
                                          on_one_done, data);
  else
    loom_generator_summarize_scene_async (self->generator, scene, self->structured_cancellable,
                                          on_one_done, data);
}

static void
run_confirmed (GObject  *owner,
               gpointer  data)
{
  summarize_one (LOOM_GENERATION_CONTROLLER (owner), data, FALSE, FALSE);
}

static void
on_replace_confirmed (AdwMessageDialog         *dialog,
                      const char               *response,
                      LoomGenerationController *self)
{
  LoomScene *scene = g_object_get_data (G_OBJECT (dialog), "scene");

  /* The scene may have gone meanwhile: only a live one is asked for. */
  if (g_strcmp0 (response, "replace") == 0 &&
      loom_store_lookup_scene (self->store, loom_scene_get_id (scene)) == scene)
    summarize_one (self, scene, TRUE, FALSE);
}

/**
 * loom_generation_controller_summarize_scene:
 *
 * Asks the model for @scene's summary. Over a summary the writer wrote, it asks first; else
 * as every paid action does, when the estimate is above the threshold set in Preferences.
 *
 * Returns: (transfer none) (nullable): the question, when one was asked
 */
GtkWindow *
loom_generation_controller_summarize_scene (LoomGenerationController *self,
                                            LoomScene                *scene)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (!is_writers (self, scene))
    {
      LoomPaidAction action = { .kind = LOOM_PAID_SUMMARY, .scene = scene };

      /* above the threshold set in Preferences, the estimate is asked about first */
      return loom_paid_question_run (self->window, self->generator, &action,
                                     _("Summarize This Scene?"), _("_Summarize"), G_OBJECT (self),
                                     run_confirmed, g_object_ref (scene), g_object_unref);
    }
  dialog = loom_ui_question_new (self->window, _("Replace Your Summary?"),
                                 _("This scene’s summary is one you wrote. The AI’s summary "
                                   "would replace it, and your words would be lost."),
                                 _("_Keep Mine"), "replace", _("_Replace"),
                                 ADW_RESPONSE_DESTRUCTIVE);
  return loom_ui_question_ask (dialog, "scene", scene, G_CALLBACK (on_replace_confirmed), self);
}

static void
summarize_scene (LoomGenerationController *self,
                 gpointer                  scene)
{
  loom_generation_controller_summarize_scene (self, scene);
}

gboolean
_loom_generation_controller_summarizes_drafts (LoomGenerationController *self)
{
  return g_settings_get_boolean (self->settings, "summarize-after-draft");
}

/* A draft completed: its summary follows, as the writer's memory of the story should. */
static void
on_scene_finished (LoomGenerationController *self,
                   LoomScene                *scene,
                   const GError             *error)
{
  if (error != NULL || !_loom_generation_controller_summarizes_drafts (self) ||
      loom_scene_get_status (scene) != LOOM_SCENE_STATUS_COMPLETE ||
      is_writers (self, scene))
    return;
  summarize_one (self, scene, FALSE, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* Summarize Story                                                                            */

static void run_next (LoomSummaryRun *run);

static void
run_finished (LoomSummaryRun *run)
{
  LoomGenerationController *self = run->controller;
  g_autofree char *text = NULL;
  guint total = run->scenes->len;

  if (g_cancellable_is_cancelled (run->cancellable))
    /* TRANSLATORS: Summarize Story was stopped; those done are kept */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Stopped: %u of %u scene was summarized, and is kept.",
                                         "Stopped: %u of %u scenes were summarized, and are "
                                         "kept.", total),
                            run->done, total);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u scene was summarized.",
                                         "%u of %u scenes were summarized.", total),
                            run->done, total);

  if (run->dialog != NULL)
    {
      adw_message_dialog_set_heading (run->dialog, _("Story Summarized"));
      adw_message_dialog_set_body (run->dialog, text);
      adw_message_dialog_set_response_label (run->dialog, "stop", _("_Close"));
      gtk_progress_bar_set_fraction (run->progress, 1.0);
    }
  else
    _loom_generation_controller_emit_message (self, text);

  self->summary_run = NULL;
  _loom_generation_controller_update_costs (self, NULL);
  _loom_generation_controller_update_actions (self);
  summary_run_free (run);
}

static void
on_run_scene_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LoomSummaryRun *run = user_data;
  LoomScene *scene = g_ptr_array_index (run->scenes, run->next - 1);
  g_autoptr(GError) error = NULL;

  g_hash_table_remove (run->controller->summarizing, scene);
  if (loom_generator_summarize_scene_finish (LOOM_GENERATOR (source), result, &error))
    run->done++;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = scene_name (scene);

      /* one line each, so the writer sees which scenes to try again */
      g_string_append_printf (run->errors, "%s%s: %s", run->errors->len ? "\n" : "", name,
                              error->message);
      if (run->dialog != NULL)
        {
          gtk_label_set_text (run->errors_label, run->errors->str);
          gtk_widget_set_visible (GTK_WIDGET (run->errors_label), TRUE);
        }
    }
  run_next (run);
}

static void
run_next (LoomSummaryRun *run)
{
  LoomGenerationController *self = run->controller;
  LoomScene *scene = NULL;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  /* A scene deleted since the count is passed over. */
  while (run->next < run->scenes->len && !g_cancellable_is_cancelled (run->cancellable))
    {
      LoomScene *candidate = g_ptr_array_index (run->scenes, run->next++);

      if (loom_store_lookup_scene (self->store, loom_scene_get_id (candidate)) == candidate)
        {
          scene = candidate;
          break;
        }
    }
  if (scene == NULL)
    {
      run_finished (run);
      return;
    }

  if (run->dialog != NULL)
    {
      name = scene_name (scene);
      /* TRANSLATORS: progress, e.g. "Scene 3 of 12: Chapter 1, scene 3" */
      body = g_strdup_printf (_("Scene %u of %u: %s"), run->next, run->scenes->len, name);
      adw_message_dialog_set_body (run->dialog, body);
      gtk_progress_bar_set_fraction (run->progress,
                                     (double) (run->next - 1) / run->scenes->len);
    }
  g_hash_table_add (self->summarizing, g_object_ref (scene));
  loom_generator_summarize_scene_async (self->generator, scene, run->cancellable,
                                        on_run_scene_done, run);
}

static void
on_progress_response (AdwMessageDialog *dialog,
                      const char       *response,
                      LoomSummaryRun   *run)
{
  /* Stop: the request under way is cancelled; the summaries made so far stay. */
  g_cancellable_cancel (run->cancellable);
}

static AdwMessageDialog *
progress_dialog (LoomSummaryRun *run)
{
  GtkWidget *dialog = adw_message_dialog_new (run->controller->window,
                                              _("Summarizing the Story"), NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  run->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (run->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Summaries made"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (run->progress));
  run->errors_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (run->errors_label, TRUE);
  gtk_label_set_xalign (run->errors_label, 0);
  gtk_label_set_selectable (run->errors_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (run->errors_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (run->errors_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (run->errors_label));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "stop", _("_Stop"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "stop");
  /* The run may outlive the dialog, not the other way round: it cancels on any response. */
  g_signal_connect (dialog, "response", G_CALLBACK (on_progress_response), run);
  g_set_weak_pointer (&run->dialog, ADW_MESSAGE_DIALOG (dialog));
  return run->dialog;
}

static void
start_run (LoomGenerationController *self,
           GPtrArray                *scenes)
{
  LoomSummaryRun *run = g_new0 (LoomSummaryRun, 1);

  run->controller = g_object_ref (self);
  run->scenes = g_ptr_array_ref (scenes);
  run->cancellable = g_cancellable_new ();
  run->errors = g_string_new (NULL);
  self->summary_run = run;
  gtk_window_present (GTK_WINDOW (progress_dialog (run)));
  _loom_generation_controller_update_actions (self);
  run_next (run);
}

static void
on_story_confirmed (AdwMessageDialog         *dialog,
                    const char               *response,
                    LoomGenerationController *self)
{
  GPtrArray *scenes = g_object_get_data (G_OBJECT (dialog), "scenes");
  LoomStory *story = g_object_get_data (G_OBJECT (dialog), "story");

  if (g_strcmp0 (response, "summarize") == 0 && story == self->story &&
      self->summary_run == NULL)
    start_run (self, scenes);
}

/* "about $0.01 (…)", or that the price is unknown, in so many words. */
static char *
describe_cost (const LoomEstimate *estimate)
{
  g_autofree char *described = loom_estimate_describe (estimate);

  if (estimate->cost >= 0)
    /* TRANSLATORS: %s is e.g. "about $0.0123 (1,200 prompt tokens, about 400 answer tokens)" */
    return g_strdup_printf (_("Estimated cost: %s."), described);
  /* TRANSLATORS: %s is a model's id; then the tokens, e.g. "unknown price (1,200 prompt…)" */
  return g_strdup_printf (_("The price of %s is unknown, so the cost cannot be estimated: "
                            "%s."), estimate->model ? estimate->model : _("the model"),
                          described);
}

/**
 * loom_generation_controller_summarize_story:
 *
 * Summarize Story: says how many scenes need a summary and what asking for them should cost,
 * and on the writer's word asks for them one after the other.
 *
 * Returns: (transfer none) (nullable): the question, or %NULL when no scene needs a summary
 *   (then a sentence says so) or it could not be counted (an error)
 */
GtkWindow *
loom_generation_controller_summarize_story (LoomGenerationController *self)
{
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *count = NULL;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);

  if (self->story == NULL || self->summary_run != NULL)
    return NULL;
  if ((scenes = loom_store_list_unsummarized (self->store, self->story, &error)) == NULL)
    {
      _loom_generation_controller_emit_error (self, error);
      return NULL;
    }
  if (scenes->len == 0)
    {
      _loom_generation_controller_emit_message (self, _("Every scene with prose has a current "
                                                        "summary."));
      return NULL;
    }
  for (guint i = 0; i < scenes->len; i++)
    {
      LoomPaidAction action = { .kind = LOOM_PAID_SUMMARY,
                                .scene = g_ptr_array_index (scenes, i) };

      if (!loom_generator_estimate_action (self->generator, &action, &estimate, &error))
        {
          loom_estimate_clear (&estimate);
          _loom_generation_controller_emit_error (self, error);
          return NULL;
        }
    }
  cost = describe_cost (&estimate);
  loom_estimate_clear (&estimate);

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u scene has no summary, or an outdated one the AI "
                                        "wrote. The summaries you wrote are kept.",
                                        "%u scenes have no summary, or an outdated one the AI "
                                        "wrote. The summaries you wrote are kept.", scenes->len),
                           scenes->len);
  dialog = loom_ui_question_new (self->window, _("Summarize the Story?"), NULL, NULL,
                                 "summarize", _("_Summarize"), ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "summarize");
  adw_message_dialog_format_body (dialog, "%s\n\n%s", count, cost);
  g_object_set_data_full (G_OBJECT (dialog), "scenes", g_steal_pointer (&scenes),
                          (GDestroyNotify) g_ptr_array_unref);
  return loom_ui_question_ask (dialog, "story", self->story, G_CALLBACK (on_story_confirmed),
                               self);
}

static void
summarize_story (LoomGenerationController *self,
                 gpointer                  story)
{
  loom_generation_controller_summarize_story (self);
}

/* ------------------------------------------------------------------------------------------ */

/* Part of _loom_generation_controller_update_actions(): @client is why the server cannot be
 * asked, or NULL. */
void
_loom_generation_controller_update_summary_actions (LoomGenerationController *self,
                                                    const char               *client)
{
  LoomScene *scene = _loom_generation_controller_get_scene (self);
  const char *reason;

  if (scene == NULL)
    reason = _("Select a scene first.");
  else if (loom_scene_get_word_count (scene) == 0)
    reason = _("This scene has no prose to summarize yet.");
  else if (loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING)
    reason = _("This scene is being drafted; it is summarized when the draft is done.");
  else if (g_hash_table_contains (self->summarizing, scene))
    reason = _("This scene is being summarized.");
  else
    reason = client;
  _loom_generation_controller_set_action (self, "summarize-scene", reason);

  if (self->story == NULL)
    reason = _("Open a story first.");
  else if (self->summary_run != NULL)
    reason = _("The story is being summarized.");
  else if (loom_story_get_word_count (self->story) == 0)
    reason = _("The story has no prose to summarize yet.");
  else
    reason = client;
  _loom_generation_controller_set_action (self, "summarize-story", reason);
}

static const LoomControllerAction summary_actions[] = {
  { "summarize-scene", LOOM_ACTION_ON_SCENE, summarize_scene },
  { "summarize-story", LOOM_ACTION_ON_STORY, summarize_story },
};

void
_loom_generation_controller_summaries_init (LoomGenerationController *self)
{
  self->summarizing = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  _loom_generation_controller_add_actions (self, summary_actions, G_N_ELEMENTS (summary_actions));
  g_signal_connect_object (self->generator, "scene-finished", G_CALLBACK (on_scene_finished),
                           self, G_CONNECT_SWAPPED);
}

void
_loom_generation_controller_summaries_dispose (LoomGenerationController *self)
{
  /* The run ends in its callback, which holds the controller until then. */
  if (self->summary_run != NULL)
    g_cancellable_cancel (self->summary_run->cancellable);
}
