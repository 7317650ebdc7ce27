/* loom-generation-controller.h: a window's generation: the generator, its actions and menus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-ai-client.h"
#include "loom-generator.h"
#include "loom-paid-question.h"
#include "loom-store.h"

G_BEGIN_DECLS

#define LOOM_TYPE_GENERATION_CONTROLLER (loom_generation_controller_get_type ())

G_DECLARE_FINAL_TYPE (LoomGenerationController, loom_generation_controller,
                      LOOM, GENERATION_CONTROLLER, GObject)

LoomGenerationController *loom_generation_controller_new        (LoomStore                *store);

LoomStore     *loom_generation_controller_get_store            (LoomGenerationController *self);
LoomGenerator *loom_generation_controller_get_generator        (LoomGenerationController *self);
LoomAiClient  *loom_generation_controller_get_client           (LoomGenerationController *self);

/* Shows @error where the controller's own errors go ("error": the window's toast), for a
 * dialog the controller opened that has no place of its own to say what went wrong. */
void           loom_generation_controller_report_error         (LoomGenerationController *self,
                                                                const GError             *error);

/* Insert it as "gen" on the window: the menus and the editor name gen.generate-scene, … */
GActionGroup  *loom_generation_controller_get_action_group     (LoomGenerationController *self);
/* The Generate menu of the header bar, and the section for the sidebar's row menu. */
GMenuModel    *loom_generation_controller_get_menu             (LoomGenerationController *self);
GMenuModel    *loom_generation_controller_get_row_section      (LoomGenerationController *self);

LoomStory     *loom_generation_controller_get_story            (LoomGenerationController *self);
void           loom_generation_controller_set_story            (LoomGenerationController *self,
                                                                LoomStory                *story);
/* The sidebar's selection: a scene or a chapter (or NULL). */
GObject       *loom_generation_controller_get_item             (LoomGenerationController *self);
void           loom_generation_controller_set_item             (LoomGenerationController *self,
                                                                GObject                  *item);
/* The window the dialogs belong to (not referenced). */
GtkWindow     *loom_generation_controller_get_window           (LoomGenerationController *self);
void           loom_generation_controller_set_window           (LoomGenerationController *self,
                                                                GtkWindow                *window);

/* Why an action ("generate-scene", …) cannot run now, or NULL when it can. */
const char    *loom_generation_controller_get_disabled_reason  (LoomGenerationController *self,
                                                                const char               *action);
/* One line about the queue, or about what keeps generation from running; NULL when idle. */
const char    *loom_generation_controller_get_status_text      (LoomGenerationController *self);
/* The status text, else why Generate Scene can't run for the selected scene; NULL when it can. */
const char    *loom_generation_controller_get_hint             (LoomGenerationController *self);
/* "12,340 tokens · $0.0412 so far · last $0.0031", and a longer tooltip. */
const char    *loom_generation_controller_get_cost_text        (LoomGenerationController *self);
const char    *loom_generation_controller_get_cost_tooltip     (LoomGenerationController *self);
double         loom_generation_controller_get_story_cost       (LoomGenerationController *self);
gint64         loom_generation_controller_get_story_tokens     (LoomGenerationController *self);
double         loom_generation_controller_get_last_cost        (LoomGenerationController *self);

/* Ctrl+Return (generate) and Escape (stop) in the editor; the prose follows a scene being
 * generated. */
void           loom_generation_controller_attach_editor        (LoomGenerationController *self,
                                                                GtkWidget                *editor,
                                                                GtkTextView              *prose_view);

/* The dialogs, for the actions and for the tests. */
GtkWindow     *loom_generation_controller_generate_scene       (LoomGenerationController *self,
                                                                LoomScene                *scene);
GtkWindow     *loom_generation_controller_generate_batch       (LoomGenerationController *self,
                                                                LoomChapter              *chapter);
GtkWindow     *loom_generation_controller_show_prompt          (LoomGenerationController *self);
GtkWindow     *loom_generation_controller_summarize_scene      (LoomGenerationController *self,
                                                                LoomScene                *scene);
GtkWindow     *loom_generation_controller_summarize_story      (LoomGenerationController *self);
guint          loom_generation_controller_get_stopped_words    (LoomGenerationController *self,
                                                                LoomScene                *scene);
void           loom_generation_controller_reload_stopped       (LoomGenerationController *self);
GtkWindow     *loom_generation_controller_show_revisions       (LoomGenerationController *self);
GtkWindow     *loom_generation_controller_show_key_dialog      (LoomGenerationController *self,
                                                                const char               *reason);

/* A request a spending limit refused (@error, LOOM_BUDGET_ERROR): asks on @parent (NULL: the
 * controller's window) for the amount to raise the limit to; Raise Limit sets it and calls
 * @retry (the controller, @data). Returns the dialog, or NULL when none was shown (another is
 * open, or @error is not a limit's): then @destroy has freed @data. */
GtkWindow     *loom_generation_controller_offer_raise          (LoomGenerationController *self,
                                                                GtkWindow                *parent,
                                                                const GError             *error,
                                                                LoomPaidRunFunc           retry,
                                                                gpointer                  data,
                                                                GDestroyNotify            destroy);

/* The key was stored or cleared (by the preferences): every controller looks it up again. */
void           loom_generation_controller_reload_api_keys      (void);
/* Looks the key up again; done when the client's key has been set. */
void           loom_generation_controller_reload_api_key       (LoomGenerationController *self);
gboolean       loom_generation_controller_get_key_ready        (LoomGenerationController *self);

G_END_DECLS
