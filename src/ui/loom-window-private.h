/* loom-window-private.h: what the window's files (and the tests) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-character-panel.h"
#include "loom-deletion.h"
#include "loom-export-dialog.h"
#include "loom-generation-bar.h"
#include "loom-generation-controller.h"
#include "loom-goal-indicator.h"
#include "loom-revise-controller.h"
#include "loom-scene-editor.h"
#include "loom-search-pane.h"
#include "loom-side-pane.h"
#include "loom-sidebar.h"
#include "loom-undo-stack.h"
#include "loom-window.h"

G_BEGIN_DECLS

struct _LoomWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  GtkMenuButton        *story_button;
  GtkMenuButton        *generate_button;
  GtkMenuButton        *primary_button;
  GtkToggleButton      *characters_button;
  GtkButton            *back_button;
  GtkButton            *add_scene_button;
  LoomGoalIndicator    *goal_indicator;
  GtkLabel             *story_label;
  GtkLabel             *generate_label;
  AdwLeaflet           *leaflet;
  AdwFlap              *character_flap;
  GtkStack             *left_stack;
  LoomSidebar          *sidebar;
  LoomSearchPane       *search_pane;
  LoomSceneEditor      *editor;
  LoomSidePane         *side_pane;
  LoomCharacterPanel   *character_panel;
  LoomGenerationBar    *generation_bar;
  GMenu                *story_list_section;
  GtkWidget            *header_bar;
  GtkWidget            *sidebar_separator;

  /* owned */
  LoomStore            *store;
  LoomStory            *story;
  LoomGenerationController *generation;
  LoomReviseController *revise;
  GSettings            *settings;
  LoomUndoStack        *undo_stack;
  GPtrArray            *watched_stories;
  GBinding             *title_binding;
  AdwToast             *undo_toast;      /* weak: the latest Undo toast */
  AdwToast             *message_toast;   /* weak: the latest toast with a sentence */
  char                 *last_error;      /* the latest error shown, for the tests */
  char                 *last_message;    /* the latest sentence about other programs' changes */
  guint                 focus_source;
  guint                 header_source;
  guint                 generate_label_source;
  guint                 refresh_source;
  char                 *focus_page;      /* the leaflet's page before focus mode */
  GtkFileChooserNative *import_chooser;  /* while the writer picks a manuscript */

  guint                 story_shown : 1;
  guint                 focus_mode : 1;
  guint                 focus_flap_revealed : 1;  /* the story bible before focus mode */
  guint                 focus_fullscreened : 1;   /* by focus mode, not by the writer */
};

void     _loom_window_class_actions_init (GtkWidgetClass *widget_class);
void     _loom_window_actions_update     (LoomWindow     *self);
LoomExportDialog *_loom_window_export_story (LoomWindow *self);
void     _loom_window_import_file        (LoomWindow     *self,
                                          GFile          *file);
gboolean _loom_window_restore_deletion   (LoomWindow     *self,
                                          gint64          trash_id);
AdwToast *_loom_window_add_message_toast (LoomWindow    *self,
                                          const char    *text,
                                          guint          timeout);
void     _loom_window_add_undo_toast     (LoomWindow     *self,
                                          LoomDeletion   *deletion,
                                          guint           serial);

/* loom-window-undo.c */
void     _loom_window_class_undo_init    (GtkWidgetClass *widget_class);
void     _loom_window_undo_init          (LoomWindow     *self);
gboolean _loom_window_undo               (LoomWindow     *self,
                                          gboolean        redo);
void     _loom_window_record_added       (LoomWindow     *self,
                                          GObject        *item);
guint    _loom_window_record_deleted     (LoomWindow     *self,
                                          LoomDeletion   *deletion);
void     _loom_window_record_edit        (LoomWindow     *self,
                                          GObject        *item,
                                          const char     *property,
                                          const char     *before);
void     _loom_window_record_imported    (LoomWindow     *self,
                                          LoomStory      *story);
void     _loom_window_record_prose_replaced (LoomWindow   *self,
                                             LoomScene    *scene,
                                             LoomRevision *before,
                                             const char   *label);

void     _loom_window_record_replaced   (LoomWindow     *self,
                                          GArray         *replacements);

/* loom-window-search.c */
void     _loom_window_class_search_init  (GtkWidgetClass *widget_class);
void     _loom_window_search_init        (LoomWindow     *self);
gboolean _loom_window_search_shown       (LoomWindow     *self);
GtkWidget *_loom_window_get_left_pane    (LoomWindow     *self);

/* loom-window-focus.c */
void     _loom_window_class_focus_init   (GtkWidgetClass *widget_class);
void     _loom_window_focus_init         (LoomWindow     *self);
void     _loom_window_fit_help_overlay   (GtkWindow      *overlay);

/* loom-window-focus-mode.c */
void     _loom_window_class_focus_mode_init (GtkWidgetClass *widget_class);
void     _loom_window_focus_mode_init    (LoomWindow     *self);
gboolean _loom_window_change_focus_mode  (LoomWindow     *self,
                                          gboolean        focus_mode);

/* loom-window-sync.c */
void     _loom_window_sync_start         (LoomWindow     *self);
void     _loom_window_sync_stop          (LoomWindow     *self);
void     _loom_window_refresh            (LoomWindow     *self);

/* For the tests. */
static inline const char *
_loom_window_get_last_error (LoomWindow *self)
{
  return self->last_error;
}

static inline const char *
_loom_window_get_last_message (LoomWindow *self)
{
  return self->last_message;
}

static inline AdwToast *
_loom_window_get_message_toast (LoomWindow *self)
{
  return self->message_toast;
}

static inline AdwToast *
_loom_window_get_undo_toast (LoomWindow *self)
{
  return self->undo_toast;
}

static inline LoomUndoStack *
_loom_window_get_undo_stack (LoomWindow *self)
{
  return self->undo_stack;
}

static inline LoomSidebar *
_loom_window_get_sidebar (LoomWindow *self)
{
  return self->sidebar;
}

static inline LoomSceneEditor *
_loom_window_get_editor (LoomWindow *self)
{
  return self->editor;
}

static inline LoomCharacterPanel *
_loom_window_get_character_panel (LoomWindow *self)
{
  return self->character_panel;
}

static inline AdwLeaflet *
_loom_window_get_leaflet (LoomWindow *self)
{
  return self->leaflet;
}

static inline LoomSearchPane *
_loom_window_get_search_pane (LoomWindow *self)
{
  return self->search_pane;
}

static inline LoomGoalIndicator *
_loom_window_get_goal_indicator (LoomWindow *self)
{
  return self->goal_indicator;
}

static inline GtkWidget *
_loom_window_get_header_bar (LoomWindow *self)
{
  return self->header_bar;
}

static inline AdwFlap *
_loom_window_get_character_flap (LoomWindow *self)
{
  return self->character_flap;
}

G_END_DECLS
