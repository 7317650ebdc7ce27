/* test-generation-summaries.c: scene summaries in the window (issue 16)
 *
 * The summary under the outline, typed with real keys and saved as the writer's, outdated
 * once the prose changes; Summarize with a real click against the mock server, its facts put in
 * the story bible with a click and taken out with Ctrl+Z; Summarize Story from the Generate
 * menu with its estimate and its progress; and the summary that follows a draft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generation-summaries"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-entry.h"
#include "loom-generation-controller.h"
#include "loom-mock-server.h"
#include "loom-scene.h"
#include "loom-store-summaries.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-summary-pane.h"
#include "loom-window-private.h"
#include "test-generation-util.h"
#include "test-ui-util.h"
#include "test-util.h"

#define TEST_KEY "sk-or-test-summaries"

typedef TestGenerationWindow Fixture;

static const char good_answer[] =
  "```toon\n"
  "summary: Mara left the city at dawn with the salt caravan.\n"
  "facts[2]:\n"
  "  - The caravan carries salt to the coast.\n"
  "  - Mara owes the caravan master a debt.\n"
  "```";

static LoomMockResponse *
answer (const char *text)
{
  LoomMockResponse *r = loom_mock_response_new ();

  r->deltas = g_new0 (char *, 2);
  r->deltas[0] = g_strdup (text);
  r->split_every = 9;
  r->usage = TRUE;
  return r;
}

static LoomSummaryPane *
pane (Fixture *f)
{
  return loom_scene_editor_get_summary_pane (f->window->editor);
}

/* The keyboard to @widget, where the keys typed next go. */
static void
focus (GtkWidget *widget)
{
  gtk_widget_grab_focus (widget);
  test_spin_until (test_ui_has_focus, widget, "the keyboard");
  test_ui_settle (widget);
}

static gboolean
pane_shown (gpointer data)
{
  Fixture *f = data;

  /* the window puts the keyboard somewhere of its own once shown: after that */
  return f->window->focus_source == 0 &&
         loom_summary_pane_get_scene (pane (f)) == f->scenes[0] &&
         gtk_widget_get_mapped (GTK_WIDGET (loom_summary_pane_get_view (pane (f))));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  test_generation_window_open (f, "storyloom-gen-summaries-XXXXXX", 3, 1,
                               test_generation_window_ready);
  g_assert_true (loom_scene_set_prose (f->scenes[0], "Mara left at dawn. The caravan waited.",
                                       &error));
  g_assert_no_error (error);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  test_spin_until (pane_shown, f, "the first scene's summary");
  loom_autosave_set_delay (loom_summary_pane_get_autosave (pane (f)), 50);
  loom_autosave_set_delay (loom_scene_editor_get_autosave (f->window->editor), 50);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_generation_window_close (f);
}

static LoomSummary *
summary_of (Fixture   *f,
            LoomScene *scene)
{
  g_autoptr(GError) error = NULL;
  LoomSummary *summary = loom_store_get_summary (f->store, scene, &error);

  g_assert_no_error (error);
  return summary;
}

static gboolean
typed_summary_saved (gpointer data)
{
  Fixture *f = data;
  g_autoptr(LoomSummary) summary = summary_of (f, f->scenes[0]);

  return summary != NULL && g_str_equal (summary->summary, "Mara goes.");
}

static gboolean
pane_says_outdated (gpointer data)
{
  Fixture *f = data;

  return g_str_has_prefix (loom_summary_pane_get_state (pane (f)), "Outdated");
}

static void
focus_end (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

/* Typed into the field, the summary is saved as the writer's; typing in the prose makes it
 * outdated, and the line beside the heading says so. */
static void
test_typed (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(LoomSummary) summary = NULL;

  g_assert_cmpstr (loom_summary_pane_get_state (pane (f)), ==,
                   "No summary yet: write one, or have the AI summarize");
  focus (GTK_WIDGET (loom_summary_pane_get_view (pane (f))));
  if (!test_ui_type (GTK_WINDOW (f->window), "Mara goes."))
    return;
  test_spin_until (typed_summary_saved, f, "the typed summary to be saved");
  summary = summary_of (f, f->scenes[0]);
  g_assert_cmpint (summary->origin, ==, LOOM_SUMMARY_WRITER);
  g_assert_cmpstr (loom_summary_pane_get_state (pane (f)), ==, "Written by you");

  /* the prose changes: the summary no longer tells it */
  focus (GTK_WIDGET (loom_scene_editor_get_prose_view (f->window->editor)));
  focus_end (loom_scene_editor_get_prose_view (f->window->editor));
  g_assert_true (test_ui_type (GTK_WINDOW (f->window), " Then rain."));
  test_spin_until (pane_says_outdated, f, "the summary to show as outdated");
  g_assert_true (loom_summary_is_outdated (summary, f->scenes[0]));
  g_assert_null (_loom_window_get_last_error (f->window));
}

static gboolean
has_generated_summary (gpointer data)
{
  Fixture *f = data;
  g_autoptr(LoomSummary) summary = summary_of (f, f->scenes[0]);

  return summary != NULL && summary->origin == LOOM_SUMMARY_GENERATED;
}

static guint
n_entries (Fixture *f)
{
  return g_list_model_get_n_items (loom_story_get_entries (f->story));
}

static gboolean
one_entry (gpointer data)
{
  return n_entries (data) == 1;
}

static gboolean
no_entry (gpointer data)
{
  return n_entries (data) == 0;
}

/* Summarize (a real click) asks the mock for the summary and its facts; a fact goes to the
 * bible with a click, as lore, and Ctrl+Z takes it out again. */
static void
test_facts (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(LoomEntry) entry = NULL;
  GtkButton *button;

  loom_mock_server_push (f->server, answer (good_answer));
  test_ui_settle (GTK_WIDGET (f->window));
  if (!test_ui_click (GTK_WIDGET (loom_summary_pane_get_summarize_button (pane (f)))))
    return;
  test_spin_until (has_generated_summary, f, "the summary from the mock");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpstr (loom_summary_pane_get_state (pane (f)), ==, "Written by the AI");

  button = loom_summary_pane_get_fact_button (pane (f), 1);
  g_assert_nonnull (button);
  g_assert_null (loom_summary_pane_get_fact_button (pane (f), 2));
  test_ui_settle (GTK_WIDGET (f->window));
  g_assert_true (test_ui_click (GTK_WIDGET (button)));
  test_spin_until (one_entry, f, "the fact in the story bible");
  entry = g_list_model_get_item (loom_story_get_entries (f->story), 0);
  g_assert_cmpint (loom_entry_get_kind (entry), ==, LOOM_ENTRY_LORE);
  g_assert_cmpstr (loom_entry_get_description (entry), ==,
                   "Mara owes the caravan master a debt.");
  g_assert_cmpint (loom_entry_get_inclusion (entry), ==, LOOM_INCLUSION_ALWAYS);
  /* the row now says the fact is in the bible, and offers it no more */
  button = loom_summary_pane_get_fact_button (pane (f), 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (button)));

  /* Ctrl+Z, away from a text field (there it would be the field's own undo) */
  gtk_widget_grab_focus (GTK_WIDGET (f->window->sidebar));
  test_ui_settle (GTK_WIDGET (f->window));
  g_assert_true (test_ui_press (GTK_WINDOW (f->window), "ctrl+z"));
  test_spin_until (no_entry, f, "Ctrl+Z to take the fact out of the bible");
  button = loom_summary_pane_get_fact_button (pane (f), 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
}

static gboolean
both_summarized (gpointer data)
{
  Fixture *f = data;
  g_autoptr(LoomSummary) first = summary_of (f, f->scenes[0]);
  g_autoptr(LoomSummary) second = summary_of (f, f->scenes[1]);

  return first != NULL && second != NULL;
}

static gboolean
run_over (gpointer data)
{
  AdwMessageDialog *dialog = data;

  return g_strcmp0 (adw_message_dialog_get_heading (dialog), "Story Summarized") == 0;
}

static gboolean
message_dialog (gpointer data)
{
  return test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
no_message_dialog (gpointer data)
{
  return !message_dialog (data);
}

/* Summarize Story from the Generate menu: how many scenes and what it should cost first, then
 * the progress, each scene in turn against the mock server. */
static void
test_story (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *question;
  GtkWindow *progress;
  const char *body;

  g_assert_true (loom_scene_set_prose (f->scenes[1], "The salt flat shone.", &error));
  g_assert_no_error (error);
  loom_mock_server_push (f->server, answer (good_answer));
  loom_mock_server_push (f->server, answer ("```toon\nsummary: The flat shone.\nfacts[0]:\n```"));

  test_ui_settle (GTK_WIDGET (f->window));
  if (!test_ui_click_menu_item (f->window->generate_button, "Summarize Story…"))
    return;
  test_spin_until (message_dialog, NULL, "the question");
  question = test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (question));
  g_test_message ("%s", body);
  g_assert_nonnull (strstr (body, "2 scenes have no summary"));
  /* the mock lists no price: said in words, with the tokens */
  g_assert_true (strstr (body, "Estimated cost: about $") != NULL ||
                 strstr (body, "is unknown, so the cost cannot be estimated") != NULL);
  g_assert_nonnull (strstr (body, "prompt tokens"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);

  test_ui_settle (GTK_WIDGET (question));
  g_assert_true (test_ui_click (test_ui_find_button (GTK_WIDGET (question), "_Summarize")));
  test_spin_until (both_summarized, f, "both scenes summarized");
  progress = test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (progress);
  test_spin_until (run_over, progress, "the progress to end");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (progress)), ==,
                   "2 of 2 scenes were summarized.");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  test_ui_settle (GTK_WIDGET (progress));
  g_assert_true (test_ui_click (test_ui_find_button (GTK_WIDGET (progress), "_Close")));
  test_spin_until (no_message_dialog, NULL, "the dialog to close");

  /* nothing is left to summarize, and the writer is told so */
  g_assert_null (loom_generation_controller_summarize_story (f->window->generation));
  g_assert_nonnull (_loom_window_get_message_toast (f->window));
  g_assert_cmpstr (adw_toast_get_title (_loom_window_get_message_toast (f->window)), ==,
                   "Every scene with prose has a current summary.");
}

static gboolean
second_summarized (gpointer data)
{
  Fixture *f = data;
  g_autoptr(LoomSummary) summary = summary_of (f, f->scenes[1]);

  return summary != NULL;
}

/* With the setting on, a draft that completes is summarized after it, by itself. */
static void
test_after_draft (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(LoomSummary) summary = NULL;

  g_settings_set_boolean (f->settings, "summarize-after-draft", TRUE);
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[1]));
  loom_mock_server_push (f->server, answer ("The flat shone white under the sun."));
  loom_mock_server_push (f->server, answer (good_answer));
  focus (GTK_WIDGET (loom_scene_editor_get_prose_view (f->window->editor)));
  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+Return"))
    return;
  test_spin_until (second_summarized, f, "the summary after the draft");
  summary = summary_of (f, f->scenes[1]);
  g_assert_cmpint (summary->origin, ==, LOOM_SUMMARY_GENERATED);
  g_assert_false (loom_summary_is_outdated (summary, f->scenes[1]));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
  g_settings_reset (f->settings, "summarize-after-draft");
}

static gboolean
one_place (gpointer data)
{
  Fixture *f = data;
  g_autoptr(LoomEntry) entry = NULL;

  if (n_entries (f) != 1)
    return FALSE;
  entry = g_list_model_get_item (loom_story_get_entries (f->story), 0);
  return loom_entry_get_kind (entry) == LOOM_ENTRY_PLACE;
}

/* The empty story bible offers every kind from its page, not only a character. */
static void
test_empty_bible (Fixture       *f,
                  gconstpointer  data)
{
  GtkMenuButton *add = NULL;

  g_object_set (f->window, "show-characters", TRUE, NULL);
  add = loom_character_panel_get_empty_add_button (f->window->character_panel);
  test_ui_settle (GTK_WIDGET (f->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (add)));
  if (!test_ui_click_menu_item (add, "Place"))
    return;
  test_spin_until (one_place, f, "a place added from the empty bible");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("OPENROUTER_API_KEY", TEST_KEY, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!test_ui_init (&argc, &argv, "/generation-summaries"))
    return g_test_run ();

  g_test_add ("/generation-summaries/typed", Fixture, NULL, fixture_set_up, test_typed,
              fixture_tear_down);
  g_test_add ("/generation-summaries/facts", Fixture, NULL, fixture_set_up, test_facts,
              fixture_tear_down);
  g_test_add ("/generation-summaries/story", Fixture, NULL, fixture_set_up, test_story,
              fixture_tear_down);
  g_test_add ("/generation-summaries/after-draft", Fixture, NULL, fixture_set_up,
              test_after_draft, fixture_tear_down);
  g_test_add ("/generation-summaries/empty-bible", Fixture, NULL, fixture_set_up,
              test_empty_bible, fixture_tear_down);

  return g_test_run ();
}
