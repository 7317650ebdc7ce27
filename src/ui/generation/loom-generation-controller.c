/* loom-generation-controller.c: a window's generation: the generator, its actions and menus
 *
 * The controller owns the window's LoomAiClient (its address and model follow GSettings, its key
 * comes from OPENROUTER_API_KEY or the keyring) and the LoomGenerator. It exports the actions
 * the menus and the editor name ("gen.generate-scene", …) and decides in one function,
 * update_actions() in loom-generation-controller-actions.c, which of them can run and, for those
 * that can't, why. This file holds the object and what it follows: the settings, the story, the
 * selected scene and the generator's signals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-controller-private.h"
#include "loom-revision.h"

G_DEFINE_FINAL_TYPE (LoomGenerationController, loom_generation_controller, G_TYPE_OBJECT)

enum {
  ERROR,
  MESSAGE,
  SHOW_PREFERENCES,
  PROSE_REPLACED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_loom_generation_controller_notify (LoomGenerationController     *self,
                                    LoomGenerationControllerProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

LoomScene *
_loom_generation_controller_get_scene (LoomGenerationController *self)
{
  return LOOM_IS_SCENE (self->item) ? LOOM_SCENE (self->item) : NULL;
}

LoomChapter *
_loom_generation_controller_get_chapter (LoomGenerationController *self)
{
  if (LOOM_IS_SCENE (self->item))
    return loom_scene_get_chapter (LOOM_SCENE (self->item));
  if (LOOM_IS_CHAPTER (self->item))
    return LOOM_CHAPTER (self->item);
  return NULL;
}

void
_loom_generation_controller_emit_error (LoomGenerationController *self,
                                        const GError             *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_signal_has_handler_pending (self, signals[ERROR], 0, FALSE))
    g_signal_emit (self, signals[ERROR], 0, error);
  else
    g_message ("%s", error->message);
}

void
_loom_generation_controller_emit_message (LoomGenerationController *self,
                                          const char               *message)
{
  if (g_signal_has_handler_pending (self, signals[MESSAGE], 0, FALSE))
    g_signal_emit (self, signals[MESSAGE], 0, message);
  else
    g_message ("%s", message);
}

/* TRUE when someone showed Preferences for the controller. */
gboolean
_loom_generation_controller_emit_show_preferences (LoomGenerationController *self)
{
  if (!g_signal_has_handler_pending (self, signals[SHOW_PREFERENCES], 0, FALSE))
    return FALSE;
  g_signal_emit (self, signals[SHOW_PREFERENCES], 0);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The settings                                                                               */

/* The address and the model follow GSettings through the client itself
 * (loom_ai_client_bind_settings); the concurrency, the temperature and the maximum length are
 * the generator's. */
static void
apply_settings (LoomGenerationController *self,
                const char               *key)
{
  if (key == NULL || g_str_equal (key, "concurrency"))
    loom_generator_set_max_jobs (self->generator,
                                 CLAMP (g_settings_get_int (self->settings, "concurrency"), 1,
                                        LOOM_GENERATION_MAX_CONCURRENCY));
  if (key == NULL || g_str_equal (key, "parallel-drafting"))
    loom_generator_set_parallel_batches (self->generator,
                                         g_settings_get_boolean (self->settings,
                                                                 "parallel-drafting"));
  if (key == NULL || g_str_equal (key, "temperature"))
    g_object_set (self->generator, "temperature",
                  g_settings_get_double (self->settings, "temperature"), NULL);
  if (key == NULL || g_str_equal (key, "max-tokens"))
    g_object_set (self->generator, "max-tokens",
                  g_settings_get_int (self->settings, "max-tokens"), NULL);
  _loom_generation_controller_update_actions (self);
}

static void
on_settings_changed (LoomGenerationController *self,
                     const char               *key)
{
  apply_settings (self, key);
}

static void
on_client_notify (LoomGenerationController *self)
{
  /* keys belong to a server: another address needs its own (or none) */
  if (self->key_cancellable != NULL)
    loom_generation_controller_reload_api_key (self);
  _loom_generation_controller_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Following the generator and the current scene                                              */

static void
on_scene_notify (LoomGenerationController *self,
                 GParamSpec               *pspec,
                 LoomScene                *scene)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "word-count"))
    {
      gboolean has_prose = loom_scene_get_word_count (scene) > 0;

      /* Streaming changes the count often; only crossing zero changes what can run. */
      if (has_prose == self->current_had_prose)
        return;
      self->current_had_prose = has_prose;
    }
  else if (!g_str_equal (name, "status") && !g_str_equal (name, "queued") &&
           !g_str_equal (name, "error-message"))
    return;

  _loom_generation_controller_update_follow (self);
  _loom_generation_controller_update_actions (self);
}

/**
 * _loom_generation_controller_emit_prose_replaced:
 * @before: the prose that was replaced, as a revision
 * @label: what replaced it, for "Undo …"
 */
void
_loom_generation_controller_emit_prose_replaced (LoomGenerationController *self,
                                                 LoomScene                *scene,
                                                 LoomRevision             *before,
                                                 const char               *label)
{
  g_signal_emit (self, signals[PROSE_REPLACED], 0, scene, before, label);
}

/* A generation that replaced prose is a step the window can undo: the earlier prose is in the
 * revision the store kept when it began. */
static void
offer_undo_of_generation (LoomGenerationController *self,
                          LoomScene                *scene)
{
  g_autoptr(LoomRevision) before = NULL;
  g_autoptr(GError) error = NULL;

  before = loom_store_get_replaced_revision (self->store, scene, &error);
  if (error != NULL)
    {
      g_debug ("The generation cannot be undone: %s", error->message);
      return;
    }
  /* A first generation replaced no prose: undoing it empties the scene again. */
  if (before == NULL)
    before = loom_revision_new (0, loom_scene_get_id (scene), "", LOOM_REVISION_RESTORE, NULL,
                                g_get_real_time () / 1000, LOOM_PROSE_UNKNOWN, 0);
  _loom_generation_controller_emit_prose_replaced (self, scene, before, _("Generate Scene"));
}

/* After Stop or a failure the scene holds its earlier prose again, as before the request; what
 * the model had written (and was paid for) is a partial revision, which the generation line
 * offers to keep until the writer answers or the scene is generated again. The offer lives in
 * the library (loom_store_get_stopped_partial), one per scene; this holds the current scene's. */
void
_loom_generation_controller_set_stopped (LoomGenerationController *self,
                                         LoomScene                *scene,
                                         LoomRevision             *partial)
{
  if (self->stopped_scene == scene && self->stopped_partial == partial)
    return;
  g_set_object (&self->stopped_scene, scene);
  g_set_object (&self->stopped_partial, partial);
  _loom_generation_controller_notify (self, PROP_STOPPED_SCENE);
  _loom_generation_controller_update_actions (self);
}

static void
load_offer (LoomGenerationController *self,
            LoomScene                *scene)
{
  g_autoptr(LoomRevision) partial = NULL;
  g_autoptr(GError) error = NULL;

  if (scene == NULL || scene != _loom_generation_controller_get_scene (self))
    return;
  partial = loom_store_get_stopped_partial (self->store, scene, &error);
  if (error != NULL)
    g_debug ("The stopped text cannot be offered: %s", error->message);
  if (partial != NULL && loom_revision_get_word_count (partial) > 0)
    _loom_generation_controller_set_stopped (self, scene, partial);
  else
    _loom_generation_controller_set_stopped (self, NULL, NULL);
}

/**
 * loom_generation_controller_get_stopped_words:
 *
 * Returns: how many words the last stopped or failed generation of @scene had written, offered
 *   to keep (0 when nothing is offered for it, or @scene is not the current scene)
 */
guint
loom_generation_controller_get_stopped_words (LoomGenerationController *self,
                                              LoomScene                *scene)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), 0);

  if (scene == NULL || scene != self->stopped_scene || self->stopped_partial == NULL)
    return 0;
  return loom_revision_get_word_count (self->stopped_partial);
}

/**
 * loom_generation_controller_reload_stopped:
 *
 * Reads the current scene's offer again, after another program changed the library: its
 * failed generation's words are offered at once, and an offer it answered (restoring a text,
 * generating again) goes.
 */
void
loom_generation_controller_reload_stopped (LoomGenerationController *self)
{
  LoomScene *scene;

  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));

  scene = _loom_generation_controller_get_scene (self);
  if (scene != NULL && loom_scene_get_status (scene) != LOOM_SCENE_STATUS_GENERATING)
    load_offer (self, scene);
}

static void
on_scene_started (LoomGenerationController *self,
                  LoomScene                *scene,
                  LoomGenerator            *generator)
{
  /* A new generation's words replace the offer, whatever they become. */
  if (scene == self->stopped_scene)
    _loom_generation_controller_set_stopped (self, NULL, NULL);
}

static void
on_scene_finished (LoomGenerationController *self,
                   LoomScene                *scene,
                   const GError             *error,
                   LoomGenerator            *generator)
{
  if (error != NULL &&
      (g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY) ||
       g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_UNAUTHORIZED)))
    loom_generation_controller_show_key_dialog (self, error->message);
  /* Deleted elsewhere while drafted: the scene is gone, so its status line cannot say where
   * the draft went; the sentence does. */
  if (g_error_matches (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND))
    _loom_generation_controller_emit_message (self, error->message);
  if (error != NULL && error->domain == LOOM_BUDGET_ERROR)
    _loom_generation_controller_scene_refused (self, scene, error);

  if (self->story != NULL && loom_scene_get_story (scene) == self->story)
    _loom_generation_controller_update_costs (self, scene);
  if (error == NULL)
    offer_undo_of_generation (self, scene);
  else
    load_offer (self, scene);
  _loom_generation_controller_update_follow (self);
  _loom_generation_controller_update_actions (self);
}

static void
on_generator_counts (LoomGenerationController *self)
{
  _loom_generation_controller_update_actions (self);
}

static void
unwatch_scene (LoomGenerationController *self)
{
  if (self->watched_scene == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->watched_scene, on_scene_notify, self);
  g_clear_object (&self->watched_scene);
}

/* ------------------------------------------------------------------------------------------ */

LoomGenerationController *
loom_generation_controller_new (LoomStore *store)
{
  g_return_val_if_fail (LOOM_IS_STORE (store), NULL);

  return g_object_new (LOOM_TYPE_GENERATION_CONTROLLER, "store", store, NULL);
}

LoomStore *
loom_generation_controller_get_store (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->store;
}

LoomGenerator *
loom_generation_controller_get_generator (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->generator;
}

LoomAiClient *
loom_generation_controller_get_client (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->client;
}

void
loom_generation_controller_report_error (LoomGenerationController *self,
                                         const GError             *error)
{
  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));
  g_return_if_fail (error != NULL);

  _loom_generation_controller_emit_error (self, error);
}

GActionGroup *
loom_generation_controller_get_action_group (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

GMenuModel *
loom_generation_controller_get_menu (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->menu;
}

GMenuModel *
loom_generation_controller_get_row_section (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->row_section;
}

LoomStory *
loom_generation_controller_get_story (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->story;
}

static void
on_story_notify (LoomGenerationController *self)
{
  _loom_generation_controller_update_actions (self);
}

void
loom_generation_controller_set_story (LoomGenerationController *self,
                                      LoomStory                *story)
{
  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));
  g_return_if_fail (story == NULL || LOOM_IS_STORY (story));

  if (self->story == story)
    return;

  if (self->story != NULL)
    g_signal_handlers_disconnect_by_func (self->story, on_story_notify, self);
  g_set_object (&self->story, story);
  if (story != NULL)
    {
      g_signal_connect_object (story, "notify::premise", G_CALLBACK (on_story_notify), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (story, "notify::scene-count", G_CALLBACK (on_story_notify), self,
                               G_CONNECT_SWAPPED);
    }
  /* The selection may follow before or after the story does: keep it when it belongs here. */
  if ((LOOM_IS_SCENE (self->item) && loom_scene_get_story (LOOM_SCENE (self->item)) != story) ||
      (LOOM_IS_CHAPTER (self->item) &&
       loom_chapter_get_story (LOOM_CHAPTER (self->item)) != story))
    loom_generation_controller_set_item (self, NULL);

  self->last_cost = -1;
  _loom_generation_controller_update_costs (self, NULL);
  _loom_generation_controller_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORY]);
}

GObject *
loom_generation_controller_get_item (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->item;
}

void
loom_generation_controller_set_item (LoomGenerationController *self,
                                     GObject                  *item)
{
  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));
  g_return_if_fail (item == NULL || LOOM_IS_SCENE (item) || LOOM_IS_CHAPTER (item));

  if (self->item == item)
    return;

  unwatch_scene (self);
  g_set_object (&self->item, item);

  if (LOOM_IS_SCENE (item))
    {
      LoomScene *scene = LOOM_SCENE (item);

      if (self->story == NULL)
        loom_generation_controller_set_story (self, loom_scene_get_story (scene));
      self->watched_scene = g_object_ref (scene);
      self->current_had_prose = loom_scene_get_word_count (scene) > 0;
      g_signal_connect_object (scene, "notify", G_CALLBACK (on_scene_notify), self,
                               G_CONNECT_SWAPPED);
    }
  else if (LOOM_IS_CHAPTER (item) && self->story == NULL)
    loom_generation_controller_set_story (self, loom_chapter_get_story (LOOM_CHAPTER (item)));
  _loom_generation_controller_set_stopped (self, NULL, NULL);
  load_offer (self, _loom_generation_controller_get_scene (self));

  _loom_generation_controller_update_follow (self);
  _loom_generation_controller_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

GtkWindow *
loom_generation_controller_get_window (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->window;
}

/* Back from Preferences, or from another program: the limits may have changed, and the cost
 * line shows spending against them. */
static void
on_window_active (LoomGenerationController *self)
{
  if (self->window != NULL && gtk_window_is_active (self->window))
    _loom_generation_controller_update_costs (self, NULL);
}

void
loom_generation_controller_set_window (LoomGenerationController *self,
                                       GtkWindow                *window)
{
  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));
  g_return_if_fail (window == NULL || GTK_IS_WINDOW (window));

  if (self->window == window)
    return;
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_func (self->window, on_window_active, self);
  g_set_weak_pointer (&self->window, window);
  if (window != NULL)
    g_signal_connect_object (window, "notify::is-active", G_CALLBACK (on_window_active), self,
                             G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

static void
loom_generation_controller_constructed (GObject *object)
{
  LoomGenerationController *self = (LoomGenerationController *) object;
  g_autoptr(GtkBuilder) builder = NULL;

  G_OBJECT_CLASS (loom_generation_controller_parent_class)->constructed (object);

  /* the client's own session carries the HTTP policy, connections for our concurrency included */
  G_STATIC_ASSERT (LOOM_GENERATION_MAX_CONCURRENCY <= LOOM_AI_MAX_CONNECTIONS);
  self->client = loom_ai_client_new (NULL);
  self->generator = loom_generator_new (self->store, self->client);
  g_signal_connect_object (self->generator, "scene-started",
                           G_CALLBACK (_loom_generation_controller_scene_started), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generator, "scene-started", G_CALLBACK (on_scene_started),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generator, "scene-finished", G_CALLBACK (on_scene_finished),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generator, "notify::n-running", G_CALLBACK (on_generator_counts),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generator, "notify::n-queued", G_CALLBACK (on_generator_counts),
                           self, G_CONNECT_SWAPPED);

  _loom_generation_controller_actions_init (self);
  _loom_generation_controller_summaries_init (self);

  builder = gtk_builder_new_from_resource ("/io/github/storyloom/Storyloom/generation/"
                                           "loom-generation-menus.ui");
  self->menu = g_object_ref (G_MENU_MODEL (gtk_builder_get_object (builder, "generate_menu")));
  self->row_section = g_object_ref (G_MENU_MODEL (gtk_builder_get_object (builder,
                                                                          "row_section")));
  self->status_section = g_object_ref (G_MENU (gtk_builder_get_object (builder,
                                                                       "status_section")));

  self->settings = g_settings_new (APP_ID);
  loom_ai_client_bind_settings (self->client, self->settings);
  g_signal_connect_object (self->client, "notify::base-url", G_CALLBACK (on_client_notify),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self,
                           G_CONNECT_SWAPPED);
  apply_settings (self, NULL);

  _loom_generation_controller_key_init (self);
}

static void
loom_generation_controller_dispose (GObject *object)
{
  LoomGenerationController *self = (LoomGenerationController *) object;

  _loom_generation_controller_key_dispose (self);
  _loom_generation_controller_summaries_dispose (self);
  g_cancellable_cancel (self->structured_cancellable);
  g_cancellable_cancel (self->models_cancellable);
  if (self->generator != NULL)
    loom_generator_cancel_all (self->generator);
  unwatch_scene (self);
  if (self->story != NULL)
    g_signal_handlers_disconnect_by_func (self->story, on_story_notify, self);
  g_clear_object (&self->story);
  g_clear_object (&self->item);
  g_clear_object (&self->stopped_scene);
  g_clear_object (&self->stopped_partial);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->prose_scroller);
  g_clear_weak_pointer (&self->editor);
  _loom_generation_controller_remove_shortcuts (self);
  g_clear_weak_pointer (&self->key_dialog);
  g_clear_weak_pointer (&self->raise_dialog);
  g_clear_object (&self->batch_story);
  g_clear_object (&self->batch_chapter);
  if (self->cost_before != NULL)
    g_hash_table_remove_all (self->cost_before);
  g_clear_object (&self->generator);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (loom_generation_controller_parent_class)->dispose (object);
}

static void
loom_generation_controller_finalize (GObject *object)
{
  LoomGenerationController *self = (LoomGenerationController *) object;

  g_clear_object (&self->key_cancellable);
  g_clear_object (&self->structured_cancellable);
  g_clear_object (&self->models_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->actions);
  g_clear_object (&self->menu);
  g_clear_object (&self->row_section);
  g_clear_object (&self->status_section);
  g_clear_object (&self->store);
  g_clear_pointer (&self->reasons, g_hash_table_unref);
  g_clear_pointer (&self->cost_before, g_hash_table_unref);
  g_clear_pointer (&self->summarizing, g_hash_table_unref);
  g_free (self->status_text);
  g_free (self->hint);
  g_free (self->status_shown);
  g_free (self->cost_text);
  g_free (self->cost_tooltip);

  G_OBJECT_CLASS (loom_generation_controller_parent_class)->finalize (object);
}

static void
loom_generation_controller_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  LoomGenerationController *self = LOOM_GENERATION_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_WINDOW:
      g_value_set_object (value, self->window);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case PROP_HINT:
      g_value_set_string (value, self->hint);
      break;
    case PROP_COST_TEXT:
      g_value_set_string (value, self->cost_text);
      break;
    case PROP_COST_TOOLTIP:
      g_value_set_string (value, self->cost_tooltip);
      break;
    case PROP_LAST_COST:
      g_value_set_double (value, self->last_cost);
      break;
    case PROP_STOPPED_SCENE:
      g_value_set_object (value, self->stopped_scene);
      break;
    case PROP_KEY_READY:
      g_value_set_boolean (value, self->key_state == KEY_READY);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_generation_controller_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  LoomGenerationController *self = LOOM_GENERATION_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_STORY:
      loom_generation_controller_set_story (self, g_value_get_object (value));
      break;
    case PROP_ITEM:
      loom_generation_controller_set_item (self, g_value_get_object (value));
      break;
    case PROP_WINDOW:
      loom_generation_controller_set_window (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_generation_controller_class_init (LoomGenerationControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = loom_generation_controller_constructed;
  object_class->dispose = loom_generation_controller_dispose;
  object_class->finalize = loom_generation_controller_finalize;
  object_class->get_property = loom_generation_controller_get_property;
  object_class->set_property = loom_generation_controller_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LOOM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORY] = g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY, rw);
  properties[PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT, rw);
  properties[PROP_WINDOW] = g_param_spec_object ("window", NULL, NULL, GTK_TYPE_WINDOW, rw);
  properties[PROP_STATUS_TEXT] = g_param_spec_string ("status-text", NULL, NULL, NULL, ro);
  properties[PROP_HINT] = g_param_spec_string ("hint", NULL, NULL, NULL, ro);
  properties[PROP_COST_TEXT] = g_param_spec_string ("cost-text", NULL, NULL, NULL, ro);
  properties[PROP_COST_TOOLTIP] = g_param_spec_string ("cost-tooltip", NULL, NULL, NULL, ro);
  properties[PROP_LAST_COST] =
    g_param_spec_double ("last-cost", NULL, NULL, -1, G_MAXDOUBLE, -1, ro);
  properties[PROP_KEY_READY] = g_param_spec_boolean ("key-ready", NULL, NULL, FALSE, ro);
  /* the scene whose stopped generation's words are offered, see get_stopped_words () */
  properties[PROP_STOPPED_SCENE] =
    g_param_spec_object ("stopped-scene", NULL, NULL, LOOM_TYPE_SCENE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomGenerationController::error:
   *
   * Something the writer asked for failed (not a scene's generation: the scene shows that).
   */
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1,
                                 G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * LoomGenerationController::message:
   *
   * A short sentence for a toast: what an outline added, why Ctrl+Return did nothing.
   */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1,
                                   G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * LoomGenerationController::show-preferences:
   *
   * The writer asked for Preferences from the "AI needs setting up" dialog. Without a handler,
   * app.preferences is activated, else a window with the AI page is shown.
   */
  signals[SHOW_PREFERENCES] = g_signal_new ("show-preferences", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
  /**
   * LoomGenerationController::prose-replaced:
   * @scene: the scene
   * @before: a #LoomRevision with the prose that was replaced
   * @label: what replaced it: "Generate Scene", "Restore Version", "Keep Partial Text"
   *
   * A generation, a restore or keeping a partial text replaced a scene's prose; restoring
   * @before undoes it.
   */
  signals[PROSE_REPLACED] = g_signal_new ("prose-replaced", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 3, LOOM_TYPE_SCENE, LOOM_TYPE_REVISION,
                                          G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
loom_generation_controller_init (LoomGenerationController *self)
{
  self->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->cost_before = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->structured_cancellable = g_cancellable_new ();
  self->last_cost = -1;
}
