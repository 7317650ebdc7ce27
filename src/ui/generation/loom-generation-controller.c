/* loom-generation-controller.c: a window's generation: the generator, its actions and menus
 *
 * The controller owns the window's LoomAiClient (its address and model follow GSettings, its key
 * comes from OPENROUTER_API_KEY or the keyring) and the LoomGenerator. It exports the actions
 * the menus and the editor name ("gen.generate-scene", …) and decides in one function,
 * update_actions(), which of them can run and, for those that can't, why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "loom-api-key.h"
#include "loom-chapter.h"
#include "loom-generation-controller.h"
#include "loom-generation-preferences.h"
#include "loom-generation-util.h"
#include "loom-prompt-dialog.h"
#include "loom-revisions-dialog.h"
#include "loom-scene.h"
#include "loom-story.h"

/* How long after the last outline edit the story's staleness marks are refreshed. */
#define STALENESS_DELAY_MS 800
/* The highest concurrency the preferences offer (the schema's range). */
#define MAX_CONCURRENCY 8
/* Scenes refreshed per idle callback, so that a long story never stalls the window. */
#define STALENESS_BATCH 8

typedef enum
{
  KEY_LOOKING,
  KEY_READY,
} KeyState;

struct _LoomGenerationController
{
  GObject             parent_instance;

  /* borrowed */
  GtkWindow          *window;          /* weak */
  GtkScrolledWindow  *prose_scroller;  /* weak */
  GtkWidget          *editor;          /* weak */
  GtkWidget          *shortcuts_holder; /* weak: the widget the editor's shortcuts are on */
  GtkEventController *shortcuts;        /* owned by shortcuts_holder */
  GtkWindow          *key_dialog;      /* weak: the open "No API Key" dialog */

  /* owned */
  LoomStore          *store;
  LoomAiClient       *client;
  LoomGenerator      *generator;
  GSettings          *settings;
  GSimpleActionGroup *actions;
  GMenuModel         *menu;
  GMenuModel         *row_section;
  GMenu              *status_section;
  LoomStory          *story;
  GObject            *item;            /* a LoomScene or a LoomChapter */
  LoomScene          *watched_scene;   /* the item, or NULL */
  GCancellable       *key_cancellable;
  GCancellable       *structured_cancellable;
  GHashTable         *reasons;         /* action name → why it is disabled */
  GHashTable         *cost_before;     /* LoomScene → double*: its cost when it started */
  GPtrArray          *stale_queue;     /* of LoomScene, waiting for a staleness refresh */
  char               *status_text;
  char               *hint;            /* the status, else why Generate Scene can't run */
  char               *status_shown;    /* what the status section says now */
  char               *cost_text;
  char               *cost_tooltip;
  gint64              story_tokens;
  double              story_cost;
  double              last_cost;
  guint               stale_delay_source;
  guint               stale_idle_source;
  KeyState            key_state;
  guint               outlining : 1;
  guint               suggesting : 1;
  guint               current_had_prose : 1;
};

G_DEFINE_FINAL_TYPE (LoomGenerationController, loom_generation_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_STORY,
  PROP_ITEM,
  PROP_WINDOW,
  PROP_STATUS_TEXT,
  PROP_HINT,
  PROP_COST_TEXT,
  PROP_COST_TOOLTIP,
  PROP_LAST_COST,
  PROP_KEY_READY,
  N_PROPS
};

enum {
  ERROR,
  MESSAGE,
  SHOW_PREFERENCES,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Every live controller, so that a key stored in the preferences reaches all windows. */
static GList *controllers;

static void update_actions (LoomGenerationController *self);
static void update_costs   (LoomGenerationController *self,
                            LoomScene                *finished);

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static LoomScene *
current_scene (LoomGenerationController *self)
{
  return LOOM_IS_SCENE (self->item) ? LOOM_SCENE (self->item) : NULL;
}

static LoomChapter *
current_chapter (LoomGenerationController *self)
{
  if (LOOM_IS_SCENE (self->item))
    return loom_scene_get_chapter (LOOM_SCENE (self->item));
  if (LOOM_IS_CHAPTER (self->item))
    return LOOM_CHAPTER (self->item);
  return NULL;
}

static void
emit_error (LoomGenerationController *self,
            const GError             *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_signal_has_handler_pending (self, signals[ERROR], 0, FALSE))
    g_signal_emit (self, signals[ERROR], 0, error);
  else
    g_message ("%s", error->message);
}

static void
emit_message (LoomGenerationController *self,
              const char               *message)
{
  if (g_signal_has_handler_pending (self, signals[MESSAGE], 0, FALSE))
    g_signal_emit (self, signals[MESSAGE], 0, message);
  else
    g_message ("%s", message);
}

/* ------------------------------------------------------------------------------------------ */
/* The API key                                                                                */

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LoomGenerationController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  LoomApiKeySource key_source = LOOM_API_KEY_SOURCE_NONE;

  key = loom_api_key_lookup_finish (result, &key_source, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("No API key: %s", error->message);

  loom_ai_client_set_api_key (self->client, key);
  self->key_state = KEY_READY;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_READY]);
  update_actions (self);
}

void
loom_generation_controller_reload_api_key (LoomGenerationController *self)
{
  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));

  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);
  self->key_cancellable = g_cancellable_new ();
  self->key_state = KEY_LOOKING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_READY]);
  update_actions (self);
  loom_api_key_lookup_async (self->key_cancellable, on_key_looked_up, g_object_ref (self));
}

void
loom_generation_controller_reload_api_keys (void)
{
  for (GList *l = controllers; l != NULL; l = l->next)
    loom_generation_controller_reload_api_key (l->data);
}

gboolean
loom_generation_controller_get_key_ready (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), FALSE);
  return self->key_state == KEY_READY;
}

/* Why no request can be sent now, or NULL; *fixable tells whether Preferences is the fix. */
static char *
client_reason (LoomGenerationController *self,
               gboolean                 *fixable)
{
  g_autoptr(GError) error = NULL;

  *fixable = FALSE;
  if (loom_ai_client_check (self->client, &error))
    return NULL;
  if (self->key_state == KEY_LOOKING &&
      g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY))
    return g_strdup (_("Looking for the API key…"));
  *fixable = TRUE;
  return g_strdup (error->message);
}

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
                                        MAX_CONCURRENCY));
  if (key == NULL || g_str_equal (key, "temperature"))
    g_object_set (self->generator, "temperature",
                  g_settings_get_double (self->settings, "temperature"), NULL);
  if (key == NULL || g_str_equal (key, "max-tokens"))
    g_object_set (self->generator, "max-tokens",
                  g_settings_get_int (self->settings, "max-tokens"), NULL);
  update_actions (self);
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
  update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Which actions can run                                                                      */

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

  if (set_string (&self->status_text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);

  /* The first section of the Generate menu says the same, and leads to Preferences when that is
   * where the fix is. Rebuilt only when it changes: an open menu would flicker otherwise. */
  shown = g_strdup_printf ("%s|%d", text ? text : "", fixable);
  if (!set_string (&self->status_shown, shown))
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

static void
update_actions (LoomGenerationController *self)
{
  LoomScene *scene = current_scene (self);
  LoomChapter *chapter = current_chapter (self);
  g_autofree char *client = NULL;
  g_autofree char *text = NULL;
  const char *select_scene = _("Select a scene first.");
  const char *no_story = _("Open a story first.");
  const char *already = _("This scene is already being generated.");
  gboolean fixable = FALSE;
  gboolean pending = FALSE;
  gboolean has_prose = FALSE;
  LoomSceneStatus status = LOOM_SCENE_STATUS_DRAFT;
  const char *reason;

  if (self->actions == NULL || self->generator == NULL)
    return;

  client = client_reason (self, &fixable);
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

  if (chapter == NULL)
    reason = _("Select a chapter or one of its scenes first.");
  else if (chapter_count_wanting (self, chapter) == 0)
    reason = text = g_strdup_printf (_("Every scene of chapter %u has prose or is being "
                                       "generated."), loom_chapter_get_number (chapter));
  else
    reason = client;
  set_action (self, "generate-chapter", reason);

  if (self->story == NULL)
    reason = no_story;
  else if (story_count_wanting (self) == 0)
    reason = _("Every scene of the story has prose or is being generated.");
  else
    reason = client;
  set_action (self, "generate-story", reason);

  set_action (self, "stop", scene != NULL && pending ? NULL
                                                     : _("This scene is not being generated."));
  set_action (self, "stop-all", loom_generator_get_busy (self->generator) ||
                                self->outlining || self->suggesting
                                ? NULL : _("Nothing is being generated."));

  {
    const char *premise = self->story ? loom_story_get_premise (self->story) : NULL;
    gboolean has_premise = premise != NULL && *premise != '\0';

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

  set_action (self, "show-prompt", scene ? NULL : select_scene);
  set_action (self, "show-revisions", scene ? NULL : select_scene);

  update_status_section (self, client, fixable);

  reason = self->status_text;
  if (reason == NULL && scene != NULL)
    reason = loom_generation_controller_get_disabled_reason (self, "generate-scene");
  if (set_string (&self->hint, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
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

/* ------------------------------------------------------------------------------------------ */
/* Cost                                                                                       */

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
  /* TRANSLATORS: a count of tokens; %'ld groups the digits */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GINT64_FORMAT " token",
                                       "%'" G_GINT64_FORMAT " tokens", tokens), tokens);
}

/* @finished: a scene that just finished (its cost since it started is the last cost), or the
 * story itself after a request about the whole story, or NULL to only total. */
static void
update_costs (LoomGenerationController *self,
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_COST]);
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

  if (set_string (&self->cost_text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST_TEXT]);
  if (set_string (&self->cost_tooltip, tooltip))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST_TOOLTIP]);
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

/* ------------------------------------------------------------------------------------------ */
/* Staleness                                                                                  */

static void
refresh_staleness (LoomGenerationController *self,
                   LoomScene                *scene)
{
  g_autoptr(GError) error = NULL;

  if (loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING ||
      loom_scene_get_word_count (scene) == 0)
    return;
  loom_generator_refresh_staleness (self->generator, scene, &error);
  if (error != NULL)
    g_debug ("Could not tell whether scene %u is stale: %s", loom_scene_get_number (scene),
             error->message);
}

static gboolean
stale_idle (gpointer data)
{
  LoomGenerationController *self = data;

  for (guint i = 0; i < STALENESS_BATCH && self->stale_queue->len > 0; i++)
    {
      g_autoptr(LoomScene) scene = g_ptr_array_steal_index (self->stale_queue,
                                                            self->stale_queue->len - 1);
      refresh_staleness (self, scene);
    }
  if (self->stale_queue->len > 0)
    return G_SOURCE_CONTINUE;
  self->stale_idle_source = 0;
  return G_SOURCE_REMOVE;
}

/* Queues every scene of the story with prose, refreshed a few at a time when idle. */
static void
queue_story_staleness (LoomGenerationController *self)
{
  GListModel *chapters;

  g_ptr_array_set_size (self->stale_queue, 0);
  if (self->story == NULL)
    return;

  chapters = loom_story_get_chapters (self->story);
  for (guint c = g_list_model_get_n_items (chapters); c > 0; c--)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c - 1);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint s = g_list_model_get_n_items (scenes); s > 0; s--)
        {
          LoomScene *scene = g_list_model_get_item (scenes, s - 1);

          if (loom_scene_get_word_count (scene) > 0)
            g_ptr_array_add (self->stale_queue, scene);
          else
            g_object_unref (scene);
        }
    }
  if (self->stale_idle_source == 0 && self->stale_queue->len > 0)
    self->stale_idle_source = g_idle_add_full (G_PRIORITY_LOW, stale_idle, self, NULL);
}

static gboolean
stale_delay_done (gpointer data)
{
  LoomGenerationController *self = data;

  self->stale_delay_source = 0;
  queue_story_staleness (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_story_staleness (LoomGenerationController *self)
{
  g_clear_handle_id (&self->stale_delay_source, g_source_remove);
  self->stale_delay_source = g_timeout_add (STALENESS_DELAY_MS, stale_delay_done, self);
}

/* ------------------------------------------------------------------------------------------ */
/* Following the generator and the current scene                                              */

static void
update_follow (LoomGenerationController *self)
{
  LoomScene *scene = current_scene (self);

  if (self->prose_scroller != NULL)
    loom_generation_follow_end_set_active (self->prose_scroller,
                                           scene != NULL &&
                                           loom_scene_get_status (scene) ==
                                           LOOM_SCENE_STATUS_GENERATING);
}

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
  else if (g_str_equal (name, "outline"))
    {
      schedule_story_staleness (self);
      return;
    }
  else if (!g_str_equal (name, "status") && !g_str_equal (name, "queued") &&
           !g_str_equal (name, "error-message"))
    return;

  update_follow (self);
  update_actions (self);
}

static void
on_scene_started (LoomGenerationController *self,
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
on_scene_finished (LoomGenerationController *self,
                   LoomScene                *scene,
                   const GError             *error,
                   LoomGenerator            *generator)
{
  if (error != NULL &&
      (g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY) ||
       g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_UNAUTHORIZED)))
    loom_generation_controller_show_key_dialog (self, error->message);

  if (self->story != NULL && loom_scene_get_story (scene) == self->story)
    update_costs (self, scene);
  if (error == NULL)
    refresh_staleness (self, scene);
  update_follow (self);
  update_actions (self);
}

static void
on_generator_counts (LoomGenerationController *self)
{
  update_actions (self);
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
/* The actions                                                                                */

static void
run_scene (LoomGenerationController *self,
           LoomScene                *scene)
{
  g_autoptr(GError) error = NULL;

  if (!loom_generator_generate_scene (self->generator, scene, &error))
    {
      if (g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY) ||
          g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL))
        loom_generation_controller_show_key_dialog (self, error->message);
      else
        emit_error (self, error);
    }
  update_actions (self);
}

static void
generate_scene_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  LoomGenerationController *self = user_data;
  LoomScene *scene = current_scene (self);

  if (scene != NULL)
    run_scene (self, scene);
}

static void
generate_chapter_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  LoomGenerationController *self = user_data;
  LoomChapter *chapter = current_chapter (self);
  g_autoptr(GError) error = NULL;

  if (chapter == NULL)
    return;
  if (loom_generator_generate_chapter (self->generator, chapter, FALSE, &error) == 0 &&
      error != NULL)
    emit_error (self, error);
  update_actions (self);
}

static void
generate_story_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  LoomGenerationController *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->story == NULL)
    return;
  if (loom_generator_generate_story (self->generator, self->story, FALSE, &error) == 0 &&
      error != NULL)
    emit_error (self, error);
  update_actions (self);
}

static void
stop_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  LoomGenerationController *self = user_data;
  LoomScene *scene = current_scene (self);

  if (scene != NULL)
    loom_generator_cancel_scene (self->generator, scene);
  update_actions (self);
}

static void
stop_all_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  LoomGenerationController *self = user_data;

  g_cancellable_cancel (self->structured_cancellable);
  g_clear_object (&self->structured_cancellable);
  self->structured_cancellable = g_cancellable_new ();
  loom_generator_cancel_all (self->generator);
  update_actions (self);
}

static void
on_outline_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LoomGenerationController) self = user_data;
  g_autoptr(GError) error = NULL;
  guint added;

  added = loom_generator_outline_story_finish (LOOM_GENERATOR (source), result, &error);
  self->outlining = FALSE;
  if (error != NULL)
    emit_error (self, error);
  else
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The outline added %u chapter.",
                                              "The outline added %u chapters.", added), added);
      emit_message (self, message);
    }
  update_costs (self, NULL);
  update_actions (self);
}

static void
start_outline (LoomGenerationController *self)
{
  if (self->story == NULL || self->outlining)
    return;
  self->outlining = TRUE;
  update_actions (self);
  loom_generator_outline_story_async (self->generator, self->story, self->structured_cancellable,
                                      on_outline_done, g_object_ref (self));
}

static void
on_outline_confirmed (AdwMessageDialog         *dialog,
                      const char               *response,
                      LoomGenerationController *self)
{
  if (g_strcmp0 (response, "append") == 0)
    start_outline (self);
}

static void
outline_story_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  LoomGenerationController *self = user_data;
  guint chapters;
  GtkWidget *dialog;

  if (self->story == NULL)
    return;

  chapters = loom_story_get_chapter_count (self->story);
  if (chapters == 0)
    {
      start_outline (self);
      return;
    }

  /* The story has chapters already: the outline is appended, after asking. */
  dialog = adw_message_dialog_new (self->window, _("Add an Outline After the Chapters?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "“%s” already has %u chapter. The chapters the AI "
                                               "outlines from the premise will be added after it; "
                                               "nothing is replaced.",
                                               "“%s” already has %u chapters. The chapters the AI "
                                               "outlines from the premise will be added after "
                                               "them; nothing is replaced.", chapters),
                                  loom_story_get_title (self->story), chapters);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "append", _("_Add Outline"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "append",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "append");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_outline_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_suggest_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LoomGenerationController) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize added;

  added = loom_generator_suggest_characters_finish (LOOM_GENERATOR (source), result, &error);
  self->suggesting = FALSE;
  if (added < 0)
    emit_error (self, error);
  else
    {
      g_autofree char *message = NULL;

      if (added == 0)
        message = g_strdup (_("The AI suggested no character the story does not have yet."));
      else
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u character was added.",
                                                "%u characters were added.", (guint) added),
                                   (guint) added);
      emit_message (self, message);
    }
  update_costs (self, NULL);
  update_actions (self);
}

static void
suggest_characters_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  LoomGenerationController *self = user_data;

  if (self->story == NULL || self->suggesting)
    return;
  self->suggesting = TRUE;
  update_actions (self);
  loom_generator_suggest_characters_async (self->generator, self->story,
                                           self->structured_cancellable, on_suggest_done,
                                           g_object_ref (self));
}

static void
show_prompt_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  loom_generation_controller_show_prompt (user_data);
}

static void
show_revisions_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  loom_generation_controller_show_revisions (user_data);
}

static void
setup_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  LoomGenerationController *self = user_data;
  gboolean fixable;
  g_autofree char *reason = client_reason (self, &fixable);

  loom_generation_controller_show_key_dialog (self, reason);
}

static const GActionEntry action_entries[] = {
  { "generate-scene", generate_scene_activated },
  { "regenerate-scene", generate_scene_activated },
  { "retry", generate_scene_activated },
  { "generate-chapter", generate_chapter_activated },
  { "generate-story", generate_story_activated },
  { "stop", stop_activated },
  { "stop-all", stop_all_activated },
  { "outline-story", outline_story_activated },
  { "suggest-characters", suggest_characters_activated },
  { "show-prompt", show_prompt_activated },
  { "show-revisions", show_revisions_activated },
  { "setup", setup_activated },
};

/* ------------------------------------------------------------------------------------------ */
/* Dialogs                                                                                    */

static void
show_preferences (LoomGenerationController *self)
{
  GtkWindow *preferences;

  if (g_signal_has_handler_pending (self, signals[SHOW_PREFERENCES], 0, FALSE))
    {
      g_signal_emit (self, signals[SHOW_PREFERENCES], 0);
      return;
    }
  if (self->window != NULL && gtk_window_get_application (self->window) != NULL &&
      gtk_widget_activate_action (GTK_WIDGET (self->window), "app.preferences", NULL))
    return;

  /* No application (the tests): a preferences window with only the AI page. */
  preferences = GTK_WINDOW (adw_preferences_window_new ());
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (preferences),
                              ADW_PREFERENCES_PAGE (loom_generation_preferences_new ()));
  gtk_window_set_modal (preferences, TRUE);
  gtk_window_set_transient_for (preferences, self->window);
  gtk_window_present (preferences);
}

static void
on_key_dialog_response (AdwMessageDialog         *dialog,
                        const char               *response,
                        LoomGenerationController *self)
{
  if (g_strcmp0 (response, "preferences") == 0)
    show_preferences (self);
}

/**
 * loom_generation_controller_show_key_dialog:
 * @reason: (nullable): the sentence to show; the missing key's by default
 *
 * Tells the writer why nothing can be generated and leads to Preferences.
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
loom_generation_controller_show_key_dialog (LoomGenerationController *self,
                                            const char               *reason)
{
  GtkWidget *dialog;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);

  if (self->key_dialog != NULL)
    {
      gtk_window_present (self->key_dialog);
      return self->key_dialog;
    }

  if (reason == NULL)
    reason = _("No API key is set. Add the key in Preferences, or set the OPENROUTER_API_KEY "
               "environment variable.");
  dialog = adw_message_dialog_new (self->window, _("The AI Needs Setting Up"), reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Not Now"),
                                    "preferences", _("Open _Preferences"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "preferences",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "preferences");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_key_dialog_response), self, 0);
  self->key_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->key_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

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

  if ((scene = current_scene (self)) == NULL)
    return NULL;
  if ((prompt = loom_prompt_new_for_scene (scene, NULL, &error)) == NULL)
    {
      emit_error (self, error);
      return NULL;
    }
  dialog = GTK_WINDOW (loom_prompt_dialog_new (prompt, loom_ai_client_get_model (self->client)));
  gtk_window_set_transient_for (dialog, self->window);
  gtk_window_present (dialog);
  return dialog;
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

  if ((scene = current_scene (self)) == NULL)
    return NULL;
  dialog = GTK_WINDOW (loom_revisions_dialog_new (self->store, scene));
  gtk_window_set_transient_for (dialog, self->window);
  gtk_window_present (dialog);
  return dialog;
}

/* ------------------------------------------------------------------------------------------ */
/* The editor                                                                                 */

/* The shortcuts sit on the window, ahead of the application's accelerators (Ctrl+Return adds a
 * scene elsewhere), and act only while the writer is in the editor. */
static gboolean
focus_in_editor (LoomGenerationController *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  if (self->editor == NULL || (root = gtk_widget_get_root (self->editor)) == NULL)
    return FALSE;
  focus = gtk_root_get_focus (root);
  return focus != NULL && (focus == self->editor || gtk_widget_is_ancestor (focus, self->editor));
}

static gboolean
generate_shortcut (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  LoomGenerationController *self = user_data;
  const char *reason;
  gboolean fixable;
  g_autofree char *client = NULL;

  if (current_scene (self) == NULL || !focus_in_editor (self))
    return FALSE;

  reason = loom_generation_controller_get_disabled_reason (self, "generate-scene");
  if (reason == NULL)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self->actions), "generate-scene", NULL);
      return TRUE;
    }

  client = client_reason (self, &fixable);
  if (fixable && g_strcmp0 (client, reason) == 0)
    loom_generation_controller_show_key_dialog (self, reason);
  else
    emit_message (self, reason);
  return TRUE;
}

static gboolean
stop_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  LoomGenerationController *self = user_data;

  if (!focus_in_editor (self) ||
      loom_generation_controller_get_disabled_reason (self, "stop") != NULL)
    return FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "stop", NULL);
  return TRUE;
}

/* The shortcuts call back into the controller: they go when it does. */
static void
remove_shortcuts (LoomGenerationController *self)
{
  if (self->shortcuts_holder == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (self->shortcuts_holder),
                                (gpointer *) &self->shortcuts_holder);
  gtk_widget_remove_controller (self->shortcuts_holder, self->shortcuts);
  self->shortcuts_holder = NULL;
  self->shortcuts = NULL;
}

static void
add_shortcut (GtkEventController  *shortcuts,
              guint                keyval,
              GdkModifierType      modifiers,
              GtkShortcutFunc      callback,
              gpointer             data)
{
  GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (keyval, modifiers);
  GtkShortcutAction *action = gtk_callback_action_new (callback, data, NULL);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger, action));
}

/**
 * loom_generation_controller_attach_editor:
 * @editor: the scene editor
 * @prose_view: its prose, inside a #GtkScrolledWindow
 *
 * Ctrl+Return generates the scene (or says why it can't), Escape stops it; the prose follows
 * its end while the scene is being generated, unless the writer scrolls away.
 */
void
loom_generation_controller_attach_editor (LoomGenerationController *self,
                                          GtkWidget                *editor,
                                          GtkTextView              *prose_view)
{
  GtkEventController *shortcuts;
  GtkWidget *scroller;
  GtkWidget *holder;

  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));
  g_return_if_fail (GTK_IS_WIDGET (editor));
  g_return_if_fail (GTK_IS_TEXT_VIEW (prose_view));

  if (self->editor != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  self->editor = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &self->editor);

  /* On the window when there is one: a window's controllers run in the order they were added,
   * and the application's accelerators are added when the window gets its application, after
   * it is constructed; so, attached from a window's constructed(), these come first. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  add_shortcut (shortcuts, GDK_KEY_Return, GDK_CONTROL_MASK, generate_shortcut, self);
  add_shortcut (shortcuts, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, generate_shortcut, self);
  add_shortcut (shortcuts, GDK_KEY_Escape, 0, stop_shortcut, self);
  holder = gtk_widget_get_root (editor) ? GTK_WIDGET (gtk_widget_get_root (editor)) : editor;
  remove_shortcuts (self);
  self->shortcuts = shortcuts;
  self->shortcuts_holder = holder;
  g_object_add_weak_pointer (G_OBJECT (holder), (gpointer *) &self->shortcuts_holder);
  gtk_widget_add_controller (holder, shortcuts);

  scroller = gtk_widget_get_ancestor (GTK_WIDGET (prose_view), GTK_TYPE_SCROLLED_WINDOW);
  if (scroller != NULL)
    {
      if (self->prose_scroller != NULL)
        g_object_remove_weak_pointer (G_OBJECT (self->prose_scroller),
                                      (gpointer *) &self->prose_scroller);
      self->prose_scroller = GTK_SCROLLED_WINDOW (scroller);
      g_object_add_weak_pointer (G_OBJECT (scroller), (gpointer *) &self->prose_scroller);
      loom_generation_follow_end (self->prose_scroller);
      update_follow (self);
    }
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
  update_actions (self);
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
  update_costs (self, NULL);
  queue_story_staleness (self);
  update_actions (self);
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
      refresh_staleness (self, scene);
    }
  else if (LOOM_IS_CHAPTER (item) && self->story == NULL)
    loom_generation_controller_set_story (self, loom_chapter_get_story (LOOM_CHAPTER (item)));

  update_follow (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

GtkWindow *
loom_generation_controller_get_window (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  return self->window;
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
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = window;
  if (window != NULL)
    g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

static void
loom_generation_controller_constructed (GObject *object)
{
  LoomGenerationController *self = (LoomGenerationController *) object;
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(SoupSession) session = NULL;

  G_OBJECT_CLASS (loom_generation_controller_parent_class)->constructed (object);

  /* libsoup allows two connections to a host by default: the generator's concurrency (up to 8)
   * would quietly become 2. */
  session = soup_session_new_with_options ("max-conns-per-host", MAX_CONCURRENCY,
                                           "max-conns", 2 * MAX_CONCURRENCY, NULL);
  self->client = loom_ai_client_new (session);
  self->generator = loom_generator_new (self->store, self->client);
  g_signal_connect_object (self->generator, "scene-started", G_CALLBACK (on_scene_started), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generator, "scene-finished", G_CALLBACK (on_scene_finished),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generator, "notify::n-running", G_CALLBACK (on_generator_counts),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generator, "notify::n-queued", G_CALLBACK (on_generator_counts),
                           self, G_CONNECT_SWAPPED);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries,
                                   G_N_ELEMENTS (action_entries), self);

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

  controllers = g_list_prepend (controllers, self);
  loom_generation_controller_reload_api_key (self);
}

static void
loom_generation_controller_dispose (GObject *object)
{
  LoomGenerationController *self = (LoomGenerationController *) object;

  controllers = g_list_remove (controllers, self);

  g_cancellable_cancel (self->key_cancellable);
  g_cancellable_cancel (self->structured_cancellable);
  if (self->generator != NULL)
    loom_generator_cancel_all (self->generator);
  g_clear_handle_id (&self->stale_delay_source, g_source_remove);
  g_clear_handle_id (&self->stale_idle_source, g_source_remove);
  unwatch_scene (self);
  if (self->story != NULL)
    g_signal_handlers_disconnect_by_func (self->story, on_story_notify, self);
  g_clear_object (&self->story);
  g_clear_object (&self->item);
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  if (self->prose_scroller != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->prose_scroller),
                                  (gpointer *) &self->prose_scroller);
  self->prose_scroller = NULL;
  if (self->editor != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  self->editor = NULL;
  remove_shortcuts (self);
  if (self->key_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->key_dialog), (gpointer *) &self->key_dialog);
  self->key_dialog = NULL;
  if (self->stale_queue != NULL)
    g_ptr_array_set_size (self->stale_queue, 0);
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
  g_clear_object (&self->client);
  g_clear_object (&self->actions);
  g_clear_object (&self->menu);
  g_clear_object (&self->row_section);
  g_clear_object (&self->status_section);
  g_clear_object (&self->store);
  g_clear_pointer (&self->reasons, g_hash_table_unref);
  g_clear_pointer (&self->cost_before, g_hash_table_unref);
  g_clear_pointer (&self->stale_queue, g_ptr_array_unref);
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
}

static void
loom_generation_controller_init (LoomGenerationController *self)
{
  self->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->cost_before = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->stale_queue = g_ptr_array_new_with_free_func (g_object_unref);
  self->structured_cancellable = g_cancellable_new ();
  self->last_cost = -1;
}
