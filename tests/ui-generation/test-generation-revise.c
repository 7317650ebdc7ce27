/* test-generation-revise.c: the AI on the selected prose, in the window (issue 15)
 *
 * Real key events select the text (xdotool), the shortcut opens the review, a click sends
 * Rewrite to the mock server, clicks reject one change and accept the other, Apply writes the
 * rest with a revision (one step on the window's undo stack), and Ctrl+Z in the prose brings
 * the earlier text back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generation-revise"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-budget.h"
#include "loom-generation-controller.h"
#include "loom-mock-server.h"
#include "loom-model-catalog.h"
#include "loom-prompt-dialog.h"
#include "loom-review-dialog.h"
#include "loom-revise-controller.h"
#include "loom-revisions-dialog.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-budget.h"
#include "loom-store-revise.h"
#include "loom-window-private.h"
#include "test-generation-util.h"
#include "test-ui-util.h"
#include "test-util.h"

#define PROSE "Mara walked to the gate. The guard was asleep. She waited in the cold."
#define ANSWER "Mara ran to the gate. The guard was asleep. She waited in the dark."
#define KEPT "Mara walked to the gate. The guard was asleep. She waited in the dark."

typedef TestGenerationWindow Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  test_generation_window_open (f, "storyloom-gen-revise-XXXXXX", 30, 5,
                               test_generation_window_ready);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_generation_window_close (f);
}

static GtkTextView *
prose_view (Fixture *f)
{
  return loom_scene_editor_get_prose_view (f->window->editor);
}

static char *
buffer_text (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (prose_view (f));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
prose_shown (gpointer data)
{
  g_autofree char *text = buffer_text (data);
  return g_str_equal (text, PROSE);
}

/* The window's focus widget, active or not (without a window manager, closing a dialog does
 * not give the window the X focus back; the key presses below do). */
static gboolean
prose_is_window_focus (gpointer data)
{
  Fixture *f = data;
  return gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (prose_view (f));
}

static gboolean
all_selected (gpointer data)
{
  Fixture *f = data;
  GtkTextIter start, end;

  return gtk_text_buffer_get_selection_bounds (gtk_text_view_get_buffer (prose_view (f)),
                                               &start, &end) &&
         gtk_text_iter_is_start (&start) && gtk_text_iter_is_end (&end);
}

static gboolean
allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0 &&
         gtk_widget_is_sensitive (data);
}

/* A widget just shown is laid out in the next frame: click it once it has its place. */
static void
click (GtkWidget *widget)
{
  g_assert_nonnull (widget);
  test_spin_until (allocated, widget, "the button laid out");
  test_ui_click (widget);
}

static gboolean
dialog_open (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_REVIEW_DIALOG);
  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
review_ready (gpointer data)
{
  LoomReviewDialog *dialog = data;
  GtkWidget *row = loom_review_dialog_get_change_row (dialog, 1);

  return loom_review_dialog_get_review (dialog) != NULL && row != NULL &&
         gtk_widget_get_mapped (row);
}

static gboolean
change_chosen (gpointer data)
{
  LoomReviewDialog *dialog = data;
  LoomReview *review = loom_review_dialog_get_review (dialog);

  return loom_review_count (review, LOOM_CHANGE_PENDING) == 0;
}

static gboolean
dialog_closed (gpointer data)
{
  return test_ui_find_toplevel (LOOM_TYPE_REVIEW_DIALOG) == NULL;
}

static gboolean
prose_is_kept (gpointer data)
{
  Fixture *f = data;
  return g_strcmp0 (loom_scene_get_prose (f->scenes[0]), KEPT) == 0;
}

/* The first widget of @type below @root whose property @name is the string @value (or any,
 * when @name is %NULL). */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *name,
             const char *value)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          g_autofree char *text = NULL;

          if (name == NULL)
            return child;
          g_object_get (child, name, &text, NULL);
          if (g_strcmp0 (text, value) == 0)
            return child;
        }
      if ((found = find_widget (child, type, name, value)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
history_open (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_REVISIONS_DIALOG);
  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

/* History, opened with its button, names the action that replaced the newest revision. */
static void
check_history_names (Fixture    *f,
                     const char *reason)
{
  GtkWidget *button = find_widget (GTK_WIDGET (f->window->generation_bar), GTK_TYPE_BUTTON,
                                   "action-name", "gen.show-revisions");
  GtkWindow *history;
  GtkWidget *row;

  click (button);
  test_spin_until (history_open, NULL, "the revision history");
  history = test_ui_find_toplevel (LOOM_TYPE_REVISIONS_DIALOG);
  row = find_widget (GTK_WIDGET (history), ADW_TYPE_ACTION_ROW, NULL, NULL);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), reason));
  gtk_window_destroy (history);
}

static gboolean
prose_is_back (gpointer data)
{
  Fixture *f = data;
  g_autofree char *text = buffer_text (f);

  return g_strcmp0 (loom_scene_get_prose (f->scenes[0]), PROSE) == 0 &&
         g_str_equal (text, PROSE);
}

/* A story just shown gives the keyboard to its sidebar at idle: after that, a click into the
 * prose keeps it. */
static gboolean
story_settled (gpointer data)
{
  Fixture *f = data;

  return f->window->focus_source == 0;
}

/* Shows @scene's prose, clicks into it, selects all of it with the keyboard and presses
 * @keys, which open the review dialog. %NULL when the test is skipped (no xdotool). */
static LoomReviewDialog *
open_review_on_all (Fixture    *f,
                    LoomScene  *scene,
                    const char *keys)
{
  test_spin_until (story_settled, f, "the story shown");
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (scene));
  test_spin_until (prose_shown, f, "the prose in the editor");
  click (GTK_WIDGET (prose_view (f)));
  test_spin_until (prose_is_window_focus, f, "the focus in the prose");
  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+Home"))
    return NULL;
  test_ui_press (GTK_WINDOW (f->window), "shift+ctrl+End");
  test_spin_until (all_selected, f, "the selection");
  test_ui_press (GTK_WINDOW (f->window), keys);
  test_spin_until (dialog_open, NULL, "the review dialog");
  return LOOM_REVIEW_DIALOG (test_ui_find_toplevel (LOOM_TYPE_REVIEW_DIALOG));
}

static void
test_rewrite_reviewed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockResponse) answer = loom_mock_response_new ();
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(LoomRevision) kept = NULL;
  LoomReviewDialog *dialog;
  GtkWidget *button;
  guint n_requests;

  g_assert_true (loom_scene_set_prose (f->scenes[0], PROSE, &error));
  g_assert_no_error (error);

  /* Select all of the prose with the keyboard, as a writer does. The shortcut only opens the
   * review: nothing is sent yet. */
  n_requests = loom_mock_server_get_n_requests (f->server);
  dialog = open_review_on_all (f, f->scenes[0], "ctrl+shift+r");
  if (dialog == NULL)
    return;
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests);

  answer->deltas = g_strsplit ("Mara ran to the gate. |The guard was asleep. |"
                               "She waited in the dark.", "|", -1);
  answer->usage = TRUE;
  loom_mock_server_push (f->server, g_steal_pointer (&answer));
  button = test_ui_find_button (GTK_WIDGET (dialog), "_Rewrite");
  g_assert_nonnull (button);
  click (button);
  test_spin_until (review_ready, dialog, "the changes");
  g_assert_cmpuint (loom_review_get_n_changes (loom_review_dialog_get_review (dialog)), ==, 2);
  /* Streamed into the dialog, never into the prose. */
  g_assert_cmpstr (loom_scene_get_prose (f->scenes[0]), ==, PROSE);

  click (g_object_get_data (G_OBJECT (loom_review_dialog_get_change_row (dialog, 0)), "reject"));
  click (g_object_get_data (G_OBJECT (loom_review_dialog_get_change_row (dialog, 1)), "accept"));
  test_spin_until (change_chosen, dialog, "the choices");
  {
    g_autofree char *text = loom_review_get_text (loom_review_dialog_get_review (dialog));
    g_assert_cmpstr (text, ==, KEPT);
  }
  button = test_ui_find_button (GTK_WIDGET (dialog), "_Apply");
  g_assert_nonnull (button);
  click (button);
  test_spin_until (dialog_closed, NULL, "the dialog to close");
  test_spin_until (prose_is_kept, f, "the prose with the accepted change");

  /* Stored, with the prose before as an AI-edit revision. */
  {
    g_autofree char *path = g_build_filename (f->dir, "library.db", NULL);
    g_autofree char *sql = g_strdup_printf ("SELECT prose FROM scenes WHERE id = %" G_GINT64_FORMAT,
                                            loom_scene_get_id (f->scenes[0]));
    g_autofree char *stored = test_sql_value (path, sql);

    g_assert_cmpstr (stored, ==, KEPT);
  }
  revisions = loom_store_list_revisions (f->store, f->scenes[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), >=, 1);
  kept = g_list_model_get_item (revisions, 0);
  g_assert_cmpstr (loom_revision_get_prose (kept), ==, PROSE);
  g_assert_cmpint (loom_revision_get_origin (kept), ==, LOOM_REVISION_EDIT);
  check_history_names (f, "kept before Rewrite");

  /* One step on the window's undo stack (Ctrl+Z outside the text), and one in the prose's own
   * history. */
  g_assert_cmpstr (loom_undo_stack_get_undo_label (_loom_window_get_undo_stack (f->window)), ==,
                   "Rewrite");

  /* Ctrl+Z in the prose brings the earlier text back. The writer clicks back
   * into the prose first. */
  click (GTK_WIDGET (prose_view (f)));
  test_spin_until (prose_is_window_focus, f, "the focus back in the prose");
  test_ui_press (GTK_WINDOW (f->window), "ctrl+z");
  test_spin_until (prose_is_back, f, "the prose before the change");
}

/* Closing the review while the answer streams leaves the prose as it was. */
static void
test_close_while_streaming (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockResponse) slow = loom_mock_response_new ();
  g_autoptr(GListModel) revisions = NULL;
  LoomReviewDialog *dialog;

  g_assert_true (loom_scene_set_prose (f->scenes[0], PROSE, &error));
  test_spin_until (story_settled, f, "the story shown");
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_spin_until (prose_shown, f, "the prose in the editor");
  click (GTK_WIDGET (prose_view (f)));
  test_spin_until (prose_is_window_focus, f, "the focus in the prose");
  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+End"))
    return;
  test_ui_press (GTK_WINDOW (f->window), "ctrl+shift+t");
  test_spin_until (dialog_open, NULL, "the review dialog");
  dialog = LOOM_REVIEW_DIALOG (test_ui_find_toplevel (LOOM_TYPE_REVIEW_DIALOG));

  slow->n_deltas = 400;
  slow->delay_ms = 20;
  loom_mock_server_push (f->server, g_steal_pointer (&slow));
  click (test_ui_find_button (GTK_WIDGET (dialog), "_Continue"));
  g_assert_true (loom_review_dialog_get_busy (dialog));
  test_ui_press (GTK_WINDOW (dialog), "Escape");
  test_spin_until (dialog_closed, NULL, "the dialog to close");
  g_assert_cmpstr (loom_scene_get_prose (f->scenes[0]), ==, PROSE);
  revisions = loom_store_list_revisions (f->store, f->scenes[0], &error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 0);
}

static gboolean
review_came (gpointer data)
{
  return loom_review_dialog_get_review (data) != NULL;
}

/* The length chosen in the dialog, by keys, is what the request asks for. */
static void
test_continue_length (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockResponse) answer = loom_mock_response_new ();
  LoomReviewDialog *dialog;
  GtkWidget *spin;
  GPtrArray *requests;
  LoomMockRequest *request;
  guint n_requests;

  g_assert_true (loom_scene_set_prose (f->scenes[0], PROSE, &error));
  test_spin_until (story_settled, f, "the story shown");
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_spin_until (prose_shown, f, "the prose in the editor");
  click (GTK_WIDGET (prose_view (f)));
  test_spin_until (prose_is_window_focus, f, "the focus in the prose");
  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+End"))
    return;
  n_requests = loom_mock_server_get_n_requests (f->server);
  test_ui_press (GTK_WINDOW (f->window), "ctrl+shift+t");
  test_spin_until (dialog_open, NULL, "the review dialog");
  dialog = LOOM_REVIEW_DIALOG (test_ui_find_toplevel (LOOM_TYPE_REVIEW_DIALOG));

  /* Only Continue offers a length; its mnemonic reaches it. */
  spin = find_widget (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON, NULL, NULL);
  g_assert_nonnull (spin);
  test_spin_until (allocated, spin, "the length");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 150);
  test_ui_press (GTK_WINDOW (dialog), "alt+l");
  test_ui_press (GTK_WINDOW (dialog), "ctrl+a");
  test_ui_type (GTK_WINDOW (dialog), "400");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests);

  answer->deltas = g_strsplit (" The gate opened.", "|", -1);
  loom_mock_server_push (f->server, g_steal_pointer (&answer));
  click (test_ui_find_button (GTK_WIDGET (dialog), "_Continue"));
  test_spin_until (review_came, dialog, "the suggestion");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests + 1);
  requests = loom_mock_server_get_requests (f->server);
  request = g_ptr_array_index (requests, requests->len - 1);
  g_assert_nonnull (strstr (request->body, "Write about 400 words."));
  /* The prose waits for the writer's choice. */
  g_assert_cmpstr (loom_scene_get_prose (f->scenes[0]), ==, PROSE);
  gtk_window_close (GTK_WINDOW (dialog));
  test_spin_until (dialog_closed, NULL, "the dialog to close");
}

static gboolean
menu_offers (GMenuModel *menu,
             const char *text)
{
  for (int i = 0; menu != NULL && i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label) &&
          g_str_equal (label, text))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
find_entry_labelled (GtkWidget  *root,
                     const char *placeholder)
{
  return find_widget (root, GTK_TYPE_ENTRY, "placeholder-text", placeholder);
}

/* Story B's review offers story B's recent instructions, never story A's; picking one with the
 * pointer puts it in the writer's words. */
static void
test_recent_per_story (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *other = loom_store_create_story (f->store, "The Lamplighter", "", "", &error);
  LoomChapter *chapter = loom_store_add_chapter (f->store, other, LOOM_POSITION_END, "Home",
                                                 &error);
  LoomScene *scene = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END, "She returns.",
                                           &error);
  LoomReviewDialog *dialog;
  GtkWidget *recent;
  GtkWidget *words;

  g_assert_true (loom_scene_set_prose (scene, PROSE, &error));
  g_assert_true (loom_store_remember_instruction (f->store, f->story, "colder", &error));
  g_assert_true (loom_store_remember_instruction (f->store, other, "warmer", &error));
  g_assert_no_error (error);

  loom_window_set_story (f->window, other);
  dialog = open_review_on_all (f, scene, "ctrl+shift+r");
  if (dialog == NULL)
    return;
  recent = find_widget (GTK_WIDGET (dialog), GTK_TYPE_MENU_BUTTON, NULL, NULL);
  g_assert_nonnull (recent);
  g_assert_true (menu_offers (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (recent)),
                              "warmer"));
  g_assert_false (menu_offers (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (recent)),
                               "colder"));
  test_spin_until (allocated, recent, "the recent instructions");
  test_ui_click_menu_item (GTK_MENU_BUTTON (recent), "warmer");
  g_assert_null (test_ui_find_label (GTK_WIDGET (gtk_menu_button_get_popover (
                                       GTK_MENU_BUTTON (recent))), "colder"));
  words = find_entry_labelled (GTK_WIDGET (dialog), "Your words, e.g. more tension, first person");
  g_assert_nonnull (words);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (words)), ==, "warmer");
  gtk_window_close (GTK_WINDOW (dialog));
  test_spin_until (dialog_closed, NULL, "the dialog to close");
}

static gboolean
prompt_open (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_PROMPT_DIALOG);
  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
prompt_closed (gpointer data)
{
  return test_ui_find_toplevel (LOOM_TYPE_PROMPT_DIALOG) == NULL;
}

static gboolean
prompt_says (gpointer data)
{
  LoomPromptDialog *dialog = LOOM_PROMPT_DIALOG (test_ui_find_toplevel (LOOM_TYPE_PROMPT_DIALOG));
  g_autofree char *text = dialog ? loom_prompt_dialog_get_text (dialog) : NULL;

  return text != NULL && strstr (text, data) != NULL;
}

#define EDITED "Cut it to one line."

/* The prompt dialog, opened from the review with the pointer, edits the instruction of the
 * request not sent yet: the messages shown follow the keys typed, the mock server receives the
 * edited instruction, the story's own wording stays, and the edit is offered again. */
static void
test_prompt_edits_instruction (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockResponse) answer = loom_mock_response_new ();
  g_autofree char *template = NULL;
  g_auto(GStrv) recent = NULL;
  LoomReviewDialog *dialog;
  LoomMockRequest *request;
  GPtrArray *requests;
  GtkWidget *recent_button;
  guint n_requests;

  g_assert_true (loom_scene_set_prose (f->scenes[0], PROSE, &error));
  g_assert_no_error (error);
  n_requests = loom_mock_server_get_n_requests (f->server);
  dialog = open_review_on_all (f, f->scenes[0], "ctrl+shift+x");
  if (dialog == NULL)
    return;

  click (test_ui_find_button (GTK_WIDGET (dialog), "Show _Prompt…"));
  test_spin_until (prompt_open, NULL, "the prompt dialog");
  test_spin_until (prompt_says, (gpointer) "Instruction: Shorten the passage", "the prompt");
  {
    GtkWindow *prompt = test_ui_find_toplevel (LOOM_TYPE_PROMPT_DIALOG);

    test_ui_press (prompt, "alt+i");
    test_ui_press (prompt, "ctrl+a");
    test_ui_type (prompt, EDITED);
    test_spin_until (prompt_says, (gpointer) "Instruction: " EDITED, "the edited prompt");
    test_ui_press (prompt, "Escape");
    test_spin_until (prompt_closed, NULL, "the prompt dialog to close");
  }
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests);

  answer->deltas = g_strsplit ("Mara waited at the gate.", "|", -1);
  loom_mock_server_push (f->server, g_steal_pointer (&answer));
  click (test_ui_find_button (GTK_WIDGET (dialog), "_Shorten"));
  test_spin_until (review_came, dialog, "the answer");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests + 1);
  requests = loom_mock_server_get_requests (f->server);
  request = g_ptr_array_index (requests, requests->len - 1);
  g_assert_nonnull (strstr (request->body, "Instruction: " EDITED));
  g_assert_null (strstr (request->body, "Shorten the passage to about half"));
  gtk_window_close (GTK_WINDOW (dialog));
  test_spin_until (dialog_closed, NULL, "the dialog to close");

  /* The story keeps its own wording; the edit is a recent instruction. */
  template = loom_store_get_revise_template (f->store, f->story, LOOM_REVISE_SHORTEN, &error);
  g_assert_no_error (error);
  g_assert_null (template);
  recent = loom_store_list_recent_instructions (f->store, f->story, &error);
  g_assert_cmpstrv (recent, ((const char *const[]) { EDITED, NULL }));

  /* Offered in the next Shorten, where it becomes the instruction. */
  dialog = open_review_on_all (f, f->scenes[0], "ctrl+shift+x");
  recent_button = find_widget (GTK_WIDGET (dialog), GTK_TYPE_MENU_BUTTON, NULL, NULL);
  test_spin_until (allocated, recent_button, "the recent instructions");
  test_ui_click_menu_item (GTK_MENU_BUTTON (recent_button), EDITED);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (
                     find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, NULL, NULL))), ==, EDITED);
  gtk_window_close (GTK_WINDOW (dialog));
  test_spin_until (dialog_closed, NULL, "the dialog to close");
}

static gboolean
prices_kept (gpointer data)
{
  Fixture *f = data;
  LoomAiClient *client = loom_generation_controller_get_client (f->window->generation);

  return loom_model_catalog_get_date (f->store, client) > 0;
}

/* A selection action a story limit refuses sends nothing; the limit is raised over the review
 * with real clicks and the request then goes (issue 18). */
static void
test_limit_raised (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockResponse) answer = loom_mock_response_new ();
  AdwMessageDialog *question;
  LoomReviewDialog *dialog;
  double limit = -1;
  guint n_requests;

  g_assert_true (loom_scene_set_prose (f->scenes[0], PROSE, &error));
  g_assert_true (loom_store_set_spending_limit (f->store, f->story, 0, &error));
  g_assert_no_error (error);
  test_spin_until (prices_kept, f, "the prices");
  n_requests = loom_mock_server_get_n_requests (f->server);
  dialog = open_review_on_all (f, f->scenes[0], "ctrl+shift+r");
  if (dialog == NULL)
    return;

  click (test_ui_find_button (GTK_WIDGET (dialog), "_Rewrite"));
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==,
                   "Story Spending Limit Reached");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests);

  answer->deltas = g_strsplit ("Mara ran to the gate. |The guard was asleep. |"
                               "She waited in the dark.", "|", -1);
  loom_mock_server_push (f->server, g_steal_pointer (&answer));
  click (test_ui_find_button (GTK_WIDGET (question), "_Raise Limit"));
  test_spin_until (review_ready, dialog, "the changes after the raise");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests + 1);
  g_assert_true (loom_store_get_spending_limit (f->store, f->story, &limit, &error));
  g_assert_cmpfloat (limit, ==, 1);
  g_assert_cmpstr (loom_scene_get_prose (f->scenes[0]), ==, PROSE);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
choice_not_kept_shown (gpointer data)
{
  AdwMessageDialog **shown = data;

  *shown = ADW_MESSAGE_DIALOG (test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  return *shown != NULL && gtk_widget_get_mapped (GTK_WIDGET (*shown)) &&
         g_strcmp0 (adw_message_dialog_get_heading (*shown), "Choice Not Kept") == 0;
}

/* "Don't ask again" ticked over the review when the library refuses to keep it: the request
 * goes as agreed, and a dialog over the review says that the next one will ask again, and
 * why. */
static void
test_dont_ask_not_kept (Fixture       *f,
                        gconstpointer  data)
{
  const char *path = loom_store_get_path (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockResponse) answer = loom_mock_response_new ();
  AdwMessageDialog *question;
  AdwMessageDialog *told = NULL;
  LoomReviewDialog *dialog;
  guint n_requests;

  g_assert_true (loom_scene_set_prose (f->scenes[0], PROSE, &error));
  g_assert_true (loom_store_set_confirm_threshold (f->store, 0.10, &error));
  g_assert_no_error (error);
  test_spin_until (prices_kept, f, "the prices");
  g_settings_set_string (f->settings, "model", "mock/unlisted");
  test_sql_exec (path, "CREATE TRIGGER keep_no_settings BEFORE INSERT ON library_settings "
                       "BEGIN SELECT RAISE (ABORT, 'no settings today'); END");
  n_requests = loom_mock_server_get_n_requests (f->server);
  dialog = open_review_on_all (f, f->scenes[0], "ctrl+shift+r");
  if (dialog == NULL)
    {
      test_sql_exec (path, "DROP TRIGGER keep_no_settings");
      g_settings_reset (f->settings, "model");
      return;
    }

  click (test_ui_find_button (GTK_WIDGET (dialog), "_Rewrite"));
  question = test_generation_wait_question ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Send the Request?");
  click (adw_message_dialog_get_extra_child (question));
  test_generation_settle ();
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
                   adw_message_dialog_get_extra_child (question))));
  answer->deltas = g_strsplit ("Mara ran to the gate. |The guard was asleep.", "|", -1);
  loom_mock_server_push (f->server, g_steal_pointer (&answer));
  click (test_ui_find_button (GTK_WIDGET (question), "_Rewrite"));

  test_spin_until (choice_not_kept_shown, &told, "the dialog saying the choice was not kept");
  g_test_message ("%s", adw_message_dialog_get_body (told));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (told),
                                   "The request was sent, but “Don't ask again” for "
                                   "“mock/unlisted” could not be kept"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (told), "no settings today"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (told)) == GTK_WINDOW (dialog));
  test_spin_until (review_ready, dialog, "the changes sent all the same");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests + 1);
  g_assert_false (loom_budget_get_unknown_price_accepted (
                    f->store, loom_generation_controller_get_client (f->window->generation),
                    "mock/unlisted"));

  gtk_window_destroy (GTK_WINDOW (told));
  gtk_window_destroy (GTK_WINDOW (dialog));
  test_sql_exec (path, "DROP TRIGGER keep_no_settings");
  g_settings_reset (f->settings, "model");
}

static gboolean
hovered (gpointer data)
{
  return (gtk_widget_get_state_flags (data) & GTK_STATE_FLAG_PRELIGHT) != 0;
}

static GtkPopover *
selection_popover (Fixture *f)
{
  return loom_revise_controller_get_popover (f->window->revise);
}

/* Shown, laid out, and given a few frames more: its surface has its final place on the
 * screen before a pointer aims at its buttons. */
static gboolean
popover_ready (gpointer data)
{
  Fixture *f = data;
  GtkWidget *popover = GTK_WIDGET (selection_popover (f));
  GtkWidget *button;

  if (!gtk_widget_get_mapped (popover) ||
      (button = test_ui_find_button (popover, "Rewrite")) == NULL ||
      gtk_widget_get_width (button) <= 0)
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
  return gtk_widget_get_mapped (popover);
}

static gboolean
popover_hidden (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (selection_popover (data)));
}

static gboolean
two_words_selected (gpointer data)
{
  Fixture *f = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (prose_view (f));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return FALSE;
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_str_equal (text, "Mara walked");
}

static gboolean
nothing_selected (gpointer data)
{
  Fixture *f = data;
  return !gtk_text_buffer_get_has_selection (gtk_text_view_get_buffer (prose_view (f)));
}

/* A selection made with real keys that rests brings the popover, which leaves the keyboard in
 * the prose; Escape closes it, a new selection brings it back, a click on Rewrite with the
 * real pointer opens the review of that selection, and a key that takes the selection away
 * closes it. */
static void
test_selection_popover (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomReviewDialog *dialog;
  GtkWidget *rewrite;
  guint n_requests;

  g_assert_true (loom_scene_set_prose (f->scenes[0], PROSE, &error));
  g_assert_no_error (error);
  test_spin_until (story_settled, f, "the story shown");
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_spin_until (prose_shown, f, "the prose in the editor");
  click (GTK_WIDGET (prose_view (f)));
  test_spin_until (prose_is_window_focus, f, "the focus in the prose");
  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+Home"))
    return;
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (selection_popover (f))));
  test_ui_press (GTK_WINDOW (f->window), "shift+ctrl+Right");
  test_ui_press (GTK_WINDOW (f->window), "shift+ctrl+Right");
  test_spin_until (two_words_selected, f, "two words selected");
  test_spin_until (popover_ready, f, "the popover on the selection");
  g_assert_true (prose_is_window_focus (f));

  /* Escape closes it and keeps the selection. */
  test_ui_press (GTK_WINDOW (f->window), "Escape");
  test_spin_until (popover_hidden, f, "the popover closed by Escape");
  g_assert_true (two_words_selected (f));

  /* Another selection that rests brings it back. */
  test_ui_press (GTK_WINDOW (f->window), "shift+Left");
  test_ui_press (GTK_WINDOW (f->window), "shift+Right");
  test_spin_until (popover_ready, f, "the popover again");

  n_requests = loom_mock_server_get_n_requests (f->server);
  rewrite = test_ui_find_button (GTK_WIDGET (selection_popover (f)), "Rewrite");
  g_assert_nonnull (rewrite);
  /* The pointer comes to rest on the button before it presses, as a hand's does: GTK aims a
   * press at the widget the last motion found. */
  test_ui_hover (rewrite);
  test_spin_until (hovered, rewrite, "the pointer on the button");
  test_ui_click (rewrite);
  test_spin_until (dialog_open, NULL, "the review dialog");
  dialog = LOOM_REVIEW_DIALOG (test_ui_find_toplevel (LOOM_TYPE_REVIEW_DIALOG));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), ADW_TYPE_WINDOW_TITLE, "title",
                                 "Rewrite"));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "label",
                                 "Passage: Mara walked"));
  /* Nothing is sent from the popover: only the dialog's button sends. */
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, n_requests);
  test_spin_until (popover_hidden, f, "the popover closed by its action");
  gtk_window_close (GTK_WINDOW (dialog));
  test_spin_until (dialog_closed, NULL, "the dialog to close");

  /* The selection goes with a key, which the prose takes: so does the popover. */
  test_ui_press (GTK_WINDOW (f->window), "shift+Left");
  test_ui_press (GTK_WINDOW (f->window), "shift+Right");
  test_spin_until (popover_ready, f, "the popover once more");
  test_ui_press (GTK_WINDOW (f->window), "End");
  test_spin_until (nothing_selected, f, "the selection gone");
  test_spin_until (popover_hidden, f, "the popover closed with the selection");
  g_assert_cmpstr (loom_scene_get_prose (f->scenes[0]), ==, PROSE);
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/generation-revise"))
    return g_test_run ();

  g_test_add ("/generation-revise/limit-raised", Fixture, NULL, fixture_set_up,
              test_limit_raised, fixture_tear_down);
  g_test_add ("/generation-revise/dont-ask-not-kept", Fixture, NULL, fixture_set_up,
              test_dont_ask_not_kept, fixture_tear_down);
  g_test_add ("/generation-revise/rewrite-reviewed", Fixture, NULL, fixture_set_up,
              test_rewrite_reviewed, fixture_tear_down);
  g_test_add ("/generation-revise/close-while-streaming", Fixture, NULL, fixture_set_up,
              test_close_while_streaming, fixture_tear_down);
  g_test_add ("/generation-revise/continue-length", Fixture, NULL, fixture_set_up,
              test_continue_length, fixture_tear_down);
  g_test_add ("/generation-revise/recent-per-story", Fixture, NULL, fixture_set_up,
              test_recent_per_story, fixture_tear_down);
  g_test_add ("/generation-revise/prompt-edits-instruction", Fixture, NULL, fixture_set_up,
              test_prompt_edits_instruction, fixture_tear_down);
  g_test_add ("/generation-revise/selection-popover", Fixture, NULL, fixture_set_up,
              test_selection_popover, fixture_tear_down);
  return g_test_run ();
}
