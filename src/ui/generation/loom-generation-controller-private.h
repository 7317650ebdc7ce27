/* loom-generation-controller-private.h: what the controller's files share
 *
 * The controller is split by concern, as Text Editor splits its window: the object itself and
 * what it follows (loom-generation-controller.c), the API key and the set-up dialog (-key.c),
 * the actions and their enabled state (-actions.c), the costs (-costs.c) and the editor's
 * shortcuts (-editor.c). Only those files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-chapter.h"
#include "loom-generation-controller.h"
#include "loom-scene.h"
#include "loom-story.h"

G_BEGIN_DECLS

/* The highest concurrency the preferences offer (the schema's range). */
#define LOOM_GENERATION_MAX_CONCURRENCY 8

typedef struct _LoomSummaryRun LoomSummaryRun;

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
  GtkWindow          *raise_dialog;    /* weak: the open "Spending Limit Reached" dialog */

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
  LoomScene          *stopped_scene;   /* the current scene, when words are on offer for it */
  LoomRevision       *stopped_partial; /* what its stopped or failed generation had written */
  LoomStory          *batch_story;     /* the last Generate Chapter or Story, for its retry */
  LoomChapter        *batch_chapter;   /* NULL: the whole story */
  LoomGenerateFlags   batch_flags;
  GCancellable       *key_cancellable;
  GCancellable       *structured_cancellable;
  GCancellable       *models_cancellable;
  GHashTable         *reasons;         /* action name → why it is disabled */
  GHashTable         *cost_before;     /* LoomScene → double*: its cost when it started */
  GHashTable         *summarizing;     /* the LoomScenes whose summary is being asked for */
  LoomSummaryRun     *summary_run;     /* Summarize Story, while it runs */
  char               *status_text;
  char               *hint;            /* the status, else why Generate Scene can't run */
  char               *status_shown;    /* what the status section says now */
  char               *cost_text;
  char               *cost_tooltip;
  gint64              story_tokens;
  double              story_cost;
  double              last_cost;
  KeyState            key_state;
  gboolean            outlining;       /* not bit-fields: the actions find them by offset */
  gboolean            suggesting;
  guint               current_had_prose : 1;
};

typedef enum {
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
  PROP_STOPPED_SCENE,
  N_PROPS
} LoomGenerationControllerProp;

/* Replaces *field with a copy of value; TRUE when it changed (GLib 2.74 has no g_set_str). */
static inline gboolean
loom_generation_controller_set_str (char       **field,
                                    const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* loom-generation-controller.c */
void         _loom_generation_controller_notify                (LoomGenerationController *self,
                                                                LoomGenerationControllerProp prop);
LoomScene   *_loom_generation_controller_get_scene             (LoomGenerationController *self);
LoomChapter *_loom_generation_controller_get_chapter           (LoomGenerationController *self);
void         _loom_generation_controller_emit_error            (LoomGenerationController *self,
                                                                const GError             *error);
void         _loom_generation_controller_emit_message          (LoomGenerationController *self,
                                                                const char               *message);
gboolean     _loom_generation_controller_emit_show_preferences (LoomGenerationController *self);
void         _loom_generation_controller_emit_prose_replaced   (LoomGenerationController *self,
                                                                LoomScene                *scene,
                                                                LoomRevision             *before,
                                                                const char               *label);

/* loom-generation-controller-key.c */
void         _loom_generation_controller_key_init              (LoomGenerationController *self);
void         _loom_generation_controller_key_dispose           (LoomGenerationController *self);
char        *_loom_generation_controller_client_reason         (LoomGenerationController *self,
                                                                gboolean                 *fixable);

/* loom-generation-controller.c: the words a stopped generation wrote, offered to keep */
void         _loom_generation_controller_set_stopped           (LoomGenerationController *self,
                                                                LoomScene                *scene,
                                                                LoomRevision             *partial);

/* loom-generation-controller-actions.c */
void         _loom_generation_controller_actions_init          (LoomGenerationController *self);
void         _loom_generation_controller_update_actions        (LoomGenerationController *self);

/* loom-generation-controller-actions.c, for the summaries' actions */
void         _loom_generation_controller_set_action            (LoomGenerationController *self,
                                                                const char               *name,
                                                                const char               *reason);

/* What an action runs on, found when it is activated. */
typedef enum
{
  LOOM_ACTION_ON_NOTHING,
  LOOM_ACTION_ON_SCENE,    /* the selected scene */
  LOOM_ACTION_ON_CHAPTER,  /* the selected chapter, or the selected scene's */
  LOOM_ACTION_ON_STORY,    /* the open story */
} LoomActionTarget;

typedef struct
{
  const char        *name;
  LoomActionTarget   target;
  /* @target is never NULL, but for LOOM_ACTION_ON_NOTHING */
  void             (*run)    (LoomGenerationController *self,
                              gpointer                  target);
} LoomControllerAction;

void         _loom_generation_controller_add_actions           (LoomGenerationController   *self,
                                                                const LoomControllerAction *entries,
                                                                guint                       n_entries);

/* loom-generation-controller-summaries.c */
void         _loom_generation_controller_summaries_init        (LoomGenerationController *self);
void         _loom_generation_controller_summaries_dispose     (LoomGenerationController *self);
void         _loom_generation_controller_update_summary_actions (LoomGenerationController *self,
                                                                 const char               *client);
/* Whether each completed draft is followed by its summary (Preferences), which the estimate
 * before a draft counts */
gboolean     _loom_generation_controller_summarizes_drafts     (LoomGenerationController *self);

/* loom-generation-controller-costs.c */
void         _loom_generation_controller_update_costs          (LoomGenerationController *self,
                                                                LoomScene                *finished);
void         _loom_generation_controller_scene_started         (LoomGenerationController *self,
                                                                LoomScene                *scene,
                                                                LoomGenerator            *generator);
void         _loom_generation_controller_refresh_models        (LoomGenerationController *self);

/* loom-generation-controller-actions.c: a scene a spending limit refused */
void         _loom_generation_controller_scene_refused         (LoomGenerationController *self,
                                                                LoomScene                *scene,
                                                                const GError             *error);

/* loom-generation-controller-editor.c */
void         _loom_generation_controller_update_follow         (LoomGenerationController *self);
void         _loom_generation_controller_remove_shortcuts      (LoomGenerationController *self);

G_END_DECLS
