/* loom-generation-controller-actions.c: the actions, which of them can run and why not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-controller-private.h"
#include "loom-generation-util.h"
#include "loom-paid-question.h"
#include "loom-prompt-dialog.h"
#include "loom-revision.h"
#include "loom-revisions-dialog.h"

/* The one place that decides which actions can run: update_actions(). */

static gboolean
scene_wants_generation (LoomGenerationController *self,
                        LoomScene                *scene)
{
  LoomSceneStatus status = loom_scene_get_status (scene);

  if (status == LOOM_SCENE_STATUS_GENERATING ||
      loom_generator_is_scene_pending (self->generator, scene))
    return FALSE;
  return status == LOOM_SCENE_STATUS_ERROR || loom_scene_get_word_count (scene) == 0;
}

static guint
chapter_count_wanting (LoomGenerationController *self,
                       LoomChapter              *chapter)
{
  GListModel *scenes = loom_chapter_get_scenes (chapter);
  guint n = g_list_model_get_n_items (scenes);
  guint wanting = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);
      if (scene_wants_generation (self, scene))
        wanting++;
    }
  return wanting;
}

static guint
story_count_wanting (LoomGenerationController *self)
{
  GListModel *chapters = loom_story_get_chapters (self->story);
  guint n = g_list_model_get_n_items (chapters);
  guint wanting = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);
      wanting += chapter_count_wanting (self, chapter);
    }
  return wanting;
}

static void
set_action (LoomGenerationController *self,
            const char               *name,
            const char               *reason)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), reason == NULL);
  if (reason == NULL)
    g_hash_table_remove (self->reasons, name);
  else
    g_hash_table_insert (self->reasons, (gpointer) name, g_strdup (reason));
}

static void
update_status_section (LoomGenerationController *self,
                       const char               *reason,
                       gboolean                  fixable)
{
  guint running = loom_generator_get_n_running (self->generator);
  guint queued = loom_generator_get_n_queued (self->generator);
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;

  if (running > 0 || queued > 0 || self->outlining || self->suggesting)
    {
      g_autofree char *scenes = NULL;

      if (queued > 0)
        /* TRANSLATORS: the queue, e.g. "Generating 3 scenes, 5 waiting" */
        scenes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Generating %u scene, %u waiting",
                                               "Generating %u scenes, %u waiting", running),
                                  running, queued);
      else if (running > 0)
        scenes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Generating %u scene",
                                               "Generating %u scenes", running),
                                  running);

      if (self->outlining)
        text = scenes ? g_strdup_printf ("%s · %s", scenes, _("outlining the story"))
                      : g_strdup (_("Outlining the story…"));
      else if (self->suggesting)
        text = scenes ? g_strdup_printf ("%s · %s", scenes, _("suggesting characters"))
                      : g_strdup (_("Suggesting characters…"));
      else
        text = g_steal_pointer (&scenes);
    }
  else if (reason != NULL && self->story != NULL)
    text = g_strdup (reason);

  if (loom_generation_controller_set_str (&self->status_text, text))
    _loom_generation_controller_notify (self, PROP_STATUS_TEXT);

  /* The first section of the Generate menu says the same, and leads to Preferences when that is
   * where the fix is. Rebuilt only when it changes: an open menu would flicker otherwise. */
  shown = g_strdup_printf ("%s|%d", text ? text : "", fixable);
  if (!loom_generation_controller_set_str (&self->status_shown, shown))
    return;

  g_menu_remove_all (self->status_section);
  if (fixable && text != NULL && g_strcmp0 (text, reason) == 0)
    g_menu_append (self->status_section,
                   loom_ai_client_get_has_api_key (self->client) ? _("Check the _Server Address…")
                                                                 : _("No API Key: _Set Up…"),
                   "gen.setup");
  else if (text != NULL)
    g_menu_append (self->status_section, text, NULL);
}

/* The actions on the selected scene, each disabled with the reason why. */
static void
update_scene_actions (LoomGenerationController *self,
                      LoomScene                *scene,
                      const char               *client)
{
  const char *select_scene = _("Select a scene first.");
  const char *already = _("This scene is already being generated.");
  LoomSceneStatus status = LOOM_SCENE_STATUS_DRAFT;
  gboolean pending = FALSE;
  gboolean has_prose = FALSE;
  const char *reason;

  if (scene != NULL)
    {
      status = loom_scene_get_status (scene);
      pending = status == LOOM_SCENE_STATUS_GENERATING ||
                loom_generator_is_scene_pending (self->generator, scene);
      has_prose = loom_scene_get_word_count (scene) > 0;
    }

  /* Generate Scene: a scene without prose, or one whose generation failed. */
  if (scene == NULL)
    reason = select_scene;
  else if (pending)
    reason = already;
  else if (has_prose && status != LOOM_SCENE_STATUS_ERROR)
    reason = _("This scene already has prose: use Regenerate Scene.");
  else
    reason = client;
  set_action (self, "generate-scene", reason);

  if (scene == NULL)
    reason = select_scene;
  else if (pending)
    reason = already;
  else if (!has_prose)
    reason = _("This scene has no prose yet: use Generate Scene.");
  else
    reason = client;
  set_action (self, "regenerate-scene", reason);

  if (scene == NULL || status != LOOM_SCENE_STATUS_ERROR)
    reason = _("Only a scene whose generation failed can be retried.");
  else if (pending)
    reason = already;
  else
    reason = client;
  set_action (self, "retry", reason);

  set_action (self, "stop", scene != NULL && pending ? NULL
                                                     : _("This scene is not being generated."));

  reason = loom_generation_controller_get_stopped_words (self, scene) == 0
             ? _("No words of a stopped or failed generation are waiting for this scene.")
             : pending ? already : NULL;
  set_action (self, "keep-partial", reason);
  set_action (self, "discard-partial", reason);

  set_action (self, "show-prompt", scene ? NULL : select_scene);
  set_action (self, "show-revisions", scene ? NULL : select_scene);
}

/* Outline Story and Suggest Characters, which start from the story's premise. */
static void
update_premise_actions (LoomGenerationController *self,
                        const char               *client)
{
  const char *no_story = _("Open a story first.");
  const char *premise = self->story ? loom_story_get_premise (self->story) : NULL;
  gboolean has_premise = premise != NULL && *premise != '\0';
  const char *reason;

  if (self->story == NULL)
    reason = no_story;
  else if (self->outlining)
    reason = _("The story is being outlined.");
  else if (!has_premise)
    reason = _("Write the story’s premise first, in Story Details.");
  else
    reason = client;
  set_action (self, "outline-story", reason);

  if (self->story == NULL)
    reason = no_story;
  else if (self->suggesting)
    reason = _("Characters are being suggested.");
  else if (!has_premise && loom_story_get_scene_count (self->story) == 0)
    reason = _("Write the story’s premise first, in Story Details.");
  else
    reason = client;
  set_action (self, "suggest-characters", reason);
}

/* The actions on the selected chapter and on the whole story. */
static void
update_story_actions (LoomGenerationController *self,
                      LoomChapter              *chapter,
                      const char               *client)
{
  g_autofree char *text = NULL;
  const char *reason;

  if (chapter == NULL)
    reason = _("Select a chapter or one of its scenes first.");
  else if (chapter_count_wanting (self, chapter) == 0)
    reason = text = g_strdup_printf (_("Every scene of chapter %u has prose or is being "
                                       "generated."), loom_chapter_get_number (chapter));
  else
    reason = client;
  set_action (self, "generate-chapter", reason);

  if (self->story == NULL)
    reason = _("Open a story first.");
  else if (story_count_wanting (self) == 0)
    reason = _("Every scene of the story has prose or is being generated.");
  else
    reason = client;
  set_action (self, "generate-story", reason);

  set_action (self, "stop-all", loom_generator_get_busy (self->generator) ||
                                self->outlining || self->suggesting
                                ? NULL : _("Nothing is being generated."));
  update_premise_actions (self, client);
}

void
_loom_generation_controller_update_actions (LoomGenerationController *self)
{
  LoomScene *scene = _loom_generation_controller_get_scene (self);
  g_autofree char *client = NULL;
  gboolean fixable = FALSE;
  const char *reason;

  if (self->actions == NULL || self->generator == NULL)
    return;

  client = _loom_generation_controller_client_reason (self, &fixable);
  update_scene_actions (self, scene, client);
  update_story_actions (self, _loom_generation_controller_get_chapter (self), client);
  _loom_generation_controller_update_summary_actions (self, client);
  update_status_section (self, client, fixable);

  reason = self->status_text;
  if (reason == NULL && scene != NULL)
    reason = loom_generation_controller_get_disabled_reason (self, "generate-scene");
  if (loom_generation_controller_set_str (&self->hint, reason))
    _loom_generation_controller_notify (self, PROP_HINT);
}

/**
 * loom_generation_controller_get_disabled_reason:
 * @action: an action name without the "gen." prefix
 *
 * Returns: (nullable): a sentence saying why @action cannot run now, %NULL when it can
 */
const char *
loom_generation_controller_get_disabled_reason (LoomGenerationController *self,
                                                const char               *action)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  if (g_str_has_prefix (action, "gen."))
    action += strlen ("gen.");
  return g_hash_table_lookup (self->reasons, action);
}

/**
 * loom_generation_controller_get_hint:
 *
 * Returns: (nullable): the status text, else why Generate Scene cannot run for the selected
 *   scene: a tooltip for the Generate button
 */
const char *
loom_generation_controller_get_hint (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->hint;
}

const char *
loom_generation_controller_get_status_text (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->status_text;
}

static void
run_scene (LoomGenerationController *self,
           LoomScene                *scene)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->batch_story);
  g_clear_object (&self->batch_chapter);
  if (!loom_generator_generate_scene (self->generator, scene, &error))
    {
      if (g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY) ||
          g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL))
        loom_generation_controller_show_key_dialog (self, error->message);
      else
        _loom_generation_controller_emit_error (self, error);
    }
  _loom_generation_controller_update_actions (self);
}

/* The scene may have been generated or deleted while a question was open. */
static gboolean
scene_still_wanted (LoomGenerationController *self,
                    LoomScene                *scene)
{
  return loom_store_lookup_scene (self->store, loom_scene_get_id (scene)) == scene &&
         loom_scene_get_status (scene) != LOOM_SCENE_STATUS_GENERATING;
}

static void
run_confirmed_scene (GObject  *owner,
                     gpointer  scene)
{
  LoomGenerationController *self = LOOM_GENERATION_CONTROLLER (owner);

  if (scene_still_wanted (self, scene))
    run_scene (self, scene);
}

/* Generates @scene, after asking when its estimate is above the threshold. */
static GtkWindow *
confirm_scene (LoomGenerationController *self,
               LoomScene                *scene)
{
  LoomPaidAction action = { LOOM_PAID_SCENE, NULL, NULL, scene, 0, NULL,
                            _loom_generation_controller_summarizes_drafts (self) };
  g_autofree char *heading = NULL;
  guint chapter = loom_chapter_get_number (loom_scene_get_chapter (scene));

  if (loom_scene_get_word_count (scene) > 0)
    /* TRANSLATORS: a question before spending, e.g. "Regenerate Chapter 2 · Scene 3?" */
    heading = g_strdup_printf (_("Regenerate Chapter %u · Scene %u?"), chapter,
                               loom_scene_get_number (scene));
  else
    /* TRANSLATORS: a question before spending, e.g. "Generate Chapter 2 · Scene 3?" */
    heading = g_strdup_printf (_("Generate Chapter %u · Scene %u?"), chapter,
                               loom_scene_get_number (scene));
  return loom_paid_question_run (self->window, self->generator, &action, heading,
                                 _("_Generate"), G_OBJECT (self), run_confirmed_scene,
                                 g_object_ref (scene), g_object_unref);
}

static void
on_replace_confirmed (AdwMessageDialog         *dialog,
                      const char               *response,
                      LoomGenerationController *self)
{
  LoomScene *scene = g_object_get_data (G_OBJECT (dialog), "scene");

  if (g_strcmp0 (response, "replace") == 0 && scene_still_wanted (self, scene))
    confirm_scene (self, scene);
}

/* A dialog whose responses start generating: Cancel is the default, so that Enter or Escape
 * never spends money over the writer's words. */
static AdwMessageDialog *
new_question (LoomGenerationController *self,
              const char               *heading,
              const char               *body)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (self->window, heading, body));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

/**
 * loom_generation_controller_generate_scene:
 *
 * Generates @scene, after asking when its prose holds words the writer typed or edited: they
 * would be replaced (and kept in History); then, when its estimated cost is above the
 * threshold, after asking whether to spend it.
 *
 * Returns: (transfer none) (nullable): the first question, when one was asked
 */
GtkWindow *
loom_generation_controller_generate_scene (LoomGenerationController *self,
                                           LoomScene                *scene)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;
  guint words;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  words = loom_store_get_writers_words (self->store, scene);
  if (words == 0)
    return confirm_scene (self, scene);

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The scene’s prose has %u word you wrote or edited. A new "
                                       "generation replaces it; the word stays in History, "
                                       "where you can restore it.",
                                       "The scene’s prose has %u words you wrote or edited. A new "
                                       "generation replaces them; they stay in History, where "
                                       "you can restore them.", words),
                          words);
  dialog = new_question (self, _("Replace Your Words?"), body);
  adw_message_dialog_add_response (dialog, "replace", _("_Replace and Generate"));
  adw_message_dialog_set_response_appearance (dialog, "replace", ADW_RESPONSE_DESTRUCTIVE);
  return loom_ui_question_ask (dialog, "scene", scene, G_CALLBACK (on_replace_confirmed), self);
}

static void
run_batch (LoomGenerationController *self,
           LoomChapter              *chapter,
           LoomGenerateFlags         flags)
{
  g_autoptr(GError) error = NULL;
  guint queued;

  g_set_object (&self->batch_story, self->story);
  g_set_object (&self->batch_chapter, chapter);
  self->batch_flags = flags;
  if (chapter != NULL)
    queued = loom_generator_generate_chapter (self->generator, chapter, flags, &error);
  else
    queued = loom_generator_generate_story (self->generator, self->story, flags, &error);
  if (queued == 0 && error != NULL)
    _loom_generation_controller_emit_error (self, error);
  _loom_generation_controller_update_actions (self);
}

typedef struct
{
  LoomStory         *story;
  LoomChapter       *chapter;   /* NULL: the whole story */
  LoomGenerateFlags  flags;
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_object (&batch->story);
  g_clear_object (&batch->chapter);
  g_free (batch);
}

/* The story may have been closed, or the chapter deleted, while a question was open. */
static gboolean
batch_still_wanted (LoomGenerationController *self,
                    LoomStory                *story,
                    LoomChapter              *chapter)
{
  return story == self->story &&
         (chapter == NULL ||
          loom_store_lookup_chapter (self->store, loom_chapter_get_id (chapter)) == chapter);
}

static void
run_confirmed_batch (GObject  *owner,
                     gpointer  data)
{
  LoomGenerationController *self = LOOM_GENERATION_CONTROLLER (owner);
  Batch *batch = data;

  if (batch_still_wanted (self, batch->story, batch->chapter))
    run_batch (self, batch->chapter, batch->flags);
}

/* Generate Chapter or Story, after asking when the estimate of all its scenes is above the
 * threshold. */
static GtkWindow *
confirm_batch (LoomGenerationController *self,
               LoomChapter              *chapter,
               LoomGenerateFlags         flags)
{
  LoomPaidAction action = { chapter ? LOOM_PAID_CHAPTER : LOOM_PAID_STORY, self->story, chapter,
                            NULL, flags, NULL,
                            _loom_generation_controller_summarizes_drafts (self) };
  g_autofree char *heading = NULL;
  Batch *batch = g_new0 (Batch, 1);

  if (chapter != NULL)
    /* TRANSLATORS: a question before spending, e.g. "Generate Chapter 3?" */
    heading = g_strdup_printf (_("Generate Chapter %u?"), loom_chapter_get_number (chapter));
  else
    /* TRANSLATORS: a question before spending; %s is the story's title */
    heading = g_strdup_printf (_("Generate “%s”?"), loom_story_get_title (self->story));
  batch->story = g_object_ref (self->story);
  batch->chapter = chapter ? g_object_ref (chapter) : NULL;
  batch->flags = flags;
  return loom_paid_question_run (self->window, self->generator, &action, heading,
                                 _("_Generate"), G_OBJECT (self), run_confirmed_batch, batch,
                                 (GDestroyNotify) batch_free);
}

static void
on_batch_confirmed (AdwMessageDialog         *dialog,
                    const char               *response,
                    LoomGenerationController *self)
{
  LoomChapter *chapter = g_object_get_data (G_OBJECT (dialog), "chapter");
  LoomStory *story = g_object_get_data (G_OBJECT (dialog), "story");

  if (!batch_still_wanted (self, story, chapter))
    return;
  if (g_strcmp0 (response, "skip") == 0)
    confirm_batch (self, chapter, LOOM_GENERATE_MISSING);
  else if (g_strcmp0 (response, "include") == 0)
    confirm_batch (self, chapter, LOOM_GENERATE_OVER_WRITERS);
}

/* After the limit was raised: the rest of the batch the scene belonged to, else the scene. */
static void
retry_refused (GObject  *owner,
               gpointer  scene)
{
  LoomGenerationController *self = LOOM_GENERATION_CONTROLLER (owner);
  LoomChapter *chapter = loom_scene_get_chapter (scene);

  if (self->batch_story != NULL && self->batch_story == loom_scene_get_story (scene) &&
      (self->batch_chapter == NULL || self->batch_chapter == chapter))
    {
      g_autoptr(LoomChapter) batch_chapter = self->batch_chapter ? g_object_ref (self->batch_chapter)
                                                                 : NULL;

      if (batch_still_wanted (self, self->batch_story, batch_chapter))
        run_batch (self, batch_chapter, self->batch_flags);
    }
  else if (scene_still_wanted (self, scene))
    run_scene (self, scene);
}

void
_loom_generation_controller_scene_refused (LoomGenerationController *self,
                                           LoomScene                *scene,
                                           const GError             *error)
{
  loom_generation_controller_offer_raise (self, NULL, error, retry_refused, g_object_ref (scene),
                                          g_object_unref);
}

/**
 * loom_generation_controller_generate_batch:
 * @chapter: (nullable): a chapter of the open story, or %NULL for the whole story
 *
 * Generate Chapter or Generate Story: drafts the scenes without prose or whose generation
 * failed. A failed scene that still holds words the writer typed or edited is listed in a
 * question first, and skipped unless the writer chooses to include it. When the estimate of all
 * the scenes it drafts is above the threshold, the writer is asked before anything is sent.
 *
 * Returns: (transfer none) (nullable): the first question, when one was asked
 */
GtkWindow *
loom_generation_controller_generate_batch (LoomGenerationController *self,
                                           LoomChapter              *chapter)
{
  g_autoptr(GPtrArray) writers = NULL;
  g_autoptr(GString) list = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  guint others = 0;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  g_return_val_if_fail (chapter == NULL || LOOM_IS_CHAPTER (chapter), NULL);

  if (self->story == NULL)
    return NULL;
  writers = loom_generator_list_writers_scenes (self->generator, self->story, chapter,
                                                LOOM_GENERATE_MISSING);
  if (writers->len == 0)
    return confirm_batch (self, chapter, LOOM_GENERATE_MISSING);

  list = g_string_new (NULL);
  for (guint i = 0; i < writers->len; i++)
    {
      LoomScene *scene = g_ptr_array_index (writers, i);
      guint words = loom_scene_get_word_count (scene);

      g_string_append_c (list, '\n');
      /* TRANSLATORS: one line of a list, e.g. "Chapter 2, scene 3: 312 words" */
      g_string_append_printf (list, g_dngettext (GETTEXT_PACKAGE, "Chapter %u, scene %u: %u word",
                                                 "Chapter %u, scene %u: %u words", words),
                              loom_chapter_get_number (loom_scene_get_chapter (scene)),
                              loom_scene_get_number (scene), words);
    }
  others = chapter != NULL ? chapter_count_wanting (self, chapter) : story_count_wanting (self);
  others = others > writers->len ? others - writers->len : 0;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "This scene holds words you wrote or edited. It is "
                                       "skipped unless you include it; its words would stay in "
                                       "History.%s",
                                       "These scenes hold words you wrote or edited. They are "
                                       "skipped unless you include them; their words would stay "
                                       "in History.%s", writers->len),
                          list->str);
  dialog = new_question (self, g_dngettext (GETTEXT_PACKAGE, "Skip a Scene With Your Words?",
                                            "Skip Scenes With Your Words?", writers->len), body);
  if (others > 0)
    {
      g_autofree char *skip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "_Generate %u Other Scene",
                                                            "_Generate %u Other Scenes", others),
                                               others);

      adw_message_dialog_add_response (dialog, "skip", skip);
      adw_message_dialog_set_response_appearance (dialog, "skip", ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_add_response (dialog, "include", _("_Include and Replace"));
  adw_message_dialog_set_response_appearance (dialog, "include", ADW_RESPONSE_DESTRUCTIVE);
  if (chapter != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "chapter", g_object_ref (chapter),
                            g_object_unref);
  return loom_ui_question_ask (dialog, "story", self->story, G_CALLBACK (on_batch_confirmed),
                               self);
}

static void
stop_scene (LoomGenerationController *self,
            gpointer                  scene)
{
  loom_generator_cancel_scene (self->generator, scene);
  _loom_generation_controller_update_actions (self);
}

static void
stop_all (LoomGenerationController *self,
          gpointer                  nothing)
{
  g_cancellable_cancel (self->structured_cancellable);
  g_clear_object (&self->structured_cancellable);
  self->structured_cancellable = g_cancellable_new ();
  loom_generator_cancel_all (self->generator);
  _loom_generation_controller_update_actions (self);
}

/* Outline Story and Suggest Characters: one structured request each, from the story's premise,
 * asked about like every paid action; the answer adds to the story. They differ only by this. */
typedef struct
{
  LoomPaidKind   kind;
  gsize          running;   /* the offset of the controller's flag saying it runs */
  const char    *heading;   /* N_() */
  const char    *accept;    /* N_() */
  void         (*send)      (LoomGenerator       *generator,
                             LoomStory           *story,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
  gssize       (*finish)    (LoomGenerator  *generator,
                             GAsyncResult   *result,
                             GError        **error);
  char        *(*describe)  (gssize added);
} Structured;

/* One request of a story: asked about, then sent (when it holds the controller). */
typedef struct
{
  const Structured         *request;
  LoomStory                *story;
  LoomGenerationController *controller;
} StructuredCall;

static StructuredCall *
structured_call_new (const Structured *request,
                     LoomStory        *story)
{
  StructuredCall *call = g_new0 (StructuredCall, 1);

  call->request = request;
  call->story = g_object_ref (story);
  return call;
}

static void
structured_call_free (gpointer data)
{
  StructuredCall *call = data;

  g_object_unref (call->story);
  g_clear_object (&call->controller);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StructuredCall, structured_call_free)

static gboolean *
structured_running (LoomGenerationController *self,
                    const Structured         *request)
{
  return &G_STRUCT_MEMBER (gboolean, self, request->running);
}

static void run_structured (GObject  *owner,
                            gpointer  data);

/* A structured request's failure: a limit's refusal offers to raise it and ask again. */
static void
structured_failed (LoomGenerationController *self,
                   const GError             *error,
                   const Structured         *request)
{
  if (error->domain == LOOM_BUDGET_ERROR && self->story != NULL &&
      loom_generation_controller_offer_raise (self, NULL, error, run_structured,
                                              structured_call_new (request, self->story),
                                              structured_call_free) != NULL)
    return;
  _loom_generation_controller_emit_error (self, error);
}

static void
on_structured_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StructuredCall) call = user_data;
  LoomGenerationController *self = call->controller;
  g_autoptr(GError) error = NULL;
  gssize added;

  added = call->request->finish (LOOM_GENERATOR (source), result, &error);
  *structured_running (self, call->request) = FALSE;
  if (added < 0)
    structured_failed (self, error, call->request);
  else
    {
      g_autofree char *message = call->request->describe (added);

      _loom_generation_controller_emit_message (self, message);
    }
  _loom_generation_controller_update_costs (self, NULL);
  _loom_generation_controller_update_actions (self);
}

static void
run_structured (GObject  *owner,
                gpointer  data)
{
  LoomGenerationController *self = LOOM_GENERATION_CONTROLLER (owner);
  const StructuredCall *asked = data;
  StructuredCall *call;

  if (self->story != asked->story || *structured_running (self, asked->request))
    return;
  *structured_running (self, asked->request) = TRUE;
  _loom_generation_controller_update_actions (self);
  call = structured_call_new (asked->request, self->story);
  call->controller = g_object_ref (self);
  asked->request->send (self->generator, self->story, self->structured_cancellable,
                        on_structured_done, call);
}

static void
ask_structured (LoomGenerationController *self,
                const Structured         *request)
{
  LoomPaidAction action = { request->kind, self->story, NULL, NULL, 0, NULL };

  if (self->story == NULL || *structured_running (self, request))
    return;
  loom_paid_question_run (self->window, self->generator, &action, _(request->heading),
                          _(request->accept), G_OBJECT (self), run_structured,
                          structured_call_new (request, self->story), structured_call_free);
}

static char *
describe_outline (gssize added)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The outline added %u chapter.",
                                       "The outline added %u chapters.", added),
                          (guint) added);
}

static const Structured outline_request = {
  LOOM_PAID_OUTLINE, G_STRUCT_OFFSET (LoomGenerationController, outlining),
  N_("Outline the Story?"), N_("_Outline"),
  loom_generator_outline_story_async, loom_generator_outline_story_finish, describe_outline,
};

static char *
describe_characters (gssize added)
{
  if (added == 0)
    return g_strdup (_("The AI suggested no character the story does not have yet."));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u character was added.",
                                       "%u characters were added.", (guint) added),
                          (guint) added);
}

static const Structured characters_request = {
  LOOM_PAID_CHARACTERS, G_STRUCT_OFFSET (LoomGenerationController, suggesting),
  N_("Suggest Characters?"), N_("_Suggest"),
  loom_generator_suggest_characters_async, loom_generator_suggest_characters_finish,
  describe_characters,
};

static void
on_outline_confirmed (AdwMessageDialog         *dialog,
                      const char               *response,
                      LoomGenerationController *self)
{
  if (g_strcmp0 (response, "append") == 0)
    ask_structured (self, &outline_request);
}

static void
outline_story (LoomGenerationController *self,
               gpointer                  story)
{
  guint chapters = loom_story_get_chapter_count (story);
  AdwMessageDialog *dialog;

  if (chapters == 0)
    {
      ask_structured (self, &outline_request);
      return;
    }

  /* The story has chapters already: the outline is appended, after asking. */
  dialog = loom_ui_question_new (self->window, _("Add an Outline After the Chapters?"), NULL, NULL,
                                 "append", _("_Add Outline"), ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "append");
  adw_message_dialog_format_body (dialog,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "“%s” already has %u chapter. The chapters the AI "
                                               "outlines from the premise will be added after it; "
                                               "nothing is replaced.",
                                               "“%s” already has %u chapters. The chapters the AI "
                                               "outlines from the premise will be added after "
                                               "them; nothing is replaced.", chapters),
                                  loom_story_get_title (story), chapters);
  loom_ui_question_ask (dialog, NULL, NULL, G_CALLBACK (on_outline_confirmed), self);
}

static void
suggest_characters (LoomGenerationController *self,
                    gpointer                  story)
{
  ask_structured (self, &characters_request);
}

/* Keep makes the stopped generation's words the prose; the earlier prose goes to History, and
 * Ctrl+Z brings it back. */
static void
keep_partial (LoomGenerationController *self,
              gpointer                  scene)
{
  g_autoptr(LoomRevision) partial = NULL;
  g_autoptr(LoomRevision) before = NULL;
  g_autoptr(GError) error = NULL;

  if (scene != self->stopped_scene || self->stopped_partial == NULL)
    return;
  partial = g_object_ref (self->stopped_partial);
  if ((before = loom_store_snapshot_prose (self->store, scene, &error)) == NULL ||
      !loom_store_restore_revision (self->store, scene, partial, &error))
    {
      _loom_generation_controller_emit_error (self, error);
      return;
    }
  _loom_generation_controller_set_stopped (self, NULL, NULL);
  _loom_generation_controller_emit_prose_replaced (self, scene, before, _("Keep Stopped Text"));
}

/* The scene already holds its earlier prose: Discard only closes the offer, in the library so
 * that it stays closed after a restart. The words stay in History, as everything paid for
 * does. */
static void
discard_partial (LoomGenerationController *self,
                 gpointer                  scene)
{
  g_autoptr(GError) error = NULL;

  if (scene != self->stopped_scene)
    return;
  if (!loom_store_answer_stopped_partial (self->store, scene, &error))
    {
      _loom_generation_controller_emit_error (self, error);
      return;
    }
  _loom_generation_controller_set_stopped (self, NULL, NULL);
}

static void
setup (LoomGenerationController *self,
       gpointer                  nothing)
{
  gboolean fixable;
  g_autofree char *reason = _loom_generation_controller_client_reason (self, &fixable);

  loom_generation_controller_show_key_dialog (self, reason);
}

/* The public functions return their dialog, for the tests; the actions need none. */
static void
generate_scene (LoomGenerationController *self,
                gpointer                  scene)
{
  loom_generation_controller_generate_scene (self, scene);
}

static void
show_prompt (LoomGenerationController *self,
             gpointer                  scene)
{
  loom_generation_controller_show_prompt (self);
}

static void
generate_chapter (LoomGenerationController *self,
                  gpointer                  chapter)
{
  loom_generation_controller_generate_batch (self, chapter);
}

static void
show_revisions (LoomGenerationController *self,
                gpointer                  scene)
{
  loom_generation_controller_show_revisions (self);
}

static void
generate_story (LoomGenerationController *self,
                gpointer                  story)
{
  loom_generation_controller_generate_batch (self, NULL);
}

static const LoomControllerAction controller_actions[] = {
  { "generate-scene", LOOM_ACTION_ON_SCENE, generate_scene },
  { "regenerate-scene", LOOM_ACTION_ON_SCENE, generate_scene },
  { "retry", LOOM_ACTION_ON_SCENE, generate_scene },
  { "generate-chapter", LOOM_ACTION_ON_CHAPTER, generate_chapter },
  { "generate-story", LOOM_ACTION_ON_STORY, generate_story },
  { "stop", LOOM_ACTION_ON_SCENE, stop_scene },
  { "stop-all", LOOM_ACTION_ON_NOTHING, stop_all },
  { "outline-story", LOOM_ACTION_ON_STORY, outline_story },
  { "suggest-characters", LOOM_ACTION_ON_STORY, suggest_characters },
  { "show-prompt", LOOM_ACTION_ON_SCENE, show_prompt },
  { "show-revisions", LOOM_ACTION_ON_SCENE, show_revisions },
  { "keep-partial", LOOM_ACTION_ON_SCENE, keep_partial },
  { "discard-partial", LOOM_ACTION_ON_SCENE, discard_partial },
  { "setup", LOOM_ACTION_ON_NOTHING, setup },
};

/**
 * loom_generation_controller_show_prompt:
 *
 * Returns: (transfer none) (nullable): the dialog with the current scene's exact messages, or
 *   %NULL when no scene is selected or the prompt could not be built (reported as an error)
 */
GtkWindow *
loom_generation_controller_show_prompt (LoomGenerationController *self)
{
  LoomScene *scene;
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);

  if ((scene = _loom_generation_controller_get_scene (self)) == NULL)
    return NULL;
  if ((prompt = loom_generator_new_prompt (self->generator, scene, &error)) == NULL)
    {
      _loom_generation_controller_emit_error (self, error);
      return NULL;
    }
  dialog = GTK_WINDOW (loom_prompt_dialog_new (prompt, loom_ai_client_get_model (self->client)));
  gtk_window_set_transient_for (dialog, self->window);
  gtk_window_present (dialog);
  return dialog;
}

static void
on_revision_restored (LoomGenerationController *self,
                      LoomRevision             *before,
                      LoomRevisionsDialog      *dialog)
{
  _loom_generation_controller_emit_prose_replaced (self, loom_revisions_dialog_get_scene (dialog),
                                                   before, _("Restore Version"));
}

/**
 * loom_generation_controller_show_revisions:
 *
 * Returns: (transfer none) (nullable): the current scene's revision history
 */
GtkWindow *
loom_generation_controller_show_revisions (LoomGenerationController *self)
{
  LoomScene *scene;
  GtkWindow *dialog;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);

  if ((scene = _loom_generation_controller_get_scene (self)) == NULL)
    return NULL;
  dialog = GTK_WINDOW (loom_revisions_dialog_new (self->store, scene));
  g_signal_connect_object (dialog, "restored", G_CALLBACK (on_revision_restored), self,
                           G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (dialog, self->window);
  gtk_window_present (dialog);
  return dialog;
}

void
_loom_generation_controller_set_action (LoomGenerationController *self,
                                        const char               *name,
                                        const char               *reason)
{
  set_action (self, name, reason);
}

static void
on_action_activate (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  LoomGenerationController *self = user_data;
  const LoomControllerAction *entry = g_object_get_data (G_OBJECT (action), "loom-action");
  gpointer target = NULL;

  switch (entry->target)
    {
    case LOOM_ACTION_ON_SCENE:
      target = _loom_generation_controller_get_scene (self);
      break;
    case LOOM_ACTION_ON_CHAPTER:
      target = _loom_generation_controller_get_chapter (self);
      break;
    case LOOM_ACTION_ON_STORY:
      target = self->story;
      break;
    case LOOM_ACTION_ON_NOTHING:
      entry->run (self, NULL);
      return;
    default:
      g_assert_not_reached ();
    }
  if (target != NULL)
    entry->run (self, target);
}

/* Each action of @entries does nothing without its target: the selected scene, chapter, or the
 * open story. */
void
_loom_generation_controller_add_actions (LoomGenerationController   *self,
                                         const LoomControllerAction *entries,
                                         guint                       n_entries)
{
  for (guint i = 0; i < n_entries; i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (entries[i].name, NULL);

      g_object_set_data (G_OBJECT (action), "loom-action", (gpointer) &entries[i]);
      g_signal_connect (action, "activate", G_CALLBACK (on_action_activate), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
    }
}

void
_loom_generation_controller_actions_init (LoomGenerationController *self)
{
  self->actions = g_simple_action_group_new ();
  _loom_generation_controller_add_actions (self, controller_actions,
                                           G_N_ELEMENTS (controller_actions));
}
